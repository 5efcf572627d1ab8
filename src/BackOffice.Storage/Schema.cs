namespace BackOffice.Storage;

/// <summary>Column lists shared by both stores' SQL, so a column added in a migration is read the same way everywhere.</summary>
internal static class Schema
{
    public const string AuditColumns =
        "sequence, recorded_at, actor, command_type, idempotency_key, payload_hash, payload, result, entry_count, entries_digest, previous_hash, hash";

    public const string EntryColumns =
        "id, audit_sequence, effective_date, recorded_at, reason, source_reference, reverses_id, idempotency_key, payload_hash, entry_hash";

    public const string PostingColumns = "entry_id, line_number, ledger_account_id, asset_id, units, effective_date";
}

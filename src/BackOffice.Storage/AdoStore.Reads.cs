using System.Collections.Immutable;
using System.Data.Common;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private protected async Task<ReferenceLookup> ResolveAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyCollection<string> ledgerAccountCodes, IReadOnlyCollection<string> assetCodes, CancellationToken cancellationToken)
    {
        var accounts = new Dictionary<string, LedgerAccount>(StringComparer.Ordinal);
        foreach (string[] chunk in ledgerAccountCodes.Chunk(InListMax))
        {
            foreach (var pair in await ReadLedgerAccountsAsync(connection, transaction, chunk, cancellationToken))
            {
                accounts[pair.Key] = pair.Value;
            }
        }
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string[] chunk in assetCodes.Chunk(InListMax))
        {
            foreach (var pair in await ReadAssetsAsync(connection, transaction, chunk, cancellationToken))
            {
                assets[pair.Key] = pair.Value;
            }
        }
        return new ReferenceLookup(accounts, assets);
    }

    private protected async Task<Dictionary<string, LedgerAccount>> ReadLedgerAccountsAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<string>? codes, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        string where = codes is null ? "" : " WHERE " + InList(command, "code", codes);
        command.CommandText = "SELECT id, code, name, type, control_account_code, is_open FROM ledger_accounts" + where;
        var result = new Dictionary<string, LedgerAccount>(StringComparer.Ordinal);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var account = new LedgerAccount(new LedgerAccountId(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2),
                (LedgerAccountType)Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                Sql.NullableString(reader, 4), reader.GetBoolean(5));
            result[account.Code] = account;
        }
        return result;
    }

    private protected async Task<Dictionary<string, Asset>> ReadAssetsAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<string>? codes, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        string where = codes is null ? "" : " WHERE " + InList(command, "code", codes);
        command.CommandText = "SELECT id, code, kind, scale FROM assets" + where;
        var result = new Dictionary<string, Asset>(StringComparer.Ordinal);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var asset = new Asset(new AssetId(reader.GetInt64(0)), reader.GetString(1),
                (AssetKind)Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture));
            result[asset.Code] = asset;
        }
        return result;
    }

    private protected async Task<IReadOnlyDictionary<string, BookedKey>> FindEntryKeysAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, BookedKey>(StringComparer.Ordinal);
        foreach (string[] chunk in keys.Distinct(StringComparer.Ordinal).Chunk(InListMax))
        {
            await using DbCommand command = Sql.Command(connection, transaction, "");
            command.CommandText = "SELECT idempotency_key, id, payload_hash FROM journal_entries WHERE " + InList(command, "idempotency_key", chunk);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result[reader.GetString(0)] = new BookedKey(new JournalEntryId(reader.GetInt64(1)), Sha256Hash.FromBytes((byte[])reader[2]));
            }
        }
        return result;
    }

    private protected async Task<JournalEntry?> ReadEntryAsync(DbConnection connection, DbTransaction? transaction, JournalEntryId id, CancellationToken cancellationToken)
    {
        var lines = ImmutableArray.CreateBuilder<Posting>();
        await using (DbCommand postings = Sql.Command(connection, transaction,
            "SELECT ledger_account_id, asset_id, units FROM postings WHERE entry_id = @id ORDER BY line_number"))
        {
            Sql.Add(postings, "id", id.Value);
            await using DbDataReader reader = await postings.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(new Posting(new LedgerAccountId(reader.GetInt64(0)), new AssetId(reader.GetInt64(1)), reader.GetInt64(2)));
            }
        }
        await using DbCommand command = Sql.Command(connection, transaction, $"SELECT {Schema.EntryColumns} FROM journal_entries WHERE id = @id");
        Sql.Add(command, "id", id.Value);
        await using DbDataReader entry = await command.ExecuteReaderAsync(cancellationToken);
        if (!await entry.ReadAsync(cancellationToken))
        {
            return null;
        }
        JournalEntry loaded = ReadEntryHeader(entry, lines.ToImmutable());
        loaded.AssertValid();
        return loaded;
    }

    private protected static async Task<JournalEntryId?> FindReversalOfAsync(DbConnection connection, DbTransaction? transaction, JournalEntryId id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "SELECT id FROM journal_entries WHERE reverses_id = @id");
        Sql.Add(command, "id", id.Value);
        object? value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : new JournalEntryId(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private protected JournalEntry ReadEntryHeader(DbDataReader reader, ImmutableArray<Posting> postings) => new()
    {
        Id = new JournalEntryId(reader.GetInt64(0)),
        AuditSequence = new AuditSequence(reader.GetInt64(1)),
        EffectiveDate = ReadDate(reader, 2),
        RecordedAt = Instant.FromUnixTimeTicks(reader.GetInt64(3)),
        Reason = reader.GetString(4),
        SourceReference = reader.GetString(5),
        Reverses = reader.IsDBNull(6) ? null : new JournalEntryId(reader.GetInt64(6)),
        Key = IdempotencyKey.From(reader.GetString(7)),
        PayloadHash = Sha256Hash.FromBytes((byte[])reader[8]),
        Postings = postings,
    };

    private protected static AuditRecord ReadAuditRecord(DbDataReader reader) => new()
    {
        Sequence = new AuditSequence(reader.GetInt64(0)),
        RecordedAt = Instant.FromUnixTimeTicks(reader.GetInt64(1)),
        Actor = reader.GetString(2),
        CommandType = reader.GetString(3),
        Key = IdempotencyKey.From(reader.GetString(4)),
        PayloadHash = Sha256Hash.FromBytes((byte[])reader[5]),
        Payload = Sql.NullableString(reader, 6),
        Result = reader.GetString(7),
        EntryCount = reader.GetInt32(8),
        EntriesDigest = Sha256Hash.FromBytes((byte[])reader[9]),
        PreviousHash = Sha256Hash.FromBytes((byte[])reader[10]),
        Hash = Sha256Hash.FromBytes((byte[])reader[11]),
    };

    private protected static async Task UpsertBalancesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<BalanceRow> deltas, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            "INSERT INTO balances (ledger_account_id, asset_id, units) VALUES (@a, @s, @u) " +
            "ON CONFLICT (ledger_account_id, asset_id) DO UPDATE SET units = balances.units + excluded.units");
        DbParameter account = Sql.Add(command, "a", 0L);
        DbParameter asset = Sql.Add(command, "s", 0L);
        DbParameter units = Sql.Add(command, "u", 0L);
        foreach (BalanceRow delta in deltas)
        {
            account.Value = delta.LedgerAccount.Value;
            asset.Value = delta.Asset.Value;
            units.Value = delta.Units;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

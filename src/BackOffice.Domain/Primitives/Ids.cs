namespace BackOffice.Domain.Primitives;

/// <summary>Identity of a ledger account in the chart of accounts (database key, assigned by the store).</summary>
public readonly record struct LedgerAccountId(long Value);

/// <summary>Identity of an asset (a currency or an instrument) that postings count.</summary>
public readonly record struct AssetId(long Value);

/// <summary>Identity of a journal entry. Assigned consecutively from 1 by the write path, so a gap means a deleted row.</summary>
public readonly record struct JournalEntryId(long Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Position of an audit record in the hash chain, consecutive from 1.</summary>
public readonly record struct AuditSequence(long Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

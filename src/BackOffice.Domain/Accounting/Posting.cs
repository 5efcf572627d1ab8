using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Accounting;

/// <summary>
/// One booked line of a journal entry: a ledger account, an asset and a signed amount in the
/// asset's units (debit positive, credit negative). Unlike <see cref="PostingRequest"/>, which is
/// what a sender submits with codes and a decimal amount, a posting is resolved and exact.
/// </summary>
public readonly record struct Posting(LedgerAccountId LedgerAccount, AssetId Asset, long Units)
{
    /// <summary>Debit when the units are positive, credit when negative.</summary>
    public Direction Direction => Units >= 0 ? Direction.Debit : Direction.Credit;

    /// <summary>The same posting on the other side: what a reversal books.</summary>
    public Posting Negate() => this with { Units = checked(-Units) };
}

/// <summary>
/// One line of a journal entry as submitted: ledger account code, asset code (ISO 4217 currency
/// or instrument ISIN), direction and a positive decimal amount.
/// </summary>
public sealed record PostingRequest(string LedgerAccountCode, string AssetCode, Direction Direction, decimal Amount);

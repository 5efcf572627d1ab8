using NodaTime;

namespace BackOffice.Domain.Reconciliation;

/// <summary>What an external statement reports: securities held, or cash.</summary>
public enum StatementKind
{
    /// <summary>A custodian's statement of holdings (ISO 20022 semt.002, or a custody CSV).</summary>
    Custody = 1,

    /// <summary>A bank's or custodian's cash account statement (ISO 20022 camt.053, or a cash CSV).</summary>
    Cash = 2,
}

/// <summary>Which date a statement's positions are reckoned on, so they are compared with our positions on the same basis.</summary>
public enum StatementBasis
{
    /// <summary>Positions include every trade agreed on or before the statement date.</summary>
    TradeDate = 1,

    /// <summary>Positions include only what had settled (or, for cash, been booked) by the statement date.</summary>
    SettlementDate = 2,
}

/// <summary>
/// One holding on a custody statement: the instrument's ISIN and the quantity held, signed (a short
/// position is negative). The quantity is in the unit the custodian reports it in: units for
/// shares and funds, the face amount for bonds.
/// </summary>
public sealed record HoldingLine(string Isin, decimal Quantity);

/// <summary>
/// One booked movement on a cash statement. <paramref name="Amount"/> is signed from the account
/// holder's side: a credit (money in) is positive, a debit (money out) negative.
/// <paramref name="Reference"/> is the most specific reference the entry gives: the end-to-end id,
/// else the account servicer's reference, else the entry reference. <paramref name="Description"/> is
/// the free text the bank gives, if any.
/// </summary>
public sealed record CashEntry(decimal Amount, LocalDate BookingDate, LocalDate? ValueDate, string? Reference, string? Description);

/// <summary>
/// One balance on a cash statement: <paramref name="Type"/> is its ISO 20022 balance type code
/// (OPBD opening booked, CLBD closing booked, CLAV closing available, ...), <paramref name="Amount"/>
/// is signed (a credit balance is positive, a debit balance, an overdraft, negative), and
/// <paramref name="Date"/> is the date it is struck on.
/// </summary>
public sealed record CashBalance(string Type, decimal Amount, LocalDate Date);

/// <summary>
/// An external statement as read from a custodian's or bank's file, before anything is matched
/// against our books. A custody statement carries <see cref="Holdings"/>; a cash statement carries
/// <see cref="Entries"/> and <see cref="Balances"/>. Amounts and quantities are decimal, exactly as
/// written in the file.
/// </summary>
/// <param name="Kind">Custody (holdings) or cash (entries and balances).</param>
/// <param name="StatementId">The statement's own identifier, as the sender gives it.</param>
/// <param name="Account">
/// The external account reported on: the safekeeping account id for custody, the cash account id
/// (the IBAN, or the other identification the bank uses) for cash.
/// </param>
/// <param name="Date">The business date the statement is as of.</param>
/// <param name="Basis">
/// The basis of the positions. Cash statements are on a booking-date basis, which is compared
/// with our settlement-date cash: they are always <see cref="StatementBasis.SettlementDate"/>.
/// </param>
/// <param name="Currency">The ISO 4217 currency of the cash account; null for custody statements.</param>
/// <param name="Holdings">The holdings, in the order the statement lists them; empty for cash.</param>
/// <param name="Entries">The booked movements, in the order the statement lists them; empty for custody.</param>
/// <param name="Balances">The balances, in the order the statement lists them; empty for custody.</param>
public sealed record Statement(
    StatementKind Kind,
    string StatementId,
    string Account,
    LocalDate Date,
    StatementBasis Basis,
    string? Currency,
    IReadOnlyList<HoldingLine> Holdings,
    IReadOnlyList<CashEntry> Entries,
    IReadOnlyList<CashBalance> Balances);

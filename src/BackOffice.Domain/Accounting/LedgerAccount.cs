using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Accounting;

/// <summary>
/// The account types of a chart of accounts; they decide the sign of a normal balance and the
/// statement an account reports in. The five classic types make the balance sheet and income
/// statement; memo accounts sit off the balance sheet.
/// </summary>
public enum LedgerAccountType
{
    /// <summary>What the firm owns or is owed (cash at bank, securities at depository). Debit-normal.</summary>
    Asset = 1,

    /// <summary>What the firm owes (client payables, payables to brokers). Credit-normal.</summary>
    Liability = 2,

    /// <summary>Owners' capital and retained earnings. Credit-normal.</summary>
    Equity = 3,

    /// <summary>Commissions, fees and trading gains. Credit-normal.</summary>
    Income = 4,

    /// <summary>Costs such as exchange fees and clearing charges. Debit-normal.</summary>
    Expense = 5,

    /// <summary>
    /// Off-balance-sheet: what the books record but the firm neither owns nor owes, such as each
    /// client's realized P&amp;L and the accrued interest on its bonds. Memo entries balance
    /// among themselves (against a memo contra account), so they never move the balance sheet or
    /// the income statement. Credit-normal.
    /// </summary>
    Memo = 6,
}

/// <summary>
/// One account of the chart of accounts, for example "1010 Cash at custodian". Its balance is
/// never stored as truth: it is derived from postings. Not a client account (a customer's
/// brokerage account), which is reference data that ledger accounts may be opened for.
/// </summary>
public sealed record LedgerAccount(LedgerAccountId Id, string Code, string Name, LedgerAccountType Type, string? ControlAccountCode, bool IsOpen)
{
    /// <summary>Longest ledger account code accepted.</summary>
    public const int CodeLengthMax = 64;
}

using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Accounting;

/// <summary>The five account types of a chart of accounts; they decide the sign of a normal balance.</summary>
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

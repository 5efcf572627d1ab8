using System.Globalization;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Holds;

/// <summary>What a hold reserves.</summary>
public enum HoldKind
{
    /// <summary>Cash for a purchase the front office is about to make.</summary>
    Buy = 1,

    /// <summary>Securities for a sale the front office is about to make.</summary>
    Sell = 2,

    /// <summary>Cash a client asked to withdraw.</summary>
    Withdrawal = 3,
}

/// <summary>Where a hold stands. Derived from the ledger: a hold is open while its entry is not reversed.</summary>
public enum HoldStatus
{
    /// <summary>Reserving its amount.</summary>
    Open = 1,

    /// <summary>Reversed by the fill it waited for.</summary>
    Consumed = 2,

    /// <summary>Reversed on request (the order was cancelled).</summary>
    Released = 3,

    /// <summary>Reversed because it outlived its timeout (or open past it, until the sweep reverses it).</summary>
    Expired = 4,
}

/// <summary>
/// A buying-power hold: <see cref="Amount"/> of <see cref="Asset"/> (a currency for cash, an ISIN
/// for securities) reserved for <see cref="Account"/> until <see cref="ExpiresAt"/>. The reservation
/// itself is a journal entry (<see cref="EntryKey"/>) on memo accounts, so holds are in the ledger,
/// not in a side table that could drift; this record only says what the entry is for.
/// </summary>
/// <param name="Reference">The source trade id of the fill that consumes the hold (optional).</param>
public sealed record Hold(string Id, string Account, HoldKind Kind, string Asset, decimal Amount, string? Reference, Instant PlacedAt, Instant ExpiresAt, string Maker)
{
    /// <summary>The key of the entry that reserves the amount.</summary>
    public string EntryKey => "hold/" + Id;

    /// <summary>Whether the hold reserves securities (a sale) rather than cash.</summary>
    public bool IsSecurities => Kind == HoldKind.Sell;
}

/// <summary>
/// The buying-power policy (docs/reference/api.md, "Buying power and holds").
/// Available cash for an account in a currency is the credit balance of its client money
/// sub-ledger (<c>2010.ACCOUNT</c>: settled cash, plus the proceeds of unsettled sales, less the
/// cost of unsettled purchases, because trades book on trade date) less the cash reserved by its
/// open holds. Available securities are the credit balance of its client securities sub-ledger
/// (<c>2100.ACCOUNT</c>) less the securities reserved by open sale holds. A hold is a memo entry:
/// debit <c>9400.ACCOUNT</c> (cash held) or <c>9410.ACCOUNT</c> (securities held), credit the memo
/// contra <c>9000</c>; it never touches the client's money or positions, and its reversal ends it.
/// </summary>
public static class HoldPolicy
{
    /// <summary>The control account of cash held, per client.</summary>
    public const string CashHeld = "9400";

    /// <summary>The control account of securities held, per client.</summary>
    public const string SecuritiesHeld = "9410";

    /// <summary>The memo contra account.</summary>
    public const string Contra = "9000";

    /// <summary>Shortest and longest time a hold may live.</summary>
    public static readonly Duration LifetimeMin = Duration.FromSeconds(1);

    /// <inheritdoc cref="LifetimeMin"/>
    public static readonly Duration LifetimeMax = Duration.FromDays(1);

    /// <summary>A hold's time to live when the request names none.</summary>
    public static readonly Duration LifetimeDefault = Duration.FromMinutes(15);

    /// <summary>The sub-ledger a hold reserves on.</summary>
    public static string HeldAccount(Hold hold) => (hold.IsSecurities ? SecuritiesHeld : CashHeld) + "." + hold.Account;

    /// <summary>The sub-ledger whose balance is the client's own (money or securities).</summary>
    public static string OwnAccount(Hold hold, string clientMoney = "2010", string clientSecurities = "2100") =>
        (hold.IsSecurities ? clientSecurities : clientMoney) + "." + hold.Account;

    /// <summary>Available = the client's credit balance less what open holds reserve; <paramref name="ownBalance"/> is debit-positive.</summary>
    public static decimal Available(decimal ownBalance, decimal reserved) => -ownBalance - reserved;

    /// <summary>The rule a new hold breaks, or null.</summary>
    public static Rejection? Check(Hold hold, decimal available)
    {
        if (hold.Amount <= 0)
        {
            return new Rejection("hold.amount", $"a hold reserves a positive amount, not {hold.Amount.ToString(CultureInfo.InvariantCulture)}");
        }
        Duration lifetime = hold.ExpiresAt - hold.PlacedAt;
        if (lifetime < LifetimeMin || lifetime > LifetimeMax)
        {
            return new Rejection("hold.lifetime", "a hold lives from 1 second to 1 day");
        }
        return hold.Amount > available
            ? new Rejection("hold.insufficient",
                string.Create(CultureInfo.InvariantCulture, $"{hold.Account} has {available} {hold.Asset} available and {hold.Amount} was asked for ({(hold.IsSecurities ? "securities held less open sale holds" : "settled cash and unsettled proceeds less unsettled purchases and open holds")})"))
            : null;
    }

    /// <summary>The entry that reserves the hold's amount.</summary>
    public static JournalEntryRequest Entry(Hold hold) =>
        new(hold.EntryKey, hold.PlacedAt.InUtc().Date, string.Create(CultureInfo.InvariantCulture, $"{hold.Kind.ToString().ToLowerInvariant()} hold {hold.Id} for {hold.Account}"),
            hold.Reference is null ? "hold " + hold.Id : "hold " + hold.Id + " for " + hold.Reference,
            [new PostingRequest(HeldAccount(hold), hold.Asset, Direction.Debit, hold.Amount), new PostingRequest(Contra, hold.Asset, Direction.Credit, hold.Amount)]);

    /// <summary>The reversal that ends the hold, and why.</summary>
    public static ReversalRequest End(Hold hold, JournalEntryId entry, HoldStatus why, Instant at, string? detail = null) =>
        new($"hold/{hold.Id}/{why.ToString().ToLowerInvariant()}", entry, at.InUtc().Date,
            $"hold {hold.Id} {why.ToString().ToLowerInvariant()}{(detail is null ? "" : ": " + detail)}");

    /// <summary>The status a reversal's key gives (<c>hold/ID/consumed</c>), or open when there is none; open past its expiry reads as expired.</summary>
    public static HoldStatus Status(Hold hold, string? reversalKey, Instant now) => reversalKey switch
    {
        null => now >= hold.ExpiresAt ? HoldStatus.Expired : HoldStatus.Open,
        _ when reversalKey.EndsWith("/consumed", StringComparison.Ordinal) => HoldStatus.Consumed,
        _ when reversalKey.EndsWith("/expired", StringComparison.Ordinal) => HoldStatus.Expired,
        _ => HoldStatus.Released,
    };
}

/// <summary>
/// A client's request to take cash out of their account: paid from the firm's bank account out of
/// the client's money, when the buying-power policy says the cash is available. The reference is
/// the client's (or the payment system's) and is unique per account: the same withdrawal asked
/// for twice is paid once.
/// </summary>
public sealed record Withdrawal(string Account, string Currency, decimal Amount, string Reference, LocalDate ValueDate)
{
    /// <summary>The key of the entry that pays it.</summary>
    public string EntryKey => $"withdrawal/{Account}/{Reference}";
}

/// <summary>How a withdrawal is checked and booked.</summary>
public static class WithdrawalPolicy
{
    /// <summary>The firm's bank account the payment leaves from.</summary>
    public const string Bank = "1010";

    /// <summary>Longest reference.</summary>
    public const int ReferenceLengthMax = 64;

    /// <summary>The rule a withdrawal breaks against what is available, or null.</summary>
    public static Rejection? Check(Withdrawal withdrawal, decimal available)
    {
        if (withdrawal.Amount <= 0)
        {
            return new Rejection("withdrawal.amount", $"a withdrawal pays a positive amount, not {withdrawal.Amount.ToString(CultureInfo.InvariantCulture)}");
        }
        if (withdrawal.Reference.Length is 0 or > ReferenceLengthMax || withdrawal.Reference.Any(char.IsControl))
        {
            return new Rejection("withdrawal.reference", $"a withdrawal has a reference of 1 to {ReferenceLengthMax} printable characters");
        }
        return withdrawal.Amount > available
            ? new Rejection("withdrawal.insufficient", string.Create(CultureInfo.InvariantCulture,
                $"{withdrawal.Account} has {available} {withdrawal.Currency} available and {withdrawal.Amount} was asked for (settled cash and unsettled proceeds less unsettled purchases and open holds)"))
            : null;
    }

    /// <summary>The entry that pays it: debit the client's money, credit the bank.</summary>
    public static JournalEntryRequest Entry(Withdrawal withdrawal, string clientMoney = "2010", string bank = Bank) =>
        new(withdrawal.EntryKey, withdrawal.ValueDate, $"cash withdrawal for {withdrawal.Account}", "withdrawal " + withdrawal.Reference,
            [new PostingRequest(clientMoney + "." + withdrawal.Account, withdrawal.Currency, Direction.Debit, withdrawal.Amount),
             new PostingRequest(bank, withdrawal.Currency, Direction.Credit, withdrawal.Amount)]);
}

using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;

namespace BackOffice.Domain.Documents;

/// <summary>
/// In what capacity the firm acted, as a confirmation must say (SEC Rule 10b-10(a)(2)): for the
/// client through another broker, or for itself.
/// </summary>
public enum TradeCapacity
{
    /// <summary>The firm bought or sold for the client's account, through an executing broker or venue.</summary>
    Agent = 1,

    /// <summary>The firm traded for its own account (one of its books).</summary>
    Principal = 2,
}

/// <summary>Which confirmation a trade version gets.</summary>
public enum ConfirmationKind
{
    /// <summary>The first version of a trade: the confirmation of the execution.</summary>
    Original = 1,

    /// <summary>A correction: it replaces the confirmation of the version before it.</summary>
    Corrected = 2,

    /// <summary>A bust: the trade is cancelled, and so is its confirmation.</summary>
    Cancelled = 3,
}

/// <summary>The rules that decide a confirmation's kind and capacity.</summary>
public static class ConfirmationRules
{
    /// <summary>A firm book's trade is the firm acting as principal; a client account's trade is the firm acting as agent.</summary>
    public static TradeCapacity Capacity(ClientAccount account) => account.IsFirmBook ? TradeCapacity.Principal : TradeCapacity.Agent;

    /// <summary>
    /// The confirmation <paramref name="version"/> gets, or null for none: a block execution that
    /// was allocated (its latest version is <see cref="TradeStatus.Allocated"/>) is confirmed to
    /// nobody, since each allocation is a trade of its own with its own confirmation.
    /// </summary>
    public static ConfirmationKind? Kind(TradeVersion version, TradeVersion latest) =>
        latest.Status == TradeStatus.Allocated ? null
        : version.Status == TradeStatus.Busted ? ConfirmationKind.Cancelled
        : version.Version == 1 ? ConfirmationKind.Original
        : ConfirmationKind.Corrected;
}

/// <summary>
/// The names of the document files, fixed so that scripts can find them:
/// <c>confirm-DATE-TRADE.pdf</c> (a later version adds <c>-vN</c>), <c>statement-ACCOUNT-YYYY-MM.pdf</c>,
/// <c>gains-ACCOUNT-YYYY.pdf</c> and <c>.csv</c>. Characters other than letters, digits, dot,
/// hyphen and underscore in an account code become an underscore.
/// </summary>
public static class DocumentNames
{
    /// <summary>The confirmation of one version of a trade executed on <paramref name="tradeDate"/>.</summary>
    public static string Confirmation(NodaTime.LocalDate tradeDate, long tradeId, int version) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"confirm-{Calendar.BusinessCalendar.Iso(tradeDate)}-{tradeId}{(version > 1 ? $"-v{version}" : "")}.pdf");

    /// <summary>One client account's statement for a month.</summary>
    public static string Statement(string account, NodaTime.YearMonth month) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"statement-{Safe(account)}-{month.Year:D4}-{month.Month:D2}.pdf");

    /// <summary>One client account's realized-gains report for a year, as PDF (<paramref name="extension"/> "pdf") or CSV ("csv").</summary>
    public static string Gains(string account, int year, string extension) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"gains-{Safe(account)}-{year:D4}.{extension}");

    private static string Safe(string code) =>
        string.Concat(code.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}

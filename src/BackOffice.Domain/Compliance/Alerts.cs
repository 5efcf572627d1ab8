using System.Globalization;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Compliance;

/// <summary>What raised a compliance alert.</summary>
public enum AlertKind
{
    /// <summary>A name of ours scored at or above the threshold against a sanctions list entry.</summary>
    Sanctions = 1,

    /// <summary>A trade with the same beneficial owner on both sides, or a buy and a sale of one instrument at one price within the window.</summary>
    WashTrade = 2,

    /// <summary>A trade in an instrument on the restricted list.</summary>
    RestrictedList = 3,

    /// <summary>A position above its limit.</summary>
    PositionLimit = 4,

    /// <summary>A position that is too large a share of the account's holdings.</summary>
    Concentration = 5,

    /// <summary>A trade far larger than the account's usual trades.</summary>
    UnusualSize = 6,
}

/// <summary>Where an alert stands.</summary>
public enum AlertStatus
{
    /// <summary>Raised, not yet disposed of (a disposition may await a checker).</summary>
    Open = 1,

    /// <summary>Disposed of as a true match: for sanctions, the account is blocked.</summary>
    TrueMatch = 2,

    /// <summary>Disposed of as a false positive, with its reason.</summary>
    FalsePositive = 3,
}

/// <summary>
/// One compliance alert: what raised it, about whom (a client account, a party, a withdrawal's
/// beneficiary, a trade), when, why in words, and for sanctions the list version and entry behind
/// it. <see cref="Key"/> names what it is about, so the same finding raised again is the same
/// alert (a hit already disposed of as a false positive is not raised again unless the name or
/// the list entry changed).
/// </summary>
public sealed record ComplianceAlert(
    long Id,
    AlertKind Kind,
    string Key,
    string SubjectKind,
    string Subject,
    string? Account,
    LocalDate RaisedOn,
    string Detail,
    decimal? Score,
    string? ListVersion,
    long? EntryUid,
    AlertStatus Status)
{
    /// <summary>Why it was disposed of (empty while open).</summary>
    public string Reason { get; init; } = "";

    /// <summary>Who proposed the disposition (the maker).</summary>
    public string? DecidedBy { get; init; }

    /// <summary>The sanctions list version current when the disposition was approved (null for surveillance alerts).</summary>
    public string? DecidedListVersion { get; init; }

    /// <summary>When the disposition was approved.</summary>
    public Instant? DecidedAt { get; init; }
}

/// <summary>A finding that may become an alert: everything but the id and status.</summary>
public sealed record AlertFinding(AlertKind Kind, string Key, string SubjectKind, string Subject, string? Account, LocalDate RaisedOn, string Detail,
    decimal? Score = null, string? ListVersion = null, long? EntryUid = null);

/// <summary>How a compliance officer disposes of an alert.</summary>
public enum AlertDisposition
{
    /// <summary>The finding is real: a sanctioned party (the account is blocked), a wash trade, a breach.</summary>
    TrueMatch = 1,

    /// <summary>The finding is not what it seemed, for the reason given.</summary>
    FalsePositive = 2,
}

/// <summary>The rules of alerts: their names on the wire, keys, and what a disposition may be.</summary>
public static class AlertRules
{
    /// <summary>Longest reason accepted for a disposition.</summary>
    public const int ReasonLengthMax = 1000;

    /// <summary>A kind as files and the CLI write it: <c>sanctions</c>, <c>wash-trade</c>, ...</summary>
    public static string Name(AlertKind kind) => kind switch
    {
        AlertKind.Sanctions => "sanctions",
        AlertKind.WashTrade => "wash-trade",
        AlertKind.RestrictedList => "restricted-list",
        AlertKind.PositionLimit => "position-limit",
        AlertKind.Concentration => "concentration",
        _ => "unusual-size",
    };

    /// <summary>A status as files and the CLI write it.</summary>
    public static string Name(AlertStatus status) => status switch
    {
        AlertStatus.Open => "open",
        AlertStatus.TrueMatch => "true-match",
        _ => "false-positive",
    };

    /// <summary>Reads a kind's name; null when it is not one.</summary>
    public static AlertKind? ParseKind(string text) => Enum.GetValues<AlertKind>().Cast<AlertKind?>().FirstOrDefault(k => Name(k!.Value) == text);

    /// <summary>Reads a status's name; null when it is not one.</summary>
    public static AlertStatus? ParseStatus(string text) => Enum.GetValues<AlertStatus>().Cast<AlertStatus?>().FirstOrDefault(s => Name(s!.Value) == text);

    /// <summary>Reads <c>true-match</c> or <c>false-positive</c>; null otherwise.</summary>
    public static AlertDisposition? ParseDisposition(string? text) => text switch
    {
        "true-match" => AlertDisposition.TrueMatch,
        "false-positive" => AlertDisposition.FalsePositive,
        _ => null,
    };

    /// <summary>The key of a sanctions hit: the subject, the entry, and a digest of the name screened and the entry's names, so a change of either raises again.</summary>
    public static string SanctionsKey(string subjectKind, string subject, string screenedName, SanctionsEntry entry)
    {
        var names = new System.Text.StringBuilder(NameNormalizer.Plain(screenedName)).Append('|').Append(NameNormalizer.Plain(entry.Name));
        foreach (SanctionsAlias alias in entry.Aliases)
        {
            names.Append('|').Append(NameNormalizer.Plain(alias.Name));
        }
        string digest = Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(names.ToString())).ToString()[..16];
        return string.Create(CultureInfo.InvariantCulture, $"sanctions/{subjectKind}/{subject}/{entry.Uid}/{digest}");
    }

    /// <summary>Why a disposition cannot be made on <paramref name="alert"/>, or null.</summary>
    public static Rejection? CheckDisposition(ComplianceAlert alert, AlertDisposition disposition, string reason)
    {
        if (alert.Status != AlertStatus.Open)
        {
            return new Rejection("alert.decided", string.Create(CultureInfo.InvariantCulture, $"alert {alert.Id} was already disposed of ({Name(alert.Status)})"));
        }
        if (!Enum.IsDefined(disposition))
        {
            return new Rejection("alert.disposition", "a disposition is true-match or false-positive");
        }
        return reason.Trim().Length is 0 or > ReasonLengthMax
            ? new Rejection("alert.reason", $"a disposition needs a reason of 1 to {ReasonLengthMax} characters")
            : null;
    }
}

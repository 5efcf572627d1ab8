using System.Globalization;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Reconciliation;

/// <summary>
/// An account of the firm at a custodian or bank that is reconciled: reference data, loaded like
/// the chart of accounts. A statement for an account not listed here is refused.
/// </summary>
/// <param name="Account">The external account id as statements name it (safekeeping account, IBAN or other id).</param>
/// <param name="Source">Who reports on it (the custodian or bank, as the firm names it): runs can be asked for one source.</param>
/// <param name="Kind">Custody (securities) or cash.</param>
/// <param name="LedgerAccount">
/// The ledger account whose balances the statement is compared with; a control account includes its
/// sub-ledgers. Custody is usually the securities at the depository (1100), cash the bank account (1010).
/// </param>
/// <param name="Currency">For a cash account, its currency (a statement in another is refused); null for custody.</param>
/// <param name="Name">What operations call it.</param>
/// <param name="Rules">How loosely cash is matched on this account (unused for custody).</param>
public sealed record StatementAccount(string Account, string Source, StatementKind Kind, string LedgerAccount, string? Currency, string Name, CashRules Rules);

/// <summary>Where a break stands in its workflow.</summary>
public enum BreakStatus
{
    /// <summary>Found and not yet explained.</summary>
    Open = 1,

    /// <summary>Someone has said why it differs (a note); it still differs.</summary>
    Explained = 2,

    /// <summary>Closed: by hand with a note, by an adjusting entry, or because a later run found the two sides agree.</summary>
    Resolved = 3,
}

/// <summary>
/// A difference one reconciliation run found, before it is filed as a break.
/// </summary>
/// <param name="Key">Identifies the difference from day to day (see <see cref="BreakKeys"/>).</param>
/// <param name="Type">What kind of difference.</param>
/// <param name="Subject">What differs: the ISIN of a position, the currency of a balance or movement.</param>
/// <param name="Standing">
/// True for positions and balances, which every statement of the account states in full: a run that
/// does not find the difference again has found them agreeing. False for movements, which only a
/// statement covering their date can clear.
/// </param>
/// <param name="Ours">Our quantity or amount (zero when we lack it).</param>
/// <param name="Theirs">The statement's quantity or amount (zero when it lacks it).</param>
/// <param name="Date">The statement date for positions and balances; the movement's date for movements.</param>
/// <param name="Detail">What was compared, for the person who works the break (entry ids, statement lines, references).</param>
/// <param name="Cause">A likely cause the books know of (an unsettled trade, a fail, a pending corporate action), or null.</param>
public sealed record BreakFinding(string Key, BreakType Type, string Subject, bool Standing, decimal Ours, decimal Theirs, LocalDate Date, string Detail, string? Cause)
{
    /// <summary>What the statement shows more than we do (negative when it shows less).</summary>
    public decimal Difference => Theirs - Ours;
}

/// <summary>A break as filed: the latest finding of its key, with its age, owner, status and cause.</summary>
public sealed record ReconBreak(
    long Id,
    string Key,
    string Source,
    string Account,
    StatementKind Kind,
    BreakType Type,
    string Subject,
    bool Standing,
    decimal Ours,
    decimal Theirs,
    LocalDate Date,
    LocalDate FirstSeen,
    LocalDate LastSeen,
    BreakStatus Status,
    string? Owner,
    string? Cause,
    string Detail,
    long LastRunId)
{
    /// <summary>What the statement shows more than we do (negative when it shows less).</summary>
    public decimal Difference => Theirs - Ours;

    /// <summary>The latest note an operator wrote on it (the history holds every one), or null.</summary>
    public string? Note { get; init; }

    /// <summary>Calendar days from the day the break was first found to <paramref name="asOf"/> (0 on the day it was found).</summary>
    public int AgeDays(LocalDate asOf) => Math.Max(0, Period.Between(FirstSeen, asOf, PeriodUnits.Days).Days);
}

/// <summary>One thing that happened to a break: <c>found</c>, <c>seen-again</c>, <c>reopened</c>, <c>agreed</c> (a run found no difference), <c>assigned</c>, <c>explained</c>, <c>resolved</c>.</summary>
public sealed record BreakEvent(long BreakId, Instant At, string Actor, string Action, string? Note, long? RunId);

/// <summary>What a run or an operator's action writes: breaks new or changed, and their events.</summary>
public sealed record BreakChanges(IReadOnlyList<ReconBreak> Added, IReadOnlyList<ReconBreak> Changed, IReadOnlyList<BreakEvent> Events)
{
    /// <summary>No change at all.</summary>
    public static BreakChanges None { get; } = new([], [], []);
}

/// <summary>The keys that identify a difference from one day's run to the next.</summary>
public static class BreakKeys
{
    /// <summary>A position: the account and the ISIN (its quantity may change from day to day; it is the same break).</summary>
    public static string Position(string account, string isin) => $"{account}/position/{isin}";

    /// <summary>A balance of a cash account: the account, currency and balance type.</summary>
    public static string Balance(string account, string currency, string type) => $"{account}/balance/{currency}/{type}";

    /// <summary>A movement of ours (missing at the bank, or differing): our entry ids.</summary>
    public static string Ours(string account, IEnumerable<string> ourIds) => OursPrefix(account) + string.Join('+', ourIds);

    private static string OursPrefix(string account) => $"{account}/movement/ours/";

    /// <summary>
    /// The ids of ours a movement key of <paramref name="account"/> names, or empty when the key is
    /// not one: what a later cash run carries forward while the break is open, so a movement the
    /// bank books days late still meets it.
    /// </summary>
    public static IReadOnlyList<string> OurIds(string account, string key) =>
        key.StartsWith(OursPrefix(account), StringComparison.Ordinal) ? key[OursPrefix(account).Length..].Split('+') : [];

    /// <summary>
    /// A statement entry we lack: its booking date, amount and reference, and which of the identical
    /// entries on the statement it is (<paramref name="occurrence"/>, from 1).
    /// </summary>
    public static string Theirs(string account, LocalDate bookingDate, decimal amount, string? reference, int occurrence) =>
        string.Create(CultureInfo.InvariantCulture, $"{account}/movement/theirs/{bookingDate:yyyy-MM-dd}/{amount}/{reference}/{occurrence}");
}

/// <summary>
/// Files a run's findings against the breaks already known on the same account: the pure rules of
/// the break workflow.
/// </summary>
public static class BreakBook
{
    /// <summary>
    /// What a run on <paramref name="runDate"/> changes. For each finding: a new key opens a break
    /// (first seen today); a key already open or explained is seen again (its figures, type and cause
    /// updated, its age kept); a key resolved before is reopened, keeping its first-seen date. Each
    /// known break not found again is agreed, and resolved, when the run covered it: a standing
    /// break (position or balance) always is; a movement when its date lies in
    /// [<paramref name="coveredFrom"/>, <paramref name="runDate"/>], or its key is in
    /// <paramref name="carried"/> (movements of earlier days compared again in this run). Breaks last
    /// seen by a later run are left alone (an older statement run again does not overrule a newer one).
    /// </summary>
    /// <param name="known">Every break already filed on this account and kind (any status).</param>
    /// <param name="nextId">The id the first new break gets; the others follow.</param>
    public static BreakChanges File(IReadOnlyList<ReconBreak> known, IReadOnlyList<BreakFinding> findings, string source, string account, StatementKind kind,
        LocalDate runDate, LocalDate coveredFrom, long runId, long nextId, string actor, Instant at, IReadOnlySet<string>? carried = null)
    {
        var byKey = new Dictionary<string, ReconBreak>(known.Count, StringComparer.Ordinal);
        foreach (ReconBreak b in known)
        {
            byKey[b.Key] = b;
        }
        var found = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<ReconBreak>();
        var changed = new List<ReconBreak>();
        var events = new List<BreakEvent>();
        foreach (BreakFinding f in findings)
        {
            Invariant.That(found.Add(f.Key), $"a run finds each difference once: {f.Key}");
            if (!byKey.TryGetValue(f.Key, out ReconBreak? was))
            {
                var opened = new ReconBreak(nextId++, f.Key, source, account, kind, f.Type, f.Subject, f.Standing, f.Ours, f.Theirs, f.Date, runDate, runDate,
                    BreakStatus.Open, null, f.Cause, f.Detail, runId);
                added.Add(opened);
                events.Add(new BreakEvent(opened.Id, at, actor, "found", Describe(f), runId));
                continue;
            }
            if (was.LastSeen > runDate)
            {
                continue;
            }
            bool reopened = was.Status == BreakStatus.Resolved;
            ReconBreak now = was with
            {
                Type = f.Type,
                Ours = f.Ours,
                Theirs = f.Theirs,
                Date = f.Date,
                Detail = f.Detail,
                Cause = f.Cause,
                LastSeen = runDate,
                LastRunId = runId,
                Status = reopened ? BreakStatus.Open : was.Status,
            };
            changed.Add(now);
            events.Add(new BreakEvent(was.Id, at, actor, reopened ? "reopened" : "seen-again", Describe(f), runId));
        }
        foreach (ReconBreak b in known)
        {
            if (b.Status == BreakStatus.Resolved || found.Contains(b.Key) || b.LastSeen > runDate)
            {
                continue;
            }
            if (b.Standing || (b.Date >= coveredFrom && b.Date <= runDate) || carried?.Contains(b.Key) == true)
            {
                changed.Add(b with { Status = BreakStatus.Resolved, LastRunId = runId });
                events.Add(new BreakEvent(b.Id, at, actor, "agreed", string.Create(CultureInfo.InvariantCulture, $"no difference on {runDate:yyyy-MM-dd}"), runId));
            }
        }
        return new BreakChanges(added, changed, events);
    }

    /// <summary>
    /// An operator's action on a break: <c>assign</c> (to <paramref name="owner"/>), <c>explain</c>
    /// (a note; an open break becomes explained), <c>resolve</c> (a note; the break is closed). A
    /// resolved break takes no action but a note of what happened after it closed.
    /// </summary>
    public static Result<BreakChanges> Act(ReconBreak b, string action, string? owner, string? note, string actor, Instant at)
    {
        bool hasNote = !string.IsNullOrWhiteSpace(note);
        switch (action)
        {
            case "assign":
                if (string.IsNullOrWhiteSpace(owner))
                {
                    return new Rejection("break.owner", "assign names the owner");
                }
                if (b.Status == BreakStatus.Resolved)
                {
                    return Closed(b);
                }
                return new BreakChanges([], [b with { Owner = owner, Note = hasNote ? note : b.Note }], [new BreakEvent(b.Id, at, actor, "assigned", owner + (hasNote ? ": " + note : ""), null)]);
            case "explain":
                if (!hasNote)
                {
                    return new Rejection("break.note", "explain says why the two sides differ (note)");
                }
                if (b.Status == BreakStatus.Resolved)
                {
                    return Closed(b);
                }
                return new BreakChanges([], [b with { Status = BreakStatus.Explained, Note = note }], [new BreakEvent(b.Id, at, actor, "explained", note, null)]);
            case "resolve":
                if (!hasNote)
                {
                    return new Rejection("break.note", "resolve says how the break was settled (note)");
                }
                if (b.Status == BreakStatus.Resolved)
                {
                    return Closed(b);
                }
                return new BreakChanges([], [b with { Status = BreakStatus.Resolved, Note = note }], [new BreakEvent(b.Id, at, actor, "resolved", note, null)]);
            default:
                return new Rejection("break.action", $"'{action}' is not an action on a break; actions are assign, explain and resolve");
        }
    }

    private static Rejection Closed(ReconBreak b) => new("break.resolved", string.Create(CultureInfo.InvariantCulture, $"break {b.Id} is resolved; a later run reopens it if it differs again"));

    private static string Describe(BreakFinding f) =>
        string.Create(CultureInfo.InvariantCulture, $"{Name(f.Type)} {f.Subject}: ours {f.Ours}, theirs {f.Theirs}");

    /// <summary>The word files, the CLI and the API use for a break type.</summary>
    public static string Name(BreakType type) => type switch
    {
        BreakType.MissingAtCustodian => "missing-at-custodian",
        BreakType.MissingInBooks => "missing-in-books",
        BreakType.QuantityDifference => "quantity-difference",
        BreakType.AmountDifference => "amount-difference",
        BreakType.DateDifference => "date-difference",
        _ => ((int)type).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The word for a status: open, explained, resolved.</summary>
    public static string Name(BreakStatus status) => status switch
    {
        BreakStatus.Open => "open",
        BreakStatus.Explained => "explained",
        BreakStatus.Resolved => "resolved",
        _ => ((int)status).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads a status word.</summary>
    public static BreakStatus? ParseStatus(string? text) => text switch
    {
        "open" => BreakStatus.Open,
        "explained" => BreakStatus.Explained,
        "resolved" => BreakStatus.Resolved,
        _ => null,
    };
}

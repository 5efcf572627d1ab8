using System.Globalization;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Compliance;

/// <summary>Reads one publication of a sanctions list from its files (supplied by the intake layer: OFAC's legacy CSV files).</summary>
public delegate Result<SanctionsList> SanctionsListReader(IReadOnlyList<SanctionsListFile> files, string version, LocalDate publishedOn);

/// <summary>What a screening did: the command's outcome, the list version, how many entries and names were compared, the hits, and the alerts raised.</summary>
public sealed record ScreeningRun(CommandOutcome Outcome, string? ListVersion, int Entries, int EntriesScreened, int Subjects, int Hits, IReadOnlyList<ComplianceAlert> Raised);

/// <summary>What a surveillance run did: the command's outcome, the findings, and the alerts newly raised.</summary>
public sealed record SurveillanceRun(CommandOutcome Outcome, IReadOnlyList<AlertFinding> Findings, IReadOnlyList<ComplianceAlert> Raised);

/// <summary>
/// Sanctions screening and trade surveillance on the books, and the alerts they raise. A list
/// version is imported once, its files kept as published; each import screens every name of ours
/// against what changed since the last version (the whole list the first time), and names new or
/// renamed since their last screening against the whole list. Surveillance runs the rules of
/// <see cref="Surveillance"/> over a day. An alert is raised once per finding; a compliance
/// officer disposes of it under maker-checker (<see cref="PlanDisposition"/>): a true match of a
/// sanctions alert blocks the account, and every decision keeps the list version in force.
/// </summary>
public sealed class ComplianceService(IBackOfficeStore store, CommandProcessor processor, SanctionsListReader reader)
{
    /// <summary>The source name of OFAC's SDN list.</summary>
    public const string OfacSdn = "OFAC-SDN";

    private readonly Lock _gate = new();
    private (string Version, Screener Screener)? _current;

    /// <summary>The score from which a name is a hit.</summary>
    public decimal Threshold { get; init; } = Screener.RecommendedThreshold;

    /// <summary>The names of ours that are screened: each client account's holder (or the account's name) and each party.</summary>
    public static IReadOnlyList<(string Kind, string Subject, string Name, string? Account)> Subjects(TradeReferenceData reference)
    {
        var subjects = new List<(string, string, string, string?)>();
        foreach (ClientAccount account in reference.ClientAccounts.Values.Where(a => !a.IsFirmBook).OrderBy(a => a.Code, StringComparer.Ordinal))
        {
            string name = reference.Parties.TryGetValue(account.PartyLei, out Party? holder) ? holder.Name : account.Name;
            subjects.Add(("account", account.Code, name, account.Code));
        }
        foreach (Party party in reference.Parties.Values.OrderBy(p => p.Lei, StringComparer.Ordinal))
        {
            subjects.Add(("party", party.Lei, party.Name, null));
        }
        return subjects;
    }

    /// <summary>The screener over the latest list version, or null when none was imported.</summary>
    public async Task<(string Version, Screener Screener)?> CurrentAsync(CancellationToken cancellationToken)
    {
        // The versions are a few small rows; the list's files are read (and indexed) only when the latest is not the one held.
        if (await LatestVersionAsync(cancellationToken) is not { } version)
        {
            return null;
        }
        lock (_gate)
        {
            if (_current is { } held && held.Version == version)
            {
                return held;
            }
        }
        if (await store.ReadLatestSanctionsListAsync(cancellationToken) is not { } latest)
        {
            return null;
        }
        lock (_gate)
        {
            if (_current is { } cached && cached.Version == latest.List.Version)
            {
                return cached;
            }
            Result<SanctionsList> list = reader(latest.Files, latest.List.Version, latest.List.PublishedOn);
            if (list.Rejection is { } broken)
            {
                throw new InvalidOperationException("a stored sanctions list no longer reads: " + broken);
            }
            _current = (latest.List.Version, new Screener(list.Value));
            return _current;
        }
    }

    /// <summary>The latest sanctions list version imported, or null when none was.</summary>
    public async Task<string?> LatestVersionAsync(CancellationToken cancellationToken) =>
        await store.ListSanctionsListsAsync(cancellationToken) is [.., var latest] ? latest.Version : null;

    /// <summary>Screens one name against the latest list (no record is kept): for a look-up before onboarding.</summary>
    public async Task<Result<ScreeningResult>> CheckAsync(string name, SanctionsEntryType? kind, CancellationToken cancellationToken) =>
        await CurrentAsync(cancellationToken) is { } current
            ? current.Screener.Screen(name, kind, Threshold)
            : new Rejection("sanctions.no-list", "no sanctions list is loaded; import one with compliance sanctions-import");

    /// <summary>
    /// Imports a list version from its files and screens: every name of ours against the entries
    /// added or changed since the previous version (against all of them the first time), and names
    /// new or renamed since their last screening against the whole list. The same files again are a
    /// replay; a version label already used for other files is refused.
    /// </summary>
    public async Task<ScreeningRun> ImportListAsync(IReadOnlyList<SanctionsListFile> files, string version, LocalDate publishedOn, string actor,
        CancellationToken cancellationToken)
    {
        var canonical = new StringBuilder(version).Append('\n').Append(publishedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        foreach (SanctionsListFile file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            canonical.Append('\n').Append(file.Name).Append('\n').Append(Sha256Hash.Of(file.Content));
        }
        Sha256Hash hash = Sha256Hash.Of(Encoding.UTF8.GetBytes(canonical.ToString()));
        var command = new CommandEnvelope("sanctions.import", actor, IdempotencyKey.From("sanctions/list/" + hash), hash, null);
        AuditRecord? earlier = await store.FindCommandAsync(command.Key, cancellationToken);
        if (earlier is not null)
        {
            return new ScreeningRun(new CommandOutcome(CommandStatus.Replayed, earlier.Result, null, earlier.Sequence, []), version, 0, 0, 0, 0, []);
        }
        if ((await store.ListSanctionsListsAsync(cancellationToken)).Any(l => l.Version == version))
        {
            return Refused(new Rejection("sanctions.version", $"list version '{version}' was already imported with other files; a new publication has a new version"));
        }
        Result<SanctionsList> read = reader(files, version, publishedOn);
        if (read.Rejection is { } unreadable)
        {
            return Refused(unreadable);
        }
        SanctionsList list = read.Value;
        SanctionsList changed = list;
        if (await CurrentAsync(cancellationToken) is { } previous)
        {
            changed = SanctionsListChanges.Between(previous.Screener.List, list).ToRescreen();
        }
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        IReadOnlyList<(string Kind, string Subject, string Name, string? Account)> subjects = Subjects(reference);
        Dictionary<(string, string), Screening> last = (await store.ReadScreeningsAsync(cancellationToken)).ToDictionary(s => (s.SubjectKind, s.Subject));
        // Names never screened or renamed since: the whole list; the others: what changed.
        var fresh = subjects.Where(s => !last.TryGetValue((s.Kind, s.Subject), out Screening? seen) || seen.Name != s.Name).ToList();
        var known = subjects.Except(fresh).ToList();
        var full = new Screener(list);
        var hits = new List<(int Index, ScreeningResult Result)>();
        Screen(full, fresh, hits, 0);
        if (changed.Entries.Count > 0 && known.Count > 0)
        {
            Screen(ReferenceEquals(changed, list) ? full : new Screener(changed), known, hits, fresh.Count);
        }
        var screened = fresh.Concat(known).ToList();
        var listRecord = new StoredSanctionsList(0, OfacSdn, version, publishedOn, list.Entries.Count, hash, processor.Clock.GetCurrentInstant());
        ScreeningRun run = await RecordAsync(command, screened, hits, list, listRecord, files,
            string.Create(CultureInfo.InvariantCulture,
                $"imported {OfacSdn} {version} ({list.Entries.Count} entries, {changed.Entries.Count} new or changed); screened {fresh.Count} names against the whole list and {known.Count} against what changed"),
            cancellationToken);
        if (run.Outcome.Status == CommandStatus.Accepted)
        {
            lock (_gate)
            {
                _current = (version, full);
            }
        }
        return run with { Entries = list.Entries.Count, EntriesScreened = changed.Entries.Count };
    }

    /// <summary>
    /// Screens the names of ours never screened against the latest list, or renamed since (onboarding):
    /// each against the whole list. Nothing to screen is a no-op.
    /// </summary>
    public async Task<ScreeningRun> ScreenAsync(string actor, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(cancellationToken) is not { } current)
        {
            return Refused(new Rejection("sanctions.no-list", "no sanctions list is loaded; import one with compliance sanctions-import"));
        }
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        Dictionary<(string, string), Screening> last = (await store.ReadScreeningsAsync(cancellationToken)).ToDictionary(s => (s.SubjectKind, s.Subject));
        var fresh = Subjects(reference).Where(s => !last.TryGetValue((s.Kind, s.Subject), out Screening? seen) || seen.Name != s.Name || seen.ListVersion != current.Version)
            .ToList();
        if (fresh.Count == 0)
        {
            return new ScreeningRun(new CommandOutcome(CommandStatus.Replayed, $"every name is screened against {current.Version}", null, null, []), current.Version,
                current.Screener.List.Entries.Count, 0, 0, 0, []);
        }
        var hits = new List<(int Index, ScreeningResult Result)>();
        Screen(current.Screener, fresh, hits, 0);
        string digest = Digest(fresh.Select(s => s.Kind + "/" + s.Subject + "/" + s.Name).Prepend(current.Version));
        var command = new CommandEnvelope("sanctions.screen", actor, IdempotencyKey.From("sanctions/screen/" + digest), Sha256Hash.Of(Encoding.UTF8.GetBytes(digest)), null);
        ScreeningRun run = await RecordAsync(command, fresh, hits, current.Screener.List, null, [],
            string.Create(CultureInfo.InvariantCulture, $"screened {fresh.Count} new or renamed names against {current.Version}"), cancellationToken);
        return run with { Entries = current.Screener.List.Entries.Count, EntriesScreened = current.Screener.List.Entries.Count };
    }

    /// <summary>
    /// Screens a cash withdrawal's beneficiary before it is paid. A hit raises an alert (on the
    /// paying account) and the caller refuses the payment; no list loaded is a refusal too.
    /// </summary>
    public async Task<ScreeningRun> ScreenBeneficiaryAsync(string account, string beneficiary, string actor, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(cancellationToken) is not { } current)
        {
            return Refused(new Rejection("sanctions.no-list", "no sanctions list is loaded: a beneficiary cannot be screened"));
        }
        var subject = ("beneficiary", account + "/" + beneficiary, beneficiary, (string?)account);
        var hits = new List<(int Index, ScreeningResult Result)>();
        Screen(current.Screener, [subject], hits, 0);
        string digest = Digest([current.Version, account, beneficiary]);
        var command = new CommandEnvelope("sanctions.screen-beneficiary", actor, IdempotencyKey.From("sanctions/beneficiary/" + digest),
            Sha256Hash.Of(Encoding.UTF8.GetBytes(digest)), null);
        return await RecordAsync(command, [subject], hits, current.Screener.List, null, [],
            $"screened beneficiary '{beneficiary}' of {account} against {current.Version}", cancellationToken);
    }

    private void Screen(Screener screener, List<(string Kind, string Subject, string Name, string? Account)> subjects, List<(int, ScreeningResult)> hits, int offset)
    {
        IReadOnlyList<Result<ScreeningResult>> results = screener.ScreenAll([.. subjects.Select(s => new ScreeningSubject(s.Subject, s.Name, null))], Threshold);
        for (int i = 0; i < results.Count; i++)
        {
            if (results[i].IsAccepted && results[i].Value.Hits.Count > 0)
            {
                hits.Add((offset + i, results[i].Value));
            }
        }
    }

    private async Task<ScreeningRun> RecordAsync(CommandEnvelope command, List<(string Kind, string Subject, string Name, string? Account)> subjects,
        List<(int Index, ScreeningResult Result)> hits, SanctionsList list, StoredSanctionsList? listRecord, IReadOnlyList<SanctionsListFile> files, string summary,
        CancellationToken cancellationToken)
    {
        Instant now = processor.Clock.GetCurrentInstant();
        LocalDate today = now.InUtc().Date;
        var findings = new List<AlertFinding>();
        var hitCount = new Dictionary<int, int>();
        foreach ((int index, ScreeningResult result) in hits)
        {
            (string kind, string subject, string name, string? account) = subjects[index];
            hitCount[index] = result.Hits.Count;
            foreach (ScreeningHit hit in result.Hits)
            {
                SanctionsEntry entry = list.Find(hit.Uid)!;
                findings.Add(new AlertFinding(AlertKind.Sanctions, AlertRules.SanctionsKey(kind, subject, name, entry), kind, subject, account, today,
                    $"'{name}' ({kind} {subject}) against {list.Version}: {hit.Explain()}", hit.Score, list.Version, hit.Uid));
            }
        }
        var raised = new List<ComplianceAlert>();
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            raised.Clear();
            (long lastAlert, long lastList) = await unitOfWork.ReadLastComplianceIdsAsync(ct);
            raised.AddRange(await NewAlertsAsync(unitOfWork, findings, lastAlert, ct));
            var screenings = subjects.Select((s, i) => new Screening(s.Kind, s.Subject, s.Name, list.Version, hitCount.GetValueOrDefault(i), now)).ToList();
            return new CommandEffects([], null, summary + string.Create(CultureInfo.InvariantCulture,
                $": {findings.Count} hits, {raised.Count} new alerts"))
            {
                Compliance = new ComplianceRecords
                {
                    List = listRecord is null ? null : listRecord with { Id = lastList + 1 },
                    ListFiles = files,
                    Screenings = screenings,
                    Raised = raised,
                    Actor = command.Actor,
                },
            };
        }, dryRun: false, cancellationToken);
        return new ScreeningRun(outcome, list.Version, list.Entries.Count, 0, subjects.Count, findings.Count, outcome.Status == CommandStatus.Accepted ? raised : []);
    }

    // The findings not raised before, as alerts numbered after lastAlert (one per key).
    private static async Task<List<ComplianceAlert>> NewAlertsAsync(IWriteUnitOfWork unitOfWork, IReadOnlyList<AlertFinding> findings, long lastAlert, CancellationToken ct)
    {
        IReadOnlySet<string> known = await unitOfWork.FindAlertKeysAsync([.. findings.Select(f => f.Key).Distinct()], ct);
        var seen = new HashSet<string>(known, StringComparer.Ordinal);
        var raised = new List<ComplianceAlert>();
        foreach (AlertFinding f in findings)
        {
            if (seen.Add(f.Key))
            {
                raised.Add(new ComplianceAlert(lastAlert + raised.Count + 1, f.Kind, f.Key, f.SubjectKind, f.Subject, f.Account, f.RaisedOn, f.Detail, f.Score,
                    f.ListVersion, f.EntryUid, AlertStatus.Open));
            }
        }
        return raised;
    }

    /// <summary>
    /// Surveys <paramref name="date"/>: the day's active trades against the restricted list, wash
    /// trades and the accounts' usual sizes, and the end-of-day holdings (valued) against the
    /// limits. Findings already raised are not raised again, so a rerun raises nothing.
    /// </summary>
    public async Task<SurveillanceRun> SurveyAsync(LocalDate date, SurveillanceSettings settings, string actor, CancellationToken cancellationToken)
    {
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        IReadOnlyList<TradeVersion> trades = await store.ListTradesAsync(new TradeQuery(TradeDate: date, Status: TradeStatus.Active, Limit: int.MaxValue), cancellationToken);
        var accounts = trades.Select(t => t.Account).ToHashSet(StringComparer.Ordinal);
        var history = new List<TradeVersion>();
        await foreach (TradeVersion t in store.ReadActiveTradesInExecutionOrderAsync(date.PlusDays(-1), cancellationToken))
        {
            if (accounts.Contains(t.Account))
            {
                history.Add(t);
            }
        }
        (IReadOnlyList<RestrictedInstrument> restricted, IReadOnlyList<TradingLimit> limits) = await store.ReadSurveillanceSettingsAsync(cancellationToken);
        var holdings = new List<Holding>();
        if (limits.Count > 0)
        {
            Valuation valuation = await new ValuationService(store).ValueAsync(date, 5, null, cancellationToken);
            holdings.AddRange(valuation.Lines.Where(l => l.Quantity != 0m).Select(l => new Holding(l.Account, l.Instrument, l.Quantity, l.MarketValueBase)));
        }
        IReadOnlyList<AlertFinding> findings = Surveillance.Survey(date, trades, history, reference.ClientAccounts, restricted, limits, holdings, settings);
        string digest = Digest(findings.Select(f => f.Key).Prepend(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var command = new CommandEnvelope("surveillance.run", actor, IdempotencyKey.From("surveillance/" + digest), Sha256Hash.Of(Encoding.UTF8.GetBytes(digest)), null);
        var raised = new List<ComplianceAlert>();
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            raised.Clear();
            (long lastAlert, _) = await unitOfWork.ReadLastComplianceIdsAsync(ct);
            raised.AddRange(await NewAlertsAsync(unitOfWork, findings, lastAlert, ct));
            return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture,
                $"surveyed {trades.Count} trades and {holdings.Count} holdings of {date:yyyy-MM-dd}: {findings.Count} findings, {raised.Count} new alerts"))
            {
                Compliance = new ComplianceRecords { Raised = raised, Actor = actor },
            };
        }, dryRun: false, cancellationToken);
        return new SurveillanceRun(outcome, findings, outcome.Status == CommandStatus.Accepted ? raised : []);
    }

    /// <summary>
    /// The decision a checker's approval carries out: alert <paramref name="alertId"/> disposed of as
    /// <paramref name="disposition"/> for <paramref name="reason"/>, proposed by <paramref name="maker"/>,
    /// keeping the sanctions list version in force; a true match of a sanctions alert blocks the
    /// account (a party's: every account it holds). Refused when the alert is unknown or already
    /// disposed of.
    /// </summary>
    public Result<(string Summary, Decide Decide)> PlanDisposition(long alertId, AlertDisposition disposition, string reason, string maker)
    {
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"alert {alertId}: {(disposition == AlertDisposition.TrueMatch ? "true match" : "false positive")}: {reason.Trim()}");
        return (summary, async (unitOfWork, ct) =>
        {
            IReadOnlyList<ComplianceAlert> found = await unitOfWork.ListAlertsAsync(new AlertQuery(Id: alertId, Limit: 1), ct);
            if (found.Count == 0)
            {
                return new Rejection("alert.unknown", string.Create(CultureInfo.InvariantCulture, $"there is no alert {alertId}"));
            }
            ComplianceAlert alert = found[0];
            if (AlertRules.CheckDisposition(alert, disposition, reason) is { } refused)
            {
                return refused;
            }
            string? version = await LatestVersionAsync(ct);
            string? decidedVersion = alert.Kind == AlertKind.Sanctions ? version ?? alert.ListVersion : null;
            AlertStatus status = disposition == AlertDisposition.TrueMatch ? AlertStatus.TrueMatch : AlertStatus.FalsePositive;
            var decision = new AlertDecision(alertId, status, reason.Trim(), maker, decidedVersion, processor.Clock.GetCurrentInstant());
            ReferenceChanges? blocks = null;
            string blocked = "";
            if (status == AlertStatus.TrueMatch && alert.Kind == AlertKind.Sanctions)
            {
                TradeReferenceData reference = await store.ReadTradeReferenceAsync(ct);
                var accounts = reference.ClientAccounts.Values.Where(a => !a.IsFirmBook && a.Status != ClientAccountStatus.Blocked
                    && (a.Code == alert.Account || (alert.SubjectKind == "party" && a.PartyLei == alert.Subject)))
                    .OrderBy(a => a.Code, StringComparer.Ordinal).Select(a => a with { Status = ClientAccountStatus.Blocked }).ToList();
                if (accounts.Count > 0)
                {
                    blocks = new ReferenceChanges { ClientAccounts = accounts };
                    blocked = "; blocked " + string.Join(", ", accounts.Select(a => a.Code));
                }
            }
            return new CommandEffects([], blocks, string.Create(CultureInfo.InvariantCulture, $"alert {alertId} {AlertRules.Name(status)}{blocked}"))
            {
                Compliance = new ComplianceRecords { Decisions = [decision], Actor = maker },
            };
        }
        );
    }

    private static string Digest(IEnumerable<string> parts) => Sha256Hash.Of(Encoding.UTF8.GetBytes(string.Join('\n', parts))).ToString();

    private static ScreeningRun Refused(Rejection rejection) =>
        new(new CommandOutcome(CommandStatus.Rejected, rejection.ToString(), rejection, null, []), null, 0, 0, 0, 0, []);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Approvals;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Json;

namespace BackOffice.Host.Api;

/// <summary>
/// The commands held for approval, with how each payload reads: a manual journal entry (an entry
/// of the journal entry format, docs/reference/formats.md), a new user, a break's adjusting entry,
/// and the others below. The payload is kept as the maker sent it (or as the API restates it);
/// the checker sees it and approves its hash.
/// </summary>
public static class ApprovalKinds
{
    /// <summary>A manual journal entry.</summary>
    public const string JournalEntry = "journal.entry";

    /// <summary>A new user with a role.</summary>
    public const string UserAdd = "user.add";

    /// <summary>A change of reference data: instruments, client accounts, SSIs, ... as a reference-data file.</summary>
    public const string ReferenceChange = "reference.change";

    /// <summary>An exception booked again, with repairs.</summary>
    public const string ExceptionResubmit = "exception.resubmit";

    /// <summary>A booked trade corrected or busted by the back office.</summary>
    public const string TradeCorrection = "trade.correction";

    /// <summary>The books reopened from a date inside the closed period.</summary>
    public const string PeriodReopen = "period.reopen";

    /// <summary>A user's role, branch or name changed, or the user deactivated or activated again.</summary>
    public const string UserChange = "user.change";

    /// <summary>A cash withdrawal above the limit.</summary>
    public const string CashWithdrawal = "cash.withdrawal";

    /// <summary>An adjusting entry that books what a reconciliation break shows and resolves the break.</summary>
    public const string BreakAdjustment = "break.adjustment";

    /// <summary>A compliance alert disposed of as a true match or a false positive.</summary>
    public const string AlertDisposition = "alert.disposition";

    private sealed record Resubmission(long? ExceptionId, Dictionary<string, string>? Repairs);

    /// <summary>Every kind this server carries out.</summary>
    public static IReadOnlyList<ApprovalKind> All(IBackOfficeStore store, Application.Trading.TradeService trades, Application.Holds.HoldService holds, NodaTime.IClock clock,
        Application.Compliance.ComplianceService compliance) =>
    [
        new(TradeCorrection, Permission.TradesRead, payload => ReadCorrection(trades, payload)),
        new(PeriodReopen, Permission.LedgerRead, ReadReopen),
        new(UserChange, Permission.UsersManage, payload => ReadUserChange(store, payload)),
        new(CashWithdrawal, Permission.HoldsRead, payload => ReadWithdrawal(holds, payload)),
        new(ExceptionResubmit, Permission.TradesRead, payload =>
        {
            Resubmission? request;
            try
            {
                request = JsonSerializer.Deserialize<Resubmission>(payload, Json);
            }
            catch (JsonException e)
            {
                return new Rejection("json.shape", "a resubmission is {exception_id, repairs: {field: value}}: " + e.Message);
            }
            return request is { ExceptionId: { } id }
                ? trades.PlanResubmit(id, request.Repairs ?? [])
                : new Rejection("exception.unknown", "a resubmission names its exception_id");
        }),
        new(JournalEntry, Permission.LedgerRead, ReadJournalEntry),
        new(UserAdd, Permission.UsersManage, payload => ReadUser(store, payload)),
        new(ReferenceChange, Permission.LedgerRead, ReadReferenceChange)
        {
            // Onboarding: client accounts and parties approved in are screened at once, when a sanctions list is loaded.
            AfterApproval = async (checker, ct) =>
            {
                if (await compliance.LatestVersionAsync(ct) is not null)
                {
                    await compliance.ScreenAsync(checker, ct);
                }
            },
        },
        new(BreakAdjustment, Permission.ReconOperate, payload => ReadAdjustment(payload, clock)),
        new(AlertDisposition, Permission.ComplianceOperate, payload => ReadDisposition(compliance, payload)),
    ];

    /// <summary>A disposition: <c>{"alert_id": 3, "disposition": "true-match|false-positive", "reason": "...", "proposed_by": "alice"}</c>.</summary>
    internal sealed record DispositionRequest(long? AlertId, string? Disposition, string? Reason, string? ProposedBy);

    /// <summary>The payload the API holds for a disposition: the maker's words restated with the maker's name.</summary>
    internal static string DispositionPayload(long alertId, string disposition, string reason, string maker) =>
        JsonSerializer.Serialize(new DispositionRequest(alertId, disposition, reason, maker), Json);

    private static Result<(string Summary, Decide Decide)> ReadDisposition(Application.Compliance.ComplianceService compliance, string payload)
    {
        DispositionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<DispositionRequest>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a disposition is {alert_id, disposition: true-match|false-positive, reason, proposed_by}: " + e.Message);
        }
        if (request is not { AlertId: { } id, ProposedBy: { Length: > 0 } maker } || Domain.Compliance.AlertRules.ParseDisposition(request.Disposition) is not { } disposition)
        {
            return new Rejection("alert.disposition", "a disposition names alert_id, disposition (true-match or false-positive), reason and proposed_by");
        }
        string reason = request.Reason ?? "";
        if (reason.Trim().Length is 0 or > Domain.Compliance.AlertRules.ReasonLengthMax)
        {
            return new Rejection("alert.reason", $"a disposition needs a reason of 1 to {Domain.Compliance.AlertRules.ReasonLengthMax} characters");
        }
        return compliance.PlanDisposition(id, disposition, reason, maker);
    }

    /// <summary>A correction after booking: <c>{"trade_id": 7, "action": "correct", "changes": {"price": "101.5"}, "reason": "..."}</c>.</summary>
    internal sealed record Correction(long? TradeId, string? Action, Dictionary<string, string>? Changes, string? Reason);

    private static Result<(string Summary, Decide Decide)> ReadCorrection(Application.Trading.TradeService trades, string payload)
    {
        Correction? request;
        try
        {
            request = JsonSerializer.Deserialize<Correction>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a correction is {trade_id, action: correct|bust, changes: {field: value}, reason}: " + e.Message);
        }
        if (request is not { TradeId: { } id, Action: "correct" or "bust" })
        {
            return new Rejection("correction.shape", "a correction names trade_id and action (correct or bust)");
        }
        // The tag ties the new version to this exact request: carried out twice, it books once.
        string tag = Sha256Hash.Of(Encoding.UTF8.GetBytes(payload)).ToString()[..12];
        return trades.PlanCorrection(id, request.Action == "bust", request.Changes ?? [], request.Reason ?? "", tag);
    }

    private sealed record Reopen(string? From, string? Reason);

    /// <summary>A period reopen: <c>{"from": "2026-11-20", "reason": "..."}</c>; the books stay closed through the day before.</summary>
    private static Result<(string Summary, Decide Decide)> ReadReopen(string payload)
    {
        Reopen? request;
        try
        {
            request = JsonSerializer.Deserialize<Reopen>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a reopen is {from, reason}: " + e.Message);
        }
        if (!ApiServer.TryDate(request?.From, out NodaTime.LocalDate? from) || from is null)
        {
            return new Rejection("period.reopen-date", "a reopen names the first date to open again (from, yyyy-MM-dd)");
        }
        if (string.IsNullOrWhiteSpace(request!.Reason))
        {
            return new Rejection("period.reopen-reason", "a reopen says why (reason)");
        }
        Domain.Primitives.Result<CommandEffects> effects = Application.Periods.PeriodService.Reopen(from.Value, request.Reason);
        return ($"reopen the books from {ApiServer.Iso(from.Value)}: {request.Reason}", (_, _) => Task.FromResult(effects));
    }

    private sealed record UserUpdate(string? Name, string? DisplayName, string? Role, string? Branch, bool? Active);

    /// <summary>
    /// A change to a user: <c>{"name": "...", "role": "...", "branch": "..." or "" (firm-wide), "display_name": "...", "active": false}</c>;
    /// fields left out stay as they are.
    /// </summary>
    private static Result<(string Summary, Decide Decide)> ReadUserChange(IBackOfficeStore store, string payload)
    {
        UserUpdate? request;
        try
        {
            request = JsonSerializer.Deserialize<UserUpdate>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a user change is {name, display_name, role, branch, active}: " + e.Message);
        }
        if (request is not { Name: { } name })
        {
            return new Rejection("user.name", "a user change names the user (name)");
        }
        Role? role = null;
        if (request.Role is { } roleName && (role = Roles.Parse(roleName)) is null)
        {
            return new Rejection("user.role", $"role must be one of {string.Join(", ", Roles.All.Select(Roles.Name))}");
        }
        if (request is { Role: null, Branch: null, DisplayName: null, Active: null })
        {
            return new Rejection("user.change", "a user change changes at least one of display_name, role, branch, active");
        }
        var parts = new List<string>();
        if (role is { } r)
        {
            parts.Add("role " + Roles.Name(r));
        }
        if (request.Branch is { } b)
        {
            parts.Add(b.Length == 0 ? "firm-wide" : "branch " + b);
        }
        if (request.DisplayName is { } d)
        {
            parts.Add("display name " + d);
        }
        if (request.Active is { } active)
        {
            parts.Add(active ? "activated" : "deactivated");
        }
        string summary = $"change user {name}: {string.Join(", ", parts)}";
        return (summary, async (_, ct) =>
        {
            if (await store.FindUserAsync(name, ct) is not { User: { } current })
            {
                return new Rejection("user.unknown", $"there is no user '{name}'");
            }
            var changed = current with
            {
                Role = role ?? current.Role,
                Branch = request.Branch is { } branch ? (branch.Length == 0 ? null : branch) : current.Branch,
                DisplayName = request.DisplayName ?? current.DisplayName,
                Active = request.Active ?? current.Active,
            };
            if (User.Check(changed.Name, changed.DisplayName) is { } invalid)
            {
                return invalid;
            }
            return changed == current
                ? new Rejection("user.unchanged", $"user {name} already is as asked")
                : new CommandEffects([], null, summary) { Access = new AccessChanges { Users = [(changed, null)] } };
        }
        );
    }

    /// <summary>A withdrawal above the limit: <c>{"account": "...", "currency": "USD", "amount": 25000, "reference": "...", "value_date": "2026-11-30"}</c>.</summary>
    internal sealed record WithdrawalRequest(string? Account, string? Currency, decimal? Amount, string? Reference, string? ValueDate, string? Beneficiary = null);

    /// <summary>
    /// The withdrawal a request body asks for, or the rule it breaks. Its value date defaults to
    /// <paramref name="today"/>; with none (a request held for approval), it must be stated.
    /// </summary>
    internal static Result<Domain.Holds.Withdrawal> ReadWithdrawal(string payload, NodaTime.LocalDate? today)
    {
        WithdrawalRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<WithdrawalRequest>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a withdrawal is {account, currency, amount, reference, value_date}: " + e.Message);
        }
        if (request is not { Account: { } account, Currency: { } currency, Amount: { } amount, Reference: { } reference })
        {
            return new Rejection("withdrawal.request", "a withdrawal needs account, currency, amount and reference");
        }
        if (!ApiServer.TryDate(request.ValueDate, out NodaTime.LocalDate? valueDate))
        {
            return new Rejection("withdrawal.value-date", $"value_date must be a date as yyyy-MM-dd, not '{request.ValueDate}'");
        }
        if ((valueDate ?? today) is not { } paidOn)
        {
            return new Rejection("withdrawal.value-date", "a withdrawal held for approval names its value_date");
        }
        return new Domain.Holds.Withdrawal(account, currency, amount, reference, paidOn);
    }

    private static Result<(string Summary, Decide Decide)> ReadWithdrawal(Application.Holds.HoldService holds, string payload)
    {
        Result<Domain.Holds.Withdrawal> read = ReadWithdrawal(payload, null);
        if (read.Rejection is { } rejection)
        {
            return rejection;
        }
        Domain.Holds.Withdrawal w = read.Value;
        return (string.Create(CultureInfo.InvariantCulture, $"withdraw {w.Amount} {w.Currency} from {w.Account} on {ApiServer.Iso(w.ValueDate)} (reference {w.Reference})"),
            holds.Withdraw(w));
    }

    private sealed record ReferenceFile(string? Kind, string? Format, string? Content);

    /// <summary>
    /// A reference-data change: <c>{"kind": "ssis", "format": "csv", "content": "..."}</c>, the
    /// content exactly as a file for <c>backoffice refdata import</c> (docs/reference/formats.md).
    /// It is validated against the reference data when requested and again when approved.
    /// </summary>
    private static Result<(string Summary, Decide Decide)> ReadReferenceChange(string payload)
    {
        ReferenceFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ReferenceFile>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a reference change is {kind, format, content}: " + e.Message);
        }
        if (file is not { Kind: { } kindName, Content: { } content } || !Intake.ReferenceData.ReferenceDataFile.KindNames.TryGetValue(kindName, out var kind))
        {
            return new Rejection("reference.kind", $"kind must be one of {string.Join(", ", Intake.ReferenceData.ReferenceDataFile.KindNames.Keys)}");
        }
        if (file.Format is not (null or "csv" or "json"))
        {
            return new Rejection("reference.format", "format is csv (the default) or json");
        }
        Result<Intake.ReferenceData.ParsedReferenceFile> parsed = Intake.ReferenceData.ReferenceDataFile.Parse(kind, "request", content, file.Format == "json");
        if (parsed.Rejection is { } rejection)
        {
            return rejection;
        }
        Domain.ReferenceData.ReferenceChanges changes = parsed.Value.Changes;
        string summary = string.Create(CultureInfo.InvariantCulture, $"{kindName}: {changes.Count} rows");
        return (summary, async (unitOfWork, ct) =>
        {
            Domain.ReferenceData.KnownReference known = await unitOfWork.ReadKnownReferenceAsync(ct);
            if (Domain.ReferenceData.ReferenceRules.Validate(changes, known, parsed.Value.Locations) is { } invalid)
            {
                return invalid;
            }
            return new CommandEffects([], changes, $"changed {summary}");
        }
        );
    }

    private static Result<(string Summary, Decide Decide)> ReadJournalEntry(string payload)
    {
        Result<ParsedEntryFile> parsed = JournalEntryFile.Parse("request", Encoding.UTF8.GetBytes("[" + payload + "]"));
        if (parsed.Rejection is { } rejection)
        {
            return rejection;
        }
        if (parsed.Value.Entries.Count != 1)
        {
            return new Rejection("approval.payload", "a journal entry request holds exactly one entry");
        }
        JournalEntryRequest entry = parsed.Value.Entries[0];
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"journal entry {entry.Key} dated {entry.EffectiveDate:yyyy-MM-dd}: {entry.Reason} ({entry.Postings.Count} postings)");
        return (summary, async (unitOfWork, ct) =>
        {
            Result<IReadOnlyList<JournalEntryDraft>> drafts = await EntryDrafts.DecideAsync(unitOfWork, [entry], ct);
            if (drafts.Rejection is { } refused)
            {
                return refused;
            }
            if ((await unitOfWork.FindEntryKeysAsync([entry.Key], ct)).TryGetValue(entry.Key, out BookedKey booked))
            {
                return new Rejection("entry.key-used", $"an entry with key '{entry.Key}' is already booked (entry {booked.EntryId})");
            }
            return new CommandEffects(drafts.Value, null, $"booked manual entry {entry.Key}");
        }
        );
    }

    /// <summary>A break adjustment as held: the break, and one entry of the journal entry format.</summary>
    private sealed record Adjustment(long? BreakId, JsonElement? Entry);

    /// <summary>
    /// The payload of a break adjustment, <c>{"break_id": 4, "entry": {...}}</c>, as the API
    /// restates a maker's <c>{"entry": {...}}</c> posted to the break.
    /// </summary>
    internal static string AdjustmentPayload(long breakId, JsonElement entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("break_id", breakId);
            writer.WritePropertyName("entry");
            entry.WriteTo(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// An adjusting entry for a break: the entry is read as a manual entry is, and carried out by
    /// <see cref="Application.Reconciliation.ReconciliationService.PlanAdjustment"/>, which books it
    /// and resolves the break in one command (refused if the break is resolved by then).
    /// </summary>
    private static Result<(string Summary, Decide Decide)> ReadAdjustment(string payload, NodaTime.IClock clock)
    {
        Adjustment? request;
        try
        {
            request = JsonSerializer.Deserialize<Adjustment>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a break adjustment is {break_id, entry: {a journal entry}}: " + e.Message);
        }
        if (request is not { BreakId: { } breakId, Entry: { ValueKind: JsonValueKind.Object } entryJson })
        {
            return new Rejection("adjustment.shape", "a break adjustment names break_id and holds one journal entry as an object (entry)");
        }
        Result<ParsedEntryFile> parsed = JournalEntryFile.Parse("request", Encoding.UTF8.GetBytes("[" + entryJson.GetRawText() + "]"));
        if (parsed.Rejection is { } rejection)
        {
            return rejection;
        }
        JournalEntryRequest entry = parsed.Value.Entries[0];
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"adjusting entry {entry.Key} for break {breakId}, dated {entry.EffectiveDate:yyyy-MM-dd}: {entry.Reason} ({entry.Postings.Count} postings)");
        return (summary, Application.Reconciliation.ReconciliationService.PlanAdjustment(breakId, entry, clock));
    }

    private sealed record NewUser(string Name, string? DisplayName, string Role, string? Branch);

    private static Result<(string Summary, Decide Decide)> ReadUser(IBackOfficeStore store, string payload)
    {
        NewUser? request;
        try
        {
            request = JsonSerializer.Deserialize<NewUser>(payload, Json);
        }
        catch (JsonException e)
        {
            return new Rejection("json.shape", "a user request is {name, display_name, role, branch}: " + e.Message);
        }
        if (request is null || Roles.Parse(request.Role ?? "") is not { } role)
        {
            return new Rejection("user.role", $"role must be one of {string.Join(", ", Roles.All.Select(Roles.Name))}");
        }
        var user = new User(request.Name ?? "", request.DisplayName ?? request.Name ?? "", role, request.Branch, Active: true);
        if (User.Check(user.Name, user.DisplayName) is { } invalid)
        {
            return invalid;
        }
        string summary = $"new user {user.Name} as {Roles.Name(role)}{(user.Branch is null ? "" : " in branch " + user.Branch)}";
        return (summary, async (_, ct) =>
        {
            if (await store.FindUserAsync(user.Name, ct) is not null)
            {
                return new Rejection("user.exists", $"there is already a user '{user.Name}'");
            }
            return new CommandEffects([], null, $"added user {user.Name} ({Roles.Name(role)})") { Access = new Domain.Access.AccessChanges { Users = [(user, null)] } };
        }
        );
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}

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
/// of the journal entry format, docs/reference/formats.md) and a new user. The payload is kept
/// as the maker sent it; the checker sees it and approves its hash.
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

    private sealed record Resubmission(long? ExceptionId, Dictionary<string, string>? Repairs);

    /// <summary>Every kind this server carries out.</summary>
    public static IReadOnlyList<ApprovalKind> All(IBackOfficeStore store, Application.Trading.TradeService trades) =>
    [
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
        new(ReferenceChange, Permission.LedgerRead, ReadReferenceChange),
    ];

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

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };
}

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

    /// <summary>Every kind this server carries out.</summary>
    public static IReadOnlyList<ApprovalKind> All(IBackOfficeStore store) =>
    [
        new(JournalEntry, Permission.LedgerRead, ReadJournalEntry),
        new(UserAdd, Permission.UsersManage, payload => ReadUser(store, payload)),
    ];

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

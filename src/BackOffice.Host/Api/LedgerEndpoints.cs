using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>
/// The journal: GET /api/v1/journal/entries searches it (dates, ledger account, source) a window at a
/// time, and /journal/entries/{id} reads one booked entry with its postings, as the audit trail holds it.
/// </summary>
internal static class LedgerEndpoints
{
    internal sealed record EntryView(long Id, long AuditSequence, string EffectiveDate, string RecordedAt, string Reason, string SourceReference, long? Reverses,
        long? ReversedBy, string Key, IReadOnlyList<PostingView> Postings);

    internal sealed record PostingView(string LedgerAccount, string Asset, string Direction, decimal Amount);

    internal sealed record EntrySummary(long Id, long AuditSequence, string EffectiveDate, string RecordedAt, string Reason, string SourceReference, long? Reverses,
        string Key, IReadOnlyList<PostingView> Postings);

    internal sealed record EntryPageView(IReadOnlyList<EntrySummary> Items, string? Next);

    /// <summary>The most entries one page holds.</summary>
    public const int PageMax = 500;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/journal/entries", async (string? from, string? to, string? knownAt, string? account, string? source, string? cursor, int? limit, HttpContext http,
            Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(from, out NodaTime.LocalDate? start) || !ApiServer.TryDate(to, out NodaTime.LocalDate? end))
            {
                return ApiServer.BadRequest("query.date", "from and to, when given, are dates as yyyy-MM-dd", "from");
            }
            if (!ApiServer.TryInstant(knownAt, out NodaTime.Instant? known))
            {
                return ApiServer.BadInstant(knownAt);
            }
            long after = 0;
            if (!string.IsNullOrEmpty(cursor) && (!long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after) || after < 0))
            {
                return ApiServer.BadRequest("query.cursor", "cursor must be the next value of a previous page", "cursor");
            }
            int size = limit ?? 100;
            if (size is < 1 or > PageMax)
            {
                return ApiServer.BadRequest("query.limit", $"limit must be 1 to {PageMax}", "limit");
            }
            ReferenceLookup reference = await services.Store.ReadAllReferenceAsync(ct);
            if (account is not null && !reference.LedgerAccounts.ContainsKey(account))
            {
                return ApiServer.BadRequest("query.account", $"there is no ledger account '{account}'", "account");
            }
            BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
            if (account is not null && scope is not null && scope.HidesSubLedger(account))
            {
                return ApiServer.BadRequest("query.account", $"there is no ledger account '{account}'", "account");
            }
            EntryPage page = await services.Store.SearchEntriesAsync(new EntryQuery(after, size, start, end, account, string.IsNullOrEmpty(source) ? null : source, KnownAt: known), ct);
            var items = new List<EntrySummary>(page.Entries.Count);
            foreach (JournalEntry entry in page.Entries)
            {
                PostingView[] postings = Postings(entry, reference);
                // A branch user sees an entry only when no client sub-ledger it touches is another branch's.
                if (scope is null || !postings.Any(p => scope.HidesSubLedger(p.LedgerAccount)))
                {
                    items.Add(new EntrySummary(entry.Id.Value, entry.AuditSequence.Value, ApiServer.Iso(entry.EffectiveDate), entry.RecordedAt.ToString(), entry.Reason,
                        entry.SourceReference, entry.Reverses?.Value, entry.Key.Value, postings));
                }
            }
            return Results.Ok(new EntryPageView(items, page.NextAfterId?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }).WithName("journal-entries").WithSummary(
            "Searches the journal, oldest first: effective dates from to, recorded by knownAt, a ledger account (a control account includes its sub-ledgers), a source-reference prefix. " +
            "A page covers at most 100,000 entry ids; follow next until it is null, even past a page with fewer items than limit (up to 500)")
            .RequireAuthorization(Permission.LedgerRead);

        api.MapGet("/journal/entries/{id:long}", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            JournalEntry? entry = id > 0 ? await services.Store.ReadEntryAsync(new JournalEntryId(id), ct) : null;
            if (entry is null)
            {
                return ApiServer.NotFound("entry.unknown", $"there is no journal entry {id}");
            }
            PostingView[] postings = Postings(entry, await services.Store.ReadAllReferenceAsync(ct));
            // A branch user reads an entry only when no client sub-ledger it touches is another branch's.
            if (await BranchScope.ForAsync(http, services, ct) is { } scope && postings.Any(p => scope.HidesSubLedger(p.LedgerAccount)))
            {
                return ApiServer.NotFound("entry.unknown", $"there is no journal entry {id}");
            }
            JournalEntryId? reversedBy = await services.Store.FindReversalOfAsync(entry.Id, ct);
            return Results.Ok(new EntryView(entry.Id.Value, entry.AuditSequence.Value, ApiServer.Iso(entry.EffectiveDate), entry.RecordedAt.ToString(), entry.Reason,
                entry.SourceReference, entry.Reverses?.Value, reversedBy?.Value, entry.Key.Value, postings));
        }).WithName("journal-entry").WithSummary("One journal entry: dates, reason, source, the entry it reverses or that reverses it, and its postings")
            .RequireAuthorization(Permission.LedgerRead);
    }

    private static PostingView[] Postings(JournalEntry entry, ReferenceLookup reference) =>
        [.. entry.Postings.Select(p =>
        {
            Asset asset = reference.AssetsById[p.Asset];
            return new PostingView(reference.LedgerAccountsById[p.LedgerAccount].Code, asset.Code, p.Direction.ToString().ToLowerInvariant(), asset.ToAmount(Math.Abs(p.Units)));
        })];
}

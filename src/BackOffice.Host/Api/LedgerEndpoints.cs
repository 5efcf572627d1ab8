using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>GET /api/v1/journal/entries/{id}: one booked entry with its postings, as the audit trail holds it.</summary>
internal static class LedgerEndpoints
{
    internal sealed record EntryView(long Id, long AuditSequence, string EffectiveDate, string RecordedAt, string Reason, string SourceReference, long? Reverses,
        long? ReversedBy, string Key, IReadOnlyList<PostingView> Postings);

    internal sealed record PostingView(string LedgerAccount, string Asset, string Direction, decimal Amount);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/journal/entries/{id:long}", async (long id, HttpContext http, Services services, CancellationToken ct) =>
        {
            JournalEntry? entry = id > 0 ? await services.Store.ReadEntryAsync(new JournalEntryId(id), ct) : null;
            if (entry is null)
            {
                return ApiServer.NotFound("entry.unknown", $"there is no journal entry {id}");
            }
            ReferenceLookup reference = await services.Store.ReadAllReferenceAsync(ct);
            PostingView[] postings = [.. entry.Postings.Select(p =>
            {
                Asset asset = reference.AssetsById[p.Asset];
                return new PostingView(reference.LedgerAccountsById[p.LedgerAccount].Code, asset.Code, p.Direction.ToString().ToLowerInvariant(), asset.ToAmount(Math.Abs(p.Units)));
            })];
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

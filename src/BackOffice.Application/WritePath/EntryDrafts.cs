using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;

namespace BackOffice.Application.WritePath;

/// <summary>Entry requests decided against the chart as a command's transaction sees it.</summary>
public static class EntryDrafts
{
    /// <summary>
    /// Resolves every account and asset the requests name in one look-up, then decides each
    /// (<see cref="EntryRules.Decide"/>); the first that cannot be booked is the rejection, located at its key.
    /// </summary>
    public static async Task<Result<IReadOnlyList<JournalEntryDraft>>> DecideAsync(IWriteUnitOfWork unitOfWork, IReadOnlyList<JournalEntryRequest> requests,
        CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return new List<JournalEntryDraft>();
        }
        ReferenceLookup lookup = await unitOfWork.ResolveAsync([.. requests.SelectMany(r => r.Postings.Select(p => p.LedgerAccountCode)).Distinct()],
            [.. requests.SelectMany(r => r.Postings.Select(p => p.AssetCode)).Distinct()], cancellationToken);
        var drafts = new List<JournalEntryDraft>(requests.Count);
        foreach (JournalEntryRequest request in requests)
        {
            Result<JournalEntryDraft> draft = EntryRules.Decide(request, lookup.LedgerAccounts, lookup.Assets);
            if (draft.Rejection is { } refused)
            {
                return refused.At(request.Key);
            }
            drafts.Add(draft.Value);
        }
        return drafts;
    }
}

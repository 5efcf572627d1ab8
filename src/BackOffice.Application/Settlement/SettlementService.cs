using BackOffice.Application.Ports;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Settlement;

/// <summary>Settlement read from the books: the obligations due on a date and how they net.</summary>
public sealed class SettlementService(IBackOfficeStore store)
{
    /// <summary>Every active trade due to settle on <paramref name="date"/>, as an obligation, by trade id.</summary>
    public async Task<List<SettlementObligation>> ObligationsDueAsync(LocalDate date, CancellationToken cancellationToken)
    {
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        var due = new List<SettlementObligation>();
        await foreach (SettlingTrade trade in store.ReadActiveTradesSettlingOnAsync(date, cancellationToken))
        {
            int minorUnits = reference.Currencies.TryGetValue(trade.Currency, out Currency? currency) ? currency.MinorUnits : 2;
            due.Add(Obligations.Of(trade, reference.FindByIsin(trade.Isin), minorUnits));
        }
        return due;
    }

    /// <summary>Checks every item on every core; the first rejection, in the items' order, or null when all pass.</summary>
    public static Rejection? Check<T>(IReadOnlyList<T> items, Func<T, Rejection?> check)
    {
        var rejections = new Rejection?[items.Count];
        Parallel.For(0, items.Count, i => rejections[i] = check(items[i]));
        return rejections.FirstOrDefault(r => r is not null);
    }

    /// <summary>
    /// The obligations after netting: bilateral with counterparties under an agreement, multilateral
    /// against every party with the clearing-house role.
    /// </summary>
    public async Task<IReadOnlyList<NetSettlement>> NetAsync(IReadOnlyList<SettlementObligation> due, CancellationToken cancellationToken)
    {
        HashSet<string> ccps = (await store.ReadTradeReferenceAsync(cancellationToken)).Parties.Values.Where(p => p.Role == PartyRole.ClearingHouse)
            .Select(p => p.Lei).ToHashSet(StringComparer.Ordinal);
        return Netting.Bilateral(due, await store.ReadNettingAgreementsAsync(cancellationToken), ccps);
    }
}

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

    /// <summary>
    /// One sese.023 per obligation, built and validated on every core, in the obligations' order;
    /// the first that cannot be (no SSI, a schema error) is the rejection, and then there are none.
    /// </summary>
    public static Result<string[]> Instructions(IReadOnlyList<SettlementObligation> due, Func<SettlementObligation, Result<string>> write) => Build(due, write);

    /// <summary>Checks every item on every core; the first rejection, in the items' order, or null when all pass.</summary>
    public static Rejection? Check<T>(IReadOnlyList<T> items, Func<T, Rejection?> check)
    {
        var rejections = new Rejection?[items.Count];
        Parallel.For(0, items.Count, i => rejections[i] = check(items[i]));
        return rejections.FirstOrDefault(r => r is not null);
    }

    /// <summary>Builds one message per item on every core, in order; the first rejection (in order) is the result, and then there are none.</summary>
    public static Result<string[]> Build<T>(IReadOnlyList<T> due, Func<T, Result<string>> write)
    {
        var messages = new Result<string>[due.Count];
        Parallel.For(0, due.Count, i => messages[i] = write(due[i]));
        foreach (Result<string> message in messages)
        {
            if (message.Rejection is { } refused)
            {
                return refused;
            }
        }
        return messages.Select(m => m.Value).ToArray();
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

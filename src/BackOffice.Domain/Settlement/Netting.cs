using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Domain.Settlement;

/// <summary>
/// Obligations settled as one: with a counterparty under a netting agreement, in one instrument,
/// settlement date and currency. Quantities and cash are signed from the firm's side: positive
/// is received, negative delivered (or paid).
/// </summary>
public sealed record NetSettlement(string Counterparty, string Isin, LocalDate SettlementDate, string Currency, IReadOnlyList<SettlementObligation> Members)
{
    /// <summary>Units (or face) received, less those delivered.</summary>
    public decimal NetQuantity => Members.Sum(m => m.Delivers ? -m.Quantity : m.Quantity);

    /// <summary>Cash received, less cash paid.</summary>
    public decimal NetAmount => Members.Sum(m => !m.AgainstPayment ? 0m : m.Delivers ? m.Amount : -m.Amount);

    /// <summary>The members' cash, unnetted.</summary>
    public decimal GrossAmount => Members.Sum(m => m.AgainstPayment ? m.Amount : 0m);

    /// <summary>The members' quantities, unnetted.</summary>
    public decimal GrossQuantity => Members.Sum(m => m.Quantity);

    /// <summary>True when the group is more than one obligation (a group of one settles gross).</summary>
    public bool Netted => Members.Count > 1;
}

/// <summary>What netting did to a day's obligations, per currency: the value that settles gross and net, and the share netted away.</summary>
public sealed record NettingSummary(string Currency, int Obligations, int Settlements, decimal GrossAmount, decimal NetAmount)
{
    /// <summary>The share of the gross value netted away (0 to 1), or 0 when nothing settles.</summary>
    public decimal Efficiency => GrossAmount == 0m ? 0m : (GrossAmount - NetAmount) / GrossAmount;
}

/// <summary>Netting of settlement obligations: bilateral under agreements, multilateral against a central counterparty.</summary>
public static class Netting
{
    /// <summary>
    /// Groups the obligations with a counterparty whose netting agreement is in force on their
    /// settlement date, or that is a central counterparty (<paramref name="centralCounterparties"/>:
    /// trades cleared through it are novated to it, so all of the day's trades in an instrument net
    /// against it whoever executed them, CNS-style), by instrument, settlement date and currency;
    /// every other obligation is a group of its own. Groups come ordered by counterparty,
    /// instrument, date and currency.
    /// </summary>
    public static IReadOnlyList<NetSettlement> Bilateral(IEnumerable<SettlementObligation> obligations, IReadOnlyList<NettingAgreement> agreements,
        IReadOnlySet<string>? centralCounterparties = null)
    {
        // Whether a counterparty nets on a date is asked once per pair, not once per obligation.
        var nets = new Dictionary<(string, LocalDate), bool>();
        bool Nets(SettlementObligation o)
        {
            if (!nets.TryGetValue((o.Counterparty, o.SettlementDate), out bool answer))
            {
                answer = nets[(o.Counterparty, o.SettlementDate)] = centralCounterparties?.Contains(o.Counterparty) == true
                    || agreements.Any(a => a.Counterparty == o.Counterparty && a.EffectiveFrom <= o.SettlementDate && (a.EffectiveTo is not { } to || o.SettlementDate < to));
            }
            return answer;
        }
        var groups = new List<NetSettlement>();
        var netted = new List<SettlementObligation>();
        foreach (SettlementObligation o in obligations)
        {
            if (Nets(o))
            {
                netted.Add(o);
            }
            else
            {
                // Settles gross: a group of its own, without hashing it into a group.
                groups.Add(new NetSettlement(o.Counterparty, o.Isin, o.SettlementDate, o.Currency, [o]));
            }
        }
        foreach (var group in netted.GroupBy(o => (o.Counterparty, o.Isin, o.SettlementDate, o.Currency)))
        {
            groups.Add(new NetSettlement(group.Key.Counterparty, group.Key.Isin, group.Key.SettlementDate, group.Key.Currency, [.. group.OrderBy(o => o.TradeId)]));
        }
        groups.Sort(static (x, y) =>
        {
            int c = string.CompareOrdinal(x.Counterparty, y.Counterparty);
            if (c == 0)
            {
                c = string.CompareOrdinal(x.Isin, y.Isin);
            }
            if (c == 0)
            {
                c = x.SettlementDate.CompareTo(y.SettlementDate);
            }
            if (c == 0)
            {
                c = string.CompareOrdinal(x.Currency, y.Currency);
            }
            return c != 0 ? c : x.Members[0].TradeId.CompareTo(y.Members[0].TradeId);
        });
        return groups;
    }

    /// <summary>Gross against net value per currency: the value is the cash that moves, gross per obligation, net per settlement.</summary>
    public static IReadOnlyList<NettingSummary> Summarise(IReadOnlyList<NetSettlement> settlements) =>
        [.. settlements.GroupBy(s => s.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new NettingSummary(g.Key, g.Sum(s => s.Members.Count), g.Count(), g.Sum(s => s.GrossAmount), g.Sum(s => Math.Abs(s.NetAmount))))];
}

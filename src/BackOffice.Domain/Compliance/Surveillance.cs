using System.Globalization;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Compliance;

/// <summary>An instrument the firm may not trade (or not without compliance's say) from a date, until a date.</summary>
public sealed record RestrictedInstrument(string Isin, LocalDate From, LocalDate? To, string Reason)
{
    /// <summary>True when the restriction is in force on <paramref name="day"/>.</summary>
    public bool InForce(LocalDate day) => day >= From && (To is not { } to || day < to);
}

/// <summary>
/// A limit on positions: of one account (or every account, <c>*</c>) in one instrument (or every
/// instrument, <c>*</c>): the most units held long or short, and the largest share of the
/// account's holdings at market value one instrument may be (0.25 is a quarter). Each measure
/// comes from the most specific row that sets it: account and instrument, then account, then
/// instrument, then both <c>*</c>.
/// </summary>
public sealed record TradingLimit(string Account, string Instrument, decimal? MaxPosition, decimal? MaxConcentration)
{
    /// <summary>The wildcard for every account or every instrument.</summary>
    public const string Any = "*";
}

/// <summary>An account's end-of-day holding in one instrument: the quantity and, when priced, its market value in the account's currency.</summary>
public sealed record Holding(string Account, string Isin, decimal Quantity, decimal? MarketValue);

/// <summary>What the surveillance rules are tuned by.</summary>
/// <param name="WashWindow">A buy and a sale of one instrument at one price by one owner within this much time are a wash.</param>
/// <param name="SizeMultiple">A trade whose consideration is more than this many times the median of the account's earlier trades is unusual.</param>
/// <param name="SizeHistoryMin">The fewest earlier trades (in the trade's currency) an account needs before its trades are judged by size.</param>
/// <param name="SizeHistoryMax">How many of the latest earlier trades the median is taken over.</param>
public sealed record SurveillanceSettings(Duration WashWindow, decimal SizeMultiple, int SizeHistoryMin, int SizeHistoryMax)
{
    /// <summary>Ten minutes, five times the median, at least five earlier trades, the median of the last fifty.</summary>
    public static SurveillanceSettings Default { get; } = new(Duration.FromMinutes(10), 5m, 5, 50);
}

/// <summary>
/// Trade surveillance as pure rules over one day's trades and end-of-day holdings, each finding
/// keyed by what it is about so a rerun raises nothing twice:
/// <list type="bullet">
/// <item>wash trades: a trade whose counterparty is the account's own beneficial owner, or a buy and
/// a sale of one instrument at one price by accounts of one beneficial owner (the same account, or
/// two accounts of one holder) within the window;</item>
/// <item>trades in an instrument on the restricted list on the trade date;</item>
/// <item>holdings above their position limit, or above their share of the account's holdings;</item>
/// <item>trades whose consideration is far above the account's usual (the median of its earlier
/// trades in the same currency).</item>
/// </list>
/// The beneficial owner of a client account is its holder's LEI; of a firm book, the firm.
/// </summary>
public static class Surveillance
{
    /// <summary>The owner the firm's own books share.</summary>
    public const string FirmOwner = "(firm)";

    /// <summary>The findings of <paramref name="day"/>.</summary>
    /// <param name="day">The business date surveyed.</param>
    /// <param name="trades">The latest version of each active trade of the day.</param>
    /// <param name="history">Each account's earlier active trades (before the day), any order.</param>
    /// <param name="accounts">Client accounts and firm books by code.</param>
    /// <param name="restricted">The restricted list.</param>
    /// <param name="limits">The position and concentration limits.</param>
    /// <param name="holdings">End-of-day holdings.</param>
    /// <param name="settings">The rules' tuning.</param>
    public static IReadOnlyList<AlertFinding> Survey(LocalDate day, IReadOnlyList<TradeVersion> trades, IReadOnlyList<TradeVersion> history,
        IReadOnlyDictionary<string, ClientAccount> accounts, IReadOnlyList<RestrictedInstrument> restricted, IReadOnlyList<TradingLimit> limits,
        IReadOnlyList<Holding> holdings, SurveillanceSettings settings)
    {
        var findings = new List<AlertFinding>();
        findings.AddRange(WashTrades(day, trades, accounts, settings.WashWindow));
        findings.AddRange(Restricted(day, trades, restricted));
        findings.AddRange(Limits(day, holdings, limits));
        findings.AddRange(UnusualSizes(day, trades, history, settings));
        return findings;
    }

    /// <summary>The beneficial owner of <paramref name="account"/>: its holder's LEI, or <see cref="FirmOwner"/> for a firm book.</summary>
    public static string Owner(string account, IReadOnlyDictionary<string, ClientAccount> accounts)
    {
        if (!accounts.TryGetValue(account, out ClientAccount? a))
        {
            return "account " + account;
        }
        return a.IsFirmBook ? FirmOwner : a.PartyLei.Length > 0 ? a.PartyLei : "account " + account;
    }

    private static IEnumerable<AlertFinding> WashTrades(LocalDate day, IReadOnlyList<TradeVersion> trades, IReadOnlyDictionary<string, ClientAccount> accounts,
        Duration window)
    {
        foreach (TradeVersion t in trades)
        {
            if (accounts.TryGetValue(t.Account, out ClientAccount? account) && !account.IsFirmBook && account.PartyLei == t.Counterparty)
            {
                yield return new AlertFinding(AlertKind.WashTrade, $"wash-trade/{N(t.TradeId)}", "trade", N(t.TradeId), t.Account, day,
                    $"trade {N(t.TradeId)}: {Side(t)} {Q(t.Quantity)} {t.Isin} at {Q(t.Price)} for {t.Account} with counterparty {t.Counterparty}, the account's own holder: the same beneficial owner on both sides");
            }
        }
        // Buys and sales of one instrument at one price by one owner, in execution order.
        foreach (IGrouping<(string Isin, decimal Price, string Owner), TradeVersion> group in trades.Where(t => t.ExecutedAt is not null)
            .GroupBy(t => (t.Isin, t.Price, Owner(t.Account, accounts))))
        {
            TradeVersion[] ordered = [.. group.OrderBy(t => t.ExecutedAt).ThenBy(t => t.TradeId)];
            for (int i = 0; i < ordered.Length; i++)
            {
                for (int j = i + 1; j < ordered.Length && ordered[j].ExecutedAt!.Value - ordered[i].ExecutedAt!.Value <= window; j++)
                {
                    if (ordered[i].Side == ordered[j].Side)
                    {
                        continue;
                    }
                    TradeVersion buy = ordered[i].Side == TradeSide.Buy ? ordered[i] : ordered[j];
                    TradeVersion sell = ordered[i].Side == TradeSide.Buy ? ordered[j] : ordered[i];
                    long first = Math.Min(buy.TradeId, sell.TradeId), second = Math.Max(buy.TradeId, sell.TradeId);
                    Duration apart = ordered[j].ExecutedAt!.Value - ordered[i].ExecutedAt!.Value;
                    string who = buy.Account == sell.Account ? $"account {buy.Account}" : $"accounts {buy.Account} and {sell.Account} (one holder, {group.Key.Owner})";
                    yield return new AlertFinding(AlertKind.WashTrade, $"wash-trade/{N(first)}/{N(second)}", "trade", $"{N(first)},{N(second)}", buy.Account, day,
                        $"trades {N(buy.TradeId)} (buy {Q(buy.Quantity)}) and {N(sell.TradeId)} (sell {Q(sell.Quantity)}) of {group.Key.Isin} at the same price " +
                        $"{Q(group.Key.Price)}, {(long)apart.TotalSeconds} s apart, by {who}");
                }
            }
        }
    }

    private static IEnumerable<AlertFinding> Restricted(LocalDate day, IReadOnlyList<TradeVersion> trades, IReadOnlyList<RestrictedInstrument> restricted)
    {
        foreach (TradeVersion t in trades)
        {
            if (restricted.FirstOrDefault(r => r.Isin == t.Isin && r.InForce(t.TradeDate)) is { } rule)
            {
                yield return new AlertFinding(AlertKind.RestrictedList, $"restricted-list/{N(t.TradeId)}", "trade", N(t.TradeId), t.Account, day,
                    $"trade {N(t.TradeId)}: {Side(t)} {Q(t.Quantity)} {t.Isin} for {t.Account}; the instrument is restricted from {rule.From:yyyy-MM-dd}: {rule.Reason}");
            }
        }
    }

    /// <summary>
    /// The limits that apply to <paramref name="account"/> in <paramref name="isin"/>, each measure
    /// from the most specific row that sets it (account and instrument, then account, then
    /// instrument, then both <c>*</c>); null when no row sets either.
    /// </summary>
    public static TradingLimit? LimitFor(string account, string isin, IReadOnlyList<TradingLimit> limits)
    {
        TradingLimit?[] rows =
        [
            limits.FirstOrDefault(l => l.Account == account && l.Instrument == isin),
            limits.FirstOrDefault(l => l.Account == account && l.Instrument == TradingLimit.Any),
            limits.FirstOrDefault(l => l.Account == TradingLimit.Any && l.Instrument == isin),
            limits.FirstOrDefault(l => l.Account == TradingLimit.Any && l.Instrument == TradingLimit.Any),
        ];
        decimal? position = rows.FirstOrDefault(r => r?.MaxPosition is not null)?.MaxPosition;
        decimal? concentration = rows.FirstOrDefault(r => r?.MaxConcentration is not null)?.MaxConcentration;
        return position is null && concentration is null ? null : new TradingLimit(account, isin, position, concentration);
    }

    private static IEnumerable<AlertFinding> Limits(LocalDate day, IReadOnlyList<Holding> holdings, IReadOnlyList<TradingLimit> limits)
    {
        if (limits.Count == 0)
        {
            yield break;
        }
        var totals = holdings.GroupBy(h => h.Account).ToDictionary(g => g.Key, g => g.Sum(h => Math.Abs(h.MarketValue ?? 0m)));
        foreach (Holding h in holdings.OrderBy(h => h.Account, StringComparer.Ordinal).ThenBy(h => h.Isin, StringComparer.Ordinal))
        {
            if (LimitFor(h.Account, h.Isin, limits) is not { } limit)
            {
                continue;
            }
            if (limit.MaxPosition is { } max && Math.Abs(h.Quantity) > max)
            {
                yield return new AlertFinding(AlertKind.PositionLimit, $"position-limit/{h.Account}/{h.Isin}/{day:yyyy-MM-dd}", "account", h.Account, h.Account, day,
                    $"{h.Account} holds {Q(h.Quantity)} {h.Isin} at the end of {day:yyyy-MM-dd}; its limit is {Q(max)}");
            }
            if (limit.MaxConcentration is { } share && h.MarketValue is { } value && totals[h.Account] > 0m)
            {
                decimal weight = Math.Abs(value) / totals[h.Account];
                if (weight > share)
                {
                    yield return new AlertFinding(AlertKind.Concentration, $"concentration/{h.Account}/{h.Isin}/{day:yyyy-MM-dd}", "account", h.Account, h.Account, day,
                        string.Create(CultureInfo.InvariantCulture,
                            $"{h.Isin} is {weight:P1} of {h.Account}'s holdings at market value at the end of {day:yyyy-MM-dd}; the limit is {share:P1}"),
                        Score: Math.Round(weight, 4, MidpointRounding.AwayFromZero));
                }
            }
        }
    }

    private static IEnumerable<AlertFinding> UnusualSizes(LocalDate day, IReadOnlyList<TradeVersion> trades, IReadOnlyList<TradeVersion> history,
        SurveillanceSettings settings)
    {
        var earlier = history.GroupBy(t => (t.Account, t.Currency)).ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.TradeDate)
            .ThenByDescending(t => t.ExecutedAt).ThenByDescending(t => t.TradeId).Take(settings.SizeHistoryMax).Select(t => Math.Abs(t.Gross)).ToList());
        foreach (TradeVersion t in trades)
        {
            if (!earlier.TryGetValue((t.Account, t.Currency), out List<decimal>? past) || past.Count < settings.SizeHistoryMin)
            {
                continue;
            }
            decimal median = Median(past);
            if (median > 0m && Math.Abs(t.Gross) > settings.SizeMultiple * median)
            {
                decimal times = Math.Round(Math.Abs(t.Gross) / median, 1, MidpointRounding.AwayFromZero);
                yield return new AlertFinding(AlertKind.UnusualSize, $"unusual-size/{N(t.TradeId)}", "trade", N(t.TradeId), t.Account, day,
                    string.Create(CultureInfo.InvariantCulture,
                        $"trade {t.TradeId}: {Side(t)} {t.Isin} for {t.Account}, {t.Currency} {Math.Abs(t.Gross)}: {times} times the median of its last {past.Count} trades ({median})"),
                    Score: times);
            }
        }
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static decimal Median(IReadOnlyList<decimal> values)
    {
        decimal[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Q(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Side(TradeVersion t) => t.Side == TradeSide.Buy ? "buy" : "sell";
}

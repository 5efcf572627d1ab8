using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Tests.Compliance;

/// <summary>
/// Surveillance over a generated day of ordinary trading with planted wash trades, a restricted
/// instrument traded, limit breaches and an outsized trade: exactly the planted findings are
/// raised, and near misses (outside the window, different owners, same side, an expired
/// restriction) are not.
/// </summary>
public sealed class SurveillanceTests
{
    private static readonly LocalDate Day = new(2026, 11, 25);
    private static readonly Instant Open = Instant.FromUtc(2026, 11, 25, 8, 0);
    private const string Broker = "5493000DEMO0BROKER41";

    private static TradeVersion Trade(long id, string account, TradeSide side, string isin, decimal quantity, decimal price, Instant at, LocalDate? date = null,
        string counterparty = Broker) => new()
        {
            TradeId = id,
            Version = 1,
            Action = TradeAction.New,
            Status = TradeStatus.Active,
            Source = "OMS",
            SourceTradeId = "T" + id,
            PayloadHash = Sha256Hash.Zero,
            Side = side,
            Isin = isin,
            Market = "XPAR",
            Quantity = quantity,
            Price = price,
            Currency = "EUR",
            Account = account,
            Counterparty = counterparty,
            TradeDate = date ?? Day,
            ExecutedAt = at,
            SettlementDate = (date ?? Day).PlusDays(2),
            Gross = decimal.Round(quantity * price, 2),
            Charges = [],
            AccruedInterest = 0m,
            Net = decimal.Round(quantity * price, 2),
            AuditSequence = new AuditSequence(id),
            SourceMessage = "",
        };

    private static ClientAccount Account(string code, string holder) => new(code, code, holder, "EUR", "PAR", ClientAccountStatus.Open, new LocalDate(2024, 1, 1));

    private static string Lei(int n) => "HOLDER" + n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + "00";

    private static string Isin(int n) => "FR" + n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture) + "0";

    [Fact]
    public void A_generated_day_raises_exactly_the_planted_findings()
    {
        var random = new Random(20261125);
        var accounts = new Dictionary<string, ClientAccount>(StringComparer.Ordinal);
        for (int a = 0; a < 200; a++)
        {
            accounts["C-" + a] = Account("C-" + a, Lei(a));
        }
        // Two accounts of one holder; a firm book.
        accounts["J-1"] = Account("J-1", Lei(900));
        accounts["J-2"] = Account("J-2", Lei(900));
        accounts["PROP"] = ClientAccount.ForBook(new Book("PROP", "Proprietary", BookType.Proprietary, "EUR"));

        // Ordinary trading: every price different, sizes within a band of 2.5 times, a history of twenty trades an account.
        long id = 0;
        int tick = 0;
        var history = new List<TradeVersion>();
        var trades = new List<TradeVersion>();
        for (int a = 0; a < 200; a++)
        {
            for (int h = 0; h < 20; h++)
            {
                history.Add(Trade(++id, "C-" + a, random.Next(2) == 0 ? TradeSide.Buy : TradeSide.Sell, Isin(random.Next(50)), random.Next(40, 101),
                    100m + (++tick * 0.0001m), Open.Minus(Duration.FromDays(1 + h)), Day.PlusDays(-1 - h)));
            }
        }
        for (int i = 0; i < 2000; i++)
        {
            trades.Add(Trade(++id, "C-" + random.Next(200), random.Next(2) == 0 ? TradeSide.Buy : TradeSide.Sell, Isin(random.Next(50)), random.Next(40, 101),
                100m + (++tick * 0.0001m), Open + Duration.FromSeconds(random.Next(0, 8 * 3600))));
        }

        // Planted: one account buys and sells at one price 3 minutes apart.
        trades.Add(Trade(9001, "C-7", TradeSide.Buy, Isin(3), 40, 77.77m, Open + Duration.FromMinutes(60)));
        trades.Add(Trade(9002, "C-7", TradeSide.Sell, Isin(3), 40, 77.77m, Open + Duration.FromMinutes(63)));
        // Planted: two accounts of one holder, 5 minutes apart.
        trades.Add(Trade(9003, "J-1", TradeSide.Sell, Isin(4), 25, 66.66m, Open + Duration.FromMinutes(120)));
        trades.Add(Trade(9004, "J-2", TradeSide.Buy, Isin(4), 25, 66.66m, Open + Duration.FromMinutes(125)));
        // Planted: the account's own holder as counterparty.
        trades.Add(Trade(9005, "C-9", TradeSide.Buy, Isin(5), 30, 55.55m, Open + Duration.FromMinutes(130), counterparty: Lei(9)));
        // Near misses: 30 minutes apart; two holders; one side; another price.
        trades.Add(Trade(9011, "C-8", TradeSide.Buy, Isin(6), 40, 44.44m, Open + Duration.FromMinutes(60)));
        trades.Add(Trade(9012, "C-8", TradeSide.Sell, Isin(6), 40, 44.44m, Open + Duration.FromMinutes(90)));
        trades.Add(Trade(9013, "C-10", TradeSide.Buy, Isin(7), 40, 33.33m, Open + Duration.FromMinutes(60)));
        trades.Add(Trade(9014, "C-11", TradeSide.Sell, Isin(7), 40, 33.33m, Open + Duration.FromMinutes(61)));
        trades.Add(Trade(9015, "C-12", TradeSide.Buy, Isin(8), 40, 22.22m, Open + Duration.FromMinutes(60)));
        trades.Add(Trade(9016, "C-12", TradeSide.Buy, Isin(8), 40, 22.22m, Open + Duration.FromMinutes(61)));
        // Planted: a restricted instrument traded; another whose restriction ended yesterday.
        var restricted = new List<RestrictedInstrument>
        {
            new("FR9999999990", Day.PlusDays(-10), null, "the firm advises the issuer on a merger"),
            new("FR8888888880", Day.PlusDays(-10), Day, "research blackout ended"),
        };
        trades.Add(Trade(9021, "C-20", TradeSide.Buy, "FR9999999990", 15, 12.34m, Open + Duration.FromMinutes(200)));
        trades.Add(Trade(9022, "C-21", TradeSide.Buy, "FR8888888880", 15, 12.35m, Open + Duration.FromMinutes(200)));
        // Planted: a trade thirty times the account's usual.
        trades.Add(Trade(9031, "C-30", TradeSide.Buy, Isin(9), 1500, 100.01m, Open + Duration.FromMinutes(300)));

        // Limits: 10,000 units anywhere; C-40 may not hold more than half its holdings in one name.
        var limits = new List<TradingLimit> { new("*", "*", 10_000m, null), new("C-40", "*", null, 0.5m) };
        var holdings = new List<Holding>
        {
            new("C-40", Isin(1), 100m, 6_000m),
            new("C-40", Isin(2), 100m, 4_000m),
            new("C-41", Isin(1), 12_000m, 600_000m),
            new("C-42", Isin(1), -10_000m, -500_000m),
            new("C-43", Isin(1), 100m, 9_000m),
            new("C-43", Isin(2), 100m, 1_000m),
        };

        IReadOnlyList<AlertFinding> findings = Surveillance.Survey(Day, trades, history, accounts, restricted, limits, holdings, SurveillanceSettings.Default);

        Assert.Equal(
        [
            "concentration/C-40/FR0000000010/2026-11-25",
            "position-limit/C-41/FR0000000010/2026-11-25",
            "restricted-list/9021",
            "unusual-size/9031",
            "wash-trade/9001/9002",
            "wash-trade/9003/9004",
            "wash-trade/9005",
        ], findings.Select(f => f.Key).Order(StringComparer.Ordinal));
        AlertFinding pair = findings.Single(f => f.Key == "wash-trade/9003/9004");
        Assert.Equal("trades 9004 (buy 25) and 9003 (sell 25) of FR0000000040 at the same price 66.66, 300 s apart, by accounts J-2 and J-1 (one holder, HOLDER00000000090000)",
            pair.Detail);
        Assert.Equal(0.6m, findings.Single(f => f.Kind == AlertKind.Concentration).Score);
    }

    [Fact]
    public void Each_measure_comes_from_the_most_specific_limit_that_sets_it()
    {
        var limits = new List<TradingLimit> { new("*", "*", 100m, null), new("*", "X", 200m, null), new("A", "*", 300m, null), new("A", "X", 400m, null) };
        Assert.Equal(400m, Surveillance.LimitFor("A", "X", limits)!.MaxPosition);
        Assert.Equal(300m, Surveillance.LimitFor("A", "Y", limits)!.MaxPosition);
        Assert.Equal(200m, Surveillance.LimitFor("B", "X", limits)!.MaxPosition);
        Assert.Equal(100m, Surveillance.LimitFor("B", "Y", limits)!.MaxPosition);
        Assert.Null(Surveillance.LimitFor("B", "Y", []));
        // Each measure from the most specific row that sets it.
        var mixed = new List<TradingLimit> { new("*", "*", 100m, null), new("A", "*", null, 0.5m) };
        Assert.Equal((100m, 0.5m), (Surveillance.LimitFor("A", "X", mixed)!.MaxPosition, Surveillance.LimitFor("A", "X", mixed)!.MaxConcentration));
        Assert.Null(Surveillance.LimitFor("B", "X", mixed)!.MaxConcentration);
    }

    [Fact]
    public void An_account_with_too_short_a_history_is_not_judged_by_size()
    {
        var accounts = new Dictionary<string, ClientAccount> { ["A"] = Account("A", Lei(1)) };
        TradeVersion[] history = [.. Enumerable.Range(1, 4).Select(i => Trade(i, "A", TradeSide.Buy, Isin(1), 10, 10m + i, Open.Minus(Duration.FromDays(i)), Day.PlusDays(-i)))];
        TradeVersion big = Trade(100, "A", TradeSide.Buy, Isin(1), 10_000, 10m, Open);
        Assert.Empty(Surveillance.Survey(Day, [big], history, accounts, [], [], [], SurveillanceSettings.Default));
        TradeVersion fifth = Trade(5, "A", TradeSide.Buy, Isin(1), 10, 15m, Open.Minus(Duration.FromDays(5)), Day.PlusDays(-5));
        Assert.Equal("unusual-size/100", Assert.Single(Surveillance.Survey(Day, [big], [.. history, fifth], accounts, [], [], [], SurveillanceSettings.Default)).Key);
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two() =>
        Assert.Equal((3m, 2.5m), (Surveillance.Median([5m, 1m, 3m]), Surveillance.Median([4m, 1m, 3m, 2m])));
}

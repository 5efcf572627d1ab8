using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.Trading;

public sealed class TradeRulesTests
{
    private static string Rule(TradeRequest request) => TradeRules.Enrich(request, TradingData.Reference()).Rejection?.Rule ?? "accepted";

    [Fact]
    public void Each_rule_names_what_is_wrong()
    {
        TradeRequest good = TradingData.Buy();
        Assert.Equal("accepted", Rule(good));
        Assert.Equal("trade.source", Rule(good with { Source = "" }));
        Assert.Equal("trade.source-id", Rule(good with { SourceTradeId = "has space" }));
        Assert.Equal("trade.instrument-unknown", Rule(good with { Instrument = new InstrumentReference(InstrumentIdType.Isin, "US5949181045") }));
        Assert.Equal("trade.instrument-unknown", Rule(good with { Instrument = new InstrumentReference(InstrumentIdType.Ticker, "AAPL"), Market = "XNYS" }));
        Assert.Equal("trade.account-unknown", Rule(good with { Account = "C-NOPE" }));
        Assert.Equal("trade.account-closed", Rule(good with { Account = "C-CLOSED" }));
        Assert.Equal("trade.counterparty-unknown", Rule(good with { Counterparty = "5493000DEMO0NOBODY00" }));
        Assert.Equal("trade.quantity-not-positive", Rule(good with { Quantity = 0m }));
        Assert.Equal("trade.quantity-not-positive", Rule(good with { Quantity = -5m }));
        Assert.Equal("trade.quantity-not-positive", Rule(good with { Quantity = 79_228_162_514_264_337_593_543_950_335m }));
        Assert.Equal("trade.quantity-precision", Rule(good with { Quantity = 10.5m }));
        Assert.Equal("trade.price-not-positive", Rule(good with { Price = 0m }));
        Assert.Equal("trade.currency-mismatch", Rule(good with { Currency = "EUR" }));
        Assert.Equal("trade.market-unknown", Rule(good with { Market = "XTKS" }));
        // 2026-11-26 is Thanksgiving: Nasdaq is closed.
        Assert.Equal("trade.date-not-business-day", Rule(good with { TradeDate = new LocalDate(2026, 11, 26) }));
        Assert.Equal("trade.date-not-business-day", Rule(good with { TradeDate = new LocalDate(2026, 11, 28) }));
        Assert.Equal("trade.settlement-date", Rule(good with { SettlementDate = new LocalDate(2026, 11, 24) }));
        Assert.Equal("trade.commission", Rule(good with { Commission = -1m }));
    }

    [Fact]
    public void Instruments_are_found_by_isin_cusip_sedol_or_ticker_and_market()
    {
        TradeRequest good = TradingData.Buy();
        Assert.Equal("accepted", Rule(good with { Instrument = new InstrumentReference(InstrumentIdType.Cusip, "037833100") }));
        Assert.Equal("accepted", Rule(good with { Instrument = new InstrumentReference(InstrumentIdType.Ticker, "AAPL"), Market = "XNAS" }));
        Assert.Equal("accepted", Rule(good with
        {
            Instrument = new InstrumentReference(InstrumentIdType.Sedol, "BH4HKS3"),
            Market = "XLON",
            Currency = "GBP",
        }));
        // Fund units may have decimal places (the instrument's quantity scale is 4).
        Assert.Equal("accepted", Rule(good with
        {
            Instrument = new InstrumentReference(InstrumentIdType.Isin, "IE00B4L5Y983"),
            Market = "XNYS",
            Quantity = 10.1234m,
        }));
    }

    [Fact]
    public void Settlement_date_counts_days_of_the_settlement_system()
    {
        TradeReferenceData reference = TradingData.Reference();
        // Friday 2026-10-09 on Nasdaq: Monday 2026-10-12 is Columbus Day, when DTC is closed: T+1 is Tuesday.
        EnrichedTrade columbus = TradeRules.Enrich(TradingData.Buy(tradeDate: new LocalDate(2026, 10, 9)), reference).Value;
        Assert.Equal(new LocalDate(2026, 10, 13), columbus.SettlementDate);
        // Before 2024-05-28 US equities settled T+2.
        EnrichedTrade t2 = TradeRules.Enrich(TradingData.Buy(tradeDate: new LocalDate(2024, 5, 24)), reference).Value;
        Assert.Equal(new LocalDate(2024, 5, 29), t2.SettlementDate);
        // A settlement date stated by the front office is kept.
        EnrichedTrade stated = TradeRules.Enrich(TradingData.Buy() with { SettlementDate = new LocalDate(2026, 12, 1) }, reference).Value;
        Assert.Equal(new LocalDate(2026, 12, 1), stated.SettlementDate);
        Assert.Equal("DTCYUS33XXX", stated.Ssi?.PlaceOfSettlement);
    }

    [Fact]
    public void Gross_is_rounded_half_away_from_zero_and_net_adds_charges_on_buys_and_subtracts_them_on_sells()
    {
        FeeRule commission = new() { Id = "c", Code = "COMMISSION", Kind = FeeKind.Commission, Method = FeeMethod.Flat, Rate = 5m, Currency = "USD" };
        FeeRule sec = new() { Id = "s", Code = "SEC31", Kind = FeeKind.Fee, Method = FeeMethod.Percent, Rate = 0.00278m, Currency = "USD", Side = TradeSide.Sell, Rounding = FeeRounding.Up };
        TradeReferenceData reference = TradingData.Reference(commission, sec);
        // 3 x 0.125 = 0.375 -> 0.38
        EnrichedTrade buy = TradeRules.Enrich(TradingData.Buy(3m, 0.125m), reference).Value;
        Assert.Equal(0.38m, buy.Gross);
        Assert.Equal(5.38m, buy.Net);
        EnrichedTrade sell = TradeRules.Enrich(TradingData.Buy(1000m, 100m) with { Side = TradeSide.Sell }, reference).Value;
        Assert.Equal(100_000.00m, sell.Gross);
        Assert.Equal(2.78m, sell.Fees);
        Assert.Equal(100_000.00m - 5.00m - 2.78m, sell.Net);
        // A negotiated commission replaces the schedule's.
        EnrichedTrade negotiated = TradeRules.Enrich(TradingData.Buy(10m, 10m) with { Commission = 1.234m }, reference).Value;
        Assert.Equal(1.23m, negotiated.Commission);
    }

    [Fact]
    public void Every_booking_balances_per_asset_and_moves_client_cash_by_the_net_and_shares_by_the_quantity()
    {
        FeeRule commission = new() { Id = "c", Code = "COMMISSION", Kind = FeeKind.Commission, Method = FeeMethod.Percent, Rate = 0.1m, Minimum = 1m, Currency = "USD" };
        FeeRule taf = new() { Id = "t", Code = "FINRA-TAF", Kind = FeeKind.Fee, Method = FeeMethod.PerUnit, Rate = 0.000166m, Maximum = 8.30m, Currency = "USD", Side = TradeSide.Sell, Rounding = FeeRounding.Up, LedgerAccount = "2420" };
        TradeReferenceData reference = TradingData.Reference(commission, taf);
        var accounts = new Dictionary<string, LedgerAccount>(StringComparer.Ordinal);
        long id = 0;
        foreach (string code in new[] { "2100.C-1", "2010.C-1", "1300." + TradingData.Broker, "1310." + TradingData.Broker, "2300." + TradingData.Broker, "4010", "2400", "2420" })
        {
            accounts[code] = new LedgerAccount(new LedgerAccountId(++id), code, code, LedgerAccountType.Liability, null, true);
        }
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal)
        {
            ["USD"] = new(new AssetId(1), "USD", AssetKind.Currency, 2),
            [TradingData.Apple] = new(new AssetId(2), TradingData.Apple, AssetKind.Instrument, 0),
        };
        Gen.Select(Gen.Int[1, 1_000_000], Gen.Decimal[0.0001m, 5000m], Gen.Bool).Sample((quantity, rawPrice, sell) =>
        {
            decimal price = Math.Round(rawPrice, 4, MidpointRounding.AwayFromZero);
            if (price <= 0m)
            {
                return;
            }
            TradeRequest request = TradingData.Buy(quantity, price) with { Side = sell ? TradeSide.Sell : TradeSide.Buy };
            EnrichedTrade trade = TradeRules.Enrich(request, reference).Value;
            Result<JournalEntryDraft> draft = EntryRules.Decide(TradeBooking.Entry(trade, TradeBookingPolicy.Default), accounts, assets);
            Assert.True(draft.IsAccepted, draft.Rejection?.ToString());
            long clientCash = draft.Value.Postings.Where(p => p.LedgerAccount == accounts["2010.C-1"].Id).Sum(p => p.Units);
            Assert.Equal(sell ? -trade.Net : trade.Net, assets["USD"].ToAmount(clientCash));
            long clientShares = draft.Value.Postings.Where(p => p.LedgerAccount == accounts["2100.C-1"].Id).Sum(p => p.Units);
            Assert.Equal(sell ? quantity : -quantity, clientShares);
        });
    }
}

using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Tests.Trading;

/// <summary>Reference data for trade tests: two US shares, a French share, a client, a broker, and fee rules.</summary>
internal static class TradingData
{
    public const string Broker = "5493000DEMO0BROKER41";
    public const string Apple = "US0378331005";
    public const string Total = "FR0000120271";

    public static Instrument AppleShare { get; } = new(Apple, "Apple", AssetClass.Equity, "USD", "XNAS", "037833100", null, "AAPL", null, 0);

    public static TradeReferenceData Reference(params FeeRule[] rules) => new(
        [
            AppleShare,
            new Instrument("GB00BH4HKS39", "Vodafone", AssetClass.Equity, "GBP", "XLON", null, "BH4HKS3", "VOD", null, 0),
            new Instrument(Total, "TotalEnergies", AssetClass.Equity, "EUR", "XPAR", null, null, "TTE", null, 0),
            new Instrument("IE00B4L5Y983", "iShares Core MSCI World (fund units)", AssetClass.Fund, "USD", "XNYS", null, null, "IWDA", null, 4),
        ],
        [
            new ClientAccount("C-1", "Client one", "5493000DEMO0CLIENT70", "USD", "NYC", ClientAccountStatus.Open, new LocalDate(2024, 1, 1)),
            new ClientAccount("C-CLOSED", "Closed client", "5493000DEMO0CLIENT70", "USD", "NYC", ClientAccountStatus.Closed, new LocalDate(2024, 1, 1)),
        ],
        [new Party(Broker, "Broker", PartyRole.Counterparty, "EXBRUS33")],
        [new Currency("USD", 840, 2, "US Dollar"), new Currency("EUR", 978, 2, "Euro"), new Currency("GBP", 826, 2, "Pound")],
        [new Market("XNAS", "Nasdaq", "US"), new Market("XNYS", "NYSE", "US"), new Market("XPAR", "Euronext Paris", "FR"), new Market("XLON", "LSE", "GB")],
        rules,
        [new StandingSettlementInstruction("B-US", Broker, null, AssetClass.Equity, "DTCYUS33XXX", "DTC-0352", "EXBRUS33XXX", new LocalDate(2024, 1, 1))]);

    public static TradeRequest Buy(decimal quantity = 100m, decimal price = 231.45m, string isin = Apple, string currency = "USD", string? market = "XNAS",
        LocalDate? tradeDate = null) => new()
        {
            Source = "OMS",
            SourceTradeId = "T-1",
            Side = TradeSide.Buy,
            Instrument = new InstrumentReference(InstrumentIdType.Isin, isin),
            Market = market,
            Quantity = quantity,
            Price = price,
            Currency = currency,
            Account = "C-1",
            Counterparty = Broker,
            TradeDate = tradeDate ?? new LocalDate(2026, 11, 25),
        };
}

using System.Globalization;
using BackOffice.Domain.Calendar;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Domain.Trading;

/// <summary>A trade that passed validation, with everything enrichment adds.</summary>
/// <param name="Gross">Quantity times price, rounded to the currency's minor unit (halves away from zero).</param>
/// <param name="Net">What the account pays (buy) or receives (sell): gross plus accrued interest, plus charges on a buy, minus charges on a sell.</param>
/// <param name="Ssi">The counterparty's standing settlement instruction, or null when it has none (settlement will ask for one).</param>
public sealed record EnrichedTrade(
    TradeRequest Request,
    Instrument Instrument,
    string Market,
    ClientAccount Account,
    Party Counterparty,
    int CurrencyMinorUnits,
    LocalDate SettlementDate,
    decimal Gross,
    IReadOnlyList<TradeCharge> Charges,
    decimal AccruedInterest,
    decimal Net,
    StandingSettlementInstruction? Ssi)
{
    /// <summary>Sum of commission charges.</summary>
    public decimal Commission => Charges.Where(c => c.Kind == FeeKind.Commission).Sum(c => c.Amount);

    /// <summary>Sum of pass-through fees and taxes.</summary>
    public decimal Fees => Charges.Where(c => c.Kind != FeeKind.Commission).Sum(c => c.Amount);
}

/// <summary>
/// The pure rules that turn a received trade into an enriched one or a rejection. Rules are checked
/// in this order, so the same input always reports the same first error: <c>trade.source</c>,
/// <c>trade.source-id</c>, <c>trade.instrument-unknown</c>, <c>trade.account-unknown</c>,
/// <c>trade.account-closed</c>, <c>trade.counterparty-unknown</c>, <c>trade.quantity-not-positive</c>,
/// <c>trade.quantity-precision</c>, <c>trade.price-not-positive</c>, <c>trade.currency-mismatch</c>,
/// <c>trade.market-unknown</c>, <c>trade.date-not-business-day</c>, <c>trade.settlement-date</c>,
/// <c>trade.commission</c>, <c>trade.amount-too-large</c>, <c>trade.accrued-interest</c>.
/// </summary>
public static class TradeRules
{
    /// <summary>Longest source name and source trade id.</summary>
    public const int IdLengthMax = 64;

    /// <summary>Largest quantity or price accepted: beyond it a value is a typing error, not a trade.</summary>
    public const decimal ValueMax = 1_000_000_000_000m;

    /// <summary>Largest gross consideration accepted (a thousand trillion): the ledger keeps amounts as 64-bit minor units.</summary>
    public const decimal GrossMax = 1_000_000_000_000_000m;

    /// <summary>Validates and enriches a new trade or a correction (a bust carries no economics to check).</summary>
    public static Result<EnrichedTrade> Enrich(TradeRequest request, TradeReferenceData reference)
    {
        if (CheckIdentity(request) is { } identity)
        {
            return identity;
        }
        if (request.Instrument is not { } named)
        {
            return new Rejection("trade.instrument-unknown", "the trade names no instrument");
        }
        Instrument? instrument = reference.FindInstrument(named, request.Market);
        if (instrument is null)
        {
            string where = named.Type == InstrumentIdType.Ticker ? $" on {request.Market ?? "(no market given)"}" : "";
            return new Rejection("trade.instrument-unknown", $"no instrument with {Name(named.Type)} '{named.Value}'{where}");
        }
        if (!reference.ClientAccounts.TryGetValue(request.Account, out ClientAccount? account))
        {
            return new Rejection("trade.account-unknown", $"client account '{request.Account}' is not known");
        }
        if (account.Status == ClientAccountStatus.Blocked)
        {
            return new Rejection("trade.account-blocked", $"client account '{account.Code}' is blocked by compliance");
        }
        if (account.Status != ClientAccountStatus.Open)
        {
            return new Rejection("trade.account-closed", $"client account '{account.Code}' is closed");
        }
        if (!reference.Parties.TryGetValue(request.Counterparty, out Party? counterparty))
        {
            return new Rejection("trade.counterparty-unknown", $"counterparty '{request.Counterparty}' is not a known party (LEI)");
        }
        if (request.Quantity <= 0m || request.Quantity > ValueMax)
        {
            return new Rejection("trade.quantity-not-positive", Invariant($"quantity must be above 0 and at most {ValueMax}; it is {request.Quantity}"));
        }
        if (decimal.Round(request.Quantity, instrument.QuantityScale, MidpointRounding.ToZero) != request.Quantity)
        {
            return new Rejection("trade.quantity-precision", Invariant($"quantity {request.Quantity} has more than {instrument.QuantityScale} decimal places allowed for {instrument.Isin}"));
        }
        if (request.Price <= 0m || request.Price > ValueMax)
        {
            return new Rejection("trade.price-not-positive", Invariant($"price must be above 0 and at most {ValueMax}; it is {request.Price}"));
        }
        if (!string.Equals(request.Currency, instrument.Currency, StringComparison.Ordinal))
        {
            return new Rejection("trade.currency-mismatch", $"currency '{request.Currency}' does not match {instrument.Isin}, which trades in {instrument.Currency}");
        }
        if (!reference.Currencies.TryGetValue(instrument.Currency, out Currency? currency))
        {
            return new Rejection("trade.currency-mismatch", $"currency '{instrument.Currency}' is not loaded");
        }
        string market = request.Market ?? instrument.ListingMic;
        if (!reference.Markets.ContainsKey(market))
        {
            return new Rejection("trade.market-unknown", $"market '{market}' is not a known market (MIC)");
        }
        if (MarketCalendars.TryGetTradingCalendar(market, out BusinessCalendar calendar)
            && BusinessCalendar.Covers(request.TradeDate) && !calendar.IsBusinessDay(request.TradeDate))
        {
            return new Rejection("trade.date-not-business-day", $"trade date {BusinessCalendar.Iso(request.TradeDate)} is not a business day of {market}");
        }
        LocalDate settlementDate;
        if (request.SettlementDate is { } stated)
        {
            if (stated < request.TradeDate)
            {
                return new Rejection("trade.settlement-date", $"settlement date {BusinessCalendar.Iso(stated)} is before the trade date");
            }
            settlementDate = stated;
        }
        else
        {
            SettlementDateResult computed = SettlementDates.Compute(market, request.TradeDate, instrument.SettlementCycleDays);
            if (computed.Rejection is { } noDate)
            {
                return new Rejection("trade.settlement-date", noDate.Message);
            }
            settlementDate = computed.SettlementDate;
        }
        if (request.Commission is < 0m)
        {
            return new Rejection("trade.commission", Invariant($"commission cannot be negative; it is {request.Commission}"));
        }
        if (account.IsFirmBook && request.Commission is > 0m)
        {
            return new Rejection("trade.commission", $"'{account.Code}' is a firm book: the firm charges itself no commission");
        }
        try
        {
            // Bonds trade in face amounts at a price in percent of face; everything else at a price per unit.
            decimal consideration = instrument.AssetClass == AssetClass.Debt ? request.Quantity * request.Price / 100m : request.Quantity * request.Price;
            decimal gross = request.AllocatedGross ?? Math.Round(consideration, currency.MinorUnits, MidpointRounding.AwayFromZero);
            if (gross > GrossMax)
            {
                return new Rejection("trade.amount-too-large", Invariant($"{request.Quantity} at {request.Price} is {gross}, above the {GrossMax} a trade may book"));
            }
            IReadOnlyList<TradeCharge> charges = FeeCalculator.Compute(reference.FeeRules(currency.Code), account.Code, market, instrument.AssetClass,
                instrument.Isin, request.Side, currency.Code, request.TradeDate, request.Quantity, gross, currency.MinorUnits);
            if (account.IsFirmBook)
            {
                // The firm charges its own books no commission; regulatory fees and taxes still apply.
                charges = [.. charges.Where(c => c.Kind != FeeKind.Commission)];
            }
            else if (request.Commission is { } negotiated)
            {
                decimal rounded = Math.Round(negotiated, currency.MinorUnits, MidpointRounding.AwayFromZero);
                charges = [.. charges.Where(c => c.Kind != FeeKind.Commission), .. rounded == 0m ? Array.Empty<TradeCharge>() : [new TradeCharge("COMMISSION", FeeKind.Commission, rounded, null)]];
            }
            decimal accrued = 0m;
            if (instrument.Bond is { } bond)
            {
                // Accrued interest on the face traded, to the settlement date, rounded to the currency.
                Result<decimal> interest = FixedIncome.AccruedInterest.Compute(request.Quantity, bond, settlementDate);
                if (interest.Rejection is { } noInterest)
                {
                    return new Rejection("trade.accrued-interest", noInterest.Message);
                }
                accrued = Math.Round(interest.Value, currency.MinorUnits, MidpointRounding.AwayFromZero);
            }
            decimal chargesTotal = charges.Sum(c => c.Amount);
            decimal net = request.Side == TradeSide.Buy ? gross + accrued + chargesTotal : gross + accrued - chargesTotal;
            StandingSettlementInstruction? ssi = reference.SettlementInstructions.TryGetValue(counterparty.Lei, out IReadOnlyList<StandingSettlementInstruction>? ssis)
                ? StandingSettlementInstruction.Select(ssis, counterparty.Lei, market, instrument.AssetClass, request.TradeDate)
                : null;
            return new EnrichedTrade(request, instrument, market, account, counterparty, currency.MinorUnits, settlementDate, gross, charges, accrued, net, ssi);
        }
        catch (OverflowException)
        {
            return new Rejection("trade.amount-too-large", Invariant($"{request.Quantity} at {request.Price} is too large to book"));
        }
    }

    /// <summary>Checks the fields every message needs, new, correction or bust.</summary>
    public static Rejection? CheckIdentity(TradeRequest request)
    {
        if (!IsId(request.Source))
        {
            return new Rejection("trade.source", $"source must be 1 to {IdLengthMax} printable characters without spaces");
        }
        if (!IsId(request.SourceTradeId))
        {
            return new Rejection("trade.source-id", $"source trade id must be 1 to {IdLengthMax} printable characters without spaces");
        }
        if (request.Action != TradeAction.New && !IsId(request.RefTradeId))
        {
            return new Rejection("trade.ref-id", "a correction or bust must name the trade it changes (ref_trade_id, FIX ExecRefID)");
        }
        return null;
    }

    private static bool IsId(string? value) =>
        value is { Length: > 0 and <= IdLengthMax } && value.All(c => c is >= '!' and <= '~');

    private static string Name(InstrumentIdType type) => type switch
    {
        InstrumentIdType.Isin => "ISIN",
        InstrumentIdType.Cusip => "CUSIP",
        InstrumentIdType.Sedol => "SEDOL",
        _ => "ticker",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Collections.Immutable;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Domain.Tests.Settlement;

/// <summary>
/// Fails aged on the place's calendar, hand-counted. TARGET2 closes on 25 and 26 December and 1
/// January; in 2026 the 24th is a Thursday, the 25th a Friday, and 1 January 2027 a Friday.
/// </summary>
public sealed class FailsTests
{
    private const string EuroclearBank = "MGTCBEBEXXX";
    private const string Dtc = "DTCYUS33";
    private static readonly LocalDate ChristmasEve = new(2026, 12, 24);

    internal static SettlementInstruction Instruction(string tx, SettlementType type, LocalDate settlementDate, decimal quantity = 100m, decimal amount = 2500m,
        string place = EuroclearBank, string currency = "EUR", string counterparty = "CP", string isin = "FR0000120271",
        InstructionStatus status = InstructionStatus.Matched, decimal settledQuantity = 0m, decimal settledAmount = 0m, bool nominal = false) =>
        new(tx, type, counterparty, isin, nominal, currency, settlementDate.PlusDays(-2), settlementDate, quantity, amount,
            type == SettlementType.Dvp, quantity == 0m ? 0m : amount / quantity, "XPAR", place, "AGENTBICXXX", "ACC-1",
            [new InstructionMember(1, 1, type, quantity, amount)])
        {
            Status = status,
            SettledQuantity = settledQuantity,
            SettledAmount = settledAmount,
        };

    private static IReadOnlyList<SettlementFail> Report(LocalDate asOf, PenaltyAssetClass category, params SettlementInstruction[] instructions) =>
        Fails.Report(instructions, asOf, _ => category, CloseOutRules.Defaults);

    [Theory]
    // The ISD is day 1, that evening included.
    [InlineData("2026-12-24", 1)]
    // Christmas Day and the weekend do not age it.
    [InlineData("2026-12-25", 1)]
    [InlineData("2026-12-27", 1)]
    // Monday the 28th is day 2, Thursday the 31st day 5.
    [InlineData("2026-12-28", 2)]
    [InlineData("2026-12-31", 5)]
    // New Year's Day is closed: Monday 4 January is day 6.
    [InlineData("2027-01-01", 5)]
    [InlineData("2027-01-04", 6)]
    public void A_fail_ages_on_TARGET2_business_days_only(string asOf, int age)
    {
        LocalDate date = NodaTime.Text.LocalDatePattern.Iso.Parse(asOf).Value;
        SettlementInstruction fail = Instruction("T1", SettlementType.Rvp, ChristmasEve);
        Assert.True(Fails.IsFail(fail, date));
        Assert.Equal(age, Fails.Age(fail, date, SettlementCalendars.ForPlace(EuroclearBank, "EUR")));
        Assert.Equal(age, Assert.Single(Report(date, PenaltyAssetClass.ShareLiquid, fail)).AgeBusinessDays);
    }

    [Theory]
    [InlineData(1, "1")]
    [InlineData(2, "2-3")]
    [InlineData(3, "2-3")]
    [InlineData(4, "4-7")]
    [InlineData(7, "4-7")]
    [InlineData(8, "8-15")]
    [InlineData(15, "8-15")]
    [InlineData(16, "16-30")]
    [InlineData(30, "16-30")]
    [InlineData(31, "31+")]
    [InlineData(400, "31+")]
    public void Ages_fall_in_buckets_at_the_edges(int age, string bucket) => Assert.Equal(bucket, Fails.Bucket(age));

    [Fact]
    public void An_age_below_one_has_no_bucket() => Assert.Throws<ArgumentOutOfRangeException>(() => Fails.Bucket(0));

    [Theory]
    // ISD + 4 TARGET2 days: 28, 29, 30, 31 December.
    [InlineData(PenaltyAssetClass.ShareLiquid, "csdr-art7", "2026-12-31")]
    [InlineData(PenaltyAssetClass.OtherDebt, "csdr-art7", "2026-12-31")]
    // ISD + 7: 28, 29, 30, 31, (1 January closed) 4, 5, 6.
    [InlineData(PenaltyAssetClass.ShareIlliquid, "csdr-art7-illiquid", "2027-01-06")]
    // ISD + 15: ... 6, 7, 8, 11, 12, 13, 14, 15, 18 January.
    [InlineData(PenaltyAssetClass.SmeNonDebt, "csdr-art7-sme", "2027-01-18")]
    [InlineData(PenaltyAssetClass.SmeDebt, "csdr-art7-sme", "2027-01-18")]
    public void The_CSDR_extension_period_runs_on_TARGET2_days_from_the_intended_settlement_date(PenaltyAssetClass category, string rule, string deadline)
    {
        SettlementFail fail = Assert.Single(Report(ChristmasEve, category, Instruction("T1", SettlementType.Rvp, ChristmasEve)));
        Assert.Equal(rule, fail.Rule);
        Assert.Equal(NodaTime.Text.LocalDatePattern.Iso.Parse(deadline).Value, fail.CloseOutDeadline);
        Assert.Equal("1", fail.AgeBucket);
        Assert.False(fail.BuyInCandidate);
    }

    [Fact]
    public void A_US_place_counts_Federal_Reserve_days_and_takes_Reg_SHO_Rule_204()
    {
        // Intended for Wednesday 25 November 2026; Thursday the 26th is Thanksgiving.
        LocalDate isd = new(2026, 11, 25);
        SettlementInstruction delivery = Instruction("U1", SettlementType.Dvp, isd, place: Dtc, currency: "USD", isin: "US0378331005");
        Assert.Equal("USFED", SettlementCalendars.ForPlace(Dtc, "USD").Code);

        // Monday the 30th: 25, 27, 30 is 3 days (TARGET2, open on the 26th, would say 4).
        LocalDate monday = new(2026, 11, 30);
        Assert.Equal(3, Fails.Age(delivery, monday, SettlementCalendars.ForPlace(Dtc, "USD")));
        Assert.Equal(4, Fails.Age(delivery, monday, SettlementCalendars.ForPlace(EuroclearBank, "EUR")));

        // The market outweighs the category: an illiquid share at DTC is still closed out the next settlement day, Friday the 27th.
        SettlementFail fail = Assert.Single(Report(monday, PenaltyAssetClass.ShareIlliquid, delivery));
        Assert.Equal(("reg-sho-204", new LocalDate(2026, 11, 27), 3, "2-3"), (fail.Rule, fail.CloseOutDeadline, fail.AgeBusinessDays, fail.AgeBucket));
        Assert.True(fail.WeAreFailing);
        Assert.False(fail.BuyInCandidate);
    }

    [Fact]
    public void A_buy_in_is_open_to_us_only_from_the_deadline_and_only_when_we_receive()
    {
        SettlementInstruction receipt = Instruction("R1", SettlementType.Rvp, ChristmasEve);
        SettlementInstruction freeReceipt = Instruction("R2", SettlementType.Rfp, ChristmasEve, amount: 0m);
        SettlementInstruction delivery = Instruction("D1", SettlementType.Dvp, ChristmasEve);

        // The day before the deadline (31 December): nothing yet.
        Assert.All(Report(new LocalDate(2026, 12, 30), PenaltyAssetClass.ShareLiquid, receipt, freeReceipt, delivery), f => Assert.False(f.BuyInCandidate));

        // On the deadline, still open at the end of the day: the receipts are candidates, our own delivery is flagged instead.
        IReadOnlyList<SettlementFail> due = Report(new LocalDate(2026, 12, 31), PenaltyAssetClass.ShareLiquid, receipt, freeReceipt, delivery);
        Assert.Equal(["D1", "R1", "R2"], due.Select(f => f.Instruction.TransactionId));
        Assert.Equal([false, true, true], due.Select(f => f.BuyInCandidate));
        Assert.Equal([true, false, false], due.Select(f => f.WeAreFailing));
        Assert.All(due, f => Assert.Equal("4-7", f.AgeBucket));
    }

    [Fact]
    public void Settled_and_cancelled_instructions_never_fail_and_a_partial_one_does()
    {
        SettlementInstruction settled = Instruction("S1", SettlementType.Rvp, ChristmasEve, status: InstructionStatus.Settled, settledQuantity: 100m, settledAmount: 2500m);
        SettlementInstruction cancelled = Instruction("C1", SettlementType.Rvp, ChristmasEve, status: InstructionStatus.Cancelled);
        SettlementInstruction partial = Instruction("P1", SettlementType.Rvp, ChristmasEve, status: InstructionStatus.PartiallySettled, settledQuantity: 40m,
            settledAmount: 1000m);
        LocalDate later = new(2027, 1, 29);
        Assert.False(Fails.IsFail(settled, later));
        Assert.False(Fails.IsFail(cancelled, later));
        Assert.True(Fails.IsFail(partial, later));
        // The day before its intended settlement date, nothing is a fail yet.
        Assert.False(Fails.IsFail(partial, ChristmasEve.PlusDays(-1)));
        Assert.Equal(0, Fails.Age(partial, ChristmasEve.PlusDays(-1), SettlementCalendars.ForPlace(EuroclearBank, "EUR")));

        SettlementFail fail = Assert.Single(Report(later, PenaltyAssetClass.ShareLiquid, settled, cancelled, partial));
        Assert.Equal(("P1", 60m, 1500m), (fail.Instruction.TransactionId, fail.Instruction.OpenQuantity, fail.Instruction.OpenAmount));
    }

    [Fact]
    public void Summaries_add_up_open_quantity_and_cash_per_counterparty_and_per_instrument()
    {
        SettlementInstruction[] instructions =
        [
            Instruction("A2", SettlementType.Rvp, ChristmasEve, 100m, 2500m, counterparty: "ALPHA", isin: "FR0000120271"),
            Instruction("A1", SettlementType.Dvp, new LocalDate(2026, 12, 30), 50m, 1300m, counterparty: "ALPHA", isin: "DE0007164600",
                status: InstructionStatus.PartiallySettled, settledQuantity: 20m, settledAmount: 520m),
            Instruction("B1", SettlementType.Rvp, new LocalDate(2026, 12, 29), 10m, 250m, counterparty: "BETA", isin: "FR0000120271"),
            Instruction("B2", SettlementType.Rvp, new LocalDate(2026, 12, 29), 10m, 250m, counterparty: "BETA", isin: "FR0000120271",
                status: InstructionStatus.Settled, settledQuantity: 10m, settledAmount: 250m),
        ];
        LocalDate asOf = new(2026, 12, 31);
        IReadOnlyList<SettlementFail> fails = Report(asOf, PenaltyAssetClass.ShareLiquid, instructions);
        // Ordered by counterparty, then ISIN: ALPHA's DE before its FR.
        Assert.Equal(["A1", "A2", "B1"], fails.Select(f => f.Instruction.TransactionId));

        // ALPHA: 100 + 30 open, 2500 + 780 cash, oldest the 24 December receipt at age 5.
        Assert.Equal(
            [new FailSummary("ALPHA", "EUR", 2, 130m, 3280m, 5), new FailSummary("BETA", "EUR", 1, 10m, 250m, 3)],
            Fails.ByCounterparty(fails));
        Assert.Equal(
            [new FailSummary("DE0007164600", "EUR", 1, 30m, 780m, 2), new FailSummary("FR0000120271", "EUR", 2, 110m, 2750m, 5)],
            Fails.ByInstrument(fails));
    }

    [Fact]
    public void Amounts_in_different_currencies_are_summarised_apart()
    {
        SettlementInstruction[] instructions =
        [
            Instruction("E1", SettlementType.Rvp, ChristmasEve, 10m, 100m, counterparty: "ALPHA"),
            Instruction("U1", SettlementType.Rvp, ChristmasEve, 10m, 120m, counterparty: "ALPHA", currency: "USD"),
        ];
        IReadOnlyList<FailSummary> summaries = Fails.ByCounterparty(Report(ChristmasEve, PenaltyAssetClass.ShareLiquid, instructions));
        Assert.Equal([("EUR", 100m), ("USD", 120m)], summaries.Select(s => (s.Currency, s.OpenAmount)));
    }

    [Theory]
    [InlineData("DTCYUS33", "USD", "USFED")]
    [InlineData("DTCYUS33", "EUR", "USFED")]
    [InlineData("MGTCBEBEECL", "USD", "TARGET2")]
    [InlineData("CEDELULLXXX", "GBP", "TARGET2")]
    [InlineData("VPDKDKKK", "DKK", "TARGET2")]
    [InlineData("CRSTGB22", "GBP", "XLON")]
    [InlineData("CRSTGB22", "EUR", "TARGET2")]
    [InlineData("JJSDJPJT", "JPY", "XTKS")]
    [InlineData("INSECHZZ", "USD", "USFED")]
    [InlineData("INSECHZZ", "CHF", "TARGET2")]
    [InlineData("X", "USD", "USFED")]
    public void A_place_settles_on_the_calendar_of_its_country_or_currency(string bic, string currency, string calendar) =>
        Assert.Equal(calendar, SettlementCalendars.ForPlace(bic, currency).Code);

    [Theory]
    [InlineData("MGTCBEBEXXX", true)]
    [InlineData("CEDELULL", true)]
    [InlineData("DAKVDEFF", true)]
    [InlineData("SICVFRPP", true)]
    [InlineData("NECINL2A", true)]
    [InlineData("MOTIITMM", true)]
    [InlineData("VPSONOKK", true)]
    [InlineData("DTCYUS33", false)]
    [InlineData("CRSTGB22", false)]
    [InlineData("INSECHZZ", false)]
    [InlineData("", false)]
    public void Only_a_CSD_in_the_EU_or_EEA_is_under_the_CSDR(string bic, bool eu) => Assert.Equal(eu, SettlementCalendars.IsEuCsd(bic));

    [Fact]
    public void A_rule_table_without_a_catch_all_is_refused_for_an_unmatched_instruction()
    {
        CloseOutRule[] usOnly = [new("reg-sho-204", "US", null, null, 1)];
        Assert.Throws<ArgumentException>(() => CloseOutRules.For(Instruction("T1", SettlementType.Rvp, ChristmasEve), PenaltyAssetClass.ShareLiquid, usOnly));
    }

    [Fact]
    public void A_configured_table_may_name_an_asset_class_and_a_market()
    {
        CloseOutRule[] rules =
        [
            new("default", null, null, null, 4),
            new("bonds", null, null, AssetClass.Debt, 7),
            new("uk", "GB", null, null, 10),
        ];
        Assert.Equal("bonds", CloseOutRules.For(Instruction("B1", SettlementType.Rvp, ChristmasEve, nominal: true), PenaltyAssetClass.Other, rules).Name);
        Assert.Equal("bonds", CloseOutRules.For(Instruction("B2", SettlementType.Rvp, ChristmasEve), PenaltyAssetClass.SovereignDebt, rules).Name);
        Assert.Equal("default", CloseOutRules.For(Instruction("S1", SettlementType.Rvp, ChristmasEve), PenaltyAssetClass.Other, rules).Name);
        Assert.Equal("bonds", CloseOutRules.For(Instruction("S2", SettlementType.Rvp, ChristmasEve), PenaltyAssetClass.Other, rules, AssetClass.Debt).Name);
        Assert.Equal("uk", CloseOutRules.For(Instruction("G1", SettlementType.Rvp, ChristmasEve, place: "CRSTGB22", nominal: true), PenaltyAssetClass.OtherDebt,
            rules).Name);
    }

    [Theory]
    [InlineData(AssetClass.Equity, PenaltyAssetClass.ShareLiquid)]
    [InlineData(AssetClass.Debt, PenaltyAssetClass.OtherDebt)]
    [InlineData(AssetClass.Fund, PenaltyAssetClass.Other)]
    [InlineData(AssetClass.Derivative, PenaltyAssetClass.Other)]
    public void The_default_category_follows_the_asset_class(AssetClass assetClass, PenaltyAssetClass category) =>
        Assert.Equal(category, Fails.DefaultCategory(new Instrument("FR0000120271", "X", assetClass, "EUR", "XPAR", null, null, null, null, 0)));

    [Fact]
    public void An_unknown_instrument_is_in_the_other_category() => Assert.Equal(PenaltyAssetClass.Other, Fails.DefaultCategory(null));
}

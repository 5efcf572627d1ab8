using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Domain.Tests.Compliance;

/// <summary>
/// MiFIR transaction reports (RTS 22) as a pure decision, with worked examples: a client's buy on
/// a venue, the firm's own-account sale, a cancellation and a correction; and the rules that
/// decide what is due when the regulator rejects or holds a report.
/// </summary>
public sealed class ReportPlannerTests
{
    private const string Firm = "5493000DEMO0FIRM0097";
    private const string Client = "5493000DEMO0CLIENT70";
    private const string Broker = "5493000DEMO0BROKER41";

    private static readonly Instant At = Instant.FromUtc(2026, 11, 25, 9, 30, 1) + Duration.FromTicks(1_234_560);

    private static readonly Instrument Total = new("FR0000120271", "TotalEnergies SE shares", AssetClass.Equity, "EUR", "XPAR", null, null, "TTE", null, 0);
    private static readonly Instrument Apple = new("US0378331005", "Apple Inc.", AssetClass.Equity, "USD", "XNAS", "037833100", null, "AAPL", null, 0);
    private static readonly Instrument Oat = new("FR0013508470", "French Republic OAT 0% 2030", AssetClass.Debt, "EUR", "XPAR", null, null, null, null, 0)
    {
        CsdrCategory = Domain.Settlement.PenaltyAssetClass.SovereignDebt,
    };

    private static readonly WithinFirm Trader = WithinFirm.Person("FR19750312MARIEDUPON", PersonIdScheme.Concat, "FR");
    private static readonly WithinFirm Router = WithinFirm.Algorithm("SOR-EU-7");

    private static ReportingContext Context(WithinFirm? decision = null, IEnumerable<MifirClient>? clients = null, LocalDate? from = null) => new(
        new MifirFirm(Firm, Firm, "FR", decision ?? Trader, Router, from ?? new LocalDate(2026, 11, 1)),
        (clients ?? []).ToDictionary(c => c.Account, StringComparer.Ordinal),
        new Dictionary<string, ClientAccount>(StringComparer.Ordinal)
        {
            ["C-1001"] = new("C-1001", "Harbor Pension Fund", Client, "EUR", "PAR", ClientAccountStatus.Open, new LocalDate(2024, 3, 1)),
            ["C-2002"] = new("C-2002", "Marie Martin", "", "EUR", "PAR", ClientAccountStatus.Open, new LocalDate(2025, 1, 1)),
            ["PROP-EQ"] = ClientAccount.ForBook(new Book("PROP-EQ", "Proprietary equities", BookType.Proprietary, "EUR")),
        },
        new Dictionary<string, Instrument>(StringComparer.Ordinal) { [Total.Isin] = Total, [Apple.Isin] = Apple, [Oat.Isin] = Oat },
        new Dictionary<string, Market>(StringComparer.Ordinal)
        {
            ["XPAR"] = new("XPAR", "Euronext Paris", "FR"),
            ["XNAS"] = new("XNAS", "Nasdaq", "US"),
        });

    private static TradeVersion Trade(long id, TradeSide side, string account, decimal quantity = 300m, decimal price = 55.20m, int version = 1,
        TradeStatus status = TradeStatus.Active, Instrument? instrument = null, string market = "XPAR", Instant? at = null, bool timed = true) => new()
        {
            TradeId = id,
            Version = version,
            Action = version == 1 ? TradeAction.New : TradeAction.Correct,
            Status = status,
            Source = "OMS",
            SourceTradeId = "OMS-" + id,
            PayloadHash = Sha256Hash.Zero,
            Side = side,
            Isin = (instrument ?? Total).Isin,
            Market = market,
            Quantity = quantity,
            Price = price,
            Currency = (instrument ?? Total).Currency,
            Account = account,
            Counterparty = Broker,
            TradeDate = new LocalDate(2026, 11, 25),
            ExecutedAt = timed ? at ?? At : null,
            SettlementDate = new LocalDate(2026, 11, 27),
            Gross = decimal.Round(quantity * price, 2),
            Charges = [],
            AccruedInterest = 0m,
            Net = decimal.Round(quantity * price, 2),
            AuditSequence = new AuditSequence(id),
            SourceMessage = "",
            VenueTransactionId = market == "XPAR" ? "XPAR-M-" + id : null,
        };

    private static readonly IReadOnlyDictionary<long, StandingReport> Nothing = new Dictionary<long, StandingReport>();
    private static readonly IReadOnlyDictionary<long, ShortSelling> NoFlags = new Dictionary<long, ShortSelling>();

    [Fact]
    public void A_client_buy_on_a_venue_names_the_client_as_buyer_the_broker_as_seller_in_any_other_capacity()
    {
        ReportPlan plan = ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001")], Nothing, Context(), NoFlags);

        ReportRecord record = Assert.Single(plan.Records);
        Assert.Empty(plan.Exceptions);
        Assert.Equal(ReportAction.New, record.Action);
        TransactionReport r = record.Report!;
        Assert.Equal("T1V1", r.TransactionId);
        Assert.Equal(Firm, r.ExecutingEntity);
        Assert.Equal(Client, r.Buyer.Lei);
        Assert.Equal("FR", r.Buyer.BranchCountry);
        Assert.Equal(Broker, r.Seller.Lei);
        Assert.Null(r.Seller.BranchCountry);
        Assert.Equal(TradingCapacity.AnyOtherCapacity, r.Capacity);
        Assert.Equal(At, r.TradedAt);
        Assert.Equal(300m, r.Quantity);
        Assert.Null(r.QuantityCurrency);
        Assert.Equal(55.20m, r.Price);
        Assert.False(r.PricePercentage);
        Assert.Equal("EUR", r.PriceCurrency);
        Assert.Equal("XPAR", r.Venue);
        Assert.Equal("XPAR-M-1", r.VenueTransactionId);
        Assert.Equal("FR", r.BranchCountry);
        Assert.Equal("FR0000120271", r.Isin);
        // The client decided: no investment decision within the firm; the router executed.
        Assert.Null(r.InvestmentDecision);
        Assert.Equal(Router, r.Execution);
        Assert.Null(r.ShortSelling);
    }

    [Fact]
    public void The_firms_own_account_sale_names_the_firm_as_seller_dealing_with_its_decision_maker_and_the_short_flag_from_its_position()
    {
        TradeVersion sale = Trade(2, TradeSide.Sell, "PROP-EQ", quantity: 500m);
        // The book bought 300 earlier: a sale of 500 is short in part.
        IReadOnlyDictionary<long, ShortSelling> flags = ShortSales.Flags([Trade(1, TradeSide.Buy, "PROP-EQ"), sale], new HashSet<long> { 2 });
        Assert.Equal(ShortSelling.Short, flags[2]);

        TransactionReport r = Assert.Single(ReportPlanner.Plan([sale], Nothing, Context(), flags).Records).Report!;
        Assert.Equal(TradingCapacity.Dealing, r.Capacity);
        Assert.Equal(Firm, r.Seller.Lei);
        Assert.Null(r.Seller.BranchCountry);
        Assert.Equal(Broker, r.Buyer.Lei);
        Assert.Equal(Trader, r.InvestmentDecision);
        Assert.Equal(ShortSelling.Short, r.ShortSelling);

        // Selling 300 of 300 held is not short; a sale with no flag computed is UNDI.
        Assert.Equal(ShortSelling.NotShort, ShortSales.Flags([Trade(1, TradeSide.Buy, "PROP-EQ"), Trade(3, TradeSide.Sell, "PROP-EQ")], new HashSet<long> { 3 })[3]);
        Assert.Equal(ShortSelling.Undisclosed, ReportPlanner.Plan([sale], Nothing, Context(), NoFlags).Records[0].Report!.ShortSelling);
    }

    [Fact]
    public void Own_account_dealing_without_an_investment_decision_maker_is_an_exception_naming_field_57_and_the_other_trades_are_still_reported()
    {
        var context = Context() with { Firm = Context().Firm with { InvestmentDecision = null } };
        ReportPlan plan = ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001"), Trade(2, TradeSide.Sell, "PROP-EQ")], Nothing, context, NoFlags);

        Assert.Equal("T1V1", Assert.Single(plan.Records).TransactionId);
        ReportingException exception = Assert.Single(plan.Exceptions);
        Assert.Equal(2, exception.TradeId);
        Assert.Equal("mifir.investment-decision", exception.Why.Rule);
        Assert.Equal("trade 2 version 1, field 57", exception.Why.Location);
    }

    [Fact]
    public void A_busted_trade_cancels_its_standing_report_and_a_bust_never_reported_sends_nothing()
    {
        var standing = new Dictionary<long, StandingReport> { [1] = new("T1V1", 1) };
        ReportRecord cancel = Assert.Single(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001", version: 2, status: TradeStatus.Busted)], standing, Context(), NoFlags)
            .Records);
        Assert.Equal(ReportRecord.Cancellation("T1V1", 1, 1), cancel);

        Assert.Empty(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001", version: 2, status: TradeStatus.Busted)], Nothing, Context(), NoFlags).Records);
    }

    [Fact]
    public void A_correction_cancels_the_report_of_the_old_version_then_reports_the_new_one_under_its_own_reference()
    {
        var standing = new Dictionary<long, StandingReport> { [1] = new("T1V1", 1) };
        ReportPlan plan = ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001", quantity: 250m, version: 2)], standing, Context(), NoFlags);

        Assert.Equal([ReportAction.Cancel, ReportAction.New], plan.Records.Select(r => r.Action));
        Assert.Equal("T1V1", plan.Records[0].TransactionId);
        Assert.Equal("T1V2", plan.Records[1].TransactionId);
        Assert.Equal(250m, plan.Records[1].Report!.Quantity);
        // Nothing is due again once the correction stands.
        Assert.Empty(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001", quantity: 250m, version: 2)],
            new Dictionary<long, StandingReport> { [1] = new("T1V2", 2) }, Context(), NoFlags).Records);
    }

    [Fact]
    public void Cancellations_come_before_new_reports_in_a_file()
    {
        var standing = new Dictionary<long, StandingReport> { [2] = new("T2V1", 1) };
        ReportPlan plan = ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001"), Trade(2, TradeSide.Buy, "C-1001", version: 2, status: TradeStatus.Busted)], standing,
            Context(), NoFlags);
        Assert.Equal(["T2V1", "T1V1"], plan.Records.Select(r => r.TransactionId));
    }

    [Fact]
    public void A_rejected_report_counts_as_never_sent_a_pending_one_as_standing_and_a_rejected_cancellation_leaves_the_report_standing()
    {
        SentRecord New(long id, ReportStatus status) => new(id, 1, 1, "T1V1", ReportAction.New, status);
        Assert.Empty(ReportPlanner.Standing([New(1, ReportStatus.Rejected)]));
        Assert.Equal(new StandingReport("T1V1", 1), ReportPlanner.Standing([New(1, ReportStatus.Pending)])[1]);
        Assert.Equal(new StandingReport("T1V1", 1), ReportPlanner.Standing([New(1, ReportStatus.Rejected), New(2, ReportStatus.Sent)])[1]);
        Assert.Empty(ReportPlanner.Standing([New(1, ReportStatus.Accepted), new SentRecord(2, 1, 1, "T1V1", ReportAction.Cancel, ReportStatus.Accepted)]));
        Assert.Equal("T1V1",
            ReportPlanner.Standing([New(1, ReportStatus.Accepted), new SentRecord(2, 1, 1, "T1V1", ReportAction.Cancel, ReportStatus.Rejected)])[1].TransactionId);
    }

    [Fact]
    public void Only_trades_on_or_in_instruments_of_eea_venues_from_the_reporting_date_are_reported()
    {
        ReportPlan plan = ReportPlanner.Plan([
            Trade(1, TradeSide.Buy, "C-1001", instrument: Apple, market: "XNAS"),
            Trade(2, TradeSide.Buy, "C-1001", instrument: Apple, market: "XPAR"),
            Trade(3, TradeSide.Buy, "C-1001", market: "XOFF"),
        ], Nothing, Context(), NoFlags);
        Assert.Equal(["T2V1", "T3V1"], plan.Records.Select(r => r.TransactionId));
        // Off venue: XOFF, and no branch membership of a venue.
        Assert.Equal("XOFF", plan.Records[1].Report!.Venue);
        Assert.Null(plan.Records[1].Report!.BranchCountry);

        Assert.Empty(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001")], Nothing, Context(from: new LocalDate(2026, 11, 26)), NoFlags).Records);
    }

    [Fact]
    public void A_trade_without_an_execution_time_or_with_a_bad_lei_is_an_exception_that_names_the_rule_and_field()
    {
        ReportPlan plan = ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001", timed: false)], Nothing, Context(), NoFlags);
        Assert.Empty(plan.Records);
        Assert.Equal(("mifir.trading-time", "trade 1 version 1, field 28"), (plan.Exceptions[0].Why.Rule, plan.Exceptions[0].Why.Location));

        ReportingContext badClient = Context(clients: [new MifirClient("C-1001", PersonIdScheme.Lei, "5493000DEMO0CLIENT71", null, null, null, null, null, false)]);
        ReportingException bad = Assert.Single(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001")], Nothing, badClient, NoFlags).Exceptions);
        Assert.Equal(("mifir.lei", "trade 1 version 1, field 7"), (bad.Why.Rule, bad.Why.Location));
        // On a sale the client is the seller: field 16.
        Assert.Equal("trade 1 version 1, field 16",
            Assert.Single(ReportPlanner.Plan([Trade(1, TradeSide.Sell, "C-1001")], Nothing, badClient, NoFlags).Exceptions).Why.Location);
    }

    [Fact]
    public void A_trade_on_an_eea_venue_needs_the_venues_transaction_id_and_one_on_another_venue_does_not()
    {
        ReportingException missing = Assert.Single(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-1001") with { VenueTransactionId = null }], Nothing, Context(),
            NoFlags).Exceptions);
        Assert.Equal(("mifir.venue-transaction-id", "trade 1 version 1, field 3"), (missing.Why.Rule, missing.Why.Location));
        TransactionReport onNasdaq = Assert.Single(ReportPlanner.Plan([Trade(2, TradeSide.Buy, "C-1001", market: "XNAS")], Nothing, Context(), NoFlags).Records).Report!;
        Assert.Equal(("XNAS", (string?)null), (onNasdaq.Venue, onNasdaq.VenueTransactionId));
    }

    [Fact]
    public void A_natural_person_is_named_with_names_birth_date_and_national_identifier_and_a_discretionary_mandate_brings_field_57()
    {
        var marie = new MifirClient("C-2002", PersonIdScheme.Concat, MifirCodes.Concat("FR", new LocalDate(1980, 1, 1), "Marie", "Martin"), "Marie", "Martin",
            new LocalDate(1980, 1, 1), "DE", null, Discretionary: true);
        TransactionReport r = Assert.Single(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-2002")], Nothing, Context(clients: [marie]), NoFlags).Records).Report!;
        Assert.Null(r.Buyer.Lei);
        Assert.Equal(new ReportedPerson("Marie", "Martin", new LocalDate(1980, 1, 1), "FR19800101MARIEMARTI", PersonIdScheme.Concat), r.Buyer.Person);
        Assert.Equal("DE", r.Buyer.BranchCountry);
        Assert.Equal(Trader, r.InvestmentDecision);

        // Without a row, an account with no holder LEI cannot be reported.
        Assert.Equal("mifir.client-identity",
            Assert.Single(ReportPlanner.Plan([Trade(1, TradeSide.Buy, "C-2002")], Nothing, Context(), NoFlags).Exceptions).Why.Rule);
    }

    [Fact]
    public void A_bond_is_reported_in_nominal_at_a_percentage_with_its_net_amount_including_accrued_interest()
    {
        TradeVersion bond = Trade(1, TradeSide.Sell, "C-1001", quantity: 100_000m, price: 98.125m, instrument: Oat) with { Gross = 98_125m, AccruedInterest = 412.33m };
        TransactionReport r = Assert.Single(ReportPlanner.Plan([bond], Nothing, Context(), NoFlags).Records).Report!;
        Assert.Equal((100_000m, "EUR"), (r.Quantity, r.QuantityCurrency));
        Assert.True(r.PricePercentage);
        Assert.Equal(98_537.33m, r.NetAmount);
        // Sovereign debt carries the short-selling indicator.
        Assert.Equal(ShortSelling.Undisclosed, r.ShortSelling);
    }

    [Theory]
    [InlineData("FR", "1980-01-01", "Marie", "Martin", "FR19800101MARIEMARTI")]
    [InlineData("IE", "1980-01-01", "John", "O'Brian", "IE19800101JOHN#BRIAN")]
    [InlineData("NL", "1975-12-31", "Jan Willem", "van der Berg", "NL19751231JAN##BERG#")]
    [InlineData("FR", "1990-06-15", "Élodie", "Lefèvre-Duval", "FR19900615ELODILEFEV")]
    public void The_concat_code_is_country_birth_date_and_five_letters_of_first_name_and_surname(string country, string born, string first, string surname, string expected)
    {
        Assert.Equal(expected, MifirCodes.Concat(country, NodaTime.Text.LocalDatePattern.Iso.Parse(born).Value, first, surname));
    }

    [Theory]
    [InlineData("ALGO:SOR-EU-7", true)]
    [InlineData("CONCAT:FR19750312MARIEDUPON@FR", true)]
    [InlineData("NIDN:123456789@DE", true)]
    [InlineData("CONCAT:FR19750312MARIEDUPON", false)]
    [InlineData("PASSPORT:X1@FR", false)]
    [InlineData("SOR-EU-7", false)]
    public void A_person_or_algorithm_within_the_firm_is_read_from_its_reference_data_form(string text, bool valid)
    {
        Assert.Equal(valid, WithinFirm.TryParse(text, out WithinFirm? parsed, out string reason));
        if (valid)
        {
            Assert.Equal(text, parsed!.ToString());
        }
        else
        {
            Assert.NotEmpty(reason);
        }
    }

    [Theory]
    [InlineData("ACPT", ReportStatus.Accepted)]
    [InlineData("ACPD", ReportStatus.Accepted)]
    [InlineData("WARN", ReportStatus.Accepted)]
    [InlineData("RJCT", ReportStatus.Rejected)]
    [InlineData("RJPD", ReportStatus.Rejected)]
    [InlineData("PDNG", ReportStatus.Pending)]
    [InlineData("RCVD", ReportStatus.Received)]
    public void Feedback_record_codes_map_to_where_a_report_stands(string code, ReportStatus status) => Assert.Equal(status, FeedbackCodes.Record(code));
}

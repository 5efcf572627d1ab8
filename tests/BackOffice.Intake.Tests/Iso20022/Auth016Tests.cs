using System.Xml.Linq;
using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Iso20022;
using NodaTime;

namespace BackOffice.Intake.Tests.Iso20022;

/// <summary>
/// MiFIR transaction report files (auth.016.001.03) as written, validated against the published
/// schema by our validator and by libxml2's xmllint, for the worked examples: a client's buy on a
/// venue, the firm's own-account short sale, a natural person buying a bond, and a cancellation;
/// and the regulator's feedback (auth.031.001.01) read back.
/// </summary>
public sealed class Auth016Tests
{
    private const string Firm = "5493000DEMO0FIRM0097";
    private const string Client = "5493000DEMO0CLIENT70";
    private const string Broker = "5493000DEMO0BROKER41";
    private static readonly XNamespace Ns = Auth016.Namespace;

    private static readonly Instant At = Instant.FromUtc(2026, 11, 25, 9, 30, 1) + Duration.FromTicks(1_234_560);

    private static TransactionReport ClientBuy => new()
    {
        TransactionId = "T1V1",
        TradeId = 1,
        Version = 1,
        ExecutingEntity = Firm,
        SubmittingEntity = Firm,
        Buyer = ReportedParty.Entity(Client, "FR"),
        Seller = ReportedParty.Entity(Broker),
        TradedAt = At,
        Capacity = TradingCapacity.AnyOtherCapacity,
        Quantity = 300m,
        Price = 55.2000m,
        PriceCurrency = "EUR",
        Venue = "XPAR",
        VenueTransactionId = "XPAR-MATCH-778899",
        BranchCountry = "FR",
        Isin = "FR0000120271",
        Execution = WithinFirm.Algorithm("SOR-EU-7"),
    };

    private static TransactionReport OwnAccountShortSale => ClientBuy with
    {
        TransactionId = "T2V1",
        TradeId = 2,
        Buyer = ReportedParty.Entity(Broker),
        Seller = ReportedParty.Entity(Firm),
        Capacity = TradingCapacity.Dealing,
        InvestmentDecision = WithinFirm.Person("FR19750312MARIEDUPON", PersonIdScheme.Concat, "FR"),
        Execution = WithinFirm.Person("123456789", PersonIdScheme.NationalId, "FR"),
        ShortSelling = ShortSelling.Short,
    };

    private static TransactionReport PersonBuysBond => ClientBuy with
    {
        TransactionId = "T3V2",
        TradeId = 3,
        Version = 2,
        Buyer = new ReportedParty(null, null, new ReportedPerson("Marie", "Martin", new LocalDate(1980, 1, 1), "FR19800101MARIEMARTI", PersonIdScheme.Concat), "FR", null),
        Quantity = 100_000m,
        QuantityCurrency = "EUR",
        Price = 98.125m,
        PricePercentage = true,
        NetAmount = 98_537.33m,
        Isin = "FR0013508470",
        Venue = "XOFF",
        VenueTransactionId = null,
        BranchCountry = null,
    };

    private static readonly IReadOnlyList<ReportRecord> Worked =
        [ReportRecord.Cancellation("T3V1", 3, 1), ReportRecord.Of(ClientBuy), ReportRecord.Of(OwnAccountShortSale), ReportRecord.Of(PersonBuysBond)];

    [Fact]
    public void The_worked_examples_write_a_file_the_schema_accepts_with_the_rts_22_fields_in_place()
    {
        Result<string> written = Auth016.Write(Worked, Firm, Firm);
        Assert.True(written.IsAccepted, written.Rejection?.ToString());
        XElement[] records = XDocument.Parse(written.Value).Root!.Element(Ns + "FinInstrmRptgTxRpt")!.Elements(Ns + "Tx").ToArray();
        Assert.Equal(4, records.Length);

        XElement cancel = records[0].Element(Ns + "Cxl")!;
        Assert.Equal(["T3V1", Firm, Firm], cancel.Elements().Select(e => e.Value));

        XElement buy = records[1].Element(Ns + "New")!;
        Assert.Equal(Client, buy.Element(Ns + "Buyr")!.Element(Ns + "AcctOwnr")!.Element(Ns + "Id")!.Element(Ns + "LEI")!.Value);
        Assert.Equal("FR", buy.Element(Ns + "Buyr")!.Element(Ns + "AcctOwnr")!.Element(Ns + "CtryOfBrnch")!.Value);
        XElement tx = buy.Element(Ns + "Tx")!;
        Assert.Equal("2026-11-25T09:30:01.123456Z", tx.Element(Ns + "TradDt")!.Value);
        Assert.Equal("AOTC", tx.Element(Ns + "TradgCpcty")!.Value);
        Assert.Equal("300", tx.Element(Ns + "Qty")!.Element(Ns + "Unit")!.Value);
        XElement amount = tx.Element(Ns + "Pric")!.Element(Ns + "Pric")!.Element(Ns + "MntryVal")!.Element(Ns + "Amt")!;
        Assert.Equal(("55.2", "EUR"), (amount.Value, amount.Attribute("Ccy")!.Value));
        Assert.Equal("XPAR", tx.Element(Ns + "TradVn")!.Value);
        Assert.Equal("XPAR-MATCH-778899", tx.Element(Ns + "TradPlcMtchgId")!.Value);
        Assert.Null(buy.Element(Ns + "InvstmtDcsnPrsn"));
        Assert.Equal("SOR-EU-7", buy.Element(Ns + "ExctgPrsn")!.Element(Ns + "Algo")!.Value);
        Assert.Null(buy.Element(Ns + "AddtlAttrbts")!.Element(Ns + "ShrtSellgInd"));

        XElement sale = records[2].Element(Ns + "New")!;
        Assert.Equal("DEAL", sale.Element(Ns + "Tx")!.Element(Ns + "TradgCpcty")!.Value);
        Assert.Equal(Firm, sale.Element(Ns + "Sellr")!.Element(Ns + "AcctOwnr")!.Element(Ns + "Id")!.Element(Ns + "LEI")!.Value);
        XElement decision = sale.Element(Ns + "InvstmtDcsnPrsn")!.Element(Ns + "Prsn")!;
        Assert.Equal(["FR", "FR19750312MARIEDUPON", "CONCAT"], [decision.Element(Ns + "CtryOfBrnch")!.Value, decision.Element(Ns + "Othr")!.Element(Ns + "Id")!.Value,
            decision.Element(Ns + "Othr")!.Element(Ns + "SchmeNm")!.Element(Ns + "Prtry")!.Value]);
        Assert.Equal("NIDN", sale.Element(Ns + "ExctgPrsn")!.Element(Ns + "Prsn")!.Element(Ns + "Othr")!.Element(Ns + "SchmeNm")!.Element(Ns + "Cd")!.Value);
        Assert.Equal("SESH", sale.Element(Ns + "AddtlAttrbts")!.Element(Ns + "ShrtSellgInd")!.Value);

        XElement bond = records[3].Element(Ns + "New")!;
        XElement person = bond.Element(Ns + "Buyr")!.Element(Ns + "AcctOwnr")!.Element(Ns + "Id")!.Element(Ns + "Prsn")!;
        Assert.Equal(["Marie", "Martin", "1980-01-01"], [person.Element(Ns + "FrstNm")!.Value, person.Element(Ns + "Nm")!.Value, person.Element(Ns + "BirthDt")!.Value]);
        XElement bondTx = bond.Element(Ns + "Tx")!;
        Assert.Equal(("100000", "EUR"), (bondTx.Element(Ns + "Qty")!.Element(Ns + "NmnlVal")!.Value, bondTx.Element(Ns + "Qty")!.Element(Ns + "NmnlVal")!.Attribute("Ccy")!.Value));
        Assert.Equal("98.125", bondTx.Element(Ns + "Pric")!.Element(Ns + "Pric")!.Element(Ns + "Pctg")!.Value);
        Assert.Equal("98537.33", bondTx.Element(Ns + "NetAmt")!.Value);
        Assert.Equal("XOFF", bondTx.Element(Ns + "TradVn")!.Value);
        Assert.Null(bondTx.Element(Ns + "CtryOfBrnch"));
    }

    [Fact]
    public void The_same_records_write_the_same_bytes() =>
        Assert.Equal(Auth016.Write(Worked, Firm, Firm).Value, Auth016.Write([.. Worked], Firm, Firm).Value);

    [Fact]
    public async Task An_independent_validator_accepts_every_worked_example_and_the_published_sample()
    {
        var files = new List<(string, string)> { ("sample.xml", Sese024Tests.Sample("auth.016.001.03_equity_buy.xml")) };
        int n = 0;
        foreach (ReportRecord record in Worked)
        {
            files.Add(($"report{++n}.xml", Auth016.Write([record], Firm, Firm).Value));
        }
        files.Add(("all.xml", Auth016.Write(Worked, Firm, Firm).Value));
        await Sese024Tests.AssertXmllintValidatesAsync("auth.016.001.03.xsd", Auth016.SchemaText(), files);
    }

    [Fact]
    public void A_report_the_schema_refuses_is_not_written_and_the_refusal_names_the_line()
    {
        Result<string> bad = Auth016.Write([ReportRecord.Of(ClientBuy with { Venue = "XPARIS" })], Firm, Firm);
        Assert.Equal("auth016.schema", bad.Rejection!.Rule);
        Assert.StartsWith("line ", bad.Rejection.Location, StringComparison.Ordinal);
        Assert.Equal("auth016.empty", Auth016.Write([], Firm, Firm).Rejection!.Rule);
    }

    [Fact]
    public void Feedback_is_read_back_record_by_record_with_the_rules_that_failed()
    {
        Result<string> advice = Auth031.Write("MIFIR_20261125_000001", "PART",
            [("T1V1", "RJCT", [("CON-412", "The buyer's LEI is not registered in GLEIF")]), ("T2V1", "PDNG", [])]);
        Assert.True(advice.IsAccepted, advice.Rejection?.ToString());

        FileFeedback feedback = Assert.Single(Auth031.Read("feedback.xml", advice.Value).Value);
        Assert.Equal("MIFIR_20261125_000001", feedback.FileName);
        Assert.Equal(ReportStatus.Accepted, feedback.FileStatus);
        Assert.Equal([new RecordFeedback("T1V1", ReportStatus.Rejected, "CON-412 The buyer's LEI is not registered in GLEIF"), new RecordFeedback("T2V1", ReportStatus.Pending, "")],
            feedback.Records);
    }

    [Fact]
    public void A_feedback_file_that_is_not_a_status_advice_is_refused_with_its_rule()
    {
        Assert.Equal("iso20022.unknown-message", Auth031.Read("wrong.xml", Auth016.Write(Worked, Firm, Firm).Value).Rejection!.Rule);
        Assert.Equal("auth031.schema", Auth031.Read("bad.xml",
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:auth.031.001.01\"><FinInstrmRptgStsAdvc><StsAdvc><MsgSts><Sts>MAYBE</Sts></MsgSts></StsAdvc></FinInstrmRptgStsAdvc></Document>")
            .Rejection!.Rule);
        Assert.Equal("iso20022.dtd", Auth031.Read("dtd.xml", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").Rejection!.Rule);
    }
}

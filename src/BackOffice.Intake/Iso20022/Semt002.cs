using System.Xml.Linq;
using System.Xml.Schema;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Domain.ReferenceData.Identifiers;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// ISO 20022 semt.002.001.11 (SecuritiesBalanceCustodyReportV11): the custodian's statement of
/// holdings, read as one custody <see cref="Statement"/>. Read: the statement id
/// (<c>StmtGnlDtls/StmtId</c>), its date (<c>StmtDtTm</c>, <c>Dt</c> or the date part of <c>DtTm</c>),
/// its basis (<c>StmtBsis/Cd</c>: TRAD trade date, SETT settlement date), the safekeeping account
/// (<c>SfkpgAcct/Id</c>), and for each <c>BalForAcct</c> the ISIN (<c>FinInstrmId/ISIN</c>) and the
/// aggregate balance (<c>AggtBal</c>): its quantity (<c>Qty/Qty</c>: <c>Unit</c>, <c>FaceAmt</c>,
/// <c>AmtsdVal</c> or <c>DgtlTknUnit</c>; or <c>Qty/OrgnlAndCurFace</c>, whose original
/// <c>FaceAmt</c> is taken), negative when <c>ShrtLngInd</c> is SHOR. Holdings are kept in the order
/// listed, not added up. Only complete single-page statements are read: a delta statement lists
/// only what changed, and a page of a longer statement only part of the holdings, so comparing
/// either with our positions would report every other holding as a break. Every message is
/// validated against the published schema (Schemas/, origin in Schemas/README.md) before it is read.
/// </summary>
public static class Semt002
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:semt.002.001.11";

    /// <summary>Most holdings one statement may list.</summary>
    public const int HoldingsMax = 1_000_000;

    private const string SchemaFile = "semt.002.001.11.xsd";
    private const string SchemaRule = "semt002.schema";

    private static readonly XNamespace Ns = Namespace;

    private static readonly Lazy<XmlSchemaSet> Schema = new(() => Iso20022Xml.Compile(SchemaFile, Namespace));

    /// <summary>The schema's text, as published (for independent validators).</summary>
    public static string SchemaText() => Iso20022Xml.SchemaText(SchemaFile);

    /// <summary>
    /// The statement in <paramref name="xml"/> (a semt.002 carries one), or why it cannot be read: a DTD
    /// (<c>iso20022.dtd</c>), malformed XML (<c>iso20022.xml</c>), another message
    /// (<c>iso20022.unknown-message</c>), a schema error (<c>semt002.schema</c>), no statement id
    /// (<c>semt002.no-statement-id</c>), a date that is not a calendar date (<c>semt002.date</c>), a
    /// contractual or proprietary basis (<c>semt002.basis</c>), a delta or proprietary update type
    /// (<c>semt002.update-type</c>), a page of a longer statement (<c>semt002.pages</c>), holdings kept in
    /// sub-accounts (<c>semt002.sub-accounts</c>), no safekeeping account (<c>semt002.no-account</c>), a
    /// holding without an ISIN (<c>semt002.no-isin</c>) or with an invalid one (<c>semt002.isin</c>), a proprietary or contradictory quantity
    /// (<c>semt002.quantity</c>), a number too large to hold (<c>semt002.number</c>) or more than
    /// <see cref="HoldingsMax"/> holdings (<c>semt002.too-many-holdings</c>), located at
    /// <paramref name="fileName"/> and the line.
    /// </summary>
    public static Result<IReadOnlyList<Statement>> Read(string fileName, string xml)
    {
        Result<XDocument> loaded = Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule);
        if (loaded.Rejection is { } refused)
        {
            return refused.At(fileName);
        }
        Result<Statement> statement = Map(loaded.Value.Root!.Element(Ns + "SctiesBalCtdyRpt")!);
        return statement.Rejection is { } rejected ? rejected.At(fileName) : new[] { statement.Value };
    }

    /// <summary>The first schema error of <paramref name="xml"/> (located at its line), or null when it is a valid semt.002.001.11.</summary>
    public static Rejection? Validate(string xml) => Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule).Rejection;

    private static Result<Statement> Map(XElement report)
    {
        XElement general = report.Element(Ns + "StmtGnlDtls")!;
        if (Iso20022Xml.Text(general.Element(Ns + "StmtId")) is not { } statementId)
        {
            return new Rejection("semt002.no-statement-id",
                "the statement has no identifier (StmtGnlDtls/StmtId): a reconciliation could not say which statement it compared",
                Iso20022Xml.Line(general));
        }
        XElement dateTime = general.Element(Ns + "StmtDtTm")!.Elements().First();
        if (Iso20022Xml.Date(dateTime.Value) is not { } date)
        {
            return new Rejection("semt002.date", $"the statement date (StmtGnlDtls/StmtDtTm) '{dateTime.Value.Trim()}' is not a calendar date",
                Iso20022Xml.Line(dateTime));
        }
        Result<StatementBasis> basis = Basis(general.Element(Ns + "StmtBsis")!);
        if (basis.Rejection is { } badBasis)
        {
            return badBasis;
        }
        if (Complete(report, general) is { } incomplete)
        {
            return incomplete;
        }
        if (Iso20022Xml.Text(report.Element(Ns + "SfkpgAcct")?.Element(Ns + "Id")) is not { } account)
        {
            return new Rejection("semt002.no-account",
                "the statement names no safekeeping account (SfkpgAcct/Id): it cannot be compared with one of our accounts", Iso20022Xml.Line(report));
        }
        var holdings = new List<HoldingLine>();
        foreach (XElement balance in report.Elements(Ns + "BalForAcct"))
        {
            if (holdings.Count == HoldingsMax)
            {
                return new Rejection("semt002.too-many-holdings", $"the statement lists more than {HoldingsMax} holdings", Iso20022Xml.Line(balance));
            }
            Result<HoldingLine> holding = Holding(balance);
            if (holding.Rejection is { } badHolding)
            {
                return badHolding;
            }
            holdings.Add(holding.Value);
        }
        return new Statement(StatementKind.Custody, statementId, account, date, basis.Value, null, holdings, [], []);
    }

    private static Result<StatementBasis> Basis(XElement basis)
    {
        string? code = Iso20022Xml.Text(basis.Element(Ns + "Cd"));
        return code switch
        {
            "TRAD" => StatementBasis.TradeDate,
            "SETT" => StatementBasis.SettlementDate,
            "CONT" => new Rejection("semt002.basis",
                "the statement basis (StmtGnlDtls/StmtBsis) is CONT, contractual settlement date: BackOffice compares holdings on a trade-date (TRAD) or settlement-date (SETT) basis",
                Iso20022Xml.Line(basis)),
            _ => new Rejection("semt002.basis",
                "the statement basis (StmtGnlDtls/StmtBsis) is proprietary (Prtry): BackOffice needs the code TRAD or SETT to know which of our positions to compare",
                Iso20022Xml.Line(basis)),
        };
    }

    /// <summary>Null when the statement is complete and on one page, else why it is not read.</summary>
    private static Rejection? Complete(XElement report, XElement general)
    {
        XElement update = general.Element(Ns + "UpdTp")!;
        if (Iso20022Xml.Text(update.Element(Ns + "Cd")) != "COMP")
        {
            return new Rejection("semt002.update-type",
                "the statement is not complete (StmtGnlDtls/UpdTp is not COMP): a delta statement lists only changed holdings and cannot be reconciled on its own",
                Iso20022Xml.Line(update));
        }
        XElement pages = report.Element(Ns + "Pgntn")!;
        string? page = Iso20022Xml.Text(pages.Element(Ns + "PgNb"));
        bool last = Iso20022Xml.Text(pages.Element(Ns + "LastPgInd")) is "true" or "1";
        if (page is null || page.TrimStart('0') != "1" || !last)
        {
            return new Rejection("semt002.pages",
                $"the message is page {page} of a statement in several pages (Pgntn): send the statement as one message",
                Iso20022Xml.Line(pages));
        }
        if (report.Element(Ns + "SubAcctDtls") is { } subAccount)
        {
            return new Rejection("semt002.sub-accounts",
                "the statement reports holdings by sub-account (SubAcctDtls): BackOffice reads holdings of the safekeeping account (BalForAcct) only",
                Iso20022Xml.Line(subAccount));
        }
        return null;
    }

    private static Result<HoldingLine> Holding(XElement balance)
    {
        XElement instrument = balance.Element(Ns + "FinInstrmId")!;
        if (Iso20022Xml.Text(instrument.Element(Ns + "ISIN")) is not { } isin)
        {
            return new Rejection("semt002.no-isin",
                "the holding's security is identified without an ISIN (BalForAcct/FinInstrmId/ISIN)", Iso20022Xml.Line(instrument));
        }
        // The schema checks the ISIN's shape; its check digit is checked here.
        if (IsinRules.Validate(isin) is { IsValid: false } invalid)
        {
            return new Rejection("semt002.isin", $"{isin} is not a valid ISIN: {invalid.Reason}", Iso20022Xml.Line(instrument));
        }
        XElement aggregate = balance.Element(Ns + "AggtBal")!;
        bool shortPosition = Iso20022Xml.Text(aggregate.Element(Ns + "ShrtLngInd")) == "SHOR";
        // BalanceQuantity13Choice: Qty (Quantity51Choice: Qty, one of Unit, FaceAmt, AmtsdVal or
        // DgtlTknUnit; or OrgnlAndCurFace, FaceAmt and AmtsdVal) or Prtry (a proprietary balance).
        XElement choice = aggregate.Element(Ns + "Qty")!;
        XElement? quantityChoice = choice.Element(Ns + "Qty");
        if (quantityChoice is null)
        {
            return new Rejection("semt002.quantity",
                $"the aggregate balance of {isin} is given as a proprietary balance (AggtBal/Qty/Prtry), not a quantity", Iso20022Xml.Line(choice));
        }
        XElement quantity = quantityChoice.Element(Ns + "Qty")?.Elements().First()
            ?? quantityChoice.Element(Ns + "OrgnlAndCurFace")!.Element(Ns + "FaceAmt")!;
        if (Iso20022Xml.Number(quantity.Value) is not { } value)
        {
            return new Rejection("semt002.number", $"{quantity.Name.LocalName} {quantity.Value.Trim()} does not fit a decimal number", Iso20022Xml.Line(quantity));
        }
        if (value < 0m)
        {
            return new Rejection("semt002.quantity",
                $"the quantity of {isin} is negative ({Iso20022Xml.Number(value)}): the sign of a holding is given by ShrtLngInd, SHOR or LONG",
                Iso20022Xml.Line(quantity));
        }
        return new HoldingLine(isin, shortPosition ? -value : value);
    }
}

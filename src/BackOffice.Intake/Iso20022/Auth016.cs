using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Schema;
using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// ISO 20022 auth.016.001.03 (FinancialInstrumentReportingTransactionReportV03): a file of MiFIR
/// transaction reports, each record a new report (<c>Tx/New</c>, the RTS 22 fields) or the
/// cancellation of an earlier one (<c>Tx/Cxl</c>). Every file is validated against the published
/// schema (Schemas/, origin in Schemas/README.md) before it is returned. The same records always
/// write the same bytes.
/// </summary>
public static class Auth016
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:auth.016.001.03";

    private const string SchemaFile = "auth.016.001.03.xsd";

    private static readonly Lazy<XmlSchemaSet> Schema = new(() => Iso20022Xml.Compile(SchemaFile, Namespace));

    // Field 28: UTC, to the microsecond, as ESMA's validation rules write it.
    private static readonly InstantPattern TradingTime = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'");

    /// <summary>The schema's text, as published (for independent validators).</summary>
    public static string SchemaText() => Iso20022Xml.SchemaText(SchemaFile);

    /// <summary>The file for <paramref name="records"/> (at least one), or the schema's first objection.</summary>
    public static Result<string> Write(IReadOnlyList<ReportRecord> records, string executingEntity, string submittingEntity)
    {
        if (records.Count == 0)
        {
            return new Rejection("auth016.empty", "a report file needs at least one record");
        }
        string xml = Render(records, executingEntity, submittingEntity);
        return Validate(xml) is { } invalid ? invalid : xml;
    }

    /// <summary>The file's text, not validated (<see cref="Write"/> validates it).</summary>
    public static string Render(IReadOnlyList<ReportRecord> records, string executingEntity, string submittingEntity)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            Encoding = new UTF8Encoding(false),
            NewLineChars = "\n",
        };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("Document", Namespace);
            w.WriteStartElement("FinInstrmRptgTxRpt");
            foreach (ReportRecord record in records)
            {
                w.WriteStartElement("Tx");
                if (record.Action == ReportAction.Cancel)
                {
                    w.WriteStartElement("Cxl");
                    w.WriteElementString("TxId", record.TransactionId);
                    w.WriteElementString("ExctgPty", executingEntity);
                    w.WriteElementString("SubmitgPty", submittingEntity);
                    w.WriteEndElement();
                }
                else
                {
                    New(w, record.Report!);
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void New(XmlWriter w, TransactionReport r)
    {
        w.WriteStartElement("New");
        w.WriteElementString("TxId", r.TransactionId);
        w.WriteElementString("ExctgPty", r.ExecutingEntity);
        w.WriteElementString("InvstmtPtyInd", Bool(r.InvestmentFirm));
        w.WriteElementString("SubmitgPty", r.SubmittingEntity);
        Party(w, "Buyr", r.Buyer);
        Party(w, "Sellr", r.Seller);
        w.WriteStartElement("OrdrTrnsmssn");
        w.WriteElementString("TrnsmssnInd", Bool(r.Transmission));
        w.WriteEndElement();

        w.WriteStartElement("Tx");
        w.WriteElementString("TradDt", TradingTime.Format(r.TradedAt));
        w.WriteElementString("TradgCpcty", MifirCodes.Capacity(r.Capacity));
        w.WriteStartElement("Qty");
        if (r.QuantityCurrency is { } nominalCurrency)
        {
            w.WriteStartElement("NmnlVal");
            w.WriteAttributeString("Ccy", nominalCurrency);
            w.WriteString(Number(r.Quantity));
            w.WriteEndElement();
        }
        else
        {
            w.WriteElementString("Unit", Number(r.Quantity));
        }
        w.WriteEndElement();
        w.WriteStartElement("Pric");
        w.WriteStartElement("Pric");
        if (r.PricePercentage)
        {
            w.WriteElementString("Pctg", Number(r.Price));
        }
        else
        {
            w.WriteStartElement("MntryVal");
            w.WriteStartElement("Amt");
            w.WriteAttributeString("Ccy", r.PriceCurrency);
            w.WriteString(Number(r.Price));
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        if (r.NetAmount is { } net)
        {
            w.WriteElementString("NetAmt", Number(net));
        }
        w.WriteElementString("TradVn", r.Venue);
        if (r.BranchCountry is { } country)
        {
            w.WriteElementString("CtryOfBrnch", country);
        }
        if (r.VenueTransactionId is { } venueId)
        {
            w.WriteElementString("TradPlcMtchgId", venueId);
        }
        w.WriteEndElement();

        w.WriteStartElement("FinInstrm");
        w.WriteElementString("Id", r.Isin);
        w.WriteEndElement();
        if (r.InvestmentDecision is { } decision)
        {
            WithinFirm(w, "InvstmtDcsnPrsn", decision);
        }
        WithinFirm(w, "ExctgPrsn", r.Execution);
        w.WriteStartElement("AddtlAttrbts");
        if (r.ShortSelling is { } shortSelling)
        {
            w.WriteElementString("ShrtSellgInd", shortSelling switch
            {
                ShortSelling.Short => "SESH",
                ShortSelling.ShortExempt => "SSEX",
                ShortSelling.NotShort => "SELL",
                _ => "UNDI",
            });
        }
        w.WriteElementString("SctiesFincgTxInd", Bool(r.SecuritiesFinancing));
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Party(XmlWriter w, string name, ReportedParty party)
    {
        w.WriteStartElement(name);
        w.WriteStartElement("AcctOwnr");
        w.WriteStartElement("Id");
        if (party.Lei is { } lei)
        {
            w.WriteElementString("LEI", lei);
        }
        else if (party.Mic is { } mic)
        {
            w.WriteElementString("MIC", mic);
        }
        else
        {
            Person(w, party.Person!);
        }
        w.WriteEndElement();
        if (party.BranchCountry is { } country)
        {
            w.WriteElementString("CtryOfBrnch", country);
        }
        w.WriteEndElement();
        if (party.DecisionMakerLei is { } maker)
        {
            w.WriteStartElement("DcsnMakr");
            w.WriteElementString("LEI", maker);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Person(XmlWriter w, ReportedPerson person)
    {
        w.WriteStartElement("Prsn");
        w.WriteElementString("FrstNm", person.FirstName);
        w.WriteElementString("Nm", person.Surname);
        w.WriteElementString("BirthDt", Iso20022Xml.Date(person.BirthDate));
        Identification(w, person.Id, person.Scheme);
        w.WriteEndElement();
    }

    private static void WithinFirm(XmlWriter w, string name, WithinFirm who)
    {
        w.WriteStartElement(name);
        if (who.Algo is { } algo)
        {
            w.WriteElementString("Algo", algo);
        }
        else
        {
            w.WriteStartElement("Prsn");
            w.WriteElementString("CtryOfBrnch", who.Country!);
            Identification(w, who.PersonId!, who.Scheme);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    // A national identifier with its scheme: a code of the external list (NIDN, CCPT), or CONCAT as a proprietary scheme.
    private static void Identification(XmlWriter w, string id, PersonIdScheme scheme)
    {
        w.WriteStartElement("Othr");
        w.WriteElementString("Id", id);
        w.WriteStartElement("SchmeNm");
        w.WriteElementString(scheme == PersonIdScheme.Concat ? "Prtry" : "Cd", MifirCodes.Scheme(scheme));
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static string Bool(bool value) => value ? "true" : "false";

    // Invariant, no exponent, no trailing zeros (the value, not its scale, is reported).
    private static string Number(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>The first schema error of <paramref name="xml"/>, or null when it is a valid auth.016.001.03 file.</summary>
    public static Rejection? Validate(string xml)
    {
        Result<System.Xml.Linq.XDocument> loaded = Iso20022Xml.Load(xml, Schema.Value, Namespace, "auth016.schema");
        return loaded.Rejection;
    }
}

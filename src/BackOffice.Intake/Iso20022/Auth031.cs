using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// ISO 20022 auth.031.001.01 (FinancialInstrumentReportingStatusAdviceV01): the competent
/// authority's (or the ARM's) feedback on a MiFIR report file. Read: the file it answers
/// (<c>StsAdvc/MsgRptIdr</c>), the file's status (<c>MsgSts/Sts</c>) with its validation rules,
/// and each record's status (<c>RcrdSts</c>: <c>OrgnlRcrdId</c> is our transaction reference,
/// <c>Sts</c>, and the rules it failed, <c>VldtnRule/Id</c> and <c>Desc</c>). Every advice is
/// validated against the published schema before it is read; every advice written (for tests and
/// the demo) is validated before it is returned.
/// </summary>
public static class Auth031
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:auth.031.001.01";

    private const string SchemaFile = "auth.031.001.01.xsd";
    private const string SchemaRule = "auth031.schema";

    private static readonly XNamespace Ns = Namespace;

    private static readonly Lazy<XmlSchemaSet> Schema = new(() => Iso20022Xml.Compile(SchemaFile, Namespace));

    /// <summary>
    /// The feedback in <paramref name="xml"/>, one per status advice it carries, or why it cannot be
    /// read (a DTD, malformed XML, another message, a schema error, or a status code this reader
    /// does not map), located at <paramref name="fileName"/> and the line.
    /// </summary>
    public static Result<IReadOnlyList<FileFeedback>> Read(string fileName, string xml)
    {
        Result<XDocument> loaded = Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule);
        if (loaded.Rejection is { } refused)
        {
            return refused.At(fileName);
        }
        var feedback = new List<FileFeedback>();
        foreach (XElement advice in loaded.Value.Root!.Element(Ns + "FinInstrmRptgStsAdvc")!.Elements(Ns + "StsAdvc"))
        {
            string? name = Iso20022Xml.Text(advice.Element(Ns + "MsgRptIdr"));
            ReportStatus? fileStatus = null;
            string fileReason = "";
            if (advice.Element(Ns + "MsgSts") is { } message)
            {
                fileStatus = FeedbackCodes.File(message.Element(Ns + "Sts")!.Value.Trim());
                fileReason = Rules(message);
            }
            var records = new List<RecordFeedback>();
            foreach (XElement record in advice.Elements(Ns + "RcrdSts"))
            {
                string code = record.Element(Ns + "Sts")!.Value.Trim();
                if (FeedbackCodes.Record(code) is not { } status)
                {
                    return new Rejection("auth031.status", $"record status '{code}' is not one this reader maps", Iso20022Xml.Line(record)).At(fileName);
                }
                records.Add(new RecordFeedback(record.Element(Ns + "OrgnlRcrdId")!.Value.Trim(), status, Rules(record)));
            }
            feedback.Add(new FileFeedback(name, fileStatus, fileReason, records));
        }
        return feedback;
    }

    // The validation rules of a status, "ID description" each, joined by "; ".
    private static string Rules(XElement holder) =>
        string.Join("; ", holder.Elements(Ns + "VldtnRule").Select(rule =>
            Iso20022Xml.Text(rule.Element(Ns + "Desc")) is { } description
                ? rule.Element(Ns + "Id")!.Value.Trim() + " " + description
                : rule.Element(Ns + "Id")!.Value.Trim()));

    /// <summary>
    /// A schema-valid advice on the file <paramref name="fileName"/>: the file's status code
    /// (ACPT, PART, RJCT...) and the records it names, each with its status code and the rules it
    /// failed (id and description).
    /// </summary>
    public static Result<string> Write(string fileName, string fileStatus, IReadOnlyList<(string TransactionId, string Status, IReadOnlyList<(string Id, string Description)> Rules)> records)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("Document", Namespace);
            w.WriteStartElement("FinInstrmRptgStsAdvc");
            w.WriteStartElement("StsAdvc");
            w.WriteElementString("MsgRptIdr", fileName);
            w.WriteStartElement("MsgSts");
            w.WriteElementString("Sts", fileStatus);
            w.WriteEndElement();
            foreach ((string transactionId, string status, IReadOnlyList<(string Id, string Description)> rules) in records)
            {
                w.WriteStartElement("RcrdSts");
                w.WriteElementString("OrgnlRcrdId", transactionId);
                w.WriteElementString("Sts", status);
                foreach ((string id, string description) in rules)
                {
                    w.WriteStartElement("VldtnRule");
                    w.WriteElementString("Id", id);
                    w.WriteElementString("Desc", description);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        string xml = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        return Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule).Rejection is { } invalid ? invalid : xml;
    }
}

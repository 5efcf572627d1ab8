using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// ISO 20022 sese.024.001.12 (SecuritiesSettlementTransactionStatusAdviceV12): the custodian's
/// processing, matching and settlement status of one of our instructions. Read: the instruction
/// is <c>TxId/AcctOwnrTxId</c> (our TxId), the custodian's reference <c>TxId/AcctSvcrTxId</c>;
/// <c>PrcgSts</c> AckdAccptd, Rjctd, Canc and PdgPrcg (and Rpr, an instruction in repair, as
/// pending); <c>MtchgSts</c> (or, when absent, <c>IfrrdMtchgSts</c>) Mtchd or Umtchd;
/// <c>SttlmSts</c> Pdg or Flng. Proprietary statuses (Prtry) and the cancellation or modification
/// requests leave the status unknown (null). The reason is the first one given, looked for in
/// the settlement status, then the matching status, then the processing status: its code
/// (<c>Cd/Cd</c>, or the proprietary <c>Prtry/Id</c>) and its <c>AddtlRsnInf</c>. Every message
/// is validated against the published schema (Schemas/, origin in Schemas/README.md) before it
/// is read, and every message written is validated before it is returned.
/// </summary>
public static class Sese024
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:sese.024.001.12";

    private const string SchemaFile = "sese.024.001.12.xsd";
    private const string SchemaRule = "sese024.schema";
    private const string NoReason = "NORE";

    private static readonly XNamespace Ns = Namespace;

    private static readonly Lazy<XmlSchemaSet> Schema = new(() => Iso20022Xml.Compile(SchemaFile, Namespace));

    /// <summary>The schema's text, as published (for independent validators).</summary>
    public static string SchemaText() => Iso20022Xml.SchemaText(SchemaFile);

    /// <summary>
    /// The status advice in <paramref name="xml"/>, or why it cannot be read: a DTD (<c>iso20022.dtd</c>),
    /// malformed XML (<c>iso20022.xml</c>), another message (<c>iso20022.unknown-message</c>), a schema error
    /// (<c>sese024.schema</c>) or no reference to one of our instructions (<c>sese024.no-reference</c>),
    /// located at <paramref name="fileName"/> and the line.
    /// </summary>
    public static Result<StatusAdvice> Read(string fileName, string xml)
    {
        Result<XDocument> loaded = Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule);
        if (loaded.Rejection is { } refused)
        {
            return refused.At(fileName);
        }
        Result<StatusAdvice> advice = Map(loaded.Value.Root!.Element(Ns + "SctiesSttlmTxStsAdvc")!);
        return advice.Rejection is { } rejected ? rejected.At(fileName) : advice;
    }

    /// <summary>The first schema error of <paramref name="xml"/> (located at its line), or null when it is a valid sese.024.001.12.</summary>
    public static Rejection? Validate(string xml) => Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule).Rejection;

    /// <summary>
    /// A schema-valid advice carrying every field of <paramref name="advice"/>, or why it cannot be
    /// written. The reason goes with the status it is read back from: the settlement status if there
    /// is one, else the matching status, else the processing status; the others carry no reason. A
    /// code is written as the status's ISO code (<c>Cd/Cd</c>): one outside that status's code list is
    /// refused by the schema.
    /// </summary>
    public static Result<string> Write(StatusAdvice advice)
    {
        string location = $"advice {advice.TransactionId}";
        bool hasReason = advice.ReasonCode is not null || advice.ReasonText is not null;
        if (hasReason && advice.Processing is null && advice.Matching is null && advice.Settlement is null)
        {
            return new Rejection("sese024.reason-without-status", "a reason is given but no status to give it for", location);
        }
        string reasonHolder = advice.Settlement is not null ? "settlement" : advice.Matching is not null ? "matching" : "processing";
        if (hasReason && advice.ReasonCode is null && !(reasonHolder == "matching" && advice.Matching == MatchingStatus.Matched))
        {
            return new Rejection("sese024.reason-text-without-code",
                $"the {reasonHolder} status can carry a reason text only with a reason code", location);
        }
        if (advice.ReasonCode is not null && reasonHolder == "matching" && advice.Matching == MatchingStatus.Matched)
        {
            return new Rejection("sese024.matched-reason-code",
                "a matched status carries only a proprietary reason, which needs its issuer: give the matched status a reason text only", location);
        }

        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("Document", Namespace);
            xml.WriteStartElement("SctiesSttlmTxStsAdvc");
            xml.WriteStartElement("TxId");
            xml.WriteElementString("AcctOwnrTxId", advice.TransactionId);
            if (advice.ServicerTransactionId is { } servicer)
            {
                xml.WriteElementString("AcctSvcrTxId", servicer);
            }
            xml.WriteEndElement();

            if (advice.Processing is { } processing)
            {
                xml.WriteStartElement("PrcgSts");
                string status = processing switch
                {
                    ProcessingStatus.Accepted => "AckdAccptd",
                    ProcessingStatus.Rejected => "Rjctd",
                    ProcessingStatus.Cancelled => "Canc",
                    ProcessingStatus.Pending => "PdgPrcg",
                    _ => throw new ArgumentOutOfRangeException(nameof(advice), processing, "unknown processing status"),
                };
                CodedStatus(xml, status, reasonHolder == "processing" ? advice : null);
                xml.WriteEndElement();
            }
            if (advice.Matching is { } matching)
            {
                xml.WriteStartElement("MtchgSts");
                StatusAdvice? reason = reasonHolder == "matching" ? advice : null;
                switch (matching)
                {
                    case MatchingStatus.Matched:
                        xml.WriteStartElement("Mtchd");
                        if (reason?.ReasonText is { } matchedText)
                        {
                            xml.WriteElementString("AddtlRsnInf", matchedText);
                        }
                        xml.WriteEndElement();
                        break;
                    case MatchingStatus.Unmatched:
                        CodedStatus(xml, "Umtchd", reason);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(advice), matching, "unknown matching status");
                }
                xml.WriteEndElement();
            }
            if (advice.Settlement is { } settlement)
            {
                xml.WriteStartElement("SttlmSts");
                string status = settlement switch
                {
                    SettlementCondition.Pending => "Pdg",
                    SettlementCondition.Failing => "Flng",
                    _ => throw new ArgumentOutOfRangeException(nameof(advice), settlement, "unknown settlement status"),
                };
                CodedStatus(xml, status, advice);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        string message = text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
        return Validate(message) is { } invalid ? invalid.At(location) : message;
    }

    // A status whose choice is NoSpcfdRsn (NORE) or one Rsn with a coded reason and its text.
    private static void CodedStatus(XmlWriter xml, string status, StatusAdvice? reason)
    {
        xml.WriteStartElement(status);
        if (reason?.ReasonCode is { } code)
        {
            xml.WriteStartElement("Rsn");
            xml.WriteStartElement("Cd");
            xml.WriteElementString("Cd", code);
            xml.WriteEndElement();
            if (reason.ReasonText is { } reasonText)
            {
                xml.WriteElementString("AddtlRsnInf", reasonText);
            }
            xml.WriteEndElement();
        }
        else
        {
            xml.WriteElementString("NoSpcfdRsn", NoReason);
        }
        xml.WriteEndElement();
    }

    private static Result<StatusAdvice> Map(XElement advice)
    {
        XElement txId = advice.Element(Ns + "TxId")!;
        if (Iso20022Xml.Text(txId.Element(Ns + "AcctOwnrTxId")) is not { } transactionId)
        {
            return new Rejection("sese024.no-reference",
                "the advice has no account owner's transaction id (TxId/AcctOwnrTxId): it cannot be matched to one of our instructions",
                Iso20022Xml.Line(txId));
        }
        XElement? processingStatus = advice.Element(Ns + "PrcgSts")?.Elements().FirstOrDefault();
        XElement? matchingStatus = (advice.Element(Ns + "MtchgSts") ?? advice.Element(Ns + "IfrrdMtchgSts"))?.Elements().FirstOrDefault();
        XElement? settlementStatus = advice.Element(Ns + "SttlmSts")?.Elements().FirstOrDefault();

        ProcessingStatus? processing = processingStatus?.Name.LocalName switch
        {
            "AckdAccptd" => ProcessingStatus.Accepted,
            "Rjctd" => ProcessingStatus.Rejected,
            "Canc" => ProcessingStatus.Cancelled,
            "PdgPrcg" or "Rpr" => ProcessingStatus.Pending,
            _ => null,
        };
        MatchingStatus? matching = matchingStatus?.Name.LocalName switch
        {
            "Mtchd" => MatchingStatus.Matched,
            "Umtchd" => MatchingStatus.Unmatched,
            _ => null,
        };
        SettlementCondition? settlement = settlementStatus?.Name.LocalName switch
        {
            "Pdg" => SettlementCondition.Pending,
            "Flng" => SettlementCondition.Failing,
            _ => null,
        };
        (string? Code, string? Text) reason = Reason(settlementStatus) ?? Reason(matchingStatus) ?? Reason(processingStatus) ?? (null, null);
        return new StatusAdvice(transactionId, Iso20022Xml.Text(txId.Element(Ns + "AcctSvcrTxId")),
            processing, matching, settlement, reason.Code, reason.Text);
    }

    // The first reason a status gives, or null when it gives none (NoSpcfdRsn, or nothing).
    private static (string? Code, string? Text)? Reason(XElement? status)
    {
        if (status is null)
        {
            return null;
        }
        (string? Code, string? Text) found = status.Name.LocalName switch
        {
            // ProprietaryReason4: an optional proprietary reason and text.
            "Mtchd" or "CxlReqd" or "ModReqd" => Proprietary(status),
            // ProprietaryStatusAndReason6: a proprietary status and its reasons.
            "Prtry" => status.Element(Ns + "PrtryRsn") is { } first ? Proprietary(first) : (null, null),
            // A status choice: NoSpcfdRsn, or reasons whose code is Cd/Cd or Cd/Prtry/Id.
            _ => status.Element(Ns + "Rsn") is { } rsn
                ? (Iso20022Xml.Text(rsn.Element(Ns + "Cd")?.Element(Ns + "Cd")) ?? Iso20022Xml.Text(rsn.Element(Ns + "Cd")?.Element(Ns + "Prtry")?.Element(Ns + "Id")),
                   Iso20022Xml.Text(rsn.Element(Ns + "AddtlRsnInf")))
                : (null, null),
        };
        return found is (null, null) ? null : found;
    }

    private static (string? Code, string? Text) Proprietary(XElement reason) =>
        (Iso20022Xml.Text(reason.Element(Ns + "Rsn")?.Element(Ns + "Id")), Iso20022Xml.Text(reason.Element(Ns + "AddtlRsnInf")));
}

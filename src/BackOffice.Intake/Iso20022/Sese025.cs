using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// ISO 20022 sese.025.001.11 (SecuritiesSettlementTransactionConfirmationV11): the custodian's
/// confirmation that one of our instructions settled, in full or in part. Read: the instruction
/// (<c>TxIdDtls/AcctOwnrTxId</c>) and the custodian's reference (<c>AcctSvcrTxId</c>), the
/// movement (<c>SctiesMvmntTp</c> DELI or RECE, <c>Pmt</c> APMT or FREE), the ISIN, the settled
/// quantity (<c>QtyAndAcctDtls/SttldQty</c>: units, or a face amount), the actual settlement
/// date (<c>TradDtls/FctvSttlmDt</c>, the date part of a date-time), the settled cash
/// (<c>SttldAmt</c> with its currency and CRDT or DBIT), and partial settlement: the
/// confirmation is partial when <c>AddtlParams/PrtlSttlm</c> says so (PAIN, a part with more to
/// come, or PARC, the last part of one previously partially confirmed), or when a quantity was
/// settled before it (<c>PrevslySttldQty</c>) or remains to settle (<c>RmngToBeSttldQty</c>).
/// (<c>SttlmParams/PrtlSttlmInd</c> is the instruction's permission to settle partially, not a
/// partial settlement, and is not read.) Every message is validated against the published schema
/// (Schemas/, origin in Schemas/README.md) before it is read, and every message written is
/// validated before it is returned.
/// </summary>
public static class Sese025
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:sese.025.001.11";

    private const string SchemaFile = "sese.025.001.11.xsd";
    private const string SchemaRule = "sese025.schema";

    private static readonly XNamespace Ns = Namespace;

    private static readonly Lazy<XmlSchemaSet> Schema = new(() => Iso20022Xml.Compile(SchemaFile, Namespace));

    /// <summary>The schema's text, as published (for independent validators).</summary>
    public static string SchemaText() => Iso20022Xml.SchemaText(SchemaFile);

    /// <summary>
    /// The confirmation in <paramref name="xml"/>, or why it cannot be read: a DTD (<c>iso20022.dtd</c>),
    /// malformed XML (<c>iso20022.xml</c>), another message (<c>iso20022.unknown-message</c>), a schema error
    /// (<c>sese025.schema</c>), no reference to one of our instructions (<c>sese025.no-reference</c>), a
    /// security without an ISIN (<c>sese025.no-isin</c>), a quantity given only as an amortised value
    /// (<c>sese025.quantity</c>), a number too large to hold (<c>sese025.number</c>) or a settlement date given
    /// as a code (<c>sese025.no-settlement-date</c>), located at <paramref name="fileName"/> and the line.
    /// </summary>
    public static Result<SettlementConfirmation> Read(string fileName, string xml)
    {
        Result<XDocument> loaded = Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule);
        if (loaded.Rejection is { } refused)
        {
            return refused.At(fileName);
        }
        Result<SettlementConfirmation> confirmation = Map(loaded.Value.Root!.Element(Ns + "SctiesSttlmTxConf")!);
        return confirmation.Rejection is { } rejected ? rejected.At(fileName) : confirmation;
    }

    /// <summary>The first schema error of <paramref name="xml"/> (located at its line), or null when it is a valid sese.025.001.11.</summary>
    public static Rejection? Validate(string xml) => Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule).Rejection;

    /// <summary>
    /// A schema-valid confirmation carrying every field of <paramref name="confirmation"/>, with
    /// <paramref name="safekeepingAccount"/> as the account, or why it cannot be written. The schema
    /// requires a securities transaction type the record does not carry: it is written as TRAD. A
    /// partial confirmation carries <c>AddtlParams/PrtlSttlm</c> (PARC when nothing remains, else PAIN)
    /// and, when the remaining quantity is known, <c>RmngToBeSttldQty</c> in the settled quantity's unit.
    /// </summary>
    public static Result<string> Write(SettlementConfirmation confirmation, string safekeepingAccount)
    {
        string location = $"confirmation {confirmation.TransactionId}";
        if (confirmation.SettledAmount is not null && (confirmation.Currency is null || confirmation.Credit is null))
        {
            return new Rejection("sese025.amount-incomplete", "a settled amount needs its currency and its direction (credit or debit)", location);
        }
        if (!confirmation.Partial && confirmation.RemainingQuantity is > 0m)
        {
            return new Rejection("sese025.partial-inconsistent", "a quantity remains to settle but the confirmation is not marked partial", location);
        }
        string quantityElement = confirmation.FaceAmount ? "FaceAmt" : "Unit";

        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("Document", Namespace);
            xml.WriteStartElement("SctiesSttlmTxConf");
            xml.WriteStartElement("TxIdDtls");
            xml.WriteElementString("AcctOwnrTxId", confirmation.TransactionId);
            if (confirmation.ServicerTransactionId is { } servicer)
            {
                xml.WriteElementString("AcctSvcrTxId", servicer);
            }
            xml.WriteElementString("SctiesMvmntTp", confirmation.Delivery ? "DELI" : "RECE");
            xml.WriteElementString("Pmt", confirmation.AgainstPayment ? "APMT" : "FREE");
            xml.WriteEndElement();

            if (confirmation.Partial)
            {
                xml.WriteStartElement("AddtlParams");
                xml.WriteElementString("PrtlSttlm", confirmation.RemainingQuantity == 0m ? "PARC" : "PAIN");
                xml.WriteEndElement();
            }

            xml.WriteStartElement("TradDtls");
            xml.WriteStartElement("FctvSttlmDt");
            xml.WriteStartElement("Dt");
            xml.WriteElementString("Dt", Iso20022Xml.Date(confirmation.SettledOn));
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("FinInstrmId");
            xml.WriteElementString("ISIN", confirmation.Isin);
            xml.WriteEndElement();

            xml.WriteStartElement("QtyAndAcctDtls");
            xml.WriteStartElement("SttldQty");
            xml.WriteStartElement("Qty");
            xml.WriteElementString(quantityElement, Iso20022Xml.Number(confirmation.SettledQuantity));
            xml.WriteEndElement();
            xml.WriteEndElement();
            if (confirmation.RemainingQuantity is { } remaining)
            {
                xml.WriteStartElement("RmngToBeSttldQty");
                xml.WriteElementString(quantityElement, Iso20022Xml.Number(remaining));
                xml.WriteEndElement();
            }
            xml.WriteStartElement("SfkpgAcct");
            xml.WriteElementString("Id", safekeepingAccount);
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("SttlmParams");
            xml.WriteStartElement("SctiesTxTp");
            xml.WriteElementString("Cd", "TRAD");
            xml.WriteEndElement();
            xml.WriteEndElement();

            if (confirmation.SettledAmount is { } amount)
            {
                xml.WriteStartElement("SttldAmt");
                xml.WriteStartElement("Amt");
                xml.WriteAttributeString("Ccy", confirmation.Currency);
                xml.WriteString(Iso20022Xml.Number(amount));
                xml.WriteEndElement();
                xml.WriteElementString("CdtDbtInd", confirmation.Credit == true ? "CRDT" : "DBIT");
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        string message = text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
        return Validate(message) is { } invalid ? invalid.At(location) : message;
    }

    private static Result<SettlementConfirmation> Map(XElement confirmation)
    {
        XElement ids = confirmation.Element(Ns + "TxIdDtls")!;
        if (Iso20022Xml.Text(ids.Element(Ns + "AcctOwnrTxId")) is not { } transactionId)
        {
            return new Rejection("sese025.no-reference",
                "the confirmation has no account owner's transaction id (TxIdDtls/AcctOwnrTxId): it cannot be matched to one of our instructions",
                Iso20022Xml.Line(ids));
        }
        bool delivery = Iso20022Xml.Text(ids.Element(Ns + "SctiesMvmntTp")) == "DELI";
        bool againstPayment = Iso20022Xml.Text(ids.Element(Ns + "Pmt")) == "APMT";

        XElement instrument = confirmation.Element(Ns + "FinInstrmId")!;
        if (Iso20022Xml.Text(instrument.Element(Ns + "ISIN")) is not { } isin)
        {
            return new Rejection("sese025.no-isin", "the security is identified without an ISIN (FinInstrmId/ISIN)", Iso20022Xml.Line(instrument));
        }

        XElement settlementDate = confirmation.Element(Ns + "TradDtls")!.Element(Ns + "FctvSttlmDt")!;
        XElement? dateValue = settlementDate.Element(Ns + "Dt")?.Elements().FirstOrDefault();
        if (dateValue is null || Iso20022Xml.Date(dateValue.Value) is not { } settledOn)
        {
            return new Rejection("sese025.no-settlement-date",
                "the effective settlement date (TradDtls/FctvSttlmDt) is given as a code, not a date", Iso20022Xml.Line(settlementDate));
        }

        XElement quantities = confirmation.Element(Ns + "QtyAndAcctDtls")!;
        XElement settledQuantity = quantities.Element(Ns + "SttldQty")!;
        // Quantity51Choice: Qty (Unit, FaceAmt, AmtsdVal or DgtlTknUnit) or OrgnlAndCurFace (FaceAmt and AmtsdVal).
        XElement quantity = settledQuantity.Element(Ns + "Qty")?.Elements().First()
            ?? settledQuantity.Element(Ns + "OrgnlAndCurFace")!.Element(Ns + "FaceAmt")!;
        if (quantity.Name.LocalName == "AmtsdVal")
        {
            return new Rejection("sese025.quantity",
                "the settled quantity is given only as an amortised value: BackOffice settles units or face amounts", Iso20022Xml.Line(quantity));
        }
        bool faceAmount = quantity.Name.LocalName == "FaceAmt";
        if (Iso20022Xml.Number(quantity.Value) is not { } settled)
        {
            return TooLarge(quantity);
        }

        decimal? remaining = null;
        if (quantities.Element(Ns + "RmngToBeSttldQty")?.Elements().First() is { } remainingElement)
        {
            if (Iso20022Xml.Number(remainingElement.Value) is not { } value)
            {
                return TooLarge(remainingElement);
            }
            remaining = value;
        }
        decimal? previously = null;
        if (quantities.Element(Ns + "PrevslySttldQty")?.Elements().First() is { } previousElement)
        {
            if (Iso20022Xml.Number(previousElement.Value) is not { } value)
            {
                return TooLarge(previousElement);
            }
            previously = value;
        }
        bool partial = Iso20022Xml.Text(confirmation.Element(Ns + "AddtlParams")?.Element(Ns + "PrtlSttlm")) is "PAIN" or "PARC"
            || remaining is not null and not 0m
            || previously is not null and not 0m;

        decimal? settledAmount = null;
        string? currency = null;
        bool? credit = null;
        if (confirmation.Element(Ns + "SttldAmt") is { } cash)
        {
            XElement amount = cash.Element(Ns + "Amt")!;
            if (Iso20022Xml.Number(amount.Value) is not { } value)
            {
                return TooLarge(amount);
            }
            settledAmount = value;
            currency = (string?)amount.Attribute("Ccy");
            credit = Iso20022Xml.Text(cash.Element(Ns + "CdtDbtInd")) == "CRDT";
        }

        return new SettlementConfirmation(transactionId, Iso20022Xml.Text(ids.Element(Ns + "AcctSvcrTxId")),
            delivery, againstPayment, isin, settled, faceAmount, settledAmount, currency, credit, settledOn, partial, remaining);
    }

    private static Rejection TooLarge(XElement number) =>
        new("sese025.number", $"{number.Name.LocalName} {number.Value.Trim()} does not fit a decimal number", Iso20022Xml.Line(number));
}

using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Schema;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// ISO 20022 sese.023.001.11 (SecuritiesSettlementTransactionInstructionV11): one settlement
/// instruction per obligation, for the custodian or CSD. Fills the movement (DELI or RECE) and
/// payment (APMT or FREE), trade and settlement dates, deal price (an amount for units, a
/// percentage for a face amount), the ISIN, the quantity (units or face amount) and our
/// safekeeping account, the transaction type TRAD, the counterparty's side from its standing
/// settlement instruction (the place of settlement as depository, its agent and account as party
/// 1), and for a payment the settlement amount with its direction. Every message is validated
/// against the published schema (Schemas/, origin in Schemas/README.md) before it is returned.
/// </summary>
public static class Sese023
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:sese.023.001.11";

    /// <summary>The schema's text, as published (for independent validators).</summary>
    public static string SchemaText()
    {
        using Stream stream = typeof(Sese023).Assembly.GetManifestResourceStream("BackOffice.Intake.Iso20022.sese.023.001.11.xsd")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static readonly Lazy<XmlSchemaSet> Schema = new(() =>
    {
        using Stream stream = typeof(Sese023).Assembly.GetManifestResourceStream("BackOffice.Intake.Iso20022.sese.023.001.11.xsd")!;
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        set.Add(Namespace, reader);
        set.Compile();
        return set;
    });

    /// <summary>The instruction for <paramref name="obligation"/> settling on its own, or why it cannot be instructed (no SSI, or a message the schema refuses).</summary>
    public static Result<string> Write(SettlementObligation obligation, string safekeepingAccount)
    {
        if (obligation.Ssi is null)
        {
            return new Rejection("settlement.ssi-missing",
                $"trade {obligation.TradeId} (counterparty {obligation.Counterparty}) has no standing settlement instruction: the place of settlement and the counterparty's account are unknown");
        }
        return Write(SettlementBooking.Gross(obligation), safekeepingAccount);
    }

    /// <summary>The message for <paramref name="instruction"/> (gross or net), or the schema's rejection.</summary>
    public static Result<string> Write(SettlementInstruction instruction, string safekeepingAccount)
    {
        SettlementInstruction obligation = instruction;
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("Document", Namespace);
            xml.WriteStartElement("SctiesSttlmTxInstr");
            xml.WriteElementString("TxId", obligation.TransactionId);
            xml.WriteStartElement("SttlmTpAndAddtlParams");
            xml.WriteElementString("SctiesMvmntTp", obligation.Delivers ? "DELI" : "RECE");
            xml.WriteElementString("Pmt", obligation.AgainstPayment ? "APMT" : "FREE");
            xml.WriteEndElement();

            xml.WriteStartElement("TradDtls");
            if (!obligation.Netted)
            {
                xml.WriteElementString("TradId", obligation.Members[0].TradeId.ToString(CultureInfo.InvariantCulture));
            }
            Date(xml, "TradDt", obligation.TradeDate);
            Date(xml, "SttlmDt", obligation.SettlementDate);
            xml.WriteStartElement("DealPric");
            xml.WriteStartElement("Tp");
            xml.WriteElementString("Yldd", "false");
            xml.WriteEndElement();
            xml.WriteStartElement("Val");
            if (obligation.Nominal)
            {
                xml.WriteElementString("Rate", Number(obligation.Price));
            }
            else
            {
                Amount(xml, "Amt", obligation.Price, obligation.Currency);
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("FinInstrmId");
            xml.WriteElementString("ISIN", obligation.Isin);
            xml.WriteEndElement();

            xml.WriteStartElement("QtyAndAcctDtls");
            xml.WriteStartElement("SttlmQty");
            xml.WriteStartElement("Qty");
            xml.WriteElementString(obligation.Nominal ? "FaceAmt" : "Unit", Number(obligation.Quantity));
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteStartElement("SfkpgAcct");
            xml.WriteElementString("Id", safekeepingAccount);
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("SttlmParams");
            xml.WriteStartElement("SctiesTxTp");
            xml.WriteElementString("Cd", "TRAD");
            xml.WriteEndElement();
            xml.WriteElementString("PrtlSttlmInd", "PART");
            xml.WriteEndElement();

            // The other side of the movement: who receives what we deliver, or delivers what we receive.
            xml.WriteStartElement(obligation.Delivers ? "RcvgSttlmPties" : "DlvrgSttlmPties");
            xml.WriteStartElement("Dpstry");
            xml.WriteStartElement("Id");
            xml.WriteElementString("AnyBIC", obligation.PlaceOfSettlement);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteStartElement("Pty1");
            xml.WriteStartElement("Id");
            xml.WriteElementString("AnyBIC", obligation.CounterpartyAgent);
            xml.WriteEndElement();
            xml.WriteElementString("LEI", obligation.Counterparty);
            xml.WriteStartElement("SfkpgAcct");
            xml.WriteElementString("Id", obligation.CounterpartyAccount);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();

            if (obligation.AgainstPayment)
            {
                xml.WriteStartElement("SttlmAmt");
                Amount(xml, "Amt", obligation.Amount, obligation.Currency);
                // Credited when the cash comes to us (a sale, or a net we are paid for), debited otherwise.
                xml.WriteElementString("CdtDbtInd", obligation.ReceivesCash ? "CRDT" : "DBIT");
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        string message = text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
        return Validate(message) is { } invalid ? invalid.At($"instruction {obligation.TransactionId}") : message;
    }

    /// <summary>The first schema error of <paramref name="message"/>, or null when it is a valid sese.023.001.11.</summary>
    public static Rejection? Validate(string message)
    {
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = Schema.Value,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        string? first = null;
        settings.ValidationEventHandler += (_, e) => first ??= $"line {e.Exception?.LineNumber}: {e.Message}";
        try
        {
            using var reader = XmlReader.Create(new StringReader(message), settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException e)
        {
            return new Rejection("sese023.xml", e.Message);
        }
        return first is null ? null : new Rejection("sese023.schema", first);
    }

    private static void Date(XmlWriter xml, string element, NodaTime.LocalDate date)
    {
        xml.WriteStartElement(element);
        xml.WriteStartElement("Dt");
        xml.WriteElementString("Dt", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Amount(XmlWriter xml, string element, decimal amount, string currency)
    {
        xml.WriteStartElement(element);
        xml.WriteAttributeString("Ccy", currency);
        xml.WriteString(Number(amount));
        xml.WriteEndElement();
    }

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

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
        string message = Render(instruction, safekeepingAccount);
        return Validate(message) is { } invalid ? invalid.At($"instruction {instruction.TransactionId}") : message;
    }

    /// <summary>The message as sent (UTF-8, no byte-order mark), and what the books keep of it: its digest and the account it names.</summary>
    public static Application.Settlement.SentMessage Sent(SettlementInstruction instruction, string safekeepingAccount) =>
        new(Sha256Hash.Of(Bytes(instruction, safekeepingAccount)), safekeepingAccount);

    /// <summary>The bytes of the message for <paramref name="instruction"/>, as written and sent: UTF-8 without a byte-order mark.</summary>
    public static byte[] Bytes(SettlementInstruction instruction, string safekeepingAccount) =>
        new System.Text.UTF8Encoding(false).GetBytes(Render(instruction, safekeepingAccount));

    /// <summary>Null when <paramref name="instruction"/>'s message is valid against the schema, else why not (the message is not kept).</summary>
    public static Rejection? Check(SettlementInstruction instruction, string safekeepingAccount) =>
        Validate(Render(instruction, safekeepingAccount))?.At($"instruction {instruction.TransactionId}");

    /// <summary>
    /// The message for <paramref name="instruction"/>, not validated: for writing out instructions
    /// already checked (<see cref="Check"/>); the same instruction always renders the same text.
    /// </summary>
    public static string Render(SettlementInstruction instruction, string safekeepingAccount)
    {
        SettlementInstruction obligation = instruction;
        // Written by hand (a busy day writes a million): the same indented text XmlWriter writes, in a fraction of its time.
        var xml = new Tree();
        xml.Open("Document", " xmlns=\"" + Namespace + "\"");
        xml.Open("SctiesSttlmTxInstr");
        xml.Leaf("TxId", obligation.TransactionId);
        xml.Open("SttlmTpAndAddtlParams");
        xml.Leaf("SctiesMvmntTp", obligation.Delivers ? "DELI" : "RECE");
        xml.Leaf("Pmt", obligation.AgainstPayment ? "APMT" : "FREE");
        xml.Close();

        xml.Open("TradDtls");
        if (!obligation.Netted)
        {
            xml.Leaf("TradId", obligation.Members[0].TradeId.ToString(CultureInfo.InvariantCulture));
        }
        Date(xml, "TradDt", obligation.TradeDate);
        Date(xml, "SttlmDt", obligation.SettlementDate);
        xml.Open("DealPric");
        xml.Open("Tp");
        xml.Leaf("Yldd", "false");
        xml.Close();
        xml.Open("Val");
        if (obligation.Nominal)
        {
            xml.Leaf("Rate", Number(obligation.Price));
        }
        else
        {
            Amount(xml, "Amt", obligation.Price, obligation.Currency);
        }
        xml.Close();
        xml.Close();
        xml.Close();

        xml.Open("FinInstrmId");
        xml.Leaf("ISIN", obligation.Isin);
        xml.Close();

        xml.Open("QtyAndAcctDtls");
        xml.Open("SttlmQty");
        xml.Open("Qty");
        xml.Leaf(obligation.Nominal ? "FaceAmt" : "Unit", Number(obligation.Quantity));
        xml.Close();
        xml.Close();
        xml.Open("SfkpgAcct");
        xml.Leaf("Id", safekeepingAccount);
        xml.Close();
        xml.Close();

        xml.Open("SttlmParams");
        xml.Open("SctiesTxTp");
        xml.Leaf("Cd", "TRAD");
        xml.Close();
        xml.Leaf("PrtlSttlmInd", "PART");
        xml.Close();

        // The other side of the movement: who receives what we deliver, or delivers what we receive.
        xml.Open(obligation.Delivers ? "RcvgSttlmPties" : "DlvrgSttlmPties");
        xml.Open("Dpstry");
        xml.Open("Id");
        xml.Leaf("AnyBIC", obligation.PlaceOfSettlement);
        xml.Close();
        xml.Close();
        xml.Open("Pty1");
        xml.Open("Id");
        xml.Leaf("AnyBIC", obligation.CounterpartyAgent);
        xml.Close();
        xml.Leaf("LEI", obligation.Counterparty);
        xml.Open("SfkpgAcct");
        xml.Leaf("Id", obligation.CounterpartyAccount);
        xml.Close();
        xml.Close();
        xml.Close();

        if (obligation.AgainstPayment)
        {
            xml.Open("SttlmAmt");
            Amount(xml, "Amt", obligation.Amount, obligation.Currency);
            // Credited when the cash comes to us (a sale, or a net we are paid for), debited otherwise.
            xml.Leaf("CdtDbtInd", obligation.ReceivesCash ? "CRDT" : "DBIT");
            xml.Close();
        }
        xml.Close();
        xml.Close();
        return xml.ToString();
    }

    /// <summary>An indented XML document written element by element; text is escaped, names are the schema's.</summary>
    private sealed class Tree
    {
        private readonly StringBuilder _text = new StringBuilder(2048).Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        private readonly Stack<string> _open = new();

        public void Open(string name, string attributes = "")
        {
            Indent();
            _text.Append('<').Append(name).Append(attributes).Append('>');
            _open.Push(name);
        }

        public void Leaf(string name, string value, string attributes = "")
        {
            Indent();
            _text.Append('<').Append(name).Append(attributes).Append('>');
            Escape(value);
            _text.Append("</").Append(name).Append('>');
        }

        public void Close()
        {
            string name = _open.Pop();
            Indent();
            _text.Append("</").Append(name).Append('>');
        }

        private void Indent() => _text.Append('\n').Append(' ', 2 * _open.Count);

        private void Escape(string value)
        {
            foreach (char c in value)
            {
                _ = c switch
                {
                    '&' => _text.Append("&amp;"),
                    '<' => _text.Append("&lt;"),
                    '>' => _text.Append("&gt;"),
                    '"' => _text.Append("&quot;"),
                    _ => _text.Append(c),
                };
            }
        }

        public override string ToString() => _text.ToString();
    }

    /// <summary>The first schema error of <paramref name="message"/>, or null when it is a valid sese.023.001.11.</summary>
    public static Rejection? Validate(string message)
    {
        try
        {
            // No validation handler: the first schema error throws, with its line.
            using var reader = XmlReader.Create(new StringReader(message), ValidatingSettings);
            while (reader.Read())
            {
            }
        }
        catch (XmlSchemaValidationException e)
        {
            return new Rejection("sese023.schema", string.Create(CultureInfo.InvariantCulture, $"line {e.LineNumber}: {e.Message}"));
        }
        catch (XmlException e)
        {
            return new Rejection("sese023.xml", e.Message);
        }
        return null;
    }

    // Settings are built once per thread (instructions are validated on every core).
    [ThreadStatic]
    private static XmlReaderSettings? s_validating;

    private static XmlReaderSettings ValidatingSettings => s_validating ??= new XmlReaderSettings
    {
        ValidationType = ValidationType.Schema,
        Schemas = Schema.Value,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        // The indentation between elements means nothing to the schema (element-only content): not reported, not validated.
        IgnoreWhitespace = true,
        IgnoreComments = true,
    };

    private static void Date(Tree xml, string element, NodaTime.LocalDate date)
    {
        xml.Open(element);
        xml.Open("Dt");
        xml.Leaf("Dt", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        xml.Close();
        xml.Close();
    }

    private static void Amount(Tree xml, string element, decimal amount, string currency) =>
        xml.Leaf(element, Number(amount), " Ccy=\"" + currency + "\"");

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

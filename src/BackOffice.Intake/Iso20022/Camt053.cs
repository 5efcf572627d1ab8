using System.Xml.Linq;
using System.Xml.Schema;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using NodaTime;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// ISO 20022 camt.053.001.12 (BankToCustomerStatementV12): the bank's end-of-day statement of a
/// cash account, read as one cash <see cref="Statement"/> per <c>Stmt</c>. A bank books on the
/// booking date, so every cash statement is on <see cref="StatementBasis.SettlementDate"/> and is
/// compared with our settlement-date cash. Read for each statement: <c>Id</c>; the account
/// (<c>Acct/Id/IBAN</c>, or <c>Acct/Id/Othr/Id</c>) and its currency (<c>Acct/Ccy</c>, or when absent
/// the currency of the first balance); the statement date, which is the date of the closing booked
/// balance (CLBD) when there is one (a statement created early the next morning is still the
/// previous day's), else the date part of the statement's <c>CreDtTm</c>, else of the group
/// header's; each <c>Bal</c>: its type (<c>Tp/CdOrPrtry/Cd</c>; a proprietary type is kept as
/// <c>Prtry:</c> and its text), <c>Amt</c> signed by <c>CdtDbtInd</c> (DBIT negative) and its date
/// (<c>Dt/Dt</c> or the date part of <c>Dt/DtTm</c>); each <c>Ntry</c>: <c>Amt</c> signed by
/// <c>CdtDbtInd</c> (a reversal, <c>RvslInd</c>, carries the direction of the reversing booking, so
/// it needs no other sign), <c>BookgDt</c>, <c>ValDt</c>, the reference (the
/// <c>NtryDtls/TxDtls/Refs/EndToEndId</c> of an entry with one transaction, unless NOTPROVIDED; else
/// <c>AcctSvcrRef</c>; else <c>NtryRef</c>) and the description (<c>AddtlNtryInf</c>, else the
/// unstructured remittance information <c>RmtInf/Ustrd</c> of an entry with one transaction). Only
/// booked entries (<c>Sts</c> BOOK) are read. Every message is validated against the published
/// schema (Schemas/, origin in Schemas/README.md) before it is read.
/// </summary>
public static class Camt053
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.12";

    /// <summary>Most entries one statement may list.</summary>
    public const int EntriesMax = 1_000_000;

    private const string SchemaFile = "camt.053.001.12.xsd";
    private const string SchemaRule = "camt053.schema";
    private const string CurrencyRule = "camt053.currency";
    private const string NotProvided = "NOTPROVIDED";

    private static readonly XNamespace Ns = Namespace;

    private static readonly Lazy<XmlSchemaSet> Schema = new(() => Iso20022Xml.Compile(SchemaFile, Namespace));

    /// <summary>The schema's text, as published (for independent validators).</summary>
    public static string SchemaText() => Iso20022Xml.SchemaText(SchemaFile);

    /// <summary>
    /// The statements in <paramref name="xml"/>, one per <c>Stmt</c>, or why they cannot be read: a DTD
    /// (<c>iso20022.dtd</c>), malformed XML (<c>iso20022.xml</c>), another message
    /// (<c>iso20022.unknown-message</c>), a schema error (<c>camt053.schema</c>), an account without an
    /// IBAN or other identification (<c>camt053.no-account</c>), an amount in a currency other than the
    /// account's (<c>camt053.currency</c>), an entry that is not booked (<c>camt053.entry-status</c>) or has
    /// no booking date (<c>camt053.no-booking-date</c>), a date that is not a calendar date
    /// (<c>camt053.date</c>), a number too large to hold (<c>camt053.number</c>) or more than
    /// <see cref="EntriesMax"/> entries (<c>camt053.too-many-entries</c>), located at
    /// <paramref name="fileName"/> and the line.
    /// </summary>
    public static Result<IReadOnlyList<Statement>> Read(string fileName, string xml)
    {
        Result<XDocument> loaded = Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule);
        if (loaded.Rejection is { } refused)
        {
            return refused.At(fileName);
        }
        XElement message = loaded.Value.Root!.Element(Ns + "BkToCstmrStmt")!;
        string created = message.Element(Ns + "GrpHdr")!.Element(Ns + "CreDtTm")!.Value;
        var statements = new List<Statement>();
        foreach (XElement element in message.Elements(Ns + "Stmt"))
        {
            Result<Statement> statement = Map(element, created);
            if (statement.Rejection is { } rejected)
            {
                return rejected.At(fileName);
            }
            statements.Add(statement.Value);
        }
        return statements;
    }

    /// <summary>The first schema error of <paramref name="xml"/> (located at its line), or null when it is a valid camt.053.001.12.</summary>
    public static Rejection? Validate(string xml) => Iso20022Xml.Load(xml, Schema.Value, Namespace, SchemaRule).Rejection;

    private static Result<Statement> Map(XElement statement, string messageCreated)
    {
        string id = Iso20022Xml.Text(statement.Element(Ns + "Id"))!;
        XElement account = statement.Element(Ns + "Acct")!;
        XElement? accountId = account.Element(Ns + "Id");
        if ((Iso20022Xml.Text(accountId?.Element(Ns + "IBAN")) ?? Iso20022Xml.Text(accountId?.Element(Ns + "Othr")?.Element(Ns + "Id"))) is not { } accountName)
        {
            return new Rejection("camt053.no-account",
                $"statement {id} identifies its account by neither an IBAN (Acct/Id/IBAN) nor another identification (Acct/Id/Othr/Id)",
                Iso20022Xml.Line(account));
        }
        string currency = Iso20022Xml.Text(account.Element(Ns + "Ccy"))
            ?? (string)statement.Element(Ns + "Bal")!.Element(Ns + "Amt")!.Attribute("Ccy")!;

        var balances = new List<CashBalance>();
        foreach (XElement element in statement.Elements(Ns + "Bal"))
        {
            Result<CashBalance> balance = Balance(element, currency);
            if (balance.Rejection is { } badBalance)
            {
                return badBalance;
            }
            balances.Add(balance.Value);
        }
        var entries = new List<CashEntry>();
        foreach (XElement element in statement.Elements(Ns + "Ntry"))
        {
            if (entries.Count == EntriesMax)
            {
                return new Rejection("camt053.too-many-entries", $"statement {id} lists more than {EntriesMax} entries", Iso20022Xml.Line(element));
            }
            Result<CashEntry> entry = Entry(element, currency);
            if (entry.Rejection is { } badEntry)
            {
                return badEntry;
            }
            entries.Add(entry.Value);
        }

        string dateText = Iso20022Xml.Text(statement.Element(Ns + "CreDtTm")) ?? messageCreated;
        LocalDate? date = balances.FirstOrDefault(b => b.Type == "CLBD")?.Date ?? Iso20022Xml.Date(dateText);
        if (date is null)
        {
            return new Rejection("camt053.date", $"the creation date of statement {id} '{dateText.Trim()}' is not a calendar date", Iso20022Xml.Line(statement));
        }
        return new Statement(StatementKind.Cash, id, accountName, date.Value, StatementBasis.SettlementDate, currency, [], entries, balances);
    }

    private static Result<CashBalance> Balance(XElement balance, string currency)
    {
        XElement type = balance.Element(Ns + "Tp")!.Element(Ns + "CdOrPrtry")!;
        string code = Iso20022Xml.Text(type.Element(Ns + "Cd")) ?? "Prtry:" + Iso20022Xml.Text(type.Element(Ns + "Prtry"));
        Result<decimal> amount = SignedAmount(balance, currency);
        if (amount.Rejection is { } badAmount)
        {
            return badAmount;
        }
        Result<LocalDate> date = Date(balance.Element(Ns + "Dt")!, $"the date of balance {code}");
        if (date.Rejection is { } badDate)
        {
            return badDate;
        }
        return new CashBalance(code, amount.Value, date.Value);
    }

    private static Result<CashEntry> Entry(XElement entry, string currency)
    {
        XElement status = entry.Element(Ns + "Sts")!;
        if (Iso20022Xml.Text(status.Element(Ns + "Cd")) != "BOOK")
        {
            string given = Iso20022Xml.Text(status.Element(Ns + "Cd")) ?? "proprietary " + Iso20022Xml.Text(status.Element(Ns + "Prtry"));
            return new Rejection("camt053.entry-status",
                $"the entry's status (Ntry/Sts) is {given}, not BOOK: only booked entries are reconciled against the books", Iso20022Xml.Line(status));
        }
        Result<decimal> amount = SignedAmount(entry, currency);
        if (amount.Rejection is { } badAmount)
        {
            return badAmount;
        }
        if (entry.Element(Ns + "BookgDt") is not { } bookingElement)
        {
            return new Rejection("camt053.no-booking-date", "the booked entry has no booking date (Ntry/BookgDt)", Iso20022Xml.Line(entry));
        }
        Result<LocalDate> booked = Date(bookingElement, "the entry's booking date (Ntry/BookgDt)");
        if (booked.Rejection is { } badBooking)
        {
            return badBooking;
        }
        LocalDate? valued = null;
        if (entry.Element(Ns + "ValDt") is { } valueElement)
        {
            Result<LocalDate> value = Date(valueElement, "the entry's value date (Ntry/ValDt)");
            if (value.Rejection is { } badValue)
            {
                return badValue;
            }
            valued = value.Value;
        }
        XElement[] transactions = [.. entry.Elements(Ns + "NtryDtls").Elements(Ns + "TxDtls")];
        XElement? single = transactions.Length == 1 ? transactions[0] : null;
        string? endToEnd = Iso20022Xml.Text(single?.Element(Ns + "Refs")?.Element(Ns + "EndToEndId"));
        string? reference = (endToEnd == NotProvided ? null : endToEnd)
            ?? Iso20022Xml.Text(entry.Element(Ns + "AcctSvcrRef"))
            ?? Iso20022Xml.Text(entry.Element(Ns + "NtryRef"));
        string? unstructured = single?.Element(Ns + "RmtInf")?.Elements(Ns + "Ustrd").Select(u => u.Value.Trim()) is { } lines
            ? string.Join(" ", lines.Where(l => l.Length > 0))
            : null;
        string? description = Iso20022Xml.Text(entry.Element(Ns + "AddtlNtryInf")) ?? (string.IsNullOrEmpty(unstructured) ? null : unstructured);
        return new CashEntry(amount.Value, booked.Value, valued, reference, description);
    }

    /// <summary>The <c>Amt</c> of a balance or entry, negative when its <c>CdtDbtInd</c> is DBIT, refused when its currency is not the account's.</summary>
    private static Result<decimal> SignedAmount(XElement parent, string currency)
    {
        XElement amount = parent.Element(Ns + "Amt")!;
        string amountCurrency = (string)amount.Attribute("Ccy")!;
        if (amountCurrency != currency)
        {
            return new Rejection(CurrencyRule,
                $"{parent.Name.LocalName}/Amt is in {amountCurrency} but the account's currency is {currency}: a statement is reconciled in one currency",
                Iso20022Xml.Line(amount));
        }
        if (Iso20022Xml.Number(amount.Value) is not { } value)
        {
            return new Rejection("camt053.number", $"Amt {amount.Value.Trim()} does not fit a decimal number", Iso20022Xml.Line(amount));
        }
        return Iso20022Xml.Text(parent.Element(Ns + "CdtDbtInd")) == "DBIT" ? -value : value;
    }

    /// <summary>The date of a DateAndDateTime2Choice: <c>Dt</c>, or the date part of <c>DtTm</c>.</summary>
    private static Result<LocalDate> Date(XElement choice, string what)
    {
        XElement value = choice.Elements().First();
        return Iso20022Xml.Date(value.Value) is { } date
            ? date
            : new Rejection("camt053.date", $"{what} '{value.Value.Trim()}' is not a calendar date", Iso20022Xml.Line(value));
    }
}

using System.Text;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Intake.Iso20022;

namespace BackOffice.Intake.Reconciliation;

/// <summary>
/// Reads a statement file of any supported format, told apart by its content: XML is ISO 20022
/// (semt.002 custody statement or camt.053 cash statement, by the message's namespace), anything
/// else is CSV, custody or cash by its header row (docs/reference/formats.md).
/// </summary>
public static class StatementFiles
{
    /// <summary>Format names, as stored with each file.</summary>
    public const string Semt002Format = "semt.002", Camt053Format = "camt.053", CustodyCsvFormat = "custody-csv", CashCsvFormat = "cash-csv";

    /// <summary>The format and statements of <paramref name="content"/>, or the rejection naming the rule, file, line and field.</summary>
    public static Result<(string Format, IReadOnlyList<Statement> Statements)> Read(string fileName, byte[] content)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return new Rejection("statement.encoding", "a statement file must be UTF-8 text", fileName);
        }
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        string start = text.TrimStart();
        if (start.Length == 0)
        {
            return new Rejection("statement.empty", "the file is empty", fileName);
        }
        if (start[0] == '<')
        {
            bool cash = text.Contains(Camt053.Namespace, StringComparison.Ordinal);
            Result<IReadOnlyList<Statement>> xml = cash ? Camt053.Read(fileName, text) : Semt002.Read(fileName, text);
            return xml.Rejection is { } refused ? refused : (cash ? Camt053Format : Semt002Format, xml.Value);
        }
        string header = start[..Math.Max(0, start.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : start.Length)];
        bool cashCsv = header.Contains("booking_date", StringComparison.Ordinal);
        Result<Statement> csv = cashCsv ? StatementCsv.ReadCash(fileName, text) : StatementCsv.ReadCustody(fileName, text);
        return csv.Rejection is { } bad ? bad : (cashCsv ? CashCsvFormat : CustodyCsvFormat, new[] { csv.Value });
    }
}

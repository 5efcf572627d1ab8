using System.Globalization;
using System.Text;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.Domain.ReferenceData;
using NodaTime;
using static BackOffice.Host.Documents.Figures;

namespace BackOffice.Host.Documents;

/// <summary>
/// A client's realized gains and losses of a year, lot by lot, as US brokers report them on Form
/// 1099-B (description, acquisition and sale dates, proceeds, cost basis, wash-sale loss
/// disallowed, gain or loss, short or long term), as a PDF and as a CSV with the same rows.
/// </summary>
internal static class GainsDocuments
{
    /// <summary>The CSV's columns, in order.</summary>
    public static readonly string[] CsvHeader = ["account", "instrument", "quantity", "acquired", "sold", "proceeds", "cost_basis", "wash_sale_disallowed", "gain", "term"];

    /// <summary>The report as CSV: one row per lot sold, in the PDF's order; money to the currency's minor units; term <c>short</c> or <c>long</c>.</summary>
    public static byte[] Csv(GainsReport report, IReadOnlyDictionary<string, int> minorUnits)
    {
        var csv = new StringBuilder(string.Join(',', CsvHeader)).Append('\n');
        foreach (GainLine l in report.Lines)
        {
            int k = Scale(report, l, minorUnits);
            string Fixed(decimal amount) => Math.Round(amount, k, MidpointRounding.AwayFromZero).ToString("F" + k.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            csv.Append(Intake.Csv.CsvText.Row(l.Account, l.Instrument, l.Quantity.ToString(CultureInfo.InvariantCulture), Date(l.Acquired), Date(l.Sold), Fixed(l.Proceeds),
                Fixed(l.CostBasis), Fixed(l.WashSaleDisallowed), Fixed(l.Gain), l.Term == GainTerm.LongTerm ? "long" : "short")).Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static int Scale(GainsReport report, GainLine line, IReadOnlyDictionary<string, int> minorUnits) =>
        minorUnits.TryGetValue(report.Instruments[line.Instrument].Currency, out int scale) ? scale : 2;

    /// <summary>The report as a PDF: the lots sold, short term then long term, with totals per term and currency.</summary>
    public static byte[] Pdf(GainsReport report, IReadOnlyDictionary<string, int> minorUnits)
    {
        string name = DocumentNames.Gains(report.Account.Code, report.Year, "pdf");
        // Dated the year's last day: the report covers the year, whenever it is printed.
        using var pdf = new DocumentPdf(name, $"Realized gains {report.Account.Code}, {report.Year}", new LocalDate(report.Year, 12, 31));
        pdf.Title($"Realized gains and losses, {report.Year}");
        pdf.Fields([("Account", report.Account.Code), ("Name", report.Account.Name), ("Account holder", report.Holder?.Name ?? ""), ("Holder LEI", report.Account.PartyLei)]);
        pdf.Paragraph("Each sale below closed one tax lot, or part of one (Form 1099-B detail). Proceeds are net of the sale's commission and fees; cost basis includes "
            + "the purchase's, plus any loss disallowed on an earlier wash sale that this lot replaced. Gain or loss = proceeds - cost basis + wash sale loss disallowed.", small: true);
        foreach (GainTerm term in new[] { GainTerm.ShortTerm, GainTerm.LongTerm })
        {
            GainLine[] lines = [.. report.Lines.Where(l => l.Term == term)];
            pdf.Heading(term == GainTerm.ShortTerm ? "Short-term: held one year or less" : "Long-term: held more than one year");
            if (lines.Length == 0)
            {
                pdf.Paragraph("None.");
                continue;
            }
            pdf.Table(
                [new Column("Description (1a)", 3.4), new Column("Acquired (1b)", 1.1), new Column("Sold (1c)", 1.1), new Column("Proceeds (1d)", 1.4, true),
                    new Column("Cost basis (1e)", 1.4, true), new Column("Wash sale (1g)", 1.3, true), new Column("Gain/loss", 1.4, true), new Column("Ccy", 0.6)],
                lines.Select(l => Row(report, l, minorUnits)));
            foreach (var total in lines.GroupBy(l => report.Instruments[l.Instrument].Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                int k = minorUnits.TryGetValue(total.Key, out int scale) ? scale : 2;
                pdf.Paragraph($"Total {(term == GainTerm.ShortTerm ? "short" : "long")}-term in {total.Key}: proceeds {Money(total.Sum(l => l.Proceeds), k)}, cost basis "
                    + $"{Money(total.Sum(l => l.CostBasis), k)}, wash sale loss disallowed {Money(total.Sum(l => l.WashSaleDisallowed), k)}, gain or loss {Money(total.Sum(l => l.Gain), k)}.");
            }
        }
        pdf.Heading("Wash sales");
        pdf.Paragraph("A sale at a loss is a wash sale to the extent the account bought the same security within 30 days before or after it. That part of the loss is "
            + "not allowed now (column 1g): it is added to the cost basis of the shares bought, whose holding period then includes the sold shares'. Amounts are in the "
            + "currency of each security.", small: true);
        return pdf.ToBytes();
    }

    private static IReadOnlyList<string> Row(GainsReport report, GainLine l, IReadOnlyDictionary<string, int> minorUnits)
    {
        Instrument instrument = report.Instruments[l.Instrument];
        int k = Scale(report, l, minorUnits);
        string unit = instrument.AssetClass == AssetClass.Debt ? " face" : " sh";
        return [$"{Plain(l.Quantity)}{unit} {instrument.Name} ({instrument.Cusip ?? instrument.Isin})", Date(l.Acquired), Date(l.Sold), Money(l.Proceeds, k), Money(l.CostBasis, k),
            l.WashSaleDisallowed == 0 ? "" : Money(l.WashSaleDisallowed, k), Money(l.Gain, k), instrument.Currency];
    }
}

using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Trading;
using static BackOffice.Host.Documents.Figures;

namespace BackOffice.Host.Documents;

/// <summary>
/// A client's monthly account statement as a PDF: a summary, a chart of the holdings, the
/// holdings at the month's last day at market (a holding without a usable price says so and shows
/// no value), the month's trades, its cash movements from the opening to the closing balance, its
/// income as the books accrued it, and realized and unrealized P&amp;L.
/// </summary>
internal static class StatementPdf
{
    public static byte[] Write(AccountStatement s, IReadOnlyDictionary<string, int> minorUnits)
    {
        int Scale(string currency) => minorUnits.TryGetValue(currency, out int scale) ? scale : 2;
        string name = DocumentNames.Statement(s.Account.Code, s.Month);
        using var pdf = new DocumentPdf(name, $"Statement {s.Account.Code}, {Month(s.Month)}", s.To);
        pdf.Title($"Account statement, {Month(s.Month)}");
        pdf.Fields([("Account", s.Account.Code), ("Period", $"{Date(s.From)} to {Date(s.To)}"), ("Name", s.Account.Name), ("Base currency", s.Account.BaseCurrency),
            ("Account holder", s.Holder?.Name ?? ""), ("Branch", s.Account.Branch)]);
        Summary(pdf, s, Scale);
        pdf.Heading($"Holdings at {Date(s.To)}");
        if (HoldingsChart.Draw(s.Holdings, s.Account.BaseCurrency) is { } chart)
        {
            pdf.Image(chart, HoldingsChart.WidthPoints, HoldingsChart.HeightPoints);
        }
        Holdings(pdf, s, Scale);
        Trades(pdf, s, Scale);
        Cash(pdf, s, Scale);
        Income(pdf, s, Scale);
        Realized(pdf, s, Scale);
        pdf.Heading("Notes");
        pdf.Paragraph("Holdings are valued at the latest price on or before the statement date recorded in our books, with its date. A holding without a usable price is "
            + "shown as not priced, with no value, and is left out of the totals and the chart. Cost and realized P&L come from the account's tax lots (fees included in cost, "
            + "deducted from proceeds). Amounts are in each security's currency unless marked otherwise.", small: true);
        return pdf.ToBytes();
    }

    private static void Summary(DocumentPdf pdf, AccountStatement s, Func<string, int> scale)
    {
        pdf.Heading("Summary");
        var rows = new List<IReadOnlyList<string>>();
        foreach (StatementCash cash in s.Cash)
        {
            rows.Add(["Cash at the start of the month", cash.Currency, Money(cash.Opening, scale(cash.Currency))]);
            rows.Add(["Cash at the end of the month", cash.Currency, Money(cash.Closing, scale(cash.Currency))]);
        }
        foreach (var g in s.Holdings.GroupBy(h => h.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int unpriced = g.Count(h => h.MarketValue is null);
            string but = unpriced > 0 ? $" ({unpriced} not priced, left out)" : "";
            rows.Add(["Holdings at market value" + but, g.Key, Money(g.Sum(h => h.MarketValue ?? 0m), scale(g.Key))]);
            rows.Add(["Unrealized P&L" + but, g.Key, Money(g.Sum(h => h.Unrealized ?? 0m), scale(g.Key))]);
        }
        foreach (var g in s.Realized.GroupBy(r => r.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            rows.Add(["Realized P&L this month", g.Key, Money(g.Sum(r => r.Realized), scale(g.Key))]);
        }
        pdf.Table([new Column("", 4), new Column("Ccy", 0.6), new Column("Amount", 1.6, Figures: true)], rows);
    }

    private static void Holdings(DocumentPdf pdf, AccountStatement s, Func<string, int> scale)
    {
        if (s.Holdings.Count == 0)
        {
            pdf.Paragraph("No securities held at the end of the month.");
            return;
        }
        pdf.Table(
            [new Column("Security", 2.5), new Column("ISIN", 1.55), new Column("Quantity", 1, true), new Column("Price", 1.05, true), new Column("Price date", 1.3),
                new Column("Market value", 1.5, true), new Column("Cost", 1.5, true), new Column("Unrealized", 1.35, true), new Column("Ccy", 0.5)],
            s.Holdings.Select(h => (IReadOnlyList<string>)[h.Name, h.Instrument, Plain(h.Quantity),
                h.MarketValue is null ? "none" : Price(h.Price!.Value), h.PriceDate is { } d ? Date(d) : "none",
                h.MarketValue is { } mv ? Money(mv, scale(h.Currency)) : "-", Money(h.Cost, scale(h.Currency)),
                h.Unrealized is { } u ? Money(u, scale(h.Currency)) : "-", h.Currency]));
        foreach (StatementHolding h in s.Holdings.Where(h => h.Exception is not null))
        {
            pdf.Paragraph($"{h.Name} ({h.Instrument}): {Reason(h)}", small: true);
        }
    }

    private static string Reason(StatementHolding h) => h.Exception switch
    {
        "price.missing" => "no price in the books on or before the statement date; not valued.",
        "price.stale" => $"the last price ({Date(h.PriceDate!.Value)}) is older than allowed; not valued.",
        "fx.missing" => $"no rate from {h.Currency} to {h.BaseCurrency}; valued in {h.Currency} only and left out of the chart.",
        _ => $"not valued ({h.Exception}).",
    };

    private static void Trades(DocumentPdf pdf, AccountStatement s, Func<string, int> scale)
    {
        pdf.Heading("Trades this month");
        if (s.Trades.Count == 0)
        {
            pdf.Paragraph("No trades this month.");
            return;
        }
        pdf.Table(
            [new Column("Trade date", 1.25), new Column("Settles", 1.25), new Column("Trade", 0.6, true), new Column("Side", 0.55), new Column("Security", 2.4),
                new Column("Quantity", 1, true), new Column("Price", 1, true), new Column("Charges", 1, true), new Column("Net", 1.4, true), new Column("Ccy", 0.5)],
            s.Trades.Select(t => (IReadOnlyList<string>)[Date(t.TradeDate), Date(t.SettlementDate), t.TradeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                t.Side == TradeSide.Buy ? "Buy" : "Sell", s.InstrumentNames.GetValueOrDefault(t.Isin, t.Isin), Plain(t.Quantity), Price(t.Price),
                Money(t.Charges.Sum(c => c.Amount), scale(t.Currency)), Money(t.Net, scale(t.Currency)), t.Currency]));
    }

    private static void Cash(DocumentPdf pdf, AccountStatement s, Func<string, int> scale)
    {
        pdf.Heading("Cash activity");
        if (s.Cash.Count == 0)
        {
            pdf.Paragraph("No cash held or moved this month.");
            return;
        }
        foreach (StatementCash cash in s.Cash)
        {
            int k = scale(cash.Currency);
            List<IReadOnlyList<string>> rows = [[Date(s.From.PlusDays(-1)), "Opening balance", Money(cash.Opening, k)]];
            rows.AddRange(s.CashMovements.Where(m => m.Currency == cash.Currency).Select(m => (IReadOnlyList<string>)[Date(m.Date), m.Description, Money(m.Amount, k)]));
            pdf.Table([new Column("Date", 1.2), new Column($"Description ({cash.Currency}; credits positive)", 5), new Column("Amount", 1.4, true)], rows,
                [Date(s.To), "Closing balance", Money(cash.Closing, k)]);
        }
    }

    private static void Income(DocumentPdf pdf, AccountStatement s, Func<string, int> scale)
    {
        pdf.Heading("Income");
        if (s.Income.Count == 0)
        {
            pdf.Paragraph("No interest or dividends were booked to the account this month.");
            return;
        }
        pdf.Table([new Column("Kind", 3), new Column("Ccy", 0.6), new Column("Amount (in your favour)", 1.6, true)],
            s.Income.Select(i => (IReadOnlyList<string>)[i.Kind, i.Currency, Money(i.Amount, scale(i.Currency))]));
    }

    private static void Realized(DocumentPdf pdf, AccountStatement s, Func<string, int> scale)
    {
        pdf.Heading("Realized P&L this month");
        if (s.Realized.Count == 0)
        {
            pdf.Paragraph("No sales closed a position this month.");
            return;
        }
        pdf.Table([new Column("Security", 3), new Column("ISIN", 1.6), new Column("Quantity", 1, true), new Column("Proceeds", 1.4, true), new Column("Cost basis", 1.4, true),
                new Column("Realized", 1.4, true), new Column("Ccy", 0.6)],
            s.Realized.Select(r => (IReadOnlyList<string>)[s.InstrumentNames.GetValueOrDefault(r.Instrument, r.Instrument), r.Instrument, Plain(r.Quantity),
                Money(r.Proceeds, scale(r.Currency)), Money(r.CostBasis, scale(r.Currency)), Money(r.Realized, scale(r.Currency)), r.Currency]));
    }
}

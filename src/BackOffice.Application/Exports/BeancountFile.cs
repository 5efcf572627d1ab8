using System.Globalization;
using System.Text;
using BackOffice.Domain.Trading;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Exports;

/// <summary>
/// The client accounts' stock record at cost as a beancount file (beancount.github.io), so an
/// independent tool can book the same lots and gains we do. Each client account has a securities
/// account holding one lot per purchase at its total cost (gross plus charges, written
/// <c>{{total CCY}}</c> so beancount keeps it exactly), a cash account, and accounts for accrued
/// interest and realized gains. A sale reduces the securities at cost (<c>{}</c>: beancount
/// chooses the lots by the account's booking method, FIFO by default) and leaves the realized
/// gain to the balancing posting. Trades are written in execution order (<see cref="Lots.LotService"/>).
/// A fill that crosses zero (a sale larger than the holding, a purchase larger than the short
/// position) is written as two transactions, a reduction to zero and a new lot for the rest, its
/// amount shared as the lot engine shares it.
/// </summary>
public static class BeancountFile
{
    /// <summary>
    /// The date the accounts are opened: the first day the market calendars cover, so before any
    /// trade the books can hold.
    /// </summary>
    public static LocalDate OpenedOn { get; } = Domain.Calendar.BusinessCalendar.FirstCoveredDate;

    /// <summary>A beancount account name for one of a client account's ledgers ("Securities", "Cash"...).</summary>
    public static string Account(string root, string client, string leaf) => $"{root}:Clients:{Component(client)}:{leaf}";

    /// <summary>
    /// Writes the file for <paramref name="trades"/> (in execution order, streamed), with the
    /// booking method named; <paramref name="clients"/> are the accounts to open, from
    /// <paramref name="opened"/>.
    /// </summary>
    public static async Task WriteAsync(TextWriter output, IAsyncEnumerable<TradeVersion> trades, IEnumerable<string> clients, LocalDate opened, string bookingMethod,
        CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("; BackOffice client stock record at cost, exported as a beancount file. One transaction per trade, in execution order.");
        await output.WriteLineAsync("option \"title\" \"BackOffice client accounts\"");
        await output.WriteLineAsync();
        string openDate = LocalDatePattern.Iso.Format(opened);
        foreach (string client in clients.Order(StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"{openDate} open {Account("Assets", client, "Securities")} \"{bookingMethod}\"");
            await output.WriteLineAsync($"{openDate} open {Account("Assets", client, "Cash")}");
            await output.WriteLineAsync($"{openDate} open {Account("Assets", client, "AccruedInterest")}");
            await output.WriteLineAsync($"{openDate} open {Account("Income", client, "Realized")}");
        }
        var held = new Dictionary<(string, string), decimal>();
        await foreach (TradeVersion t in trades.WithCancellation(cancellationToken))
        {
            decimal charges = t.Charges.Sum(c => c.Amount);
            string commodity = t.Isin, currency = t.Currency, client = t.Account;
            string securities = Account("Assets", client, "Securities"), cash = Account("Assets", client, "Cash");
            held.TryGetValue((client, commodity), out decimal holding);
            bool buy = t.Side == TradeSide.Buy;
            decimal sign = buy ? 1m : -1m;
            // What the fill closes (long units sold, or short units covered) and what it opens,
            // with the fill's amount shared as the lot engine shares it (LotPool).
            decimal amount = buy ? t.Gross + charges : t.Gross - charges;
            decimal closes = Math.Min(buy ? Math.Max(-holding, 0m) : Math.Max(holding, 0m), t.Quantity);
            decimal opens = t.Quantity - closes;
            decimal closeShare = opens == 0 ? amount : Math.Round(amount * closes / t.Quantity, 2, MidpointRounding.AwayFromZero);
            // A fill that crosses zero is two transactions: beancount books each posting of one
            // transaction against the holding before it, so a reduction and a new lot of the same
            // commodity cannot share one.
            if (closes > 0)
            {
                await HeaderAsync(output, t, opens > 0 ? " (closing)" : "");
                // A reduction at cost: beancount picks the lots by the account's booking method.
                await output.WriteLineAsync($"  {securities}  {Number(sign * closes)} {commodity} {{}} @ {Number(t.Price)} {currency}");
                await AccruedAsync(output, t, client, sign, opens == 0);
                await output.WriteLineAsync($"  {cash}  {Number(-sign * (closeShare + (opens == 0 ? t.AccruedInterest : 0m)))} {currency}");
                // The realized gain or loss is what balances the transaction.
                await output.WriteLineAsync($"  {Account("Income", client, "Realized")}");
            }
            if (opens > 0)
            {
                await HeaderAsync(output, t, closes > 0 ? " (opening)" : "");
                // A new lot (long for a purchase, short for a sale) at its exact total cost.
                await output.WriteLineAsync($"  {securities}  {Number(sign * opens)} {commodity} {{{{{Number(amount - closeShare)} {currency}}}}}");
                await AccruedAsync(output, t, client, sign, true);
                await output.WriteLineAsync($"  {cash}  {Number(-sign * (amount - closeShare + t.AccruedInterest))} {currency}");
            }
            held[(client, commodity)] = holding + sign * t.Quantity;
        }
    }

    private static async Task HeaderAsync(TextWriter output, TradeVersion t, string part)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{LocalDatePattern.Iso.Format(t.TradeDate)} * \"{Text(t.Source + "/" + t.SourceTradeId)}\" " +
            $"\"{(t.Side == TradeSide.Buy ? "buy" : "sell")} {Number(t.Quantity)} {t.Isin} @ {Number(t.Price)} {t.Currency}{part}\"");
        await output.WriteLineAsync($"  trade: \"{t.TradeId.ToString(CultureInfo.InvariantCulture)}\"");
        await output.WriteLineAsync($"  account: \"{Text(t.Account)}\"");
        await output.WriteLineAsync($"  instrument: \"{t.Isin}\"");
    }

    private static async Task AccruedAsync(TextWriter output, TradeVersion t, string client, decimal sign, bool here)
    {
        if (here && t.AccruedInterest != 0)
        {
            await output.WriteLineAsync($"  {Account("Assets", client, "AccruedInterest")}  {Number(sign * t.AccruedInterest)} {t.Currency}");
        }
    }

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    // Beancount account components start with a capital letter or a digit and hold letters, digits and '-'.
    private static string Component(string code)
    {
        var text = new StringBuilder(code.Length + 1);
        foreach (char c in code)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? char.ToUpperInvariant(c) : '-');
        }
        if (text.Length == 0 || !char.IsAsciiLetterUpper(text[0]) && !char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, 'X');
        }
        return text.ToString();
    }

    private static string Text(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).ReplaceLineEndings(" ");
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>report trial-balance and report positions, as a table, CSV or JSON.</summary>
internal static class ReportCommands
{
    public static Command Build(CliContext context)
    {
        var report = new Command("report", "Reports read from the books: trial balance, positions");
        report.Subcommands.Add(TrialBalance(context));
        report.Subcommands.Add(Positions(context));
        report.Subcommands.Add(Lots(context));
        report.Subcommands.Add(Pnl(context));
        report.Subcommands.Add(Valuation(context));
        report.Subcommands.Add(Statement(context, "balance-sheet"));
        report.Subcommands.Add(Statement(context, "income-statement"));
        return report;
    }

    private static Option<string?> AsOf() => new("--as-of") { Description = "effective date (yyyy-MM-dd): the books as of the end of that day" };

    private static Option<string?> KnownAt() => new("--known-at") { Description = "recorded time (ISO 8601, e.g. 2026-11-27T18:00:00Z): what the books knew then" };

    private static Option<string> Format() => new("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };

    private static Command TrialBalance(CliContext context)
    {
        Option<string?> asOf = AsOf(), knownAt = KnownAt();
        Option<string> format = Format();
        var detail = new Option<bool>("--detail") { Description = "every sub-ledger account on its own line, instead of added into its control account" };
        var command = new Command("trial-balance", "Every account with a balance, debit or credit, with totals per asset") { asOf, knownAt, detail, format };
        command.SetAction(async (parsed, ct) =>
        {
            if (await OptionsAsync(context, parsed, asOf, knownAt, format) is not { } options)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            TrialBalance balance = await services.Reports.TrialBalanceAsync(options.AsOf, options.KnownAt, parsed.GetValue(detail), ct);
            await WriteAsync(context.Output, options.Format, balance);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Positions(CliContext context)
    {
        Option<string?> asOf = AsOf(), knownAt = KnownAt();
        Option<string> format = Format();
        var basis = new Option<string>("--basis") { Description = "trade (trade-date positions) or settlement (settled positions)", DefaultValueFactory = _ => "trade" };
        var command = new Command("positions", "Client positions per account and instrument (default: as of today, trade-date basis)") { asOf, knownAt, basis, format };
        command.SetAction(async (parsed, ct) =>
        {
            if (await OptionsAsync(context, parsed, asOf, knownAt, format) is not { } options)
            {
                return ExitCodes.Usage;
            }
            BalanceBasis? chosen = parsed.GetValue(basis)?.ToLowerInvariant() switch
            {
                "trade" => BalanceBasis.EffectiveDate,
                "settlement" => BalanceBasis.SettlementDate,
                _ => null,
            };
            if (chosen is null)
            {
                await context.Error.WriteLineAsync("error: --basis must be trade or settlement");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            LocalDate date = options.AsOf ?? services.Clock.GetCurrentInstant().InUtc().Date;
            PositionReport positions = await services.Reports.PositionsAsync(date, options.KnownAt, chosen.Value, ct);
            await WriteAsync(context.Output, options.Format, positions);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string> Method() => new("--method")
    {
        Description = "lot relief: account (each account's own method, the default), or fifo, lifo, hifo or average for every account (a what-if)",
        DefaultValueFactory = _ => "account",
    };

    /// <summary>The method option: valid or not, and the method for every account (null: each account's own).</summary>
    private static (bool Valid, Domain.Lots.LotMethod? Method) ParseMethod(string? text) => text?.ToLowerInvariant() switch
    {
        "account" => (true, null),
        "fifo" => (true, Domain.Lots.LotMethod.Fifo),
        "lifo" => (true, Domain.Lots.LotMethod.Lifo),
        "hifo" => (true, Domain.Lots.LotMethod.Hifo),
        "average" => (true, Domain.Lots.LotMethod.Average),
        _ => (false, null),
    };

    private static Command Lots(CliContext context)
    {
        Option<string?> asOf = AsOf(), knownAt = KnownAt();
        Option<string> format = Format(), method = Method();
        var command = new Command("lots", "Open cost-basis lots of the client accounts, one per fill, in execution order") { asOf, method, format };
        command.SetAction(async (parsed, ct) =>
        {
            if (await OptionsAsync(context, parsed, asOf, knownAt, format) is not { } options || ParseMethod(parsed.GetValue(method)) is not (true, var chosen))
            {
                await context.Error.WriteLineAsync("error: --method must be account, fifo, lifo, hifo or average");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            Application.Lots.LotBook book = await services.Lots.RunAsync(options.AsOf, chosen, ct);
            string[] header = ["account", "instrument", "lot", "acquisition_date", "quantity", "unit_cost", "total_cost", "currency"];
            IEnumerable<string[]> rows = book.Open.Select(l => new[]
            {
                l.Account, l.Instrument, l.Lot.Id.ToString(CultureInfo.InvariantCulture), LocalDatePattern.Iso.Format(l.Lot.AcquisitionDate), Amount(l.Lot.Quantity),
                Math.Round(l.Lot.UnitCost, LotCommands.UnitCostDecimals, MidpointRounding.AwayFromZero).ToString("0.00####", CultureInfo.InvariantCulture),
                Amount(l.Lot.TotalCost), l.Currency,
            });
            await WarnAsync(context, book.Ignored);
            await WriteRowsAsync(context.Output, options.Format, "lots", $"Open lots{(book.AsOf is { } d ? " as of " + Date(d) : "")} ({parsed.GetValue(method)})",
                header, [false, false, true, false, true, true, true, false], rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    // Trades whose named lots could not be relieved: on standard error, so the report stays machine-readable.
    private static async Task WarnAsync(CliContext context, IReadOnlyList<Application.Lots.LotInstructionIgnored> lots)
    {
        foreach (Application.Lots.LotInstructionIgnored ignored in lots)
        {
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"warning: trade {ignored.TradeId} ({ignored.Account} {ignored.Instrument}): {ignored.Reason.Rule}: {ignored.Reason.Message}; relieved {ignored.Fallback.ToString().ToUpperInvariant()} instead"));
        }
    }

    private static Command Pnl(CliContext context)
    {
        Option<string?> asOf = AsOf(), knownAt = KnownAt();
        Option<string> format = Format(), method = Method();
        var from = new Option<string?>("--from") { Description = "first trade date of the period (yyyy-MM-dd; default: the beginning)" };
        var command = new Command("pnl", "Realized profit and loss per client account and instrument: proceeds net of fees minus relieved cost") { from, asOf, method, format };
        command.SetAction(async (parsed, ct) =>
        {
            if (await OptionsAsync(context, parsed, asOf, knownAt, format) is not { } options || ParseMethod(parsed.GetValue(method)) is not (true, var chosen))
            {
                await context.Error.WriteLineAsync("error: --method must be account, fifo, lifo, hifo or average");
                return ExitCodes.Usage;
            }
            var (fromValid, start) = await context.DateOptionAsync(parsed.GetValue(from), "--from");
            if (!fromValid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            Application.Lots.RealizedSummary realized = await services.Lots.RealizedAsync(start, options.AsOf, chosen, ct);
            var lines = realized.Lines.Select(r => new[]
            {
                r.Account, r.Instrument, r.Currency, Amount(r.Quantity), Amount(r.Proceeds), Amount(r.CostBasis), Amount(r.Proceeds - r.CostBasis),
            });
            await WarnAsync(context, realized.Ignored);
            await WriteRowsAsync(context.Output, options.Format, "pnl",
                $"Realized P&L{(start is { } first ? " from " + Date(first) : "")}{(options.AsOf is { } last ? " to " + Date(last) : "")} ({parsed.GetValue(method)})",
                ["account", "instrument", "currency", "quantity", "proceeds", "cost_basis", "realized"], [false, false, false, true, true, true, true], lines);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Statement(CliContext context, string kind)
    {
        Option<string?> asOf = AsOf(), knownAt = KnownAt();
        Option<string> format = Format();
        var from = new Option<string?>("--from") { Description = "first effective date of the period (yyyy-MM-dd; default: the beginning)" };
        bool income = kind == "income-statement";
        var command = income
            ? new Command(kind, "Income and expenses per account and currency over a period (--from to --as-of, default today)") { from, asOf, knownAt, format }
            : new Command(kind, "Assets, liabilities, equity and unclosed earnings per account and currency, as of a date") { asOf, knownAt, format };
        command.SetAction(async (parsed, ct) =>
        {
            if (await OptionsAsync(context, parsed, asOf, knownAt, format) is not { } options)
            {
                return ExitCodes.Usage;
            }
            var (fromValid, start) = await context.DateOptionAsync(parsed.GetValue(from), "--from");
            if (!fromValid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            FinancialStatement statement = income
                ? await services.Reports.IncomeStatementAsync(start, options.AsOf ?? services.Clock.GetCurrentInstant().InUtc().Date, options.KnownAt, ct)
                : await services.Reports.BalanceSheetAsync(options.AsOf, options.KnownAt, ct);
            if (options.Format == "json")
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    report = kind,
                    from = Date(statement.From),
                    as_of = Date(statement.To),
                    known_at = Time(statement.KnownAt),
                    lines = statement.Lines.Select(l => new { section = l.Section, account = l.Account, name = l.Name, currency = l.Currency, amount = l.Amount }),
                    totals = statement.Totals.Select(t => new { section = t.Section, currency = t.Currency, amount = t.Amount }),
                }, JsonOptions));
                return ExitCodes.Ok;
            }
            IEnumerable<string[]> rows = statement.Lines.OrderBy(l => FinancialStatement.SectionOrder(l.Section))
                .Select(l => new[] { l.Section, l.Account, l.Name, l.Currency, Amount(l.Amount) });
            if (options.Format == "table")
            {
                rows = rows.Concat(statement.Totals.Select(t => new[] { "total " + t.Section, "", "", t.Currency, Amount(t.Amount) }));
            }
            string title = income
                ? $"Income statement{(statement.From is { } f ? " from " + Date(f) : "")} to {Date(statement.To)}"
                : $"Balance sheet{(statement.To is { } t ? " as of " + Date(t) : "")}";
            await WriteRowsAsync(context.Output, options.Format, kind, title, ["section", "account", "name", "currency", "amount"], [false, false, false, false, true], rows);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Valuation(CliContext context)
    {
        Option<string?> asOf = AsOf(), knownAt = KnownAt();
        Option<string> format = Format(), method = Method();
        var maxAge = new Option<int>("--max-price-age") { Description = "business days a price may be older than the as-of date (default 0: the last business day's)", DefaultValueFactory = _ => 0 };
        var command = new Command("valuation", "Client positions at market: cost from the lots, market value and unrealized P&L, in the instrument's and the account's currency; exit 1 when a price or rate is missing or stale")
        {
            asOf, maxAge, method, format,
        };
        command.SetAction(async (parsed, ct) =>
        {
            if (await OptionsAsync(context, parsed, asOf, knownAt, format) is not { } options || ParseMethod(parsed.GetValue(method)) is not (true, var chosen))
            {
                await context.Error.WriteLineAsync("error: --method must be account, fifo, lifo, hifo or average");
                return ExitCodes.Usage;
            }
            if (parsed.GetValue(maxAge) < 0)
            {
                await context.Error.WriteLineAsync("error: --max-price-age cannot be negative");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            LocalDate date = options.AsOf ?? services.Clock.GetCurrentInstant().InUtc().Date;
            Valuation valuation = await new ValuationService(services.Store).ValueAsync(date, parsed.GetValue(maxAge), chosen, ct);
            static string Optional(decimal? value) => value is { } v ? Amount(v) : "";
            IEnumerable<string[]> rows = valuation.Lines.Select(l => new[]
            {
                l.Account, l.Instrument, Amount(l.Quantity), l.Currency, Amount(l.Cost), Optional(l.Price), Date(l.PriceDate) ?? "", Optional(l.MarketValue),
                Optional(l.Unrealized), l.BaseCurrency, Optional(l.FxRate), Optional(l.MarketValueBase), Optional(l.UnrealizedBase), l.Exception ?? "",
            });
            string[] header =
            [
                "account", "instrument", "quantity", "currency", "cost", "price", "price_date", "market_value", "unrealized", "base_currency", "fx_rate",
                "market_value_base", "unrealized_base", "exception",
            ];
            if (options.Format == "json")
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    report = "valuation",
                    as_of = Date(valuation.AsOf),
                    max_price_age = valuation.MaxPriceAgeDays,
                    lines = valuation.Lines.Select(l => new
                    {
                        account = l.Account,
                        instrument = l.Instrument,
                        quantity = l.Quantity,
                        currency = l.Currency,
                        cost = l.Cost,
                        price = l.Price,
                        price_date = Date(l.PriceDate),
                        price_source = l.PriceSource,
                        market_value = l.MarketValue,
                        unrealized = l.Unrealized,
                        base_currency = l.BaseCurrency,
                        fx_rate = l.FxRate,
                        market_value_base = l.MarketValueBase,
                        unrealized_base = l.UnrealizedBase,
                        exception = l.Exception,
                    }),
                }, JsonOptions));
            }
            else
            {
                await WriteRowsAsync(context.Output, options.Format, "valuation", $"Valuation as of {Date(valuation.AsOf)}", header,
                    [false, false, true, false, true, true, false, true, true, false, true, true, true, false], rows);
            }
            foreach (ValuationLine l in valuation.Exceptions)
            {
                await context.Error.WriteLineAsync($"exception: {l.Account} {l.Instrument}: {l.Exception}" +
                    (l.PriceDate is { } d ? $" (last price {Date(d)} from {l.PriceSource})" : ""));
            }
            return valuation.Exceptions.Count == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    /// <summary>Rows as CSV, as JSON objects named by the header, or as a table under a title.</summary>
    private static async Task WriteRowsAsync(TextWriter output, string format, string report, string title, string[] header, bool[] rightAligned, IEnumerable<string[]> rows)
    {
        switch (format)
        {
            case "csv":
                await output.WriteLineAsync(string.Join(",", header));
                foreach (string[] row in rows)
                {
                    await output.WriteLineAsync(CsvText.Row(row));
                }
                break;
            case "json":
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    report,
                    lines = rows.Select(r => header.Select((name, i) => (Name: name, Value: r[i], Numeric: rightAligned[i]))
                        .ToDictionary(c => c.Name, c => c.Numeric ? (object)decimal.Parse(c.Value, CultureInfo.InvariantCulture) : c.Value)),
                }, JsonOptions));
                break;
            default:
                await output.WriteLineAsync(title);
                await Table.WriteAsync(output, header, rightAligned, rows);
                break;
        }
    }

    private sealed record Options(LocalDate? AsOf, Instant? KnownAt, string Format);

    private static async Task<Options?> OptionsAsync(CliContext context, ParseResult parsed, Option<string?> asOf, Option<string?> knownAt, Option<string> format)
    {
        var (dateValid, date) = await context.DateOptionAsync(parsed.GetValue(asOf), "--as-of");
        var (instantValid, instant) = await context.InstantOptionAsync(parsed.GetValue(knownAt), "--known-at");
        if (!dateValid || !instantValid)
        {
            return null;
        }
        string f = parsed.GetValue(format)?.ToLowerInvariant() ?? "";
        if (f is not ("table" or "csv" or "json"))
        {
            await context.Error.WriteLineAsync("error: --format must be table, csv or json");
            return null;
        }
        return new Options(date, instant, f);
    }

    private static string Amount(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Date(LocalDate? date) => date is { } d ? LocalDatePattern.Iso.Format(d) : null;

    private static string? Time(Instant? instant) => instant is { } i ? InstantPattern.ExtendedIso.Format(i) : null;

    private static string Type(Domain.Accounting.LedgerAccountType type) => type.ToString().ToLowerInvariant();

    private static async Task WriteAsync(TextWriter output, string format, TrialBalance balance)
    {
        switch (format)
        {
            case "csv":
                await output.WriteLineAsync("account,name,type,asset,debit,credit");
                foreach (TrialBalanceLine l in balance.Lines)
                {
                    await output.WriteLineAsync(CsvText.Row([l.Account, l.Name, Type(l.Type), l.Asset, Amount(l.Debit), Amount(l.Credit)]));
                }
                break;
            case "json":
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    report = "trial-balance",
                    as_of = Date(balance.AsOf),
                    known_at = Time(balance.KnownAt),
                    level = balance.Detail ? "detail" : "general-ledger",
                    lines = balance.Lines.Select(l => new { account = l.Account, name = l.Name, type = Type(l.Type), asset = l.Asset, debit = l.Debit, credit = l.Credit, sub_ledgers = l.SubLedgers }),
                    totals = balance.Totals.Select(t => new { asset = t.Asset, debit = t.Debit, credit = t.Credit }),
                }, JsonOptions));
                break;
            default:
                await output.WriteLineAsync($"Trial balance{(balance.AsOf is { } d ? " as of " + Date(d) : "")}{(balance.KnownAt is { } k ? ", as known at " + Time(k) : "")}" +
                    $" ({(balance.Detail ? "every account" : "general ledger: sub-ledgers in their control accounts")})");
                var rows = balance.Lines.Select(l => new[] { l.Account, l.Name, Type(l.Type), l.Asset, l.Debit == 0 ? "" : Amount(l.Debit), l.Credit == 0 ? "" : Amount(l.Credit) })
                    .Concat(balance.Totals.Select(t => new[] { "", "total", "", t.Asset, Amount(t.Debit), Amount(t.Credit) }));
                await Table.WriteAsync(output, ["account", "name", "type", "asset", "debit", "credit"], [false, false, false, false, true, true], rows);
                break;
        }
    }

    private static async Task WriteAsync(TextWriter output, string format, PositionReport positions)
    {
        string basis = positions.Basis == BalanceBasis.SettlementDate ? "settlement" : "trade";
        switch (format)
        {
            case "csv":
                await output.WriteLineAsync("account,instrument,quantity");
                foreach (PositionLine l in positions.Lines)
                {
                    await output.WriteLineAsync(CsvText.Row([l.Holder, l.Instrument, Amount(l.Quantity)]));
                }
                break;
            case "json":
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    report = "positions",
                    as_of = Date(positions.AsOf),
                    known_at = Time(positions.KnownAt),
                    basis,
                    lines = positions.Lines.Select(l => new { account = l.Holder, instrument = l.Instrument, quantity = l.Quantity }),
                }, JsonOptions));
                break;
            default:
                await output.WriteLineAsync($"Positions as of {Date(positions.AsOf)}, {basis}-date basis{(positions.KnownAt is { } k ? ", as known at " + Time(k) : "")}");
                await Table.WriteAsync(output, ["account", "instrument", "quantity"], [false, false, true],
                    positions.Lines.Select(l => new[] { l.Holder, l.Instrument, Amount(l.Quantity) }));
                break;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}

/// <summary>Plain-text tables for people: columns padded, numbers right-aligned.</summary>
internal static class Table
{
    public static async Task WriteAsync(TextWriter output, string[] header, bool[] rightAligned, IEnumerable<string[]> rows)
    {
        List<string[]> all = [header, .. rows];
        int[] widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (string[] row in all)
        {
            string line = string.Join("  ", row.Select((cell, i) => rightAligned[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])));
            await output.WriteLineAsync(line.TrimEnd());
        }
    }
}

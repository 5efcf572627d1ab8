using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.Host.Documents;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>
/// documents: client documents as files, read from the books (docs/reference/documents.md):
/// trade confirmations of a day, monthly account statements, yearly realized-gains reports. Each
/// file is named predictably, written whole (to a temporary name, then renamed), and the same
/// books always give the same bytes; one line per file written is printed.
/// </summary>
internal static class DocumentCommands
{
    /// <summary>Documents rendered at once before they are written, in order (bounds the memory held).</summary>
    public const int RenderBatchMax = 256;

    public static Command Build(CliContext context) => new("documents", "Client documents as PDF: trade confirmations, monthly statements, realized-gains reports")
    {
        Confirmations(context), Statements(context), Gains(context),
    };

    private static Option<string> Out() => new("--out") { Description = "the folder the files are written to (made when missing; default: documents, in the current folder)", DefaultValueFactory = _ => "documents" };

    private static Option<string?> Account() => new("--account") { Description = "only this client account" };

    private static Command Confirmations(CliContext context)
    {
        var date = new Option<string>("--date") { Description = "the trade date (yyyy-MM-dd)", Required = true };
        var trade = new Option<long?>("--trade") { Description = "only this trade" };
        var output = Out();
        var command = new Command("confirmations", "Write confirm-DATE-TRADE[-vN].pdf for every version of every trade executed on the date (corrections and busts included)")
        {
            date, trade, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid || day is null)
            {
                return ExitCodes.Usage;
            }
            return await RunAsync(context, parsed, parsed.GetValue(output)!, async services =>
            {
                IReadOnlyList<TradeConfirmation> confirmations = await new DocumentService(services.Store).ConfirmationsAsync(day.Value, parsed.GetValue(trade), ct);
                if (confirmations.Count == 0)
                {
                    await context.Error.WriteLineAsync($"no trades executed on {LocalDatePattern.Iso.Format(day.Value)}: nothing written");
                }
                return [.. confirmations.Select(c => (Render)(() =>
                    (DocumentNames.Confirmation(c.Version.TradeDate, c.Version.TradeId, c.Version.Version), [ConfirmationPdf.Write(c)])))];
            }, ct);
        });
        return command;
    }

    private static Command Statements(CliContext context)
    {
        var month = new Option<string>("--month") { Description = "the month (YYYY-MM)", Required = true };
        var maxAge = new Option<int>("--max-price-age") { Description = "business days a price may be older than the month's last day (default 0)", DefaultValueFactory = _ => 0 };
        var account = Account();
        var output = Out();
        var command = new Command("statements", "Write statement-ACCOUNT-YYYY-MM.pdf for every client account with activity in the month or holdings or cash at its end")
        {
            month, maxAge, account, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            if (await MonthAsync(context, parsed.GetValue(month)!) is not { } wanted)
            {
                return ExitCodes.Usage;
            }
            if (parsed.GetValue(maxAge) is < 0 or > 366)
            {
                await context.Error.WriteLineAsync("error: documents.price-age: --max-price-age must be 0 to 366 business days");
                return ExitCodes.Usage;
            }
            return await RunAsync(context, parsed, parsed.GetValue(output)!, async services =>
            {
                IReadOnlyList<AccountStatement> statements = await new DocumentService(services.Store).StatementsAsync(wanted, parsed.GetValue(maxAge), parsed.GetValue(account), ct);
                if (statements.Count == 0)
                {
                    await context.Error.WriteLineAsync($"no client account has activity or holdings in {wanted.ToString("yyyy-MM", CultureInfo.InvariantCulture)}: nothing written");
                }
                IReadOnlyDictionary<string, int> minorUnits = await MinorUnitsAsync(services, ct);
                return [.. statements.Select(s => (Render)(() => (DocumentNames.Statement(s.Account.Code, s.Month), [StatementPdf.Write(s, minorUnits)])))];
            }, ct);
        });
        return command;
    }

    private static Command Gains(CliContext context)
    {
        var year = new Option<string>("--year") { Description = "the tax year (YYYY)", Required = true };
        var account = Account();
        var output = Out();
        var command = new Command("gains", "Write gains-ACCOUNT-YYYY.pdf and .csv (Form 1099-B detail, wash sales applied) for every client account that sold in the year")
        {
            year, account, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            string text = parsed.GetValue(year)!;
            if (text.Length != 4 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int wanted) || wanted < 1900)
            {
                await context.Error.WriteLineAsync($"error: documents.year-format: --year must be a year as YYYY, not '{text}'");
                return ExitCodes.Usage;
            }
            return await RunAsync(context, parsed, parsed.GetValue(output)!, async services =>
            {
                IReadOnlyList<GainsReport> reports = await new DocumentService(services.Store).GainsAsync(wanted, parsed.GetValue(account), ct);
                if (reports.Count == 0)
                {
                    await context.Error.WriteLineAsync($"no client account sold anything in {wanted}: nothing written");
                }
                IReadOnlyDictionary<string, int> minorUnits = await MinorUnitsAsync(services, ct);
                return [.. reports.Select(r => (Render)(() =>
                    (DocumentNames.Gains(r.Account.Code, r.Year, "pdf"), [GainsDocuments.Pdf(r, minorUnits), GainsDocuments.Csv(r, minorUnits)])))];
            }, ct);
        });
        return command;
    }

    /// <summary>A month as YYYY-MM, or null after printing the rule it breaks.</summary>
    public static async Task<YearMonth?> MonthAsync(CliContext context, string text)
    {
        ParseResult<YearMonth> parsed = YearMonthPattern.Iso.Parse(text);
        if (!parsed.Success || text.Length != 7)
        {
            await context.Error.WriteLineAsync($"error: documents.month-format: --month must be a month as YYYY-MM, not '{text}'");
            return null;
        }
        return parsed.Value;
    }

    /// <summary>The minor units of every currency in the books.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> MinorUnitsAsync(Services services, CancellationToken ct) =>
        (await services.Store.ReadTradeReferenceAsync(ct)).Currencies.ToDictionary(c => c.Key, c => c.Value.MinorUnits, StringComparer.Ordinal);

    /// <summary>Renders one document: its file name and its files (a PDF, and for gains the CSV beside it).</summary>
    private delegate (string Name, byte[][] Files) Render();

    // Opens the books, makes the folder, plans the documents, renders them on every core a batch
    // at a time, then writes each batch and prints the paths in order.
    private static async Task<int> RunAsync(CliContext context, System.CommandLine.ParseResult parsed, string folder, Func<Services, Task<IReadOnlyList<Render>>> plan,
        CancellationToken ct)
    {
        if (File.Exists(folder))
        {
            await context.Error.WriteLineAsync($"error: documents.out-not-directory: --out {folder} is a file, not a folder");
            return ExitCodes.Usage;
        }
        await using Services? services = await context.OpenAsync(parsed, create: false, ct);
        if (services is null)
        {
            return ExitCodes.Failure;
        }
        try
        {
            DocumentFonts.Ensure();
        }
        catch (DocumentFontsMissingException missing)
        {
            await context.Error.WriteLineAsync($"error: {DocumentFontsMissingException.Rule}: {missing.Message}");
            return ExitCodes.Refused;
        }
        IReadOnlyList<Render> documents = await plan(services);
        Directory.CreateDirectory(folder);
        foreach (Render[] batch in documents.Chunk(RenderBatchMax))
        {
            var rendered = new (string Name, byte[][] Files)[batch.Length];
            Parallel.For(0, batch.Length, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, i => rendered[i] = batch[i]());
            foreach (var (name, files) in rendered)
            {
                for (int f = 0; f < files.Length; f++)
                {
                    string path = Path.Combine(folder, f == 0 ? name : Path.ChangeExtension(name, "csv"));
                    await WriteWholeAsync(path, files[f], ct);
                    await context.Output.WriteLineAsync(path);
                }
            }
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The documents sent to clients over business dates <paramref name="from"/> through <paramref name="to"/>,
    /// as the verbs write them: every confirmation of the trades of each date, and every statement of
    /// each month whose last day falls in the range. For the books and records.
    /// </summary>
    internal static async IAsyncEnumerable<Application.Ports.ClientDocument> ClientDocumentsAsync(Services services, LocalDate from, LocalDate to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var documents = new DocumentService(services.Store);
        for (LocalDate day = from; day <= to; day = day.PlusDays(1))
        {
            foreach (TradeConfirmation c in await documents.ConfirmationsAsync(day, null, ct))
            {
                yield return new Application.Ports.ClientDocument("client-confirmation", DocumentNames.Confirmation(c.Version.TradeDate, c.Version.TradeId, c.Version.Version),
                    c.Version.TradeId, ConfirmationPdf.Write(c), day.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), c.Version.AuditSequence);
            }
        }
        IReadOnlyDictionary<string, int>? minorUnits = null;
        for (YearMonth month = from.ToYearMonth(); month.OnDayOfMonth(1) <= to; month = month.PlusMonths(1))
        {
            LocalDate last = month.OnDayOfMonth(1).PlusMonths(1).PlusDays(-1);
            if (last < from || last > to)
            {
                continue;
            }
            minorUnits ??= await MinorUnitsAsync(services, ct);
            Domain.Primitives.AuditSequence head = (await services.Store.ReadHeadAsync(ct)).Sequence;
            foreach (AccountStatement s in await documents.StatementsAsync(month, 0, null, ct))
            {
                yield return new Application.Ports.ClientDocument("client-statement", DocumentNames.Statement(s.Account.Code, s.Month), 0, StatementPdf.Write(s, minorUnits),
                    last.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), head);
            }
        }
    }

    // Written to a temporary name and renamed, so a reader never sees half a file.
    private static async Task WriteWholeAsync(string path, byte[] content, CancellationToken ct)
    {
        string temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, content, ct);
        File.Move(temporary, path, overwrite: true);
    }
}

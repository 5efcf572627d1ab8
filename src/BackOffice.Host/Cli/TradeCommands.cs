using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Csv;
using BackOffice.Intake.Trades;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>trades import|list|show and exceptions list|resubmit|discard.</summary>
internal static class TradeCommands
{
    public static Command Trades(CliContext context) => new("trades", "Trade capture: import executions, list and show booked trades")
    {
        Import(context), Allocate(context), List(context), Show(context),
    };

    public static Command Exceptions(CliContext context) => new("exceptions", "The queue of streamed trade messages that could not be booked")
    {
        ExceptionList(context), Resubmit(context), Discard(context),
    };

    private static Command Import(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "csv, json or fix (a FIX 4.4 log, SOH or '|' delimited)", Required = true };
        format.AcceptOnlyFromAmong("csv", "json", "fix");
        var file = new Argument<FileInfo>("FILE") { Description = "the trade file (docs/reference/formats.md)" };
        var source = new Option<string?>("--source") { Description = "the sending system, for rows without a source column" };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = $"messages per database transaction (1 to {TradeService.BatchSizeMax})",
            DefaultValueFactory = _ => TradeService.BatchSizeDefault,
        };
        batchSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > TradeService.BatchSizeMax)
            {
                r.AddError($"--batch-size must be 1 to {TradeService.BatchSizeMax}");
            }
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "validate the whole file and report; book nothing" };
        var command = new Command("import", "Import a trade file: all or nothing, each row booked once however often the file is imported")
        {
            format, file, source, batchSize, dryRun,
        };
        command.SetAction(async (parsed, ct) =>
        {
            FileInfo input = parsed.GetValue(file)!;
            if (!input.Exists)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                return ExitCodes.Refused;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            string? defaultSource = parsed.GetValue(source);
            string path = input.FullName;
            Func<IEnumerable<TradeMessage>> read = parsed.GetValue(format) switch
            {
                "csv" => () => TradeFile.ReadCsv(path, defaultSource),
                "json" => () => TradeFile.ReadJson(path, defaultSource),
                _ => () => Intake.Fix.FixLogFile.Read(path, defaultSource),
            };
            if (input.Length > InboundFile.SizeMax)
            {
                await context.RejectAsync(new Rejection("records.file-too-large",
                    string.Create(CultureInfo.InvariantCulture, $"a trade file is kept whole as received, up to {InboundFile.SizeMax} bytes; this one is {input.Length}"), input.Name));
                return ExitCodes.Refused;
            }
            // Kept whole, exactly as received, by the import's own audited command (books and records).
            byte[] content = await File.ReadAllBytesAsync(path, ct);
            Sha256Hash contentHash = Sha256Hash.Of(content);
            TradeImportReport report = await services.Trades.ImportFileAsync(read, contentHash, defaultSource, services.Actor,
                new TradeImportOptions(parsed.GetValue(batchSize), parsed.GetValue(dryRun),
                    (chunks, messages) => context.Error.WriteLine($"wrote chunk {chunks} ({messages} messages so far; committed at the end)"))
                {
                    Received = new InboundFile("trades", input.Name, parsed.GetValue(format)!, contentHash, content, services.Clock.GetCurrentInstant()),
                }, ct);
            if (report.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync(parsed.GetValue(dryRun) ? "messages,would_book,would_correct,would_bust,repeated_in_file,exceptions,batches" : "messages,booked,corrected,busted,replayed,exceptions,batches");
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{report.Messages},{report.Booked},{report.Corrected},{report.Busted},{report.Replayed},{report.Exceptions},{report.BatchesCommitted}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Allocate(CliContext context)
    {
        var file = new Option<FileInfo>("--file") { Description = "allocation CSV (docs/reference/formats.md)", Required = true };
        var source = new Option<string?>("--source") { Description = "the sending system, for rows without a source column" };
        var command = new Command("allocate", "Split booked block executions among client accounts at the average price, all or nothing") { file, source };
        command.SetAction(async (parsed, ct) =>
        {
            FileInfo input = parsed.GetValue(file)!;
            if (!input.Exists)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                return ExitCodes.Refused;
            }
            Result<IReadOnlyList<AllocationRequest>> allocations = AllocationFile.ReadCsv(input.FullName, parsed.GetValue(source));
            if (allocations.Rejection is { } bad)
            {
                await context.RejectAsync(bad);
                return ExitCodes.Refused;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            TradeImportReport report = await services.Trades.AllocateAsync(allocations.Value, services.Actor, ct);
            if (report.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync("allocations,allocated,replayed");
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{report.Messages},{report.Booked},{report.Replayed}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static readonly string[] TradeHeader =
    [
        "trade_id", "version", "status", "action", "source", "source_trade_id", "side", "isin", "market", "quantity", "price", "currency", "account",
        "counterparty", "trade_date", "settlement_date", "gross", "commission", "fees", "accrued_interest", "net", "place_of_settlement", "entry_id", "reversal_entry_id",
    ];

    internal static string TradeRow(TradeVersion v)
    {
        string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
        return CsvText.Row(
            v.TradeId.ToString(CultureInfo.InvariantCulture), v.Version.ToString(CultureInfo.InvariantCulture), v.Status.ToString().ToLowerInvariant(),
            v.Action.ToString().ToLowerInvariant(), v.Source, v.SourceTradeId, v.Side.ToString().ToUpperInvariant(), v.Isin, v.Market, Text(v.Quantity), Text(v.Price),
            v.Currency, v.Account, v.Counterparty, LocalDatePattern.Iso.Format(v.TradeDate), LocalDatePattern.Iso.Format(v.SettlementDate), Text(v.Gross),
            Text(v.Charges.Where(c => c.Kind == FeeKind.Commission).Sum(c => c.Amount)), Text(v.Charges.Where(c => c.Kind != FeeKind.Commission).Sum(c => c.Amount)),
            Text(v.AccruedInterest), Text(v.Net), v.Ssi?.PlaceOfSettlement ?? "", v.EntryId?.ToString() ?? "", v.ReversalEntryId?.ToString() ?? "");
    }

    private static Command List(CliContext context)
    {
        var account = new Option<string?>("--account") { Description = "only this client account" };
        var tradeDate = new Option<string?>("--trade-date") { Description = "only this trade date, yyyy-MM-dd" };
        var status = new Option<string?>("--status") { Description = "active, busted or allocated" };
        status.AcceptOnlyFromAmong("active", "busted", "allocated");
        var after = new Option<long>("--after") { Description = "only trades with an id above this (to page through)" };
        var limit = new Option<int>("--limit") { Description = "most trades printed (1 to 100000)", DefaultValueFactory = _ => 1000 };
        var command = new Command("list", "List trades (their latest version) as CSV, by trade id") { account, tradeDate, status, after, limit };
        command.SetAction(async (parsed, ct) =>
        {
            LocalDate? date = null;
            if (parsed.GetValue(tradeDate) is { } text)
            {
                ParseResult<LocalDate> result = LocalDatePattern.Iso.Parse(text);
                if (!result.Success)
                {
                    await context.Error.WriteLineAsync($"error: --trade-date must be yyyy-MM-dd, not '{text}'");
                    return ExitCodes.Usage;
                }
                date = result.Value;
            }
            if (parsed.GetValue(limit) is < 1 or > 100_000)
            {
                await context.Error.WriteLineAsync("error: --limit must be 1 to 100000");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            TradeStatus? wanted = parsed.GetValue(status) switch { "active" => TradeStatus.Active, "busted" => TradeStatus.Busted, "allocated" => TradeStatus.Allocated, _ => null };
            IReadOnlyList<TradeVersion> trades = await services.Store.ListTradesAsync(
                new TradeQuery(parsed.GetValue(account), date, wanted, parsed.GetValue(after), parsed.GetValue(limit)), ct);
            await context.Output.WriteLineAsync(CsvText.Row(TradeHeader));
            foreach (TradeVersion trade in trades)
            {
                await context.Output.WriteLineAsync(TradeRow(trade));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var id = new Argument<long>("ID") { Description = "trade id" };
        var command = new Command("show", "Show a trade: every version, the postings that booked it, and the messages it came from") { id };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            long tradeId = parsed.GetValue(id);
            IReadOnlyList<TradeVersion> versions = await services.Store.ReadTradeAsync(tradeId, ct);
            if (versions.Count == 0)
            {
                await context.Error.WriteLineAsync($"error: trade.unknown: there is no trade {tradeId}");
                return ExitCodes.Refused;
            }
            ReferenceLookup reference = await services.Store.ReadAllReferenceAsync(ct);
            TextWriter o = context.Output;
            await o.WriteLineAsync($"# trade {tradeId}: versions");
            await o.WriteLineAsync(CsvText.Row(TradeHeader));
            foreach (TradeVersion v in versions)
            {
                await o.WriteLineAsync(TradeRow(v));
            }
            await o.WriteLineAsync();
            await o.WriteLineAsync("# charges");
            await o.WriteLineAsync("version,code,kind,amount");
            foreach (TradeVersion v in versions.Where(v => v.Status == TradeStatus.Active))
            {
                foreach (TradeCharge c in v.Charges)
                {
                    await o.WriteLineAsync(CsvText.Row(v.Version.ToString(CultureInfo.InvariantCulture), c.Code, c.Kind.ToString().ToLowerInvariant(), c.Amount.ToString(CultureInfo.InvariantCulture)));
                }
            }
            await o.WriteLineAsync();
            await o.WriteLineAsync("# postings");
            await o.WriteLineAsync("version,entry_id,effective_date,ledger_account,asset,debit,credit");
            foreach (TradeVersion v in versions)
            {
                foreach (JournalEntryId entryId in new[] { v.ReversalEntryId, v.EntryId }.OfType<JournalEntryId>())
                {
                    JournalEntry? entry = await services.Store.ReadEntryAsync(entryId, ct);
                    foreach (Posting p in entry?.Postings ?? [])
                    {
                        Domain.Primitives.Asset asset = reference.AssetsById[p.Asset];
                        await o.WriteLineAsync(CsvText.Row(v.Version.ToString(CultureInfo.InvariantCulture), entryId.ToString(), LocalDatePattern.Iso.Format(entry!.EffectiveDate),
                            reference.LedgerAccountsById[p.LedgerAccount].Code, asset.Code, p.Units > 0 ? asset.Format(p.Units) : "", p.Units < 0 ? asset.Format(-p.Units) : ""));
                    }
                }
            }
            await o.WriteLineAsync();
            await o.WriteLineAsync("# source messages");
            await o.WriteLineAsync("version,source,source_trade_id,message");
            foreach (TradeVersion v in versions)
            {
                await o.WriteLineAsync(CsvText.Row(v.Version.ToString(CultureInfo.InvariantCulture), v.Source, v.SourceTradeId, v.SourceMessage));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ExceptionList(CliContext context)
    {
        var all = new Option<bool>("--all") { Description = "include closed exceptions (resubmitted or discarded)" };
        var command = new Command("list", "List exceptions as CSV, oldest first (open ones only unless --all)") { all };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            IReadOnlyList<TradeException> exceptions = await services.Store.ListExceptionsAsync(!parsed.GetValue(all), ct);
            await context.Output.WriteLineAsync("id,status,source,source_trade_id,rule,message,location,trade_id,note");
            foreach (TradeException e in exceptions)
            {
                await context.Output.WriteLineAsync(CsvText.Row(e.Id.ToString(CultureInfo.InvariantCulture),
                    e.Closure?.Action.ToString().ToLowerInvariant() ?? "open", e.Source, e.SourceTradeId ?? "", e.Rule, e.Message, e.Location,
                    e.Closure?.TradeId?.ToString(CultureInfo.InvariantCulture) ?? "", e.Closure?.Note ?? ""));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Resubmit(CliContext context)
    {
        var id = new Argument<long>("ID") { Description = "exception id" };
        var set = new Option<string[]>("--set") { Description = "a repair, field=value (repeatable), e.g. --set account=C-1002", AllowMultipleArgumentsPerToken = false };
        var command = new Command("resubmit", "Book an exception again, repaired with --set field=value; it closes when the trade books") { id, set };
        command.SetAction(async (parsed, ct) =>
        {
            var repairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in parsed.GetValue(set) ?? [])
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await context.Error.WriteLineAsync($"error: --set takes field=value, not '{pair}'");
                    return ExitCodes.Usage;
                }
                repairs[pair[..equals]] = pair[(equals + 1)..];
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            CommandOutcome outcome = await services.Trades.ResubmitAsync(parsed.GetValue(id), repairs, services.Actor, ct);
            if (outcome.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync($"{outcome.Result} ({outcome.Status.ToString().ToLowerInvariant()})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Discard(CliContext context)
    {
        var id = new Argument<long>("ID") { Description = "exception id" };
        var note = new Option<string>("--note") { Description = "why it is discarded (kept in the audit trail)", Required = true };
        var command = new Command("discard", "Close an exception without booking it") { id, note };
        command.SetAction(async (parsed, ct) =>
        {
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            CommandOutcome outcome = await services.Trades.DiscardAsync(parsed.GetValue(id), parsed.GetValue(note)!, services.Actor, ct);
            if (outcome.Rejection is { } rejection)
            {
                await context.RejectAsync(rejection);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync($"{outcome.Result} ({outcome.Status.ToString().ToLowerInvariant()})");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Standards;
using BackOffice.Domain.Settlement;
using BackOffice.Intake.Csv;
using BackOffice.Intake.Settlement;

namespace BackOffice.Host.Cli;

/// <summary>settlement: what the settlement desk computes (so far, CSDR cash penalties, as a calculator).</summary>
internal static class SettlementCommands
{
    public static Command Settlement(CliContext context)
    {
        var file = new Option<FileInfo?>("--file")
        {
            Description = "CSV with columns fail_type,asset_class,quantity_kind,failing_quantity,currency,penalty_date,reference_price,cash_rate_annual",
        };
        var penalties = new Command("penalties", "Recompute CSDR cash penalties per failing instruction and day; print the rows with daily_penalty appended") { file };
        penalties.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(file) is not { } input)
            {
                await context.Error.WriteLineAsync("error: give --file F");
                return ExitCodes.Usage;
            }
            if (!input.Exists)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                return ExitCodes.Refused;
            }
            Result<IReadOnlyList<PenaltyFile.Row>> rows = PenaltyFile.Parse(input.Name, await File.ReadAllTextAsync(input.FullName, ct));
            if (rows.Rejection is { } badFile)
            {
                await context.RejectAsync(badFile);
                return ExitCodes.Refused;
            }
            // Every row is computed before anything is printed: a row that cannot be is an error with its line.
            var lines = new List<string>(rows.Value.Count + 1) { string.Join(',', [.. PenaltyFile.Columns, "daily_penalty"]) };
            foreach (PenaltyFile.Row row in rows.Value)
            {
                if (!CurrencyRegistry.TryGetMinorUnits(row.Day.Currency, out int minorUnits))
                {
                    await context.RejectAsync(new Rejection("field.currency", $"'{row.Day.Currency}' is not an ISO 4217 currency", $"{row.Location}, field currency"));
                    return ExitCodes.Refused;
                }
                Result<decimal> penalty = CsdrPenalties.Daily(row.Day, minorUnits);
                if (penalty.Rejection is { } refused)
                {
                    await context.RejectAsync(refused.At(row.Location));
                    return ExitCodes.Refused;
                }
                string amount = penalty.Value.ToString("F" + minorUnits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                lines.Add(CsvText.Row([.. row.Fields, amount]));
            }
            foreach (string line in lines)
            {
                await context.Output.WriteLineAsync(line);
            }
            return ExitCodes.Ok;
        });
        return new Command("settlement", "Settlement: obligations, bilateral netting, ISO 20022 instructions, CSDR cash penalties") { penalties, Obligations(context), Net(context), Instruct(context) };
    }

    private static readonly string[] ObligationHeader =
    [
        "tx_id", "trade_id", "version", "type", "isin", "quantity", "amount", "currency", "trade_date", "settlement_date", "account", "counterparty",
        "place_of_settlement", "counterparty_agent", "counterparty_account",
    ];

    private static string[] ObligationRow(SettlementObligation o) =>
    [
        o.TransactionId, o.TradeId.ToString(CultureInfo.InvariantCulture), o.Version.ToString(CultureInfo.InvariantCulture), o.Code, o.Isin,
        o.Quantity.ToString(CultureInfo.InvariantCulture), o.Amount.ToString(CultureInfo.InvariantCulture), o.Currency,
        o.TradeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), o.SettlementDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), o.Account, o.Counterparty,
        o.Ssi?.PlaceOfSettlement ?? "", o.Ssi?.AgentBic ?? "", o.Ssi?.DepositoryAccount ?? "",
    ];

    // The default settlement date: today in UTC, by the services' clock.
    private static NodaTime.LocalDate Today(Services services) => services.Clock.GetCurrentInstant().InUtc().Date;

    private static Task<List<SettlementObligation>> DueAsync(Services services, NodaTime.LocalDate date, CancellationToken ct) =>
        new Application.Settlement.SettlementService(services.Store).ObligationsDueAsync(date, ct);

    private static Command Obligations(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "settlement date (yyyy-MM-dd; default today)" };
        var command = new Command("obligations", "Print the settlement obligations due on a date as CSV: one per active trade, DVP for a sale, RVP for a purchase") { date };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            NodaTime.LocalDate on = day ?? Today(services);
            await context.Output.WriteLineAsync(CsvText.Row(ObligationHeader));
            foreach (SettlementObligation obligation in await DueAsync(services, on, ct))
            {
                await context.Output.WriteLineAsync(CsvText.Row(ObligationRow(obligation)));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Net(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "settlement date (yyyy-MM-dd; default today)" };
        var command = new Command("net", "Print the day's settlements after netting (bilateral under agreements, multilateral against a central counterparty), then gross against net value and the efficiency per currency, as CSV") { date };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            NodaTime.LocalDate on = day ?? Today(services);
            IReadOnlyList<NetSettlement> settlements = await new Application.Settlement.SettlementService(services.Store).NetAsync(await DueAsync(services, on, ct), ct);
            await context.Output.WriteLineAsync("counterparty,isin,settlement_date,currency,obligations,tx_ids,gross_quantity,net_quantity,gross_amount,net_amount");
            foreach (NetSettlement s in settlements)
            {
                await context.Output.WriteLineAsync(CsvText.Row([s.Counterparty, s.Isin, s.SettlementDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.Currency,
                    s.Members.Count.ToString(CultureInfo.InvariantCulture), string.Join(' ', s.Members.Select(m => m.TransactionId)), Text(s.GrossQuantity), Text(s.NetQuantity),
                    Text(s.GrossAmount), Text(s.NetAmount)]));
            }
            await context.Output.WriteLineAsync("currency,obligations,settlements,gross_amount,net_amount,efficiency");
            foreach (NettingSummary summary in Netting.Summarise(settlements))
            {
                await context.Output.WriteLineAsync(CsvText.Row([summary.Currency, summary.Obligations.ToString(CultureInfo.InvariantCulture),
                    summary.Settlements.ToString(CultureInfo.InvariantCulture), Text(summary.GrossAmount), Text(summary.NetAmount),
                    Math.Round(summary.Efficiency, 4, MidpointRounding.AwayFromZero).ToString("0.0000", CultureInfo.InvariantCulture)]));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static Command Instruct(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "settlement date (yyyy-MM-dd; default today)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "directory for instructions.csv and one sese.023 XML file per obligation" };
        var account = new Option<string>("--safekeeping-account") { Description = "the firm's securities account at the place of settlement", DefaultValueFactory = _ => "BACKOFFICE" };
        var command = new Command("instruct", "Write the day's settlement instructions: one ISO 20022 sese.023 per obligation, validated against the schema, and a CSV of them")
        {
            date, output, account,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid || parsed.GetValue(output) is not { } directory)
            {
                await context.Error.WriteLineAsync("error: give --out DIR (and --date yyyy-MM-dd)");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            NodaTime.LocalDate on = day ?? Today(services);
            List<SettlementObligation> due = await DueAsync(services, on, ct);
            // Every message is built and validated before any file is written: all or nothing.
            string safekeeping = parsed.GetValue(account)!;
            Result<string[]> built = Application.Settlement.SettlementService.Instructions(due, o => Intake.Iso20022.Sese023.Write(o, safekeeping));
            if (built.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            var messages = due.Zip(built.Value, (obligation, xml) => (Obligation: obligation, Xml: xml)).ToList();
            directory.Create();
            var csv = new StringBuilder(CsvText.Row([.. ObligationHeader, "file"]) + "\n");
            foreach (var (obligation, xml) in messages)
            {
                string name = obligation.TransactionId + ".sese023.xml";
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, name), xml, new UTF8Encoding(false), ct);
                csv.Append(CsvText.Row([.. ObligationRow(obligation), name])).Append('\n');
            }
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "instructions.csv"), csv.ToString(), new UTF8Encoding(false), ct);
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{messages.Count} instructions for {on:yyyy-MM-dd} written to {directory.Name}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}

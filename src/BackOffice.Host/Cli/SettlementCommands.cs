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
        return new Command("settlement", "Settlement: obligations, netting, ISO 20022 instructions and their statuses, fails, CSDR cash penalties")
        {
            penalties, Obligations(context), Net(context), Instruct(context), StatusImport(context), Status(context), FailsCommand(context), PenaltyCheck(context),
        };
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

    private static readonly string[] InstructionHeader =
    [
        "tx_id", "status", "type", "counterparty", "isin", "quantity", "amount", "cash", "currency", "trade_date", "settlement_date", "place_of_settlement",
        "counterparty_agent", "counterparty_account", "trades",
    ];

    private static string[] InstructionRow(SettlementInstruction i) =>
    [
        i.TransactionId, InstructionLifecycle.Name(i.Status), i.Code, i.Counterparty, i.Isin, Text(i.Quantity), Text(i.Amount),
        !i.AgainstPayment ? "" : i.ReceivesCash ? "receive" : "pay", i.Currency, Iso(i.TradeDate), Iso(i.SettlementDate), i.PlaceOfSettlement,
        i.CounterpartyAgent, i.CounterpartyAccount,
        string.Join(' ', i.Members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.TradeId}-{m.Version}"))),
    ];

    private static string Iso(NodaTime.LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Command Instruct(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "settlement date (yyyy-MM-dd; default today)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "directory for instructions.csv and one sese.023 XML file per instruction" };
        var account = new Option<string>("--safekeeping-account") { Description = "the firm's securities account at the place of settlement", DefaultValueFactory = _ => "BACKOFFICE" };
        var command = new Command("instruct",
            "Send the day's settlement instructions: net the obligations not yet instructed, write one ISO 20022 sese.023 per instruction (validated against the schema) and instructions.csv, " +
            "record them as sent, and cancel those a bust or correction made stale")
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
            string safekeeping = parsed.GetValue(account)!;
            // Every message is built and validated before anything is written or recorded; the files are
            // written before the instructions are recorded as sent, so a run that stops between the two
            // writes the same files again (they render the same) and then records them.
            Result<Application.Settlement.InstructPlan> plan = await services.Settlement.PlanInstructionsAsync(on, i => Intake.Iso20022.Sese023.Check(i, safekeeping), ct);
            if (plan.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            directory.Create();
            var csv = new StringBuilder(CsvText.Row([.. InstructionHeader, "file"]) + "\n");
            var sent = new Dictionary<string, Application.Settlement.SentMessage>(plan.Value.Sent.Count, StringComparer.Ordinal);
            foreach (SettlementInstruction instruction in plan.Value.Sent)
            {
                string name = instruction.TransactionId + ".sese023.xml";
                byte[] message = Intake.Iso20022.Sese023.Bytes(instruction, safekeeping);
                await File.WriteAllBytesAsync(Path.Combine(directory.FullName, name), message, ct);
                sent[instruction.TransactionId] = new Application.Settlement.SentMessage(Domain.Primitives.Sha256Hash.Of(message), safekeeping);
                csv.Append(CsvText.Row([.. InstructionRow(instruction), name])).Append('\n');
            }
            foreach (SettlementInstruction cancelled in plan.Value.Cancelled)
            {
                csv.Append(CsvText.Row([.. InstructionRow(cancelled with { Status = InstructionStatus.Cancelled }), ""])).Append('\n');
            }
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "instructions.csv"), csv.ToString(), new UTF8Encoding(false), ct);
            Result<Application.Settlement.InstructRun> run = await services.Settlement.RecordInstructionsAsync(plan.Value, services.Actor, Today(services), ct, sent);
            if (run.Rejection is { } notRecorded)
            {
                await context.RejectAsync(notRecorded);
                return ExitCodes.Refused;
            }
            foreach (string warning in run.Value.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + warning);
            }
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{run.Value.Sent.Count} instructions for {on:yyyy-MM-dd} written to {directory.Name}, {run.Value.Cancelled.Count} cancelled, {run.Value.Kept.Count} already sent"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command StatusImport(CliContext context)
    {
        var files = new Argument<FileInfo[]>("files") { Description = "sese.024 status advices and sese.025 confirmations (XML), or directories of them", Arity = ArgumentArity.OneOrMore };
        var date = new Option<string?>("--date") { Description = "business date of the status advices (yyyy-MM-dd; default today): when a match or a fail happened" };
        var command = new Command("status-import",
            "Take the custodian's sese.024 status advices and sese.025 confirmations: move each instruction (matched, failed, cancelled, partially settled, settled) " +
            "and book what settled; a message that does not fit its instruction goes to the exceptions queue")
        {
            files, date,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            if (!valid)
            {
                return ExitCodes.Usage;
            }
            var inputs = new List<FileInfo>();
            foreach (FileInfo file in parsed.GetValue(files) ?? [])
            {
                if (Directory.Exists(file.FullName))
                {
                    inputs.AddRange(new DirectoryInfo(file.FullName).GetFiles("*.xml").OrderBy(f => f.Name, StringComparer.Ordinal));
                }
                else if (file.Exists)
                {
                    inputs.Add(file);
                }
                else
                {
                    await context.Error.WriteLineAsync($"error: {file.Name}: file not found");
                    return ExitCodes.Refused;
                }
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            NodaTime.LocalDate on = day ?? Today(services);
            int exit = ExitCodes.Ok;
            foreach (FileInfo file in inputs)
            {
                string xml = await File.ReadAllTextAsync(file.FullName, ct);
                Result<string> kind = Intake.Iso20022.SettlementMessages.Identify(file.Name, xml);
                if (kind.Rejection is { } unknown)
                {
                    await context.RejectAsync(unknown);
                    exit = ExitCodes.Refused;
                    continue;
                }
                Application.Settlement.StatusOutcome outcome;
                if (kind.Value == "sese.024")
                {
                    Result<StatusAdvice> advice = Intake.Iso20022.Sese024.Read(file.Name, xml);
                    if (advice.Rejection is { } bad)
                    {
                        await context.RejectAsync(bad);
                        exit = ExitCodes.Refused;
                        continue;
                    }
                    outcome = await services.Settlement.AdviseAsync(advice.Value, on, file.Name, xml, services.Actor, ct);
                }
                else
                {
                    Result<SettlementConfirmation> confirmation = Intake.Iso20022.Sese025.Read(file.Name, xml);
                    if (confirmation.Rejection is { } bad)
                    {
                        await context.RejectAsync(bad);
                        exit = ExitCodes.Refused;
                        continue;
                    }
                    outcome = await services.Settlement.ConfirmAsync(confirmation.Value, file.Name, xml, services.Actor, ct);
                }
                if (outcome.Parked is { } parked)
                {
                    await context.RejectAsync(parked);
                    await context.Error.WriteLineAsync($"  {file.Name} is in the exceptions queue; nothing was booked");
                    exit = ExitCodes.Refused;
                }
                else if (outcome.Outcome.Rejection is { } refused)
                {
                    await context.RejectAsync(refused);
                    exit = ExitCodes.Refused;
                }
                else
                {
                    string replay = outcome.Outcome.Status == Application.WritePath.CommandStatus.Replayed ? " (already taken)" : "";
                    await context.Output.WriteLineAsync($"{file.Name}: {outcome.Outcome.Result}{replay}");
                }
            }
            return exit;
        });
        return command;
    }

    private static Command Status(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "only instructions settling on this date (yyyy-MM-dd)" };
        var tx = new Option<string?>("--tx") { Description = "one instruction's transaction id: print its audited history" };
        var open = new Option<bool>("--open") { Description = "only instructions neither settled nor cancelled" };
        var command = new Command("status", "Print the instructions with their lifecycle status and settled quantities as CSV, or one instruction's history") { date, tx, open };
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
            if (parsed.GetValue(tx) is { } id)
            {
                IReadOnlyList<InstructionEvent> history = await services.Store.ReadInstructionEventsAsync(id, ct);
                if (history.Count == 0)
                {
                    await context.RejectAsync(new Rejection("settlement.unknown-instruction", $"no instruction {id}"));
                    return ExitCodes.Refused;
                }
                await context.Output.WriteLineAsync("audit_sequence,date,from,to,source,message_id,reason_code,settled_quantity,settled_amount,note");
                foreach (InstructionEvent e in history)
                {
                    await context.Output.WriteLineAsync(CsvText.Row([e.Sequence.Value.ToString(CultureInfo.InvariantCulture), Iso(e.On), InstructionLifecycle.Name(e.From),
                        InstructionLifecycle.Name(e.To), e.Source, e.MessageId ?? "", e.ReasonCode ?? "", Text(e.SettledQuantity), Text(e.SettledAmount), e.Note ?? ""]));
                }
                return ExitCodes.Ok;
            }
            IReadOnlyList<SettlementInstruction> instructions = await services.Store.ListInstructionsAsync(
                new Application.Ports.InstructionQuery(SettlementDate: day, OpenOnly: parsed.GetValue(open)), ct);
            await context.Output.WriteLineAsync(CsvText.Row([.. InstructionHeader, "settled_quantity", "settled_amount", "reason_code", "matched_on"]));
            foreach (SettlementInstruction i in instructions)
            {
                await context.Output.WriteLineAsync(CsvText.Row([.. InstructionRow(i), Text(i.SettledQuantity), Text(i.SettledAmount), i.ReasonCode ?? "",
                    i.MatchedOn is { } m ? Iso(m) : ""]));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command FailsCommand(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "the business date whose end it is (yyyy-MM-dd; default today)" };
        var cashRate = new Option<string?>("--cash-rate") { Description = "the central bank's overnight credit rate for lack-of-cash penalties, a fraction (0.0265 is 2.65%)" };
        var by = new Option<string>("--by") { Description = "fails (one row per fail), counterparty or instrument", DefaultValueFactory = _ => "fails" };
        var command = new Command("fails",
            "Mark every instruction not settled by the end of its intended settlement date as failed, accrue the CSDR penalties of fails at EU CSDs to the ledger, " +
            "and print the fails with their age, bucket, close-out deadline and buy-in candidates as CSV")
        {
            date, cashRate, by,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (valid, day) = await context.DateOptionAsync(parsed.GetValue(date), "--date");
            string view = parsed.GetValue(by)!;
            decimal? rate = null;
            if (parsed.GetValue(cashRate) is { } rateText)
            {
                if (!decimal.TryParse(rateText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal parsedRate))
                {
                    await context.Error.WriteLineAsync($"error: --cash-rate '{rateText}' is not a decimal fraction");
                    return ExitCodes.Usage;
                }
                rate = parsedRate;
            }
            if (!valid || view is not ("fails" or "counterparty" or "instrument"))
            {
                await context.Error.WriteLineAsync("error: --by is fails, counterparty or instrument");
                return ExitCodes.Usage;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            NodaTime.LocalDate on = day ?? Today(services);
            Result<Application.Settlement.FailsRun> run = await services.Settlement.FailsAsync(on, services.Actor, rate, null, ct);
            if (run.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            foreach (string warning in run.Value.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + warning);
            }
            if (view == "fails")
            {
                await context.Output.WriteLineAsync("tx_id,counterparty,isin,type,settlement_date,open_quantity,open_amount,currency,reason_code,age,bucket,close_out_rule,close_out_deadline,buy_in_candidate,we_are_failing");
                foreach (SettlementFail f in run.Value.Fails)
                {
                    SettlementInstruction i = f.Instruction;
                    await context.Output.WriteLineAsync(CsvText.Row([i.TransactionId, i.Counterparty, i.Isin, i.Code, Iso(i.SettlementDate), Text(i.OpenQuantity), Text(i.OpenAmount),
                        i.Currency, i.ReasonCode ?? "", f.AgeBusinessDays.ToString(CultureInfo.InvariantCulture), f.AgeBucket, f.Rule, Iso(f.CloseOutDeadline),
                        f.BuyInCandidate ? "true" : "false", f.WeAreFailing ? "true" : "false"]));
                }
            }
            else
            {
                await context.Output.WriteLineAsync($"{view},currency,fails,open_quantity,open_amount,oldest_age");
                foreach (FailSummary s in view == "counterparty" ? Fails.ByCounterparty(run.Value.Fails) : Fails.ByInstrument(run.Value.Fails))
                {
                    await context.Output.WriteLineAsync(CsvText.Row([s.Key, s.Currency, s.Fails.ToString(CultureInfo.InvariantCulture), Text(s.OpenQuantity), Text(s.OpenAmount),
                        s.OldestAge.ToString(CultureInfo.InvariantCulture)]));
                }
            }
            await context.Error.WriteLineAsync(run.Value.Outcome.Result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PenaltyCheck(CliContext context)
    {
        var file = new Option<FileInfo?>("--file") { Description = "the CSD's penalty report as CSV with columns tx_id,penalty_date,amount,currency" };
        var command = new Command("penalty-check",
            "Compare the penalties the CSD reports with those accrued; print every difference (a break) as CSV and park each in the exceptions queue") { file };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(file) is not { } input || !input.Exists)
            {
                await context.Error.WriteLineAsync("error: give --file F, an existing CSV file");
                return ExitCodes.Usage;
            }
            string text = await File.ReadAllTextAsync(input.FullName, ct);
            Result<IReadOnlyList<(string TransactionId, NodaTime.LocalDate Date, decimal Amount, string Currency)>> rows = CsdPenaltyReport.Parse(input.Name, text);
            if (rows.Rejection is { } bad)
            {
                await context.RejectAsync(bad);
                return ExitCodes.Refused;
            }
            await using Services? services = await context.OpenAsync(parsed, create: false, ct);
            if (services is null)
            {
                return ExitCodes.Failure;
            }
            var compared = await services.Settlement.ComparePenaltiesAsync(rows.Value, input.Name, text, services.Actor, ct);
            if (compared.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            await context.Output.WriteLineAsync("tx_id,penalty_date,ours,csd,currency,difference");
            foreach (PenaltyBreak b in compared.Value.Breaks)
            {
                await context.Output.WriteLineAsync(CsvText.Row([b.TransactionId, Iso(b.Date), Text(b.Ours), Text(b.Csd), b.Currency, Text(b.Ours - b.Csd)]));
            }
            await context.Error.WriteLineAsync(compared.Value.Outcome.Result);
            return compared.Value.Breaks.Count == 0 ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using BackOffice.Application.Audit;
using BackOffice.Application.Ledger;
using BackOffice.Application.Ports;
using BackOffice.Application.Trading;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.ReferenceData.Standards;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Csv;
using BackOffice.Intake.Fix;
using BackOffice.Intake.Json;
using BackOffice.Intake.ReferenceData;
using BackOffice.Intake.Trades;
using NodaTime;

namespace BackOffice.Host.Cli;

/// <summary>demo: a small business day on a fresh database, from the files in samples/demo.</summary>
internal static class DemoCommand
{
    private static readonly (string File, ReferenceKind Kind)[] s_referenceFiles =
    [
        ("markets.csv", ReferenceKind.Markets),
        ("parties.csv", ReferenceKind.Parties),
        ("instruments.csv", ReferenceKind.Instruments),
        ("client-accounts.csv", ReferenceKind.ClientAccounts),
        ("books.csv", ReferenceKind.Books),
        ("ledger-accounts.csv", ReferenceKind.LedgerAccounts),
        ("fee-rules.csv", ReferenceKind.FeeRules),
        ("ssis.csv", ReferenceKind.SettlementInstructions),
        ("prices.csv", ReferenceKind.Prices),
        ("fx-rates.csv", ReferenceKind.FxRates),
        ("interest-rates.csv", ReferenceKind.InterestRates),
        ("statement-accounts.csv", ReferenceKind.StatementAccounts),
        ("mifir-firm.csv", ReferenceKind.MifirFirm),
        ("restricted-list.csv", ReferenceKind.RestrictedList),
        ("trading-limits.csv", ReferenceKind.TradingLimits),
    ];

    public static Command Build(CliContext context)
    {
        var force = new Option<bool>("--force") { Description = "replace the SQLite file if it exists" };
        var command = new Command("demo", "Create a demo database with reference data and a business day of entries; print balances and the audit head") { force };
        command.SetAction(async (parsed, ct) =>
        {
            string path = parsed.GetValue(context.Db)!;
            bool usesSqlite = string.IsNullOrEmpty(parsed.GetValue(context.Connection) ?? Environment.GetEnvironmentVariable("BACKOFFICE_CONNECTION"));
            if (usesSqlite && File.Exists(path))
            {
                if (!parsed.GetValue(force))
                {
                    await context.Error.WriteLineAsync($"error: {path} exists; pass --force to replace it, or choose another --db");
                    return ExitCodes.Refused;
                }
                foreach (string file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }
            }
            await using Services? services = await context.OpenAsync(parsed, create: true, ct);
            return services is null ? ExitCodes.Failure : await RunAsync(context.Output, context.Error, services, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(TextWriter output, TextWriter error, Services services, CancellationToken ct)
    {
        await output.WriteLineAsync($"# BackOffice demo on {services.Store.Kind}");
        CommandOutcome currencies = await services.ReferenceData.ImportAsync(new ReferenceChanges { Currencies = CurrencyRegistry.All }, null, services.Actor, null, ct);
        await output.WriteLineAsync($"reference data: ISO 4217: {currencies.Result}");
        foreach ((string file, ReferenceKind kind) in s_referenceFiles)
        {
            Result<ParsedReferenceFile> parsedFile = ReferenceDataFile.Parse(kind, file, ReadSample(file), isJson: false);
            CommandOutcome outcome = await services.ReferenceData.ImportAsync(parsedFile.Value.Changes, parsedFile.Value.Locations, services.Actor, null, ct);
            if (outcome.Rejection is { } rejection)
            {
                await error.WriteLineAsync("error: " + rejection);
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync($"reference data: {file}: {outcome.Result}");
        }
        Result<ParsedEntryFile> entries = JournalEntryFile.Parse("entries.json", System.Text.Encoding.UTF8.GetBytes(ReadSample("entries.json")));
        PostReport posted = await services.Ledger.PostAsync(entries.Value.Entries, services.Actor, new PostOptions(), null, ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"journal: posted entries.json: booked {posted.BookedCount}, replayed {posted.ReplayedCount}"));
        await CorrectFeeAsync(output, services, posted, ct);
        await PrintSettlementAsync(output);
        await output.WriteLineAsync();
        foreach (string file in new[] { "trades.csv", "trade-amendments.csv" })
        {
            using var content = new MemoryStream();
            await SampleStream(file).CopyToAsync(content, ct);
            Sha256Hash contentHash = Sha256Hash.Of(content.ToArray());
            TradeImportReport report = await services.Trades.ImportFileAsync(() => TradeFile.ReadCsv(() => SampleStream(file), file, "OMS"),
                contentHash, "OMS", services.Actor,
                new TradeImportOptions { Received = new InboundFile("trades", file, "csv", contentHash, content.ToArray(), services.Clock.GetCurrentInstant()) }, ct);
            if (report.Rejection is { } refused)
            {
                await error.WriteLineAsync("error: " + refused);
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"trades: {file}: {report.Booked} booked, {report.Corrected} corrected, {report.Busted} busted, {report.Replayed} replayed"));
        }
        // The broker's drop copy arrives as a stream, as from the FIX acceptor: each message books
        // on its own, and one naming an unknown account waits in the exceptions queue.
        var streamed = new List<TradeMessageOutcome>();
        foreach (TradeMessage message in FixLogFile.Read(SampleStream("dropcopy.fix"), "dropcopy.fix", null))
        {
            string name = message.Request?.SourceTradeId ?? message.Location;
            var (_, outcomes) = await services.Trades.SubmitAsync([message], services.Actor, IdempotencyKey.From($"demo/{message.Source}/{name}"), ct);
            streamed.AddRange(outcomes);
        }
        TradeImportReport fix = TradeImportReport.Of(streamed, 0);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"trades: dropcopy.fix (FIX 4.4 drop copy, streamed): {fix.Booked} booked, {fix.Corrected} corrected, {fix.Busted} busted, {fix.Exceptions} to the exceptions queue"));
        await output.WriteLineAsync();
        await output.WriteLineAsync("# trades");
        await output.WriteLineAsync(CsvText.Row(TradeCommands.TradeHeader));
        foreach (TradeVersion trade in await services.Store.ListTradesAsync(new TradeQuery(), ct))
        {
            await output.WriteLineAsync(TradeCommands.TradeRow(trade));
        }
        await output.WriteLineAsync();
        IReadOnlyList<BalanceLine> balances = await services.Ledger.BalancesAsync(null, null, ct);
        await output.WriteLineAsync("# client positions (securities owed to clients; trade-date basis)");
        await WritePositionsAsync(output, balances.Where(b => b.LedgerAccountCode.StartsWith("2100.", StringComparison.Ordinal)));
        await output.WriteLineAsync();
        await output.WriteLineAsync("# client cash (money owed to clients, after trades booked at trade date)");
        await WritePositionsAsync(output, balances.Where(b => b.LedgerAccountCode.StartsWith("2010.", StringComparison.Ordinal)));
        await output.WriteLineAsync();
        await output.WriteLineAsync("# open exceptions");
        await output.WriteLineAsync("id,source,source_trade_id,rule,message");
        foreach (TradeException e in await services.Store.ListExceptionsAsync(openOnly: true, ct))
        {
            await output.WriteLineAsync(CsvText.Row(e.Id.ToString(CultureInfo.InvariantCulture), e.Source, e.SourceTradeId ?? "", e.Rule, e.Message));
        }
        await output.WriteLineAsync();
        // The day's close: positions at the day's prices (cost from FIFO lots), realized P&L, trial balance.
        var day = new NodaTime.LocalDate(2026, 11, 25);
        Application.Reporting.Valuation valuation = await new Application.Reporting.ValuationService(services.Store).ValueAsync(day, 0, null, ct);
        await output.WriteLineAsync("# positions at market, 2026-11-25 (cost from FIFO lots; unrealized P&L in the instrument's and the account's currency)");
        await output.WriteLineAsync("account,instrument,quantity,cost,price,market_value,unrealized,base_currency,unrealized_base,exception");
        foreach (Application.Reporting.ValuationLine l in valuation.Lines)
        {
            await output.WriteLineAsync(CsvText.Row(l.Account, l.Instrument, Text(l.Quantity), Text(l.Cost), Text(l.Price), Text(l.MarketValue), Text(l.Unrealized),
                l.BaseCurrency, Text(l.UnrealizedBase), l.Exception ?? ""));
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("# realized P&L (FIFO): proceeds net of fees minus relieved cost");
        await output.WriteLineAsync("account,instrument,currency,quantity,proceeds,cost_basis,realized");
        Application.Lots.LotBook lots = await services.Lots.RunAsync(day, null, ct);
        foreach (var g in lots.Realized.GroupBy(r => (r.Account, r.Instrument, r.Currency)).OrderBy(g => g.Key.Account, StringComparer.Ordinal).ThenBy(g => g.Key.Instrument, StringComparer.Ordinal))
        {
            await output.WriteLineAsync(CsvText.Row(g.Key.Account, g.Key.Instrument, g.Key.Currency, Text(g.Sum(r => r.Quantity)), Text(g.Sum(r => r.Proceeds)),
                Text(g.Sum(r => r.CostBasis)), Text(g.Sum(r => r.Realized))));
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("# end of day 2026-11-25");
        Application.EndOfDay.EodRun close = await new Application.EndOfDay.EodService(services.Store, services.Processor)
            .RunAsync(day, services.Actor, 0, Application.EndOfDay.EodService.DefaultCalendar, null, ct);
        await output.WriteLineAsync("step,status,result");
        foreach (Application.EndOfDay.EodStepState step in close.Steps)
        {
            await output.WriteLineAsync(CsvText.Row(step.Step, step.Done ? "done" : step.Step == close.FailedStep ? "failed" : "pending", step.Result ?? ""));
        }
        if (close.Failure is { } failure)
        {
            await error.WriteLineAsync("error: " + failure);
            return ExitCodes.Failure;
        }
        if (await ReportTransactionsAsync(output, error, services, day, ct) is { } unreported)
        {
            return unreported;
        }
        if (await ScreenAndSurveyAsync(output, error, services, day, ct) is { } unscreened)
        {
            return unscreened;
        }
        if (await SettleAsync(output, error, services, ct) is { } failed)
        {
            return failed;
        }
        if (await ReconcileAsync(output, error, services, ct) is { } unreconciled)
        {
            return unreconciled;
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("# trial balance (general ledger), debit and credit per asset");
        await output.WriteLineAsync("account,name,type,asset,debit,credit");
        Application.Reporting.TrialBalance trial = await services.Reports.TrialBalanceAsync(null, null, detail: false, ct);
        foreach (Application.Reporting.TrialBalanceLine l in trial.Lines)
        {
            await output.WriteLineAsync(CsvText.Row(l.Account, l.Name, l.Type.ToString().ToLowerInvariant(), l.Asset, Text(l.Debit), Text(l.Credit)));
        }
        foreach (var (asset, debit, credit) in trial.Totals)
        {
            await output.WriteLineAsync(CsvText.Row("total", "", "", asset, Text(debit), Text(credit)));
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("# balances after the close");
        await LedgerCommands.WriteBalancesAsync(output, await services.Ledger.BalancesAsync(null, null, ct));
        await output.WriteLineAsync();
        AuditVerification audit = await services.Audit.VerifyAsync(null, ct);
        await output.WriteLineAsync(audit.IsIntact
            ? string.Create(CultureInfo.InvariantCulture, $"# audit trail intact: {audit.RecordCount} audit records, {audit.EntryCount} journal entries")
            : "# audit trail BROKEN: " + audit.Problem);
        await output.WriteLineAsync($"head: {audit.HeadSequence}:{audit.HeadHash}");
        return audit.IsIntact ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>
    /// Settlement of the day's trades on Friday 27 November (Thanksgiving moves the US T+1 date; Paris
    /// settles T+2): the instructions are sent; the custodian matches them all, settles the Apple
    /// purchase in two parts and the others in full, and reports the Paris purchase failing because
    /// the broker lacks the shares. At the end of the day it is a fail, and its CSDR penalty accrues.
    /// </summary>
    private static async Task<int?> SettleAsync(TextWriter output, TextWriter error, Services services, CancellationToken ct)
    {
        var settle = new LocalDate(2026, 11, 27);
        await output.WriteLineAsync();
        await output.WriteLineAsync("# settlement 2026-11-27: instructions sent (ISO 20022 sese.023, each validated against the schema)");
        Result<Application.Settlement.InstructRun> run = await services.Settlement.InstructAsync(settle, services.Actor, new LocalDate(2026, 11, 26),
            i => Intake.Iso20022.Sese023.Check(i, "DEMO-SAFE-1"), ct, i => Intake.Iso20022.Sese023.Sent(i, "DEMO-SAFE-1"));
        if (run.Rejection is { } refused)
        {
            await error.WriteLineAsync("error: " + refused);
            return ExitCodes.Failure;
        }
        await output.WriteLineAsync("tx_id,type,isin,quantity,amount,currency,place_of_settlement");
        foreach (Domain.Settlement.SettlementInstruction i in run.Value.Sent)
        {
            await output.WriteLineAsync(CsvText.Row(i.TransactionId, i.Code, i.Isin, Text(i.Quantity), Text(i.Amount), i.Currency, i.PlaceOfSettlement));
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("# the custodian's sese.024 status advices and sese.025 confirmations");
        var messages = new List<string>();
        foreach (Domain.Settlement.SettlementInstruction i in run.Value.Sent)
        {
            bool failing = i.Isin == "FR0000120271";
            messages.Add(Intake.Iso20022.Sese024.Write(new Domain.Settlement.StatusAdvice(i.TransactionId, "CUST-" + i.TransactionId, null,
                Domain.Settlement.MatchingStatus.Matched, failing ? Domain.Settlement.SettlementCondition.Failing : Domain.Settlement.SettlementCondition.Pending,
                failing ? "CLAC" : null, failing ? "counterparty lacks securities" : null)).Value);
            if (failing)
            {
                continue;
            }
            // The Apple purchase settles 300 first and the rest later in the day; the others in full.
            decimal first = i.Isin == "US0378331005" && !i.Delivers && i.Quantity > 300m ? 300m : i.Quantity;
            decimal cash = first == i.Quantity ? i.Amount : Math.Round(i.Amount * first / i.Quantity, 2, MidpointRounding.AwayFromZero);
            messages.Add(Confirmation(i, first, cash, settle, i.Quantity - first));
            if (first != i.Quantity)
            {
                messages.Add(Confirmation(i, i.Quantity - first, i.Amount - cash, settle, 0m));
            }
        }
        foreach (string xml in messages)
        {
            Application.Settlement.StatusOutcome outcome = Intake.Iso20022.SettlementMessages.Identify("demo", xml).Value == "sese.024"
                ? await services.Settlement.AdviseAsync(Intake.Iso20022.Sese024.Read("demo", xml).Value, settle, "demo", xml, services.Actor, ct)
                : await services.Settlement.ConfirmAsync(Intake.Iso20022.Sese025.Read("demo", xml).Value, "demo", xml, services.Actor, ct);
            if ((outcome.Parked ?? outcome.Outcome.Rejection) is { } parked)
            {
                await error.WriteLineAsync("error: " + parked);
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync(outcome.Outcome.Result);
        }
        Result<ParsedReferenceFile> marks = ReferenceDataFile.Parse(ReferenceKind.Prices, "prices-2026-11-27.csv", ReadSample("prices-2026-11-27.csv"), isJson: false);
        await services.ReferenceData.ImportAsync(marks.Value.Changes, marks.Value.Locations, services.Actor, null, ct);
        Result<Application.Settlement.FailsRun> fails = await services.Settlement.FailsAsync(settle, services.Actor, null, null, ct);
        if (fails.Rejection is { } notRun)
        {
            await error.WriteLineAsync("error: " + notRun);
            return ExitCodes.Failure;
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("# fails at the end of 2026-11-27, with the CSDR penalties accrued");
        await output.WriteLineAsync("tx_id,counterparty,isin,open_quantity,reason,age,close_out_deadline,buy_in_candidate");
        foreach (Domain.Settlement.SettlementFail f in fails.Value.Fails)
        {
            await output.WriteLineAsync(CsvText.Row(f.Instruction.TransactionId, f.Instruction.Counterparty, f.Instruction.Isin, Text(f.Instruction.OpenQuantity),
                f.Instruction.ReasonCode ?? "", f.AgeBusinessDays.ToString(CultureInfo.InvariantCulture), f.CloseOutDeadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                f.BuyInCandidate ? "true" : "false"));
        }
        foreach (Domain.Settlement.AccruedPenalty p in fails.Value.Accrued)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"penalty {p.TransactionId} {p.Date:yyyy-MM-dd}: {p.Side.ToString().ToLowerInvariant()} {p.Amount} {p.Currency} ({p.Type}, {p.FailingQuantity} at {p.ReferencePrice})"));
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("# instructions at the end of the day");
        await output.WriteLineAsync("tx_id,status,quantity,settled_quantity,amount,settled_amount,reason");
        foreach (Domain.Settlement.SettlementInstruction i in await services.Store.ListInstructionsAsync(new InstructionQuery(SettlementDate: settle), ct))
        {
            await output.WriteLineAsync(CsvText.Row(i.TransactionId, Domain.Settlement.InstructionLifecycle.Name(i.Status), Text(i.Quantity), Text(i.SettledQuantity),
                Text(i.Amount), Text(i.SettledAmount), i.ReasonCode ?? ""));
        }
        return null;
    }

    /// <summary>
    /// The evening of 27 November: the global custodian's semt.002 statement of holdings and the
    /// settlement bank's camt.053 USD statement arrive and are reconciled with the books. Each
    /// planted difference raises one break; the Paris fail is suggested as the cause of one.
    /// </summary>
    /// <summary>
    /// The firm's Paris branch reports the day's trades in instruments of EEA venues to its
    /// regulator (MiFIR): one auth.016 file, validated against the schema, kept byte for byte.
    /// </summary>
    private static async Task<int?> ReportTransactionsAsync(TextWriter output, TextWriter error, Services services, LocalDate day, CancellationToken ct)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"# MiFIR transaction reports through {day:yyyy-MM-dd} (ISO 20022 auth.016, validated against the schema)"));
        Application.Compliance.ReportRun run = await services.TransactionReporting.ReportAsync(day, services.Actor, ct);
        if (run.Outcome.Rejection is { } refused)
        {
            await error.WriteLineAsync("error: " + refused);
            return ExitCodes.Failure;
        }
        await output.WriteLineAsync(run.Outcome.Result);
        await output.WriteLineAsync("transaction_id,action,trade_id,version,isin,venue,capacity");
        foreach (Domain.Compliance.TransactionReporting.ReportRecord r in run.Records)
        {
            await output.WriteLineAsync(CsvText.Row(r.TransactionId, r.Action == Domain.Compliance.TransactionReporting.ReportAction.New ? "new" : "cancel",
                r.TradeId.ToString(CultureInfo.InvariantCulture), r.Version.ToString(CultureInfo.InvariantCulture), r.Report?.Isin ?? "", r.Report?.Venue ?? "",
                r.Report is { } report ? Domain.Compliance.TransactionReporting.MifirCodes.Capacity(report.Capacity) : ""));
        }
        foreach (Domain.Compliance.TransactionReporting.ReportingException exception in run.Exceptions)
        {
            await output.WriteLineAsync("not reportable: " + exception.Why);
        }
        return null;
    }

    /// <summary>
    /// Compliance's day: the SDN list excerpt imported (every name screened), a new client whose
    /// name is on the list onboarded (an alert), and the day's trades surveyed (a trade in a
    /// restricted instrument raises one).
    /// </summary>
    private static async Task<int?> ScreenAndSurveyAsync(TextWriter output, TextWriter error, Services services, LocalDate day, CancellationToken ct)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync("# compliance: sanctions screening against an excerpt of OFAC's SDN list, and the day's surveillance");
        Application.Compliance.ScreeningRun imported = await services.Compliance.ImportListAsync(
            [.. new[] { ("sdn.csv", "ofac-sdn.csv"), ("alt.csv", "ofac-alt.csv"), ("add.csv", "ofac-add.csv"), ("sdn_comments.csv", "ofac-sdn-comments.csv") }
                .Select(f => new Application.Ports.SanctionsListFile(f.Item1, System.Text.Encoding.UTF8.GetBytes(ReadSample(f.Item2))))],
            "2026-11-24", new LocalDate(2026, 11, 24), services.Actor, ct);
        Result<ParsedReferenceFile> onboarded = ReferenceDataFile.Parse(ReferenceKind.Parties, "onboarding-parties.csv", ReadSample("onboarding-parties.csv"), isJson: false);
        CommandOutcome loaded = await services.ReferenceData.ImportAsync(onboarded.Value.Changes, onboarded.Value.Locations, services.Actor, null, ct);
        Application.Compliance.ScreeningRun screened = await services.Compliance.ScreenAsync(services.Actor, ct);
        Application.Compliance.SurveillanceRun surveyed = await services.Compliance.SurveyAsync(day, Domain.Compliance.SurveillanceSettings.Default, services.Actor, ct);
        foreach (CommandOutcome outcome in new[] { imported.Outcome, loaded, screened.Outcome, surveyed.Outcome })
        {
            if (outcome.Rejection is { } refused)
            {
                await error.WriteLineAsync("error: " + refused);
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync(outcome.Result);
        }
        await output.WriteLineAsync("alert,kind,subject,detail");
        foreach (Domain.Compliance.ComplianceAlert alert in (await services.Store.ListAlertsAsync(new Application.Ports.AlertQuery(), ct)).Reverse())
        {
            await output.WriteLineAsync(CsvText.Row(alert.Id.ToString(CultureInfo.InvariantCulture), Domain.Compliance.AlertRules.Name(alert.Kind),
                alert.SubjectKind + " " + alert.Subject, alert.Detail));
        }
        return null;
    }

    private static async Task<int?> ReconcileAsync(TextWriter output, TextWriter error, Services services, CancellationToken ct)
    {
        var day = new LocalDate(2026, 11, 27);
        await output.WriteLineAsync();
        await output.WriteLineAsync("# reconciliation 2026-11-27: the custodian's semt.002 and the bank's camt.053 against the books");
        foreach (string file in new[] { "custody-2026-11-27.xml", "cash-usd-2026-11-27.xml" })
        {
            using var content = new MemoryStream();
            await SampleStream(file).CopyToAsync(content, ct);
            (CommandOutcome imported, _) = await services.Reconciliation.ImportAsync(file, content.ToArray(), services.Actor, ct);
            if (imported.Rejection is { } refused)
            {
                await error.WriteLineAsync("error: " + refused);
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync(imported.Result);
        }
        foreach (Application.Reconciliation.StatementRun run in await services.Reconciliation.RunAsync(day, null, services.Actor, ct))
        {
            if (run.Outcome.Rejection is { } notRun)
            {
                await error.WriteLineAsync("error: " + notRun);
                return ExitCodes.Failure;
            }
            await output.WriteLineAsync(run.Outcome.Result);
        }
        await output.WriteLineAsync(CsvText.Row(ReconCommands.BreakHeader));
        foreach (Domain.Reconciliation.ReconBreak b in await services.Store.ListBreaksAsync(new BreakQuery(UnresolvedOnly: true), ct))
        {
            await output.WriteLineAsync(CsvText.Row(ReconCommands.BreakRow(b, day)));
        }
        return null;
    }

    private static string Confirmation(Domain.Settlement.SettlementInstruction i, decimal quantity, decimal cash, LocalDate on, decimal remaining) =>
        Intake.Iso20022.Sese025.Write(new Domain.Settlement.SettlementConfirmation(i.TransactionId, "CUST-" + i.TransactionId, i.Delivers, i.AgainstPayment, i.Isin,
            quantity, i.Nominal, cash, i.Currency, i.ReceivesCash, on, remaining != 0m || quantity != i.Quantity, remaining != 0m || quantity != i.Quantity ? remaining : null),
            "DEMO-SAFE-1").Value;

    private static async Task CorrectFeeAsync(TextWriter output, Services services, PostReport posted, CancellationToken ct)
    {
        // The exchange fee was booked at 15.00; the exchange's bill says 1.50. Entries are never
        // edited: the wrong entry is reversed and the right one booked.
        JournalEntryId wrong = posted.Entries.Single(e => e.Key == "demo-exchange-fee-2026-11-25").EntryId;
        CommandOutcome reversal = await services.Ledger.ReverseAsync(
            new ReversalRequest("demo-exchange-fee-2026-11-25-reversal", wrong, new LocalDate(2026, 11, 25), "fee booked at 15.00 instead of 1.50"),
            services.Actor, ct);
        await output.WriteLineAsync($"journal: {reversal.Result} ({reversal.Status.ToString().ToLowerInvariant()})");
        var corrected = new JournalEntryRequest("demo-exchange-fee-2026-11-25-corrected", new LocalDate(2026, 11, 25),
            "exchange connectivity fee, November (corrected)", "exchange invoice 2026-11",
            [new PostingRequest("5010", "USD", Direction.Debit, 1.50m), new PostingRequest("1010", "USD", Direction.Credit, 1.50m)]);
        PostReport rebooked = await services.Ledger.PostAsync([corrected], services.Actor, new PostOptions(), null, ct);
        await output.WriteLineAsync($"journal: corrected fee booked as entry {rebooked.Entries[0].EntryId} ({rebooked.Entries[0].Status.ToString().ToLowerInvariant()})");
    }

    private static Task PrintSettlementAsync(TextWriter output) => DemoCalendar.PrintAsync(output);

    private static string Text(decimal? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Client sub-ledger balances as positions: account, asset, quantity held (a credit balance owed to the client is a long position).</summary>
    private static async Task WritePositionsAsync(TextWriter output, IEnumerable<BalanceLine> lines)
    {
        await output.WriteLineAsync("account,asset,amount");
        foreach (BalanceLine line in lines)
        {
            await output.WriteLineAsync(CsvText.Row(line.LedgerAccountCode[(line.LedgerAccountCode.IndexOf('.', StringComparison.Ordinal) + 1)..], line.AssetCode,
                (-line.Amount).ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static Stream SampleStream(string file) =>
        typeof(DemoCommand).Assembly.GetManifestResourceStream("demo/" + file) ?? throw new InvalidOperationException($"sample {file} is not embedded");

    private static string ReadSample(string file)
    {
        using Stream stream = typeof(DemoCommand).Assembly.GetManifestResourceStream("demo/" + file)
            ?? throw new InvalidOperationException($"sample {file} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

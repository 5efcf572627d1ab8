using System.Globalization;
using BackOffice.Application.Lots;
using BackOffice.Application.Periods;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Calendar;
using BackOffice.Domain.Lots;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.EndOfDay;

/// <summary>One step of a day's close as it stands: done (with its audit record and result) or not yet.</summary>
public sealed record EodStepState(string Step, bool Done, AuditSequence? Sequence, string? Result);

/// <summary>What a run did: the steps in order, and the step that stopped it with the reason (none when the day closed).</summary>
public sealed record EodRun(LocalDate Date, IReadOnlyList<EodStepState> Steps, string? FailedStep, Rejection? Failure)
{
    /// <summary>True when every step is done.</summary>
    public bool Closed => FailedStep is null && Steps.All(s => s.Done);
}

/// <summary>
/// The end of day: ordered steps, each one audited command with the key <c>eod/DATE/STEP</c>, so a
/// step that is done is never done again (a rerun changes nothing) and a run that stopped resumes
/// at the step that failed. The steps:
/// <list type="number">
/// <item><c>corporate-actions</c>: each split whose ex date has come is booked: every holding of the instrument multiplied by its ratio;</item>
/// <item><c>prices</c>: every client position has a usable price and rate for the day (else the run stops, naming them);</item>
/// <item><c>accruals</c>: interest on client cash balances to the next business day, booked per client and currency, and the
/// accrued interest on the clients' bonds in memo accounts;</item>
/// <item><c>revaluation</c>: the last close's revaluations are reversed; the firm's own foreign-currency
/// positions are revalued at the day's rates into unrealized FX P&amp;L (<see cref="FxRevaluation"/>), and its books
/// are marked to market (unrealized trading gains and losses);</item>
/// <item><c>pnl</c>: each of the day's disposals books its realized P&amp;L (a client's to its memo account, a firm book's
/// to income), earlier
/// disposals whose realized P&amp;L changed (late, corrected or busted trades) are restated, and the day's realized and
/// unrealized P&amp;L per currency are recorded in the step's result;</item>
/// <item><c>reconcile</c>: every statement dated the day that has arrived is reconciled with the books and its differences
/// filed as breaks (<see cref="Reconciliation.ReconciliationService.RunAsync"/>, one audited command per statement); a statement
/// that cannot be run is named in the result and does not stop the close;</item>
/// <item><c>checks</c>: the trial balance balances in every asset, and no control account over client or book sub-ledgers
/// carries postings of its own (its balance is the sum of its sub-ledgers);</item>
/// <item><c>close</c>: the books are closed through the day (<see cref="PeriodService"/>);</item>
/// <item><c>roll</c>: the business date becomes the next business day of the firm's calendar.</item>
/// </list>
/// </summary>
public sealed class EodService(IBackOfficeStore store, CommandProcessor processor, Domain.Trading.TradeBookingPolicy? policy = null)
{
    /// <summary>The steps, in the order they run.</summary>
    public static readonly string[] Steps = ["corporate-actions", "prices", "accruals", "revaluation", "pnl", "fails", "reconcile", "checks", "close", "roll"];

    /// <summary>What the <c>reconcile</c> step runs; without it the step passes only when no statement arrived for the day.</summary>
    public Reconciliation.ReconciliationService? Reconciliation { get; init; }

    /// <summary>Accounts the interest accrual books to (sub-ledgers per client under the first two).</summary>
    public sealed record InterestAccounts(string PayableToClients = "2060", string ReceivableFromClients = "1410", string Income = "4200", string Expense = "5200");

    /// <summary>
    /// Accounts the P&amp;L and accrual steps book to: each client's realized P&amp;L and the accrued
    /// interest on its bonds (memo sub-ledgers of <paramref name="ClientRealized"/> and
    /// <paramref name="ClientBondInterest"/>, against the memo contra account), and the FX revaluation
    /// (an asset adjustment against unrealized FX P&amp;L, both in the reporting currency).
    /// </summary>
    public sealed record PnlAccounts(string MemoContra = "9000", string ClientRealized = "9200", string FxRevaluation = "1900", string UnrealizedFx = "4900",
        string ClientBondInterest = "9300", string FirmUnrealized = "1250", string UnrealizedTrading = "4310");

    /// <summary>The currency the firm reports in: its foreign-currency positions are revalued into it.</summary>
    public string ReportingCurrency { get; init; } = "USD";

    /// <summary>The firm's calendar for the business date (ISO 10383 MIC or a settlement calendar).</summary>
    public const string DefaultCalendar = "XNYS";

    private readonly Domain.Trading.TradeBookingPolicy _policy = policy ?? Domain.Trading.TradeBookingPolicy.Default;

    /// <summary>The key of a step's audit record.</summary>
    public static IdempotencyKey Key(LocalDate date, string step) => IdempotencyKey.From($"eod/{LocalDatePattern.Iso.Format(date)}/{step}");

    /// <summary>Where each step of <paramref name="date"/> stands.</summary>
    public async Task<IReadOnlyList<EodStepState>> StatusAsync(LocalDate date, CancellationToken cancellationToken)
    {
        var states = new List<EodStepState>();
        foreach (string step in Steps)
        {
            AuditRecord? record = await store.FindCommandAsync(Key(date, step), cancellationToken);
            states.Add(new EodStepState(step, record is not null, record?.Sequence, record?.Result));
        }
        return states;
    }

    /// <summary>
    /// The business date: the first business day of the firm's calendar after the last closed
    /// date (today's date in UTC when no day was ever closed).
    /// </summary>
    public async Task<LocalDate> BusinessDateAsync(LocalDate today, string calendarCode, CancellationToken cancellationToken)
    {
        LocalDate? closed = (await store.ReadHeadAsync(cancellationToken)).ClosedThrough;
        return closed is { } c ? Next(c, calendarCode) : today;
    }

    /// <summary>
    /// Runs the steps of <paramref name="date"/> not done yet, in order, stopping at the first that
    /// fails. <paramref name="afterStep"/> is called after each step completes (an operator's
    /// progress line; tests use it to interrupt a run).
    /// </summary>
    public async Task<EodRun> RunAsync(LocalDate date, string actor, int maxPriceAgeDays, string calendarCode, Action<EodStepState>? afterStep,
        CancellationToken cancellationToken)
    {
        if (!MarketCalendars.TryGetTradingCalendar(calendarCode, out _))
        {
            return new EodRun(date, await StatusAsync(date, cancellationToken), Steps[0],
                new Rejection("eod.calendar", $"no calendar '{calendarCode}'; known: {string.Join(", ", MarketCalendars.Codes)}"));
        }
        LocalDate? closed = (await store.ReadHeadAsync(cancellationToken)).ClosedThrough;
        AuditRecord? closedToday = await store.FindCommandAsync(Key(date, "close"), cancellationToken);
        if (closed is { } c && date <= c && closedToday is null)
        {
            return new EodRun(date, await StatusAsync(date, cancellationToken), Steps[0],
                new Rejection("eod.date-closed", $"the books are closed through {LocalDatePattern.Iso.Format(c)}; the next day to close is after it"));
        }
        var states = new List<EodStepState>();
        LotBook? pnlLots = null;
        async Task<Result<CommandEffects>> PnlStepAsync(IWriteUnitOfWork unitOfWork, CancellationToken ct)
        {
            (Result<CommandEffects> booked, pnlLots) = await PnlAsync(unitOfWork, date, maxPriceAgeDays, ct);
            return booked;
        }
        foreach (string step in Steps)
        {
            AuditRecord? done = await store.FindCommandAsync(Key(date, step), cancellationToken);
            if (done is not null)
            {
                states.Add(new EodStepState(step, true, done.Sequence, done.Result));
                continue;
            }
            Result<CommandEffects> effects = step switch
            {
                "prices" => await PricesAsync(date, maxPriceAgeDays, cancellationToken),
                "corporate-actions" or "accruals" or "revaluation" or "pnl" => new CommandEffects([], null, ""),
                "fails" => await FailsAsync(date, actor, cancellationToken),
                "reconcile" => await ReconcileAsync(date, actor, cancellationToken),
                "checks" => await ChecksAsync(date, cancellationToken),
                "close" => new CommandEffects([], null, $"books closed through {LocalDatePattern.Iso.Format(date)}") { CloseThrough = date },
                _ => new CommandEffects([], null, $"business date is now {LocalDatePattern.Iso.Format(Next(date, calendarCode))} ({calendarCode})"),
            };
            if (effects.Rejection is { } failure)
            {
                states.AddRange(Steps.Skip(states.Count).Select(s => new EodStepState(s, false, null, null)));
                return new EodRun(date, states, step, failure);
            }
            string payload = $"eod {LocalDatePattern.Iso.Format(date)} {step}";
            var command = new CommandEnvelope("eod." + step, actor, Key(date, step), Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(payload)), payload);
            Decide decide = step switch
            {
                "corporate-actions" => (unitOfWork, ct) => SplitsAsync(unitOfWork, date, ct),
                "accruals" => (unitOfWork, ct) => AccrualsAsync(unitOfWork, date, Next(date, calendarCode), ct),
                "revaluation" => (unitOfWork, ct) => RevaluationAsync(unitOfWork, date, maxPriceAgeDays, ct),
                "pnl" => PnlStepAsync,
                _ => (_, _) => Task.FromResult(effects),
            };
            CommandOutcome outcome = await processor.ExecuteAsync(command, decide, dryRun: false, cancellationToken);
            if (outcome.Rejection is { } refused)
            {
                states.AddRange(Steps.Skip(states.Count).Select(s => new EodStepState(s, false, null, null)));
                return new EodRun(date, states, step, refused);
            }
            if (step == "pnl" && pnlLots is not null && outcome.Sequence is { } taken)
            {
                // The realized P&L of every closing trade as of this close, for reports (a derived copy:
                // reports use it only while no later command changed the lots' inputs).
                await store.ReplaceRealizedSnapshotAsync(date, taken, LotService.SnapshotRows(pnlLots), cancellationToken);
            }
            var state = new EodStepState(step, true, outcome.Sequence, outcome.Result);
            states.Add(state);
            afterStep?.Invoke(state);
        }
        return new EodRun(date, states, null, null);
    }

    /// <summary>
    /// Settlement's end of the day: every open instruction due on or before the date becomes a fail
    /// and the CSDR penalties of fails at EU CSDs accrue (<see cref="Settlement.SettlementDesk.FailsAsync"/>,
    /// its own audited command, idempotent); the step records what it did.
    /// </summary>
    private async Task<Result<CommandEffects>> FailsAsync(LocalDate date, string actor, CancellationToken cancellationToken)
    {
        Result<Settlement.FailsRun> run = await new Settlement.SettlementDesk(store, processor).FailsAsync(date, actor, null, null, cancellationToken);
        if (run.Rejection is { } refused)
        {
            return refused;
        }
        string warnings = run.Value.Warnings.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; {run.Value.Warnings.Count} penalty days not accrued (see settlement fails)");
        return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture,
            $"{run.Value.Fails.Count} fails, {run.Value.MarkedFailed} newly failed, {run.Value.Accrued.Count} penalty days accrued{warnings}"));
    }

    /// <summary>The reconciliations of the statements dated <paramref name="date"/>; the step records what they found.</summary>
    private async Task<Result<CommandEffects>> ReconcileAsync(LocalDate date, string actor, CancellationToken cancellationToken)
    {
        IReadOnlyList<Reconciliation.StatementRun> runs;
        if (Reconciliation is null)
        {
            // Without a statement reader a day can still close when no statement arrived for it.
            int arrived = (await store.ListStatementsAsync(new StatementQuery(date, CurrentOnly: true), cancellationToken)).Count;
            if (arrived > 0)
            {
                return new Rejection("eod.reconcile", string.Create(CultureInfo.InvariantCulture,
                    $"{arrived} statements dated {LocalDatePattern.Iso.Format(date)} arrived, and this end of day was started without a statement reader"));
            }
            runs = [];
        }
        else
        {
            runs = await Reconciliation.RunAsync(date, null, actor, cancellationToken);
        }
        int breaks = runs.Sum(r => r.Comparison?.Findings.Count ?? 0);
        string failed = string.Join("; ", runs.Where(r => r.Outcome.Rejection is not null).Select(r => r.Outcome.Rejection!.ToString()));
        return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture,
            $"{runs.Count} statements reconciled, {breaks} breaks{(failed.Length == 0 ? "" : "; not run: " + failed)}"));
    }

    private static LocalDate Next(LocalDate date, string calendarCode) =>
        MarketCalendars.TryGetTradingCalendar(calendarCode, out BusinessCalendar calendar) ? calendar.AddBusinessDays(date, 1) : date.PlusDays(1);

    private async Task<Result<CommandEffects>> PricesAsync(LocalDate date, int maxPriceAgeDays, CancellationToken cancellationToken)
    {
        Valuation valuation = await new ValuationService(store).ValueAsync(date, maxPriceAgeDays, null, cancellationToken);
        if (valuation.Exceptions.Count > 0)
        {
            string list = string.Join("; ", valuation.Exceptions.Take(10).Select(e => $"{e.Account} {e.Instrument}: {e.Exception}"));
            return new Rejection("eod.prices", $"{valuation.Exceptions.Count} positions cannot be valued on {LocalDatePattern.Iso.Format(date)} ({list}); load the day's prices and rates, then run again");
        }
        return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"{valuation.Lines.Count} positions priced"));
    }

    /// <summary>
    /// Realized P&amp;L to the ledger: each disposal traded on <paramref name="date"/> books its
    /// realized P&amp;L to the client's memo sub-ledger (<c>9200.CLIENT</c>; a gain is a credit) against
    /// the memo contra account, keyed by the trade. The lots are then compared with what the ledger
    /// holds through the date: where a client's realized P&amp;L in a currency differs (a late trade,
    /// a correction or bust of a trade an earlier disposal relieved, a change of lot method), one
    /// restating entry per client and currency books the difference in the open period, its reason
    /// saying why. So the memo ledger always equals the lots' realized P&amp;L as of each close.
    /// </summary>
    private async Task<(Result<CommandEffects> Effects, LotBook Lots)> PnlAsync(IWriteUnitOfWork unitOfWork, LocalDate date, int maxPriceAgeDays, CancellationToken cancellationToken)
    {
        var accounts = new PnlAccounts();
        LotBook lots = await new LotService(store).RunAsync(date, null, cancellationToken);
        // The valuation relieves the same lots: it is given them rather than running them again.
        Valuation valuation = await new ValuationService(store).ValueAsync(date, maxPriceAgeDays, null, cancellationToken, lots);
        ReferenceLookup all = await store.ReadAllReferenceAsync(cancellationToken);
        IReadOnlyDictionary<string, Domain.ReferenceData.ClientAccount> holders = (await store.ReadTradeReferenceAsync(cancellationToken)).ClientAccounts;
        string day = LocalDatePattern.Iso.Format(date);
        // A client's realized P&L is a memo (9200.<account> against 9000); a firm book's is income (4300.<book> against its inventory 1200.<book>).
        (string Realized, string Contra, string Control) Accounts(string holder) =>
            holders.TryGetValue(holder, out Domain.ReferenceData.ClientAccount? h) && h.IsFirmBook
                ? (_policy.FirmRealized + "." + holder, _policy.FirmInventory + "." + holder, _policy.FirmRealized)
                : (accounts.ClientRealized + "." + holder, accounts.MemoContra, accounts.ClientRealized);
        var requests = new List<JournalEntryRequest>();
        var realizedNow = new Dictionary<(string Holder, string Currency), decimal>();
        foreach (RealizedTrade trade in lots.Realized)
        {
            realizedNow[(trade.Account, trade.Currency)] = realizedNow.GetValueOrDefault((trade.Account, trade.Currency)) + trade.Realized;
        }
        foreach (string control in realizedNow.Keys.Select(k => Accounts(k.Holder)).SelectMany(a => new[] { a.Control, a.Contra.Contains('.', StringComparison.Ordinal) ? null : a.Contra })
            .OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!all.LedgerAccounts.ContainsKey(control))
            {
                return (new Rejection("eod.pnl", $"ledger account {control} is not in the chart; load it (samples/demo/ledger-accounts.csv) before booking realized P&L"), lots);
            }
        }
        // What the ledger holds through the date, per holder and currency (a credit balance is a gain).
        var booked = new Dictionary<(string Holder, string Currency), decimal>();
        foreach (BalanceRow row in await store.ReadBalancesAsync(date, null, cancellationToken))
        {
            LedgerAccount account = all.LedgerAccountsById[row.LedgerAccount];
            if (row.Units != 0 && account.ControlAccountCode is { } control && (control == accounts.ClientRealized || control == _policy.FirmRealized)
                && account.Code.StartsWith(control + ".", StringComparison.Ordinal))
            {
                Asset asset = all.AssetsById[row.Asset];
                booked[(account.Code[(control.Length + 1)..], asset.Code)] = -asset.ToAmount(row.Units);
            }
        }
        var today = new Dictionary<(string Holder, string Currency), decimal>();
        foreach (RealizedTrade trade in lots.Realized.Where(t => t.TradeDate == date && t.Realized != 0m))
        {
            today[(trade.Account, trade.Currency)] = today.GetValueOrDefault((trade.Account, trade.Currency)) + trade.Realized;
            requests.Add(Realized($"eod/{day}/realized/{trade.TradeId}", date, Accounts(trade.Account), trade.Currency, trade.Realized, string.Create(CultureInfo.InvariantCulture,
                $"realized P&L of trade {trade.TradeId}: {trade.Quantity} {trade.Instrument} sold for {trade.Proceeds} {trade.Currency} net, cost {trade.CostBasis}")));
        }
        foreach (var key in realizedNow.Keys.Union(booked.Keys).OrderBy(k => k.Holder, StringComparer.Ordinal).ThenBy(k => k.Currency, StringComparer.Ordinal))
        {
            decimal restated = realizedNow.GetValueOrDefault(key) - booked.GetValueOrDefault(key) - today.GetValueOrDefault(key);
            if (restated != 0m)
            {
                requests.Add(Realized($"eod/{day}/realized-restated/{key.Holder}/{key.Currency}", date, Accounts(key.Holder), key.Currency, restated, string.Create(CultureInfo.InvariantCulture,
                    $"realized P&L of {key.Holder} in {key.Currency} restated by {restated} to {realizedNow.GetValueOrDefault(key)}: earlier disposals not booked yet, or changed by late, corrected or busted trades")));
            }
        }
        var opened = new List<Domain.ReferenceData.LedgerAccountDefinition>();
        foreach (string code in requests.SelectMany(r => r.Postings.Select(p => p.LedgerAccountCode)).Distinct(StringComparer.Ordinal).Where(c => !all.LedgerAccounts.ContainsKey(c)))
        {
            string control = code[..code.IndexOf('.', StringComparison.Ordinal)], holder = code[(control.Length + 1)..];
            opened.Add(control == accounts.ClientRealized
                ? new Domain.ReferenceData.LedgerAccountDefinition(code, "Client realized P&L: " + holder, LedgerAccountType.Memo, control, true)
                : new Domain.ReferenceData.LedgerAccountDefinition(code, "Realized trading gains: " + holder, LedgerAccountType.Income, control, true));
        }
        Result<IReadOnlyList<JournalEntryDraft>> drafts = await DecideAllAsync(unitOfWork, requests, opened, cancellationToken);
        if (drafts.Rejection is { } refused)
        {
            return (refused, lots);
        }
        var realized = lots.Realized.Where(r => r.TradeDate == date).GroupBy(r => r.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Sum(r => r.Realized)} {g.Key}"));
        var unrealized = valuation.Lines.Where(l => l.Unrealized is not null).GroupBy(l => l.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Sum(l => l.Unrealized!.Value)} {g.Key}"));
        string ignored = lots.Ignored.Count == 0 ? "" : "; lots named but not relievable, relieved FIFO: trades " + string.Join(" ", lots.Ignored.Select(i => i.TradeId));
        return (new CommandEffects(drafts.Value, null, string.Create(CultureInfo.InvariantCulture,
            $"realized today: {Join(realized)}; unrealized: {Join(unrealized)}; {drafts.Value.Count} realized P&L entries{ignored}")), lots);
    }

    // A gain credits the realized account and debits its contra; a loss the other way round.
    private static JournalEntryRequest Realized(string key, LocalDate date, (string Realized, string Contra, string Control) accounts, string currency, decimal amount, string reason) =>
        new(key, date, reason, "eod " + LocalDatePattern.Iso.Format(date),
            amount > 0m
                ? [new PostingRequest(accounts.Contra, currency, Direction.Debit, amount), new PostingRequest(accounts.Realized, currency, Direction.Credit, amount)]
                : [new PostingRequest(accounts.Realized, currency, Direction.Debit, -amount), new PostingRequest(accounts.Contra, currency, Direction.Credit, -amount)]);

    /// <summary>
    /// FX revaluation: first the revaluation entries of the last closed day are reversed, dated
    /// today; then each foreign currency in which the firm's income, expense and equity accounts
    /// hold a balance is revalued (<see cref="FxRevaluation"/>) and the unrealized gain or loss
    /// booked: <c>1900</c> (asset adjustment) against <c>4900</c> (unrealized FX P&amp;L), both in the
    /// reporting currency, keyed <c>eod/DATE/fx-revaluation/CURRENCY</c>. Client balances are the
    /// clients' and are not revalued.
    /// </summary>
    private async Task<Result<CommandEffects>> RevaluationAsync(IWriteUnitOfWork unitOfWork, LocalDate date, int maxPriceAgeDays, CancellationToken cancellationToken)
    {
        var accounts = new PnlAccounts();
        ReferenceLookup all = await store.ReadAllReferenceAsync(cancellationToken);
        if (!all.Assets.TryGetValue(ReportingCurrency, out Asset? reporting) || reporting.Kind != AssetKind.Currency)
        {
            return new Rejection("eod.revaluation", $"the reporting currency {ReportingCurrency} is not a known currency");
        }
        string day = LocalDatePattern.Iso.Format(date);
        string[] foreign = [.. all.Assets.Values.Where(a => a.Kind == AssetKind.Currency && a.Code != ReportingCurrency).Select(a => a.Code).Order(StringComparer.Ordinal)];
        var drafts = new List<JournalEntryDraft>();
        int reversed = 0;
        string[] books = [.. (await store.ReadTradeReferenceAsync(cancellationToken)).ClientAccounts.Values.Where(a => a.IsFirmBook).Select(a => a.Code).Order(StringComparer.Ordinal)];
        string[] currencies = [.. all.Assets.Values.Where(a => a.Kind == AssetKind.Currency).Select(a => a.Code).Order(StringComparer.Ordinal)];
        if (unitOfWork.Head.ClosedThrough is { } previous)
        {
            string[] keys = [.. foreign.Select(c => RevaluationKey(previous, c)), .. books.SelectMany(b => currencies.Select(c => MarkKey(previous, b, c)))];
            IReadOnlyDictionary<string, BookedKey> standing = await unitOfWork.FindEntryKeysAsync(keys, cancellationToken);
            foreach (var (key, bookedKey) in standing.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                if (await unitOfWork.FindReversalOfAsync(bookedKey.EntryId, cancellationToken) is not null)
                {
                    continue;
                }
                JournalEntry? entry = await unitOfWork.ReadEntryAsync(bookedKey.EntryId, cancellationToken);
                Invariant.That(entry is not null, $"entry {bookedKey.EntryId} of key {key} is readable");
                drafts.Add(EntryRules.ReverseBooked(new ReversalRequest(key + "/reversal", bookedKey.EntryId, date,
                    $"reversal of the revaluation of {LocalDatePattern.Iso.Format(previous)} ({key})"), bookedKey.EntryId, entry!.Postings));
                reversed++;
            }
        }
        IReadOnlyList<DailyNet> nets = await store.ReadDailyNetAsync(date, [LedgerAccountType.Equity, LedgerAccountType.Income, LedgerAccountType.Expense], cancellationToken);
        var requests = new List<JournalEntryRequest>();
        var lines = new List<string>();
        foreach (string currency in foreign)
        {
            Asset asset = all.Assets[currency];
            // The firm's own position is the negative of what its income, expense and equity accounts hold.
            var flows = nets.Where(n => n.Asset == asset.Id).Select(n => new CurrencyFlow(n.Date, -asset.ToAmount(n.Units))).ToList();
            if (flows.Count == 0)
            {
                continue;
            }
            IReadOnlyList<Domain.ReferenceData.FxRate> quotes = await store.ReadFxRateHistoryAsync(currency, ReportingCurrency, date, cancellationToken);
            Result<CurrencyRevaluation> revalued = FxRevaluation.Revalue(currency, ReportingCurrency, flows, FxRevaluation.Rates(currency, ReportingCurrency, quotes), date, reporting.Scale);
            if (revalued.Rejection is { } missing)
            {
                return missing;
            }
            CurrencyRevaluation r = revalued.Value;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{currency} {r.Unrealized} {ReportingCurrency}"));
            if (r.Unrealized == 0m)
            {
                continue;
            }
            foreach (string code in new[] { accounts.FxRevaluation, accounts.UnrealizedFx })
            {
                if (!all.LedgerAccounts.ContainsKey(code))
                {
                    return new Rejection("eod.revaluation", $"ledger account {code} is not in the chart; load it (samples/demo/ledger-accounts.csv) before revaluing");
                }
            }
            decimal amount = Math.Abs(r.Unrealized);
            string reason = string.Create(CultureInfo.InvariantCulture,
                $"FX revaluation of the firm's {r.Position} {currency} at {r.ClosingRate} {ReportingCurrency} ({LocalDatePattern.Iso.Format(r.ClosingRateDate)}): worth {Math.Round(r.ClosingValue, reporting.Scale, MidpointRounding.AwayFromZero)}, booked at {Math.Round(r.HistoricalValue, reporting.Scale, MidpointRounding.AwayFromZero)}; reversed on the next business day");
            requests.Add(new JournalEntryRequest(RevaluationKey(date, currency), date, reason, "eod " + day,
                r.Unrealized > 0m
                    ? [new PostingRequest(accounts.FxRevaluation, ReportingCurrency, Direction.Debit, amount), new PostingRequest(accounts.UnrealizedFx, ReportingCurrency, Direction.Credit, amount)]
                    : [new PostingRequest(accounts.UnrealizedFx, ReportingCurrency, Direction.Debit, amount), new PostingRequest(accounts.FxRevaluation, ReportingCurrency, Direction.Credit, amount)]));
        }
        // The firm's books at market: each book's unrealized gain or loss per currency, from the day's valuation.
        var opened = new List<Domain.ReferenceData.LedgerAccountDefinition>();
        var marks = new List<string>();
        if (books.Length > 0)
        {
            Valuation valuation = await new ValuationService(store).ValueAsync(date, maxPriceAgeDays, null, cancellationToken);
            foreach (var group in valuation.Lines.Where(l => books.Contains(l.Account) && l.Unrealized is not null)
                .GroupBy(l => (l.Account, l.Currency)).OrderBy(g => g.Key.Account, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal))
            {
                decimal unrealized = group.Sum(l => l.Unrealized!.Value);
                marks.Add(string.Create(CultureInfo.InvariantCulture, $"{group.Key.Account} {unrealized} {group.Key.Currency}"));
                if (unrealized == 0m)
                {
                    continue;
                }
                foreach (string code in new[] { accounts.FirmUnrealized, accounts.UnrealizedTrading })
                {
                    if (!all.LedgerAccounts.ContainsKey(code))
                    {
                        return new Rejection("eod.revaluation", $"ledger account {code} is not in the chart; load it (samples/demo/ledger-accounts.csv) before marking the firm's books");
                    }
                }
                string sub = accounts.FirmUnrealized + "." + group.Key.Account;
                if (!all.LedgerAccounts.ContainsKey(sub))
                {
                    opened.Add(new Domain.ReferenceData.LedgerAccountDefinition(sub, "Securities owned, unrealized: " + group.Key.Account, LedgerAccountType.Asset, accounts.FirmUnrealized, true));
                }
                decimal amount = Math.Abs(unrealized);
                requests.Add(new JournalEntryRequest(MarkKey(date, group.Key.Account, group.Key.Currency), date, string.Create(CultureInfo.InvariantCulture,
                    $"{group.Key.Account} at market: {group.Sum(l => l.MarketValue!.Value)} {group.Key.Currency} against cost {group.Sum(l => l.Cost)}; reversed on the next business day"),
                    "eod " + day,
                    unrealized > 0m
                        ? [new PostingRequest(sub, group.Key.Currency, Direction.Debit, amount), new PostingRequest(accounts.UnrealizedTrading, group.Key.Currency, Direction.Credit, amount)]
                        : [new PostingRequest(accounts.UnrealizedTrading, group.Key.Currency, Direction.Debit, amount), new PostingRequest(sub, group.Key.Currency, Direction.Credit, amount)]));
            }
        }
        Result<IReadOnlyList<JournalEntryDraft>> booked = await DecideAllAsync(unitOfWork, requests, opened, cancellationToken);
        if (booked.Rejection is { } refused)
        {
            return refused;
        }
        drafts.AddRange(booked.Value);
        return new CommandEffects(drafts, null, string.Create(CultureInfo.InvariantCulture,
            $"{reversed} revaluations reversed; unrealized FX: {Join(lines)}; firm books at market: {Join(marks)}"));
    }

    /// <summary>The key of the mark-to-market entry of a firm book in a currency on a date.</summary>
    public static string MarkKey(LocalDate date, string book, string currency) => $"eod/{LocalDatePattern.Iso.Format(date)}/mark-to-market/{book}/{currency}";

    /// <summary>
    /// Splits: each split with an ex date on or before the day and not booked yet books one entry
    /// that multiplies every ledger account's holding of the instrument, as it stood before the ex
    /// date, by the ratio (client securities, pending settlement, depository alike, so the entry
    /// balances), keyed <c>split/ISIN/EX_DATE</c> and effective on the ex date (or, when that is in
    /// the closed period, today). A holding that would become a fraction of the instrument's
    /// smallest unit stops the run (<c>eod.split-fraction</c>): cash in lieu is not booked yet.
    /// </summary>
    private async Task<Result<CommandEffects>> SplitsAsync(IWriteUnitOfWork unitOfWork, LocalDate date, CancellationToken cancellationToken)
    {
        var due = (await store.ReadSplitsAsync(cancellationToken)).Where(s => s.ExDate <= date).ToList();
        IReadOnlyDictionary<string, BookedKey> booked = await unitOfWork.FindEntryKeysAsync([.. due.Select(SplitKey)], cancellationToken);
        ReferenceLookup all = await store.ReadAllReferenceAsync(cancellationToken);
        var requests = new List<JournalEntryRequest>();
        foreach (Domain.ReferenceData.StockSplit split in due.Where(s => !booked.ContainsKey(SplitKey(s))))
        {
            if (!all.Assets.TryGetValue(split.Instrument, out Asset? asset))
            {
                continue; // never booked: nothing is held
            }
            var lines = new List<PostingRequest>();
            IEnumerable<BalanceRow> holdings = (await store.ReadBalancesAsync(split.ExDate.PlusDays(-1), null, cancellationToken))
                .Where(row => row.Asset == asset.Id && row.Units != 0).OrderBy(row => all.LedgerAccountsById[row.LedgerAccount].Code, StringComparer.Ordinal);
            foreach (BalanceRow row in holdings)
            {
                decimal before = asset.ToAmount(row.Units), after = before * split.Ratio.New / split.Ratio.Old;
                string account = all.LedgerAccountsById[row.LedgerAccount].Code;
                if (after != Math.Round(after, asset.Scale, MidpointRounding.ToZero))
                {
                    return new Rejection("eod.split-fraction", string.Create(CultureInfo.InvariantCulture,
                        $"the {split.Ratio} split of {split.Instrument} turns {account}'s {Math.Abs(before)} into {Math.Abs(after)}, a fraction of a unit; book the cash in lieu and the rounded holding by hand"));
                }
                decimal change = after - before;
                lines.Add(new PostingRequest(account, split.Instrument, change > 0m ? Direction.Debit : Direction.Credit, Math.Abs(change)));
            }
            if (lines.Count == 0)
            {
                continue;
            }
            LocalDate effective = unitOfWork.Head.ClosedThrough is { } closed && split.ExDate <= closed ? date : split.ExDate;
            requests.Add(new JournalEntryRequest(SplitKey(split), effective, string.Create(CultureInfo.InvariantCulture,
                $"{split.Ratio} split of {split.Instrument}, ex {LocalDatePattern.Iso.Format(split.ExDate)} ({split.Source}): every holding multiplied by {split.Ratio.Factor}"),
                "corporate action", lines));
        }
        Result<IReadOnlyList<JournalEntryDraft>> drafts = await DecideAllAsync(unitOfWork, requests, [], cancellationToken);
        return drafts.Rejection is { } refused ? refused
            : new CommandEffects(drafts.Value, null, string.Create(CultureInfo.InvariantCulture, $"{drafts.Value.Count} splits booked"));
    }

    /// <summary>The key of the entry that books a split.</summary>
    public static string SplitKey(Domain.ReferenceData.StockSplit split) => $"split/{split.Instrument}/{LocalDatePattern.Iso.Format(split.ExDate)}";

    /// <summary>The key of the FX revaluation entry of a currency on a date.</summary>
    public static string RevaluationKey(LocalDate date, string currency) => $"eod/{LocalDatePattern.Iso.Format(date)}/fx-revaluation/{currency}";

    // Opens the given accounts, then decides every request against the chart as the transaction sees it.
    private static async Task<Result<IReadOnlyList<JournalEntryDraft>>> DecideAllAsync(IWriteUnitOfWork unitOfWork, List<JournalEntryRequest> requests,
        List<Domain.ReferenceData.LedgerAccountDefinition> opened, CancellationToken cancellationToken)
    {
        if (opened.Count > 0)
        {
            await unitOfWork.ApplyReferenceChangesAsync(new Domain.ReferenceData.ReferenceChanges { LedgerAccounts = opened }, cancellationToken);
        }
        return await EntryDrafts.DecideAsync(unitOfWork, requests, cancellationToken);
    }

    /// <summary>
    /// Interest on each client's settled cash, per currency, for the days from the business date to
    /// the next (a Friday accrues the weekend): credit balances accrue interest payable to the
    /// client (expense), debit balances interest receivable from the client (income), under the
    /// tiers in force (<see cref="Domain.Interest.CashInterest"/>). One entry per client and currency, each with its
    /// own key, all in this step's one transaction; sub-ledgers are opened as needed.
    /// </summary>
    private async Task<Result<CommandEffects>> AccrualsAsync(IWriteUnitOfWork unitOfWork, LocalDate date, LocalDate next, CancellationToken cancellationToken)
    {
        IReadOnlyList<Domain.Interest.InterestRate> rates = await store.ReadInterestRatesAsync(cancellationToken);
        var accounts = new InterestAccounts();
        ReferenceLookup all = await store.ReadAllReferenceAsync(cancellationToken);
        if (rates.Count > 0)
        {
            foreach (string control in new[] { accounts.PayableToClients, accounts.ReceivableFromClients, accounts.Income, accounts.Expense })
            {
                if (!all.LedgerAccounts.ContainsKey(control))
                {
                    return new Rejection("eod.accruals", $"ledger account {control} is not in the chart; load it (samples/demo/ledger-accounts.csv) before accruing interest");
                }
            }
        }
        string prefix = _policy.ClientMoney + ".";
        IReadOnlyList<BalanceRow> balances = await store.ReadBalancesAsync(date, null, BalanceBasis.SettlementDate, cancellationToken);
        var requests = new List<JournalEntryRequest>();
        var opened = new List<Domain.ReferenceData.LedgerAccountDefinition>();
        int days = Period.Between(date, next, PeriodUnits.Days).Days;
        foreach (BalanceRow row in rates.Count == 0 ? [] : balances.Where(b => b.Units != 0))
        {
            Domain.Accounting.LedgerAccount account = all.LedgerAccountsById[row.LedgerAccount];
            if (account.ControlAccountCode != _policy.ClientMoney || !account.Code.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            Asset asset = all.AssetsById[row.Asset];
            string client = account.Code[prefix.Length..];
            decimal balance = -asset.ToAmount(row.Units); // a credit balance is cash held for the client
            Result<decimal> interest = Domain.Interest.CashInterest.Accrue(balance, rates, asset.Code, date, next, asset.Scale);
            if (interest.Rejection is { } bad)
            {
                return bad;
            }
            if (interest.Value == 0m)
            {
                continue;
            }
            bool credit = balance > 0;
            string sub = credit ? accounts.PayableToClients + "." + client : accounts.ReceivableFromClients + "." + client;
            if (!all.LedgerAccounts.ContainsKey(sub) && opened.All(o => o.Code != sub))
            {
                string control = credit ? accounts.PayableToClients : accounts.ReceivableFromClients;
                opened.Add(new Domain.ReferenceData.LedgerAccountDefinition(sub, (credit ? "Interest payable to client: " : "Interest receivable from client: ") + client,
                    all.LedgerAccounts[control].Type, control, true));
            }
            string day = LocalDatePattern.Iso.Format(date);
            string reason = string.Create(CultureInfo.InvariantCulture,
                $"interest on {(credit ? "credit" : "debit")} balance {Math.Abs(balance)} {asset.Code} of {client}, {days} day{(days == 1 ? "" : "s")} from {day}");
            requests.Add(new JournalEntryRequest($"eod/{day}/interest/{client}/{asset.Code}", date, reason, "eod " + day,
                credit
                    ? [new PostingRequest(accounts.Expense, asset.Code, Direction.Debit, interest.Value), new PostingRequest(sub, asset.Code, Direction.Credit, interest.Value)]
                    : [new PostingRequest(sub, asset.Code, Direction.Debit, interest.Value), new PostingRequest(accounts.Income, asset.Code, Direction.Credit, interest.Value)]));
        }
        int cashAccruals = requests.Count;
        Result<int> bonds = await BondAccrualsAsync(all, balances, date, next, requests, opened, cancellationToken);
        if (bonds.Rejection is { } noBonds)
        {
            return noBonds;
        }
        Result<IReadOnlyList<JournalEntryDraft>> decided = await DecideAllAsync(unitOfWork, requests, opened, cancellationToken);
        if (decided.Rejection is { } refused)
        {
            return refused;
        }
        string span = string.Create(CultureInfo.InvariantCulture, $"{days} day{(days == 1 ? "" : "s")} to {LocalDatePattern.Iso.Format(next)}");
        return new CommandEffects(decided.Value, null, string.Create(CultureInfo.InvariantCulture,
            $"{(rates.Count == 0 ? "no interest schedules for client cash" : $"{cashAccruals} interest accruals on client cash")}, {span}; {bonds.Value} bond interest accruals"));
    }

    /// <summary>
    /// Accrued interest on the clients' bonds, in memo accounts: for each client and currency, the
    /// interest accrued on its settled bond positions (settlement-date basis) to the next business
    /// day, per bond at the bond's day count (<see cref="Domain.FixedIncome.AccruedInterest"/>) and
    /// rounded to the currency like a trade's accrued interest, is compared with what the client's
    /// memo sub-ledger <c>9300.CLIENT</c> holds, and the difference booked (against the memo contra
    /// <c>9000</c>). A day's entry is the interest earned that day; after a coupon date it is negative
    /// (the accrual restarts from the coupon; the coupon's payment is a corporate action, not booked
    /// here); a short position accrues interest the client owes. Keyed <c>eod/DATE/bond-interest/CLIENT/CURRENCY</c>.
    /// </summary>
    private async Task<Result<int>> BondAccrualsAsync(ReferenceLookup all, IReadOnlyList<BalanceRow> settled, LocalDate date, LocalDate next,
        List<JournalEntryRequest> requests, List<Domain.ReferenceData.LedgerAccountDefinition> opened, CancellationToken cancellationToken)
    {
        Domain.Trading.TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        var pnl = new PnlAccounts();
        string securities = _policy.ClientSecurities + ".", memo = pnl.ClientBondInterest + ".";
        var target = new SortedDictionary<(string Client, string Currency), decimal>();
        var bonds = new Dictionary<(string Client, string Currency), List<string>>();
        var held = new Dictionary<(string Client, string Currency), decimal>();
        foreach (BalanceRow row in settled.Where(b => b.Units != 0))
        {
            LedgerAccount account = all.LedgerAccountsById[row.LedgerAccount];
            Asset asset = all.AssetsById[row.Asset];
            if (account.ControlAccountCode == pnl.ClientBondInterest && account.Code.StartsWith(memo, StringComparison.Ordinal))
            {
                held[(account.Code[memo.Length..], asset.Code)] = asset.ToAmount(row.Units);
                continue;
            }
            if (account.ControlAccountCode != _policy.ClientSecurities || !account.Code.StartsWith(securities, StringComparison.Ordinal))
            {
                continue;
            }
            Domain.ReferenceData.Instrument? instrument = reference.FindByIsin(asset.Code);
            if (instrument?.Bond is not { } terms)
            {
                continue;
            }
            decimal face = -asset.ToAmount(row.Units); // a credit balance is a long position
            decimal accrued = 0m;
            if (next > terms.DatedDate && next < terms.MaturityDate)
            {
                Result<decimal> interest = Domain.FixedIncome.AccruedInterest.Compute(Math.Abs(face), terms, next);
                if (interest.Rejection is { } bad)
                {
                    return bad.At(instrument.Isin);
                }
                int scale = reference.Currencies.TryGetValue(instrument.Currency, out Domain.ReferenceData.Currency? currency) ? currency.MinorUnits : 2;
                accrued = Math.Sign(face) * Math.Round(interest.Value, scale, MidpointRounding.AwayFromZero);
            }
            (string Client, string Currency) key = (account.Code[securities.Length..], instrument.Currency);
            target[key] = target.GetValueOrDefault(key) + accrued;
            (bonds.TryGetValue(key, out List<string>? list) ? list : bonds[key] = []).Add(string.Create(CultureInfo.InvariantCulture, $"{face} {instrument.Isin}"));
        }
        foreach (var key in held.Keys.Where(k => !target.ContainsKey(k)).ToList())
        {
            target[key] = 0m;
        }
        string day = LocalDatePattern.Iso.Format(date);
        int count = 0;
        foreach (var ((client, currency), accrued) in target)
        {
            decimal change = accrued - held.GetValueOrDefault((client, currency));
            if (change == 0m)
            {
                continue;
            }
            foreach (string control in new[] { pnl.MemoContra, pnl.ClientBondInterest })
            {
                if (!all.LedgerAccounts.ContainsKey(control))
                {
                    return new Rejection("eod.accruals", $"ledger account {control} is not in the chart; load it (samples/demo/ledger-accounts.csv) before accruing bond interest");
                }
            }
            string sub = memo + client;
            if (!all.LedgerAccounts.ContainsKey(sub) && opened.All(o => o.Code != sub))
            {
                opened.Add(new Domain.ReferenceData.LedgerAccountDefinition(sub, "Client accrued bond interest: " + client, LedgerAccountType.Memo, pnl.ClientBondInterest, true));
            }
            string holdings = bonds.TryGetValue((client, currency), out List<string>? names) ? string.Join(", ", names) : "no bonds";
            string reason = string.Create(CultureInfo.InvariantCulture,
                $"accrued interest on the bonds of {client} ({holdings}) to {LocalDatePattern.Iso.Format(next)}: {accrued} {currency}, was {held.GetValueOrDefault((client, currency))}");
            decimal amount = Math.Abs(change);
            requests.Add(new JournalEntryRequest($"eod/{day}/bond-interest/{client}/{currency}", date, reason, "eod " + day,
                change > 0m
                    ? [new PostingRequest(sub, currency, Direction.Debit, amount), new PostingRequest(pnl.MemoContra, currency, Direction.Credit, amount)]
                    : [new PostingRequest(pnl.MemoContra, currency, Direction.Debit, amount), new PostingRequest(sub, currency, Direction.Credit, amount)]));
            count++;
        }
        return count;
    }

    private static string Join(IEnumerable<string> parts) => parts.Any() ? string.Join(", ", parts) : "none";

    private async Task<Result<CommandEffects>> ChecksAsync(LocalDate date, CancellationToken cancellationToken)
    {
        TrialBalance detail = await new ReportService(store).TrialBalanceAsync(date, null, detail: true, cancellationToken);
        if (!detail.Balances)
        {
            return new Rejection("eod.trial-balance", "the trial balance does not balance");
        }
        // Client control accounts carry nothing of their own: their balance is the sum of their client sub-ledgers.
        string[] controls = [_policy.ClientMoney, _policy.ClientSecurities, _policy.FirmPositions, _policy.FirmInventory, new PnlAccounts().FirmUnrealized];
        var direct = detail.Lines.Where(l => controls.Contains(l.Account)).ToList();
        if (direct.Count > 0)
        {
            return new Rejection("eod.sub-ledger-tie", "postings made directly to a control account do not tie to its sub-ledgers: " +
                string.Join(", ", direct.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Account} {l.Asset} {l.Debit - l.Credit}"))) +
                "; move them to the sub-ledger of the client or book they belong to (2010.<account>, 1200.<book>, ...) with an entry in the open period");
        }
        int accounts = detail.Lines.Select(l => l.Account).Distinct().Count();
        return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture,
            $"trial balance balances in {detail.Totals.Count} assets over {accounts} accounts; client sub-ledgers tie to their control accounts"));
    }
}

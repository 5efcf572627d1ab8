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
/// <item><c>prices</c>: every client position has a usable price and rate for the day (else the run stops, naming them);</item>
/// <item><c>accruals</c>: interest on client cash balances to the next business day, booked per client and currency;</item>
/// <item><c>pnl</c>: the day's realized P&amp;L and the positions' unrealized P&amp;L per currency, recorded in the step's result;</item>
/// <item><c>checks</c>: the trial balance balances in every asset, and no client control account carries postings of its own
/// (its balance is the sum of its client sub-ledgers);</item>
/// <item><c>close</c>: the books are closed through the day (<see cref="PeriodService"/>);</item>
/// <item><c>roll</c>: the business date becomes the next business day of the firm's calendar.</item>
/// </list>
/// Bond interest accrual and foreign-currency revaluation are not steps yet.
/// </summary>
public sealed class EodService(IBackOfficeStore store, CommandProcessor processor, Domain.Trading.TradeBookingPolicy? policy = null)
{
    /// <summary>The steps, in the order they run.</summary>
    public static readonly string[] Steps = ["prices", "accruals", "pnl", "checks", "close", "roll"];

    /// <summary>Accounts the interest accrual books to (sub-ledgers per client under the first two).</summary>
    public sealed record InterestAccounts(string PayableToClients = "2060", string ReceivableFromClients = "1410", string Income = "4200", string Expense = "5200");

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
                "accruals" => new CommandEffects([], null, ""),
                "pnl" => await PnlAsync(date, maxPriceAgeDays, cancellationToken),
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
            Decide decide = step == "accruals"
                ? (unitOfWork, ct) => AccrualsAsync(unitOfWork, date, Next(date, calendarCode), ct)
                : (_, _) => Task.FromResult(effects);
            CommandOutcome outcome = await processor.ExecuteAsync(command, decide, dryRun: false, cancellationToken);
            if (outcome.Rejection is { } refused)
            {
                states.AddRange(Steps.Skip(states.Count).Select(s => new EodStepState(s, false, null, null)));
                return new EodRun(date, states, step, refused);
            }
            var state = new EodStepState(step, true, outcome.Sequence, outcome.Result);
            states.Add(state);
            afterStep?.Invoke(state);
        }
        return new EodRun(date, states, null, null);
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

    private async Task<Result<CommandEffects>> PnlAsync(LocalDate date, int maxPriceAgeDays, CancellationToken cancellationToken)
    {
        LotBook lots = await new LotService(store).RunAsync(date, null, cancellationToken);
        Valuation valuation = await new ValuationService(store).ValueAsync(date, maxPriceAgeDays, null, cancellationToken);
        var realized = lots.Realized.Where(r => r.TradeDate == date).GroupBy(r => r.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Sum(r => r.Realized)} {g.Key}"));
        var unrealized = valuation.Lines.Where(l => l.Unrealized is not null).GroupBy(l => l.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Sum(l => l.Unrealized!.Value)} {g.Key}"));
        return new CommandEffects([], null, $"realized today: {Join(realized)}; unrealized: {Join(unrealized)}");
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
        if (rates.Count == 0)
        {
            return new CommandEffects([], null, "no interest schedules: nothing accrued");
        }
        var accounts = new InterestAccounts();
        ReferenceLookup all = await store.ReadAllReferenceAsync(cancellationToken);
        foreach (string control in new[] { accounts.PayableToClients, accounts.ReceivableFromClients, accounts.Income, accounts.Expense })
        {
            if (!all.LedgerAccounts.ContainsKey(control))
            {
                return new Rejection("eod.accruals", $"ledger account {control} is not in the chart; load it (samples/demo/ledger-accounts.csv) before accruing interest");
            }
        }
        string prefix = _policy.ClientMoney + ".";
        IReadOnlyList<BalanceRow> balances = await store.ReadBalancesAsync(date, null, BalanceBasis.SettlementDate, cancellationToken);
        var requests = new List<JournalEntryRequest>();
        var opened = new List<Domain.ReferenceData.LedgerAccountDefinition>();
        int days = Period.Between(date, next, PeriodUnits.Days).Days;
        foreach (BalanceRow row in balances.Where(b => b.Units != 0))
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
        if (opened.Count > 0)
        {
            await unitOfWork.ApplyReferenceChangesAsync(new Domain.ReferenceData.ReferenceChanges { LedgerAccounts = opened }, cancellationToken);
        }
        ReferenceLookup lookup = await unitOfWork.ResolveAsync([.. requests.SelectMany(r => r.Postings.Select(p => p.LedgerAccountCode)).Distinct()],
            [.. requests.SelectMany(r => r.Postings.Select(p => p.AssetCode)).Distinct()], cancellationToken);
        var drafts = new List<JournalEntryDraft>(requests.Count);
        foreach (JournalEntryRequest request in requests)
        {
            Result<JournalEntryDraft> draft = EntryRules.Decide(request, lookup.LedgerAccounts, lookup.Assets);
            if (draft.Rejection is { } refused)
            {
                return refused.At(request.Key);
            }
            drafts.Add(draft.Value);
        }
        return new CommandEffects(drafts, null, string.Create(CultureInfo.InvariantCulture,
            $"{drafts.Count} interest accruals on client cash, {days} day{(days == 1 ? "" : "s")} to {LocalDatePattern.Iso.Format(next)}"));
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
        string[] controls = [_policy.ClientMoney, _policy.ClientSecurities];
        var direct = detail.Lines.Where(l => controls.Contains(l.Account)).ToList();
        if (direct.Count > 0)
        {
            return new Rejection("eod.sub-ledger-tie", "postings made directly to a client control account do not tie to its sub-ledgers: " +
                string.Join(", ", direct.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Account} {l.Asset} {l.Debit - l.Credit}"))) +
                "; move them to the client's sub-ledger (2010.<account>) with an entry in the open period");
        }
        int accounts = detail.Lines.Select(l => l.Account).Distinct().Count();
        return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture,
            $"trial balance balances in {detail.Totals.Count} assets over {accounts} accounts; client sub-ledgers tie to their control accounts"));
    }
}

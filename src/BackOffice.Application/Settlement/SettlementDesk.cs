using System.Globalization;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using BackOffice.Domain.Trading;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Settlement;

/// <summary>What an instruct run did: the instructions it sent (each checked to make a valid message) and those it cancelled.</summary>
public sealed record InstructRun(IReadOnlyList<SettlementInstruction> Sent, IReadOnlyList<SettlementInstruction> Cancelled,
    IReadOnlyList<SettlementInstruction> Kept, CommandOutcome Outcome);

/// <summary>What a status message did: the instruction it moved, and whether it was parked in the exceptions queue instead.</summary>
public sealed record StatusOutcome(CommandOutcome Outcome, SettlementInstruction? Instruction, Rejection? Parked);

/// <summary>What a fails run did: the day's fails report, the instructions it marked failed and the penalties it accrued.</summary>
public sealed record FailsRun(IReadOnlyList<SettlementFail> Fails, int MarkedFailed, IReadOnlyList<AccruedPenalty> Accrued, IReadOnlyList<string> Warnings,
    CommandOutcome Outcome);

/// <summary>
/// The settlement desk's writes, each one audited command through the write path: sending the
/// day's instructions (and cancelling those a correction made stale), taking the custodian's
/// status advices and confirmations (booking what settled), and marking fails and accruing their
/// CSDR penalties. Messages are parsed and written at the edge (Intake); this class takes and
/// returns domain values.
/// </summary>
public sealed class SettlementDesk(IBackOfficeStore store, CommandProcessor processor, SettlementBookingPolicy? policy = null)
{
    private readonly SettlementBookingPolicy _policy = policy ?? SettlementBookingPolicy.Default;

    /// <summary>
    /// The instructions for obligations due on <paramref name="date"/>: every live instruction already
    /// sent whose members are still the trades' current versions is kept; one whose member was busted
    /// or corrected since is cancelled (unless part of it settled already, which operations must
    /// resolve); every obligation not covered by a kept instruction is netted and instructed anew.
    /// <paramref name="check"/> builds and validates each new instruction's message (on every core), before anything is
    /// recorded: the first that cannot be refuses the run. The messages are not kept: a million would
    /// not fit; the caller renders them again, as they were checked, when it writes them out.
    /// </summary>
    public async Task<Result<InstructRun>> InstructAsync(LocalDate date, string actor, Func<SettlementInstruction, Rejection?> check,
        CancellationToken cancellationToken)
    {
        var reader = new SettlementService(store);
        List<SettlementObligation> due = await reader.ObligationsDueAsync(date, cancellationToken);
        var current = due.Select(o => (o.TradeId, o.Version)).ToHashSet();
        IReadOnlyList<SettlementInstruction> existing = await store.ListInstructionsAsync(new InstructionQuery(SettlementDate: date), cancellationToken);
        var kept = new List<SettlementInstruction>();
        var stale = new List<SettlementInstruction>();
        foreach (SettlementInstruction instruction in existing.Where(i => i.Status != InstructionStatus.Cancelled))
        {
            bool live = instruction.Members.All(m => current.Contains((m.TradeId, m.Version)));
            (live || instruction.SettledQuantity > 0m || instruction.Status == InstructionStatus.Settled ? kept : stale).Add(instruction);
        }
        var covered = kept.SelectMany(i => i.Members).Select(m => (m.TradeId, m.Version)).ToHashSet();
        IReadOnlyList<NetSettlement> nets = await reader.NetAsync([.. due.Where(o => !covered.Contains((o.TradeId, o.Version)))], cancellationToken);
        var fresh = new List<SettlementInstruction>();
        foreach (NetSettlement net in nets)
        {
            Result<IReadOnlyList<SettlementInstruction>> built = SettlementBooking.Instruct(net);
            if (built.Rejection is { } refused)
            {
                return refused;
            }
            fresh.AddRange(built.Value);
        }
        if (SettlementService.Check(fresh, check) is { } invalid)
        {
            return invalid;
        }
        var events = new List<InstructionEvent>(fresh.Count + stale.Count);
        foreach (SettlementInstruction i in fresh)
        {
            events.Add(new InstructionEvent(i.TransactionId, InstructionStatus.New, InstructionStatus.Sent, date, "instruct", null, null, "sese.023 sent", 0m, 0m));
        }
        foreach (SettlementInstruction i in stale)
        {
            events.Add(new InstructionEvent(i.TransactionId, i.Status, InstructionStatus.Cancelled, date, "correction", null, null,
                "a member trade was busted or corrected after it was instructed", i.SettledQuantity, i.SettledAmount));
        }
        // The command's payload is what it sends and cancels, hashed line by line (a busy day's text is never held whole).
        using var payload = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        payload.AppendData(Encoding.UTF8.GetBytes("instruct " + LocalDatePattern.Iso.Format(date) + "\n"));
        foreach (SettlementInstruction i in fresh)
        {
            payload.AppendData(Encoding.UTF8.GetBytes("send " + i.Canonical() + "\n"));
        }
        foreach (SettlementInstruction i in stale)
        {
            payload.AppendData(Encoding.UTF8.GetBytes("cancel " + i.TransactionId + "\n"));
        }
        Sha256Hash hash = Sha256Hash.FromBytes(payload.GetHashAndReset());
        string result = string.Create(CultureInfo.InvariantCulture,
            $"{fresh.Count} instructions sent and {stale.Count} cancelled for {LocalDatePattern.Iso.Format(date)} ({kept.Count} already live)");
        CommandOutcome outcome = fresh.Count == 0 && stale.Count == 0
            ? new CommandOutcome(CommandStatus.Replayed, result, null, null, [])
            : await processor.ExecuteAsync(
                new CommandEnvelope("settlement.instruct", actor, IdempotencyKey.From($"settlement.instruct/{LocalDatePattern.Iso.Format(date)}/{hash}"), hash, null),
                (_, _) => Task.FromResult<Result<CommandEffects>>(new CommandEffects([], null, result)
                {
                    Settlement = new SettlementRecords([.. fresh.Select(i => i with { Status = InstructionStatus.Sent })], events, []),
                }),
                dryRun: false, cancellationToken);
        if (outcome.Rejection is { } rejected)
        {
            return rejected;
        }
        return new InstructRun([.. fresh.Select(i => i with { Status = InstructionStatus.Sent })], stale, kept, outcome);
    }

    /// <summary>
    /// Takes one sese.024 status advice about <paramref name="advice"/>'s instruction, as of business
    /// date <paramref name="on"/>: a match moves a sent instruction to matched (and records the day,
    /// for late-matching penalties); a failing status on or after the intended settlement date makes
    /// it failed; a cancellation cancels it; a pending or unmatched status records its reason. An
    /// advice for an unknown or final instruction is parked in the exceptions queue.
    /// </summary>
    /// <param name="messageId">The message's own reference (a hash of its content): the same message twice is one command.</param>
    public async Task<StatusOutcome> AdviseAsync(StatusAdvice advice, LocalDate on, string fileName, string rawMessage, string messageId, string actor,
        CancellationToken cancellationToken)
    {
        SettlementInstruction? moved = null;
        Rejection? parked = null;
        CommandOutcome outcome = await processor.ExecuteAsync(Envelope("settlement.status", actor, messageId, rawMessage), async (unitOfWork, ct) =>
        {
            SettlementInstruction? instruction = await FindAsync(unitOfWork, advice.TransactionId, ct);
            Result<InstructionEvent> decided = instruction is null
                ? new Rejection("settlement.unknown-instruction", $"status advice for {advice.TransactionId}, which is not an instruction of ours")
                : Advise(instruction, advice, on, messageId);
            if (decided.Rejection is { } refused)
            {
                parked = refused.At(fileName);
                return await ParkAsync(unitOfWork, "sese.024", advice.TransactionId, parked, rawMessage, ct);
            }
            InstructionEvent e = decided.Value;
            moved = instruction! with { Status = e.To, ReasonCode = e.ReasonCode ?? instruction.ReasonCode, MatchedOn = e.MatchedOn ?? instruction.MatchedOn };
            IReadOnlyList<AccruedPenalty> late = e.MatchedOn is { } matchedOn ? await LateMatchingAsync(instruction, matchedOn, ct) : [];
            Result<IReadOnlyList<JournalEntryDraft>> drafts = await PenaltyEntriesAsync(unitOfWork, late, ct);
            if (drafts.Rejection is { } unbookable)
            {
                return unbookable;
            }
            string penalties = late.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", {late.Count} late-matching penalty days accrued");
            return new CommandEffects(drafts.Value, null,
                $"{advice.TransactionId}: {InstructionLifecycle.Name(e.From)} -> {InstructionLifecycle.Name(e.To)}{(e.ReasonCode is null ? "" : " (" + e.ReasonCode + ")")}{penalties}")
            {
                Settlement = new SettlementRecords([], [e], late),
            };
        }, dryRun: false, cancellationToken);
        return new StatusOutcome(outcome, moved, parked);
    }

    private static Result<InstructionEvent> Advise(SettlementInstruction i, StatusAdvice advice, LocalDate on, string messageId)
    {
        if (i.IsFinal)
        {
            return new Rejection("settlement.instruction-final", $"instruction {i.TransactionId} is {InstructionLifecycle.Name(i.Status)}: a status advice cannot move it");
        }
        InstructionStatus to = i.Status;
        LocalDate? matchedOn = null;
        string note;
        if (advice.Processing == ProcessingStatus.Cancelled)
        {
            to = InstructionStatus.Cancelled;
            note = "cancelled by the custodian";
        }
        else if (advice.Processing == ProcessingStatus.Rejected)
        {
            note = "rejected by the custodian: it will not settle as sent; correct the SSI or the trade and instruct again";
        }
        else if (advice.Settlement == SettlementCondition.Failing && on >= i.SettlementDate)
        {
            to = InstructionStatus.Failed;
            note = "failing";
        }
        else if (advice.Matching == MatchingStatus.Matched)
        {
            to = i.Status == InstructionStatus.Sent ? InstructionStatus.Matched : i.Status;
            note = advice.Settlement == SettlementCondition.Pending ? "matched, pending" : "matched";
        }
        else
        {
            note = advice.Matching == MatchingStatus.Unmatched ? "unmatched" : advice.Settlement == SettlementCondition.Pending ? "pending" : "status";
        }
        if (advice.Matching == MatchingStatus.Matched && i.MatchedOn is null)
        {
            matchedOn = on;
        }
        if (!InstructionLifecycle.Allowed(i.Status, to))
        {
            return new Rejection("settlement.transition", $"instruction {i.TransactionId} cannot go from {InstructionLifecycle.Name(i.Status)} to {InstructionLifecycle.Name(to)}");
        }
        return new InstructionEvent(i.TransactionId, i.Status, to, on, "sese.024", messageId, advice.ReasonCode,
            advice.ReasonText is null ? note : note + ": " + advice.ReasonText, i.SettledQuantity, i.SettledAmount)
        { MatchedOn = matchedOn };
    }

    /// <summary>
    /// Takes one sese.025 confirmation: checks it against its instruction (ISIN, direction, payment,
    /// currency, no more than is open) and books the settled part from pending settlement to the
    /// depository and the bank, effective on the actual settlement date (or, if that day is closed,
    /// the first open one). Anything that does not fit is parked in the exceptions queue and nothing is booked.
    /// </summary>
    public async Task<StatusOutcome> ConfirmAsync(SettlementConfirmation confirmation, string fileName, string rawMessage, string messageId, string actor,
        CancellationToken cancellationToken)
    {
        SettlementInstruction? moved = null;
        Rejection? parked = null;
        CommandOutcome outcome = await processor.ExecuteAsync(Envelope("settlement.confirmation", actor, messageId, rawMessage), async (unitOfWork, ct) =>
        {
            SettlementInstruction? instruction = await FindAsync(unitOfWork, confirmation.TransactionId, ct);
            Result<SettlementInstruction> after = instruction is null
                ? new Rejection("settlement.unknown-instruction", $"confirmation for {confirmation.TransactionId}, which is not an instruction of ours")
                : Check(instruction, confirmation);
            if (after.Rejection is null)
            {
                after = InstructionLifecycle.Confirm(instruction!, confirmation.SettledQuantity, confirmation.SettledAmount ?? 0m, confirmation.SettledOn);
            }
            if (after.Rejection is { } refused)
            {
                parked = refused.At(fileName);
                return await ParkAsync(unitOfWork, "sese.025", confirmation.TransactionId, parked, rawMessage, ct);
            }
            SettlementInstruction settled = after.Value;
            LocalDate effective = unitOfWork.Head.ClosedThrough is { } closed && confirmation.SettledOn <= closed ? closed.PlusDays(1) : confirmation.SettledOn;
            JournalEntryRequest entry = SettlementBooking.Confirmation(instruction!, settled, effective, messageId, _policy);
            ReferenceLookup lookup = await unitOfWork.ResolveAsync([.. entry.Postings.Select(p => p.LedgerAccountCode).Distinct()],
                [.. entry.Postings.Select(p => p.AssetCode).Distinct()], ct);
            Result<JournalEntryDraft> draft = EntryRules.Decide(entry, lookup.LedgerAccounts, lookup.Assets);
            if (draft.Rejection is { } unbookable)
            {
                return unbookable.At($"{fileName}, instruction {confirmation.TransactionId}");
            }
            moved = settled;
            var e = new InstructionEvent(settled.TransactionId, instruction!.Status, settled.Status, confirmation.SettledOn, "sese.025", messageId, null,
                string.Create(CultureInfo.InvariantCulture, $"settled {confirmation.SettledQuantity}{(confirmation.SettledAmount is { } a ? $" against {a} {confirmation.Currency}" : "")}"),
                settled.SettledQuantity, settled.SettledAmount);
            return new CommandEffects([draft.Value], null, string.Create(CultureInfo.InvariantCulture,
                $"{settled.TransactionId}: {InstructionLifecycle.Name(e.From)} -> {InstructionLifecycle.Name(e.To)}, {settled.SettledQuantity} of {settled.Quantity} settled"))
            {
                Settlement = new SettlementRecords([], [e], []),
            };
        }, dryRun: false, cancellationToken);
        return new StatusOutcome(outcome, moved, parked);
    }

    private static Result<SettlementInstruction> Check(SettlementInstruction i, SettlementConfirmation c)
    {
        string tx = i.TransactionId;
        if (!string.Equals(c.Isin, i.Isin, StringComparison.Ordinal))
        {
            return new Rejection("settlement.isin-mismatch", $"confirmation for {tx} is in {c.Isin}; the instruction is in {i.Isin}");
        }
        if (c.Delivery != i.Delivers || c.AgainstPayment != i.AgainstPayment)
        {
            return new Rejection("settlement.movement-mismatch",
                $"confirmation for {tx} is a {(c.Delivery ? "delivery" : "receipt")} {(c.AgainstPayment ? "against payment" : "free of payment")}; the instruction is {i.Code}");
        }
        if (c.FaceAmount != i.Nominal)
        {
            return new Rejection("settlement.quantity-kind", $"confirmation for {tx} gives {(c.FaceAmount ? "a face amount" : "units")}; the instruction is in {(i.Nominal ? "face amount" : "units")}");
        }
        if (i.AgainstPayment && (c.SettledAmount is null || !string.Equals(c.Currency, i.Currency, StringComparison.Ordinal)))
        {
            return new Rejection("settlement.amount", $"confirmation for {tx} must carry the settled amount in {i.Currency}");
        }
        if (i.AgainstPayment && c.Credit is { } credit && credit != i.ReceivesCash)
        {
            return new Rejection("settlement.cash-direction", $"confirmation for {tx} {(credit ? "credits" : "debits")} the cash; the instruction {(i.ReceivesCash ? "receives" : "pays")} it");
        }
        return i;
    }

    /// <summary>
    /// The end of <paramref name="asOf"/> for settlement: every open instruction whose intended
    /// settlement date has come becomes a fail (audited); each failing instruction at an EU CSD accrues
    /// the CSDR penalty of every TARGET2 business day not accrued yet (its cause from the custodian's
    /// last failing reason), booked to the ledger; late matching accrues for the days before the match.
    /// </summary>
    /// <param name="cashRateAnnual">The central bank's overnight credit rate, for lack-of-cash penalties (null: the rate of the
    /// settlement currency in force on each day, from <c>central-bank-rates</c>; a day without one is reported, not accrued).</param>
    /// <param name="rules">Close-out rules (null: those loaded as <c>close-out-rules</c>, then <see cref="CloseOutRules.Defaults"/>
    /// for whatever they do not cover: a loaded rule wins over a default as specific).</param>
    public async Task<Result<FailsRun>> FailsAsync(LocalDate asOf, string actor, decimal? cashRateAnnual, IReadOnlyList<CloseOutRule>? rules,
        CancellationToken cancellationToken)
    {
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        rules ??= [.. await store.ReadCloseOutRulesAsync(cancellationToken), .. CloseOutRules.Defaults];
        IReadOnlyList<CentralBankRate> centralBankRates = cashRateAnnual is null ? await store.ReadCentralBankRatesAsync(cancellationToken) : [];
        IReadOnlyList<SettlementInstruction> open = await store.ListInstructionsAsync(new InstructionQuery(SettlingOnOrBefore: asOf, OpenOnly: true), cancellationToken);
        var events = new List<InstructionEvent>();
        var failing = new List<SettlementInstruction>();
        foreach (SettlementInstruction i in open)
        {
            if (!Fails.IsFail(i, asOf))
            {
                continue;
            }
            if (i.Status != InstructionStatus.Failed)
            {
                events.Add(new InstructionEvent(i.TransactionId, i.Status, InstructionStatus.Failed, asOf, "fails", null, null,
                    string.Create(CultureInfo.InvariantCulture, $"not settled at the end of {LocalDatePattern.Iso.Format(i.SettlementDate)}: {i.OpenQuantity} open"), i.SettledQuantity, i.SettledAmount));
            }
            failing.Add(i with { Status = InstructionStatus.Failed });
        }
        // Penalties: every day from the intended settlement date not accrued yet, up to asOf.
        var warnings = new List<string>();
        var accrued = new List<AccruedPenalty>();
        LocalDate earliest = failing.Count == 0 ? asOf : failing.Min(i => i.SettlementDate);
        var already = (await store.ReadPenaltiesAsync(earliest, asOf, cancellationToken)).Select(p => (p.TransactionId, p.Date)).ToHashSet();
        var prices = new Dictionary<LocalDate, MarketData>();
        foreach (SettlementInstruction i in failing.Where(i => SettlementCalendars.IsEuCsd(i.PlaceOfSettlement)))
        {
            PenaltyAssetClass category = Category(reference, i.Isin);
            int minorUnits = reference.Currencies.TryGetValue(i.Currency, out Currency? currency) ? currency.MinorUnits : 2;
            foreach (LocalDate day in CsdrPenalties.PenaltyDays(i.SettlementDate, asOf, settled: false))
            {
                if (already.Contains((i.TransactionId, day)))
                {
                    continue;
                }
                if (!prices.TryGetValue(day, out MarketData? marks))
                {
                    prices[day] = marks = await store.ReadMarksAsync(day, cancellationToken);
                }
                if (!marks.Prices.TryGetValue(i.Isin, out Price? price) || price.Date != day)
                {
                    warnings.Add($"{i.TransactionId} {LocalDatePattern.Iso.Format(day)}: penalty.price-missing: no reference price of {i.Isin} for the day; the penalty is not accrued");
                    continue;
                }
                Result<AccruedPenalty?> penalty = PenaltyAccrual.ForDay(i, day, i.ReasonCode, category, price.Value,
                    cashRateAnnual ?? CentralBankRates.RateOn(centralBankRates, i.Currency, day), minorUnits);
                if (penalty.Rejection is { } refused)
                {
                    warnings.Add($"{i.TransactionId} {LocalDatePattern.Iso.Format(day)}: {refused}");
                }
                else if (penalty.Value is { } p)
                {
                    accrued.Add(p);
                }
                else if (PenaltyAccrual.Cause(i, i.ReasonCode) is null)
                {
                    warnings.Add($"{i.TransactionId} {LocalDatePattern.Iso.Format(day)}: penalty.cause-unknown: the custodian gave no failing reason ({i.ReasonCode ?? "none"}); no penalty accrued");
                }
            }
        }
        IReadOnlyList<SettlementFail> report = Fails.Report(failing, asOf, i => Category(reference, i.Isin), rules);
        string date = LocalDatePattern.Iso.Format(asOf);
        string result = string.Create(CultureInfo.InvariantCulture, $"{report.Count} fails as of {date}: {events.Count} newly failed, {accrued.Count} penalty days accrued");
        if (events.Count == 0 && accrued.Count == 0)
        {
            return new FailsRun(report, 0, [], warnings, new CommandOutcome(CommandStatus.Replayed, result, null, null, []));
        }
        var payload = new StringBuilder("fails ").Append(date).Append('\n');
        foreach (InstructionEvent e in events)
        {
            payload.Append("fail ").Append(e.TransactionId).Append('\n');
        }
        foreach (AccruedPenalty p in accrued)
        {
            payload.Append(CultureInfo.InvariantCulture, $"penalty {p.TransactionId} {p.Date:yyyy-MM-dd} {p.Side} {p.Amount} {p.Currency}\n");
        }
        Sha256Hash hash = Sha256Hash.Of(Encoding.UTF8.GetBytes(payload.ToString()));
        CommandOutcome outcome = await processor.ExecuteAsync(
            new CommandEnvelope("settlement.fails", actor, IdempotencyKey.From($"settlement.fails/{date}/{hash}"), hash, null), async (unitOfWork, ct) =>
            {
                Result<IReadOnlyList<JournalEntryDraft>> drafts = await PenaltyEntriesAsync(unitOfWork, accrued, ct);
                return drafts.Rejection is { } refused ? refused
                    : new CommandEffects(drafts.Value, null, result) { Settlement = new SettlementRecords([], events, accrued) };
            }, dryRun: false, cancellationToken);
        if (outcome.Rejection is { } rejected)
        {
            return rejected;
        }
        return new FailsRun(report, events.Count, accrued, warnings, outcome);
    }

    /// <summary>
    /// Compares the penalties the CSD reported with those accrued: every day on which they differ, or
    /// which only one side has, is a break, parked in the exceptions queue (once per report).
    /// </summary>
    public async Task<Result<(IReadOnlyList<PenaltyBreak> Breaks, CommandOutcome Outcome)>> ComparePenaltiesAsync(
        IReadOnlyList<(string TransactionId, LocalDate Date, decimal Amount, string Currency)> reported, string fileName, string rawReport, string actor,
        CancellationToken cancellationToken)
    {
        if (reported.Count == 0)
        {
            return new Rejection("penalty.report-empty", $"{fileName} reports no penalties");
        }
        LocalDate from = reported.Min(r => r.Date), through = reported.Max(r => r.Date);
        IReadOnlyList<AccruedPenalty> ours = await store.ReadPenaltiesAsync(from, through, cancellationToken);
        IReadOnlyList<PenaltyBreak> breaks = PenaltyAccrual.Compare(ours, reported);
        string messageId = Sha256Hash.Of(Encoding.UTF8.GetBytes(rawReport)).ToString()[..16];
        CommandOutcome outcome = await processor.ExecuteAsync(Envelope("settlement.penalty-report", actor, messageId, rawReport), async (unitOfWork, ct) =>
        {
            (long _, long lastException) = await unitOfWork.ReadLastTradeIdsAsync(ct);
            var exceptions = breaks.Select((b, n) => new TradeException(lastException + n + 1, new AuditSequence(unitOfWork.Head.Sequence.Value + 1), "csd-penalties", b.TransactionId, "settlement.penalty-break",
                string.Create(CultureInfo.InvariantCulture, $"penalty of {b.Date:yyyy-MM-dd}: ours {b.Ours} {b.Currency}, the CSD's {b.Csd} {b.Currency}"),
                fileName, null, rawReport)).ToList();
            return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"{reported.Count} reported penalty days compared: {breaks.Count} breaks"))
            {
                TradeExceptions = exceptions,
            };
        }, dryRun: false, cancellationToken);
        return outcome.Rejection is { } refused ? refused : (breaks, outcome);
    }

    // One entry per penalty day, dated on the day (or, if that day is closed, the first open one).
    private async Task<Result<IReadOnlyList<JournalEntryDraft>>> PenaltyEntriesAsync(IWriteUnitOfWork unitOfWork, IReadOnlyList<AccruedPenalty> penalties,
        CancellationToken cancellationToken)
    {
        if (penalties.Count == 0)
        {
            return new List<JournalEntryDraft>();
        }
        LocalDate? closed = unitOfWork.Head.ClosedThrough;
        var requests = penalties.Select(p => SettlementBooking.Penalty(p, closed is { } c && p.Date <= c ? c.PlusDays(1) : p.Date, _policy)).ToList();
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
        return drafts;
    }

    /// <summary>
    /// The late-matching penalties of an instruction at an EU CSD that matched after its intended
    /// settlement date: every TARGET2 business day from that date to the day before the match, on
    /// the instructed quantity at the day's reference price, at the rate of its category. The party
    /// that instructed last pays: the firm receives when it had sent its instruction by the intended
    /// settlement date, and pays otherwise. A day without a reference price, or already penalised, accrues nothing.
    /// </summary>
    private async Task<IReadOnlyList<AccruedPenalty>> LateMatchingAsync(SettlementInstruction instruction, LocalDate matchedOn, CancellationToken cancellationToken)
    {
        IReadOnlyList<LocalDate> days = PenaltyAccrual.LateMatchingDays(instruction, matchedOn);
        if (days.Count == 0)
        {
            return [];
        }
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        PenaltyAssetClass category = Category(reference, instruction.Isin);
        int minorUnits = reference.Currencies.TryGetValue(instruction.Currency, out Currency? currency) ? currency.MinorUnits : 2;
        LocalDate? sentOn = (await store.ReadInstructionEventsAsync(instruction.TransactionId, cancellationToken)).FirstOrDefault(e => e.To == InstructionStatus.Sent)?.On;
        PenaltySide side = sentOn is { } sent && sent <= instruction.SettlementDate ? PenaltySide.Receive : PenaltySide.Pay;
        var already = (await store.ReadPenaltiesAsync(days[0], days[^1], cancellationToken)).Where(p => p.TransactionId == instruction.TransactionId)
            .Select(p => p.Date).ToHashSet();
        var penalties = new List<AccruedPenalty>();
        foreach (LocalDate day in days.Where(d => !already.Contains(d)))
        {
            if (!(await store.ReadMarksAsync(day, cancellationToken)).Prices.TryGetValue(instruction.Isin, out Price? price) || price.Date != day)
            {
                continue;
            }
            var penaltyDay = new PenaltyDay(FailType.LateMatching, category, instruction.Nominal ? QuantityKind.Nominal : QuantityKind.Units, instruction.Quantity,
                instruction.Currency, day, price.Value, null);
            Result<decimal> amount = CsdrPenalties.Daily(penaltyDay, minorUnits);
            if (amount.IsAccepted && amount.Value > 0m)
            {
                penalties.Add(new AccruedPenalty(instruction.TransactionId, day, FailType.LateMatching, side, category, instruction.Quantity, price.Value, amount.Value,
                    instruction.Currency));
            }
        }
        return penalties;
    }

    // The instrument's CSDR category as loaded with it, or else the one its asset class implies.
    private static PenaltyAssetClass Category(TradeReferenceData reference, string isin) =>
        reference.FindByIsin(isin) is { } instrument ? instrument.CsdrCategory ?? Fails.DefaultCategory(instrument) : Fails.DefaultCategory(null);

    private static CommandEnvelope Envelope(string type, string actor, string messageId, string raw) =>
        new(type, actor, IdempotencyKey.From(type + "/" + messageId), Sha256Hash.Of(Encoding.UTF8.GetBytes(raw)), null);

    private static async Task<SettlementInstruction?> FindAsync(IWriteUnitOfWork unitOfWork, string transactionId, CancellationToken cancellationToken)
    {
        IReadOnlyList<SettlementInstruction> found = await unitOfWork.ListInstructionsAsync(new InstructionQuery(TransactionIds: [transactionId]), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    // A message that cannot be applied is kept in the exceptions queue with its rule; nothing else is written.
    private static async Task<Result<CommandEffects>> ParkAsync(IWriteUnitOfWork unitOfWork, string source, string transactionId, Rejection why, string raw,
        CancellationToken cancellationToken)
    {
        (long _, long lastException) = await unitOfWork.ReadLastTradeIdsAsync(cancellationToken);
        var exception = new TradeException(lastException + 1, new AuditSequence(unitOfWork.Head.Sequence.Value + 1), source, transactionId, why.Rule, why.Message, why.Location, null, raw);
        return new CommandEffects([], null, $"parked in the exceptions queue: {why}") { TradeExceptions = [exception] };
    }

    /// <summary>A message's reference: the first 16 hex digits of the SHA-256 of its content.</summary>
    public static string MessageId(string rawMessage) => Sha256Hash.Of(Encoding.UTF8.GetBytes(rawMessage)).ToString()[..16];
}

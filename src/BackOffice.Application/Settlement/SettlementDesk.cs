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

/// <summary>What an instruct run will do: the instructions to send (each checked to make a valid message), to cancel, and kept as sent.</summary>
public sealed record InstructPlan(LocalDate Date, IReadOnlyList<SettlementInstruction> Sent, IReadOnlyList<SettlementInstruction> Cancelled,
    IReadOnlyList<SettlementInstruction> Kept, IReadOnlyList<string> Warnings);

/// <summary>What an instruct run did: the instructions it sent and cancelled, those already live, and what operations must resolve.</summary>
public sealed record InstructRun(IReadOnlyList<SettlementInstruction> Sent, IReadOnlyList<SettlementInstruction> Cancelled,
    IReadOnlyList<SettlementInstruction> Kept, IReadOnlyList<string> Warnings, CommandOutcome Outcome);

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
    /// Plans the instructions for obligations due on <paramref name="date"/>, writing nothing:
    /// <list type="bullet">
    /// <item>an instruction already sent whose members are still their trades' current versions is kept;</item>
    /// <item>an open instruction, of any date, with a member busted or corrected since is to be cancelled,
    /// unless part of it settled already: then it is kept, its trades are not instructed again, and a
    /// warning asks operations to resolve it (so is a cancelled instruction that had partly settled);</item>
    /// <item>every obligation whose trade no kept instruction covers is netted and instructed anew; an
    /// instruction the custodian cancelled is sent again under a new reference (<c>R2</c>, <c>R3</c>, ...).</item>
    /// </list>
    /// <paramref name="check"/> builds and validates each new instruction's message (on every core): the
    /// first that cannot be refuses the plan. The messages are not kept (a million would not fit): the
    /// caller renders them again, as checked, when it writes them out, before it records the plan.
    /// </summary>
    public async Task<Result<InstructPlan>> PlanInstructionsAsync(LocalDate date, Func<SettlementInstruction, Rejection?> check, CancellationToken cancellationToken)
    {
        var reader = new SettlementService(store);
        List<SettlementObligation> due = await reader.ObligationsDueAsync(date, cancellationToken);
        var current = due.Select(o => (o.TradeId, o.Version)).ToHashSet();
        IReadOnlyList<SettlementInstruction> existing = await store.ListInstructionsAsync(new InstructionQuery(SettlementDate: date), cancellationToken);
        var kept = new List<SettlementInstruction>();
        var stale = new List<SettlementInstruction>();
        var warnings = new List<string>();
        var covered = new HashSet<long>();
        void Keep(SettlementInstruction instruction)
        {
            kept.Add(instruction);
            covered.UnionWith(instruction.Members.Select(m => m.TradeId));
        }
        void Stale(SettlementInstruction instruction)
        {
            if (instruction.SettledQuantity > 0m)
            {
                Keep(instruction);
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{instruction.TransactionId}: settlement.stale-partial: {instruction.SettledQuantity} of {instruction.Quantity} settled before a member trade was busted or corrected; its trades are not instructed again until operations resolve it"));
            }
            else
            {
                stale.Add(instruction);
            }
        }
        foreach (SettlementInstruction instruction in existing)
        {
            if (instruction.Status == InstructionStatus.Cancelled)
            {
                if (instruction.SettledQuantity > 0m)
                {
                    covered.UnionWith(instruction.Members.Select(m => m.TradeId));
                    warnings.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{instruction.TransactionId}: settlement.cancelled-partial: cancelled after {instruction.SettledQuantity} of {instruction.Quantity} settled; the rest is not instructed again until operations resolve it"));
                }
            }
            else if (instruction.Members.All(m => current.Contains((m.TradeId, m.Version))) || instruction.Status == InstructionStatus.Settled)
            {
                Keep(instruction);
            }
            else
            {
                Stale(instruction);
            }
        }
        // Open instructions of other dates whose trades changed since (a bust, or a correction that moved the date).
        foreach (SettlementInstruction instruction in await store.ListStaleInstructionsAsync(cancellationToken))
        {
            if (instruction.SettlementDate != date)
            {
                Stale(instruction);
            }
        }
        IReadOnlyList<NetSettlement> nets = await reader.NetAsync([.. due.Where(o => !covered.Contains(o.TradeId))], cancellationToken);
        var taken = existing.Select(i => i.TransactionId).ToHashSet(StringComparer.Ordinal);
        var fresh = new List<SettlementInstruction>();
        foreach (NetSettlement net in nets)
        {
            Result<IReadOnlyList<SettlementInstruction>> built = SettlementBooking.Instruct(net);
            if (built.Rejection is { } refused)
            {
                return refused;
            }
            foreach (SettlementInstruction instruction in built.Value)
            {
                // The same obligations instructed again after a cancellation: a new reference, so the custodian sees a new instruction.
                SettlementInstruction unique = instruction;
                for (int attempt = 2; taken.Contains(unique.TransactionId); attempt++)
                {
                    unique = SettlementBooking.Reissued(instruction, attempt);
                }
                taken.Add(unique.TransactionId);
                fresh.Add(unique);
            }
        }
        if (SettlementService.Check(fresh, check) is { } invalid)
        {
            return invalid;
        }
        return new InstructPlan(date, [.. fresh.Select(i => i with { Status = InstructionStatus.Sent })], stale, kept, warnings);
    }

    /// <summary>
    /// Records a plan in one audited command: its new instructions as sent on <paramref name="sentOn"/>
    /// (<c>new</c> to <c>sent</c>) and its stale instructions as cancelled. Recording the same plan again changes nothing.
    /// </summary>
    public async Task<Result<InstructRun>> RecordInstructionsAsync(InstructPlan plan, string actor, LocalDate sentOn, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, SentMessage>? messages = null)
    {
        (LocalDate date, IReadOnlyList<SettlementInstruction> fresh, IReadOnlyList<SettlementInstruction> stale, IReadOnlyList<SettlementInstruction> kept, _) = plan;
        var events = new List<InstructionEvent>(fresh.Count + stale.Count);
        foreach (SettlementInstruction i in fresh)
        {
            // The message sent is kept as its SHA-256 (the event's message id) and the account it was rendered for:
            // the books and records render it again and prove it is the same bytes.
            SentMessage? sent = messages?.GetValueOrDefault(i.TransactionId);
            events.Add(new InstructionEvent(i.TransactionId, InstructionStatus.New, InstructionStatus.Sent, sentOn, "instruct", sent?.Digest.ToString(), null,
                sent is null ? "sese.023 sent" : SentMessage.Note + sent.SafekeepingAccount, 0m, 0m));
        }
        foreach (SettlementInstruction i in stale)
        {
            events.Add(new InstructionEvent(i.TransactionId, i.Status, InstructionStatus.Cancelled, sentOn, "correction", null, null,
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
                    Settlement = new SettlementRecords(fresh, events, []),
                }),
                dryRun: false, cancellationToken);
        if (outcome.Rejection is { } rejected)
        {
            return rejected;
        }
        return new InstructRun(fresh, stale, kept, plan.Warnings, outcome);
    }

    /// <summary>Plans and records in one go (<see cref="PlanInstructionsAsync"/>, <see cref="RecordInstructionsAsync"/>), for callers that write no files.</summary>
    /// <param name="send">The message each instruction sends, as it is sent (its digest is kept); null keeps none.</param>
    public async Task<Result<InstructRun>> InstructAsync(LocalDate date, string actor, LocalDate sentOn, Func<SettlementInstruction, Rejection?> check,
        CancellationToken cancellationToken, Func<SettlementInstruction, SentMessage>? send = null)
    {
        Result<InstructPlan> plan = await PlanInstructionsAsync(date, check, cancellationToken);
        if (plan.Rejection is { } refused)
        {
            return refused;
        }
        Dictionary<string, SentMessage>? sent = null;
        if (send is not null)
        {
            // A busy day's messages are rendered and hashed on every core.
            IReadOnlyList<SettlementInstruction> fresh = plan.Value.Sent;
            var messages = new SentMessage[fresh.Count];
            Parallel.For(0, fresh.Count, k => messages[k] = send(fresh[k]));
            sent = new Dictionary<string, SentMessage>(fresh.Count, StringComparer.Ordinal);
            for (int k = 0; k < fresh.Count; k++)
            {
                sent[fresh[k].TransactionId] = messages[k];
            }
        }
        return await RecordInstructionsAsync(plan.Value, actor, sentOn, cancellationToken, sent);
    }

    /// <summary>
    /// Takes one sese.024 status advice about <paramref name="advice"/>'s instruction, as of business
    /// date <paramref name="on"/>: a match moves a sent instruction to matched (and records the day,
    /// for late-matching penalties); a failing status on or after the intended settlement date makes
    /// it failed; a cancellation cancels it; a pending or unmatched status records its reason. An
    /// advice for an unknown or final instruction is parked in the exceptions queue.
    /// </summary>
    public async Task<StatusOutcome> AdviseAsync(StatusAdvice advice, LocalDate on, string fileName, string rawMessage, string actor,
        CancellationToken cancellationToken)
    {
        SettlementInstruction? moved = null;
        string content = string.Create(CultureInfo.InvariantCulture,
            $"sese.024|{advice.TransactionId}|{advice.ServicerTransactionId}|{advice.Processing}|{advice.Matching}|{advice.Settlement}|{advice.ReasonCode}|{advice.ReasonText}|{on:yyyy-MM-dd}");
        string messageId = MessageId(content);
        CommandOutcome outcome = await processor.ExecuteAsync(Envelope("settlement.status", actor, messageId, content), async (unitOfWork, ct) =>
        {
            SettlementInstruction? instruction = await FindAsync(unitOfWork, advice.TransactionId, ct);
            Result<InstructionEvent> decided = instruction is null
                ? new Rejection("settlement.unknown-instruction", $"status advice for {advice.TransactionId}, which is not an instruction of ours")
                : Advise(instruction, advice, on, messageId);
            if (decided.Rejection is { } refused)
            {
                return refused.At(fileName);
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
                Records = Received(fileName, rawMessage),
            };
        }, dryRun: false, cancellationToken);
        return await ParkIfUnfitAsync(outcome, moved, "sese.024", advice.TransactionId, messageId, rawMessage, actor, cancellationToken);
    }

    // The message that moved an instruction, kept exactly as received for the books and records.
    private RecordsChanges Received(string fileName, string rawMessage)
    {
        byte[] content = Encoding.UTF8.GetBytes(rawMessage);
        return new RecordsChanges
        {
            InboundFiles = [new InboundFile("settlement-message", fileName, "xml", Sha256Hash.Of(content), content, processor.Clock.GetCurrentInstant())],
        };
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
            note = "rejected by the custodian: it will not settle as sent; repair it with the custodian, or have it cancelled (the next instruct sends it again under a new reference)";
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
    public async Task<StatusOutcome> ConfirmAsync(SettlementConfirmation confirmation, string fileName, string rawMessage, string actor,
        CancellationToken cancellationToken)
    {
        SettlementInstruction? moved = null;
        SettlementConfirmation c = confirmation;
        string content = string.Create(CultureInfo.InvariantCulture,
            $"sese.025|{c.TransactionId}|{c.ServicerTransactionId}|{c.Delivery}|{c.AgainstPayment}|{c.Isin}|{c.SettledQuantity}|{c.FaceAmount}|{c.SettledAmount}|{c.Currency}|{c.Credit}|{c.SettledOn:yyyy-MM-dd}|{c.Partial}|{c.RemainingQuantity}");
        string messageId = MessageId(content);
        CommandOutcome outcome = await processor.ExecuteAsync(Envelope("settlement.confirmation", actor, messageId, content), async (unitOfWork, ct) =>
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
                return refused.At(fileName);
            }
            SettlementInstruction settled = after.Value;
            LocalDate effective = unitOfWork.Head.ClosedThrough is { } closed && confirmation.SettledOn <= closed ? closed.PlusDays(1) : confirmation.SettledOn;
            JournalEntryRequest entry = SettlementBooking.Confirmation(instruction!, settled, effective, messageId, _policy);
            Result<IReadOnlyList<JournalEntryDraft>> draft = await EntryDrafts.DecideAsync(unitOfWork, [entry], ct);
            if (draft.Rejection is { } unbookable)
            {
                return unbookable.At($"{fileName}, instruction {confirmation.TransactionId}");
            }
            moved = settled;
            var e = new InstructionEvent(settled.TransactionId, instruction!.Status, settled.Status, confirmation.SettledOn, "sese.025", messageId, null,
                string.Create(CultureInfo.InvariantCulture, $"settled {confirmation.SettledQuantity}{(confirmation.SettledAmount is { } a ? $" against {a} {confirmation.Currency}" : "")}"),
                settled.SettledQuantity, settled.SettledAmount);
            return new CommandEffects(draft.Value, null, string.Create(CultureInfo.InvariantCulture,
                $"{settled.TransactionId}: {InstructionLifecycle.Name(e.From)} -> {InstructionLifecycle.Name(e.To)}, {settled.SettledQuantity} of {settled.Quantity} settled"))
            {
                Settlement = new SettlementRecords([], [e], []),
                Records = Received(fileName, rawMessage),
            };
        }, dryRun: false, cancellationToken);
        return await ParkIfUnfitAsync(outcome, moved, "sese.025", confirmation.TransactionId, messageId, rawMessage, actor, cancellationToken);
    }

    /// <summary>
    /// A message refused by a settlement rule is kept in the exceptions queue, by a command of its own
    /// (keyed by the message, so the same message parks once): its own key stays unused, so the same
    /// message taken again once it fits (its instruction sent since) books.
    /// </summary>
    private async Task<StatusOutcome> ParkIfUnfitAsync(CommandOutcome outcome, SettlementInstruction? moved, string source, string transactionId, string messageId,
        string rawMessage, string actor, CancellationToken cancellationToken)
    {
        if (outcome.Status != CommandStatus.Rejected || outcome.Rejection is not { } why || !why.Rule.StartsWith("settlement.", StringComparison.Ordinal))
        {
            return new StatusOutcome(outcome, moved, null);
        }
        CommandOutcome parked = await processor.ExecuteAsync(
            new CommandEnvelope("settlement.parked", actor, IdempotencyKey.From($"settlement.parked/{source}/{messageId}"), Sha256Hash.Of(Encoding.UTF8.GetBytes(rawMessage)), null),
            (unitOfWork, ct) => ParkAsync(unitOfWork, source, transactionId, why, rawMessage, ct), dryRun: false, cancellationToken);
        return new StatusOutcome(parked, null, why);
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
    /// last failing reason), booked to the ledger. (Late matching accrues when the match is reported: <see cref="AdviseAsync"/>.)
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
        IReadOnlyList<PenaltyRate> penaltyRates = CsdrPenalties.WithAnnex(await store.ReadPenaltyRatesAsync(cancellationToken));
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
                    cashRateAnnual ?? CentralBankRates.RateOn(centralBankRates, i.Currency, day), minorUnits, penaltyRates);
                if (penalty.Rejection is { } refused)
                {
                    warnings.Add($"{i.TransactionId} {LocalDatePattern.Iso.Format(day)}: {refused}");
                }
                else if (penalty.Value is { Amount: > 0m } p)
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
    /// Compares the penalties the CSD reported with those accrued for instructions at the places of
    /// settlement its report covers, over the days it covers: every day on which they differ, or
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
        // A CSD reports its own instructions: ours are compared only at the places of settlement the report covers.
        var places = (await store.ListInstructionsAsync(new InstructionQuery(TransactionIds: [.. reported.Select(r => r.TransactionId).Distinct()]), cancellationToken))
            .Select(i => i.PlaceOfSettlement).ToHashSet(StringComparer.Ordinal);
        var there = (await store.ListInstructionsAsync(new InstructionQuery(TransactionIds: [.. ours.Select(p => p.TransactionId).Distinct()]), cancellationToken))
            .Where(i => places.Contains(i.PlaceOfSettlement)).Select(i => i.TransactionId).ToHashSet(StringComparer.Ordinal);
        ours = [.. ours.Where(p => there.Contains(p.TransactionId))];
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
        LocalDate? closed = unitOfWork.Head.ClosedThrough;
        return await EntryDrafts.DecideAsync(unitOfWork,
            [.. penalties.Select(p => SettlementBooking.Penalty(p, closed is { } c && p.Date <= c ? c.PlusDays(1) : p.Date, _policy))], cancellationToken);
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
        IReadOnlyList<PenaltyRate> rates = CsdrPenalties.WithAnnex(await store.ReadPenaltyRatesAsync(cancellationToken));
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
            Result<decimal> amount = CsdrPenalties.Daily(penaltyDay, minorUnits, rates);
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

    /// <summary>
    /// A message's reference: the first 16 hex digits of the SHA-256 of what it says (not of its
    /// bytes: the same confirmation sent again with another header or layout is the same message).
    /// </summary>
    public static string MessageId(string content) => Sha256Hash.Of(Encoding.UTF8.GetBytes(content)).ToString()[..16];
}

/// <summary>
/// A sese.023 instruction as sent: the SHA-256 of its bytes and the safekeeping account it was
/// rendered for, which is all the books keep of it (the message renders again from the
/// instruction, byte for byte, and the digest proves it).
/// </summary>
public sealed record SentMessage(Sha256Hash Digest, string SafekeepingAccount)
{
    /// <summary>The note of the event that records a sent message, before the account.</summary>
    public const string Note = "sese.023 sent for safekeeping account ";
}

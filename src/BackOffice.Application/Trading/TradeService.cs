using System.Globalization;
using System.Security.Cryptography;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime.Text;

namespace BackOffice.Application.Trading;

/// <summary>How a trade file is imported.</summary>
/// <param name="BatchSize">Messages per database transaction.</param>
/// <param name="DryRun">Validate the whole file and report, without booking.</param>
/// <param name="Progress">Called after each chunk is written into the import's transaction (chunks so far, messages so far); nothing is committed until the end.</param>
public sealed record TradeImportOptions(int BatchSize = TradeService.BatchSizeDefault, bool DryRun = false, Action<int, int>? Progress = null)
{
    /// <summary>
    /// The whole file as received, kept by the import's own audited command (books and records);
    /// null keeps only each message's text. Its content hash must be the import's.
    /// </summary>
    public Ports.InboundFile? Received { get; init; }
}

/// <summary>What an import or a stream submission did.</summary>
public sealed record TradeImportReport(int Messages, int Booked, int Corrected, int Busted, int Replayed, int Exceptions, Rejection? Rejection, int BatchesCommitted)
{
    /// <summary>A report of nothing booked and why.</summary>
    public static TradeImportReport Refused(Rejection rejection, int messages = 0, int batches = 0) => new(messages, 0, 0, 0, 0, 0, rejection, batches);

    /// <summary>Counts of a set of outcomes.</summary>
    public static TradeImportReport Of(IEnumerable<TradeMessageOutcome> outcomes, int batches)
    {
        int messages = 0, booked = 0, corrected = 0, busted = 0, replayed = 0, exceptions = 0;
        foreach (TradeMessageOutcome outcome in outcomes)
        {
            messages++;
            switch (outcome.Status)
            {
                case TradeMessageStatus.Booked: booked++; break;
                case TradeMessageStatus.Corrected: corrected++; break;
                case TradeMessageStatus.Busted: busted++; break;
                case TradeMessageStatus.Replayed: replayed++; break;
                case TradeMessageStatus.Allocated: booked++; break;
                default: exceptions++; break;
            }
        }
        return new TradeImportReport(messages, booked, corrected, busted, replayed, exceptions, null, batches);
    }

    /// <summary>The sum of two reports' counts (a file's batches add up).</summary>
    public TradeImportReport Add(TradeImportReport other) => new(Messages + other.Messages, Booked + other.Booked, Corrected + other.Corrected,
        Busted + other.Busted, Replayed + other.Replayed, Exceptions + other.Exceptions, Rejection ?? other.Rejection, BatchesCommitted + other.BatchesCommitted);
}

/// <summary>
/// Trade capture: turns trade messages into booked trade versions and journal entries, exactly
/// once. A file is all or nothing: it is read twice, first to validate every row (against the
/// reference data and the trades already booked), then to book in batches of one transaction
/// each; the same file again, or a row already booked, books nothing. A stream (FIX drop copy)
/// books what it can and sends each message that fails to the exceptions queue.
/// </summary>
public sealed class TradeService(IBackOfficeStore store, CommandProcessor processor, TradeBookingPolicy? bookingPolicy = null)
{
    /// <summary>Default messages per transaction.</summary>
    public const int BatchSizeDefault = 5_000;

    /// <summary>Most messages per transaction.</summary>
    public const int BatchSizeMax = 50_000;

    private const int LookupChunk = 5_000;

    private readonly TradeBookingPolicy _policy = bookingPolicy ?? TradeBookingPolicy.Default;
    private TradeReferenceData? _reference;
    private ReferenceLookup? _ledger;
    private readonly HashSet<string> _openSubLedgers = new(StringComparer.Ordinal);

    /// <summary>Drops cached reference data, so the next message sees the latest.</summary>
    public void RefreshReference()
    {
        _reference = null;
        _ledger = null;
    }

    /// <summary>
    /// Imports a trade file in one transaction: read as a stream in chunks of
    /// <see cref="TradeImportOptions.BatchSize"/>, each chunk parsed and enriched on the other core
    /// while the one before is booked; the first invalid row rolls everything back and is reported
    /// with its place. The command's key is the file's content hash and source option, so the same
    /// file again is a replay; rows are also idempotent one by one (a row booked by another file is
    /// a replay). A dry run validates the whole file against the books and writes nothing.
    /// </summary>
    /// <param name="read">Opens the file's messages (called again only to count them on a replay).</param>
    public async Task<TradeImportReport> ImportFileAsync(Func<IEnumerable<TradeMessage>> read, Sha256Hash contentHash, string? sourceOption, string actor,
        TradeImportOptions options, CancellationToken cancellationToken)
    {
        Invariant.That(options.BatchSize is > 0 and <= BatchSizeMax, "batch size must be 1 to BatchSizeMax");
        RefreshReference();
        TradeReferenceData reference = await ReferenceAsync(cancellationToken);
        if (options.DryRun)
        {
            Result<FileCheck> checkedFile = await CheckFileAsync(read(), reference, cancellationToken);
            if (checkedFile.Rejection is { } invalid)
            {
                return TradeImportReport.Refused(invalid);
            }
            FileCheck check = checkedFile.Value;
            return new TradeImportReport(check.Messages, check.New, check.Corrected, check.Busted, check.Replayed, 0, null, 0);
        }
        ReferenceLookup ledger = await LedgerAsync(cancellationToken);
        Sha256Hash payload = Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes($"{contentHash}\n{sourceOption}"));
        var command = new CommandEnvelope("trades.import", actor, IdempotencyKey.From("trades.import/" + payload), payload,
            $"file sha256 {contentHash}" + (sourceOption is null ? "" : ", source " + sourceOption));
        var counts = new TradeImportReport(0, 0, 0, 0, 0, 0, null, 0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = System.Threading.Channels.Channel.CreateBounded<(List<TradeMessage> Messages, TradePlanner.Prepared[] Prepared)>(2);
        // The ledger accounts as the writer last knew them: the producer builds entries against
        // them, and an entry naming an account opened since is rebuilt by the writer.
        ReferenceLookup known = ledger;
        // The producer reads, parses and enriches the next chunks on the thread pool while the
        // command books the current one: the write lock is held only as long as booking takes.
        Task producer = Task.Run(async () =>
        {
            try
            {
                var chunk = new List<TradeMessage>(options.BatchSize);
                foreach (TradeMessage message in read())
                {
                    chunk.Add(message);
                    if (chunk.Count == options.BatchSize)
                    {
                        await chunks.Writer.WriteAsync((chunk, TradePlanner.Prepare(chunk, reference, Volatile.Read(ref known), _policy, stop.Token)), stop.Token);
                        chunk = new List<TradeMessage>(options.BatchSize);
                    }
                }
                if (chunk.Count > 0)
                {
                    await chunks.Writer.WriteAsync((chunk, TradePlanner.Prepare(chunk, reference, Volatile.Read(ref known), _policy, stop.Token)), stop.Token);
                }
                chunks.Writer.Complete();
            }
            catch (Exception e)
            {
                chunks.Writer.Complete(e);
            }
        }, CancellationToken.None);
        CommandOutcome outcome;
        try
        {
            outcome = await processor.ExecuteStreamingAsync(command, async (unitOfWork, writer, ct) =>
            {
                var planner = new TradePlanner(unitOfWork, reference, ledger, _policy, stream: false, writer);
                int batches = 0;
                await foreach (var (messages, prepared) in chunks.Reader.ReadAllAsync(ct))
                {
                    await planner.OpenSubLedgersAsync(messages, ct);
                    Volatile.Write(ref known, planner.Ledger);
                    Result<TradeMessageOutcome[]> planned = await planner.PlanAsync(messages, ct, prepared);
                    if (planned.Rejection is { } rejection)
                    {
                        return rejection;
                    }
                    TradeImportReport chunkCounts = TradeImportReport.Of(planned.Value, 1);
                    // Fills consume the buying-power holds that waited for them, in the same transaction.
                    IReadOnlyList<JournalEntryDraft> consumed = await Holds.HoldService.ConsumeAsync(unitOfWork, messages, planned.Value, processor.Clock.GetCurrentInstant(), ct);
                    CommandEffects chunk = planner.TakeChunk("");
                    await writer.WriteAsync(consumed.Count == 0 ? chunk : chunk with { Entries = [.. chunk.Entries, .. consumed] }, ct);
                    counts = counts.Add(chunkCounts);
                    batches++;
                    options.Progress?.Invoke(batches, counts.Messages);
                }
                counts = counts with { BatchesCommitted = batches };
                if (options.Received is { } received)
                {
                    // The file itself, in the same transaction and audit record as the trades it booked.
                    Invariant.That(received.ContentHash == contentHash, "the file kept is the file imported");
                    await writer.WriteAsync(new CommandEffects([], null, "") { Records = new RecordsChanges { InboundFiles = [received] } }, ct);
                }
                return string.Create(CultureInfo.InvariantCulture,
                    $"{counts.Messages} messages: {counts.Booked} booked, {counts.Corrected} corrected, {counts.Busted} busted, {counts.Replayed} replayed");
            }, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
        _ledger = null;
        return outcome.Status switch
        {
            CommandStatus.Accepted => counts,
            // The same file was imported before: every row is a replay.
            CommandStatus.Replayed => ReplayedFile(read()),
            _ => TradeImportReport.Refused(outcome.Rejection!),
        };
    }

    private static TradeImportReport ReplayedFile(IEnumerable<TradeMessage> messages)
    {
        int count = messages.Count();
        return new TradeImportReport(count, 0, 0, 0, count, 0, null, 0);
    }

    /// <summary>
    /// Books a group of streamed messages in one transaction: each books, replays, or becomes an
    /// exception. <paramref name="key"/> makes the group itself idempotent (a FIX session's
    /// sequence numbers, for example).
    /// </summary>
    public Task<(CommandOutcome Command, TradeMessageOutcome[] Messages)> SubmitAsync(IReadOnlyList<TradeMessage> messages, string actor, IdempotencyKey key,
        CancellationToken cancellationToken) => SubmitAsync(messages, actor, key, null, cancellationToken);

    /// <summary>
    /// As <see cref="SubmitAsync(IReadOnlyList{TradeMessage}, string, IdempotencyKey, CancellationToken)"/>,
    /// and stores <paramref name="session"/> (the FIX session's sequence numbers after these
    /// messages) in the same transaction, so a restart resumes exactly after them.
    /// </summary>
    public async Task<(CommandOutcome Command, TradeMessageOutcome[] Messages)> SubmitAsync(IReadOnlyList<TradeMessage> messages, string actor, IdempotencyKey key,
        FixSessionState? session, CancellationToken cancellationToken)
    {
        TradeReferenceData reference = await ReferenceAsync(cancellationToken);
        await OpenSubLedgersAsync(Holders(messages.Select(m => m.Request), reference), actor, cancellationToken);
        ReferenceLookup ledger = await LedgerAsync(cancellationToken);
        TradeMessageOutcome[] planned = [];
        var command = new CommandEnvelope("trades.stream", actor, key, BatchHash(messages), null);
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            var planner = new TradePlanner(unitOfWork, reference, ledger, _policy, stream: true);
            Result<TradeMessageOutcome[]> result = await planner.PlanAsync(messages, ct);
            planned = result.Value;
            IReadOnlyList<JournalEntryDraft> consumed = await Holds.HoldService.ConsumeAsync(unitOfWork, messages, planned, processor.Clock.GetCurrentInstant(), ct);
            CommandEffects effects = Effects(planner, TradeImportReport.Of(planned, 1)) with { FixSession = session };
            return consumed.Count == 0 ? effects : effects with { Entries = [.. effects.Entries, .. consumed] };
        }, dryRun: false, cancellationToken);
        return (outcome, planned);
    }

    /// <summary>
    /// Books allocation instructions in one transaction (all or nothing): each reverses its block's
    /// executions and books one trade per client account at the block's average price.
    /// </summary>
    public async Task<TradeImportReport> AllocateAsync(IReadOnlyList<AllocationRequest> allocations, string actor, CancellationToken cancellationToken)
    {
        RefreshReference();
        TradeReferenceData reference = await ReferenceAsync(cancellationToken);
        var holders = new HashSet<(string Account, string Counterparty)>();
        foreach (AllocationRequest allocation in allocations)
        {
            IReadOnlyDictionary<string, BookedTradeMessage> blocks = await store.FindTradeMessagesAsync(allocation.Source, allocation.BlockTradeIds.ToArray(), cancellationToken);
            foreach (BookedTradeMessage block in blocks.Values)
            {
                IReadOnlyList<TradeVersion> versions = await store.ReadTradeAsync(block.TradeId, cancellationToken);
                foreach (AllocationLine line in allocation.Lines.Where(l => reference.ClientAccounts.ContainsKey(l.Account)))
                {
                    holders.Add((line.Account, versions[^1].Counterparty));
                }
            }
        }
        await OpenSubLedgersAsync(holders, actor, cancellationToken);
        ReferenceLookup ledger = await LedgerAsync(cancellationToken);
        TradeMessage[] messages = [.. allocations.Select(TradeMessage.Of)];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (AllocationRequest allocation in allocations)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", allocation.Source, allocation.AllocationId, string.Join(";", allocation.BlockTradeIds),
                string.Join(";", allocation.Lines.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Account}={l.Quantity}/{l.Commission}")))) + "\n"));
        }
        Sha256Hash payload = Sha256Hash.FromBytes(hash.GetHashAndReset());
        TradeMessageOutcome[] planned = [];
        CommandOutcome outcome = await processor.ExecuteAsync(new CommandEnvelope("trades.allocate", actor, IdempotencyKey.From("trades.allocate/" + payload), payload, null),
            async (unitOfWork, ct) =>
            {
                var planner = new TradePlanner(unitOfWork, reference, ledger, _policy, stream: false);
                Result<TradeMessageOutcome[]> result = await planner.PlanAsync(messages, ct);
                if (result.Rejection is { } rejection)
                {
                    return rejection;
                }
                planned = result.Value;
                return Effects(planner, TradeImportReport.Of(planned, 1));
            }, dryRun: false, cancellationToken);
        return outcome.Status switch
        {
            CommandStatus.Accepted => TradeImportReport.Of(planned, 1),
            CommandStatus.Replayed => new TradeImportReport(allocations.Count, 0, 0, 0, allocations.Count, 0, null, 1),
            _ => TradeImportReport.Refused(outcome.Rejection!),
        };
    }

    /// <summary>Books an open exception again, with <paramref name="repairs"/> (field name to new value) applied to its fields.</summary>
    public async Task<CommandOutcome> ResubmitAsync(long exceptionId, IReadOnlyDictionary<string, string> repairs, string actor, CancellationToken cancellationToken)
    {
        IReadOnlyList<TradeException> all = await store.ListExceptionsAsync(openOnly: false, cancellationToken);
        TradeException? exception = all.FirstOrDefault(e => e.Id == exceptionId);
        if (exception is null)
        {
            return Refused(new Rejection("exception.unknown", string.Create(CultureInfo.InvariantCulture, $"there is no exception {exceptionId}")));
        }
        if (exception.Source is "sese.024" or "sese.025" or "csd-penalties")
        {
            return Refused(new Rejection("exception.not-a-trade",
                string.Create(CultureInfo.InvariantCulture, $"exception {exceptionId} is a {exception.Source} message, not a trade: take the corrected message with settlement status-import (or settlement penalty-check), then discard this one")));
        }
        Result<TradeMessage> repaired = Repair(exception, repairs);
        if (repaired.Rejection is { } bad)
        {
            return Refused(bad);
        }
        TradeMessage message = repaired.Value;
        Sha256Hash payload = TradePayload.Hash(message.Request!);
        var command = new CommandEnvelope("exceptions.resubmit", actor,
            IdempotencyKey.From(string.Create(CultureInfo.InvariantCulture, $"exceptions.resubmit/{exceptionId}/{payload}")), payload, TradeJson.Serialize(message.Request!));
        return await processor.ExecuteAsync(command, PlanResubmit(exceptionId, repairs).Value.Decide, dryRun: false, cancellationToken);
    }

    /// <summary>
    /// The decision that books an open exception again with <paramref name="repairs"/>, for a
    /// command run elsewhere (an approval carries it out in its own transaction): it reads the
    /// exception, refuses one already closed, opens the sub-ledgers the trade needs and plans it
    /// as a file row is planned. The summary says what the repaired trade is.
    /// </summary>
    public Result<(string Summary, Decide Decide)> PlanResubmit(long exceptionId, IReadOnlyDictionary<string, string> repairs)
    {
        return (string.Create(CultureInfo.InvariantCulture, $"resubmit exception {exceptionId}{(repairs.Count == 0 ? " as received" : " with " + string.Join(", ", repairs.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}")))}"),
            async (unitOfWork, ct) =>
            {
                TradeException? exception = await unitOfWork.ReadExceptionAsync(exceptionId, ct);
                if (exception is null)
                {
                    return new Rejection("exception.unknown", string.Create(CultureInfo.InvariantCulture, $"there is no exception {exceptionId}"));
                }
                if (exception.Closure is { } closed)
                {
                    return new Rejection("exception.closed", string.Create(CultureInfo.InvariantCulture, $"exception {exceptionId} was already {closed.Action.ToString().ToLowerInvariant()}"));
                }
                if (exception.Source is "sese.024" or "sese.025" or "csd-penalties")
                {
                    return new Rejection("exception.not-a-trade", string.Create(CultureInfo.InvariantCulture, $"exception {exceptionId} is a {exception.Source} message, not a trade"));
                }
                Result<TradeMessage> repaired = Repair(exception, repairs);
                if (repaired.Rejection is { } bad)
                {
                    return bad;
                }
                TradeReferenceData reference = await store.ReadTradeReferenceAsync(ct);
                ReferenceLookup ledger = await store.ReadAllReferenceAsync(ct);
                var planner = new TradePlanner(unitOfWork, reference, ledger, _policy, stream: false);
                await planner.OpenSubLedgersAsync([repaired.Value], ct);
                Result<TradeMessageOutcome[]> result = await planner.PlanAsync([repaired.Value], ct);
                if (result.Rejection is { } rejection)
                {
                    return rejection;
                }
                var closure = new ExceptionClosure(exceptionId, new AuditSequence(unitOfWork.Head.Sequence.Value + 1), ExceptionAction.Resubmitted,
                    repairs.Count == 0 ? "resubmitted as received" : "repaired: " + string.Join(", ", repairs.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}")),
                    result.Value[0].TradeId);
                return Effects(planner, TradeImportReport.Of(result.Value, 1)) with { ExceptionClosures = [closure] };
            }
        );
    }

    /// <summary>Trade fields a correction after booking may change.</summary>
    public static IReadOnlyList<string> CorrectableFields { get; } =
        ["side", "instrument_id", "instrument_id_type", "market", "quantity", "price", "currency", "account", "counterparty", "trade_date", "executed_at", "settlement_date",
         "commission", "lots"];

    /// <summary>
    /// The decision that corrects (or busts) a booked trade from the back office, for a checker's
    /// approval: a new version of the trade in its own source, built from the version booked when the
    /// checker approves with <paramref name="changes"/> applied, planned as any correction is (the old
    /// version's entry reversed, the new one booked). Charges are computed again from the fee
    /// schedule unless the changes name a commission; the settlement date is kept unless the trade
    /// date changes. The new version's source trade id carries <paramref name="tag"/> (from the
    /// request's payload hash), so the same request carried out twice books once.
    /// </summary>
    public Result<(string Summary, Decide Decide)> PlanCorrection(long tradeId, bool bust, IReadOnlyDictionary<string, string> changes, string reason, string tag)
    {
        foreach (string name in changes.Keys)
        {
            if (!CorrectableFields.Contains(name))
            {
                return new Rejection("correction.field", $"'{name}' cannot be corrected; fields are {string.Join(", ", CorrectableFields)}");
            }
        }
        if (bust && changes.Count > 0)
        {
            return new Rejection("correction.shape", "a bust cancels the trade and changes no field");
        }
        if (!bust && changes.Count == 0)
        {
            return new Rejection("correction.shape", "a correction changes at least one field");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Rejection("correction.reason", "a correction after booking says why (reason)");
        }
        string what = bust ? "bust" : "correct";
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{what} trade {tradeId}{(bust ? "" : " with " + string.Join(", ", changes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")))}: {reason}");
        Decide decide = async (unitOfWork, ct) =>
        {
            TradeVersion? booked = await unitOfWork.ReadLatestTradeVersionAsync(tradeId, ct);
            if (booked is null)
            {
                return new Rejection("trade.unknown", string.Create(CultureInfo.InvariantCulture, $"there is no trade {tradeId}"));
            }
            if (booked.Status == TradeStatus.Busted)
            {
                return new Rejection("trade.busted", string.Create(CultureInfo.InvariantCulture, $"trade {tradeId} is busted; there is nothing to {what}"));
            }
            var fields = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["source"] = booked.Source,
                ["source_trade_id"] = $"{booked.SourceTradeId}~{what}-{tag}",
                ["action"] = what.ToUpperInvariant(),
                ["ref_trade_id"] = booked.SourceTradeId,
            };
            if (!bust)
            {
                fields["side"] = booked.Side.ToString().ToUpperInvariant();
                fields["instrument_id"] = booked.Isin;
                fields["instrument_id_type"] = "ISIN";
                fields["market"] = booked.Market;
                fields["quantity"] = booked.Quantity.ToString(CultureInfo.InvariantCulture);
                fields["price"] = booked.Price.ToString(CultureInfo.InvariantCulture);
                fields["currency"] = booked.Currency;
                fields["account"] = booked.Account;
                fields["counterparty"] = booked.Counterparty;
                fields["trade_date"] = LocalDatePattern.Iso.Format(booked.TradeDate);
                fields["executed_at"] = booked.ExecutedAt is { } at ? InstantPattern.ExtendedIso.Format(at) : "";
                fields["settlement_date"] = changes.ContainsKey("trade_date") ? "" : LocalDatePattern.Iso.Format(booked.SettlementDate);
                fields["lots"] = booked.LotIds is { } lots ? TradeLots.Format(lots) : "";
                foreach (var (name, value) in changes)
                {
                    fields[name] = value;
                }
            }
            string location = string.Create(CultureInfo.InvariantCulture, $"correction of trade {tradeId}");
            string raw = System.Text.Json.JsonSerializer.Serialize(fields);
            Result<TradeRequest> request = TradeFields.Read(name => fields.GetValueOrDefault(name, ""), booked.Source, location, raw);
            if (request.Rejection is { } invalid)
            {
                return invalid.At(location);
            }
            TradeMessage message = TradeMessage.Of(request.Value);
            TradeReferenceData reference = await store.ReadTradeReferenceAsync(ct);
            ReferenceLookup ledger = await store.ReadAllReferenceAsync(ct);
            var planner = new TradePlanner(unitOfWork, reference, ledger, _policy, stream: false);
            await planner.OpenSubLedgersAsync([message], ct);
            Result<TradeMessageOutcome[]> result = await planner.PlanAsync([message], ct);
            if (result.Rejection is { } rejection)
            {
                return rejection;
            }
            return Effects(planner, TradeImportReport.Of(result.Value, 1));
        };
        return (summary, decide);
    }

    /// <summary>Closes an open exception without booking it.</summary>
    public Task<CommandOutcome> DiscardAsync(long exceptionId, string note, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return Task.FromResult(Refused(new Rejection("exception.note", "a discard needs a note saying why")));
        }
        Sha256Hash payload = Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(note));
        var command = new CommandEnvelope("exceptions.discard", actor,
            IdempotencyKey.From(string.Create(CultureInfo.InvariantCulture, $"exceptions.discard/{exceptionId}")), payload, note);
        return processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            TradeException? current = await unitOfWork.ReadExceptionAsync(exceptionId, ct);
            if (current is null)
            {
                return new Rejection("exception.unknown", string.Create(CultureInfo.InvariantCulture, $"there is no exception {exceptionId}"));
            }
            if (current.Closure is { } closed)
            {
                return new Rejection("exception.closed", string.Create(CultureInfo.InvariantCulture, $"exception {exceptionId} was already {closed.Action.ToString().ToLowerInvariant()}"));
            }
            var closure = new ExceptionClosure(exceptionId, new AuditSequence(unitOfWork.Head.Sequence.Value + 1), ExceptionAction.Discarded, note, null);
            return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"discarded exception {exceptionId}")) { ExceptionClosures = [closure] };
        }, dryRun: false, cancellationToken);
    }

    private static Result<TradeMessage> Repair(TradeException exception, IReadOnlyDictionary<string, string> repairs)
    {
        foreach (string name in repairs.Keys)
        {
            if (!TradeFields.All.Contains(name))
            {
                return new Rejection("exception.field", $"'{name}' is not a trade field; fields are {string.Join(", ", TradeFields.All)}");
            }
        }
        Dictionary<string, string> fields;
        if (exception.Request is { } json)
        {
            Result<Dictionary<string, string>> parsed = TradeJson.Fields(json);
            if (parsed.Rejection is { } rejection)
            {
                return rejection;
            }
            fields = parsed.Value;
        }
        else
        {
            // The message could not be read at all: operations rebuild it field by field.
            fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["source"] = exception.Source, ["source_trade_id"] = exception.SourceTradeId ?? "" };
        }
        foreach (var (name, value) in repairs)
        {
            fields[name] = value;
        }
        string location = string.Create(CultureInfo.InvariantCulture, $"exception {exception.Id}");
        Result<TradeRequest> request = TradeFields.Read(name => fields.GetValueOrDefault(name, ""), exception.Source, location, exception.RawMessage);
        return request.Rejection is { } invalid ? invalid.At(location) : TradeMessage.Of(request.Value);
    }

    private static CommandEffects Effects(TradePlanner planner, TradeImportReport counts) =>
        new(planner.Entries, null, string.Create(CultureInfo.InvariantCulture,
            $"{counts.Messages} messages: {counts.Booked} booked, {counts.Corrected} corrected, {counts.Busted} busted, {counts.Replayed} replayed, {counts.Exceptions} exceptions"))
        {
            TradeVersions = planner.Versions,
            TradeExceptions = planner.Exceptions,
        };

    private static Sha256Hash BatchHash(IReadOnlyList<TradeMessage> messages)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (TradeMessage message in messages)
        {
            if (message.Request is { } request)
            {
                hash.AppendData(TradePayload.Hash(request).Bytes);
            }
            else
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(message.RawMessage));
            }
        }
        return Sha256Hash.FromBytes(hash.GetHashAndReset());
    }

    private sealed record FileCheck(int Messages, int New, int Corrected, int Busted, int Replayed, HashSet<(string Account, string Counterparty)> Holders);

    /// <summary>Pass one: every row valid, no id reused with other details, every bust and correction naming a booked trade.</summary>
    private async Task<Result<FileCheck>> CheckFileAsync(IEnumerable<TradeMessage> messages, TradeReferenceData reference, CancellationToken cancellationToken)
    {
        var state = new CheckState();
        var chunk = new List<TradeMessage>(LookupChunk);
        foreach (TradeMessage message in messages)
        {
            chunk.Add(message);
            if (chunk.Count == LookupChunk)
            {
                if (await CheckChunkAsync(chunk, reference, state, cancellationToken) is { } rejection)
                {
                    return rejection;
                }
                chunk.Clear();
            }
        }
        if (await CheckChunkAsync(chunk, reference, state, cancellationToken) is { } last)
        {
            return last;
        }
        return new FileCheck(state.Count, state.New, state.Corrected, state.Busted, state.Replayed, state.Holders);
    }

    private sealed class CheckState
    {
        /// <summary>
        /// Every message of the file so far, by a 128-bit digest of its source and id, with a
        /// 128-bit digest of its payload: plain numbers, so a million rows cost one array the
        /// collector never has to trace, not a million strings and hashes kept alive.
        /// </summary>
        public Dictionary<UInt128, UInt128> Seen { get; } = [];
        public HashSet<(string, string)> Holders { get; } = [];
        public int Count { get; set; }
        public int New { get; set; }
        public int Corrected { get; set; }
        public int Busted { get; set; }
        public int Replayed { get; set; }
    }

    private async Task<Rejection?> CheckChunkAsync(List<TradeMessage> chunk, TradeReferenceData reference, CheckState state, CancellationToken cancellationToken)
    {
        // The rules are pure: a chunk is decided on every core, then checked in file order so the
        // first error reported is the first in the file.
        var hashes = new Sha256Hash[chunk.Count];
        var enriched = new Result<EnrichedTrade>[chunk.Count];
        Parallel.For(0, chunk.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            if (chunk[i].Request is { } r && TradeRules.CheckIdentity(r) is null)
            {
                hashes[i] = TradePayload.Hash(r);
                if (r.Action != TradeAction.Bust)
                {
                    enriched[i] = TradeRules.Enrich(r, reference);
                }
            }
        });
        var pending = new List<(TradeRequest Request, Sha256Hash Hash, bool RefInFile)>(chunk.Count);
        for (int i = 0; i < chunk.Count; i++)
        {
            TradeMessage message = chunk[i];
            state.Count++;
            if (message.ReadFailure is { } unreadable)
            {
                return unreadable.At(message.Location);
            }
            TradeRequest request = message.Request!;
            if (TradeRules.CheckIdentity(request) is { } identity)
            {
                return identity.At(message.Location);
            }
            Sha256Hash hash = hashes[i];
            UInt128 payload = Digest128(hash.Bytes);
            if (state.Seen.TryGetValue(IdDigest(request.Source, request.SourceTradeId), out UInt128 first))
            {
                if (first != payload)
                {
                    return new Rejection("trade.duplicate-id", $"{request.Source} trade id '{request.SourceTradeId}' appears earlier in the file with other details", message.Location);
                }
                state.Replayed++;
                continue;
            }
            state.Seen[IdDigest(request.Source, request.SourceTradeId)] = payload;
            if (request.Action != TradeAction.Bust)
            {
                if (enriched[i].Rejection is { } invalid)
                {
                    return invalid.At(message.Location);
                }
                state.Holders.Add((enriched[i].Value.Account.Code, enriched[i].Value.Counterparty.Lei));
            }
            switch (request.Action)
            {
                case TradeAction.New: state.New++; break;
                case TradeAction.Correct: state.Corrected++; break;
                default: state.Busted++; break;
            }
            pending.Add((request, hash, request.RefTradeId is { } refId && state.Seen.ContainsKey(IdDigest(request.Source, refId))));
        }
        return await CheckBookedAsync(pending, cancellationToken);
    }

    private static UInt128 Digest128(ReadOnlySpan<byte> bytes) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes), System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));

    /// <summary>The first 128 bits of SHA-256 over source, a separator no id may contain, and id.</summary>
    private static UInt128 IdDigest(string source, string id)
    {
        Span<byte> text = stackalloc byte[2 * (TradeRules.IdLengthMax + 1) * 4];
        int length = System.Text.Encoding.UTF8.GetBytes(source, text);
        text[length++] = (byte)' ';
        length += System.Text.Encoding.UTF8.GetBytes(id, text[length..]);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(text[..length], digest);
        return Digest128(digest);
    }

    private async Task<Rejection?> CheckBookedAsync(List<(TradeRequest Request, Sha256Hash Hash, bool RefInFile)> rows, CancellationToken cancellationToken)
    {
        foreach (var source in rows.GroupBy(r => r.Request.Source, StringComparer.Ordinal))
        {
            string[] ids = source.Select(r => r.Request.SourceTradeId).Concat(source.Where(r => r.Request.RefTradeId is not null && !r.RefInFile).Select(r => r.Request.RefTradeId!))
                .Distinct(StringComparer.Ordinal).ToArray();
            IReadOnlyDictionary<string, BookedTradeMessage> booked = await store.FindTradeMessagesAsync(source.Key, ids, cancellationToken);
            foreach (var (request, hash, refInFile) in source)
            {
                if (booked.TryGetValue(request.SourceTradeId, out BookedTradeMessage earlier) && earlier.PayloadHash != hash)
                {
                    return new Rejection("trade.duplicate-id",
                        $"{request.Source} trade id '{request.SourceTradeId}' was booked as trade {earlier.TradeId} with other details; send a correction instead", request.Location);
                }
                if (request.RefTradeId is { } refId && !refInFile && !booked.ContainsKey(refId))
                {
                    return new Rejection("trade.ref-unknown", $"{request.Source} trade id '{refId}' (the trade to {(request.Action == TradeAction.Bust ? "bust" : "correct")}) is not booked",
                        request.Location);
                }
            }
        }
        return null;
    }

    private static HashSet<(string Account, string Counterparty)> Holders(IEnumerable<TradeRequest?> requests, TradeReferenceData reference)
    {
        var holders = new HashSet<(string, string)>();
        foreach (TradeRequest? request in requests)
        {
            if (request is not null && reference.ClientAccounts.ContainsKey(request.Account) && reference.Parties.ContainsKey(request.Counterparty))
            {
                holders.Add((request.Account, request.Counterparty));
            }
        }
        return holders;
    }

    /// <summary>Opens the client and counterparty sub-ledger accounts trades will book to, in one audited command.</summary>
    private async Task OpenSubLedgersAsync(HashSet<(string Account, string Counterparty)> holders, string actor, CancellationToken cancellationToken)
    {
        var wanted = new SortedDictionary<string, (string Control, string Name)>(StringComparer.Ordinal);
        foreach (var (account, counterparty) in holders)
        {
            foreach (var (code, control, name) in _policy.SubLedgers(account, counterparty))
            {
                if (!_openSubLedgers.Contains(code))
                {
                    wanted[code] = (control, name);
                }
            }
        }
        if (wanted.Count == 0)
        {
            return;
        }
        ReferenceLookup existing = await store.ResolveAsync([.. wanted.Keys, .. wanted.Values.Select(w => w.Control)], [], cancellationToken);
        var missing = new List<LedgerAccountDefinition>();
        foreach (var (code, (control, name)) in wanted)
        {
            if (existing.LedgerAccounts.ContainsKey(code))
            {
                _openSubLedgers.Add(code);
            }
            else if (existing.LedgerAccounts.TryGetValue(control, out LedgerAccount? parent))
            {
                missing.Add(new LedgerAccountDefinition(code, name, parent.Type, control, true));
            }
            // A missing control account is left for the booking to report, naming the account.
        }
        if (missing.Count == 0)
        {
            return;
        }
        var changes = new ReferenceChanges { LedgerAccounts = missing };
        Sha256Hash payload = Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", missing.Select(m => m.Code))));
        var command = new CommandEnvelope("ledger-accounts.open-sub-ledgers", actor, IdempotencyKey.From("ledger-accounts.open/" + payload), payload,
            string.Join(",", missing.Select(m => m.Code)));
        CommandOutcome outcome = await processor.ExecuteAsync(command, (_, _) =>
            Task.FromResult<Result<CommandEffects>>(new CommandEffects([], changes,
                string.Create(CultureInfo.InvariantCulture, $"opened {missing.Count} sub-ledger accounts"))), dryRun: false, cancellationToken);
        Invariant.That(outcome.Succeeded, "opening sub-ledger accounts cannot be refused");
        foreach (LedgerAccountDefinition opened in missing)
        {
            _openSubLedgers.Add(opened.Code);
        }
        _ledger = null;
    }

    private async Task<TradeReferenceData> ReferenceAsync(CancellationToken cancellationToken) =>
        _reference ??= await store.ReadTradeReferenceAsync(cancellationToken);

    private async Task<ReferenceLookup> LedgerAsync(CancellationToken cancellationToken) =>
        _ledger ??= await store.ReadAllReferenceAsync(cancellationToken);

    private static CommandOutcome Refused(Rejection rejection) => new(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
}

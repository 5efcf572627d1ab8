using System.Globalization;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Compliance;

/// <summary>Writes the records of a report file as auth.016 XML, validated against the schema (supplied by the intake layer).</summary>
public delegate Result<string> ReportWriter(IReadOnlyList<ReportRecord> records, string executingEntity, string submittingEntity);

/// <summary>Reads a feedback file (auth.031), validated against the schema (supplied by the intake layer).</summary>
public delegate Result<IReadOnlyList<FileFeedback>> FeedbackReader(string fileName, string xml);

/// <summary>
/// What a reporting run did: the command's outcome, the file it wrote (or the file already
/// written for the date when nothing new was due), the records sent, and the trades it could
/// not report.
/// </summary>
public sealed record ReportRun(CommandOutcome Outcome, ReportFile? File, IReadOnlyList<ReportRecord> Records, IReadOnlyList<ReportingException> Exceptions);

/// <summary>What a feedback file did: the command's outcome and each record's new status.</summary>
public sealed record FeedbackImport(CommandOutcome Outcome, IReadOnlyList<(StoredReportRecord Record, ReportStatus Status, string Reason)> Changes);

/// <summary>
/// MiFIR transaction reporting (Art. 26, RTS 22): a run for a business date plans what is due
/// (<see cref="ReportPlanner"/>) over every trade up to that date, writes it as one auth.016
/// file kept byte for byte, and records each record as sent; the regulator's feedback (auth.031)
/// then marks each record accepted, pending or rejected with its reason, and a rejected record
/// is sent again by the next run. Every write is one audited command: a run keyed by its file's
/// content, a feedback file by its bytes.
/// </summary>
public sealed class TransactionReportingService(IBackOfficeStore store, CommandProcessor processor, ReportWriter writer, FeedbackReader reader)
{
    /// <summary>The name a report file is kept and sent under: MIFIR_, the business date, _ and the file's number.</summary>
    public static string FileName(LocalDate date, long fileId) =>
        string.Create(CultureInfo.InvariantCulture, $"MIFIR_{date:yyyyMMdd}_{fileId:D6}");

    /// <summary>
    /// Reports what is due as of <paramref name="date"/>: new reports, cancellations and corrections
    /// for every trade from the firm's first reporting date through <paramref name="date"/>. When
    /// nothing is due, the outcome is a replay carrying the last file of the date (if any).
    /// </summary>
    public async Task<ReportRun> ReportAsync(LocalDate date, string actor, CancellationToken cancellationToken)
    {
        (MifirFirm? firm, IReadOnlyList<MifirClient> clients) = await store.ReadMifirSettingsAsync(cancellationToken);
        if (firm is null)
        {
            return new ReportRun(Refused(new Rejection("mifir.settings",
                "the firm's MiFIR settings are not loaded; load them with refdata import --kind mifir-firm")), null, [], []);
        }
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        (IReadOnlyList<TradeVersion> trades, IReadOnlyList<StoredReportRecord> sent) = await store.ReadTradesToReportAsync(firm.ReportingFrom, date, cancellationToken);
        IReadOnlyDictionary<long, StandingReport> standing = ReportPlanner.Standing(sent.Select(s => s.Sent));
        var context = new ReportingContext(firm, clients.ToDictionary(c => c.Account, StringComparer.Ordinal), reference.ClientAccounts, reference.Instruments,
            reference.Markets);
        IReadOnlyDictionary<long, ShortSelling> shortFlags = await ShortFlagsAsync(trades, date, cancellationToken);
        ReportPlan plan = ReportPlanner.Plan(trades, standing, context, shortFlags);
        if (plan.Records.Count == 0)
        {
            IReadOnlyList<ReportFile> files = await store.ListReportFilesAsync(date, cancellationToken);
            ReportFile? last = files.Count == 0 ? null : files[^1];
            string result = last is null
                ? string.Create(CultureInfo.InvariantCulture, $"nothing to report through {date:yyyy-MM-dd}")
                : string.Create(CultureInfo.InvariantCulture, $"nothing new to report through {date:yyyy-MM-dd}; the last file of the date is {last.Name}");
            return new ReportRun(new CommandOutcome(CommandStatus.Replayed, result, null, null, []), last, [], plan.Exceptions);
        }
        Result<string> xml = writer(plan.Records, firm.ExecutingEntityLei, firm.SubmittingEntityLei);
        if (xml.Rejection is { } invalid)
        {
            return new ReportRun(Refused(invalid), null, [], plan.Exceptions);
        }
        byte[] content = Encoding.UTF8.GetBytes(xml.Value);
        Sha256Hash hash = Sha256Hash.Of(content);
        var command = new CommandEnvelope("mifir.report", actor, IdempotencyKey.From("mifir/report/" + hash), hash, null);
        ReportFile? written = null;
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            (long lastFile, long lastRecord, _) = await unitOfWork.ReadLastReportingIdsAsync(ct);
            long fileId = lastFile + 1;
            written = new ReportFile(fileId, FileName(date, fileId), date, hash, content, plan.Records.Count, processor.Clock.GetCurrentInstant());
            var records = plan.Records.Select((r, i) => new StoredReportRecord(lastRecord + 1 + i, fileId, r.TransactionId, r.Action, r.TradeId, r.Version,
                ReportStatus.Sent, "")).ToList();
            int cancels = plan.Records.Count(r => r.Action == ReportAction.Cancel);
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"wrote {written.Name} for {date:yyyy-MM-dd}: {plan.Records.Count - cancels} new, {cancels} cancelled");
            if (plan.Exceptions.Count > 0)
            {
                summary += string.Create(CultureInfo.InvariantCulture, $"; {plan.Exceptions.Count} trades not reportable (see the exceptions)");
            }
            return new CommandEffects([], null, summary)
            {
                TransactionReporting = new TransactionReportingRecords { File = written, Records = records },
            };
        }, dryRun: false, cancellationToken);
        if (outcome.Status == CommandStatus.Replayed)
        {
            written = (await store.ListReportFilesAsync(null, cancellationToken)).LastOrDefault(f => f.ContentHash == hash);
        }
        return new ReportRun(outcome, outcome.Succeeded ? written : null, outcome.Succeeded ? plan.Records : [], plan.Exceptions);
    }

    // The short-selling indicator of each active sale among the trades to report, from the trade-date positions before it.
    private async Task<IReadOnlyDictionary<long, ShortSelling>> ShortFlagsAsync(IReadOnlyList<TradeVersion> trades, LocalDate date, CancellationToken cancellationToken)
    {
        var sales = trades.Where(t => t.Status == TradeStatus.Active && t.Side == TradeSide.Sell).ToList();
        if (sales.Count == 0)
        {
            return new Dictionary<long, ShortSelling>();
        }
        var holdings = sales.Select(s => (s.Account, s.Isin)).ToHashSet();
        var history = new List<TradeVersion>();
        await foreach (TradeVersion t in store.ReadActiveTradesInExecutionOrderAsync(date, cancellationToken))
        {
            if (holdings.Contains((t.Account, t.Isin)))
            {
                history.Add(t);
            }
        }
        return ShortSales.Flags(history, sales.Select(s => s.TradeId).ToHashSet());
    }

    /// <summary>
    /// Reads a feedback file and records what it says of each record: a record it names takes the
    /// status it gives (with the rules it failed); a record of the file it does not name takes what
    /// the file's status says of such records. The whole file is refused, and nothing recorded,
    /// when it names a file or a record we did not send. The same bytes again are a replay.
    /// </summary>
    public async Task<FeedbackImport> ImportFeedbackAsync(string fileName, byte[] content, string actor, CancellationToken cancellationToken)
    {
        Sha256Hash hash = Sha256Hash.Of(content);
        var command = new CommandEnvelope("mifir.feedback", actor, IdempotencyKey.From("mifir/feedback/" + hash), hash, null);
        AuditRecord? earlier = await store.FindCommandAsync(command.Key, cancellationToken);
        if (earlier is not null)
        {
            return new FeedbackImport(new CommandOutcome(CommandStatus.Replayed, earlier.Result, null, earlier.Sequence, []), []);
        }
        Result<IReadOnlyList<FileFeedback>> read = reader(fileName, Encoding.UTF8.GetString(content));
        if (read.Rejection is { } unreadable)
        {
            return new FeedbackImport(Refused(unreadable), []);
        }
        var changes = new List<(StoredReportRecord Record, ReportStatus Status, string Reason)>();
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            changes.Clear();
            foreach (FileFeedback advice in read.Value)
            {
                IReadOnlyList<StoredReportRecord> records = [];
                if (advice.FileName is { } answered)
                {
                    records = await unitOfWork.ListReportRecordsAsync(new ReportRecordQuery(FileName: answered, Limit: int.MaxValue), ct);
                    if (records.Count == 0)
                    {
                        return new Rejection("mifir.unknown-file", $"the feedback answers file '{answered}', which was not sent", fileName);
                    }
                }
                var named = new HashSet<long>();
                foreach (RecordFeedback record in advice.Records)
                {
                    StoredReportRecord? target = records.Count > 0
                        ? records.FirstOrDefault(r => r.TransactionId == record.TransactionId)
                        : (await unitOfWork.ListReportRecordsAsync(new ReportRecordQuery(TransactionId: record.TransactionId, Limit: 1), ct)) is [var latest, ..] ? latest : null;
                    if (target is null)
                    {
                        return new Rejection("mifir.unknown-record",
                            $"the feedback names transaction reference '{record.TransactionId}', which {(advice.FileName is null ? "was never sent" : "is not in " + advice.FileName)}",
                            fileName);
                    }
                    named.Add(target.Id);
                    changes.Add((target, record.Status, record.Reason));
                }
                if (advice.FileStatus is { } fileStatus)
                {
                    changes.AddRange(records.Where(r => !named.Contains(r.Id)).Select(r => (r, fileStatus, fileStatus == ReportStatus.Rejected ? advice.FileReason : "")));
                }
            }
            changes.RemoveAll(c => c.Record.Status == c.Status && c.Record.Reason == c.Reason);
            (_, _, long lastFeedback) = await unitOfWork.ReadLastReportingIdsAsync(ct);
            var feedback = new FeedbackFile(lastFeedback + 1, fileName, hash, content, processor.Clock.GetCurrentInstant());
            string summary = string.Create(CultureInfo.InvariantCulture, $"feedback {fileName}: ") + (changes.Count == 0
                ? "no record changed"
                : string.Join(", ", changes.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture,
                    $"{g.Count()} {Name(g.Key)}"))));
            return new CommandEffects([], null, summary)
            {
                TransactionReporting = new TransactionReportingRecords
                {
                    Feedback = feedback,
                    Statuses = changes.Select(c => new RecordStatusChange(c.Record.Id, c.Status, c.Reason)).ToList(),
                },
            };
        }, dryRun: false, cancellationToken);
        return new FeedbackImport(outcome, outcome.Status == CommandStatus.Accepted ? changes : []);
    }

    /// <summary>A status as the CLI and files write it.</summary>
    public static string Name(ReportStatus status) => status switch
    {
        ReportStatus.Sent => "sent",
        ReportStatus.Received => "received",
        ReportStatus.Pending => "pending",
        ReportStatus.Accepted => "accepted",
        _ => "rejected",
    };

    private static CommandOutcome Refused(Rejection rejection) => new(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
}

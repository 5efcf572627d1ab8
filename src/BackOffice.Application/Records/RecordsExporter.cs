using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Audit;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Records;
using NodaTime;

namespace BackOffice.Application.Records;

/// <summary>
/// Writes the books and records of a date range as a self-describing bundle
/// (docs/reference/records.md): the journal, the run of audit records that wrote it with the hash
/// each links to, every message as it was received or sent, the trial balance as of the last day,
/// a README and a manifest of every file's size and SHA-256, sealed by the manifest's own SHA-256.
/// The database's chain is verified first: a broken chain is never exported as if it were whole.
/// </summary>
public sealed class RecordsExporter(IBackOfficeStore store, IClock clock, Func<Domain.Settlement.SettlementInstruction, string, byte[]>? renderInstruction = null,
    ClientDocumentSource? clientDocuments = null)
{
    private static readonly byte[] s_newline = [(byte)'\n'];

    /// <summary>Exports <paramref name="from"/> through <paramref name="to"/> into <paramref name="output"/> (which should be empty).</summary>
    public async Task<Result<BundleManifest>> ExportAsync(LocalDate from, LocalDate to, IBundleFiles output, CancellationToken cancellationToken)
    {
        if (to < from)
        {
            return new Rejection("records.range-reversed", $"--to {RecordsBundle.Iso(to)} is before --from {RecordsBundle.Iso(from)}", "--to");
        }
        AuditVerification verified = await new AuditVerifier(store).VerifyAsync(null, cancellationToken);
        if (verified.Problem is { } broken)
        {
            return new Rejection("records.chain-broken", "the audit trail does not verify, so no bundle is written: " + broken);
        }
        Instant exportedAt = clock.GetCurrentInstant();
        ChainHead head = await store.ReadHeadAsync(cancellationToken);
        RecordsRange range = await store.ReadRecordsRangeAsync(from, to, cancellationToken);
        Sha256Hash previous = range.FirstSequence.Value <= 1
            ? Sha256Hash.Zero
            : (await store.ReadAuditRecordAsync(new AuditSequence(range.FirstSequence.Value - 1), cancellationToken))!.Hash;
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        var files = new List<BundleFile>();

        // The audit records of the run.
        long recordCount = 0;
        Sha256Hash headHash = previous;
        await WriteLinesAsync(output, RecordsBundle.AuditPath, async write =>
        {
            await foreach (AuditRecord record in store.ReadAuditRecordsAsync(range.FirstSequence, range.LastSequence, cancellationToken))
            {
                await write(w => RecordsLines.WriteRecord(w, record));
                recordCount++;
                headHash = record.Hash;
            }
        }, cancellationToken);
        files.Add(await DescribeAsync(output, RecordsBundle.AuditPath, "audit", cancellationToken));

        // The entries those records wrote.
        long entryCount = 0;
        await WriteLinesAsync(output, RecordsBundle.JournalPath, async write =>
        {
            await foreach (StoredEntry stored in store.ReadEntriesAsync(range.FirstSequence, range.LastSequence, cancellationToken))
            {
                await write(w => RecordsLines.WriteEntry(w, stored.Entry, stored.StoredHash, p => Label(reference, p)));
                entryCount++;
            }
        }, cancellationToken);
        files.Add(await DescribeAsync(output, RecordsBundle.JournalPath, "journal", cancellationToken));

        await WriteLinesAsync(output, RecordsBundle.TradeMessagesPath, async write =>
        {
            await foreach (RecordedTradeMessage m in store.ReadTradeMessagesAsync(range, cancellationToken))
            {
                await write(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("trade_id", m.TradeId);
                    w.WriteNumber("version", m.Version);
                    w.WriteNumber("audit_sequence", m.AuditSequence.Value);
                    w.WriteString("source", m.Source);
                    w.WriteString("source_trade_id", m.SourceTradeId);
                    w.WriteString("trade_date", RecordsBundle.Iso(m.TradeDate));
                    w.WriteString("message", m.Message);
                    w.WriteEndObject();
                });
            }
        }, cancellationToken);
        files.Add(await DescribeAsync(output, RecordsBundle.TradeMessagesPath, "trade-messages", cancellationToken));

        await WriteLinesAsync(output, RecordsBundle.ExceptionsPath, async write =>
        {
            await foreach (RecordedException e in store.ReadExceptionMessagesAsync(range, cancellationToken))
            {
                await write(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", e.Id);
                    w.WriteNumber("audit_sequence", e.AuditSequence.Value);
                    w.WriteString("source", e.Source);
                    w.WriteString("source_trade_id", e.SourceTradeId);
                    w.WriteString("rule", e.Rule);
                    w.WriteString("location", e.Location);
                    w.WriteString("message", e.Message);
                    w.WriteEndObject();
                });
            }
        }, cancellationToken);
        files.Add(await DescribeAsync(output, RecordsBundle.ExceptionsPath, "exceptions", cancellationToken));

        // Whole files, byte for byte, and their index.
        var index = new StringBuilder(RecordsBundle.MessageIndexHeader + "\n");
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await foreach (RecordedFile f in store.ReadRecordedFilesAsync(range, cancellationToken))
        {
            string direction = f.Direction == FileDirection.Inbound ? "inbound" : "outbound";
            long number = f.Id != 0 ? f.Id : f.AuditSequence.Value;
            string path = RecordsBundle.MessageFilePath(direction, f.Kind, number, f.Name);
            for (int n = 2; !taken.Add(path); n++)
            {
                path = RecordsBundle.MessageFilePath(direction, f.Kind, number, n.ToString(CultureInfo.InvariantCulture) + "-" + f.Name);
            }
            await using (Stream stream = output.Create(path))
            {
                await stream.WriteAsync(f.Content, cancellationToken);
            }
            BundleFile written = await DescribeAsync(output, path, "message", cancellationToken);
            Invariant.That(written.Sha256 == f.ContentHash, $"{path}: the bytes written are the bytes kept");
            files.Add(written);
            index.Append(Csv(path, direction, f.Kind, f.Name, RecordsBundle.Iso(f.At), RecordsLines.N(f.AuditSequence.Value), f.ContentHash.ToString())).Append('\n');
        }
        async Task<Rejection?> WriteSentAsync(List<SentInstructionMessage> batch)
        {
            if (batch.Count == 0)
            {
                return null;
            }
            Dictionary<string, Domain.Settlement.SettlementInstruction> instructions = (await store.ListInstructionsAsync(
                new InstructionQuery(TransactionIds: [.. batch.Select(b => b.TransactionId)]), cancellationToken)).ToDictionary(i => i.TransactionId, StringComparer.Ordinal);
            foreach (SentInstructionMessage sent in batch)
            {
                byte[] message = renderInstruction!(instructions[sent.TransactionId], sent.SafekeepingAccount);
                if (Sha256Hash.Of(message) != sent.Digest)
                {
                    return new Rejection("records.message-mismatch",
                        $"instruction {sent.TransactionId} no longer renders the message that was sent (digest {sent.Digest}); nothing can stand for it");
                }
                string path = RecordsBundle.MessageFilePath("outbound", "settlement-instruction", sent.Sequence.Value, sent.TransactionId + ".sese023.xml");
                await using (Stream stream = output.Create(path))
                {
                    await stream.WriteAsync(message, cancellationToken);
                }
                files.Add(await DescribeAsync(output, path, "message", cancellationToken));
                index.Append(Csv(path, "outbound", "settlement-instruction", sent.TransactionId + ".sese023.xml", RecordsBundle.Iso(sent.At),
                    RecordsLines.N(sent.Sequence.Value), sent.Digest.ToString())).Append('\n');
            }
            batch.Clear();
            return null;
        }

        // Settlement instructions sent, kept as their digest: rendered again, proven the same bytes, written out.
        if (renderInstruction is not null)
        {
            var batch = new List<SentInstructionMessage>();
            await foreach (SentInstructionMessage sent in store.ReadSentInstructionMessagesAsync(range, cancellationToken))
            {
                batch.Add(sent);
                if (batch.Count == 1000 && await WriteSentAsync(batch) is { } mismatch)
                {
                    return mismatch;
                }
            }
            if (await WriteSentAsync(batch) is { } last)
            {
                return last;
            }
        }
        // Documents sent to clients: each confirmation of the range's trades, each statement of a month ending in it.
        if (clientDocuments is not null)
        {
            await foreach (ClientDocument d in clientDocuments(from, to, cancellationToken))
            {
                string path = RecordsBundle.MessageFilePath("outbound", d.Kind, d.Number, d.Name);
                await using (Stream stream = output.Create(path))
                {
                    await stream.WriteAsync(d.Content, cancellationToken);
                }
                files.Add(await DescribeAsync(output, path, "message", cancellationToken));
                index.Append(Csv(path, "outbound", d.Kind, d.Name, RecordsBundle.Iso(d.At), RecordsLines.N(d.Sequence.Value), Sha256Hash.Of(d.Content).ToString())).Append('\n');
            }
        }
        await WriteTextAsync(output, RecordsBundle.MessageIndexPath, index.ToString(), cancellationToken);
        files.Add(await DescribeAsync(output, RecordsBundle.MessageIndexPath, "message-index", cancellationToken));

        // Reports from the books.
        TrialBalance trial = await new ReportService(store).TrialBalanceAsync(to, null, detail: false, cancellationToken);
        var csv = new StringBuilder("account,name,type,asset,debit,credit\n");
        foreach (TrialBalanceLine l in trial.Lines)
        {
            csv.Append(Csv(l.Account, l.Name, l.Type.ToString().ToLowerInvariant(), l.Asset, l.Debit.ToString(CultureInfo.InvariantCulture),
                l.Credit.ToString(CultureInfo.InvariantCulture))).Append('\n');
        }
        string trialPath = RecordsBundle.TrialBalancePath(to);
        await WriteTextAsync(output, trialPath, csv.ToString(), cancellationToken);
        files.Add(await DescribeAsync(output, trialPath, "report", cancellationToken));

        (RetentionPolicy policy, AuditSequence? setBy) = await store.ReadRetentionAsync(cancellationToken);
        await WriteTextAsync(output, RecordsBundle.ReadmePath, BundleReadme.Text(from, to), cancellationToken);
        files.Add(await DescribeAsync(output, RecordsBundle.ReadmePath, "readme", cancellationToken));

        var manifest = new BundleManifest(RecordsBundle.FormatName, from, to, exportedAt, store.Kind,
            new BundleChain(range.FirstSequence.Value, previous, range.FirstSequence.Value + recordCount - 1, headHash, recordCount, entryCount),
            head.Sequence.Value, head.Hash,
            new BundleRetention(policy.Years, RetentionPolicy.YearsMin, policy.PurgeBeforeLatest(exportedAt.InUtc().Date), setBy?.Value),
            [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)]);
        byte[] json = manifest.ToJson();
        await using (Stream stream = output.Create(RecordsBundle.ManifestPath))
        {
            await stream.WriteAsync(json, cancellationToken);
        }
        await WriteTextAsync(output, RecordsBundle.ManifestSealPath, BundleManifest.Seal(Sha256Hash.Of(json)), cancellationToken);
        return manifest;
    }

    private static PostingLabel Label(ReferenceLookup reference, Posting p)
    {
        Asset asset = reference.AssetsById[p.Asset];
        return new PostingLabel(reference.LedgerAccountsById[p.LedgerAccount].Code, asset.Code, asset.Scale);
    }

    private delegate Task WriteLine(Action<Utf8JsonWriter> line);

    private static async Task WriteLinesAsync(IBundleFiles output, string path, Func<WriteLine, Task> body, CancellationToken cancellationToken)
    {
        await using Stream stream = output.Create(path);
        await using var buffered = new BufferedStream(stream, 1 << 16);
        await using var writer = new Utf8JsonWriter(buffered, RecordsLines.WriterOptions);
        await body(async line =>
        {
            line(writer);
            await writer.FlushAsync(cancellationToken);
            writer.Reset();
            await buffered.WriteAsync(s_newline, cancellationToken);
        });
        await buffered.FlushAsync(cancellationToken);
    }

    private static async Task WriteTextAsync(IBundleFiles output, string path, string text, CancellationToken cancellationToken)
    {
        await using Stream stream = output.Create(path);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    // Hashes what is on disk, not what was meant to be written: the manifest states the files as they are.
    private static async Task<BundleFile> DescribeAsync(IBundleFiles output, string path, string kind, CancellationToken cancellationToken)
    {
        await using Stream stream = output.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }
        return new BundleFile(path, size, Sha256Hash.FromBytes(hash.GetHashAndReset()), kind);
    }

    private static string Csv(params string[] fields) =>
        string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\n', '\r']) < 0 ? f : "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
}

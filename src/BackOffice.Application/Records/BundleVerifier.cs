using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;

namespace BackOffice.Application.Records;

/// <summary>One thing wrong with a bundle: the file, where in it (a line, a record), and what.</summary>
public sealed record BundleProblem(string File, string Where, string Text)
{
    /// <inheritdoc/>
    public override string ToString() => Where.Length == 0 ? $"{File}: {Text}" : $"{File} {Where}: {Text}";
}

/// <summary>What a verification checked, and every problem it found (none: the bundle is verified).</summary>
public sealed record BundleVerification(IReadOnlyList<string> Checked, IReadOnlyList<BundleProblem> Problems)
{
    /// <summary>True when nothing was found wrong.</summary>
    public bool IsVerified => Problems.Count == 0;
}

/// <summary>
/// Checks a records bundle with no database: the manifest against its seal; every file listed
/// present with its size and SHA-256, and nothing else present; the audit records' hashes
/// recomputed by <see cref="AuditChain"/> and linked one to the next up to the head the manifest
/// states; every journal entry balanced per asset, its hash recomputed and folded into the digest
/// of the audit record that wrote it. Any byte changed anywhere shows up as at least one problem.
/// </summary>
public static class BundleVerifier
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Verifies the bundle; reads each file once.</summary>
    public static async Task<BundleVerification> VerifyAsync(IBundleFiles files, CancellationToken cancellationToken)
    {
        var walk = new Walk();
        if (!files.Exists(RecordsBundle.ManifestPath))
        {
            walk.Problem(RecordsBundle.ManifestPath, "", "missing: this is not a records bundle");
            return walk.Result();
        }
        byte[] manifestBytes;
        await using (Stream stream = files.OpenRead(RecordsBundle.ManifestPath))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            manifestBytes = buffer.ToArray();
        }
        await CheckSealAsync(files, manifestBytes, walk, cancellationToken);
        Result<BundleManifest> parsed = BundleManifest.Parse(manifestBytes);
        if (parsed.Rejection is { } malformed)
        {
            walk.Problem(RecordsBundle.ManifestPath, "", malformed.Message);
            return walk.Result();
        }
        BundleManifest manifest = parsed.Value;
        if (manifest.Format != RecordsBundle.FormatName)
        {
            walk.Problem(RecordsBundle.ManifestPath, "format", $"'{manifest.Format}' is not {RecordsBundle.FormatName}");
            return walk.Result();
        }
        walk.Checked.Add($"manifest: {RecordsBundle.FormatName}, {RecordsBundle.Iso(manifest.From)} to {RecordsBundle.Iso(manifest.To)}, " +
            $"exported {RecordsBundle.Iso(manifest.ExportedAt)}, sealed by {RecordsBundle.ManifestSealPath}");
        await CheckFilesAsync(files, manifest, walk, cancellationToken);
        IReadOnlyList<RecordSummary> records = await CheckChainAsync(files, manifest, walk, cancellationToken);
        await CheckJournalAsync(files, manifest, records, walk, cancellationToken);
        await CheckMessagesAsync(files, manifest, walk, cancellationToken);
        return walk.Result();
    }

    private static async Task CheckSealAsync(IBundleFiles files, byte[] manifestBytes, Walk walk, CancellationToken cancellationToken)
    {
        if (!files.Exists(RecordsBundle.ManifestSealPath))
        {
            walk.Problem(RecordsBundle.ManifestSealPath, "", "missing: the manifest's SHA-256 is not stated");
            return;
        }
        await using Stream stream = files.OpenRead(RecordsBundle.ManifestSealPath);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        string expected = BundleManifest.Seal(Sha256Hash.Of(manifestBytes));
        if (!buffer.ToArray().AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(expected)))
        {
            walk.Problem(RecordsBundle.ManifestPath, "", $"its SHA-256 is {Sha256Hash.Of(manifestBytes)}, which {RecordsBundle.ManifestSealPath} does not state (the manifest or its seal changed)");
        }
    }

    private static async Task CheckFilesAsync(IBundleFiles files, BundleManifest manifest, Walk walk, CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal) { RecordsBundle.ManifestPath, RecordsBundle.ManifestSealPath };
        long bytes = 0;
        foreach (BundleFile file in manifest.Files)
        {
            if (!RecordsBundle.IsSafePath(file.Path) || file.Path is RecordsBundle.ManifestPath or RecordsBundle.ManifestSealPath)
            {
                walk.Problem(RecordsBundle.ManifestPath, "files", $"'{file.Path}' is not a path a bundle may list");
                continue;
            }
            if (!listed.Add(file.Path))
            {
                walk.Problem(RecordsBundle.ManifestPath, "files", $"'{file.Path}' is listed twice");
                continue;
            }
            if (!files.Exists(file.Path))
            {
                walk.Problem(file.Path, "", "listed in the manifest but missing");
                continue;
            }
            (long size, Sha256Hash hash) = await HashAsync(files, file.Path, cancellationToken);
            bytes += size;
            if (size != file.Size)
            {
                walk.Problem(file.Path, "", string.Create(CultureInfo.InvariantCulture, $"is {size} bytes; the manifest says {file.Size}"));
            }
            if (hash != file.Sha256)
            {
                walk.Problem(file.Path, "", $"SHA-256 is {hash}; the manifest says {file.Sha256}");
            }
        }
        foreach (string present in files.List())
        {
            if (!listed.Contains(present))
            {
                walk.Problem(present, "", "present but not listed in the manifest (added)");
            }
        }
        walk.Checked.Add(string.Create(CultureInfo.InvariantCulture,
            $"files: {manifest.Files.Count} listed ({bytes} bytes), each present with the size and SHA-256 the manifest states; none present unlisted"));
    }

    private static async Task<(long Size, Sha256Hash Hash)> HashAsync(IBundleFiles files, string path, CancellationToken cancellationToken)
    {
        await using Stream stream = files.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }
        return (size, Sha256Hash.FromBytes(hash.GetHashAndReset()));
    }

    private readonly record struct RecordSummary(long Sequence, int EntryCount, Sha256Hash EntriesDigest);

    private static async Task<IReadOnlyList<RecordSummary>> CheckChainAsync(IBundleFiles files, BundleManifest manifest, Walk walk, CancellationToken cancellationToken)
    {
        const string file = RecordsBundle.AuditPath;
        var records = new List<RecordSummary>();
        if (!files.Exists(file) || !manifest.Files.Any(f => f.Path == file))
        {
            walk.Problem(file, "", "missing: the audit records are not in the bundle");
            return records;
        }
        BundleChain chain = manifest.Chain;
        long expected = chain.FirstSequence;
        Sha256Hash? previous = chain.PreviousHash;
        await foreach ((int number, string line) in LinesAsync(files, file, walk, cancellationToken))
        {
            string where = "line " + RecordsLines.N(number);
            Result<AuditRecord> read = RecordsLines.ReadRecord(line);
            if (read.Rejection is { } bad)
            {
                walk.Problem(file, where, bad.Message);
                previous = null;
                expected++;
                continue;
            }
            AuditRecord record = read.Value;
            where += ", audit record " + RecordsLines.N(record.Sequence.Value);
            if (record.Sequence.Value != expected)
            {
                walk.Problem(file, where, $"expected audit record {RecordsLines.N(expected)} here (a record was deleted, inserted or moved)");
            }
            if (previous is { } link && record.PreviousHash != link)
            {
                walk.Problem(file, where, records.Count == 0
                    ? $"links to {record.PreviousHash}; the manifest says the run follows {link}"
                    : "does not link to the record before it (a record was edited, deleted or inserted)");
            }
            if (AuditChain.HashRecord(record) != record.Hash)
            {
                walk.Problem(file, where, "its contents do not match its hash (edited)");
            }
            records.Add(new RecordSummary(record.Sequence.Value, record.EntryCount, record.EntriesDigest));
            previous = record.Hash;
            expected = record.Sequence.Value + 1;
        }
        if (records.Count != chain.Records)
        {
            walk.Problem(file, "", string.Create(CultureInfo.InvariantCulture, $"holds {records.Count} records; the manifest says {chain.Records}"));
        }
        bool headMatches = records.Count == 0
            ? chain.HeadSequence == chain.FirstSequence - 1 && chain.HeadHash == chain.PreviousHash
            : records[^1].Sequence == chain.HeadSequence && previous == chain.HeadHash;
        if (!headMatches)
        {
            walk.Problem(file, "", string.Create(CultureInfo.InvariantCulture,
                $"the last record is not the head the manifest states ({chain.HeadSequence}:{chain.HeadHash}): records were deleted or added at the end"));
        }
        walk.Checked.Add(string.Create(CultureInfo.InvariantCulture,
            $"audit chain: {records.Count} records ({chain.FirstSequence}-{chain.HeadSequence}), each hash recomputed and linked to the one before from {chain.PreviousHash}; head {chain.HeadSequence}:{chain.HeadHash}"));
        return records;
    }

    private static async Task CheckJournalAsync(IBundleFiles files, BundleManifest manifest, IReadOnlyList<RecordSummary> records, Walk walk,
        CancellationToken cancellationToken)
    {
        const string file = RecordsBundle.JournalPath;
        if (!files.Exists(file) || !manifest.Files.Any(f => f.Path == file))
        {
            walk.Problem(file, "", "missing: the journal is not in the bundle");
            return;
        }
        using var digest = new AuditChain.EntriesDigestBuilder();
        int recordIndex = 0;
        long? nextId = null;
        long count = 0;
        void Finish(RecordSummary record)
        {
            int found = digest.Count;
            Sha256Hash folded = digest.Finish();
            if (found != record.EntryCount)
            {
                walk.Problem(file, "audit record " + RecordsLines.N(record.Sequence),
                    string.Create(CultureInfo.InvariantCulture, $"the record wrote {record.EntryCount} journal entries; the journal holds {found} of it (entries deleted or inserted)"));
            }
            else if (folded != record.EntriesDigest)
            {
                walk.Problem(file, "audit record " + RecordsLines.N(record.Sequence), "its journal entries do not match the digest the record states (edited)");
            }
        }
        await foreach ((int number, string line) in LinesAsync(files, file, walk, cancellationToken))
        {
            count++;
            string where = "line " + RecordsLines.N(number);
            Result<EntryLine> read = RecordsLines.ReadEntry(line);
            if (read.Rejection is { } bad)
            {
                walk.Problem(file, where, bad.Message);
                nextId = null;
                continue;
            }
            (JournalEntry entry, Sha256Hash stated, var amounts) = read.Value;
            where += ", journal entry " + RecordsLines.N(entry.Id.Value);
            if (nextId is { } id && entry.Id.Value != id)
            {
                walk.Problem(file, where, $"expected journal entry {RecordsLines.N(id)} here (an entry was deleted, inserted or moved)");
            }
            nextId = entry.Id.Value + 1;
            if (!Balanced(entry))
            {
                walk.Problem(file, where, "does not balance per asset");
            }
            for (int i = 0; i < amounts.Length; i++)
            {
                (string amount, int scale) = amounts[i];
                if (scale is < 0 or > Asset.ScaleMax || amount != RecordsLines.Amount(entry.Postings[i].Units, scale))
                {
                    walk.Problem(file, where + ", posting " + RecordsLines.N(i + 1), $"amount {amount} is not its units at its scale");
                }
            }
            Sha256Hash hash = AuditChain.HashEntry(entry);
            if (hash != stated)
            {
                walk.Problem(file, where, "its contents do not match its hash (edited)");
            }
            while (recordIndex < records.Count && records[recordIndex].Sequence < entry.AuditSequence.Value)
            {
                Finish(records[recordIndex++]);
            }
            if (recordIndex == records.Count || records[recordIndex].Sequence != entry.AuditSequence.Value)
            {
                walk.Problem(file, where, $"names audit record {RecordsLines.N(entry.AuditSequence.Value)}, which is not in the bundle's run (inserted)");
                continue;
            }
            digest.Add(hash);
        }
        while (recordIndex < records.Count)
        {
            Finish(records[recordIndex++]);
        }
        if (count != manifest.Chain.JournalEntries)
        {
            walk.Problem(file, "", string.Create(CultureInfo.InvariantCulture, $"holds {count} entries; the manifest says {manifest.Chain.JournalEntries}"));
        }
        walk.Checked.Add(string.Create(CultureInfo.InvariantCulture,
            $"journal: {count} entries, each balanced per asset, its hash recomputed and folded into the digest of the audit record that wrote it"));
    }

    private static bool Balanced(JournalEntry entry)
    {
        try
        {
            return entry.Postings.Length >= 2 && JournalEntry.IsBalancedPerAsset(entry.Postings.AsSpan());
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static async Task CheckMessagesAsync(IBundleFiles files, BundleManifest manifest, Walk walk, CancellationToken cancellationToken)
    {
        long lines = 0;
        foreach (string file in new[] { RecordsBundle.TradeMessagesPath, RecordsBundle.ExceptionsPath })
        {
            if (!files.Exists(file) || !manifest.Files.Any(f => f.Path == file))
            {
                walk.Problem(file, "", "missing");
                continue;
            }
            await foreach ((int number, string line) in LinesAsync(files, file, walk, cancellationToken))
            {
                lines++;
                try
                {
                    using var document = JsonDocument.Parse(line);
                    if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("message", out JsonElement m)
                        || m.ValueKind != JsonValueKind.String)
                    {
                        walk.Problem(file, "line " + RecordsLines.N(number), "has no message text");
                    }
                }
                catch (JsonException e)
                {
                    walk.Problem(file, "line " + RecordsLines.N(number), e.Message);
                }
            }
        }
        int kept = manifest.Files.Count(f => f.Kind == "message");
        walk.Checked.Add(string.Create(CultureInfo.InvariantCulture, $"messages: {lines} trade and exception messages read; {kept} whole files kept byte for byte"));
    }

    private static async IAsyncEnumerable<(int Number, string Line)> LinesAsync(IBundleFiles files, string path, Walk walk,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using Stream stream = files.OpenRead(path);
        using var reader = new StreamReader(stream, s_strictUtf8, detectEncodingFromByteOrderMarks: false);
        int number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (DecoderFallbackException)
            {
                walk.Problem(path, "line " + RecordsLines.N(number + 1), "is not UTF-8 text; reading stopped");
                yield break;
            }
            if (line is null)
            {
                yield break;
            }
            number++;
            yield return (number, line);
        }
    }

    private sealed class Walk
    {
        private readonly List<BundleProblem> _problems = [];
        private int _dropped;

        public List<string> Checked { get; } = [];

        public void Problem(string file, string where, string text)
        {
            if (_problems.Count < RecordsBundle.ProblemsMax)
            {
                _problems.Add(new BundleProblem(file, where, text));
            }
            else
            {
                _dropped++;
            }
        }

        public BundleVerification Result()
        {
            var problems = new List<BundleProblem>(_problems);
            if (_dropped > 0)
            {
                problems.Add(new BundleProblem(RecordsBundle.ManifestPath, "", string.Create(CultureInfo.InvariantCulture, $"and {_dropped} more problems not listed")));
            }
            return new BundleVerification(Checked, problems);
        }
    }
}

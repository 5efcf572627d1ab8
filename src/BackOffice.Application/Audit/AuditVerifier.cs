using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;

namespace BackOffice.Application.Audit;

/// <summary>A record whose hash was written down somewhere else (an anchor): verification checks the trail still has it.</summary>
public readonly record struct AuditAnchor(AuditSequence Sequence, Sha256Hash Hash);

/// <summary>The result of re-walking the audit trail and the journal.</summary>
/// <param name="Problem">The first problem found, naming the record or entry; null when intact.</param>
public sealed record AuditVerification(string? Problem, long RecordCount, long EntryCount, AuditSequence HeadSequence, Sha256Hash HeadHash)
{
    /// <summary>True when the chain and the journal are intact.</summary>
    public bool IsIntact => Problem is null;
}

/// <summary>
/// Re-walks the audit chain and the journal in one pass, recomputing every hash. Any row edited,
/// deleted or inserted behind the write path's back shows up as the first record or entry whose
/// stored form no longer matches: a record's own hash, its link to the previous record, the count
/// and digest of the entries it wrote, or an entry's own hash and balance.
/// </summary>
public sealed class AuditVerifier(IBackOfficeStore store)
{
    /// <summary>Verifies the whole trail; with <paramref name="anchor"/>, also that the anchored record is unchanged.</summary>
    public async Task<AuditVerification> VerifyAsync(AuditAnchor? anchor, CancellationToken cancellationToken)
    {
        var walk = new Walk();
        await using IAsyncEnumerator<StoredEntry> entries = store.ReadEntriesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        walk.HasEntry = await entries.MoveNextAsync();
        await foreach (AuditRecord record in store.ReadAuditRecordsAsync(cancellationToken))
        {
            string? problem = CheckRecord(record, walk, anchor);
            if (problem is null)
            {
                problem = await CheckEntriesAsync(record, walk, entries);
            }
            if (problem is not null)
            {
                return walk.Fail(problem);
            }
            walk.PreviousHash = record.Hash;
            walk.ExpectedSequence++;
        }
        if (walk.HasEntry && entries.Current.HeaderMissing)
        {
            return walk.Fail(Text($"journal entry {entries.Current.Entry.Id} has postings but no entry row (entry deleted, or postings inserted)"));
        }
        if (walk.HasEntry)
        {
            return walk.Fail($"journal entry {entries.Current.Entry.Id} is not covered by any audit record (inserted)");
        }
        return await CheckHeadAsync(walk, anchor, cancellationToken);
    }

    private static string? CheckRecord(AuditRecord record, Walk walk, AuditAnchor? anchor)
    {
        long sequence = record.Sequence.Value;
        if (sequence > walk.ExpectedSequence)
        {
            return Text($"audit record {walk.ExpectedSequence} is missing (deleted): the trail jumps to record {sequence}");
        }
        if (sequence < walk.ExpectedSequence)
        {
            return Text($"audit record {sequence} appears out of order (inserted)");
        }
        if (record.PreviousHash != walk.PreviousHash)
        {
            return Text($"audit record {sequence}: its previous hash does not match record {sequence - 1} (a record was edited, deleted or inserted)");
        }
        if (AuditChain.HashRecord(record) != record.Hash)
        {
            return Text($"audit record {sequence}: its contents do not match its hash (edited)");
        }
        if (anchor is { } a && a.Sequence == record.Sequence && a.Hash != record.Hash)
        {
            return Text($"audit record {sequence}: its hash {record.Hash} differs from the anchored hash {a.Hash} (the trail was rewritten)");
        }
        return null;
    }

    private static async Task<string?> CheckEntriesAsync(AuditRecord record, Walk walk, IAsyncEnumerator<StoredEntry> entries)
    {
        long firstId = walk.NextEntryId;
        if (walk.HasEntry && entries.Current.HeaderMissing)
        {
            return Text($"journal entry {entries.Current.Entry.Id} has postings but no entry row (entry deleted, or postings inserted)");
        }
        while (walk.HasEntry && entries.Current.Entry.AuditSequence.Value <= record.Sequence.Value)
        {
            StoredEntry stored = entries.Current;
            JournalEntry entry = stored.Entry;
            if (entry.AuditSequence != record.Sequence)
            {
                return Text($"journal entry {entry.Id} names audit record {entry.AuditSequence} but follows the entries of record {record.Sequence.Value - 1} (inserted)");
            }
            if (walk.Digest.Count >= record.EntryCount)
            {
                return Text($"journal entry {entry.Id} names audit record {record.Sequence}, which wrote only {record.EntryCount} journal entries (inserted)");
            }
            if (entry.Id.Value != walk.NextEntryId)
            {
                return entry.Id.Value > walk.NextEntryId
                    ? Text($"journal entry {walk.NextEntryId} is missing (deleted); audit record {record.Sequence} wrote it")
                    : Text($"journal entry {entry.Id} appears twice or out of order (inserted)");
            }
            if (!JournalEntry.IsBalancedPerAsset(entry.Postings.AsSpan()) || entry.Postings.Length < 2)
            {
                return Text($"journal entry {entry.Id} (audit record {record.Sequence}) does not balance per asset (edited)");
            }
            Sha256Hash hash = AuditChain.HashEntry(entry);
            if (hash != stored.StoredHash)
            {
                return Text($"journal entry {entry.Id} (audit record {record.Sequence}): its contents do not match its recorded hash (edited)");
            }
            walk.Digest.Add(hash);
            walk.NextEntryId++;
            walk.EntryCount++;
            walk.HasEntry = await entries.MoveNextAsync();
            if (walk.HasEntry && entries.Current.HeaderMissing)
            {
                return Text($"journal entry {entries.Current.Entry.Id} has postings but no entry row (entry deleted, or postings inserted)");
            }
        }
        int found = walk.Digest.Count;
        Sha256Hash digest = walk.Digest.Finish();
        walk.RecordCount++;
        if (found != record.EntryCount)
        {
            return Text($"audit record {record.Sequence}: it wrote {record.EntryCount} journal entries but {found} are there (entries deleted or inserted)");
        }
        return digest == record.EntriesDigest
            ? null
            : Text($"audit record {record.Sequence}: journal entries {firstId}-{walk.NextEntryId - 1} do not match the digest it recorded (edited)");
    }

    private async Task<AuditVerification> CheckHeadAsync(Walk walk, AuditAnchor? anchor, CancellationToken cancellationToken)
    {
        ChainHead head = await store.ReadHeadAsync(cancellationToken);
        long last = walk.ExpectedSequence - 1;
        if (head.Sequence.Value != last || head.Hash != walk.PreviousHash)
        {
            return walk.Fail(Text($"the chain head names audit record {head.Sequence} but the trail ends at record {last} (records deleted at the end, or the head edited)"));
        }
        if (head.LastEntryId.Value != walk.NextEntryId - 1)
        {
            return walk.Fail(Text($"the chain head names journal entry {head.LastEntryId} but the journal ends at entry {walk.NextEntryId - 1}"));
        }
        if (anchor is { } a && a.Sequence.Value > last)
        {
            return walk.Fail(Text($"the anchored audit record {a.Sequence} is past the end of the trail (record {last}): records were deleted"));
        }
        return new AuditVerification(null, walk.RecordCount, walk.EntryCount, new AuditSequence(last), walk.PreviousHash);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Walk
    {
        public long ExpectedSequence { get; set; } = 1;
        public Sha256Hash PreviousHash { get; set; } = Sha256Hash.Zero;
        public long NextEntryId { get; set; } = 1;
        public bool HasEntry { get; set; }
        public long RecordCount { get; set; }
        public long EntryCount { get; set; }
        public AuditChain.EntriesDigestBuilder Digest { get; } = new();

        public AuditVerification Fail(string problem) =>
            new(problem, RecordCount, EntryCount, new AuditSequence(ExpectedSequence - 1), PreviousHash);
    }
}

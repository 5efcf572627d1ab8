using System.Collections.Immutable;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly JournalEntry s_entry = new()
    {
        Id = new JournalEntryId(7),
        AuditSequence = new AuditSequence(3),
        EffectiveDate = new LocalDate(2026, 11, 27),
        RecordedAt = Instant.FromUtc(2026, 11, 27, 18, 0),
        Reason = "trade",
        SourceReference = "T-1",
        Reverses = null,
        Key = IdempotencyKey.From("k"),
        PayloadHash = Sha256Hash.Of([1]),
        Postings = [new Posting(new LedgerAccountId(1), new AssetId(1), 100), new Posting(new LedgerAccountId(2), new AssetId(1), -100)],
    };

    private static readonly AuditRecord s_record = new()
    {
        Sequence = new AuditSequence(3),
        RecordedAt = Instant.FromUtc(2026, 11, 27, 18, 0),
        Actor = "ops",
        CommandType = "journal.post",
        Key = IdempotencyKey.From("batch-1"),
        PayloadHash = Sha256Hash.Of([2]),
        Payload = null,
        Result = "booked 1",
        EntryCount = 1,
        EntriesDigest = Sha256Hash.Of([3]),
        PreviousHash = Sha256Hash.Of([4]),
        Hash = Sha256Hash.Zero,
    };

    [Fact]
    public void Every_field_of_an_entry_changes_its_hash()
    {
        Sha256Hash original = AuditChain.HashEntry(s_entry);
        JournalEntry[] variants =
        [
            s_entry with { Id = new JournalEntryId(8) },
            s_entry with { AuditSequence = new AuditSequence(4) },
            s_entry with { EffectiveDate = new LocalDate(2026, 11, 26) },
            s_entry with { RecordedAt = s_entry.RecordedAt + Duration.FromTicks(1) },
            s_entry with { Reason = "trade " },
            s_entry with { SourceReference = "T-2" },
            s_entry with { Reverses = new JournalEntryId(1) },
            s_entry with { Key = IdempotencyKey.From("k2") },
            s_entry with { PayloadHash = Sha256Hash.Of([9]) },
            s_entry with { Postings = [s_entry.Postings[1], s_entry.Postings[0]] },
            s_entry with { Postings = [s_entry.Postings[0] with { Units = 101 }, s_entry.Postings[1] with { Units = -101 }] },
            s_entry with { Postings = [s_entry.Postings[0] with { LedgerAccount = new LedgerAccountId(3) }, s_entry.Postings[1]] },
        ];
        Assert.All(variants, v => Assert.NotEqual(original, AuditChain.HashEntry(v)));
        Assert.Equal(variants.Length, variants.Select(AuditChain.HashEntry).Distinct().Count());
    }

    [Fact]
    public void Every_field_of_a_record_changes_its_hash_and_the_stored_hash_is_not_covered()
    {
        Sha256Hash original = AuditChain.HashRecord(s_record);
        Assert.Equal(original, AuditChain.HashRecord(s_record with { Hash = Sha256Hash.Of([5]) }));
        AuditRecord[] variants =
        [
            s_record with { Sequence = new AuditSequence(4) },
            s_record with { RecordedAt = s_record.RecordedAt + Duration.FromTicks(1) },
            s_record with { Actor = "mallory" },
            s_record with { CommandType = "journal.reverse" },
            s_record with { Key = IdempotencyKey.From("batch-2") },
            s_record with { PayloadHash = Sha256Hash.Of([6]) },
            s_record with { Payload = "" },
            s_record with { Result = "booked 2" },
            s_record with { EntryCount = 2 },
            s_record with { EntriesDigest = Sha256Hash.Of([7]) },
            s_record with { PreviousHash = Sha256Hash.Of([8]) },
        ];
        Assert.All(variants, v => Assert.NotEqual(original, AuditChain.HashRecord(v)));
    }

    [Fact]
    public void Text_fields_cannot_be_shifted_into_each_other()
    {
        // Length prefixes: ("ab", "c") and ("a", "bc") must not hash alike.
        Assert.NotEqual(
            AuditChain.HashEntry(s_entry with { Reason = "ab", SourceReference = "c" }),
            AuditChain.HashEntry(s_entry with { Reason = "a", SourceReference = "bc" }));
    }

    [Fact]
    public void The_digest_depends_on_order_and_count()
    {
        using var builder = new AuditChain.EntriesDigestBuilder();
        Sha256Hash a = Sha256Hash.Of([1]), b = Sha256Hash.Of([2]);
        builder.Add(a);
        builder.Add(b);
        Sha256Hash ab = builder.Finish();
        builder.Add(b);
        builder.Add(a);
        Assert.NotEqual(ab, builder.Finish());
        builder.Add(a);
        Assert.NotEqual(ab, builder.Finish());
    }

    [Fact]
    public void Entry_invariants_catch_an_unbalanced_entry_when_loaded()
    {
        JournalEntry broken = s_entry with { Postings = ImmutableArray.Create(new Posting(new LedgerAccountId(1), new AssetId(1), 100), new Posting(new LedgerAccountId(2), new AssetId(1), -99)) };
        Assert.Throws<InvariantViolationException>(broken.AssertValid);
    }
}

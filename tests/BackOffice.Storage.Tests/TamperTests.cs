using BackOffice.Application.Audit;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage.Tests;

/// <summary>
/// Rows edited, deleted or inserted behind the write path's back (immutability triggers dropped
/// first, as a superuser could) make <c>audit verify</c> fail at the right record, on both stores.
/// Layout built by <see cref="BuildAsync"/>: record 1 reference data; record 2 entries 1-3;
/// record 3 entries 4-5; record 4 the reversal of entry 5 (entry 6).
/// </summary>
public sealed class TamperTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    private static async Task<Books> BuildAsync(Backend backend)
    {
        Books books = await Books.CreateAsync(backend);
        await books.PostAsync(Books.Entry("a", "1010", "2010", "USD", 10m), Books.Entry("b", "1010", "2010", "USD", 20m), Books.Entry("c", "1300", "2100", "US0378331005", 5m));
        await books.PostAsync(Books.Entry("d", "1010", "4010", "EUR", 1m), Books.Entry("e", "1010", "4010", "USD", 2m));
        await books.Ledger.ReverseAsync(new ReversalRequest("rev", new JournalEntryId(5), new LocalDate(2026, 11, 27), "test"), Books.Actor, CancellationToken.None);
        AuditVerification intact = await books.Audit.VerifyAsync(null, CancellationToken.None);
        Assert.True(intact.IsIntact, intact.Problem);
        Assert.Equal(4, intact.RecordCount);
        Assert.Equal(6, intact.EntryCount);
        await books.Harness.DropImmutabilityAsync();
        return books;
    }

    private static async Task<string> ProblemAfterAsync(Books books, string sql)
    {
        Assert.True(await books.Harness.ExecuteRawAsync(sql) > 0, "the tampering statement changed no row: " + sql);
        AuditVerification result = await books.Audit.VerifyAsync(null, CancellationToken.None);
        Assert.False(result.IsIntact, "verification passed after: " + sql);
        return result.Problem!;
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_edited_posting_is_named_by_its_entry(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books, "UPDATE postings SET units = units * 10 WHERE entry_id = 2");
        Assert.StartsWith("journal entry 2 (audit record 2)", problem, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_edited_entry_header_is_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books, "UPDATE journal_entries SET reason = 'nothing to see' WHERE id = 4");
        Assert.Equal("journal entry 4 (audit record 3): its contents do not match its recorded hash (edited)", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_entry_hash_copied_from_another_entry_is_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books, "UPDATE journal_entries SET entry_hash = (SELECT entry_hash FROM journal_entries WHERE id = 1) WHERE id = 4");
        Assert.StartsWith("journal entry 4 (audit record 3)", problem, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_deleted_entry_is_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        await books.Harness.ExecuteRawAsync("DELETE FROM postings WHERE entry_id = 2");
        string problem = await ProblemAfterAsync(books, "DELETE FROM journal_entries WHERE id = 2");
        Assert.Equal("journal entry 2 is missing (deleted); audit record 2 wrote it", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_deleted_entry_row_whose_postings_remain_is_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books, "DELETE FROM journal_entries WHERE id = 3");
        Assert.Equal("journal entry 3 has postings but no entry row (entry deleted, or postings inserted)", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Deleted_postings_are_named_by_their_entry(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books, "DELETE FROM postings WHERE entry_id = 1 AND line_number = 2");
        Assert.StartsWith("journal entry 1 (audit record 2)", problem, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_inserted_entry_is_caught_at_the_record_it_claims(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books,
            "INSERT INTO journal_entries (id, audit_sequence, effective_date, recorded_at, reason, source_reference, reverses_id, idempotency_key, payload_hash, entry_hash) " +
            "SELECT 7, audit_sequence, effective_date, recorded_at, reason, source_reference, NULL, 'forged', payload_hash, entry_hash FROM journal_entries WHERE id = 6");
        Assert.Equal("journal entry 7 names audit record 4, which wrote only 1 journal entries (inserted)", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Postings_inserted_for_no_entry_are_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books,
            "INSERT INTO postings (entry_id, line_number, ledger_account_id, asset_id, units, effective_date) " +
            "SELECT 9, line_number, ledger_account_id, asset_id, units, effective_date FROM postings WHERE entry_id = 1");
        Assert.Equal("journal entry 9 has postings but no entry row (entry deleted, or postings inserted)", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_edited_audit_record_is_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books, "UPDATE audit_records SET actor = 'mallory' WHERE sequence = 2");
        Assert.Equal("audit record 2: its contents do not match its hash (edited)", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_deleted_audit_record_is_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books, "DELETE FROM audit_records WHERE sequence = 1");
        Assert.Equal("audit record 1 is missing (deleted): the trail jumps to record 2", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Deleting_the_last_record_and_its_entry_is_caught_by_the_head(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        await books.Harness.ExecuteRawAsync("DELETE FROM postings WHERE entry_id = 6");
        await books.Harness.ExecuteRawAsync("DELETE FROM journal_entries WHERE id = 6");
        string problem = await ProblemAfterAsync(books, "DELETE FROM audit_records WHERE sequence = 4");
        Assert.StartsWith("the chain head names audit record 4 but the trail ends at record 3", problem, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_inserted_audit_record_is_named(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        string problem = await ProblemAfterAsync(books,
            "INSERT INTO audit_records (sequence, recorded_at, actor, command_type, idempotency_key, payload_hash, payload, result, entry_count, entries_digest, previous_hash, hash) " +
            "SELECT 5, recorded_at, actor, command_type, 'forged', payload_hash, payload, result, entry_count, entries_digest, hash, hash FROM audit_records WHERE sequence = 4");
        Assert.Equal("audit record 5: its contents do not match its hash (edited)", problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_rewritten_trail_is_caught_by_an_anchor_kept_elsewhere(Backend backend)
    {
        await using Books books = await BuildAsync(backend);
        AuditVerification before = await books.Audit.VerifyAsync(null, CancellationToken.None);
        var anchor = new AuditAnchor(before.HeadSequence, before.HeadHash);
        Assert.True((await books.Audit.VerifyAsync(anchor, CancellationToken.None)).IsIntact);
        var wrongAnchor = new AuditAnchor(before.HeadSequence, Sha256Hash.Of([1, 2, 3]));
        AuditVerification rewritten = await books.Audit.VerifyAsync(wrongAnchor, CancellationToken.None);
        Assert.StartsWith("audit record 4: its hash", rewritten.Problem, StringComparison.Ordinal);
        var future = new AuditAnchor(new AuditSequence(9), before.HeadHash);
        Assert.StartsWith("the anchored audit record 9 is past the end", (await books.Audit.VerifyAsync(future, CancellationToken.None)).Problem, StringComparison.Ordinal);
    }
}

using BackOffice.Application.Audit;
using BackOffice.Application.Ledger;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage.Tests;

/// <summary>The ledger's contract: every test runs on SQLite and on PostgreSQL.</summary>
public sealed class LedgerContractTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    [Theory, MemberData(nameof(Backends))]
    public async Task Migrations_are_idempotent_and_an_empty_store_has_an_empty_chain(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend, withReference: false);
        Assert.Empty(await books.Store.MigrateAsync(CancellationToken.None));
        var head = await books.Store.ReadHeadAsync(CancellationToken.None);
        Assert.Equal(0, head.Sequence.Value);
        Assert.Equal(Sha256Hash.Zero, head.Hash);
        Assert.True((await books.Audit.VerifyAsync(null, CancellationToken.None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Posted_entries_move_balances_by_their_postings(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        PostReport report = await books.PostAsync(
            Books.Entry("e1", "1010", "2010", "USD", 1000.10m),
            Books.Entry("e2", "1300", "2100", "US0378331005", 100m),
            Books.Entry("e3", "2010", "1010", "USD", 250.05m),
            Books.Entry("e4", "1010", "4010", "JPY", 1500m));
        Assert.Null(report.Rejection);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, report.Entries.Select(e => e.EntryId.Value));
        var balances = await books.BalancesAsync();
        Assert.Equal(750.05m, balances[("1010", "USD")]);
        Assert.Equal(-750.05m, balances[("2010", "USD")]);
        Assert.Equal(100m, balances[("1300", "US0378331005")]);
        Assert.Equal(1500m, balances[("1010", "JPY")]);
        Assert.Equal("750.05", balances[("1010", "USD")].ToString(System.Globalization.CultureInfo.InvariantCulture));
        BalanceRebuild rebuild = await books.Ledger.RebuildAsync(replace: false, CancellationToken.None);
        Assert.Empty(rebuild.Differences);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task The_same_entries_posted_twice_book_once_and_report_the_original_ids(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        JournalEntryRequest[] entries = Enumerable.Range(1, 7).Select(i => Books.Entry($"k{i}", "1010", "2010", "USD", i)).ToArray();
        PostReport first = await books.PostAsync(entries, batchSize: 3);
        string afterFirst = await books.SnapshotAsync();
        PostReport second = await books.PostAsync(entries, batchSize: 3);
        Assert.Equal(7, first.BookedCount);
        Assert.Equal(0, second.BookedCount);
        Assert.Equal(7, second.ReplayedCount);
        Assert.Equal(first.Entries.Select(e => e.EntryId), second.Entries.Select(e => e.EntryId));
        Assert.Equal(afterFirst, await books.SnapshotAsync());
        // Other batch boundaries: the per-entry keys still stop a second booking.
        PostReport third = await books.PostAsync(entries, batchSize: 2);
        Assert.Equal(0, third.BookedCount);
        Assert.Equal(28m, (await books.BalancesAsync())[("1010", "USD")]);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_reused_key_with_another_payload_is_a_conflict_and_changes_nothing(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        await books.PostAsync(Books.Entry("same-key", "1010", "2010", "USD", 10m));
        string before = await books.SnapshotAsync();
        PostReport report = await books.PostAsync(Books.Entry("fresh", "1010", "2010", "USD", 1m), Books.Entry("same-key", "1010", "2010", "USD", 11m));
        Assert.Equal("entry.key-conflict", report.Rejection?.Rule);
        Assert.Contains("entry 2", report.Rejection!.Location, StringComparison.Ordinal);
        Assert.Equal(before, await books.SnapshotAsync());
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Invalid_entries_are_refused_whole_with_the_rule_and_place(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        string before = await books.SnapshotAsync();
        var unbalanced = new JournalEntryRequest("u", new LocalDate(2026, 11, 27), "r", "s",
            [new PostingRequest("1010", "USD", Direction.Debit, 10m), new PostingRequest("2010", "USD", Direction.Credit, 9.99m)]);
        (JournalEntryRequest Bad, string Rule)[] cases =
        [
            (unbalanced, "entry.unbalanced"),
            (Books.Entry("a", "9999", "2010", "USD", 1m), "posting.ledger-account-unknown"),
            (Books.Entry("b", "1010", "2010", "XXX", 1m), "posting.asset-unknown"),
            (Books.Entry("c", "1010", "2010", "USD", 1.001m), "posting.amount-precision"),
            (Books.Entry("d", "1010", "2010", "JPY", 0.5m), "posting.amount-precision"),
            (Books.Entry("e", "1010", "2010", "USD", 0m), "posting.amount-not-positive"),
            (Books.Entry("", "1010", "2010", "USD", 1m), "entry.key"),
        ];
        foreach ((JournalEntryRequest bad, string rule) in cases)
        {
            // A good entry first: it must not be booked either.
            PostReport report = await books.PostAsync(Books.Entry("good-" + rule, "1010", "2010", "USD", 5m), bad);
            Assert.Equal(rule, report.Rejection?.Rule);
            Assert.StartsWith("entry 2", report.Rejection!.Location, StringComparison.Ordinal);
            Assert.Equal(before, await books.SnapshotAsync());
        }
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_reversal_nets_the_original_to_zero_and_can_happen_once(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        await books.PostAsync(Books.Entry("base", "1010", "2010", "USD", 500m), Books.Entry("wrong", "1010", "4010", "USD", 42.42m));
        var before = await books.BalancesAsync();
        var request = new ReversalRequest("rev-1", new JournalEntryId(2), new LocalDate(2026, 11, 27), "wrong amount");
        CommandOutcome reversal = await books.Ledger.ReverseAsync(request, Books.Actor, CancellationToken.None);
        Assert.Equal(CommandStatus.Accepted, reversal.Status);
        JournalEntry reversing = reversal.Entries.Single();
        Assert.Equal(new JournalEntryId(2), reversing.Reverses);
        var after = await books.BalancesAsync();
        Assert.Equal(500m, after[("1010", "USD")]);
        Assert.False(after.ContainsKey(("4010", "USD")));
        Assert.Equal(before[("1010", "USD")] - 42.42m, after[("1010", "USD")]);
        // Retrying the same reversal is a replay; a second, different reversal is refused.
        Assert.Equal(CommandStatus.Replayed, (await books.Ledger.ReverseAsync(request, Books.Actor, CancellationToken.None)).Status);
        CommandOutcome again = await books.Ledger.ReverseAsync(request with { Key = "rev-2" }, Books.Actor, CancellationToken.None);
        Assert.Equal("reversal.already-reversed", again.Rejection?.Rule);
        CommandOutcome unknown = await books.Ledger.ReverseAsync(request with { Key = "rev-3", Original = new JournalEntryId(99) }, Books.Actor, CancellationToken.None);
        Assert.Equal("reversal.original-unknown", unknown.Rejection?.Rule);
        Assert.True((await books.Audit.VerifyAsync(null, CancellationToken.None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Balances_read_as_of_an_effective_date_and_as_known_at_a_recorded_time(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        await books.PostAsync(Books.Entry("d25", "1010", "2010", "USD", 100m, new LocalDate(2026, 11, 25)));
        Instant between = books.Clock.GetCurrentInstant();
        await books.PostAsync(Books.Entry("d26", "1010", "2010", "USD", 20m, new LocalDate(2026, 11, 26)));
        // Booked late: effective on the 24th, but recorded after everything else.
        await books.PostAsync(Books.Entry("d24-late", "1010", "2010", "USD", 3m, new LocalDate(2026, 11, 24)));
        Assert.Equal(123m, (await books.BalancesAsync())[("1010", "USD")]);
        Assert.Equal(103m, (await books.BalancesAsync(new LocalDate(2026, 11, 25)))[("1010", "USD")]);
        Assert.Equal(3m, (await books.BalancesAsync(new LocalDate(2026, 11, 24)))[("1010", "USD")]);
        Assert.Equal(100m, (await books.BalancesAsync(knownAt: between))[("1010", "USD")]);
        // As of the 25th, as known before the late entry: the late entry is invisible.
        Assert.Equal(100m, (await books.BalancesAsync(new LocalDate(2026, 11, 25), between))[("1010", "USD")]);
        Assert.Empty(await books.BalancesAsync(knownAt: Instant.FromUtc(2000, 1, 1, 0, 0)));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_dry_run_decides_but_writes_nothing(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        string before = await books.SnapshotAsync();
        PostReport report = await books.Ledger.PostAsync([Books.Entry("dry", "1010", "2010", "USD", 1m)], Books.Actor,
            new PostOptions(DryRun: true), null, CancellationToken.None);
        Assert.Equal(EntryStatus.WouldBook, report.Entries.Single().Status);
        Assert.Equal(before, await books.SnapshotAsync());
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task The_database_refuses_updates_and_deletes_of_booked_rows(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        await books.PostAsync(Books.Entry("x", "1010", "2010", "USD", 1m));
        string[] statements =
        [
            "UPDATE postings SET units = 999 WHERE entry_id = 1",
            "DELETE FROM postings WHERE entry_id = 1",
            "UPDATE journal_entries SET reason = 'edited' WHERE id = 1",
            "DELETE FROM journal_entries WHERE id = 1",
            "UPDATE audit_records SET actor = 'mallory' WHERE sequence = 1",
            "DELETE FROM audit_records WHERE sequence = 2",
        ];
        foreach (string statement in statements)
        {
            Exception error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => books.Harness.ExecuteRawAsync(statement));
            Assert.Contains("immutable", error.Message, StringComparison.Ordinal);
        }
        Assert.True((await books.Audit.VerifyAsync(null, CancellationToken.None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Rebuilding_the_projection_repairs_it_from_the_journal(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        await books.PostAsync(Books.Entry("a", "1010", "2010", "USD", 7m), Books.Entry("b", "1300", "2100", "US0378331005", 3m));
        var truth = await books.BalancesAsync();
        await books.Harness.ExecuteRawAsync("UPDATE balances SET units = units + 1");
        BalanceRebuild check = await books.Ledger.RebuildAsync(replace: false, CancellationToken.None);
        Assert.Equal(4, check.Differences.Count);
        BalanceRebuild repaired = await books.Ledger.RebuildAsync(replace: true, CancellationToken.None);
        Assert.True(repaired.Replaced);
        Assert.Equal(truth, await books.BalancesAsync());
        Assert.Empty((await books.Ledger.RebuildAsync(replace: false, CancellationToken.None)).Differences);
    }
}

/// <summary>PostgreSQL only: the application role's documented grants allow no UPDATE or DELETE on booked facts, even without the triggers.</summary>
public sealed class PostgresGrantTests
{
    [Fact]
    public async Task An_application_role_cannot_change_booked_rows_even_with_the_triggers_dropped()
    {
        await using Books books = await Books.CreateAsync(Backend.Postgres);
        await books.PostAsync(Books.Entry("g", "1010", "2010", "USD", 1m));
        await books.Harness.DropImmutabilityAsync();
        string role = "app_" + Guid.NewGuid().ToString("N")[..12];
        string schema = (string)(await books.Harness.ScalarRawAsync("SELECT current_schema()"))!;
        await books.Harness.ExecuteRawAsync($"CREATE ROLE {role} NOLOGIN; " + BackOffice.Storage.Postgres.PostgresStore.ApplicationRoleGrants(schema, role));
        try
        {
            foreach (string statement in new[] { "UPDATE postings SET units = 2 WHERE entry_id = 1", "DELETE FROM journal_entries", "UPDATE audit_records SET actor = 'x'" })
            {
                var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => books.Harness.ExecuteRawAsync($"SET ROLE {role}; {statement}"));
                Assert.Equal("42501", error.SqlState); // insufficient_privilege
            }
            Assert.Equal(1, await books.Harness.ExecuteRawAsync($"SET ROLE {role}; UPDATE balances SET units = units WHERE units > 0"));
        }
        finally
        {
            await books.Harness.ExecuteRawAsync($"RESET ROLE; DROP OWNED BY {role}; DROP ROLE {role};");
        }
        Assert.True((await books.Audit.VerifyAsync(null, CancellationToken.None)).IsIntact);
    }
}

/// <summary>Several writers at once (several server instances on PostgreSQL, several processes on SQLite).</summary>
public sealed class ConcurrentWriterTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    [Theory, MemberData(nameof(Backends))]
    public async Task Two_writers_posting_overlapping_files_book_each_key_once(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        // A second, independent write path over the same database, as another instance would have.
        var otherProcessor = new Application.WritePath.CommandProcessor(books.Store, books.Clock);
        var other = new Application.Ledger.LedgerService(books.Store, otherProcessor);
        Domain.Accounting.JournalEntryRequest[] entries = Enumerable.Range(1, 600)
            .Select(i => Books.Entry($"c{i}", "1010", "2010", "USD", i)).ToArray();
        Task<Application.Ledger.PostReport> first = Task.Run(() => books.PostAsync(entries, batchSize: 7));
        Task<Application.Ledger.PostReport> second = Task.Run(() =>
            other.PostAsync(entries.Reverse().ToArray(), "other", new Application.Ledger.PostOptions(11), null, CancellationToken.None));
        Application.Ledger.PostReport[] reports = await Task.WhenAll(first, second);
        Assert.All(reports, r => Assert.Null(r.Rejection));
        Assert.Equal(600, reports.Sum(r => r.BookedCount));
        // Both report the same entry id for each key, whoever booked it.
        var ids = reports.Select(r => r.Entries.ToDictionary(e => e.Key, e => e.EntryId)).ToArray();
        Assert.All(entries, e => Assert.Equal(ids[0][e.Key], ids[1][e.Key]));
        Assert.Equal(Enumerable.Range(1, 600).Sum(i => (decimal)i), (await books.BalancesAsync())[("1010", "USD")]);
        var verification = await books.Audit.VerifyAsync(null, CancellationToken.None);
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(600, verification.EntryCount);
    }
}

/// <summary>A key repeated in one file with the same payload is one entry, reported under the first occurrence's id.</summary>
public sealed class RepeatedKeyTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    [Theory, MemberData(nameof(Backends))]
    public async Task A_key_repeated_in_a_file_books_once_across_batches(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        var a = Books.Entry("a", "1010", "2010", "USD", 1m);
        var b = Books.Entry("b", "1010", "2010", "USD", 2m);
        var c = Books.Entry("c", "1010", "2010", "USD", 4m);
        Application.Ledger.PostReport report = await books.PostAsync([a, b, a, c, b, a], batchSize: 2);
        Assert.Null(report.Rejection);
        Assert.Equal(new long[] { 1, 2, 1, 3, 2, 1 }, report.Entries.Select(e => e.EntryId.Value));
        Assert.Equal(3, report.BookedCount);
        Assert.Equal(7m, (await books.BalancesAsync())[("1010", "USD")]);
    }
}

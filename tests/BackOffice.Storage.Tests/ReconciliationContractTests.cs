using System.Globalization;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.Reconciliation;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Domain.ReferenceData;
using BackOffice.Intake.Reconciliation;
using NodaTime;

namespace BackOffice.Storage.Tests;

/// <summary>
/// Reconciliation on both stores, from statement files to breaks: statements that agree raise
/// nothing; each planted difference raises exactly one break of its type; a file is imported once
/// and a corrected statement supersedes the first with both kept; bad files and unknown accounts
/// record nothing; breaks keep their age from day to day, clear when the two sides agree and
/// reopen when they differ again; operators' actions and adjusting entries close them.
/// </summary>
public sealed class ReconciliationContractTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    private const string Apple = "US0378331005", Microsoft = "US5949181045", Ibm = "US4592001014";
    private static readonly LocalDate Day = new(2026, 11, 27), NextDay = new(2026, 11, 28), Monday = new(2026, 11, 24);
    private static readonly CancellationToken None = CancellationToken.None;

    private sealed class Recon : IAsyncDisposable
    {
        private Recon(Books books) => Books = books;

        public Books Books { get; }
        public ReconciliationService Service => new(Books.Store, Books.Processor, StatementFiles.Read);
        public IBackOfficeStore Store => Books.Store;

        public static async Task<Recon> CreateAsync(Backend backend)
        {
            Books books = await Books.CreateAsync(backend);
            CommandOutcome loaded = await books.ReferenceData.ImportAsync(new ReferenceChanges
            {
                Instruments = [new Instrument(Microsoft, "Microsoft Corp.", AssetClass.Equity, "USD", "XNAS", null, null, "MSFT", null, 0)],
                StatementAccounts =
                [
                    new StatementAccount("SAFE-1", "CUSTODIAN", StatementKind.Custody, "1100", null, "safekeeping account", new CashRules()),
                    new StatementAccount("CASH-USD", "BANK", StatementKind.Cash, "1010", "USD", "USD account", new CashRules(0.01m, 1, true, 3)),
                ],
            }, null, Books.Actor, null, None);
            Assert.True(loaded.Rejection is null, loaded.Rejection?.ToString());
            // Positions at the depository: 100 Apple and 50 Microsoft. Cash at the bank: four movements.
            await books.PostAsync(
                Books.Entry("pos-aapl", "1100", "2100", Apple, 100m, Monday),
                Books.Entry("pos-msft", "1100", "2100", Microsoft, 50m, Monday),
                Cash("pay-0", 10m, Monday, "PAY-0"),
                Cash("pay-1", 1000m, Day, "PAY-1"),
                Cash("pay-2", -250m, Day, "PAY-2"),
                Cash("pay-3", 300m, Monday, "PAY-3"),
                Cash("pay-4", 75m, Day, "PAY-4"));
            return new Recon(books);
        }

        public async Task<(CommandOutcome Outcome, IReadOnlyList<StoredStatement> Statements)> ImportAsync(string name, string text) =>
            await Service.ImportAsync(name, Encoding.UTF8.GetBytes(text), Books.Actor, None);

        public async Task<IReadOnlyList<StoredStatement>> ImportOkAsync(string name, string text)
        {
            (CommandOutcome outcome, IReadOnlyList<StoredStatement> statements) = await ImportAsync(name, text);
            Assert.True(outcome.Status == CommandStatus.Accepted, outcome.Result);
            return statements;
        }

        public async Task<IReadOnlyList<StatementRun>> RunAsync(LocalDate date)
        {
            IReadOnlyList<StatementRun> runs = await Service.RunAsync(date, null, Books.Actor, None);
            Assert.All(runs, r => Assert.True(r.Outcome.Succeeded, r.Outcome.Result));
            return runs;
        }

        public Task<IReadOnlyList<ReconBreak>> BreaksAsync(bool unresolvedOnly = true) =>
            Store.ListBreaksAsync(new BreakQuery(UnresolvedOnly: unresolvedOnly), None);

        public ValueTask DisposeAsync() => Books.DisposeAsync();
    }

    // Money into the bank account (a debit of 1010) when positive, out when negative; the source reference is what the bank quotes back.
    private static JournalEntryRequest Cash(string key, decimal amount, LocalDate date, string reference) =>
        new(key, date, "cash " + key, reference,
        [
            new PostingRequest("1010", "USD", amount > 0 ? Direction.Debit : Direction.Credit, Math.Abs(amount)),
            new PostingRequest("2010", "USD", amount > 0 ? Direction.Credit : Direction.Debit, Math.Abs(amount)),
        ]);

    private static string Custody(LocalDate date, string statementId, params (string Isin, decimal Quantity)[] holdings) =>
        "statement_id,account,date,basis,isin,quantity\n" + string.Concat(holdings.Select(h =>
            string.Create(CultureInfo.InvariantCulture, $"{statementId},SAFE-1,{date:yyyy-MM-dd},settlement,{h.Isin},{h.Quantity}\n")));

    // Balances are struck on the statement date; the period starts at the earliest booking date.
    private static string CashStatement(LocalDate date, decimal opening, decimal closing, params (decimal Amount, LocalDate Booked, string? Reference)[] entries)
    {
        var text = new StringBuilder("statement_id,account,currency,date,kind,amount,booking_date,value_date,reference,description\n");
        text.Append(CultureInfo.InvariantCulture, $"CS-{date:yyyyMMdd},CASH-USD,USD,{date:yyyy-MM-dd},opening,{opening},,,,\n");
        text.Append(CultureInfo.InvariantCulture, $"CS-{date:yyyyMMdd},CASH-USD,USD,{date:yyyy-MM-dd},closing,{closing},,,,\n");
        foreach ((decimal amount, LocalDate booked, string? reference) in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"CS-{date:yyyyMMdd},CASH-USD,USD,{date:yyyy-MM-dd},entry,{amount},{booked:yyyy-MM-dd},{booked:yyyy-MM-dd},{reference},\n");
        }
        return text.ToString();
    }

    // Our 1010 balance after the five movements: 10 + 1000 - 250 + 300 + 75.
    private const decimal OurCash = 1135m;

    private static string AgreeingCash(LocalDate date) => CashStatement(date, 0m, OurCash, (10m, Monday, "PAY-0"),
        (1000m, Day, "PAY-1"), (-250m, Day, "PAY-2"), (300m, Monday, "PAY-3"), (75m, Day, "PAY-4"));

    [Theory, MemberData(nameof(Backends))]
    public async Task Statements_that_agree_with_the_books_raise_no_break(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        await recon.ImportOkAsync("custody.csv", Custody(Day, "SC-1", (Apple, 100m), (Microsoft, 50m)));
        await recon.ImportOkAsync("cash.csv", AgreeingCash(Day));

        IReadOnlyList<StatementRun> runs = await recon.RunAsync(Day);

        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(CommandStatus.Accepted, r.Outcome.Status));
        Assert.All(runs, r => Assert.Empty(r.Comparison!.Findings));
        StatementComparison custody = runs.Single(r => r.Statement.Kind == StatementKind.Custody).Comparison!;
        StatementComparison cash = runs.Single(r => r.Statement.Kind == StatementKind.Cash).Comparison!;
        Assert.Equal((2, 2), (custody.Compared, custody.Matched));
        // Five of ours, five on the statement, and the closing balance on both sides.
        Assert.Equal((12, 12), (cash.Compared, cash.Matched));
        Assert.Empty(await recon.BreaksAsync(unresolvedOnly: false));
        Assert.Equal(2, (await recon.Store.ListReconRunsAsync(Day, 10, None)).Count);
        Assert.True((await recon.Books.Audit.VerifyAsync(null, None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Each_planted_difference_raises_exactly_one_break_of_its_type(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        // Custody: 90 Apple where we hold 100, no Microsoft, and IBM we never had.
        await recon.ImportOkAsync("custody.csv", Custody(Day, "SC-1", (Apple, 90m), (Ibm, 10m)));
        // Cash: PAY-1 agrees; PAY-2 debited 0.40 more; PAY-3 booked three days after ours (the window is one);
        // PAY-4 absent; a fee we do not have. The bank's closing balance follows its own entries.
        decimal closing = 10m + 1000m - 250.40m + 300m - 12.50m;
        await recon.ImportOkAsync("cash.csv", CashStatement(Day, 0m, closing, (10m, Monday, "PAY-0"),
            (1000m, Day, "PAY-1"), (-250.40m, Day, "PAY-2"), (300m, Day, "PAY-3"), (-12.50m, Day, "FEE-9")));

        await recon.RunAsync(Day);

        IReadOnlyList<ReconBreak> breaks = await recon.BreaksAsync();
        var found = breaks.Select(b => (b.Kind, b.Type, b.Subject, b.Ours, b.Theirs)).OrderBy(b => b.ToString(), StringComparer.Ordinal).ToList();
        var planted = new List<(StatementKind, BreakType, string, decimal, decimal)>
        {
            (StatementKind.Custody, BreakType.QuantityDifference, Apple, 100m, 90m),
            (StatementKind.Custody, BreakType.MissingAtCustodian, Microsoft, 50m, 0m),
            (StatementKind.Custody, BreakType.MissingInBooks, Ibm, 0m, 10m),
            (StatementKind.Cash, BreakType.AmountDifference, "USD", -250m, -250.40m),
            (StatementKind.Cash, BreakType.DateDifference, "USD", 300m, 300m),
            (StatementKind.Cash, BreakType.MissingAtCustodian, "USD", 75m, 0m),
            (StatementKind.Cash, BreakType.MissingInBooks, "USD", 0m, -12.50m),
            (StatementKind.Cash, BreakType.AmountDifference, "USD", OurCash, closing),
        };
        Assert.Equal(planted.OrderBy(b => b.ToString(), StringComparer.Ordinal), found);
        Assert.All(breaks, b => Assert.Equal((BreakStatus.Open, Day, Day), (b.Status, b.FirstSeen, b.LastSeen)));
        Assert.Contains(breaks, b => b.Type == BreakType.DateDifference && b.Detail.Contains("PAY-3", StringComparison.Ordinal));
        Assert.Single(breaks, b => b.Standing && b.Kind == StatementKind.Cash);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_file_is_imported_once_and_a_corrected_statement_supersedes_with_history_kept(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        string first = Custody(Day, "SC-1", (Apple, 90m), (Microsoft, 50m));
        IReadOnlyList<StoredStatement> stored = await recon.ImportOkAsync("custody.csv", first);
        string before = await recon.Books.SnapshotAsync();

        // The same bytes under another name: a replay that writes nothing.
        (CommandOutcome again, IReadOnlyList<StoredStatement> none) = await recon.ImportAsync("custody-copy.csv", first);
        Assert.Equal(CommandStatus.Replayed, again.Status);
        Assert.Empty(none);
        Assert.Equal(before, await recon.Books.SnapshotAsync());
        Assert.Single(await recon.Store.ListStatementsAsync(new StatementQuery(), None));

        await recon.RunAsync(Day);
        Assert.Equal(Apple, Assert.Single(await recon.BreaksAsync()).Subject);

        // The custodian corrects its statement: the correction supersedes, the first is kept as received.
        IReadOnlyList<StoredStatement> corrected = await recon.ImportOkAsync("custody-corrected.csv", Custody(Day, "SC-1-C", (Apple, 100m), (Microsoft, 50m)));
        IReadOnlyList<StoredStatement> all = await recon.Store.ListStatementsAsync(new StatementQuery(Day), None);
        Assert.Equal([stored[0].Id, corrected[0].Id], all.Select(s => s.Id));
        Assert.Equal(corrected[0].Id, all[0].SupersededBy);
        Assert.Null(all[1].SupersededBy);
        StatementFile? kept = await recon.Store.ReadStatementFileAsync(stored[0].FileId, None);
        Assert.Equal(first, Encoding.UTF8.GetString(kept!.Content));
        Assert.Equal(Sha256Hash.Of(Encoding.UTF8.GetBytes(first)), kept.ContentHash);

        // Only the current statement is run, and it agrees: the break clears.
        IReadOnlyList<StatementRun> runs = await recon.RunAsync(Day);
        Assert.Equal(corrected[0].Id, Assert.Single(runs).Statement.Id);
        Assert.Empty(await recon.BreaksAsync());
        ReconBreak cleared = Assert.Single(await recon.BreaksAsync(unresolvedOnly: false));
        Assert.Equal(BreakStatus.Resolved, cleared.Status);
        Assert.Equal(["found", "agreed"], (await recon.Store.ReadBreakEventsAsync(cleared.Id, None)).Select(e => e.Action));
    }

    public static TheoryData<Backend, string, string, string> BadFiles()
    {
        const string semt = "urn:iso:std:iso:20022:tech:xsd:semt.002.001.11";
        var data = new TheoryData<Backend, string, string, string>();
        foreach (Backend backend in new[] { Backend.Sqlite, Backend.Postgres })
        {
            data.Add(backend, "broken.xml", $"<Document xmlns=\"{semt}\"><SctiesBalCtdyRpt>", "iso20022.xml");
            data.Add(backend, "invalid.xml", $"<Document xmlns=\"{semt}\"><SctiesBalCtdyRpt><Nonsense/></SctiesBalCtdyRpt></Document>", "semt002.schema");
            data.Add(backend, "dtd.xml", $"<!DOCTYPE Document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Document xmlns=\"{semt}\">&xxe;</Document>", "iso20022.dtd");
            data.Add(backend, "unknown.csv", Custody(Day, "SC-9", (Apple, 1m)).Replace("SAFE-1", "SAFE-404", StringComparison.Ordinal), "statement.unknown-account");
            data.Add(backend, "bad-row.csv", "statement_id,account,date,basis,isin,quantity\nSC,SAFE-1,2026-11-27,settlement,US0378331006,5\n", "field.isin");
        }
        return data;
    }

    [Theory, MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_refused_with_its_rule_and_nothing_is_recorded(Backend backend, string name, string text, string rule)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        string before = await recon.Books.SnapshotAsync();

        (CommandOutcome outcome, IReadOnlyList<StoredStatement> statements) = await recon.ImportAsync(name, text);

        Assert.Equal(CommandStatus.Rejected, outcome.Status);
        Assert.Equal(rule, outcome.Rejection!.Rule);
        Assert.Contains(name, outcome.Rejection.ToString(), StringComparison.Ordinal);
        Assert.Empty(statements);
        Assert.Equal(before, await recon.Books.SnapshotAsync());
        Assert.Equal(0L, Convert.ToInt64(await recon.Books.Harness.ScalarRawAsync("SELECT COUNT(*) FROM statement_files"), CultureInfo.InvariantCulture));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_cash_statement_in_another_currency_than_its_account_is_refused(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        (CommandOutcome outcome, _) = await recon.ImportAsync("eur.csv", AgreeingCash(Day).Replace(",USD,", ",EUR,", StringComparison.Ordinal));
        Assert.Equal("statement.currency", outcome.Rejection?.Rule);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_break_that_reappears_keeps_its_age_and_one_that_agrees_clears(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        await recon.ImportOkAsync("day1.csv", Custody(Day, "SC-1", (Apple, 90m), (Ibm, 10m), (Microsoft, 50m)));
        await recon.RunAsync(Day);
        Dictionary<string, ReconBreak> day1 = (await recon.BreaksAsync()).ToDictionary(b => b.Subject);
        Assert.Equal([Apple, Ibm], day1.Keys.Order(StringComparer.Ordinal));

        // A rerun of the same day finds the same: a replay, nothing written.
        string before = await recon.Books.SnapshotAsync();
        IReadOnlyList<StatementRun> rerun = await recon.RunAsync(Day);
        Assert.Equal(CommandStatus.Replayed, Assert.Single(rerun).Outcome.Status);
        Assert.Equal(before, await recon.Books.SnapshotAsync());

        // Next day: Apple still short (by more), IBM gone.
        await recon.ImportOkAsync("day2.csv", Custody(NextDay, "SC-2", (Apple, 80m), (Microsoft, 50m)));
        await recon.RunAsync(NextDay);
        ReconBreak apple = Assert.Single(await recon.BreaksAsync());
        Assert.Equal(day1[Apple].Id, apple.Id);
        Assert.Equal((Day, NextDay, 80m, 1), (apple.FirstSeen, apple.LastSeen, apple.Theirs, apple.AgeDays(NextDay)));
        Assert.Equal(["found", "seen-again"], (await recon.Store.ReadBreakEventsAsync(apple.Id, None)).Select(e => e.Action));
        ReconBreak ibm = (await recon.BreaksAsync(unresolvedOnly: false)).Single(b => b.Subject == Ibm);
        Assert.Equal(BreakStatus.Resolved, ibm.Status);

        // Running the older day again does not overrule the newer one.
        IReadOnlyList<StatementRun> old = await recon.RunAsync(Day);
        Assert.Equal(CommandStatus.Replayed, Assert.Single(old).Outcome.Status);

        // IBM differs again two days later: the same break, reopened, with its first date kept.
        LocalDate later = NextDay.PlusDays(2);
        await recon.ImportOkAsync("day4.csv", Custody(later, "SC-4", (Apple, 80m), (Microsoft, 50m), (Ibm, 5m)));
        await recon.RunAsync(later);
        ReconBreak reopened = (await recon.BreaksAsync()).Single(b => b.Subject == Ibm);
        Assert.Equal((ibm.Id, Day, BreakStatus.Open, 3), (reopened.Id, reopened.FirstSeen, reopened.Status, reopened.AgeDays(later)));
        Assert.Equal(["found", "agreed", "reopened"], (await recon.Store.ReadBreakEventsAsync(ibm.Id, None)).Select(e => e.Action));
        Assert.True((await recon.Books.Audit.VerifyAsync(null, None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Operators_assign_explain_and_resolve_a_break_once_each(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        await recon.ImportOkAsync("custody.csv", Custody(Day, "SC-1", (Apple, 90m), (Microsoft, 50m)));
        await recon.RunAsync(Day);
        long id = Assert.Single(await recon.BreaksAsync()).Id;
        Task<CommandOutcome> Act(string action, string? owner, string? note, string key) =>
            recon.Service.ActAsync(id, action, owner, note, "ops-1", IdempotencyKey.From(key), None);

        Assert.Equal(CommandStatus.Accepted, (await Act("assign", "alice", null, "k1")).Status);
        Assert.Equal(CommandStatus.Replayed, (await Act("assign", "alice", null, "k1")).Status);
        Assert.Equal("break.note", (await Act("explain", null, " ", "k2")).Rejection?.Rule);
        Assert.Equal(CommandStatus.Accepted, (await Act("explain", null, "custodian booked 10 short; claim raised", "k3")).Status);
        ReconBreak explained = Assert.Single(await recon.BreaksAsync());
        Assert.Equal((BreakStatus.Explained, "alice"), (explained.Status, explained.Owner));
        Assert.Equal(CommandStatus.Accepted, (await Act("resolve", null, "custodian corrected its books", "k4")).Status);
        Assert.Equal("break.resolved", (await Act("resolve", null, "again", "k5")).Rejection?.Rule);
        Assert.Equal("break.unknown", (await recon.Service.ActAsync(id + 100, "assign", "bob", null, "ops-1", IdempotencyKey.From("k6"), None)).Rejection?.Rule);
        Assert.Equal("break.action", (await Act("delete", null, "x", "k7")).Rejection?.Rule);
        Assert.Empty(await recon.BreaksAsync());
        IReadOnlyList<BreakEvent> history = await recon.Store.ReadBreakEventsAsync(id, None);
        Assert.Equal(["found", "assigned", "explained", "resolved"], history.Select(e => e.Action));
        Assert.Equal("ops-1", history[^1].Actor);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_adjusting_entry_books_and_resolves_its_break_once(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        await recon.ImportOkAsync("cash.csv", CashStatement(Day, 0m, OurCash - 12.50m, (10m, Monday, "PAY-0"),
            (1000m, Day, "PAY-1"), (-250m, Day, "PAY-2"), (300m, Monday, "PAY-3"), (75m, Day, "PAY-4"), (-12.50m, Day, "FEE-9")));
        await recon.RunAsync(Day);
        ReconBreak fee = (await recon.BreaksAsync()).Single(b => b.Type == BreakType.MissingInBooks);
        var entry = new JournalEntryRequest("adjust-fee-9", Day, "bank fee FEE-9 found by reconciliation", "FEE-9",
            [new PostingRequest("4010", "USD", Direction.Debit, 12.50m), new PostingRequest("1010", "USD", Direction.Credit, 12.50m)]);
        Decide decide = ReconciliationService.PlanAdjustment(fee.Id, entry, recon.Books.Clock);
        var command = new CommandEnvelope("recon.adjust", "checker", IdempotencyKey.From("adjust/1"), Sha256Hash.Of("adjust"u8), null);

        CommandOutcome booked = await recon.Books.Processor.ExecuteAsync(command, decide, dryRun: false, None);

        Assert.Equal(CommandStatus.Accepted, booked.Status);
        Assert.Single(booked.Entries);
        Assert.Equal(BreakStatus.Resolved, (await recon.Store.ListBreaksAsync(new BreakQuery(Id: fee.Id), None))[0].Status);
        CommandOutcome twice = await recon.Books.Processor.ExecuteAsync(command with { Key = IdempotencyKey.From("adjust/2") }, decide, dryRun: false, None);
        Assert.Equal("break.resolved", twice.Rejection?.Rule);

        // The next run finds the fee in the books and the balance agreeing: every break clears.
        await recon.RunAsync(Day);
        Assert.Empty(await recon.BreaksAsync());
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task A_movement_the_bank_books_days_late_is_carried_forward_to_meet_it(Backend backend)
    {
        await using Recon recon = await Recon.CreateAsync(backend);
        // Friday's statement lacks PAY-4: missing at the bank.
        await recon.ImportOkAsync("fri.csv", CashStatement(Day, 0m, OurCash - 75m, (10m, Monday, "PAY-0"),
            (1000m, Day, "PAY-1"), (-250m, Day, "PAY-2"), (300m, Monday, "PAY-3")));
        await recon.RunAsync(Day);
        ReconBreak missing = (await recon.BreaksAsync()).Single(b => !b.Standing);
        Assert.Equal((BreakType.MissingAtCustodian, 75m), (missing.Type, missing.Ours));

        // Monday's statement books it, three days after our date (the window is one): the same break, now a date difference.
        LocalDate monday = Day.PlusDays(3);
        await recon.ImportOkAsync("mon.csv", CashStatement(monday, OurCash - 75m, OurCash, (75m, monday, "PAY-4")));
        await recon.RunAsync(monday);
        ReconBreak late = (await recon.BreaksAsync()).Single(b => !b.Standing);
        Assert.Equal((missing.Id, BreakType.DateDifference, 75m, 75m, Day), (late.Id, late.Type, late.Ours, late.Theirs, late.FirstSeen));
        Assert.Equal(["found", "seen-again"], (await recon.Store.ReadBreakEventsAsync(late.Id, None)).Select(e => e.Action));
        // The balance agrees on Monday: Friday's balance break clears.
        Assert.DoesNotContain(await recon.BreaksAsync(), b => b.Standing);

        // Had the bank booked it the next day (within the window), the break would simply have agreed.
        await using Recon other = await Recon.CreateAsync(backend);
        await other.ImportOkAsync("fri.csv", CashStatement(Day, 0m, OurCash - 75m, (10m, Monday, "PAY-0"),
            (1000m, Day, "PAY-1"), (-250m, Day, "PAY-2"), (300m, Monday, "PAY-3")));
        await other.RunAsync(Day);
        await other.ImportOkAsync("sat.csv", CashStatement(NextDay, OurCash - 75m, OurCash, (75m, NextDay, "PAY-4")));
        await other.RunAsync(NextDay);
        Assert.Empty(await other.BreaksAsync());
        ReconBreak agreed = (await other.BreaksAsync(unresolvedOnly: false)).Single(b => !b.Standing);
        Assert.Equal(["found", "agreed"], (await other.Store.ReadBreakEventsAsync(agreed.Id, None)).Select(e => e.Action));
    }
}

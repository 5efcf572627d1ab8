using BackOffice.Domain.Lots;
using BackOffice.Domain.Reconciliation;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using BackOffice.Domain.Tests.Settlement;
using NodaTime;

namespace BackOffice.Domain.Tests.Reconciliation;

/// <summary>
/// The break workflow's rules: how a run's findings are filed against the breaks already known
/// (new, seen again, reopened, agreed), what an operator may do to a break, and how a comparison
/// turns differences into keyed findings with a suggested cause.
/// </summary>
public sealed class BreakBookTests
{
    private static readonly LocalDate Day1 = new(2026, 11, 27), Day2 = new(2026, 11, 28);
    private static readonly Instant At = Instant.FromUtc(2026, 11, 28, 20, 0);
    private const string Apple = "US0378331005", Microsoft = "US5949181045";

    private static BreakFinding Position(string isin, decimal ours, decimal theirs, LocalDate date) =>
        new(BreakKeys.Position("SAFE", isin), ours == 0 ? BreakType.MissingInBooks : theirs == 0 ? BreakType.MissingAtCustodian : BreakType.QuantityDifference,
            isin, true, ours, theirs, date, "", null);

    private static BreakFinding Movement(string id, decimal amount, LocalDate date) =>
        new(BreakKeys.Ours("CASH", [id]), BreakType.MissingAtCustodian, "USD", false, amount, 0m, date, "", null);

    private static BreakChanges File(IReadOnlyList<ReconBreak> known, IReadOnlyList<BreakFinding> findings, LocalDate day, LocalDate? coveredFrom = null,
        IReadOnlySet<string>? carried = null, long runId = 2, long nextId = 10) =>
        BreakBook.File(known, findings, "SRC", "SAFE", StatementKind.Custody, day, coveredFrom ?? day, runId, nextId, "ops", At, carried);

    private static ReconBreak Filed(BreakFinding f, LocalDate seen, long id, BreakStatus status = BreakStatus.Open) =>
        new(id, f.Key, "SRC", "SAFE", StatementKind.Custody, f.Type, f.Subject, f.Standing, f.Ours, f.Theirs, f.Date, seen, seen, status, null, null, "", 1);

    [Fact]
    public void New_differences_open_breaks_with_consecutive_ids_first_seen_on_the_run_date()
    {
        BreakChanges changes = File([], [Position(Apple, 100m, 90m, Day1), Position(Microsoft, 0m, 5m, Day1)], Day1, nextId: 7);

        Assert.Equal([7L, 8L], changes.Added.Select(b => b.Id));
        Assert.All(changes.Added, b => Assert.Equal((BreakStatus.Open, Day1, Day1, 2L), (b.Status, b.FirstSeen, b.LastSeen, b.LastRunId)));
        Assert.Empty(changes.Changed);
        Assert.Equal(["found", "found"], changes.Events.Select(e => e.Action));
        Assert.Equal(-10m, changes.Added[0].Difference);
    }

    [Fact]
    public void A_difference_found_again_keeps_its_break_its_first_date_owner_and_status()
    {
        ReconBreak known = Filed(Position(Apple, 100m, 90m, Day1), Day1, 3, BreakStatus.Explained) with { Owner = "alice" };

        BreakChanges changes = File([known], [Position(Apple, 100m, 80m, Day2)], Day2);

        ReconBreak now = Assert.Single(changes.Changed);
        Assert.Equal((3L, Day1, Day2, 80m, "alice", BreakStatus.Explained), (now.Id, now.FirstSeen, now.LastSeen, now.Theirs, now.Owner, now.Status));
        Assert.Equal(1, now.AgeDays(Day2));
        Assert.Equal("seen-again", Assert.Single(changes.Events).Action);
        Assert.Empty(changes.Added);
    }

    [Fact]
    public void A_resolved_break_found_again_is_reopened_not_duplicated()
    {
        ReconBreak known = Filed(Position(Apple, 100m, 90m, Day1), Day1, 3, BreakStatus.Resolved);

        BreakChanges changes = File([known], [Position(Apple, 100m, 95m, Day2)], Day2);

        Assert.Equal((3L, BreakStatus.Open, Day1), (changes.Changed[0].Id, changes.Changed[0].Status, changes.Changed[0].FirstSeen));
        Assert.Equal("reopened", changes.Events[0].Action);
        Assert.Empty(changes.Added);
    }

    [Fact]
    public void A_standing_break_not_found_again_agrees_and_resolves_but_a_movement_only_within_the_period_covered()
    {
        ReconBreak position = Filed(Position(Apple, 100m, 90m, Day1), Day1, 1);
        ReconBreak inPeriod = Filed(Movement("11", 5m, Day2), Day2, 2);
        ReconBreak earlier = Filed(Movement("12", 7m, Day1), Day1, 3);
        ReconBreak carriedForward = Filed(Movement("13", 9m, Day1), Day1, 4);

        BreakChanges changes = File([position, inPeriod, earlier, carriedForward], [], Day2, carried: new HashSet<string> { carriedForward.Key });

        Assert.Equal([1L, 2L, 4L], changes.Changed.Select(b => b.Id));
        Assert.All(changes.Changed, b => Assert.Equal(BreakStatus.Resolved, b.Status));
        Assert.All(changes.Events, e => Assert.Equal("agreed", e.Action));
    }

    [Fact]
    public void A_run_of_an_older_date_leaves_breaks_a_newer_run_saw_alone()
    {
        ReconBreak seenTomorrow = Filed(Position(Apple, 100m, 90m, Day2), Day1, 1) with { LastSeen = Day2 };

        BreakChanges again = File([seenTomorrow], [Position(Apple, 100m, 70m, Day1)], Day1);
        Assert.Empty(again.Added);
        Assert.Empty(again.Changed);
        Assert.Empty(again.Events);
        Assert.Empty(File([seenTomorrow], [], Day1).Changed);
    }

    [Fact]
    public void Operators_actions_follow_the_workflow()
    {
        ReconBreak open = Filed(Position(Apple, 100m, 90m, Day1), Day1, 5);

        Assert.Equal("bob", BreakBook.Act(open, "assign", "bob", null, "ops", At).Value.Changed[0].Owner);
        Assert.Equal("break.owner", BreakBook.Act(open, "assign", " ", null, "ops", At).Rejection?.Rule);
        Assert.Equal(BreakStatus.Explained, BreakBook.Act(open, "explain", null, "custodian late", "ops", At).Value.Changed[0].Status);
        Assert.Equal("break.note", BreakBook.Act(open, "resolve", null, null, "ops", At).Rejection?.Rule);
        ReconBreak resolved = BreakBook.Act(open, "resolve", null, "fixed at the custodian", "ops", At).Value.Changed[0];
        Assert.Equal(BreakStatus.Resolved, resolved.Status);
        Assert.Equal("break.resolved", BreakBook.Act(resolved, "explain", null, "late note", "ops", At).Rejection?.Rule);
        Assert.Equal("break.action", BreakBook.Act(open, "close", null, "x", "ops", At).Rejection?.Rule);
    }

    [Fact]
    public void Filing_the_same_key_twice_in_one_run_is_a_programming_error()
    {
        BreakFinding f = Position(Apple, 100m, 90m, Day1);
        Assert.ThrowsAny<Exception>(() => File([], [f, f], Day1));
    }

    [Fact]
    public void A_position_break_names_the_open_instruction_that_explains_it_a_fail_first_by_its_quantity()
    {
        SettlementInstruction other = FailsTests.Instruction("TX-OTHER", SettlementType.Rvp, Day1, quantity: 40m, isin: Apple, currency: "USD");
        SettlementInstruction failing = FailsTests.Instruction("TX-FAIL", SettlementType.Rvp, Day1, quantity: 10m, isin: Apple, currency: "USD",
            status: InstructionStatus.Failed) with
        { ReasonCode = "CLAC" };
        SettlementInstruction later = FailsTests.Instruction("TX-LATER", SettlementType.Rvp, Day2, quantity: 10m, isin: Microsoft, currency: "USD");
        var hints = new CauseHints([other, failing, later], [new StockSplit(Microsoft, Day1.PlusDays(3), new SplitRatio(2m, 1m), "issuer notice")]);
        var statement = new Statement(StatementKind.Custody, "S1", "SAFE", Day1, StatementBasis.SettlementDate, null,
            [new HoldingLine(Apple, 110m), new HoldingLine(Microsoft, 100m)], [], []);

        StatementComparison comparison = Reconciler.Custody(statement, [new PositionItem(Apple, 100m), new PositionItem(Microsoft, 50m)], hints);

        BreakFinding apple = comparison.Findings.Single(f => f.Subject == Apple);
        Assert.StartsWith("settlement fail: instruction TX-FAIL (receive 10 US0378331005", apple.Cause, StringComparison.Ordinal);
        Assert.EndsWith("(CLAC)", apple.Cause, StringComparison.Ordinal);
        // The Microsoft instruction settles after the date: the split three days on is the likelier cause.
        Assert.StartsWith("pending corporate action: split 2:1 of US5949181045", comparison.Findings.Single(f => f.Subject == Microsoft).Cause,
            StringComparison.Ordinal);
        Assert.Null(Reconciler.PositionCause(Apple, 1m, Day1.PlusDays(-5), hints));
        Assert.Equal((2, 0), (comparison.Compared, comparison.Matched));
    }

    [Fact]
    public void The_findings_digest_ignores_their_order_and_changes_with_any_figure()
    {
        BreakFinding a = Position(Apple, 100m, 90m, Day1), m = Position(Microsoft, 0m, 5m, Day1);
        var one = new StatementComparison([a, m], 3, 1, Day1);

        Assert.Equal(one.Digest(), new StatementComparison([m, a], 3, 1, Day1).Digest());
        Assert.NotEqual(one.Digest(), new StatementComparison([a, m with { Theirs = 6m }], 3, 1, Day1).Digest());
        Assert.NotEqual(one.Digest(), new StatementComparison([a], 3, 1, Day1).Digest());
    }

    [Fact]
    public void A_cash_period_starts_at_the_earliest_of_its_date_opening_balance_and_bookings()
    {
        var entries = new List<CashEntry> { new(5m, Day1.PlusDays(-2), null, "A", null) };
        var statement = new Statement(StatementKind.Cash, "C", "CASH", Day1, StatementBasis.SettlementDate, "USD", [], entries,
            [new CashBalance("OPBD", 0m, Day1.PlusDays(-1)), new CashBalance("CLBD", 5m, Day1)]);

        Assert.Equal(Day1.PlusDays(-2), Reconciler.CashPeriodStart(statement));
        Assert.Equal(Day1.PlusDays(-1), Reconciler.CashPeriodStart(statement with { Entries = [] }));
        Assert.Equal(Day1, Reconciler.CashPeriodStart(statement with { Entries = [], Balances = [] }));
    }

    [Fact]
    public void Keys_of_our_movements_give_back_their_ids_for_carrying_forward()
    {
        string key = BreakKeys.Ours("CASH-1", ["12", "15"]);

        Assert.Equal(["12", "15"], BreakKeys.OurIds("CASH-1", key));
        Assert.Empty(BreakKeys.OurIds("CASH-2", key));
        Assert.Empty(BreakKeys.OurIds("CASH-1", BreakKeys.Position("CASH-1", Apple)));
    }
}

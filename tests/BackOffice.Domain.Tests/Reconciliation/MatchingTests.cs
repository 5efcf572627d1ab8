using System.Globalization;
using BackOffice.Domain.Reconciliation;
using NodaTime;

namespace BackOffice.Domain.Tests.Reconciliation;

public sealed class MatchingTests
{
    private static readonly LocalDate Day = new(2026, 11, 25);
    private static readonly CashRules Strict = new();
    private static readonly BreakType[] CashBreakTypes = [BreakType.MissingAtCustodian, BreakType.MissingInBooks, BreakType.AmountDifference, BreakType.DateDifference];

    private static CashEntry Entry(decimal amount, LocalDate date, string? reference = null) => new(amount, date, null, reference, null);

    private static CashItem Item(string id, decimal amount, LocalDate date, string? reference = null) => new(id, amount, date, reference);

    /// <summary>The result with statement positions replaced by the entries they point at, so results of reordered inputs compare.</summary>
    private static (string[] Matches, string[] Breaks) Shape(CashMatchResult result, CashEntry[] theirs)
    {
        string Entries(IReadOnlyList<int> indexes) => string.Join(",", indexes.Select(i => theirs[i]).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Amount}@{e.BookingDate:uuuu-MM-dd}#{e.Reference}")).Order(StringComparer.Ordinal));
        return (
            [.. result.Matches.Select(m => $"{m.Rule}|{string.Join(",", m.OurIds)}|{Entries(m.TheirIndexes)}").Order(StringComparer.Ordinal)],
            [.. result.Breaks.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Type}|{string.Join(",", b.OurIds)}|{Entries(b.TheirIndexes)}|{b.Ours}|{b.Theirs}|{b.Date:uuuu-MM-dd}")).Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public void Positions_that_agree_give_no_break_even_when_split_over_several_lines()
    {
        PositionItem[] ours = [new("US0378331005", 100m), new("DE0007164600", 50m), new("DE0007164600", 25m)];
        HoldingLine[] theirs = [new("DE0007164600", 75m), new("US0378331005", 60m), new("US0378331005", 40m)];
        Assert.Empty(Matching.MatchPositions(ours, theirs));
    }

    [Fact]
    public void Each_position_difference_is_one_break_of_its_type_in_isin_order()
    {
        PositionItem[] ours = [new("US0378331005", 100m), new("DE0007164600", 50m), new("FR0000120271", 10m), new("GB0002374006", 0m), new("NL0000235190", 5m)];
        HoldingLine[] theirs = [new("NL0000235190", 5m), new("DE0007164600", 40m), new("US0378331005", 100m), new("GB0002374006", 7m), new("FR0000120271", 0m)];

        IReadOnlyList<PositionBreak> breaks = Matching.MatchPositions(ours, theirs);

        Assert.Equal(
            [
                new PositionBreak(BreakType.QuantityDifference, "DE0007164600", 50m, 40m),
                new PositionBreak(BreakType.MissingAtCustodian, "FR0000120271", 10m, 0m),
                new PositionBreak(BreakType.MissingInBooks, "GB0002374006", 0m, 7m),
            ],
            breaks);
        Assert.Equal(-10m, breaks[0].Difference);
    }

    [Fact]
    public void A_million_positions_a_side_are_matched()
    {
        const int count = 1_000_000;
        PositionItem[] ours = new PositionItem[count];
        HoldingLine[] theirs = new HoldingLine[count];
        for (int i = 0; i < count; i++)
        {
            string isin = "XS" + i.ToString("D10", CultureInfo.InvariantCulture);
            ours[i] = new PositionItem(isin, i);
            theirs[count - 1 - i] = new HoldingLine(isin, i == 777 ? i + 1 : i);
        }
        PositionBreak only = Assert.Single(Matching.MatchPositions(ours, theirs));
        Assert.Equal(new PositionBreak(BreakType.QuantityDifference, "XS0000000777", 777m, 778m), only);
    }

    [Fact]
    public void Cash_that_agrees_fully_gives_no_break()
    {
        CashItem[] ours = [Item("A", 100m, Day, "E2E-1"), Item("B", -250.50m, Day), Item("C", 99.99m, Day.PlusDays(1))];
        CashEntry[] theirs = [Entry(99.99m, Day.PlusDays(1)), Entry(100m, Day, "E2E-1"), Entry(-250.50m, Day)];

        CashMatchResult result = Matching.MatchCash(ours, theirs, Strict);

        Assert.Empty(result.Breaks);
        Assert.Equal(
            [("reference", "A", 1), ("one-to-one", "B", 2), ("one-to-one", "C", 0)],
            result.Matches.OrderBy(m => m.OurIds[0], StringComparer.Ordinal).Select(m => (m.Rule, Assert.Single(m.OurIds), Assert.Single(m.TheirIndexes))));
    }

    [Fact]
    public void Each_planted_cash_difference_is_exactly_one_break_of_its_type()
    {
        CashItem[] ours =
        [
            Item("OK", 10m, Day, "E2E-OK"),
            Item("GONE", 20m, Day),
            Item("AMOUNT", 30m, Day, "E2E-AMOUNT"),
            Item("LATE", 40m, Day, "E2E-LATE"),
        ];
        CashEntry[] theirs =
        [
            Entry(10m, Day, "E2E-OK"),
            Entry(-5m, Day, "FEE"),
            Entry(31m, Day, "E2E-AMOUNT"),
            Entry(40m, Day.PlusDays(3), "E2E-LATE"),
        ];

        CashMatchResult result = Matching.MatchCash(ours, theirs, new CashRules(DateToleranceDays: 1));

        Assert.Equal(
            [
                new CashBreak(BreakType.MissingAtCustodian, ["GONE"], [], 20m, 0m, Day),
                new CashBreak(BreakType.MissingInBooks, [], [1], 0m, -5m, Day),
                new CashBreak(BreakType.AmountDifference, ["AMOUNT"], [2], 30m, 31m, Day),
                new CashBreak(BreakType.DateDifference, ["LATE"], [3], 40m, 40m, Day.PlusDays(3)),
            ],
            result.Breaks.OrderBy(b => b.Type),
            CashBreakComparer.Instance);
        // The late movement is still matched; the amount difference is a break, not a match.
        Assert.Equal(["OK", "LATE"], result.Matches.Select(m => Assert.Single(m.OurIds)));
    }

    [Fact]
    public void One_statement_entry_matches_several_of_ours_and_the_mirror()
    {
        CashItem[] ours = [Item("P1", 100m, Day), Item("P2", 250m, Day.PlusDays(1)), Item("OUT", -700m, Day), Item("X", 5m, Day)];
        CashEntry[] theirs = [Entry(350m, Day), Entry(-300m, Day), Entry(-400m, Day.PlusDays(1))];

        CashMatchResult result = Matching.MatchCash(ours, theirs, new CashRules(DateToleranceDays: 1));

        Assert.Equal(
            [("one-to-many", "P1,P2", "0"), ("many-to-one", "OUT", "1,2")],
            result.Matches.Select(m => (m.Rule, string.Join(",", m.OurIds), string.Join(",", m.TheirIndexes))));
        CashBreak left = Assert.Single(result.Breaks);
        Assert.Equal((BreakType.MissingAtCustodian, "X"), (left.Type, Assert.Single(left.OurIds)));
    }

    [Fact]
    public void A_group_outside_the_date_window_or_above_the_group_size_does_not_match()
    {
        CashItem[] ours = [Item("P1", 100m, Day), Item("P2", 250m, Day.PlusDays(2))];
        CashEntry[] theirs = [Entry(350m, Day)];
        Assert.Empty(Matching.MatchCash(ours, theirs, new CashRules(DateToleranceDays: 1)).Matches);
        Assert.Single(Matching.MatchCash(ours, theirs, new CashRules(DateToleranceDays: 2)).Matches);

        CashItem[] three = [Item("P1", 1m, Day), Item("P2", 2m, Day), Item("P3", 3m, Day)];
        Assert.Empty(Matching.MatchCash(three, [Entry(6m, Day)], new CashRules(GroupMax: 2)).Matches);
        Assert.Single(Matching.MatchCash(three, [Entry(6m, Day)], new CashRules(GroupMax: 3)).Matches);
    }

    [Theory]
    [InlineData("100.01", true)]
    [InlineData("99.99", true)]
    [InlineData("100.02", false)]
    public void An_amount_within_the_tolerance_matches_and_beyond_it_does_not(string statementAmount, bool matches)
    {
        CashEntry[] theirs = [Entry(decimal.Parse(statementAmount, CultureInfo.InvariantCulture), Day)];
        CashMatchResult result = Matching.MatchCash([Item("A", 100m, Day)], theirs, new CashRules(AmountTolerance: 0.01m));
        Assert.Equal(matches ? 1 : 0, result.Matches.Count);
        Assert.Equal(matches ? Array.Empty<BreakType>() : new[] { BreakType.MissingAtCustodian, BreakType.MissingInBooks }, result.Breaks.Select(b => b.Type));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(-2, true)]
    [InlineData(3, false)]
    [InlineData(-3, false)]
    public void A_date_within_the_window_matches_and_beyond_it_does_not(int days, bool matches)
    {
        CashMatchResult result = Matching.MatchCash([Item("A", 100m, Day)], [Entry(100m, Day.PlusDays(days))], new CashRules(DateToleranceDays: 2));
        Assert.Equal(matches ? 1 : 0, result.Matches.Count);
        Assert.Equal(matches ? 0 : 2, result.Breaks.Count);
    }

    [Fact]
    public void The_closest_date_wins_among_several_candidates()
    {
        CashEntry[] theirs = [Entry(100m, Day.PlusDays(-2)), Entry(100m, Day.PlusDays(1)), Entry(100m, Day.PlusDays(-1))];
        CashMatchResult result = Matching.MatchCash([Item("A", 100m, Day)], theirs, new CashRules(DateToleranceDays: 2));
        // One day either side is a tie: the earlier date wins.
        Assert.Equal([2], Assert.Single(result.Matches).TheirIndexes);
    }

    [Fact]
    public void Matching_by_reference_wins_over_matching_by_amount()
    {
        CashEntry[] theirs = [Entry(100m, Day), Entry(100m, Day.PlusDays(1), "E2E-9")];

        CashMatchResult byReference = Matching.MatchCash([Item("A", 100m, Day, "E2E-9")], theirs, new CashRules(DateToleranceDays: 1));
        CashMatch match = Assert.Single(byReference.Matches);
        Assert.Equal(("reference", 1), (match.Rule, Assert.Single(match.TheirIndexes)));
        Assert.Equal((BreakType.MissingInBooks, 0), (Assert.Single(byReference.Breaks).Type, byReference.Breaks[0].TheirIndexes[0]));

        CashMatchResult byAmount = Matching.MatchCash([Item("A", 100m, Day, "E2E-9")], theirs, new CashRules(DateToleranceDays: 1, MatchByReference: false));
        Assert.Equal(("one-to-one", 0), (byAmount.Matches[0].Rule, byAmount.Matches[0].TheirIndexes[0]));
    }

    [Fact]
    public void The_same_inputs_in_another_order_give_the_same_matches_and_breaks()
    {
        CashItem[] ours =
        [
            Item("A", 100m, Day), Item("B", 100m, Day), Item("C", 50m, Day.PlusDays(1)), Item("D", 70m, Day),
            Item("E", 20m, Day, "E2E-E"), Item("F", 30m, Day), Item("G", 25m, Day), Item("H", 25m, Day.PlusDays(1)),
        ];
        CashEntry[] theirs =
        [
            Entry(100m, Day, "BANK-1"), Entry(100m, Day.PlusDays(1), "BANK-2"), Entry(100m, Day.PlusDays(1), "BANK-3"),
            Entry(120m, Day), Entry(21m, Day, "E2E-E"), Entry(50m, Day), Entry(25m, Day), Entry(-8m, Day),
        ];
        var rules = new CashRules(DateToleranceDays: 1);
        var expected = Shape(Matching.MatchCash(ours, theirs, rules), theirs);

        var random = new Random(20261125);
        for (int round = 0; round < 50; round++)
        {
            CashItem[] oursShuffled = [.. ours];
            CashEntry[] theirsShuffled = [.. theirs];
            random.Shuffle(oursShuffled);
            random.Shuffle(theirsShuffled);
            var actual = Shape(Matching.MatchCash(oursShuffled, theirsShuffled, rules), theirsShuffled);
            Assert.Equal(expected.Matches, actual.Matches);
            Assert.Equal(expected.Breaks, actual.Breaks);
        }
    }

    [Fact]
    public void Two_hundred_thousand_movements_under_one_catch_all_reference_are_matched()
    {
        const int count = 200_000;
        CashItem[] ours = new CashItem[count];
        CashEntry[] theirs = new CashEntry[count];
        for (int i = 0; i < count; i++)
        {
            // Many movements share each amount and date, and every one quotes the same reference.
            ours[i] = Item("M" + i.ToString(CultureInfo.InvariantCulture), 10m + (i % 50), Day.PlusDays(i % 20), "NOTPROVIDED");
            theirs[count - 1 - i] = Entry(10m + (i % 50), Day.PlusDays((i % 20) + 1), "NOTPROVIDED");
        }
        CashMatchResult result = Matching.MatchCash(ours, theirs, new CashRules(DateToleranceDays: 1));
        Assert.Equal(count, result.Matches.Count);
        Assert.DoesNotContain(result.Breaks, b => b.Type != BreakType.DateDifference);
    }

    [Fact]
    public void A_balance_differs_only_beyond_the_tolerance()
    {
        var closing = new CashBalance("CLBD", 1000.05m, Day);
        Assert.Null(Matching.MatchBalance(1000m, closing, 0.05m));
        CashBreak difference = Assert.IsType<CashBreak>(Matching.MatchBalance(1000m, closing, 0.01m));
        Assert.Equal((BreakType.AmountDifference, 1000m, 1000.05m, Day), (difference.Type, difference.Ours, difference.Theirs, difference.Date));
    }

    [Fact]
    public void Planted_differences_give_exactly_that_many_breaks_over_random_statements()
    {
        var random = new Random(42);
        var rules = new CashRules(AmountTolerance: 0.01m, DateToleranceDays: 2);
        for (int round = 0; round < 300; round++)
        {
            int count = random.Next(5, 40);
            // Distinct multiples of 0.07 stay further apart than the tolerance, so no movement can match another's entry by accident.
            var amountSteps = new HashSet<int>();
            while (amountSteps.Count < count)
            {
                amountSteps.Add(random.Next(1_000, 1_000_000));
            }
            CashItem[] ours = [.. amountSteps.Select((step, i) => Item("M" + i.ToString(CultureInfo.InvariantCulture), step * 0.07m, Day.PlusDays(random.Next(0, 10)),
                random.Next(2) == 0 ? "E2E-" + i.ToString(CultureInfo.InvariantCulture) : null))];
            var theirs = new List<CashEntry>();
            var planted = new Dictionary<BreakType, int>();
            foreach (CashItem item in ours)
            {
                // Most movements agree; each of the others carries one planted difference.
                BreakType? plant = random.Next(4) != 0 ? null : CashBreakTypes[random.Next(CashBreakTypes.Length)];
                plant = plant is BreakType.AmountDifference or BreakType.DateDifference && item.Reference is null ? BreakType.MissingAtCustodian : plant;
                CashEntry agreeing = Entry(item.Amount, item.Date.PlusDays(random.Next(-2, 3)), item.Reference);
                switch (plant)
                {
                    case null:
                        theirs.Add(agreeing);
                        break;
                    case BreakType.MissingAtCustodian:
                        break;
                    case BreakType.MissingInBooks:
                        theirs.Add(agreeing);
                        // Negative, while all of ours are positive: it cannot match alone or in a group.
                        theirs.Add(Entry(-random.Next(1, 100_000) / 100m, item.Date, "BANK-" + theirs.Count.ToString(CultureInfo.InvariantCulture)));
                        break;
                    case BreakType.AmountDifference:
                        theirs.Add(agreeing with { Amount = item.Amount + (random.Next(2, 5_000) / 100m) });
                        break;
                    case BreakType.DateDifference:
                        theirs.Add(agreeing with { BookingDate = item.Date.PlusDays(random.Next(2) == 0 ? random.Next(3, 30) : -random.Next(3, 30)) });
                        break;
                }
                if (plant is { } type)
                {
                    planted[type] = planted.GetValueOrDefault(type) + 1;
                }
            }
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(theirs));

            CashMatchResult result = Matching.MatchCash(ours, theirs, rules);

            Assert.Equal(planted.Values.Sum(), result.Breaks.Count);
            Assert.Equal(planted.OrderBy(p => p.Key), result.Breaks.GroupBy(b => b.Type).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderBy(p => p.Key));
            int unmatchedOurs = planted.GetValueOrDefault(BreakType.MissingAtCustodian) + planted.GetValueOrDefault(BreakType.AmountDifference);
            Assert.Equal(count - unmatchedOurs, result.Matches.Sum(m => m.OurIds.Count));
        }
    }

    private sealed class CashBreakComparer : IEqualityComparer<CashBreak>
    {
        public static readonly CashBreakComparer Instance = new();

        public bool Equals(CashBreak? x, CashBreak? y) =>
            x is not null && y is not null && (x.Type, x.Ours, x.Theirs, x.Date) == (y.Type, y.Ours, y.Theirs, y.Date)
            && x.OurIds.SequenceEqual(y.OurIds, StringComparer.Ordinal) && x.TheirIndexes.SequenceEqual(y.TheirIndexes);

        public int GetHashCode(CashBreak obj) => HashCode.Combine(obj.Type, obj.Ours, obj.Theirs, obj.Date);
    }
}

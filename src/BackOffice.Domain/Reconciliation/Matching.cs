using System.Runtime.InteropServices;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Reconciliation;

/// <summary>What kind of difference a reconciliation found between our books and a statement.</summary>
public enum BreakType
{
    /// <summary>We hold it (a position, or a cash movement in our books); the statement does not show it.</summary>
    MissingAtCustodian = 1,

    /// <summary>The statement shows it; our books do not.</summary>
    MissingInBooks = 2,

    /// <summary>Both sides hold the instrument, in different quantities.</summary>
    QuantityDifference = 3,

    /// <summary>Both sides show the movement or balance, for different amounts.</summary>
    AmountDifference = 4,

    /// <summary>Both sides show the movement for the same amount, on dates further apart than allowed.</summary>
    DateDifference = 5,
}

/// <summary>One position in our books, or one line of a custody statement: an ISIN and a signed quantity.</summary>
public sealed record PositionItem(string Isin, decimal Quantity);

/// <summary>
/// A position difference for one ISIN. <paramref name="Ours"/> and <paramref name="Theirs"/> are
/// the quantities each side holds in total (zero when the side does not hold it).
/// </summary>
public sealed record PositionBreak(BreakType Type, string Isin, decimal Ours, decimal Theirs)
{
    /// <summary>What the statement holds more than we do (negative when it holds less).</summary>
    public decimal Difference => Theirs - Ours;
}

/// <summary>
/// One cash movement in our books, to be matched against a bank's or custodian's cash statement.
/// <paramref name="Id"/> identifies it in our books and must be unique within one run.
/// <paramref name="Amount"/> is signed as the statement signs it: money into the account is positive.
/// <paramref name="Date"/> is the date we expect it to be booked on the account.
/// <paramref name="Reference"/> is the reference we expect the bank to quote back, if any.
/// </summary>
public sealed record CashItem(string Id, decimal Amount, LocalDate Date, string? Reference);

/// <summary>
/// How loosely cash is matched. The defaults are the strictest: amounts and dates must be equal.
/// </summary>
/// <param name="AmountTolerance">
/// The largest amount difference still treated as equal (for example 0.01 for rounding by the
/// bank). Zero or more.
/// </param>
/// <param name="DateToleranceDays">
/// How many calendar days apart the two sides' dates may be and still match (from 0 to
/// <see cref="Matching.DateToleranceDaysMax"/>). The statement's booking date is the one compared.
/// </param>
/// <param name="MatchByReference">Whether the first pass pairs movements that quote the same reference.</param>
/// <param name="GroupMax">
/// The most movements one movement may be matched against as a group (one statement entry
/// against several of ours, or the reverse). Below 2 no group matching is done; at most
/// <see cref="Matching.GroupSizeMax"/>.
/// </param>
public sealed record CashRules(decimal AmountTolerance = 0m, int DateToleranceDays = 0, bool MatchByReference = true, int GroupMax = 3);

/// <summary>
/// Movements that agree: our movements by <paramref name="OurIds"/> (ordinal order), the
/// statement's entries by their position in the statement, from 0 (<paramref name="TheirIndexes"/>,
/// ascending), and the rule that paired them: <c>reference</c>, <c>one-to-one</c>,
/// <c>one-to-many</c> (one statement entry, several of ours) or <c>many-to-one</c> (several
/// statement entries, one of ours).
/// </summary>
public sealed record CashMatch(IReadOnlyList<string> OurIds, IReadOnlyList<int> TheirIndexes, string Rule);

/// <summary>
/// A cash difference. <paramref name="Ours"/> and <paramref name="Theirs"/> are the amounts on each
/// side (zero for the side that is missing). <paramref name="Date"/> is the statement's booking date
/// when the statement has the movement, else our date; for a balance, the date it is struck on.
/// </summary>
public sealed record CashBreak(BreakType Type, IReadOnlyList<string> OurIds, IReadOnlyList<int> TheirIndexes, decimal Ours, decimal Theirs, LocalDate Date);

/// <summary>
/// The outcome of matching cash: the matches, ordered by their first statement entry, and the
/// breaks, ordered by date, type, first statement entry and then first id of ours.
/// </summary>
public sealed record CashMatchResult(IReadOnlyList<CashMatch> Matches, IReadOnlyList<CashBreak> Breaks);

/// <summary>
/// The matching engine of reconciliation: compares our books with an external statement and
/// lists what agrees and what does not. Pure: no storage, no clock; the same inputs always give
/// the same output, whatever order the inputs come in.
/// </summary>
public static class Matching
{
    /// <summary>Rule name of a match made on the same reference.</summary>
    public const string ReferenceRule = "reference";

    /// <summary>Rule name of a match of one of our movements with one statement entry on amount and date.</summary>
    public const string OneToOneRule = "one-to-one";

    /// <summary>Rule name of a match of one statement entry with several of our movements.</summary>
    public const string OneToManyRule = "one-to-many";

    /// <summary>Rule name of a match of several statement entries with one of our movements.</summary>
    public const string ManyToOneRule = "many-to-one";

    /// <summary>The largest group size <see cref="CashRules.GroupMax"/> may ask for.</summary>
    public const int GroupSizeMax = 5;

    /// <summary>The largest date window <see cref="CashRules.DateToleranceDays"/> may ask for.</summary>
    public const int DateToleranceDaysMax = 31;

    /// <summary>
    /// How many open movements, taken in date order within the date window, a group search
    /// looks at. With <see cref="GroupSizeMax"/> this bounds the search per movement to
    /// C(20,2) + ... + C(20,5), about 21,700 sums, so a day with many open items stays fast.
    /// </summary>
    public const int GroupCandidatesMax = 20;

    /// <summary>
    /// How many open statement entries sharing one reference the reference pass compares with each
    /// of our movements. A catch-all reference (such as NOTPROVIDED) on many entries then cannot make
    /// matching quadratic; what the reference pass misses still goes through the amount passes.
    /// </summary>
    public const int ReferenceCandidatesMax = 64;

    /// <summary>
    /// Compares our positions with a custody statement's holdings, ISIN by ISIN. Several lines for
    /// one ISIN on either side are added up first. An ISIN whose totals are equal gives no break;
    /// one the statement lacks (or holds zero of) is <see cref="BreakType.MissingAtCustodian"/>,
    /// one we lack (or hold zero of) is <see cref="BreakType.MissingInBooks"/>, any other
    /// difference is <see cref="BreakType.QuantityDifference"/>. Breaks come ordered by ISIN
    /// (ordinal). Runs in time linear in the lines, plus sorting the ISINs that differ.
    /// </summary>
    public static IReadOnlyList<PositionBreak> MatchPositions(IReadOnlyList<PositionItem> ours, IReadOnlyList<HoldingLine> theirs)
    {
        var totals = new Dictionary<string, (decimal Ours, decimal Theirs)>(StringComparer.Ordinal);
        foreach (PositionItem item in ours)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(totals, item.Isin, out _).Ours += item.Quantity;
        }
        foreach (HoldingLine line in theirs)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(totals, line.Isin, out _).Theirs += line.Quantity;
        }
        var breaks = new List<PositionBreak>();
        foreach (var (isin, (o, t)) in totals)
        {
            if (o != t)
            {
                BreakType type = t == 0m ? BreakType.MissingAtCustodian : o == 0m ? BreakType.MissingInBooks : BreakType.QuantityDifference;
                breaks.Add(new PositionBreak(type, isin, o, t));
            }
        }
        breaks.Sort(static (x, y) => string.CompareOrdinal(x.Isin, y.Isin));
        return breaks;
    }

    /// <summary>
    /// Matches our cash movements with a cash statement's entries in five passes, in this order,
    /// each taking out of play what it matches:
    /// <list type="number">
    /// <item>Reference (when <see cref="CashRules.MatchByReference"/>): the same non-empty reference
    /// and amounts within tolerance make a match; if their dates are further apart than the window it
    /// is still a match and also a <see cref="BreakType.DateDifference"/> break. When, after that, a
    /// reference is left on exactly one of ours and one statement entry, the two are paired as an
    /// <see cref="BreakType.AmountDifference"/> break (with more on either side, which belongs to
    /// which is unclear, and they are left to the later passes).</item>
    /// <item>One-to-one: amounts within tolerance and dates within the window. Among several
    /// candidates the closest date wins (the earlier on a tie), then the smaller amount, then the
    /// earlier in the statement order described below.</item>
    /// <item>One-to-many: a statement entry equal, within tolerance, to the sum of 2 to
    /// <see cref="CashRules.GroupMax"/> of our open movements, all within the window of its date.</item>
    /// <item>Many-to-one: the mirror, one of ours against several statement entries.</item>
    /// <item>What is left: each open movement of ours is <see cref="BreakType.MissingAtCustodian"/>
    /// (missing at the bank), each open statement entry <see cref="BreakType.MissingInBooks"/>.</item>
    /// </list>
    /// The statement entry's booking date is the date compared. Group passes look at the first
    /// <see cref="GroupCandidatesMax"/> open movements in the window and try smaller groups first,
    /// then the earliest combination.
    /// </summary>
    /// <remarks>
    /// Deterministic: both sides are first put in a fixed order (ours by date, amount and id;
    /// the statement's by booking date, amount, reference, value date, description and position),
    /// and every choice follows that order. Reordering either input therefore changes nothing but
    /// the statement positions reported. Our ids must be unique.
    /// </remarks>
    public static CashMatchResult MatchCash(IReadOnlyList<CashItem> ours, IReadOnlyList<CashEntry> theirs, CashRules rules)
    {
        Invariant.That(rules.AmountTolerance >= 0m, "the amount tolerance must not be negative");
        Invariant.That(rules.DateToleranceDays is >= 0 and <= DateToleranceDaysMax, $"the date tolerance must be 0 to {DateToleranceDaysMax} days");
        Invariant.That(rules.GroupMax <= GroupSizeMax, $"a group may hold at most {GroupSizeMax} movements");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (CashItem item in ours)
        {
            Invariant.That(item.Id is not null && ids.Add(item.Id), $"our cash movement ids must be unique: {item.Id}");
        }
        var matcher = new CashMatcher(ours, theirs, rules);
        if (rules.MatchByReference)
        {
            matcher.MatchReferences();
        }
        matcher.MatchOneToOne();
        if (rules.GroupMax >= 2)
        {
            matcher.MatchGroups(oneStatementEntry: true);
            matcher.MatchGroups(oneStatementEntry: false);
        }
        return matcher.Finish();
    }

    /// <summary>
    /// Compares our cash balance with a balance on the statement: an
    /// <see cref="BreakType.AmountDifference"/> break, dated the statement balance's date, when they
    /// differ by more than <paramref name="tolerance"/>; otherwise null.
    /// </summary>
    public static CashBreak? MatchBalance(decimal ours, CashBalance theirs, decimal tolerance)
    {
        Invariant.That(tolerance >= 0m, "the amount tolerance must not be negative");
        return Math.Abs(theirs.Amount - ours) <= tolerance ? null : new CashBreak(BreakType.AmountDifference, [], [], ours, theirs.Amount, theirs.Date);
    }
}

/// <summary>
/// Which of a run of positions are still open. Finding the next open position skips taken ones in
/// near-constant time (union-find style: a taken position points past itself, and paths are
/// shortened as they are followed), so repeated scans over a busy day stay linear overall.
/// </summary>
internal sealed class OpenPositions
{
    private readonly int[] _next;

    public OpenPositions(int count)
    {
        _next = new int[count + 1];
        for (int i = 0; i < _next.Length; i++)
        {
            _next[i] = i;
        }
    }

    public bool IsOpen(int position) => _next[position] == position;

    public void Take(int position) => _next[position] = position + 1;

    /// <summary>The first open position at or after <paramref name="position"/>; the count when none is.</summary>
    public int NextOpen(int position)
    {
        int root = position;
        while (_next[root] != root)
        {
            root = _next[root];
        }
        while (position != root)
        {
            int up = _next[position];
            _next[position] = root;
            position = up;
        }
        return root;
    }
}

/// <summary>One side of a cash match in its fixed order: for each position the input index, the date and the amount, and which positions are still open.</summary>
internal sealed class CashSide
{
    private readonly OpenPositions _open;

    public CashSide(int[] order, LocalDate[] dates, decimal[] amounts)
    {
        Order = order;
        Dates = dates;
        Amounts = amounts;
        _open = new OpenPositions(order.Length);
    }

    public int[] Order { get; }

    public LocalDate[] Dates { get; }

    public decimal[] Amounts { get; }

    public int Count => Order.Length;

    public bool IsOpen(int position) => _open.IsOpen(position);

    public void Take(int position) => _open.Take(position);

    /// <summary>The first open position at or after <paramref name="position"/>, or <see cref="Count"/>.</summary>
    public int NextOpen(int position) => _open.NextOpen(position);

    /// <summary>The first position whose (date, amount) is not below (<paramref name="date"/>, <paramref name="amount"/>).</summary>
    public int LowerBound(LocalDate date, decimal amount)
    {
        int low = 0;
        int high = Count;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            int c = Dates[middle].CompareTo(date);
            if (c < 0 || (c == 0 && Amounts[middle] < amount))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}

/// <summary>The state of one <see cref="Matching.MatchCash"/> run: both sides in their fixed order, and what has been found so far.</summary>
internal sealed class CashMatcher
{
    private readonly IReadOnlyList<CashItem> _ours;
    private readonly IReadOnlyList<CashEntry> _theirs;
    private readonly CashRules _rules;
    private readonly CashSide _our;
    private readonly CashSide _their;
    private readonly List<CashMatch> _matches = [];
    private readonly List<CashBreak> _breaks = [];

    public CashMatcher(IReadOnlyList<CashItem> ours, IReadOnlyList<CashEntry> theirs, CashRules rules)
    {
        _ours = ours;
        _theirs = theirs;
        _rules = rules;
        int[] ourOrder = [.. Enumerable.Range(0, ours.Count)];
        Array.Sort(ourOrder, (x, y) => CompareOurs(ours[x], ours[y]));
        _our = new CashSide(ourOrder, [.. ourOrder.Select(i => ours[i].Date)], [.. ourOrder.Select(i => ours[i].Amount)]);
        int[] theirOrder = [.. Enumerable.Range(0, theirs.Count)];
        Array.Sort(theirOrder, (x, y) => CompareTheirs(theirs[x], theirs[y], x, y));
        _their = new CashSide(theirOrder, [.. theirOrder.Select(i => theirs[i].BookingDate)], [.. theirOrder.Select(i => theirs[i].Amount)]);
    }

    private static int CompareOurs(CashItem x, CashItem y)
    {
        int c = x.Date.CompareTo(y.Date);
        c = c != 0 ? c : x.Amount.CompareTo(y.Amount);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    private static int CompareTheirs(CashEntry x, CashEntry y, int xIndex, int yIndex)
    {
        int c = x.BookingDate.CompareTo(y.BookingDate);
        c = c != 0 ? c : x.Amount.CompareTo(y.Amount);
        c = c != 0 ? c : string.CompareOrdinal(x.Reference, y.Reference);
        c = c != 0 ? c : Nullable.Compare(x.ValueDate, y.ValueDate);
        c = c != 0 ? c : string.CompareOrdinal(x.Description, y.Description);
        return c != 0 ? c : xIndex.CompareTo(yIndex);
    }

    private bool Within(decimal x, decimal y) => Math.Abs(x - y) <= _rules.AmountTolerance;

    private static int DaysApart(LocalDate x, LocalDate y) => Math.Abs(Period.DaysBetween(x, y));

    /// <summary>Pass 1: the same reference. See <see cref="Matching.MatchCash"/>.</summary>
    public void MatchReferences()
    {
        // Statement positions with a reference, grouped by reference and in the fixed order within each group.
        var byReference = new Dictionary<string, ReferenceGroup>(StringComparer.Ordinal);
        for (int p = 0; p < _their.Count; p++)
        {
            if (_theirs[_their.Order[p]].Reference is { Length: > 0 } reference)
            {
                if (!byReference.TryGetValue(reference, out ReferenceGroup? group))
                {
                    byReference[reference] = group = new ReferenceGroup();
                }
                group.Positions.Add(p);
            }
        }
        var ourOpen = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int q = 0; q < _our.Count; q++)
        {
            if (_ours[_our.Order[q]].Reference is not { Length: > 0 } reference || !byReference.TryGetValue(reference, out ReferenceGroup? candidates))
            {
                continue;
            }
            int best = BestByReference(q, candidates);
            if (best >= 0)
            {
                Pair(q, best, Matching.ReferenceRule);
                if (DaysApart(_our.Dates[q], _their.Dates[best]) > _rules.DateToleranceDays)
                {
                    AddBreak(BreakType.DateDifference, [q], [best]);
                }
            }
            else
            {
                if (!ourOpen.TryGetValue(reference, out List<int>? open))
                {
                    ourOpen[reference] = open = [];
                }
                open.Add(q);
            }
        }
        PairLoneReferences(ourOpen, byReference);
    }

    /// <summary>The open statement position with the same reference, the amount within tolerance and the closest date; -1 if none.</summary>
    private int BestByReference(int q, ReferenceGroup candidates)
    {
        int best = -1;
        int bestDays = int.MaxValue;
        int looked = 0;
        for (int k = candidates.Open.NextOpen(0); k < candidates.Positions.Count && looked < Matching.ReferenceCandidatesMax; k = candidates.Open.NextOpen(k + 1))
        {
            int p = candidates.Positions[k];
            if (!_their.IsOpen(p))
            {
                // Taken earlier in this pass: skip it for good, so a busy reference is not rescanned.
                candidates.Open.Take(k);
                continue;
            }
            looked++;
            int days = DaysApart(_our.Dates[q], _their.Dates[p]);
            if (Within(_our.Amounts[q], _their.Amounts[p]) && days < bestDays)
            {
                (best, bestDays) = (p, days);
            }
        }
        return best;
    }

    /// <summary>A reference left open on exactly one movement of each side pairs them as an amount difference.</summary>
    private void PairLoneReferences(Dictionary<string, List<int>> ourOpen, Dictionary<string, ReferenceGroup> byReference)
    {
        // Our positions were added in the fixed order, so ordering by the first one keeps the result independent of hashing.
        foreach (List<int> open in ourOpen.Values.Where(l => l.Count == 1).OrderBy(l => l[0]))
        {
            int q = open[0];
            int lone = -1;
            foreach (int p in byReference[_ours[_our.Order[q]].Reference!].Positions)
            {
                if (_their.IsOpen(p))
                {
                    if (lone >= 0)
                    {
                        lone = -1;
                        break;
                    }
                    lone = p;
                }
            }
            if (lone >= 0)
            {
                _our.Take(q);
                _their.Take(lone);
                AddBreak(BreakType.AmountDifference, [q], [lone]);
            }
        }
    }

    /// <summary>Pass 2: amount within tolerance and date within the window, closest date first.</summary>
    public void MatchOneToOne()
    {
        for (int q = _our.NextOpen(0); q < _our.Count; q = _our.NextOpen(q + 1))
        {
            LocalDate date = _our.Dates[q];
            decimal amount = _our.Amounts[q];
            for (int step = 0; step <= 2 * _rules.DateToleranceDays; step++)
            {
                // 0, -1, +1, -2, +2, ...: the closest day first, the earlier on a tie.
                int offset = step % 2 == 0 ? step / 2 : -((step + 1) / 2);
                LocalDate day = date.PlusDays(offset);
                int p = _their.NextOpen(_their.LowerBound(day, amount - _rules.AmountTolerance));
                if (p < _their.Count && _their.Dates[p] == day && _their.Amounts[p] <= amount + _rules.AmountTolerance)
                {
                    Pair(q, p, Matching.OneToOneRule);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Pass 3 (<paramref name="oneStatementEntry"/> true: one statement entry against several of ours)
    /// or pass 4 (one of ours against several statement entries).
    /// </summary>
    public void MatchGroups(bool oneStatementEntry)
    {
        CashSide single = oneStatementEntry ? _their : _our;
        CashSide pool = oneStatementEntry ? _our : _their;
        var candidates = new List<int>(Matching.GroupCandidatesMax);
        var chosen = new List<int>(Matching.GroupSizeMax);
        for (int s = single.NextOpen(0); s < single.Count; s = single.NextOpen(s + 1))
        {
            LocalDate last = single.Dates[s].PlusDays(_rules.DateToleranceDays);
            candidates.Clear();
            for (int p = pool.NextOpen(pool.LowerBound(single.Dates[s].PlusDays(-_rules.DateToleranceDays), decimal.MinValue));
                 p < pool.Count && pool.Dates[p] <= last && candidates.Count < Matching.GroupCandidatesMax;
                 p = pool.NextOpen(p + 1))
            {
                candidates.Add(p);
            }
            for (int size = 2; size <= Math.Min(_rules.GroupMax, candidates.Count); size++)
            {
                chosen.Clear();
                if (FindGroup(pool, candidates, 0, size, 0m, single.Amounts[s], chosen))
                {
                    single.Take(s);
                    chosen.ForEach(pool.Take);
                    AddMatch(oneStatementEntry ? [.. chosen] : [s], oneStatementEntry ? [s] : [.. chosen], oneStatementEntry ? Matching.OneToManyRule : Matching.ManyToOneRule);
                    break;
                }
            }
        }
    }

    /// <summary>The first combination, in candidate order, of <paramref name="size"/> more candidates that brings the sum within tolerance of the target.</summary>
    private bool FindGroup(CashSide pool, List<int> candidates, int from, int size, decimal sum, decimal target, List<int> chosen)
    {
        if (size == 0)
        {
            return Within(sum, target);
        }
        for (int k = from; k <= candidates.Count - size; k++)
        {
            chosen.Add(candidates[k]);
            if (FindGroup(pool, candidates, k + 1, size - 1, sum + pool.Amounts[candidates[k]], target, chosen))
            {
                return true;
            }
            chosen.RemoveAt(chosen.Count - 1);
        }
        return false;
    }

    /// <summary>Pass 5 and the result: what is left open on either side is a break; then both lists are put in their documented order.</summary>
    public CashMatchResult Finish()
    {
        for (int q = _our.NextOpen(0); q < _our.Count; q = _our.NextOpen(q + 1))
        {
            AddBreak(BreakType.MissingAtCustodian, [q], []);
        }
        for (int p = _their.NextOpen(0); p < _their.Count; p = _their.NextOpen(p + 1))
        {
            AddBreak(BreakType.MissingInBooks, [], [p]);
        }
        _matches.Sort(static (x, y) => x.TheirIndexes[0].CompareTo(y.TheirIndexes[0]));
        _breaks.Sort(static (x, y) =>
        {
            int c = x.Date.CompareTo(y.Date);
            c = c != 0 ? c : x.Type.CompareTo(y.Type);
            c = c != 0 ? c : (x.TheirIndexes.Count > 0 ? x.TheirIndexes[0] : int.MaxValue).CompareTo(y.TheirIndexes.Count > 0 ? y.TheirIndexes[0] : int.MaxValue);
            return c != 0 ? c : string.CompareOrdinal(x.OurIds.Count > 0 ? x.OurIds[0] : null, y.OurIds.Count > 0 ? y.OurIds[0] : null);
        });
        return new CashMatchResult(_matches, _breaks);
    }

    /// <summary>The statement positions quoting one reference, in the fixed order, and which of them are still open.</summary>
    private sealed class ReferenceGroup
    {
        private OpenPositions? _open;

        public List<int> Positions { get; } = [];

        /// <summary>Made on first use, once every position has been added.</summary>
        public OpenPositions Open => _open ??= new OpenPositions(Positions.Count);
    }

    private void Pair(int q, int p, string rule)
    {
        _our.Take(q);
        _their.Take(p);
        AddMatch([q], [p], rule);
    }

    private void AddMatch(int[] ourPositions, int[] theirPositions, string rule) =>
        _matches.Add(new CashMatch(OurIds(ourPositions), TheirIndexes(theirPositions), rule));

    private void AddBreak(BreakType type, int[] ourPositions, int[] theirPositions)
    {
        LocalDate date = theirPositions.Length > 0 ? _their.Dates[theirPositions[0]] : _our.Dates[ourPositions[0]];
        _breaks.Add(new CashBreak(type, OurIds(ourPositions), TheirIndexes(theirPositions),
            ourPositions.Sum(q => _our.Amounts[q]), theirPositions.Sum(p => _their.Amounts[p]), date));
    }

    private string[] OurIds(int[] positions) => [.. positions.Select(q => _ours[_our.Order[q]].Id).Order(StringComparer.Ordinal)];

    private int[] TheirIndexes(int[] positions) => [.. positions.Select(p => _their.Order[p]).Order()];
}

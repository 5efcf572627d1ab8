using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Lots;

/// <summary>
/// The open lots of one holder in one instrument, and the rules that open and relieve them.
/// <para>
/// Rules, in order: a purchase first covers open short lots, then opens a long lot with what is
/// left; a sale first relieves open long lots, then opens a short lot with what is left, so a pool
/// never holds long and short lots at once. Each fill opens its own lot (one lot per fill), except
/// under <see cref="LotMethod.Average"/>, where the pool is one lot at the average cost. Money
/// (costs, proceeds) is rounded to <see cref="MoneyScale"/> decimals, half away from zero, when a
/// fill's amount is computed and when part of a lot is relieved; relieving a whole lot takes its
/// remaining cost exactly, so no rounding residue ever stays behind in a closed lot.
/// </para>
/// </summary>
public sealed class LotPool
{
    private LotStore _lots;

    /// <summary>An empty pool relieved by <paramref name="method"/>.</summary>
    public LotPool(LotMethod method, int moneyScale = 2)
    {
        Invariant.That(moneyScale is >= 0 and <= 10, "money scale is 0 to 10 decimals");
        Method = method;
        MoneyScale = moneyScale;
    }

    /// <summary>How disposals choose lots.</summary>
    public LotMethod Method { get; }

    /// <summary>Decimals money amounts are rounded to.</summary>
    public int MoneyScale { get; }

    /// <summary>A copy of the open lots, in the order they were opened (<see cref="Count"/> and the indexer read them without copying).</summary>
    public IReadOnlyList<Lot> Lots => _lots.ToArray();

    /// <summary>How many lots are open.</summary>
    public int Count => _lots.Count;

    /// <summary>The open lot at <paramref name="index"/>, in the order they were opened.</summary>
    public Lot this[int index] => _lots[index];

    /// <summary>Units held: the sum of the open lots (negative when short).</summary>
    public decimal Quantity => Sum(cost: false);

    /// <summary>Cost of the open lots (negative when short: the short proceeds).</summary>
    public decimal TotalCost => Sum(cost: true);

    /// <summary>
    /// A purchase of <paramref name="quantity"/> at <paramref name="price"/> plus <paramref name="fees"/>:
    /// covers short lots (the reliefs returned), then opens a long lot with the rest.
    /// </summary>
    public Result<IReadOnlyList<LotRelief>> Buy(long order, LocalDate date, decimal quantity, decimal price, decimal fees = 0m, IReadOnlyList<long>? lots = null)
    {
        if (Check(quantity, price, fees) is { } invalid)
        {
            return invalid;
        }
        decimal cost = Money(quantity * price + fees);
        return Fill(order, order, date, quantity, cost, opensShort: false, lots);
    }

    /// <summary>
    /// A sale of <paramref name="quantity"/> at <paramref name="price"/> less <paramref name="fees"/>:
    /// relieves long lots (the reliefs returned), then opens a short lot with the rest.
    /// </summary>
    public Result<IReadOnlyList<LotRelief>> Sell(long order, LocalDate date, decimal quantity, decimal price, decimal fees = 0m, IReadOnlyList<long>? lots = null)
    {
        if (Check(quantity, price, fees) is { } invalid)
        {
            return invalid;
        }
        decimal proceeds = Money(quantity * price - fees);
        return Fill(order, order, date, quantity, proceeds, opensShort: true, lots);
    }

    /// <summary>
    /// An acquisition of <paramref name="quantity"/> for a total <paramref name="cost"/> (fees
    /// included, as booked): covers short lots, then opens a long lot with the rest.
    /// </summary>
    /// <param name="order">Execution order: FIFO relieves the lowest first, LIFO the highest.</param>
    /// <param name="lotId">The id of a lot it opens (default: <paramref name="order"/>).</param>
    public Result<IReadOnlyList<LotRelief>> Acquire(long order, LocalDate date, decimal quantity, decimal cost, IReadOnlyList<long>? lots = null, long? lotId = null) =>
        Check(quantity, cost, 0m) is { } invalid ? invalid : Fill(lotId ?? order, order, date, quantity, Money(cost), opensShort: false, lots);

    /// <summary>
    /// A disposal of <paramref name="quantity"/> for total <paramref name="proceeds"/> (net of
    /// fees, as booked): relieves long lots, then opens a short lot with the rest.
    /// </summary>
    /// <param name="order">Execution order: FIFO relieves the lowest first, LIFO the highest.</param>
    /// <param name="lotId">The id of a short lot it opens (default: <paramref name="order"/>).</param>
    public Result<IReadOnlyList<LotRelief>> Dispose(long order, LocalDate date, decimal quantity, decimal proceeds, IReadOnlyList<long>? lots = null, long? lotId = null) =>
        quantity <= 0 ? new Rejection("lots.quantity", $"quantity must be positive, not {quantity}")
        : Fill(lotId ?? order, order, date, quantity, Money(proceeds), opensShort: true, lots);

    /// <summary>
    /// A split or reverse split: every lot's quantity is multiplied by the ratio and its unit cost
    /// divided by it; total cost and acquisition date are kept.
    /// </summary>
    public void Split(SplitRatio ratio)
    {
        for (int i = 0; i < _lots.Count; i++)
        {
            Lot lot = _lots[i];
            _lots[i] = lot with { Quantity = lot.Quantity * ratio.New / ratio.Old };
        }
    }

    private decimal Sum(bool cost)
    {
        decimal sum = 0m;
        for (int i = 0; i < _lots.Count; i++)
        {
            sum += cost ? _lots[i].TotalCost : _lots[i].Quantity;
        }
        return sum;
    }

    private static Rejection? Check(decimal quantity, decimal price, decimal fees) =>
        quantity <= 0 ? new Rejection("lots.quantity", $"quantity must be positive, not {quantity}")
        : price < 0 ? new Rejection("lots.price", $"price must not be negative, not {price}")
        : fees < 0 ? new Rejection("lots.fees", $"fees must not be negative, not {fees}")
        : null;

    private decimal Money(decimal amount) => Math.Round(amount, MoneyScale, MidpointRounding.AwayFromZero);

    // A fill for `quantity` units whose money is `amount` (a purchase's cost, or a sale's proceeds):
    // closes opposite lots first, then opens a lot on its own side with what is left. Runs once a
    // trade over a whole history, so it allocates only what it returns.
    private Result<IReadOnlyList<LotRelief>> Fill(long id, long order, LocalDate date, decimal quantity, decimal amount, bool opensShort, IReadOnlyList<long>? named)
    {
        bool closesShort = !opensShort;
        // A pool holds lots of one side only: the fill can close all of them, or none.
        int candidates = _lots.Count > 0 && _lots[0].IsShort == closesShort ? _lots.Count : 0;
        decimal closable = 0m;
        for (int i = 0; i < candidates; i++)
        {
            closable += Math.Abs(_lots[i].Quantity);
        }
        Result<int[]?> ordered = Order(candidates, named, Math.Min(quantity, closable));
        if (ordered.Rejection is { } rejection)
        {
            return rejection;
        }

        // Null: the candidates in the order they sit in the pool.
        int[]? sequence = ordered.Value;
        int steps = sequence?.Length ?? candidates;
        List<LotRelief>? reliefs = null;
        decimal left = quantity;
        decimal amountLeft = amount;
        bool emptied = false;
        for (int step = 0; step < steps && left != 0; step++)
        {
            int index = sequence is null ? step : sequence[step];
            Lot lot = _lots[index];
            if (lot.Quantity == 0m)
            {
                // Closed earlier in this fill (a lot named twice).
                continue;
            }
            decimal open = Math.Abs(lot.Quantity);
            decimal take = Math.Min(open, left);
            // The lot's side of the relief: all its remaining cost when it closes, a rounded share otherwise.
            decimal lotShare = take == open ? lot.TotalCost : Money(lot.TotalCost * take / open);
            // The fill's side: all that is left of its amount when it ends here, a rounded share otherwise.
            decimal fillShare = take == left ? amountLeft : Money(amount * take / quantity);
            (reliefs ??= new List<LotRelief>(steps - step)).Add(closesShort
                ? new LotRelief(lot.Id, lot.AcquisitionDate, take, CostBasis: fillShare, Proceeds: -lotShare)
                : new LotRelief(lot.Id, lot.AcquisitionDate, take, CostBasis: lotShare, Proceeds: fillShare));
            left -= take;
            amountLeft -= fillShare;
            if (take == open)
            {
                // An open lot never holds zero units: zero marks it closed until the sweep below.
                _lots[index] = lot with { Quantity = 0m };
                emptied = true;
            }
            else
            {
                decimal remaining = open - take;
                _lots[index] = lot with { Quantity = lot.IsShort ? -remaining : remaining, TotalCost = lot.TotalCost - lotShare };
            }
        }
        if (emptied)
        {
            _lots.RemoveClosed();
        }
        if (left > 0)
        {
            Open(new Lot(id, order, date, opensShort ? -left : left, opensShort ? -amountLeft : amountLeft));
        }
        bool oneSide = true;
        for (int i = 1; i < _lots.Count; i++)
        {
            oneSide &= _lots[i].IsShort == _lots[0].IsShort;
        }
        Invariant.That(oneSide, "a pool never holds long and short lots at once");
        return reliefs is null ? Array.Empty<LotRelief>() : reliefs;
    }

    private void Open(Lot lot)
    {
        if (Method == LotMethod.Average && _lots.Count == 1)
        {
            // One pool at the average cost: the first fill's identity and date, the sums of both.
            Lot pool = _lots[0];
            _lots[0] = pool with { Quantity = pool.Quantity + lot.Quantity, TotalCost = pool.TotalCost + lot.TotalCost };
            return;
        }
        _lots.Add(lot);
    }

    // The order in which the first `count` lots are relieved: null when it is the pool's own order
    // (FIFO over lots opened in execution order, the common case), else the indices in turn.
    private Result<int[]?> Order(int count, IReadOnlyList<long>? named, decimal needed)
    {
        // Lots named on the trade are relieved whatever the pool's method; a specific-lot pool needs them.
        if (Method != LotMethod.Specific && (named is null || named.Count == 0))
        {
            bool opened = true;
            for (int i = 1; i < count; i++)
            {
                opened &= _lots[i - 1].Order < _lots[i].Order;
            }
            if (count <= 1 || (opened && Method is not (LotMethod.Lifo or LotMethod.Hifo)))
            {
                return (int[]?)null;
            }
            int[] sorted = new int[count];
            for (int i = 0; i < count; i++)
            {
                sorted[i] = i;
            }
            Comparison<int> by = Method switch
            {
                LotMethod.Lifo => (a, b) => _lots[b].Order.CompareTo(_lots[a].Order),
                LotMethod.Hifo => (a, b) => _lots[b].UnitCost.CompareTo(_lots[a].UnitCost) is var c and not 0 ? c : _lots[a].Order.CompareTo(_lots[b].Order),
                _ => (a, b) => _lots[a].Order.CompareTo(_lots[b].Order),
            };
            // Orders are unique, so the unstable sort is deterministic.
            Array.Sort(sorted, by);
            return sorted;
        }
        if (needed == 0)
        {
            return Array.Empty<int>();
        }
        if (named is null || named.Count == 0)
        {
            return new Rejection("lots.specific-none", "the account relieves specific lots, and the trade names none");
        }
        int[] chosen = new int[named.Count];
        decimal available = 0m;
        for (int n = 0; n < named.Count; n++)
        {
            int index = -1;
            for (int i = 0; i < count && index < 0; i++)
            {
                index = _lots[i].Id == named[n] ? i : -1;
            }
            if (index < 0)
            {
                return new Rejection("lots.specific-unknown", $"lot {named[n]} is not an open lot this trade can relieve");
            }
            chosen[n] = index;
            available += Math.Abs(_lots[index].Quantity);
        }
        return available < needed
            ? new Rejection("lots.specific-short", $"the lots named hold {available} units; the trade closes {needed}")
            : chosen;
    }

    /// <summary>
    /// The open lots: the first inline, the rest in an array grown as needed. Almost every holding
    /// is one lot, and a book of a million holdings then costs one object each rather than three
    /// (pool, list and array), which the collector would otherwise trace on every pass.
    /// </summary>
    private struct LotStore
    {
        private Lot _first;
        private Lot[]? _rest;

        public int Count { get; private set; }

        public Lot this[int index]
        {
            readonly get => index == 0 ? _first : _rest![index - 1];
            set
            {
                if (index == 0)
                {
                    _first = value;
                }
                else
                {
                    _rest![index - 1] = value;
                }
            }
        }

        public void Add(Lot lot)
        {
            if (Count > 0)
            {
                if (_rest is null || _rest.Length < Count)
                {
                    Array.Resize(ref _rest, Math.Max(4, Count * 2));
                }
                _rest[Count - 1] = lot;
            }
            else
            {
                _first = lot;
            }
            Count++;
        }

        /// <summary>Drops the lots marked closed (zero units), keeping the others in order.</summary>
        public void RemoveClosed()
        {
            int kept = 0;
            for (int i = 0; i < Count; i++)
            {
                Lot lot = this[i];
                if (lot.Quantity != 0m)
                {
                    this[kept++] = lot;
                }
            }
            for (int i = Math.Max(kept, 1); i < Count; i++)
            {
                _rest![i - 1] = default;
            }
            Count = kept;
        }

        public readonly Lot[] ToArray()
        {
            var lots = new Lot[Count];
            for (int i = 0; i < lots.Length; i++)
            {
                lots[i] = this[i];
            }
            return lots;
        }
    }
}

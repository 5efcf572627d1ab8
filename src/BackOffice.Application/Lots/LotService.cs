using BackOffice.Application.Ports;
using BackOffice.Domain.Lots;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Lots;

/// <summary>An open lot of a client account, in the instrument's currency.</summary>
public sealed record BookedLot(string Account, string Instrument, string Currency, Lot Lot);

/// <summary>What one trade realized: the lots it closed, with proceeds net of fees and their cost.</summary>
public sealed record RealizedTrade(long TradeId, string Account, string Instrument, string Currency, LocalDate TradeDate, IReadOnlyList<LotRelief> Reliefs)
{
    /// <summary>Units closed.</summary>
    public decimal Quantity => Reliefs.Sum(r => r.Quantity);

    /// <summary>Proceeds (net of fees) of the closed units.</summary>
    public decimal Proceeds => Reliefs.Sum(r => r.Proceeds);

    /// <summary>Cost (fees included) of the closed units.</summary>
    public decimal CostBasis => Reliefs.Sum(r => r.CostBasis);

    /// <summary>Proceeds minus cost.</summary>
    public decimal Realized => Proceeds - CostBasis;
}

/// <summary>
/// A trade whose lot instruction could not be followed (a named lot not open, or fewer units in
/// the named lots than the trade closes; or no lots named for a specific-lot account): it was
/// relieved by <see cref="Fallback"/> instead, and the reason is kept for operations.
/// </summary>
public sealed record LotInstructionIgnored(long TradeId, string Account, string Instrument, Domain.Primitives.Rejection Reason, LotMethod Fallback);

/// <summary>
/// Realized P&amp;L summed per holder, instrument and currency (<see cref="RealizedRow"/> with trade id 0
/// and the last trade date summed), read from the end of day's snapshot when it is current
/// (<see cref="FromSnapshot"/>) or computed from the trades.
/// </summary>
public sealed record RealizedSummary(IReadOnlyList<RealizedRow> Lines, bool FromSnapshot, IReadOnlyList<LotInstructionIgnored> Ignored);

/// <summary>The lots of every client account and what their trades realized, as of a date (by one method for all, or each account's when null).</summary>
public sealed record LotBook(LocalDate? AsOf, LotMethod? Method, IReadOnlyList<BookedLot> Open, IReadOnlyList<RealizedTrade> Realized)
{
    /// <summary>Trades whose named lots could not be relieved, in execution order.</summary>
    public IReadOnlyList<LotInstructionIgnored> Ignored { get; init; } = [];
}

/// <summary>
/// Cost-basis lots of the client accounts, derived from the booked trades (the latest version of
/// each active trade; busted and allocated-away versions open nothing), so lots can never disagree
/// with the trades the ledger booked. Trades are applied in execution order: by trade date, then
/// execution time (trades without one first), then trade id. A purchase's lot costs its gross
/// consideration plus its charges (accrued interest is bought income, not cost); a sale's
/// proceeds are its gross consideration less its charges. Lot ids are trade ids. A trade that
/// names lots relieves those, in its order, whatever the account's method; an account on the
/// specific method relieves FIFO a trade that names none, and a trade whose named lots cannot
/// be relieved is relieved FIFO too, listed in <see cref="LotBook.Ignored"/>.
/// </summary>
public sealed class LotService(IBackOfficeStore store)
{
    /// <summary>
    /// Realized P&amp;L per holder, instrument and currency over trade dates from <paramref name="from"/>
    /// to <paramref name="asOf"/>: from the last close's snapshot when it is current (each account's
    /// own method, and no trade, account, book or split changed since), else from the trades.
    /// </summary>
    public async Task<RealizedSummary> RealizedAsync(LocalDate? from, LocalDate? asOf, LotMethod? method, CancellationToken cancellationToken)
    {
        if (method is null)
        {
            // The close's snapshot answers when nothing the lots depend on changed since, and it
            // covers the dates asked (every date, when no entry is dated after it).
            ChainHead head = await store.ReadHeadAsync(cancellationToken);
            RealizedSnapshot? snapshot = await store.ReadRealizedSnapshotAsync(from, asOf ?? new LocalDate(9999, 12, 31), cancellationToken);
            if (snapshot is not null && snapshot.Sequence.Value >= head.LotsChangedSequence.Value
                && ((asOf is { } date && date <= snapshot.Through) || head.LatestEffectiveDate is not { } latest || latest <= snapshot.Through))
            {
                return new RealizedSummary(snapshot.Sums, true, []);
            }
        }
        LotBook book = await RunAsync(asOf, method, cancellationToken);
        var lines = book.Realized.Where(r => from is not { } f || r.TradeDate >= f)
            .GroupBy(r => (r.Account, r.Instrument, r.Currency))
            .OrderBy(g => g.Key.Account, StringComparer.Ordinal).ThenBy(g => g.Key.Instrument, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => new RealizedRow(0, g.Key.Account, g.Key.Instrument, g.Key.Currency, g.Max(r => r.TradeDate), g.Sum(r => r.Quantity), g.Sum(r => r.Proceeds),
                g.Sum(r => r.CostBasis)))
            .ToList();
        return new RealizedSummary(lines, false, book.Ignored);
    }

    /// <summary>The rows of the realized P&amp;L snapshot: one per closing trade.</summary>
    public static IEnumerable<RealizedRow> SnapshotRows(LotBook book) =>
        book.Realized.Select(r => new RealizedRow(r.TradeId, r.Account, r.Instrument, r.Currency, r.TradeDate, r.Quantity, r.Proceeds, r.CostBasis));

    /// <summary>
    /// Runs every active trade with a trade date on or before <paramref name="asOf"/> (all when
    /// null) through the lot rules, each account relieving lots by its own method, or by
    /// <paramref name="method"/> for every account when given (a what-if). Trades are streamed in
    /// execution order; only the open lots and the closing trades are held. A split restates the
    /// lots of its instrument before the first trade on or after its ex date, and at the end when
    /// its ex date is on or before <paramref name="asOf"/> (or, with no date, the last trade date).
    /// </summary>
    public async Task<LotBook> RunAsync(LocalDate? asOf, LotMethod? method, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, Domain.ReferenceData.ClientAccount> accounts = (await store.ReadTradeReferenceAsync(cancellationToken)).ClientAccounts;
        var pools = new Dictionary<(string Account, string Instrument), (LotPool Pool, string Currency)>();
        var realized = new List<RealizedTrade>();
        var ignored = new List<LotInstructionIgnored>();
        // Splits apply to every pool of their instrument before the first trade on or after the ex date.
        var splits = new Queue<Domain.ReferenceData.StockSplit>(await store.ReadSplitsAsync(cancellationToken));
        var byInstrument = new Dictionary<string, List<LotPool>>(StringComparer.Ordinal);
        void SplitThrough(LocalDate date)
        {
            while (splits.Count > 0 && splits.Peek().ExDate <= date)
            {
                Domain.ReferenceData.StockSplit split = splits.Dequeue();
                foreach (LotPool pool in byInstrument.GetValueOrDefault(split.Instrument) ?? [])
                {
                    pool.Split(split.Ratio);
                }
            }
        }
        long order = 0;
        LocalDate last = LocalDate.MinIsoValue;
        // Each row brings its own copy of the account code and ISIN; the pools keep one of each.
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        string Code(string code) => codes.TryGetValue(code, out string? kept) ? kept : codes[code] = code;
        await foreach (LotTrade trade in store.ReadLotTradesAsync(asOf, cancellationToken))
        {
            SplitThrough(trade.TradeDate);
            last = trade.TradeDate;
            if (!pools.TryGetValue((trade.Account, trade.Isin), out var holding))
            {
                string holder = Code(trade.Account), isin = Code(trade.Isin);
                LotMethod relief = method ?? (accounts.TryGetValue(trade.Account, out var account) ? account.LotMethod : LotMethod.Fifo);
                // Named lots override any method, so a specific-lot account is a FIFO pool whose trades name their lots.
                holding = (new LotPool(relief == LotMethod.Specific ? LotMethod.Fifo : relief), Code(trade.Currency));
                pools[(holder, isin)] = holding;
                (byInstrument.TryGetValue(isin, out List<LotPool>? list) ? list : byInstrument[isin] = []).Add(holding.Pool);
            }
            decimal charges = trade.Charges;
            Domain.Primitives.Result<IReadOnlyList<LotRelief>> Fill(IReadOnlyList<long>? lots) => trade.Side == TradeSide.Buy
                ? holding.Pool.Acquire(order, trade.TradeDate, trade.Quantity, trade.Gross + charges, lots, lotId: trade.TradeId)
                : holding.Pool.Dispose(order, trade.TradeDate, trade.Quantity, trade.Gross - charges, lots, lotId: trade.TradeId);
            var reliefs = Fill(trade.LotIds);
            if (reliefs.Rejection is { Rule: var rule } refused && rule.StartsWith("lots.specific", StringComparison.Ordinal))
            {
                ignored.Add(new LotInstructionIgnored(trade.TradeId, trade.Account, trade.Isin, refused, holding.Pool.Method));
                reliefs = Fill(null);
            }
            else if (trade.LotIds is null && reliefs.IsAccepted && reliefs.Value.Count > 0
                && (method ?? (accounts.TryGetValue(trade.Account, out var holder) ? holder.LotMethod : LotMethod.Fifo)) == LotMethod.Specific)
            {
                ignored.Add(new LotInstructionIgnored(trade.TradeId, trade.Account, trade.Isin,
                    new Domain.Primitives.Rejection("lots.specific-none", "the account relieves specific lots, and the trade names none"), LotMethod.Fifo));
            }
            order++;
            // Booked trades were validated (positive quantity, price and charges): a refusal here is a bug.
            Domain.Primitives.Invariant.That(reliefs.IsAccepted, $"trade {trade.TradeId} runs through the lot rules: {reliefs.Rejection}");
            if (reliefs.Value.Count > 0)
            {
                realized.Add(new RealizedTrade(trade.TradeId, trade.Account, trade.Isin, trade.Currency, trade.TradeDate, reliefs.Value));
            }
        }
        SplitThrough(asOf ?? last);
        // By account, then instrument (keys are unique, so the unstable sort is deterministic).
        var held = pools.ToArray();
        Array.Sort(held, static (a, b) => string.CompareOrdinal(a.Key.Account, b.Key.Account) is var byAccount and not 0
            ? byAccount : string.CompareOrdinal(a.Key.Instrument, b.Key.Instrument));
        int lots = 0;
        foreach (var holding in held)
        {
            lots += holding.Value.Pool.Count;
        }
        var open = new List<BookedLot>(lots);
        foreach (var ((account, instrument), (pool, currency)) in held)
        {
            for (int i = 0; i < pool.Count; i++)
            {
                open.Add(new BookedLot(account, instrument, currency, pool[i]));
            }
        }
        return new LotBook(asOf, method, open, realized) { Ignored = ignored };
    }
}

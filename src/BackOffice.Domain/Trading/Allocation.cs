using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Trading;

/// <summary>One client's share of a block.</summary>
/// <param name="Commission">A negotiated commission for this allocation; null takes the client's schedule.</param>
public sealed record AllocationLine(string Account, decimal Quantity, decimal? Commission);

/// <summary>
/// An instruction to split a block (one or more booked executions of the same order, FIX 35=J or an
/// allocation file) among client accounts.
/// </summary>
/// <param name="AllocationId">The instruction's id in the source (FIX AllocID); also names the trades it books.</param>
/// <param name="BlockTradeIds">The source trade ids of the block's executions.</param>
public sealed record AllocationRequest(string Source, string AllocationId, IReadOnlyList<string> BlockTradeIds, IReadOnlyList<AllocationLine> Lines,
    string SourceMessage = "", string Location = "");

/// <summary>
/// The split of a block into allocations. Every allocation gets the block's average price
/// (total consideration over total quantity). Its consideration is the block's consideration times
/// its share of the quantity, rounded to the currency's minor unit half away from zero; the
/// rounding remainder goes to the largest allocation (the first such in the instruction when two
/// are equally large), so the allocations' considerations add up to the block's to the cent.
/// Commissions and fees are then computed per allocation, from each client's schedule.
/// </summary>
public static class AllocationRules
{
    /// <summary>Decimal places kept in the average price recorded on each allocation.</summary>
    public const int AveragePriceDecimals = 8;

    /// <summary>The trade requests that book each allocation, or why the instruction is refused.</summary>
    public static Result<IReadOnlyList<TradeRequest>> Split(AllocationRequest request, IReadOnlyList<TradeVersion> block, int currencyMinorUnits)
    {
        if (request.Lines.Count == 0)
        {
            return new Rejection("allocation.empty", "an allocation needs at least one account");
        }
        if (block.Count == 0)
        {
            return new Rejection("allocation.block-unknown", "the allocation names no booked execution");
        }
        TradeVersion first = block[0];
        foreach (TradeVersion fill in block)
        {
            if (fill.Status != TradeStatus.Active)
            {
                return new Rejection("allocation.block-not-active", $"execution {fill.SourceTradeId} is {fill.Status.ToString().ToLowerInvariant()}");
            }
            if (fill.Isin != first.Isin || fill.Side != first.Side || fill.Currency != first.Currency || fill.TradeDate != first.TradeDate
                || fill.Account != first.Account || fill.Counterparty != first.Counterparty || fill.Market != first.Market)
            {
                return new Rejection("allocation.block-mixed",
                    $"execution {fill.SourceTradeId} differs from {first.SourceTradeId} in instrument, side, currency, trade date, account, counterparty or market");
            }
        }
        var accounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (AllocationLine line in request.Lines)
        {
            if (line.Quantity <= 0m)
            {
                return new Rejection("allocation.quantity-not-positive", string.Create(CultureInfo.InvariantCulture, $"{line.Account}: quantity must be above 0; it is {line.Quantity}"));
            }
            if (!accounts.Add(line.Account))
            {
                return new Rejection("allocation.account-repeated", $"account {line.Account} appears twice in allocation {request.AllocationId}");
            }
        }
        decimal blockQuantity = block.Sum(f => f.Quantity);
        decimal allocated = request.Lines.Sum(l => l.Quantity);
        if (allocated != blockQuantity)
        {
            return new Rejection("allocation.quantity-mismatch",
                string.Create(CultureInfo.InvariantCulture, $"allocations add up to {allocated}; the block is {blockQuantity}"));
        }
        decimal blockGross = block.Sum(f => f.Gross);
        decimal averagePrice = Math.Round(block.Sum(f => f.Quantity * f.Price) / blockQuantity, AveragePriceDecimals, MidpointRounding.AwayFromZero);
        int largest = 0;
        for (int i = 1; i < request.Lines.Count; i++)
        {
            if (request.Lines[i].Quantity > request.Lines[largest].Quantity)
            {
                largest = i;
            }
        }
        var grosses = new decimal[request.Lines.Count];
        for (int i = 0; i < grosses.Length; i++)
        {
            grosses[i] = i == largest ? 0m : Math.Round(blockGross * request.Lines[i].Quantity / blockQuantity, currencyMinorUnits, MidpointRounding.AwayFromZero);
        }
        grosses[largest] = blockGross - grosses.Sum();
        var requests = new TradeRequest[request.Lines.Count];
        for (int i = 0; i < requests.Length; i++)
        {
            AllocationLine line = request.Lines[i];
            requests[i] = new TradeRequest
            {
                Source = request.Source,
                SourceTradeId = request.AllocationId + "/" + line.Account,
                Side = first.Side,
                Instrument = new InstrumentReference(InstrumentIdType.Isin, first.Isin),
                Market = first.Market,
                Quantity = line.Quantity,
                Price = averagePrice,
                Currency = first.Currency,
                Account = line.Account,
                Counterparty = first.Counterparty,
                TradeDate = first.TradeDate,
                ExecutedAt = first.ExecutedAt,
                SettlementDate = first.SettlementDate,
                Commission = line.Commission,
                AllocatedGross = grosses[i],
                SourceMessage = request.SourceMessage,
                Location = request.Location,
            };
        }
        return requests;
    }
}

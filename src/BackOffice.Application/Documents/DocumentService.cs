using BackOffice.Application.Lots;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Domain.Documents;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Documents;

/// <summary>
/// One trade confirmation: a version of a trade and everything SEC Rule 10b-10 asks a
/// confirmation to disclose (the time, the security, price and quantity, the capacity, the
/// commission and other charges, settlement date and net amount). A corrected or cancelled
/// confirmation names the version it <see cref="Replaces"/>.
/// </summary>
/// <param name="MinorUnits">Decimal places of the trade's currency, for printing amounts.</param>
public sealed record TradeConfirmation(TradeVersion Version, TradeVersion? Replaces, ConfirmationKind Kind, TradeCapacity Capacity, Instrument Instrument, ClientAccount Account,
    Party? Holder, Party? Counterparty, Market? Venue, int MinorUnits)
{
    /// <summary>The commission charged (charges of kind commission).</summary>
    public decimal Commission => Version.Charges.Where(c => c.Kind == FeeKind.Commission).Sum(c => c.Amount);

    /// <summary>The fees and taxes passed through, each with its code.</summary>
    public IReadOnlyList<TradeCharge> OtherCharges => [.. Version.Charges.Where(c => c.Kind != FeeKind.Commission)];
}

/// <summary>
/// A position at month end, valued as the books mark it; a position without a usable mark (or
/// rate to the account's base currency) has no value and names its exception, never a zero.
/// </summary>
public sealed record StatementHolding(string Instrument, string Name, decimal Quantity, string Currency, decimal Cost, decimal? Price, LocalDate? PriceDate, decimal? MarketValue,
    decimal? Unrealized, string BaseCurrency, decimal? MarketValueBase, string? Exception);

/// <summary>One movement of the client's cash in the month: the entry that moved it and the amount (positive: credited to the client).</summary>
public sealed record StatementCashMovement(LocalDate Date, long EntryId, string Currency, decimal Amount, string Description);

/// <summary>The client's cash in one currency: the balance before the month, the month's movements, the balance at its end (positive: the firm owes the client).</summary>
public sealed record StatementCash(string Currency, decimal Opening, decimal Movements, decimal Closing);

/// <summary>Income (or interest charged) in the month as the books accrued it, per kind and currency (positive: in the client's favour).</summary>
public sealed record StatementIncome(string Kind, string Currency, decimal Amount);

/// <summary>What the month's disposals realized in one instrument, from the lots.</summary>
public sealed record StatementRealized(string Instrument, string Currency, decimal Quantity, decimal Proceeds, decimal CostBasis)
{
    /// <summary>Proceeds less cost basis.</summary>
    public decimal Realized => Proceeds - CostBasis;
}

/// <summary>A client account's statement for a month: holdings at the month's end, the month's trades, cash, income and P&amp;L.</summary>
public sealed record AccountStatement(YearMonth Month, ClientAccount Account, Party? Holder, IReadOnlyList<StatementHolding> Holdings, IReadOnlyList<TradeVersion> Trades,
    IReadOnlyList<StatementCashMovement> CashMovements, IReadOnlyList<StatementCash> Cash, IReadOnlyList<StatementIncome> Income, IReadOnlyList<StatementRealized> Realized,
    IReadOnlyDictionary<string, string> InstrumentNames)
{
    /// <summary>The first day of the month.</summary>
    public LocalDate From => Month.OnDayOfMonth(1);

    /// <summary>The last day of the month: holdings and balances are as of it.</summary>
    public LocalDate To => From.PlusMonths(1).PlusDays(-1);
}

/// <summary>One client account's realized gains of a year, lot by lot, as on Form 1099-B.</summary>
public sealed record GainsReport(int Year, ClientAccount Account, Party? Holder, IReadOnlyList<GainLine> Lines, IReadOnlyDictionary<string, Instrument> Instruments);

/// <summary>
/// Gathers what the client documents print, from the books only: trade versions for
/// confirmations; positions, marks, cash and income postings and lots for statements; lots and
/// purchases (through <see cref="WashSaleRule"/>) for realized-gains reports. Firm books get
/// confirmations (as principal) but no statements or gains reports: those are for clients.
/// </summary>
public sealed class DocumentService(IBackOfficeStore store, TradeBookingPolicy? policy = null)
{
    private readonly TradeBookingPolicy _policy = policy ?? TradeBookingPolicy.Default;

    /// <summary>Ledger account (control) of interest the firm owes clients on their credit balances.</summary>
    public const string InterestPayable = "2060";

    /// <summary>Ledger account (control) of interest clients owe on their debit balances.</summary>
    public const string InterestReceivable = "1410";

    /// <summary>Memo ledger account (control) of the accrued interest of clients' bonds.</summary>
    public const string BondInterestMemo = "9300";

    /// <summary>Trades read a page at a time when listing a day's confirmations.</summary>
    public const int TradePageSize = 1000;

    /// <summary>
    /// The confirmations of the trades executed on <paramref name="tradeDate"/> (their latest
    /// version's trade date): one per version, by trade id then version; only <paramref name="tradeId"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<TradeConfirmation>> ConfirmationsAsync(LocalDate tradeDate, long? tradeId, CancellationToken cancellationToken)
    {
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        var confirmations = new List<TradeConfirmation>();
        long after = tradeId is { } only ? only - 1 : 0;
        while (true)
        {
            IReadOnlyList<TradeVersion> page = await store.ListTradesAsync(new TradeQuery(TradeDate: tradeDate, AfterTradeId: after, Limit: TradePageSize), cancellationToken);
            foreach (TradeVersion latest in page.Where(t => tradeId is null || t.TradeId == tradeId))
            {
                IReadOnlyList<TradeVersion> versions = latest.Version == 1 ? [latest] : await store.ReadTradeAsync(latest.TradeId, cancellationToken);
                for (int i = 0; i < versions.Count; i++)
                {
                    if (ConfirmationRules.Kind(versions[i], latest) is { } kind)
                    {
                        confirmations.Add(Confirmation(versions[i], i > 0 ? versions[i - 1] : null, kind, reference));
                    }
                }
            }
            if (page.Count < TradePageSize || tradeId is not null)
            {
                return confirmations;
            }
            after = page[^1].TradeId;
        }
    }

    private static TradeConfirmation Confirmation(TradeVersion version, TradeVersion? previous, ConfirmationKind kind, TradeReferenceData reference)
    {
        Instrument instrument = reference.Instruments[version.Isin];
        ClientAccount account = reference.ClientAccounts[version.Account];
        return new TradeConfirmation(version, previous, kind, ConfirmationRules.Capacity(account), instrument, account, reference.Parties.GetValueOrDefault(account.PartyLei),
            reference.Parties.GetValueOrDefault(version.Counterparty), reference.Markets.GetValueOrDefault(version.Market),
            reference.Currencies.TryGetValue(version.Currency, out Currency? currency) ? currency.MinorUnits : 2);
    }

    /// <summary>
    /// The statements of <paramref name="month"/>: one per client account with a trade, a cash or
    /// income movement in the month, or a position or cash balance at its end (only
    /// <paramref name="account"/> when given), by account code. Holdings are valued at the latest
    /// price on or before the month's last day, at most <paramref name="maxPriceAgeDays"/>
    /// business days old; one without a usable price keeps its exception and no value.
    /// </summary>
    public async Task<IReadOnlyList<AccountStatement>> StatementsAsync(YearMonth month, int maxPriceAgeDays, string? account, CancellationToken cancellationToken)
    {
        LocalDate from = month.OnDayOfMonth(1), to = from.PlusMonths(1).PlusDays(-1);
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        bool Wanted(string code) => (account is null || account == code) && reference.ClientAccounts.TryGetValue(code, out ClientAccount? a) && !a.IsFirmBook;

        LotBook lots = await new LotService(store).RunAsync(to, null, cancellationToken);
        Valuation valuation = await new ValuationService(store).ValueAsync(to, maxPriceAgeDays, null, cancellationToken, lots);
        var trades = new Dictionary<string, List<TradeVersion>>(StringComparer.Ordinal);
        await foreach (TradeVersion trade in store.ReadActiveTradesInExecutionOrderAsync(to, cancellationToken))
        {
            if (trade.TradeDate >= from && Wanted(trade.Account))
            {
                (trades.TryGetValue(trade.Account, out List<TradeVersion>? list) ? list : trades[trade.Account] = []).Add(trade);
            }
        }
        CashBook cash = await CashAsync(from, to, Wanted, trades, cancellationToken);

        var holdings = valuation.Lines.Where(l => l.Quantity != 0 && Wanted(l.Account)).GroupBy(l => l.Account, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => new StatementHolding(l.Instrument, Name(reference, l.Instrument), l.Quantity, l.Currency, l.Cost, l.Price, l.PriceDate,
                l.MarketValue, l.Unrealized, l.BaseCurrency, l.MarketValueBase, l.Exception)).ToList(), StringComparer.Ordinal);
        var realized = lots.Realized.Where(r => r.TradeDate >= from && Wanted(r.Account)).GroupBy(r => r.Account, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.GroupBy(r => (r.Instrument, r.Currency)).OrderBy(i => i.Key.Instrument, StringComparer.Ordinal)
                .Select(i => new StatementRealized(i.Key.Instrument, i.Key.Currency, i.Sum(r => r.Quantity), i.Sum(r => r.Proceeds), i.Sum(r => r.CostBasis))).ToList(),
                StringComparer.Ordinal);

        string[] codes = [.. holdings.Keys.Concat(trades.Keys).Concat(cash.Accounts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var statements = new List<AccountStatement>(codes.Length);
        foreach (string code in codes)
        {
            List<TradeVersion> accountTrades = trades.GetValueOrDefault(code) ?? [];
            List<StatementHolding> accountHoldings = holdings.GetValueOrDefault(code) ?? [];
            var names = accountTrades.Select(t => t.Isin).Concat(accountHoldings.Select(h => h.Instrument)).Concat(realized.GetValueOrDefault(code)?.Select(r => r.Instrument) ?? [])
                .Distinct(StringComparer.Ordinal).ToDictionary(i => i, i => Name(reference, i), StringComparer.Ordinal);
            ClientAccount client = reference.ClientAccounts[code];
            statements.Add(new AccountStatement(month, client, reference.Parties.GetValueOrDefault(client.PartyLei), accountHoldings, accountTrades,
                cash.Movements.GetValueOrDefault(code) ?? [], cash.Balances.GetValueOrDefault(code) ?? [], cash.Income.GetValueOrDefault(code) ?? [],
                realized.GetValueOrDefault(code) ?? [], names));
        }
        return statements;
    }

    private static string Name(TradeReferenceData reference, string isin) => reference.Instruments.TryGetValue(isin, out Instrument? i) ? i.Name : isin;

    // Each client's cash and income of the month, read from the ledger: balances of client money
    // before and after, and every movement of client money, interest and bond-interest sub-ledgers.
    private sealed record CashBook(IReadOnlyCollection<string> Accounts, Dictionary<string, List<StatementCashMovement>> Movements,
        Dictionary<string, List<StatementCash>> Balances, Dictionary<string, List<StatementIncome>> Income);

    private async Task<CashBook> CashAsync(LocalDate from, LocalDate to, Func<string, bool> wanted, Dictionary<string, List<TradeVersion>> trades, CancellationToken cancellationToken)
    {
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        // The client each sub-ledger of the four control accounts belongs to.
        string[] controls = [_policy.ClientMoney, InterestPayable, InterestReceivable, BondInterestMemo];
        var holderOf = new Dictionary<string, (string Control, string Client)>(StringComparer.Ordinal);
        foreach (var ledgerAccount in reference.LedgerAccounts.Values)
        {
            if (ledgerAccount.ControlAccountCode is { } control && controls.Contains(control) && ledgerAccount.Code.StartsWith(control + ".", StringComparison.Ordinal)
                && wanted(ledgerAccount.Code[(control.Length + 1)..]))
            {
                holderOf[ledgerAccount.Code] = (control, ledgerAccount.Code[(control.Length + 1)..]);
            }
        }
        var opening = await ClientMoneyAsync(from.PlusDays(-1), reference, holderOf, cancellationToken);
        var closing = await ClientMoneyAsync(to, reference, holderOf, cancellationToken);
        var tradeOf = trades.Values.SelectMany(l => l).Where(t => t.EntryId is not null).ToDictionary(t => t.EntryId!.Value.Value);
        var movements = new Dictionary<string, List<StatementCashMovement>>(StringComparer.Ordinal);
        var income = new Dictionary<(string Client, string Kind, string Currency), decimal>();
        foreach (CashMovement m in await store.ReadCashMovementsAsync([.. holderOf.Keys], from, to, cancellationToken))
        {
            (string control, string client) = holderOf[m.LedgerAccount];
            // Liabilities to the client are credits: turned round, so positive is in the client's favour.
            decimal amount = -reference.Assets[m.Asset].ToAmount(m.Units);
            if (control == _policy.ClientMoney)
            {
                string description = tradeOf.TryGetValue(m.EntryId, out TradeVersion? t)
                    ? FormattableString.Invariant($"trade {t.TradeId}: {(t.Side == TradeSide.Buy ? "bought" : "sold")} {t.Quantity} {t.Isin}")
                    : m.Quoted;
                (movements.TryGetValue(client, out var list) ? list : movements[client] = []).Add(new StatementCashMovement(m.Date, m.EntryId, m.Asset, amount, description));
            }
            else
            {
                string kind = control == InterestPayable ? "interest credited" : control == InterestReceivable ? "interest charged" : "bond interest accrued";
                income[(client, kind, m.Asset)] = income.GetValueOrDefault((client, kind, m.Asset)) + amount;
            }
        }
        var balances = new Dictionary<string, List<StatementCash>>(StringComparer.Ordinal);
        foreach (var (client, currency) in opening.Keys.Concat(closing.Keys).Concat(movements.SelectMany(p => p.Value.Select(m => (p.Key, m.Currency)))).Distinct().Order())
        {
            decimal open = opening.GetValueOrDefault((client, currency)), close = closing.GetValueOrDefault((client, currency));
            decimal moved = movements.GetValueOrDefault(client)?.Where(m => m.Currency == currency).Sum(m => m.Amount) ?? 0m;
            // The balance at the month's end is the balance before it plus the month's movements: read both ways, they must agree.
            Domain.Primitives.Invariant.That(open + moved == close, $"client money of {client} in {currency} ties: {open} + {moved} = {close}");
            (balances.TryGetValue(client, out var list) ? list : balances[client] = []).Add(new StatementCash(currency, open, moved, close));
        }
        foreach (List<StatementCashMovement> list in movements.Values)
        {
            list.Sort((a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : a.EntryId.CompareTo(b.EntryId));
        }
        var incomeBy = income.Where(i => i.Value != 0).GroupBy(i => i.Key.Client, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => g.OrderBy(i => i.Key.Kind, StringComparer.Ordinal).ThenBy(i => i.Key.Currency, StringComparer.Ordinal)
                .Select(i => new StatementIncome(i.Key.Kind, i.Key.Currency, i.Value)).ToList(), StringComparer.Ordinal);
        // A client with money at the month's end, a movement in it, or income has a statement.
        string[] active = [.. balances.Where(b => b.Value.Any(c => c.Closing != 0) || movements.ContainsKey(b.Key)).Select(b => b.Key).Concat(incomeBy.Keys)];
        return new CashBook(active, movements, balances, incomeBy);
    }

    // Each client's money per currency as of a date (positive: the firm owes it to the client).
    private async Task<Dictionary<(string Client, string Currency), decimal>> ClientMoneyAsync(LocalDate asOf, ReferenceLookup reference,
        Dictionary<string, (string Control, string Client)> holderOf, CancellationToken cancellationToken)
    {
        var money = new Dictionary<(string, string), decimal>();
        foreach (BalanceRow row in await store.ReadBalancesAsync(asOf, null, cancellationToken))
        {
            var ledgerAccount = reference.LedgerAccountsById[row.LedgerAccount];
            if (row.Units != 0 && holderOf.TryGetValue(ledgerAccount.Code, out var holder) && holder.Control == _policy.ClientMoney)
            {
                var asset = reference.AssetsById[row.Asset];
                money[(holder.Client, asset.Code)] = -asset.ToAmount(row.Units);
            }
        }
        return money;
    }

    /// <summary>
    /// The realized-gains reports of <paramref name="year"/>: every lot a client's sale closed in the
    /// year, with wash sales applied (the rule reads the whole history, so a loss late in December
    /// is matched with a purchase in January, and a replacement lot sold this year carries the loss
    /// it took last year). One report per client account that closed anything in the year (only
    /// <paramref name="account"/> when given), by account code. Amounts are in each instrument's currency.
    /// </summary>
    public async Task<IReadOnlyList<GainsReport>> GainsAsync(int year, string? account, CancellationToken cancellationToken)
    {
        TradeReferenceData reference = await store.ReadTradeReferenceAsync(cancellationToken);
        bool Wanted(string code) => (account is null || account == code) && reference.ClientAccounts.TryGetValue(code, out ClientAccount? a) && !a.IsFirmBook;
        LotBook lots = await new LotService(store).RunAsync(null, null, cancellationToken);
        var covered = lots.Realized.ToDictionary(r => r.TradeId, r => r.Quantity);
        var purchases = new List<LotPurchase>();
        var buys = new HashSet<long>();
        await foreach (TradeVersion trade in store.ReadActiveTradesInExecutionOrderAsync(null, cancellationToken))
        {
            if (trade.Side == TradeSide.Buy && Wanted(trade.Account))
            {
                buys.Add(trade.TradeId);
                // What a purchase did not spend covering short lots opened a lot of its own.
                decimal opened = trade.Quantity - covered.GetValueOrDefault(trade.TradeId);
                if (opened > 0)
                {
                    purchases.Add(new LotPurchase(trade.Account, trade.Isin, trade.TradeId, trade.TradeDate, opened));
                }
            }
        }
        var sales = lots.Realized.Where(r => Wanted(r.Account))
            .SelectMany(r => r.Reliefs.Select(l => new LotSale(r.TradeId, r.Account, r.Instrument, l.LotId, l.AcquisitionDate, r.TradeDate, l.Quantity, l.Proceeds, l.CostBasis,
                ShortCover: buys.Contains(r.TradeId))))
            .ToList();
        var lines = new List<GainLine>();
        foreach (var byCurrency in sales.GroupBy(s => reference.Instruments.TryGetValue(s.Instrument, out Instrument? i) ? i.Currency : ""))
        {
            int scale = reference.Currencies.TryGetValue(byCurrency.Key, out Currency? c) ? c.MinorUnits : 2;
            lines.AddRange(WashSaleRule.Apply([.. byCurrency], purchases, scale).Where(l => l.Sold.Year == year));
        }
        return [.. lines.GroupBy(l => l.Account, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            ClientAccount client = reference.ClientAccounts[g.Key];
            List<GainLine> ordered = [.. g.OrderBy(l => l.Sold).ThenBy(l => l.SaleId).ThenBy(l => l.Instrument, StringComparer.Ordinal).ThenBy(l => l.LotId)];
            return new GainsReport(year, client, reference.Parties.GetValueOrDefault(client.PartyLei), ordered,
                ordered.Select(l => l.Instrument).Distinct(StringComparer.Ordinal).ToDictionary(i => i, i => reference.Instruments[i], StringComparer.Ordinal));
        })];
    }
}

using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Reporting;

/// <summary>One line of a trial balance: an account's balance in one asset, on its debit or credit side.</summary>
/// <param name="Account">The ledger account code (a control account, at general-ledger level, carries its sub-ledgers).</param>
/// <param name="SubLedgers">How many sub-ledger accounts were rolled into this line (0 for a plain account or at detail level).</param>
public sealed record TrialBalanceLine(string Account, string Name, LedgerAccountType Type, string Asset, decimal Debit, decimal Credit, int SubLedgers);

/// <summary>A trial balance: every account with a balance, and per asset the debit and credit totals, which must be equal.</summary>
public sealed record TrialBalance(LocalDate? AsOf, Instant? KnownAt, bool Detail, IReadOnlyList<TrialBalanceLine> Lines)
{
    /// <summary>Debit and credit totals per asset, in asset order.</summary>
    public IReadOnlyList<(string Asset, decimal Debit, decimal Credit)> Totals { get; } =
        Lines.GroupBy(l => l.Asset, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(l => l.Debit), g.Sum(l => l.Credit))).ToList();

    /// <summary>True when debits equal credits in every asset (the ledger guarantees it; the report shows it).</summary>
    public bool Balances => Totals.All(t => t.Debit == t.Credit);
}

/// <summary>One line of a financial statement: a general-ledger account's amount in one currency, on its natural side (positive is normal).</summary>
public sealed record StatementLine(string Section, string Account, string Name, string Currency, decimal Amount);

/// <summary>
/// A balance sheet (as of <see cref="To"/>) or an income statement (for trade dates
/// <see cref="From"/> to <see cref="To"/>), per currency. Securities, counted in units, are the
/// stock record, not money, and are left out.
/// </summary>
public sealed record FinancialStatement(string Kind, LocalDate? From, LocalDate? To, Instant? KnownAt, IReadOnlyList<StatementLine> Lines)
{
    /// <summary>Section totals per currency, in section then currency order.</summary>
    public IReadOnlyList<(string Section, string Currency, decimal Amount)> Totals { get; } =
        Lines.GroupBy(l => (l.Section, l.Currency)).Select(g => (g.Key.Section, g.Key.Currency, g.Sum(l => l.Amount)))
            .OrderBy(t => SectionOrder(t.Section)).ThenBy(t => t.Currency, StringComparer.Ordinal).ToList();

    /// <summary>The order sections are printed in.</summary>
    public static int SectionOrder(string section) => Array.IndexOf(Sections, section);

    /// <summary>Every section, in order.</summary>
    public static readonly string[] Sections = ["assets", "liabilities", "equity", "earnings", "income", "expenses"];
}

/// <summary>A holder's position in one instrument.</summary>
/// <param name="Holder">The client account (or, later, the firm book).</param>
/// <param name="Quantity">Units held: positive long, negative short.</param>
public readonly record struct PositionLine(string Holder, string Instrument, decimal Quantity);

/// <summary>Positions on one basis, as of a date and as known at a time.</summary>
public sealed record PositionReport(LocalDate AsOf, Instant? KnownAt, BalanceBasis Basis, IReadOnlyList<PositionLine> Lines);

/// <summary>
/// Reports read from the ledger: a trial balance and positions. Both are sums of postings, so they
/// can never drift from the journal: positions are the client securities sub-ledgers' balances,
/// turned round (the firm owes a long client the securities: a credit balance).
/// </summary>
public sealed class ReportService(IBackOfficeStore store, TradeBookingPolicy? policy = null)
{
    private readonly TradeBookingPolicy _policy = policy ?? TradeBookingPolicy.Default;

    /// <summary>
    /// The trial balance as of <paramref name="asOf"/> (every date when null) as known at
    /// <paramref name="knownAt"/>. At general-ledger level (<paramref name="detail"/> false) each
    /// sub-ledger account is added into its control account; at detail level every account shows.
    /// </summary>
    public async Task<TrialBalance> TrialBalanceAsync(LocalDate? asOf, Instant? knownAt, bool detail, CancellationToken cancellationToken)
    {
        IReadOnlyList<BalanceRow> rows = knownAt is null && await CoversEverythingAsync(asOf, cancellationToken)
            ? await store.ReadBalanceProjectionAsync(cancellationToken)
            : await store.ReadBalancesAsync(asOf, knownAt, cancellationToken);
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        // Summed on ids (a million balance rows roll up in milliseconds), then named and ordered by code.
        var lineOf = new Dictionary<LedgerAccountId, LedgerAccount>();
        var sums = new Dictionary<(LedgerAccountId Account, AssetId Asset), (long Units, int Subs)>();
        foreach (BalanceRow row in rows)
        {
            if (!lineOf.TryGetValue(row.LedgerAccount, out LedgerAccount? line))
            {
                LedgerAccount account = reference.LedgerAccountsById[row.LedgerAccount];
                line = !detail && account.ControlAccountCode is { } control ? reference.LedgerAccounts[control] : account;
                lineOf[row.LedgerAccount] = line;
            }
            var key = (line.Id, row.Asset);
            (long units, int subs) = sums.GetValueOrDefault(key);
            // Rows are one per account and asset, so each row rolled into another account is one more sub-ledger.
            sums[key] = (checked(units + row.Units), subs + (line.Id == row.LedgerAccount ? 0 : 1));
        }
        var ordered = new List<(LedgerAccount Account, Asset Asset, long Units, int Subs)>(sums.Count);
        foreach (var ((accountId, assetId), (units, subs)) in sums)
        {
            if (units != 0)
            {
                ordered.Add((reference.LedgerAccountsById[accountId], reference.AssetsById[assetId], units, subs));
            }
        }
        Ranks ranks = Ranks.Of(reference);
        long[] keys = [.. ordered.Select(o => ranks.Key(ranks.Of(o.Account.Id), o.Asset.Id))];
        var sorted = ordered.ToArray();
        Array.Sort(keys, sorted);
        var lines = new List<TrialBalanceLine>(sorted.Length);
        foreach (var (account, asset, units, subs) in sorted)
        {
            decimal amount = asset.ToAmount(units);
            lines.Add(new TrialBalanceLine(account.Code, account.Name, account.Type, asset.Code, amount > 0 ? amount : 0m, amount < 0 ? -amount : 0m, subs));
        }
        var balance = new TrialBalance(asOf, knownAt, detail, lines);
        Invariant.That(balance.Balances, "a trial balance of a balanced ledger balances in every asset");
        return balance;
    }

    // The client account or firm book whose positions a ledger account holds, or null for any other account.
    private string? HolderOf(LedgerAccount account) =>
        account.ControlAccountCode is { } control && (control == _policy.ClientSecurities || control == _policy.FirmPositions)
            && account.Code.StartsWith(control + ".", StringComparison.Ordinal) ? account.Code[(control.Length + 1)..] : null;

    /// <summary>
    /// True when a balance as of <paramref name="asOf"/> (every date when null) takes every posting:
    /// no entry is dated after it, so the maintained projection is the answer and the journal need
    /// not be read.
    /// </summary>
    private async Task<bool> CoversEverythingAsync(LocalDate? asOf, CancellationToken cancellationToken) =>
        asOf is not { } date || (await store.ReadHeadAsync(cancellationToken)).LatestEffectiveDate is not { } latest || latest <= date;

    /// <summary>
    /// The balance sheet as of <paramref name="asOf"/>: assets, liabilities and equity at
    /// general-ledger level per currency, and the earnings not yet closed into equity (income less
    /// expenses to date), so that in every currency assets equal liabilities plus equity plus
    /// earnings (checked). Memo accounts are left out: they balance among themselves.
    /// </summary>
    public async Task<FinancialStatement> BalanceSheetAsync(LocalDate? asOf, Instant? knownAt, CancellationToken cancellationToken)
    {
        TrialBalance trial = await TrialBalanceAsync(asOf, knownAt, detail: false, cancellationToken);
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        var lines = new List<StatementLine>();
        var earnings = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (TrialBalanceLine l in trial.Lines.Where(l => reference.Assets[l.Asset].Kind == AssetKind.Currency))
        {
            decimal debit = l.Debit - l.Credit;
            switch (l.Type)
            {
                case LedgerAccountType.Asset:
                    lines.Add(new StatementLine("assets", l.Account, l.Name, l.Asset, debit));
                    break;
                case LedgerAccountType.Liability:
                    lines.Add(new StatementLine("liabilities", l.Account, l.Name, l.Asset, -debit));
                    break;
                case LedgerAccountType.Equity:
                    lines.Add(new StatementLine("equity", l.Account, l.Name, l.Asset, -debit));
                    break;
                case LedgerAccountType.Income or LedgerAccountType.Expense:
                    earnings[l.Asset] = earnings.GetValueOrDefault(l.Asset) - debit;
                    break;
                default:
                    // Memo accounts are off the balance sheet.
                    break;
            }
        }
        foreach (var (currency, amount) in earnings.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            lines.Add(new StatementLine("earnings", "", "Income less expenses not yet closed into equity", currency, amount));
        }
        var statement = new FinancialStatement("balance-sheet", null, asOf, knownAt, lines);
        foreach (string currency in lines.Select(l => l.Currency).Distinct())
        {
            decimal assets = lines.Where(l => l.Currency == currency && l.Section == "assets").Sum(l => l.Amount);
            decimal claims = lines.Where(l => l.Currency == currency && l.Section != "assets").Sum(l => l.Amount);
            Invariant.That(assets == claims, $"the balance sheet balances in {currency}");
        }
        return statement;
    }

    /// <summary>
    /// The income statement for entries effective from <paramref name="from"/> (the beginning when
    /// null) to <paramref name="to"/>: each income and expense account's movement per currency.
    /// </summary>
    public async Task<FinancialStatement> IncomeStatementAsync(LocalDate? from, LocalDate to, Instant? knownAt, CancellationToken cancellationToken)
    {
        TrialBalance end = await TrialBalanceAsync(to, knownAt, detail: false, cancellationToken);
        TrialBalance? start = from is { } f ? await TrialBalanceAsync(f.PlusDays(-1), knownAt, detail: false, cancellationToken) : null;
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        var movement = new Dictionary<(string Account, string Currency), (TrialBalanceLine Line, decimal Debit)>();
        void Add(TrialBalance balance, decimal sign)
        {
            foreach (TrialBalanceLine l in balance.Lines.Where(l => l.Type is LedgerAccountType.Income or LedgerAccountType.Expense
                && reference.Assets[l.Asset].Kind == AssetKind.Currency))
            {
                (TrialBalanceLine Line, decimal Debit) current = movement.GetValueOrDefault((l.Account, l.Asset), (l, 0m));
                movement[(l.Account, l.Asset)] = (l, current.Debit + sign * (l.Debit - l.Credit));
            }
        }
        Add(end, 1m);
        if (start is not null)
        {
            Add(start, -1m);
        }
        var lines = movement.Where(m => m.Value.Debit != 0).OrderBy(m => m.Key.Account, StringComparer.Ordinal).ThenBy(m => m.Key.Currency, StringComparer.Ordinal)
            .Select(m => m.Value.Line.Type == LedgerAccountType.Income
                ? new StatementLine("income", m.Key.Account, m.Value.Line.Name, m.Key.Currency, -m.Value.Debit)
                : new StatementLine("expenses", m.Key.Account, m.Value.Line.Name, m.Key.Currency, m.Value.Debit))
            .ToList();
        return new FinancialStatement("income-statement", from, to, knownAt, lines);
    }

    /// <summary>
    /// Positions per client account or firm book and instrument as of <paramref name="asOf"/>, on a trade-date or
    /// settlement-date basis, as known at <paramref name="knownAt"/>.
    /// </summary>
    public async Task<PositionReport> PositionsAsync(LocalDate asOf, Instant? knownAt, BalanceBasis basis, CancellationToken cancellationToken)
    {
        IReadOnlyList<BalanceRow> rows = knownAt is null && basis == BalanceBasis.EffectiveDate && await CoversEverythingAsync(asOf, cancellationToken)
            ? await store.ReadBalanceProjectionAsync(cancellationToken)
            : await store.ReadBalancesAsync(asOf, knownAt, basis, cancellationToken);
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        // The holder of each client securities (2100.<account>) or firm positions (3100.<book>)
        // sub-ledger, ranked by name once from the chart, so the rows are kept and sorted on integers.
        string[] names = [.. reference.LedgerAccounts.Values.Select(HolderOf).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var nameRank = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var holderRank = new Dictionary<LedgerAccountId, int>();
        foreach (LedgerAccount account in reference.LedgerAccounts.Values)
        {
            if (HolderOf(account) is { } holder)
            {
                holderRank[account.Id] = nameRank[holder];
            }
        }
        Ranks ranks = Ranks.Of(reference);
        // A counting sort on the holder (a million rows, ten thousand holders): one pass counts, the
        // next places; then each holder's few rows are sorted by instrument.
        var perHolder = new int[names.Length + 1];
        foreach (BalanceRow row in rows)
        {
            if (row.Units != 0 && holderRank.TryGetValue(row.LedgerAccount, out int rank))
            {
                perHolder[rank + 1]++;
            }
        }
        for (int i = 1; i < perHolder.Length; i++)
        {
            perHolder[i] += perHolder[i - 1];
        }
        var sorted = new BalanceRow[perHolder[^1]];
        var instrumentOrder = new long[sorted.Length];
        int[] next = [.. perHolder];
        foreach (BalanceRow row in rows)
        {
            if (row.Units != 0 && holderRank.TryGetValue(row.LedgerAccount, out int rank))
            {
                int at = next[rank]++;
                sorted[at] = row;
                instrumentOrder[at] = ranks.Key(0, row.Asset);
            }
        }
        var lines = new List<PositionLine>(sorted.Length);
        for (int holder = 0; holder < names.Length; holder++)
        {
            int start = perHolder[holder], count = perHolder[holder + 1] - start;
            Array.Sort(instrumentOrder, sorted, start, count);
            for (int i = start; i < start + count; i++)
            {
                // A credit balance is long.
                Asset asset = reference.AssetsById[sorted[i].Asset];
                lines.Add(new PositionLine(names[holder], asset.Code, -asset.ToAmount(sorted[i].Units)));
            }
        }
        return new PositionReport(asOf, knownAt, basis, lines);
    }
}

/// <summary>The order of ledger accounts and assets by code, as integers, so large reports sort without comparing strings.</summary>
internal sealed class Ranks
{
    private readonly Dictionary<LedgerAccountId, int> _accounts;
    private readonly Dictionary<AssetId, int> _assets;

    private Ranks(Dictionary<LedgerAccountId, int> accounts, Dictionary<AssetId, int> assets) => (_accounts, _assets) = (accounts, assets);

    public static Ranks Of(ReferenceLookup reference) => new(
        reference.LedgerAccounts.Values.OrderBy(a => a.Code, StringComparer.Ordinal).Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i),
        reference.Assets.Values.OrderBy(a => a.Code, StringComparer.Ordinal).Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i));

    /// <summary>The rank of a ledger account by code.</summary>
    public int Of(LedgerAccountId account) => _accounts[account];

    /// <summary>A sort key: the first rank, then the asset's by code.</summary>
    public long Key(int first, AssetId asset) => ((long)first << 32) | (uint)_assets[asset];
}

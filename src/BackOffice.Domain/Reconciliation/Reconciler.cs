using System.Globalization;
using System.Text;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Domain.Reconciliation;

/// <summary>
/// What the books know that may explain a break: settlement instructions not yet settled (a
/// trade agreed but unsettled, or failing) and stock splits around the statement date.
/// </summary>
public sealed record CauseHints(IReadOnlyList<SettlementInstruction> OpenInstructions, IReadOnlyList<StockSplit> Splits)
{
    /// <summary>Nothing known.</summary>
    public static CauseHints None { get; } = new([], []);
}

/// <summary>
/// What comparing one statement with the books found: the differences, how many items were
/// compared and agreed, and from which date the comparison covered movements (for cash, the
/// statement's period; for custody, the statement date).
/// </summary>
public sealed record StatementComparison(IReadOnlyList<BreakFinding> Findings, int Compared, int Matched, LocalDate CoveredFrom)
{
    /// <summary>
    /// A digest of the findings (keys, types and figures, in key order): the same differences
    /// found again give the same digest, so a rerun that finds nothing new is a replay.
    /// </summary>
    public string Digest()
    {
        var text = new StringBuilder();
        foreach (BreakFinding f in Findings.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{f.Key}|{(int)f.Type}|{f.Ours}|{f.Theirs}|{f.Date:yyyy-MM-dd}|{f.Cause}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"{Compared}|{Matched}|{CoveredFrom:yyyy-MM-dd}");
        return Primitives.Sha256Hash.Of(Encoding.UTF8.GetBytes(text.ToString())).ToString();
    }
}

/// <summary>
/// Compares one statement with the books and turns every difference into a finding with its key
/// and a suggested cause. Pure; the matching itself is <see cref="Matching"/>.
/// </summary>
public static class Reconciler
{
    /// <summary>How many days either side of a statement date a split is taken as a likely cause.</summary>
    public const int CorporateActionWindowDays = 5;

    /// <summary>The balance types compared, most preferred first: closing booked, then closing available.</summary>
    public static readonly string[] ClosingBalanceTypes = ["CLBD", "CLAV"];

    /// <summary>The balance types that open a statement's period: opening booked, then previously closed booked.</summary>
    public static readonly string[] OpeningBalanceTypes = ["OPBD", "PRCD"];

    /// <summary>
    /// A custody statement against our positions in the same account (both in units, signed): one
    /// finding per ISIN that differs (<see cref="Matching.MatchPositions"/>), standing, dated the
    /// statement date.
    /// </summary>
    public static StatementComparison Custody(Statement statement, IReadOnlyList<PositionItem> ours, CauseHints hints)
    {
        IReadOnlyList<PositionBreak> breaks = Matching.MatchPositions(ours, statement.Holdings);
        var isins = new HashSet<string>(StringComparer.Ordinal);
        foreach (PositionItem item in ours)
        {
            if (item.Quantity != 0m)
            {
                isins.Add(item.Isin);
            }
        }
        foreach (HoldingLine line in statement.Holdings)
        {
            isins.Add(line.Isin);
        }
        var findings = new List<BreakFinding>(breaks.Count);
        foreach (PositionBreak b in breaks)
        {
            findings.Add(new BreakFinding(BreakKeys.Position(statement.Account, b.Isin), b.Type, b.Isin, true, b.Ours, b.Theirs, statement.Date,
                string.Create(CultureInfo.InvariantCulture, $"books {b.Ours}, statement {statement.StatementId} {b.Theirs}"),
                PositionCause(b.Isin, b.Difference, statement.Date, hints)));
        }
        return new StatementComparison(findings, isins.Count, isins.Count - breaks.Count, statement.Date);
    }

    /// <summary>
    /// The first day a cash statement covers: the earliest of its statement date, the date of its
    /// opening balance and its booking dates. Our movements from that day through the statement
    /// date are compared with it (with the open movements of earlier days carried forward, see
    /// <see cref="BreakKeys.OurIds"/>).
    /// </summary>
    public static LocalDate CashPeriodStart(Statement statement)
    {
        LocalDate start = statement.Date;
        foreach (CashBalance b in statement.Balances)
        {
            if (Array.IndexOf(OpeningBalanceTypes, b.Type) >= 0 && b.Date < start)
            {
                start = b.Date;
            }
        }
        foreach (CashEntry e in statement.Entries)
        {
            if (e.BookingDate < start)
            {
                start = e.BookingDate;
            }
        }
        return start;
    }

    /// <summary>
    /// A cash statement against our movements on the account over its period, entry by entry
    /// (<see cref="Matching.MatchCash"/> under <paramref name="rules"/>), and its closing balance
    /// against ours (<paramref name="ourClosingBalance"/>, within the amount tolerance). Movement
    /// findings are keyed by our entry ids, or by the statement entry when we lack it; the balance
    /// finding is standing.
    /// </summary>
    public static StatementComparison Cash(Statement statement, IReadOnlyList<CashItem> ours, decimal ourClosingBalance, CashRules rules, CauseHints hints)
    {
        string currency = statement.Currency ?? "";
        CashMatchResult result = Matching.MatchCash(ours, statement.Entries, rules);
        var byId = new Dictionary<string, CashItem>(ours.Count, StringComparer.Ordinal);
        foreach (CashItem item in ours)
        {
            byId[item.Id] = item;
        }
        var occurrences = new Dictionary<(LocalDate, decimal, string?), int>();
        var findings = new List<BreakFinding>(result.Breaks.Count + 1);
        foreach (CashBreak b in result.Breaks)
        {
            string key;
            if (b.OurIds.Count > 0)
            {
                key = BreakKeys.Ours(statement.Account, b.OurIds);
            }
            else
            {
                CashEntry entry = statement.Entries[b.TheirIndexes[0]];
                var identity = (entry.BookingDate, entry.Amount, entry.Reference);
                int n = occurrences.GetValueOrDefault(identity) + 1;
                occurrences[identity] = n;
                key = BreakKeys.Theirs(statement.Account, entry.BookingDate, entry.Amount, entry.Reference, n);
            }
            string ourText = string.Join(", ", b.OurIds.Select(id => byId[id]).Select(i =>
                string.Create(CultureInfo.InvariantCulture, $"entry {i.Id} {i.Amount} on {i.Date:yyyy-MM-dd}{(i.Reference is null ? "" : " ref " + i.Reference)}")));
            string theirText = string.Join(", ", b.TheirIndexes.Select(i => (Index: i, Entry: statement.Entries[i])).Select(t =>
                string.Create(CultureInfo.InvariantCulture,
                    $"statement entry {t.Index + 1} {t.Entry.Amount} booked {t.Entry.BookingDate:yyyy-MM-dd}{(t.Entry.Reference is null ? "" : " ref " + t.Entry.Reference)}")));
            string detail = ourText.Length == 0 ? theirText : theirText.Length == 0 ? ourText : ourText + "; " + theirText;
            findings.Add(new BreakFinding(key, b.Type, currency, false, b.Ours, b.Theirs, b.Date, detail, CashCause(currency, b.Theirs - b.Ours, b.Date, hints)));
        }
        int compared = ours.Count + statement.Entries.Count;
        int matched = result.Matches.Sum(m => m.OurIds.Count + m.TheirIndexes.Count);
        if (Closing(statement) is { } closing)
        {
            compared += 2;
            if (Matching.MatchBalance(ourClosingBalance, closing, rules.AmountTolerance) is { } balance)
            {
                findings.Add(new BreakFinding(BreakKeys.Balance(statement.Account, currency, closing.Type), BreakType.AmountDifference, currency, true,
                    balance.Ours, balance.Theirs, closing.Date,
                    string.Create(CultureInfo.InvariantCulture, $"{closing.Type} balance on {closing.Date:yyyy-MM-dd}: books {balance.Ours}, statement {balance.Theirs}"),
                    CashCause(currency, balance.Theirs - balance.Ours, closing.Date, hints)));
            }
            else
            {
                matched += 2;
            }
        }
        return new StatementComparison(findings, compared, matched, CashPeriodStart(statement));
    }

    /// <summary>The statement's closing balance (<see cref="ClosingBalanceTypes"/>, the first found), or null.</summary>
    public static CashBalance? Closing(Statement statement)
    {
        foreach (string type in ClosingBalanceTypes)
        {
            foreach (CashBalance b in statement.Balances)
            {
                if (b.Type == type)
                {
                    return b;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Why a position may differ: an open instruction in the ISIN due by the date (one whose
    /// quantity is the difference first; a failing one is a fail), else a split within
    /// <see cref="CorporateActionWindowDays"/> days of the date.
    /// </summary>
    public static string? PositionCause(string isin, decimal difference, LocalDate date, CauseHints hints)
    {
        SettlementInstruction? best = null;
        foreach (SettlementInstruction i in hints.OpenInstructions)
        {
            if (i.Isin != isin || i.SettlementDate > date)
            {
                continue;
            }
            decimal moves = (i.Delivers ? -1m : 1m) * (i.Quantity - i.SettledQuantity);
            if (best is null || (moves == difference && (i.Delivers ? -1m : 1m) * (best.Quantity - best.SettledQuantity) != difference))
            {
                best = i;
            }
        }
        if (best is not null)
        {
            return Describe(best);
        }
        foreach (StockSplit s in hints.Splits)
        {
            if (s.Instrument == isin && Math.Abs(Period.Between(date, s.ExDate, PeriodUnits.Days).Days) <= CorporateActionWindowDays)
            {
                return string.Create(CultureInfo.InvariantCulture, $"pending corporate action: split {s.Ratio} of {isin} ex {s.ExDate:yyyy-MM-dd} ({s.Source})");
            }
        }
        return null;
    }

    /// <summary>Why cash may differ: an open instruction against payment in the currency, due by the date, whose unsettled cash is the difference.</summary>
    public static string? CashCause(string currency, decimal difference, LocalDate date, CauseHints hints)
    {
        foreach (SettlementInstruction i in hints.OpenInstructions)
        {
            if (i.Currency != currency || !i.AgainstPayment || i.SettlementDate > date)
            {
                continue;
            }
            decimal cash = (i.ReceivesCash ? 1m : -1m) * (i.Amount - i.SettledAmount);
            if (cash == difference || cash == -difference)
            {
                return Describe(i);
            }
        }
        return null;
    }

    private static string Describe(SettlementInstruction i)
    {
        string what = string.Create(CultureInfo.InvariantCulture,
            $"instruction {i.TransactionId} ({(i.Delivers ? "deliver" : "receive")} {i.Quantity - i.SettledQuantity} {i.Isin}, {i.Currency} {i.Amount - i.SettledAmount}) due {i.SettlementDate:yyyy-MM-dd}");
        return i.Status == InstructionStatus.Failed ? "settlement fail: " + what + (i.ReasonCode is null ? "" : " (" + i.ReasonCode + ")") : "unsettled trade: " + what;
    }
}

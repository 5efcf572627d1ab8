using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Exports;

/// <summary>
/// The ledger as an hledger journal (hledger.org; ledger reads it too), so anyone can check our
/// books with an independent tool. Every journal entry becomes a transaction on its effective
/// date, in id order, with its postings in their order. Accounts are declared with their types
/// (hledger's <c>bs</c> and <c>is</c> then work; memo accounts are declared without one) and sub-ledgers become sub-accounts of their
/// control account (<c>2010.C-1001</c> is <c>2010:C-1001</c>; <c>2420</c> under control <c>2400</c> is
/// <c>2400:2420</c>), so <c>--depth 1</c> shows the
/// general-ledger level. Commodities are our asset codes; those that are not all letters (ISINs)
/// are quoted, as hledger requires. Every amount is written at its asset's scale (USD 2
/// decimals, shares 0), from which hledger infers each commodity's display precision.
/// </summary>
public static class HledgerJournal
{
    /// <summary>The hledger account name of a ledger account.</summary>
    public static string AccountName(LedgerAccount account) =>
        account.ControlAccountCode is not { } control ? account.Code
        : account.Code.StartsWith(control + ".", StringComparison.Ordinal) ? control + ":" + account.Code[(control.Length + 1)..]
        : control + ":" + account.Code;

    /// <summary>An asset code as an hledger commodity symbol.</summary>
    public static string Commodity(string code) => code.All(char.IsAsciiLetter) ? code : "\"" + code + "\"";

    /// <summary>Writes the journal: declarations, then every entry effective on or before <paramref name="asOf"/> (all when null).</summary>
    public static async Task WriteAsync(TextWriter output, ReferenceLookup reference, IAsyncEnumerable<StoredEntry> entries, LocalDate? asOf,
        CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("; BackOffice ledger, exported as an hledger journal. One transaction per journal entry, in id order.");
        await output.WriteLineAsync();
        foreach (LedgerAccount account in reference.LedgerAccounts.Values.OrderBy(a => AccountName(a), StringComparer.Ordinal))
        {
            // Memo accounts have no hledger type: they stay out of its balance sheet and income statement, as out of ours.
            await output.WriteLineAsync(TypeLetter(account.Type) is { } letter ? $"account {AccountName(account)}  ; type: {letter}" : $"account {AccountName(account)}");
        }
        await foreach (StoredEntry stored in entries.WithCancellation(cancellationToken))
        {
            JournalEntry entry = stored.Entry;
            if (asOf is { } date && entry.EffectiveDate > date)
            {
                continue;
            }
            await output.WriteLineAsync();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{LocalDatePattern.Iso.Format(entry.EffectiveDate)} {Text(entry.Reason)}  ; entry {entry.Id.Value}{(entry.Reverses is { } r ? $" reverses {r.Value}" : "")} key {Text(entry.Key.Value)}"));
            foreach (Posting posting in entry.Postings)
            {
                LedgerAccount account = reference.LedgerAccountsById[posting.LedgerAccount];
                Asset asset = reference.AssetsById[posting.Asset];
                await output.WriteLineAsync($"    {AccountName(account)}    {Format(asset.ToAmount(posting.Units), asset.Scale)} {Commodity(asset.Code)}");
            }
        }
    }

    private static string? TypeLetter(LedgerAccountType type) => type switch
    {
        LedgerAccountType.Asset => "A",
        LedgerAccountType.Liability => "L",
        LedgerAccountType.Equity => "E",
        LedgerAccountType.Income => "R",
        LedgerAccountType.Expense => "X",
        _ => null,
    };

    private static string Format(decimal amount, int scale) =>
        amount.ToString(scale == 0 ? "0" : "0." + new string('0', scale), CultureInfo.InvariantCulture);

    // Descriptions and comments stay on one line; '|' would split hledger's payee from its note.
    private static string Text(string value) => value.ReplaceLineEndings(" ").Replace('|', '/');
}

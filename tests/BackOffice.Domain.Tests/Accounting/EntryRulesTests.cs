using System.Collections.Immutable;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using CsCheck;
using NodaTime;

namespace BackOffice.Domain.Tests.Accounting;

public sealed class EntryRulesTests
{
    private static readonly Dictionary<string, LedgerAccount> s_accounts = new()
    {
        ["1010"] = new(new LedgerAccountId(1), "1010", "Cash", LedgerAccountType.Asset, null, true),
        ["2010"] = new(new LedgerAccountId(2), "2010", "Client money", LedgerAccountType.Liability, null, true),
        ["4010"] = new(new LedgerAccountId(3), "4010", "Commissions", LedgerAccountType.Income, null, true),
        ["9000"] = new(new LedgerAccountId(4), "9000", "Old suspense", LedgerAccountType.Asset, null, false),
    };

    private static readonly Dictionary<string, Asset> s_assets = new()
    {
        ["USD"] = new(new AssetId(1), "USD", AssetKind.Currency, 2),
        ["JPY"] = new(new AssetId(2), "JPY", AssetKind.Currency, 0),
        ["US0378331005"] = new(new AssetId(3), "US0378331005", AssetKind.Instrument, 0),
    };

    private static JournalEntryRequest Request(params PostingRequest[] lines) =>
        new("k1", new LocalDate(2026, 11, 27), "reason", "source", lines);

    private static PostingRequest Dr(string account, string asset, decimal amount) => new(account, asset, Direction.Debit, amount);
    private static PostingRequest Cr(string account, string asset, decimal amount) => new(account, asset, Direction.Credit, amount);

    [Fact]
    public void A_balanced_entry_becomes_signed_units_at_the_asset_scale()
    {
        Result<JournalEntryDraft> draft = EntryRules.Decide(Request(Dr("1010", "USD", 12.5m), Cr("2010", "USD", 12.50m)), s_accounts, s_assets);
        Assert.True(draft.IsAccepted);
        Assert.Equal([1250L, -1250L], draft.Value.Postings.Select(p => p.Units));
        Assert.Equal([Direction.Debit, Direction.Credit], draft.Value.Postings.Select(p => p.Direction));
    }

    [Fact]
    public void Balance_is_checked_per_asset_not_in_total()
    {
        // 100 debit USD and 100 credit JPY sum to zero in total, but neither asset balances.
        Result<JournalEntryDraft> draft = EntryRules.Decide(Request(Dr("1010", "USD", 100m), Cr("2010", "JPY", 10000m)), s_accounts, s_assets);
        Assert.Equal("entry.unbalanced", draft.Rejection?.Rule);
        Assert.Equal("entry does not balance in USD: debits 100.00, credits 0.00", draft.Rejection?.Message);
    }

    [Theory]
    [InlineData("", "1010", "USD", "1", "entry.key")]
    [InlineData("k", "1010", "USD", "0", "posting.amount-not-positive")]
    [InlineData("k", "1010", "USD", "-5", "posting.amount-not-positive")]
    [InlineData("k", "1010", "USD", "0.001", "posting.amount-precision")]
    [InlineData("k", "1010", "JPY", "0.5", "posting.amount-precision")]
    [InlineData("k", "1010", "EUR", "1", "posting.asset-unknown")]
    [InlineData("k", "7777", "USD", "1", "posting.ledger-account-unknown")]
    [InlineData("k", "9000", "USD", "1", "posting.ledger-account-closed")]
    public void Each_rule_names_itself_and_the_posting(string key, string account, string asset, string amount, string rule)
    {
        decimal value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var request = Request(Dr("1010", "USD", 1m), Dr(account, asset, value), Cr("2010", "USD", 1m)) with { Key = key };
        Result<JournalEntryDraft> draft = EntryRules.Decide(request, s_accounts, s_assets);
        Assert.Equal(rule, draft.Rejection?.Rule);
        if (rule.StartsWith("posting.", StringComparison.Ordinal))
        {
            Assert.Equal("posting 2", draft.Rejection?.Location);
        }
    }

    [Fact]
    public void Rules_are_checked_in_the_documented_order()
    {
        // Unknown account (posting 1) and bad precision (posting 2) and unbalanced: the first posting's rule wins.
        var request = Request(Dr("7777", "USD", 1m), Cr("2010", "USD", 0.001m));
        Assert.Equal("posting.ledger-account-unknown", EntryRules.Decide(request, s_accounts, s_assets).Rejection?.Rule);
        Assert.Equal("entry.reason", EntryRules.Decide(request with { Reason = " " }, s_accounts, s_assets).Rejection?.Rule);
        Assert.Equal("entry.postings-count", EntryRules.Decide(Request(Dr("1010", "USD", 1m)), s_accounts, s_assets).Rejection?.Rule);
    }

    [Fact]
    public void Payload_hash_ignores_trailing_zeros_but_not_values()
    {
        var a = Request(Dr("1010", "USD", 10m), Cr("2010", "USD", 10m));
        var b = Request(Dr("1010", "USD", 10.00m), Cr("2010", "USD", 10.0m));
        var c = Request(Dr("1010", "USD", 10.01m), Cr("2010", "USD", 10.01m));
        Assert.Equal(CanonicalPayload.Hash(a), CanonicalPayload.Hash(b));
        Assert.NotEqual(CanonicalPayload.Hash(a), CanonicalPayload.Hash(c));
        Assert.NotEqual(CanonicalPayload.Hash(a), CanonicalPayload.Hash(a with { Reason = "other" }));
    }

    private static readonly Gen<List<(int Account, bool UseJpy, long Units)>> s_legs =
        Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Long[1, 1_000_000_000]).List[1, 8];

    [Fact]
    public void Random_balanced_entries_are_accepted_and_their_reversal_nets_to_zero()
    {
        string[] codes = ["1010", "2010", "4010"];
        s_legs.Sample(legs =>
        {
            // Each leg is paired with an opposite leg on the next account: balanced per asset by construction.
            var lines = new List<PostingRequest>();
            foreach (var (account, useJpy, units) in legs)
            {
                string asset = useJpy ? "JPY" : "USD";
                decimal amount = useJpy ? units : units / 100m;
                lines.Add(Dr(codes[account], asset, amount));
                lines.Add(Cr(codes[(account + 1) % 3], asset, amount));
            }
            Result<JournalEntryDraft> draft = EntryRules.Decide(Request([.. lines]), s_accounts, s_assets);
            Assert.True(draft.IsAccepted, draft.Rejection?.ToString());
            Assert.True(JournalEntry.IsBalancedPerAsset(draft.Value.Postings.AsSpan()));
            ImmutableArray<Posting> reversed = draft.Value.Postings.Select(p => p.Negate()).ToImmutableArray();
            Assert.True(JournalEntry.IsBalancedPerAsset(reversed.AsSpan()));
            Assert.All(draft.Value.Postings.Zip(reversed), pair => Assert.Equal(0, pair.First.Units + pair.Second.Units));
            // Nudging one amount by the smallest unit always unbalances the entry.
            lines[0] = lines[0] with { Amount = lines[0].Amount + (lines[0].AssetCode == "JPY" ? 1m : 0.01m) };
            Assert.Equal("entry.unbalanced", EntryRules.Decide(Request([.. lines]), s_accounts, s_assets).Rejection?.Rule);
        });
    }
}

using BackOffice.Application.Ledger;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using CsCheck;
using NodaTime;

namespace BackOffice.Storage.Tests;

/// <summary>
/// Laws of the ledger checked on random batches against both stores: every booked entry balances
/// per asset; each balance equals the sum of the postings submitted; the projection equals a
/// rebuild from the journal; a batch posted again with the same keys books nothing; an entry plus
/// its reversal nets to zero.
/// </summary>
public sealed class LedgerPropertyTests
{
    public static TheoryData<Backend> Backends => Harness.Backends;

    private static readonly (string Code, int Scale)[] s_assets = [("USD", 2), ("EUR", 2), ("JPY", 0), ("US0378331005", 0)];

    /// <summary>A balanced entry: random legs per asset, closed by one leg that takes the opposite of their sum.</summary>
    private static readonly Gen<List<PostingRequest>> s_postings =
        Gen.Select(Gen.Int[0, s_assets.Length - 1], Gen.Int[1, 3], Gen.Int[0, Books.AccountCodes.Length - 1].Array[4], Gen.Long[-10_000_000, 10_000_000].Array[3])
            .Where(t => t.Item4.Take(t.Item2).All(u => u != 0) && t.Item4.Take(t.Item2).Sum() != 0)
            .Select(t =>
            {
                (string asset, int scale) = s_assets[t.Item1];
                var lines = new List<PostingRequest>();
                long total = 0;
                for (int i = 0; i < t.Item2; i++)
                {
                    total += t.Item4[i];
                    lines.Add(Line(Books.AccountCodes[t.Item3[i]], asset, t.Item4[i], scale));
                }
                lines.Add(Line(Books.AccountCodes[t.Item3[3]], asset, -total, scale));
                return lines;
            });

    private static PostingRequest Line(string account, string asset, long units, int scale) =>
        new(account, asset, units > 0 ? Direction.Debit : Direction.Credit, Math.Abs(units) / (scale == 0 ? 1m : 100m));

    private static readonly Gen<(List<List<List<PostingRequest>>> Entries, int Day, int BatchSize)> s_batches =
        Gen.Select(s_postings.List[1, 3].List[1, 25], Gen.Int[1, 28], Gen.Int[1, 4]);

    [Theory, MemberData(nameof(Backends))]
    public async Task Random_batches_keep_every_law(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        int run = 0;
        await s_batches.SampleAsync(async batch =>
        {
            run++;
            List<JournalEntryRequest> requests = batch.Entries.Select((lines, i) =>
                new JournalEntryRequest($"p{run}-{i}", new LocalDate(2026, 11, batch.Day), "property", "gen", lines.SelectMany(l => l).ToList())).ToList();
            var before = await books.BalancesAsync();
            PostReport first = await books.PostAsync(requests, batch.BatchSize);
            Assert.Null(first.Rejection);
            Assert.Equal(requests.Count, first.BookedCount);
            var after = await books.BalancesAsync();
            // Posting the same batch again (other batch boundaries) books nothing.
            PostReport again = await books.PostAsync(requests, batchSize: 3);
            Assert.Equal(0, again.BookedCount);
            Assert.Equal(after, await books.BalancesAsync());
            // Each balance moved by exactly the sum of the submitted postings.
            var expected = new Dictionary<(string, string), decimal>(before);
            foreach (PostingRequest line in requests.SelectMany(r => r.Postings))
            {
                var key = (line.LedgerAccountCode, line.AssetCode);
                expected[key] = expected.GetValueOrDefault(key) + (line.Direction == Direction.Debit ? line.Amount : -line.Amount);
            }
            Assert.Equal(expected.Where(p => p.Value != 0).OrderBy(p => p.Key).ToList(), after.OrderBy(p => p.Key).ToList());
            // Every asset nets to zero across the books, and the projection equals a rebuild.
            Assert.All(after.GroupBy(p => p.Key.Asset), asset => Assert.Equal(0m, asset.Sum(p => p.Value)));
            Assert.Empty((await books.Ledger.RebuildAsync(replace: false, CancellationToken.None)).Differences);
        }, iter: 15, threads: 1);
        Assert.True((await books.Audit.VerifyAsync(null, CancellationToken.None)).IsIntact);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task An_entry_and_its_reversal_net_to_zero(Backend backend)
    {
        await using Books books = await Books.CreateAsync(backend);
        List<List<List<PostingRequest>>> samples = [];
        s_postings.List[1, 3].Sample(s => samples.Add(s), iter: 8, threads: 1);
        for (int i = 0; i < samples.Count; i++)
        {
            var before = await books.BalancesAsync();
            var request = new JournalEntryRequest($"r{i}", new LocalDate(2026, 11, 27), "property", "gen", samples[i].SelectMany(l => l).ToList());
            PostReport posted = await books.PostAsync(request);
            Assert.Null(posted.Rejection);
            var reversal = new ReversalRequest($"r{i}-rev", posted.Entries[0].EntryId, new LocalDate(2026, 11, 27), "property");
            Assert.True((await books.Ledger.ReverseAsync(reversal, Books.Actor, CancellationToken.None)).Succeeded);
            Assert.Equal(before, await books.BalancesAsync());
        }
    }
}

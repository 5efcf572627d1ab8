using BackOffice.Application.WritePath;
using BackOffice.Storage.Sqlite;

namespace BackOffice.Storage.Tests;

/// <summary>
/// SQLite's WAL is checkpointed by a background task, asked for by the commit that makes the WAL
/// cross the threshold, instead of inside that commit.
/// </summary>
public sealed class WalCheckpointTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(5_000, false)]
    public async Task A_commit_asks_for_a_checkpoint_only_past_the_threshold(int pages, bool expected)
    {
        string directory = Directory.CreateTempSubdirectory("backoffice-test-").FullName;
        string path = Path.Combine(directory, "books.db");
        try
        {
            await using (SqliteStore store = SqliteStore.Open(path, pages))
            {
                await store.MigrateAsync(CancellationToken.None);
                int before = store.CheckpointsRequested;
                var processor = new CommandProcessor(store, NodaTime.SystemClock.Instance);
                CommandOutcome outcome = await new BackOffice.Application.ReferenceData.ReferenceDataService(processor)
                    .ImportAsync(Books.StandardReference(), null, "test", null, CancellationToken.None);
                Assert.Equal(CommandStatus.Accepted, outcome.Status);
                Assert.Equal(expected, store.CheckpointsRequested > before);
                // Whatever the background did, an explicit checkpoint afterwards still succeeds.
                await store.CheckpointAsync(CancellationToken.None);
            }
            // Reopened (the WAL folded into the file when the last connection closed): the books are there.
            await using SqliteStore reopened = SqliteStore.Open(path);
            Assert.NotNull((await reopened.ReadTradeReferenceAsync(CancellationToken.None)).FindByIsin("US0378331005"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

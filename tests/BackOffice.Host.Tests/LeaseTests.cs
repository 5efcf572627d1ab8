using BackOffice.Application.Ports;

namespace BackOffice.Host.Tests;

/// <summary>A lease has one holder at a time, on both stores, and is free again once its holder lets go.</summary>
public sealed class LeaseTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_lease_has_one_holder_at_a_time(string store)
    {
        await using Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        Assert.Equal(0, (await workspace.RunAsync("init")).Exit);
        await using IBackOfficeStore first = Open(workspace);
        await using IBackOfficeStore second = Open(workspace);

        ILease? held = await first.TryAcquireLeaseAsync("scheduler", CancellationToken.None);
        Assert.NotNull(held);
        Assert.True(await held.IsHeldAsync(CancellationToken.None));
        Assert.Null(await second.TryAcquireLeaseAsync("scheduler", CancellationToken.None));
        // Another lease is another lock.
        await using (ILease? fix = await second.TryAcquireLeaseAsync("fix", CancellationToken.None))
        {
            Assert.NotNull(fix);
        }
        await held.DisposeAsync();
        await using ILease? taken = await second.TryAcquireLeaseAsync("scheduler", CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Null(await first.TryAcquireLeaseAsync("scheduler", CancellationToken.None));
    }

    private static IBackOfficeStore Open(Workspace workspace) => workspace.StoreArgs[0] == "--db"
        ? Storage.Sqlite.SqliteStore.Open(workspace.StoreArgs[1])
        : Storage.Postgres.PostgresStore.Open(workspace.StoreArgs[1]);
}

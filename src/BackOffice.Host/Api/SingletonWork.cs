using System.Collections.Concurrent;
using BackOffice.Application.Ports;

namespace BackOffice.Host.Api;

/// <summary>
/// Work that one server at a time must do when several share the database (the scheduled end of
/// day, the FIX session): each piece runs only while this instance holds its lease
/// (<see cref="IBackOfficeStore.TryAcquireLeaseAsync"/>). An instance without the lease asks again
/// every <see cref="Retry"/>; when the holder dies, its lease is freed by the database and the next
/// instance to ask takes the work over. A holder that loses its lease stops the work at once.
/// </summary>
public sealed class SingletonWork(IBackOfficeStore store, TextWriter log)
{
    /// <summary>How often an instance asks for a lease it does not hold, and checks one it holds.</summary>
    public static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, bool> _held = new(StringComparer.Ordinal);

    /// <summary>This instance: host name and process id, as health reports it.</summary>
    public string Instance { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>The leases this instance holds now.</summary>
    public IReadOnlyList<string> Held => [.. _held.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Runs <paramref name="work"/> whenever this instance holds lease <paramref name="name"/>, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(string name, Func<CancellationToken, Task> work, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ILease? lease = null;
            try
            {
                lease = await store.TryAcquireLeaseAsync(name, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await log.WriteLineAsync($"lease {name}: the database did not answer ({e.GetType().Name}); asking again");
            }
            if (lease is null)
            {
                await PauseAsync(stopping);
                continue;
            }
            await using (lease)
            {
                _held[name] = true;
                await log.WriteLineAsync($"lease {name}: held by {Instance}");
                using var lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                Task watch = WatchAsync(lease, lost);
                try
                {
                    await work(lost.Token);
                }
                catch (OperationCanceledException) when (lost.IsCancellationRequested)
                {
                    // Stopping, or the lease was lost: the work stops with it.
                }
                catch (Exception e)
                {
                    await log.WriteLineAsync($"lease {name}: the work failed ({e.GetType().Name}: {e.Message}); giving the lease up");
                }
                finally
                {
                    _held.TryRemove(name, out _);
                    await lost.CancelAsync();
                    await watch;
                }
            }
            if (!stopping.IsCancellationRequested)
            {
                await log.WriteLineAsync($"lease {name}: released by {Instance}");
                await PauseAsync(stopping);
            }
        }
    }

    private static async Task WatchAsync(ILease lease, CancellationTokenSource lost)
    {
        using var timer = new PeriodicTimer(Retry);
        try
        {
            while (await timer.WaitForNextTickAsync(lost.Token))
            {
                if (!await lease.IsHeldAsync(lost.Token))
                {
                    await lost.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended.
        }
    }

    private static async Task PauseAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(Retry, stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

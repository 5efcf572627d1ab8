using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace BackOffice.Storage.Sqlite;

/// <summary>
/// Checkpoints the WAL on a background connection instead of inside the commit that crossed the
/// threshold. A commit is durable once its WAL frames are synced; copying them into the database
/// file (the checkpoint) is maintenance. SQLite's automatic checkpoint runs it on the committing
/// thread, so a large import waited for its whole database to be written a second time (about a
/// sixth of a million-trade import, bench/README.md). Here each connection's WAL hook asks for a
/// checkpoint when the WAL holds a threshold of frames or more (<see cref="DefaultFrames"/>), and one background
/// task runs a passive checkpoint (it never blocks readers or the writer). Closing the last
/// connection checkpoints whatever is left, as SQLite always does.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>Frames in the WAL that ask for a checkpoint by default: 5,000 pages of 16 KiB, 80 MiB.</summary>
    public const int DefaultFrames = 5_000;

    // The hook's argument is an id, not a handle to this object: a pooled connection can outlive
    // the store that registered its hook, and then the id simply finds nothing.
    private static readonly ConcurrentDictionary<long, WalCheckpointer> s_live = new();
    private static long s_lastId;

    private readonly string _connectionString;
    private readonly long _id = Interlocked.Increment(ref s_lastId);
    private readonly SemaphoreSlim _requested = new(0, 1);
    // One checkpoint at a time in this process: SQLite refuses a second one instead of waiting.
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _pending;

    private readonly int _frames;
    private int _requests;
    private int _completed;

    public WalCheckpointer(string connectionString, int frames)
    {
        Domain.Primitives.Invariant.That(frames > 0, "a checkpoint threshold is at least one frame");
        _connectionString = connectionString;
        _frames = frames;
        s_live[_id] = this;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Commits that asked for a checkpoint.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Checkpoints completed in the background.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Installs the hook on a newly opened connection.</summary>
    public unsafe void Attach(SqliteConnection connection) =>
        NativeMethods.sqlite3_wal_hook(connection.Handle!.DangerousGetHandle(), &OnCommit, new IntPtr(_id));

    /// <summary>Asks for a checkpoint; requests while one is pending are one request.</summary>
    public void Request()
    {
        Interlocked.Increment(ref _requests);
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _requested.Release();
        }
    }

    /// <summary>
    /// Runs a checkpoint now and waits for it, after any background checkpoint in progress: when
    /// it returns, every frame committed before the call is in the database file (unless another
    /// process holds an old snapshot).
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA wal_checkpoint(PASSIVE);";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                await _requested.WaitAsync(_stop.Token);
                Volatile.Write(ref _pending, 0);
                await CheckpointAsync(_stop.Token);
                Interlocked.Increment(ref _completed);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SqliteException)
            {
                // A checkpoint that could not run (the file busy or gone) is retried at the next
                // request; the WAL keeps every committed frame meanwhile, so nothing is lost.
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int OnCommit(IntPtr argument, IntPtr database, byte* schema, int frames)
    {
        if (s_live.TryGetValue(argument.ToInt64(), out WalCheckpointer? checkpointer) && frames >= checkpointer._frames)
        {
            checkpointer.Request();
        }
        return 0; // SQLITE_OK
    }

    public async ValueTask DisposeAsync()
    {
        s_live.TryRemove(_id, out _);
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _requested.Dispose();
        _running.Dispose();
    }
}

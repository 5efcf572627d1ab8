using System.Threading.Channels;

namespace BackOffice.Application.WritePath;

/// <summary>
/// Group commit for small commands arriving concurrently (API requests): callers queue their
/// command and wait; one writer takes everything queued, runs it as one transaction with one
/// commit (<see cref="CommandProcessor.ExecuteGroupAsync"/>), and answers each caller only once
/// that commit is durable. While a group commits, the next one gathers, so the cost of a commit
/// (an fsync on SQLite, a round trip on PostgreSQL) is shared by every command in the group.
/// </summary>
public sealed class GroupCommitter : IAsyncDisposable
{
    /// <summary>Most commands in one group.</summary>
    public const int GroupMax = 512;

    private readonly CommandProcessor _processor;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    private sealed record Pending(CommandEnvelope Command, Decide Decide, TaskCompletionSource<CommandOutcome> Done);

    /// <summary>Starts the writer.</summary>
    public GroupCommitter(CommandProcessor processor)
    {
        _processor = processor;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Groups committed so far (for benchmarks and tests of batching).</summary>
    public long Groups => Interlocked.Read(ref _groups);

    private long _groups;

    /// <summary>Queues a command and returns its outcome once the group holding it has committed.</summary>
    public Task<CommandOutcome> ExecuteAsync(CommandEnvelope command, Decide decide, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(new Pending(command, decide, done)), this);
        // A caller that stops waiting does not cancel the write: the command may already be in a
        // committed group, and a retry with the same key will replay it.
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync()
    {
        var group = new List<Pending>(GroupMax);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < GroupMax && _queue.Reader.TryRead(out Pending? pending))
            {
                group.Add(pending);
            }
            try
            {
                CommandOutcome[] outcomes = await _processor.ExecuteGroupAsync([.. group.Select(p => (p.Command, p.Decide))], CancellationToken.None);
                Interlocked.Increment(ref _groups);
                for (int i = 0; i < group.Count; i++)
                {
                    group[i].Done.SetResult(outcomes[i]);
                }
            }
            catch (Exception e)
            {
                // The commit failed (the database went away): nothing of the group is durable.
                foreach (Pending pending in group)
                {
                    pending.Done.SetException(e);
                }
            }
            group.Clear();
        }
    }

    /// <summary>Stops taking commands and waits for the last group to commit.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}

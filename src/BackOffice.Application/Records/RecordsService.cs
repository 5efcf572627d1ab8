using System.Globalization;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Records;
using NodaTime;

namespace BackOffice.Application.Records;

/// <summary>What a purge before a date would consider, once the retention policy allows it.</summary>
public sealed record PurgeReport(LocalDate Before, RetentionPolicy Policy, LocalDate PurgeBeforeLatest, RecordsBefore Eligible);

/// <summary>
/// The retention policy (read, lengthened by an audited command) and purges checked against it.
/// A purge is a dry run: it says what is past retention and removes nothing, because the audit
/// chain and the journal are hashed from the first record on, and removing their beginning safely
/// needs a checkpoint the chain does not have yet (docs/reference/records.md).
/// </summary>
public sealed class RecordsService(IBackOfficeStore store, CommandProcessor processor)
{
    /// <summary>The policy in force and the audit record that set it (null: the default).</summary>
    public Task<(RetentionPolicy Policy, AuditSequence? SetBy)> RetentionAsync(CancellationToken cancellationToken) => store.ReadRetentionAsync(cancellationToken);

    /// <summary>
    /// Sets the retention to <paramref name="years"/>, as an audited command: refused below
    /// <see cref="RetentionPolicy.YearsMin"/>; the same policy again is a replay.
    /// </summary>
    public async Task<CommandOutcome> SetRetentionAsync(int years, string actor, CancellationToken cancellationToken)
    {
        Result<RetentionPolicy> policy = RetentionPolicy.Create(years);
        if (policy.Rejection is { } refused)
        {
            return new CommandOutcome(CommandStatus.Rejected, refused.ToString(), refused, null, []);
        }
        (RetentionPolicy current, AuditSequence? setBy) = await store.ReadRetentionAsync(cancellationToken);
        string text = string.Create(CultureInfo.InvariantCulture, $"retention {years} years");
        if (current.Years == years && setBy is not null)
        {
            return new CommandOutcome(CommandStatus.Replayed, text + " (already in force)", null, setBy, []);
        }
        // Keyed by the policy and the one it replaces: the same change again replays; going back to an earlier figure later is a new change.
        string payload = string.Create(CultureInfo.InvariantCulture, $"records.retention years={years} replacing={current.Years} after={setBy?.Value ?? 0}");
        Sha256Hash hash = Sha256Hash.Of(Encoding.UTF8.GetBytes(payload));
        return await processor.ExecuteAsync(new CommandEnvelope("records.retention", actor, IdempotencyKey.From("records.retention/" + hash), hash, payload),
            (_, _) => Task.FromResult<Result<CommandEffects>>(new CommandEffects([], null, text)
            {
                Records = new RecordsChanges { Retention = policy.Value },
            }), dryRun: false, cancellationToken);
    }

    /// <summary>
    /// Checks a purge of everything dated before <paramref name="before"/> on <paramref name="today"/>:
    /// refused (rule <c>records.retention-period</c>, with the latest date allowed) inside the
    /// retention period; otherwise what would be eligible. Nothing is removed.
    /// </summary>
    public async Task<Result<PurgeReport>> CheckPurgeAsync(LocalDate before, LocalDate today, CancellationToken cancellationToken)
    {
        (RetentionPolicy policy, _) = await store.ReadRetentionAsync(cancellationToken);
        if (policy.CheckPurge(before, today) is { } refused)
        {
            return refused;
        }
        return new PurgeReport(before, policy, policy.PurgeBeforeLatest(today), await store.CountRecordsBeforeAsync(before, cancellationToken));
    }
}

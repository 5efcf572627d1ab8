using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Periods;

/// <summary>
/// Closing the books through a date. After a close no entry may be effective on or before that
/// date: a journal entry dated inside is refused (<c>period.closed</c>); a trade booked late, or a
/// correction or bust of a trade of the closed period, books in the first open day with a reason
/// that names what it corrects. A close is one audited command; closing the same date again is a
/// replay, an earlier date is refused.
/// </summary>
public sealed class PeriodService(IBackOfficeStore store, CommandProcessor processor)
{
    /// <summary>The last closed date, or null when no period is closed.</summary>
    public async Task<LocalDate?> ClosedThroughAsync(CancellationToken cancellationToken) => (await store.ReadHeadAsync(cancellationToken)).ClosedThrough;

    /// <summary>
    /// Closes the books through <paramref name="through"/>. The key is the date, so a retry replays;
    /// closing a date again after a reopen took it back is a new command, keyed by the head it follows.
    /// </summary>
    public async Task<CommandOutcome> CloseAsync(LocalDate through, string actor, CancellationToken cancellationToken)
    {
        string date = LocalDatePattern.Iso.Format(through);
        string payload = "close through " + date;
        var key = IdempotencyKey.From("period.close/" + date);
        ChainHead head = await store.ReadHeadAsync(cancellationToken);
        if ((head.ClosedThrough is not { } closed || closed < through) && await store.FindCommandAsync(key, cancellationToken) is not null)
        {
            key = IdempotencyKey.From(string.Create(CultureInfo.InvariantCulture, $"period.close/{date}/after/{head.Sequence.Value}"));
        }
        var command = new CommandEnvelope("period.close", actor, key, Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(payload)), payload);
        return await processor.ExecuteAsync(command, (_, _) =>
            Task.FromResult<Result<CommandEffects>>(new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"books closed through {date}"))
            {
                CloseThrough = through,
            }), dryRun: false, cancellationToken);
    }

    /// <summary>
    /// What reopening the books from <paramref name="from"/> does (for a checker's approval): the books
    /// stay closed through the day before. Refused when the date is already open.
    /// </summary>
    public static CommandEffects Reopen(LocalDate from, string reason) =>
        new([], null, string.Create(CultureInfo.InvariantCulture, $"books reopened from {LocalDatePattern.Iso.Format(from)}: {reason}")) { ReopenFrom = from };
}

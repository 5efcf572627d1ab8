using System.Globalization;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Approvals;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Application.Approvals;

/// <summary>
/// A kind of sensitive command that is held for approval. <see cref="Read"/> turns the maker's
/// payload into a one-line summary and the decision that carries the command out; it runs when
/// the request is made (so a request that could not be carried out is refused at once) and again
/// when it is approved (against the books as they are then). A kind's decision puts what it
/// changes in its effects; the one thing it may write itself is the client sub-ledger accounts a
/// trade needs, which are then opened with the request.
/// </summary>
/// <param name="CheckerPermission">What the checker's role must grant besides <see cref="Permission.ApprovalsDecide"/>.</param>
public sealed record ApprovalKind(string Name, string CheckerPermission, Func<string, Result<(string Summary, Decide Decide)>> Read)
{
    /// <summary>
    /// What follows an approval once it is committed, as the checker (for reference data: the names
    /// it brought are screened against the sanctions list); null for nothing. Its own commands are
    /// audited on their own; a failure there does not undo the approval.
    /// </summary>
    public Func<string, CancellationToken, Task>? AfterApproval { get; init; }
}

/// <summary>
/// Maker-checker. A maker's sensitive command becomes a pending request (an audited command);
/// another user whose role grants the checker's permission approves it, quoting the payload hash
/// they read, and the held command is carried out in the approval's own transaction, or rejects
/// it with a note. Nobody decides their own request; a request expires after
/// <see cref="Lifetime"/>; each request is decided once.
/// </summary>
public sealed class ApprovalService(CommandProcessor processor, IClock clock, IEnumerable<ApprovalKind> kinds)
{
    /// <summary>How long a request waits for a checker.</summary>
    public static readonly Duration Lifetime = Duration.FromHours(24);

    private readonly Dictionary<string, ApprovalKind> _kinds = kinds.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The kinds of command held for approval.</summary>
    public IReadOnlyCollection<string> Kinds => _kinds.Keys;

    /// <summary>Makes a request: the outcome's result is <c>approval request N pending: summary</c>.</summary>
    public async Task<CommandOutcome> RequestAsync(string kind, string payload, string maker, IdempotencyKey key, CancellationToken cancellationToken)
    {
        if (!_kinds.TryGetValue(kind, out ApprovalKind? held))
        {
            return Refused(new Rejection("approval.kind", $"'{kind}' is not a kind of request; kinds are {string.Join(", ", _kinds.Keys)}"));
        }
        Result<(string Summary, Decide Decide)> read = held.Read(payload);
        if (read.Rejection is { } unreadable)
        {
            return Refused(unreadable);
        }
        Sha256Hash hash = Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(payload));
        var command = new CommandEnvelope("approvals.request", maker, key, hash, null);
        return await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            // Would it be carried out now? A request that could not is refused to the maker at once.
            Result<CommandEffects> trial = await read.Value.Decide(unitOfWork, ct);
            if (trial.Rejection is { } rejection)
            {
                return rejection;
            }
            if (EffectWriter.CheckOpen(trial.Value, unitOfWork.Head.ClosedThrough) is { } closed)
            {
                return closed;
            }
            long id = await unitOfWork.ReadLastApprovalIdAsync(ct) + 1;
            Instant now = clock.GetCurrentInstant();
            var request = new ApprovalRequest(id, kind, read.Value.Summary, payload, hash, maker, now, now + Lifetime, ApprovalStatus.Pending, null, null, null,
                default, null);
            return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"approval request {id} pending: {read.Value.Summary}"))
            {
                Approvals = new ApprovalChanges { Requested = request },
            };
        }, dryRun: false, cancellationToken);
    }

    /// <summary>The id in a request's result (<c>approval request N pending: ...</c>).</summary>
    public static long RequestId(string result) => long.Parse(result.Split(' ')[2], CultureInfo.InvariantCulture);

    /// <summary>
    /// Approves request <paramref name="id"/> as <paramref name="checker"/>, who read a payload
    /// whose hash is <paramref name="seenHash"/>: the held command is carried out in the same
    /// transaction, or nothing changes and the rule that stopped it is returned.
    /// </summary>
    public Task<CommandOutcome> ApproveAsync(long id, User checker, Sha256Hash seenHash, CancellationToken cancellationToken) =>
        DecideAsync(id, checker, seenHash, null, cancellationToken);

    /// <summary>Rejects request <paramref name="id"/> as <paramref name="checker"/>, with a note for the maker.</summary>
    public Task<CommandOutcome> RejectAsync(long id, User checker, string note, CancellationToken cancellationToken) =>
        note.Trim().Length is 0 or > ApprovalRules.NoteLengthMax
            ? Task.FromResult(Refused(new Rejection("approval.note", $"a rejection needs a note of 1 to {ApprovalRules.NoteLengthMax} characters for the maker")))
            : DecideAsync(id, checker, null, note.Trim(), cancellationToken);

    private async Task<CommandOutcome> DecideAsync(long id, User checker, Sha256Hash? seenHash, string? note, CancellationToken cancellationToken)
    {
        bool approve = seenHash is not null;
        ApprovalKind? decidedKind = null;
        string decision = string.Create(CultureInfo.InvariantCulture, $"{(approve ? "approve" : "reject")}\n{id}\n{checker.Name}\n{seenHash}\n{note}");
        var command = new CommandEnvelope(approve ? "approvals.approve" : "approvals.reject", checker.Name,
            IdempotencyKey.From(string.Create(CultureInfo.InvariantCulture, $"approvals.decide/{id}")), Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(decision)), null);
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            ApprovalRequest? request = await unitOfWork.ReadApprovalAsync(id, ct);
            if (request is null)
            {
                return new Rejection("approval.unknown", $"there is no approval request {id}");
            }
            Instant now = clock.GetCurrentInstant();
            if (ApprovalRules.CheckDecision(request, checker.Name, seenHash, now) is { } broken)
            {
                return broken;
            }
            if (!_kinds.TryGetValue(request.Kind, out ApprovalKind? held))
            {
                return new Rejection("approval.kind", $"request {id} is of kind '{request.Kind}', which this server does not carry out");
            }
            if (!Roles.Grants(checker.Role, Permission.ApprovalsDecide) || !Roles.Grants(checker.Role, held.CheckerPermission))
            {
                return new Rejection("approval.checker", $"the role {Roles.Name(checker.Role)} cannot decide {request.Kind} requests (it needs {held.CheckerPermission})");
            }
            if (!approve)
            {
                return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"rejected approval request {id}: {note}"))
                {
                    Approvals = new ApprovalChanges { Decided = new ApprovalDecision(id, ApprovalStatus.Rejected, checker.Name, now, note) },
                };
            }
            Result<(string Summary, Decide Decide)> read = held.Read(request.Payload);
            if (read.Rejection is { } unreadable)
            {
                return unreadable;
            }
            decidedKind = held;
            Result<CommandEffects> carried = await read.Value.Decide(unitOfWork, ct);
            if (carried.Rejection is { } refused)
            {
                // The books moved since the request (the key was booked, an account closed): it stays pending for a checker to reject.
                return new Rejection("approval.cannot-carry-out", $"request {id} cannot be carried out now: {refused}");
            }
            return carried.Value with
            {
                Result = string.Create(CultureInfo.InvariantCulture, $"approved request {id}: {carried.Value.Result}"),
                Approvals = new ApprovalChanges { Decided = new ApprovalDecision(id, ApprovalStatus.Approved, checker.Name, now, null) },
            };
        }, dryRun: false, cancellationToken);
        if (outcome.Status == CommandStatus.Accepted && decidedKind?.AfterApproval is { } after)
        {
            await after(checker.Name, cancellationToken);
        }
        // One decision per request: another decision's key is this one's, with another payload.
        return outcome.Status == CommandStatus.Conflict
            ? Refused(new Rejection("approval.decided", $"request {id} was already decided (audit record {outcome.Sequence})"))
            : outcome;
    }

    private static CommandOutcome Refused(Rejection rejection) => new(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
}

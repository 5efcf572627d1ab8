using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Approvals;

/// <summary>Where an approval request stands.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for a checker.</summary>
    Pending = 1,

    /// <summary>Approved: the command it held was carried out in the same transaction.</summary>
    Approved = 2,

    /// <summary>Rejected by a checker, with their note.</summary>
    Rejected = 3,

    /// <summary>Not decided before it expired (derived from the clock, never stored).</summary>
    Expired = 4,
}

/// <summary>
/// A sensitive command held for a second person (maker-checker, the four-eyes principle): its
/// <see cref="Kind"/>, the exact payload the maker sent, and that payload's hash, which the checker
/// must quote to approve, so what is approved is exactly what was seen.
/// </summary>
public sealed record ApprovalRequest(long Id, string Kind, string Summary, string Payload, Sha256Hash PayloadHash, string Maker, Instant RequestedAt,
    Instant ExpiresAt, ApprovalStatus Status, string? Checker, Instant? DecidedAt, string? Note, AuditSequence RequestSequence, AuditSequence? DecisionSequence)
{
    /// <summary>The status at <paramref name="now"/>: a pending request past its expiry is expired.</summary>
    public ApprovalStatus StatusAt(Instant now) => Status == ApprovalStatus.Pending && now >= ExpiresAt ? ApprovalStatus.Expired : Status;
}

/// <summary>A decision on a request, as written.</summary>
public sealed record ApprovalDecision(long Id, ApprovalStatus Status, string Checker, Instant DecidedAt, string? Note);

/// <summary>Requests made and decisions taken by one command.</summary>
public sealed record ApprovalChanges
{
    /// <summary>A new request (its id assigned by the planner).</summary>
    public ApprovalRequest? Requested { get; init; }

    /// <summary>A decision on an existing request.</summary>
    public ApprovalDecision? Decided { get; init; }
}

/// <summary>The rules of deciding a request.</summary>
public static class ApprovalRules
{
    /// <summary>Longest note a checker may write.</summary>
    public const int NoteLengthMax = 1000;

    /// <summary>
    /// The rule <paramref name="checker"/> breaks by deciding <paramref name="request"/> at
    /// <paramref name="now"/>, or null. <paramref name="seenHash"/> is the payload hash the checker
    /// approves (null when rejecting: a rejection needs no proof of what was read).
    /// </summary>
    public static Rejection? CheckDecision(ApprovalRequest request, string checker, Sha256Hash? seenHash, Instant now)
    {
        if (request.Maker == checker)
        {
            return new Rejection("approval.self", $"{checker} made request {request.Id} and cannot also decide it: another user with the checker's permission must");
        }
        ApprovalStatus status = request.StatusAt(now);
        if (status == ApprovalStatus.Expired)
        {
            return new Rejection("approval.expired", $"request {request.Id} expired at {request.ExpiresAt}; the maker must request it again");
        }
        if (status != ApprovalStatus.Pending)
        {
            return new Rejection("approval.decided", $"request {request.Id} was already {status.ToString().ToLowerInvariant()} by {request.Checker}");
        }
        if (seenHash is { } seen && seen != request.PayloadHash)
        {
            return new Rejection("approval.payload-hash", $"the payload hash given is not request {request.Id}'s ({request.PayloadHash}): approve exactly what you read");
        }
        return null;
    }
}

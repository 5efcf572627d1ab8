using BackOffice.Domain.Approvals;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Tests.Access;

public sealed class ApprovalRulesTests
{
    private static readonly Instant Made = Instant.FromUtc(2026, 11, 30, 9, 0);
    private static readonly Sha256Hash Payload = Sha256Hash.Of("{\"key\":\"x\"}"u8);

    private static ApprovalRequest Request(ApprovalStatus status = ApprovalStatus.Pending) =>
        new(7, "journal.entry", "entry x", "{\"key\":\"x\"}", Payload, "maker", Made, Made + Duration.FromHours(24), status, null, null, null, new AuditSequence(3), null);

    [Fact]
    public void A_checker_approves_a_pending_request_by_its_payload_hash() =>
        Assert.Null(ApprovalRules.CheckDecision(Request(), "checker", Payload, Made + Duration.FromHours(1)));

    [Fact]
    public void The_maker_never_decides_their_own_request()
    {
        Assert.Equal("approval.self", ApprovalRules.CheckDecision(Request(), "maker", Payload, Made)?.Rule);
        Assert.Equal("approval.self", ApprovalRules.CheckDecision(Request(), "maker", null, Made)?.Rule);
    }

    [Fact]
    public void A_request_expires_after_its_lifetime()
    {
        Assert.Null(ApprovalRules.CheckDecision(Request(), "checker", Payload, Made + Duration.FromHours(24) - Duration.FromTicks(1)));
        Assert.Equal("approval.expired", ApprovalRules.CheckDecision(Request(), "checker", Payload, Made + Duration.FromHours(24))?.Rule);
        Assert.Equal(ApprovalStatus.Expired, Request().StatusAt(Made + Duration.FromDays(2)));
        // A decided request keeps its decision whatever the time.
        Assert.Equal(ApprovalStatus.Approved, Request(ApprovalStatus.Approved).StatusAt(Made + Duration.FromDays(2)));
    }

    [Fact]
    public void A_request_is_decided_once_and_only_on_what_was_read()
    {
        Assert.Equal("approval.decided", ApprovalRules.CheckDecision(Request(ApprovalStatus.Rejected), "checker", Payload, Made)?.Rule);
        Assert.Equal("approval.payload-hash", ApprovalRules.CheckDecision(Request(), "checker", Sha256Hash.Of("{\"key\":\"y\"}"u8), Made)?.Rule);
    }
}

namespace BackOffice.Domain.Trading;

/// <summary>
/// Where a FIX session stands: the next sequence number expected from the counterparty and the
/// next one we send. The incoming number moves in the same transaction as the trades a message
/// books, so a restart resumes exactly after the last booked message: nothing lost, nothing twice.
/// </summary>
/// <param name="SessionId">BeginString:SenderCompID-&gt;TargetCompID as seen from our side, e.g. FIX.4.4:BACKOFFICE-&gt;OMS.</param>
public sealed record FixSessionState(string SessionId, long NextIncoming, long NextOutgoing)
{
    /// <summary>A session never seen before starts at 1 both ways.</summary>
    public static FixSessionState New(string sessionId) => new(sessionId, 1, 1);
}

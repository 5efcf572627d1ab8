namespace BackOffice.Domain.Trading;

/// <summary>How an exception was closed.</summary>
public enum ExceptionAction
{
    /// <summary>Repaired (or not) and submitted again: it booked as a trade.</summary>
    Resubmitted = 1,

    /// <summary>Closed without booking, with the reason in the note.</summary>
    Discarded = 2,
}

/// <summary>
/// A streamed message that could not be booked, kept with its reason until operations repair and
/// resubmit it or discard it. The rest of the stream goes on without it.
/// </summary>
/// <param name="Request">The message as a trade request in the JSON trade format, or null when it could not be read at all.</param>
/// <param name="RawMessage">The message exactly as received.</param>
public sealed record TradeException(
    long Id,
    Primitives.AuditSequence AuditSequence,
    string Source,
    string? SourceTradeId,
    string Rule,
    string Message,
    string Location,
    string? Request,
    string RawMessage)
{
    /// <summary>How it was closed, or null while open.</summary>
    public ExceptionClosure? Closure { get; init; }
}

/// <summary>The closing of an exception: resubmitted as trade <paramref name="TradeId"/>, or discarded.</summary>
public sealed record ExceptionClosure(long ExceptionId, Primitives.AuditSequence AuditSequence, ExceptionAction Action, string Note, long? TradeId);

namespace BackOffice.Domain.Primitives;

/// <summary>
/// Always-on assertions. A failed invariant is a bug, never a business rejection: it throws
/// <see cref="InvariantViolationException"/> and aborts the unit of work, so an unbalanced or
/// inconsistent fact can never be committed. Unlike <c>Debug.Assert</c> it also runs in release builds.
/// </summary>
public static class Invariant
{
    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void That(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantViolationException(message);
        }
    }
}

/// <summary>Raised when an internal invariant does not hold: a bug, not bad input.</summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>Creates the exception with the invariant that failed.</summary>
    public InvariantViolationException(string message) : base(message) { }

    /// <summary>Creates the exception without a message.</summary>
    public InvariantViolationException() { }

    /// <summary>Creates the exception wrapping another.</summary>
    public InvariantViolationException(string message, Exception innerException) : base(message, innerException) { }
}

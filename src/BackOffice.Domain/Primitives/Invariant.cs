using System.Runtime.CompilerServices;

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

    /// <summary>
    /// Throws when <paramref name="condition"/> is false, with an interpolated message that is
    /// formatted only then: invariants sit on hot paths (every entry, every posting) and must
    /// cost a comparison, not a string.
    /// </summary>
    public static void That(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref MessageHandler message)
    {
        if (!condition)
        {
            throw new InvariantViolationException(message.ToStringAndClear());
        }
    }

    /// <summary>Builds an invariant's message only when the invariant fails.</summary>
    [InterpolatedStringHandler]
    public ref struct MessageHandler
    {
        private DefaultInterpolatedStringHandler _inner;

        /// <summary>Starts a message; <paramref name="shouldAppend"/> is false when the invariant holds.</summary>
        public MessageHandler(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
        {
            _inner = condition ? default : new DefaultInterpolatedStringHandler(literalLength, formattedCount);
            shouldAppend = !condition;
        }

        /// <summary>Appends literal text.</summary>
        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        /// <summary>Appends a value.</summary>
        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        /// <summary>Appends a value with a format.</summary>
        public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

        /// <summary>The message.</summary>
        public string ToStringAndClear() => _inner.ToStringAndClear();
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

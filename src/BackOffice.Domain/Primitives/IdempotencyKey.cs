namespace BackOffice.Domain.Primitives;

/// <summary>
/// A sender-supplied key that makes a write safe to retry: the same key with the same payload
/// returns the original result; the same key with another payload is a conflict. Printable ASCII,
/// 1 to <see cref="LengthMax"/> characters, so it can be logged and typed by operations staff.
/// </summary>
public readonly record struct IdempotencyKey
{
    /// <summary>Longest key accepted.</summary>
    public const int LengthMax = 200;

    /// <summary>The key text.</summary>
    public string Value { get; }

    private IdempotencyKey(string value) => Value = value;

    /// <summary>Checks the key's shape; the reason names the rule that failed.</summary>
    public static bool TryCreate(string? value, out IdempotencyKey key, out string reason)
    {
        key = default;
        if (string.IsNullOrEmpty(value))
        {
            reason = "idempotency key is missing";
            return false;
        }
        if (value.Length > LengthMax)
        {
            reason = $"idempotency key is {value.Length} characters long; the limit is {LengthMax}";
            return false;
        }
        foreach (char c in value)
        {
            if (c < '!' || c > '~')
            {
                reason = "idempotency key must be printable ASCII without spaces";
                return false;
            }
        }
        key = new IdempotencyKey(value);
        reason = string.Empty;
        return true;
    }

    /// <summary>Creates a key that is known to be well formed; throws on a bug.</summary>
    public static IdempotencyKey From(string value)
    {
        Invariant.That(TryCreate(value, out var key, out var reason), reason);
        return key;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

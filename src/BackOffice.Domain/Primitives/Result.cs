namespace BackOffice.Domain.Primitives;

/// <summary>Either a value or the <see cref="Primitives.Rejection"/> that stopped it. Never both.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Rejection? rejection)
    {
        _value = value;
        Rejection = rejection;
    }

    /// <summary>The rejection, or null when the result holds a value.</summary>
    public Rejection? Rejection { get; }

    /// <summary>True when a value is held.</summary>
    public bool IsAccepted => Rejection is null;

    /// <summary>The value; asserting it is there.</summary>
    public T Value
    {
        get
        {
            Invariant.That(Rejection is null, "a rejected result has no value");
            return _value!;
        }
    }

    /// <summary>Wraps a value.</summary>
    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>Wraps a rejection.</summary>
    public static implicit operator Result<T>(Rejection rejection) => new(default, rejection);
}

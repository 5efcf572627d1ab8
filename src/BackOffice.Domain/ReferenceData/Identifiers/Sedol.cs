using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// A SEDOL, the London Stock Exchange security number, that has passed <see cref="SedolRules.Validate"/>.
/// Only <see cref="TryCreate"/> and <see cref="From"/> make one. The default value is empty and is
/// never valid.
/// </summary>
public readonly record struct Sedol
{
    private readonly string? _value;

    private Sedol(string value) => _value = value;

    /// <summary>The seven characters, for example "0263494"; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Makes a SEDOL when <paramref name="value"/> passes the SEDOL rules; otherwise the reason says which rule failed.</summary>
    public static bool TryCreate(string value, out Sedol sedol, out string reason)
    {
        ValidationResult result = SedolRules.Validate(value);
        sedol = result.IsValid ? new Sedol(value) : default;
        reason = result.Reason;
        return result.IsValid;
    }

    /// <summary>Makes a SEDOL known to be valid; an invalid one is a bug and throws.</summary>
    public static Sedol From(string value)
    {
        Invariant.That(TryCreate(value, out Sedol sedol, out string reason), reason);
        return sedol;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

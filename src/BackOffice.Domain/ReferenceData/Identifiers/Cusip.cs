using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// A CUSIP, the North American security number, that has passed <see cref="CusipRules.Validate"/>.
/// Only <see cref="TryCreate"/> and <see cref="From"/> make one. The default value is empty and is
/// never valid.
/// </summary>
public readonly record struct Cusip
{
    private readonly string? _value;

    private Cusip(string value) => _value = value;

    /// <summary>The nine characters, for example "037833100"; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Characters 1-6: the issuer number.</summary>
    public string Issuer => Value.Length == CusipRules.Length ? Value[..6] : string.Empty;

    /// <summary>Makes a CUSIP when <paramref name="value"/> passes the CUSIP rules; otherwise the reason says which rule failed.</summary>
    public static bool TryCreate(string value, out Cusip cusip, out string reason)
    {
        ValidationResult result = CusipRules.Validate(value);
        cusip = result.IsValid ? new Cusip(value) : default;
        reason = result.Reason;
        return result.IsValid;
    }

    /// <summary>Makes a CUSIP known to be valid; an invalid one is a bug and throws.</summary>
    public static Cusip From(string value)
    {
        Invariant.That(TryCreate(value, out Cusip cusip, out string reason), reason);
        return cusip;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// A Legal Entity Identifier (ISO 17442) that has passed <see cref="LeiRules.Validate"/>: the code
/// regulators use to name a counterparty, an issuer or the reporting firm itself. Only
/// <see cref="TryCreate"/> and <see cref="From"/> make one. A valid LEI may still be lapsed or
/// retired in the GLEIF register; that is not checked here. The default value is empty and is never valid.
/// </summary>
public readonly record struct Lei
{
    private readonly string? _value;

    private Lei(string value) => _value = value;

    /// <summary>The twenty characters, for example "HWUPKR0MPOU8FGXBT394"; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Characters 1-4: the prefix of the local operating unit that issued the LEI.</summary>
    public string IssuerPrefix => Value.Length == LeiRules.Length ? Value[..4] : string.Empty;

    /// <summary>Makes an LEI when <paramref name="value"/> passes ISO 17442; otherwise the reason says which rule failed.</summary>
    public static bool TryCreate(string value, out Lei lei, out string reason)
    {
        ValidationResult result = LeiRules.Validate(value);
        lei = result.IsValid ? new Lei(value) : default;
        reason = result.Reason;
        return result.IsValid;
    }

    /// <summary>Makes an LEI known to be valid; an invalid one is a bug and throws.</summary>
    public static Lei From(string value)
    {
        Invariant.That(TryCreate(value, out Lei lei, out string reason), reason);
        return lei;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

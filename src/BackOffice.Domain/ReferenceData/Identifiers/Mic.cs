using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Standards;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// A Market Identifier Code (ISO 10383) that has passed <see cref="MicRules.Validate"/>: a trading
/// venue or segment that is in the shipped registry and not expired. Only <see cref="TryCreate"/> and
/// <see cref="From"/> make one. The default value is empty and is never valid.
/// </summary>
public readonly record struct Mic
{
    private readonly string? _value;

    private Mic(string value) => _value = value;

    /// <summary>The four characters, for example "XNYS"; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The registry entry (operating MIC, market name, country); false for the default value.</summary>
    public bool TryGetEntry(out MicEntry entry) => MicRegistry.TryGet(Value, out entry);

    /// <summary>Makes a MIC when <paramref name="value"/> is an in-use ISO 10383 code; otherwise the reason says which rule failed.</summary>
    public static bool TryCreate(string value, out Mic mic, out string reason)
    {
        ValidationResult result = MicRules.Validate(value);
        mic = result.IsValid ? new Mic(value) : default;
        reason = result.Reason;
        return result.IsValid;
    }

    /// <summary>Makes a MIC known to be valid; an invalid or expired one is a bug and throws.</summary>
    public static Mic From(string value)
    {
        Invariant.That(TryCreate(value, out Mic mic, out string reason), reason);
        return mic;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

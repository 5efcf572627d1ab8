using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// An International Securities Identification Number (ISO 6166) that has passed
/// <see cref="IsinRules.Validate"/>: the one identifier of a security that is unique worldwide. Only
/// <see cref="TryCreate"/> and <see cref="From"/> make one, so holding an <see cref="Isin"/> means the
/// check digit and prefix were checked. The default value is empty and is never valid.
/// </summary>
public readonly record struct Isin
{
    private readonly string? _value;

    private Isin(string value) => _value = value;

    /// <summary>The twelve characters, for example "US0378331005"; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Characters 1-2: the country of the numbering agency (US, GB...) or a reserved prefix (XS, EU...).</summary>
    public string Prefix => Value.Length == IsinRules.Length ? Value[..2] : string.Empty;

    /// <summary>Characters 3-11: the national security identifier (a CUSIP for US and CA, "00" + SEDOL for GB and IE).</summary>
    public string NationalIdentifier => Value.Length == IsinRules.Length ? Value[2..11] : string.Empty;

    /// <summary>Makes an ISIN when <paramref name="value"/> passes ISO 6166; otherwise the reason says which rule failed.</summary>
    public static bool TryCreate(string value, out Isin isin, out string reason)
    {
        ValidationResult result = IsinRules.Validate(value);
        isin = result.IsValid ? new Isin(value) : default;
        reason = result.Reason;
        return result.IsValid;
    }

    /// <summary>Makes an ISIN known to be valid (a constant, a value read back from storage); an invalid one is a bug and throws.</summary>
    public static Isin From(string value)
    {
        Invariant.That(TryCreate(value, out Isin isin, out string reason), reason);
        return isin;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

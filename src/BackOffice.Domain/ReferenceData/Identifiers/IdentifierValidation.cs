using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>One entry point for every identifier rule, by <see cref="IdentifierType"/>.</summary>
public static class IdentifierValidation
{
    /// <summary>Checks <paramref name="value"/> by the published rule of its type.</summary>
    public static ValidationResult Validate(IdentifierType type, string value) => type switch
    {
        IdentifierType.Isin => IsinRules.Validate(value),
        IdentifierType.Cusip => CusipRules.Validate(value),
        IdentifierType.Sedol => SedolRules.Validate(value),
        IdentifierType.Lei => LeiRules.Validate(value),
        IdentifierType.Bic => BicRules.Validate(value),
        IdentifierType.Mic => MicRules.Validate(value),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Reads the CLI word for a type (isin, cusip, sedol, lei, bic, mic), ignoring case.</summary>
    public static bool TryParseType(string text, out IdentifierType type)
    {
        type = text.ToUpperInvariant() switch
        {
            "ISIN" => IdentifierType.Isin,
            "CUSIP" => IdentifierType.Cusip,
            "SEDOL" => IdentifierType.Sedol,
            "LEI" => IdentifierType.Lei,
            "BIC" => IdentifierType.Bic,
            "MIC" => IdentifierType.Mic,
            _ => 0,
        };
        return type != 0;
    }
}

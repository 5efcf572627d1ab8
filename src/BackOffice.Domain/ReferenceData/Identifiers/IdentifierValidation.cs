using System.Collections.Frozen;
using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// One entry point for every identifier rule, by <see cref="IdentifierType"/>, used by the CLI
/// (<c>validate isin US0378331005</c>) and by the reference-data rules. Each reason starts with the
/// standard that refused the value, then says what was wrong and, for a check digit, what was expected.
/// </summary>
public static class IdentifierValidation
{
    /// <summary>The CLI word for each type, as <see cref="TryParseType"/> reads it.</summary>
    public static FrozenDictionary<string, IdentifierType> TypesByWord { get; } = new Dictionary<string, IdentifierType>(StringComparer.OrdinalIgnoreCase)
    {
        ["isin"] = IdentifierType.Isin,
        ["cusip"] = IdentifierType.Cusip,
        ["sedol"] = IdentifierType.Sedol,
        ["lei"] = IdentifierType.Lei,
        ["bic"] = IdentifierType.Bic,
        ["mic"] = IdentifierType.Mic,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Checks <paramref name="value"/> by the published rule of its type. Values are taken exactly as
    /// given: no trimming and no change of case (identifiers are upper case by definition).
    /// </summary>
    public static ValidationResult Validate(IdentifierType type, string value) => type switch
    {
        IdentifierType.Isin => IsinRules.Validate(value),
        IdentifierType.Cusip => CusipRules.Validate(value),
        IdentifierType.Sedol => SedolRules.Validate(value),
        IdentifierType.Lei => LeiRules.Validate(value),
        IdentifierType.Bic => BicRules.Validate(value),
        IdentifierType.Mic => MicRules.Validate(value),
        _ => ValidationResult.Invalid(string.Create(CultureInfo.InvariantCulture, $"unknown identifier type {(int)type}")),
    };

    /// <summary>
    /// Reads the CLI word for a type (isin, cusip, sedol, lei, bic, mic), ignoring case; false for
    /// any other text, including text with surrounding spaces.
    /// </summary>
    public static bool TryParseType(string text, out IdentifierType type)
    {
        type = default;
        return text is not null && TypesByWord.TryGetValue(text, out type);
    }

    /// <summary>The CLI word for a type, for example "isin"; empty for a value outside the enum.</summary>
    public static string Word(IdentifierType type) => type switch
    {
        IdentifierType.Isin => "isin",
        IdentifierType.Cusip => "cusip",
        IdentifierType.Sedol => "sedol",
        IdentifierType.Lei => "lei",
        IdentifierType.Bic => "bic",
        IdentifierType.Mic => "mic",
        _ => string.Empty,
    };
}

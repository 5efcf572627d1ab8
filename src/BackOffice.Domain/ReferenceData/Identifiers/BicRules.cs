using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Standards;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// ISO 9362 Business Identifier Code (the "SWIFT code"): a four-character party prefix (the
/// institution), a two-letter ISO 3166 country code, a two-character party suffix (the location),
/// and for a branch an optional three-character branch code ("XXX" or absent means the head office).
/// There is no check digit, so a well-formed BIC may still not be registered.
/// </summary>
/// <remarks>
/// <para>Since ISO 9362:2014 (and in the 2022 edition) the party prefix may contain digits; the 2009
/// edition allowed letters only. SWIFT still issues letter prefixes, but this rule accepts digits so
/// that newer codes are not rejected.</para>
/// <para>Checks run in this order and the first failure is returned: empty, length 8 or 11, every
/// character an upper-case letter or digit, characters 5-6 letters, characters 5-6 an ISO 3166-1
/// code (or XK, which SWIFT uses for Kosovo).</para>
/// </remarks>
public static class BicRules
{
    /// <summary>The standard named in every reason.</summary>
    public const string Standard = "ISO 9362";

    /// <summary>Length of a BIC without a branch code (BIC8).</summary>
    public const int LengthWithoutBranch = 8;

    /// <summary>Length of a BIC with a branch code (BIC11).</summary>
    public const int LengthWithBranch = 11;

    /// <summary>Checks a BIC against ISO 9362; the reason names the first rule that failed.</summary>
    public static ValidationResult Validate(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return IdentifierText.Fail(Standard, "value is empty");
        }
        if (value.Length is not (LengthWithoutBranch or LengthWithBranch))
        {
            return IdentifierText.Fail(Standard, $"length is {value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}, expected 8 or 11");
        }
        ValidationResult result = IdentifierText.CheckCharacters(Standard, value, 0, value.Length, IdentifierText.IsUpperAlphanumeric, "an upper-case letter or digit");
        if (!result.IsValid)
        {
            return result;
        }
        string country = value[4..6];
        if (!IdentifierText.IsUpperLetter(country[0]) || !IdentifierText.IsUpperLetter(country[1]))
        {
            return IdentifierText.Fail(Standard, $"characters 5-6 '{country}' must be letters (a country code)");
        }
        return CountryRegistry.IsAssigned(country) || country == "XK"
            ? ValidationResult.Valid
            : IdentifierText.Fail(Standard, $"characters 5-6 '{country}' are not an ISO 3166-1 country code");
    }
}

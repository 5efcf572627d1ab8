using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// ISO 17442 Legal Entity Identifier: twenty upper-case letters and digits, of which the last two are
/// check digits under ISO 7064 MOD 97-10. Replacing each letter by its value (A = 10 … Z = 35) turns
/// the whole LEI into a number, and that number mod 97 must be 1. Characters 1-4 name the issuing
/// local operating unit and 5-18 the entity.
/// </summary>
/// <remarks>
/// Checks run in this order and the first failure is returned: empty, length 20, every character an
/// upper-case letter or digit, characters 19-20 digits, MOD 97-10 correct. The check catches every
/// change of one character into another of the same kind (digit for digit, letter for letter) and
/// every swap of two neighbouring digits; a letter replaced by a digit or the reverse shifts the
/// expansion and is caught in all but about one case in 97.
/// </remarks>
public static class LeiRules
{
    /// <summary>The standard named in every reason.</summary>
    public const string Standard = "ISO 17442";

    /// <summary>Length of an LEI.</summary>
    public const int Length = 20;

    /// <summary>Checks an LEI against ISO 17442; the reason names the first rule that failed.</summary>
    public static ValidationResult Validate(string value)
    {
        ValidationResult result = IdentifierText.CheckLength(Standard, value, Length);
        if (result.IsValid)
        {
            result = IdentifierText.CheckCharacters(Standard, value, 0, Length, IdentifierText.IsUpperAlphanumeric, "an upper-case letter or digit");
        }
        if (result.IsValid)
        {
            result = IdentifierText.CheckCharacters(Standard, value, Length - 2, Length, IdentifierText.IsDigit, "a digit (characters 19-20 are check digits)");
        }
        if (!result.IsValid || Mod97(value) == 1)
        {
            return result;
        }
        string actual = value[(Length - 2)..];
        TryComputeCheckDigits(value.AsSpan(0, Length - 2), out string expected);
        return IdentifierText.Fail(Standard, string.Create(CultureInfo.InvariantCulture,
            $"check digits are {actual}, expected {expected} (ISO 7064 MOD 97-10)"));
    }

    /// <summary>
    /// The two check digits for the first eighteen characters of an LEI: 98 − (body followed by "00"
    /// mod 97), as two digits. False when the body is not eighteen upper-case letters or digits.
    /// </summary>
    public static bool TryComputeCheckDigits(ReadOnlySpan<char> body, out string checkDigits)
    {
        checkDigits = string.Empty;
        if (body.Length != Length - 2)
        {
            return false;
        }
        foreach (char c in body)
        {
            if (!IdentifierText.IsUpperAlphanumeric(c))
            {
                return false;
            }
        }
        int remainder = Mod97(body);
        remainder = remainder * 100 % 97;
        checkDigits = (98 - remainder).ToString("00", CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The digit expansion of <paramref name="text"/> (letters as two digits) mod 97, computed a character at a time.</summary>
    private static int Mod97(ReadOnlySpan<char> text)
    {
        int remainder = 0;
        foreach (char c in text)
        {
            int value = IdentifierText.AlphanumericValue(c);
            remainder = value < 10 ? ((remainder * 10) + value) % 97 : ((remainder * 100) + value) % 97;
        }
        return remainder;
    }
}

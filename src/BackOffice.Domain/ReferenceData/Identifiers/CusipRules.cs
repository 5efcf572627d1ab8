using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// CUSIP, the nine-character security number allocated by CUSIP Global Services for North America:
/// six characters for the issuer, two for the issue, and a check digit. The check digit is the
/// "modulus 10 double-add-double" digit: each of the first eight characters gets a value (digits
/// 0-9, letters A = 10 … Z = 35, '*' = 36, '@' = 37, '#' = 38), every second value (positions
/// 2, 4, 6, 8) is doubled, the decimal digits of all the results are added, and the check digit is
/// (10 − sum mod 10) mod 10.
/// </summary>
/// <remarks>
/// Checks run in this order and the first failure is returned: empty, length 9, characters 1-8 from
/// the CUSIP alphabet (upper-case letters, digits, '*', '@', '#'; the symbols appear in private
/// placement numbers), check character a digit, check digit correct. The check digit catches every
/// change of one digit into another, but not every change involving a letter or symbol.
/// </remarks>
public static class CusipRules
{
    /// <summary>The name used in every reason.</summary>
    public const string Standard = "CUSIP";

    /// <summary>Length of a CUSIP.</summary>
    public const int Length = 9;

    /// <summary>Checks a CUSIP; the reason names the first rule that failed.</summary>
    public static ValidationResult Validate(string value)
    {
        ValidationResult result = IdentifierText.CheckLength(Standard, value, Length);
        if (result.IsValid)
        {
            result = IdentifierText.CheckCharacters(Standard, value, 0, Length - 1, IsCusipCharacter, "an upper-case letter, digit, '*', '@' or '#'");
        }
        if (!result.IsValid)
        {
            return result;
        }
        char actual = value[Length - 1];
        if (!IdentifierText.IsDigit(actual))
        {
            return IdentifierText.Fail(Standard, $"check digit {IdentifierText.Show(actual)} is not a digit");
        }
        int expected = CheckDigit(value.AsSpan(0, Length - 1));
        return actual - '0' == expected
            ? ValidationResult.Valid
            : IdentifierText.Fail(Standard, string.Create(CultureInfo.InvariantCulture, $"check digit is {actual}, expected {expected}"));
    }

    /// <summary>The check digit for the first eight characters of a CUSIP; false when they are not eight CUSIP characters.</summary>
    public static bool TryComputeCheckDigit(ReadOnlySpan<char> body, out char checkDigit)
    {
        checkDigit = '\0';
        if (body.Length != Length - 1)
        {
            return false;
        }
        foreach (char c in body)
        {
            if (!IsCusipCharacter(c))
            {
                return false;
            }
        }
        checkDigit = (char)('0' + CheckDigit(body));
        return true;
    }

    /// <summary>True for the characters allowed in positions 1-8: 'A'-'Z', '0'-'9', '*', '@', '#'.</summary>
    internal static bool IsCusipCharacter(char c) => IdentifierText.IsUpperAlphanumeric(c) || c is '*' or '@' or '#';

    internal static int CharacterValue(char c) => c switch
    {
        '*' => 36,
        '@' => 37,
        '#' => 38,
        _ => IdentifierText.AlphanumericValue(c),
    };

    private static int CheckDigit(ReadOnlySpan<char> body)
    {
        int sum = 0;
        for (int i = 0; i < body.Length; i++)
        {
            int value = CharacterValue(body[i]);
            if (i % 2 == 1)
            {
                value *= 2;
            }
            sum += (value / 10) + (value % 10);
        }
        return (10 - (sum % 10)) % 10;
    }
}

using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// SEDOL, the seven-character security number allocated by the London Stock Exchange: six
/// characters and a check digit. Letters are never vowels. Old SEDOLs are all digits; those issued
/// since 2004 start with a letter. The check digit is (10 − Σ wᵢ·vᵢ mod 10) mod 10 with weights
/// 1, 3, 1, 7, 3, 9 and values 0-9 for digits and B = 11 … Z = 35 for letters (so the weighted sum of
/// all seven characters, the check digit with weight 1, is a multiple of 10).
/// </summary>
/// <remarks>
/// Checks run in this order and the first failure is returned: empty, length 7, characters 1-6
/// digits or consonants, an all-digit SEDOL when it starts with a digit, check character a digit,
/// check digit correct. Because every weight is prime to 10, the check digit catches every change of
/// one digit into another, but not a change between characters whose values end in the same digit
/// (for example '1' and 'B').
/// </remarks>
public static class SedolRules
{
    /// <summary>The name used in every reason.</summary>
    public const string Standard = "SEDOL";

    /// <summary>Length of a SEDOL.</summary>
    public const int Length = 7;

    private static readonly int[] Weights = [1, 3, 1, 7, 3, 9];

    /// <summary>Checks a SEDOL; the reason names the first rule that failed.</summary>
    public static ValidationResult Validate(string value)
    {
        ValidationResult result = IdentifierText.CheckLength(Standard, value, Length);
        if (result.IsValid)
        {
            result = IdentifierText.CheckCharacters(Standard, value, 0, Length - 1, IsSedolCharacter, "a digit or an upper-case consonant (SEDOL letters exclude A, E, I, O, U)");
        }
        if (result.IsValid)
        {
            result = CheckOldStyle(value);
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

    /// <summary>The check digit for the first six characters of a SEDOL; false when they are not six SEDOL characters.</summary>
    public static bool TryComputeCheckDigit(ReadOnlySpan<char> body, out char checkDigit)
    {
        checkDigit = '\0';
        if (body.Length != Length - 1)
        {
            return false;
        }
        foreach (char c in body)
        {
            if (!IsSedolCharacter(c))
            {
                return false;
            }
        }
        checkDigit = (char)('0' + CheckDigit(body));
        return true;
    }

    /// <summary>True for '0'-'9' and the upper-case consonants.</summary>
    internal static bool IsSedolCharacter(char c) =>
        IdentifierText.IsDigit(c) || (IdentifierText.IsUpperLetter(c) && c is not ('A' or 'E' or 'I' or 'O' or 'U'));

    private static ValidationResult CheckOldStyle(string value)
    {
        if (!IdentifierText.IsDigit(value[0]))
        {
            return ValidationResult.Valid;
        }
        for (int i = 1; i < Length - 1; i++)
        {
            if (!IdentifierText.IsDigit(value[i]))
            {
                return IdentifierText.Fail(Standard, string.Create(CultureInfo.InvariantCulture,
                    $"character {i + 1} {IdentifierText.Show(value[i])} is a letter, but a SEDOL that starts with a digit has digits only"));
            }
        }
        return ValidationResult.Valid;
    }

    private static int CheckDigit(ReadOnlySpan<char> body)
    {
        int sum = 0;
        for (int i = 0; i < body.Length; i++)
        {
            sum += Weights[i] * IdentifierText.AlphanumericValue(body[i]);
        }
        return (10 - (sum % 10)) % 10;
    }
}

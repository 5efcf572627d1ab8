using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// Character classes, values and the shared first checks (empty, length, character set) used by
/// every identifier rule, so that all of them word the same failure the same way. Positions in
/// messages count from 1, as the standards do.
/// </summary>
internal static class IdentifierText
{
    /// <summary>True for 'A' to 'Z'.</summary>
    internal static bool IsUpperLetter(char c) => c is >= 'A' and <= 'Z';

    /// <summary>True for '0' to '9'.</summary>
    internal static bool IsDigit(char c) => c is >= '0' and <= '9';

    /// <summary>True for 'A' to 'Z' and '0' to '9'.</summary>
    internal static bool IsUpperAlphanumeric(char c) => IsUpperLetter(c) || IsDigit(c);

    /// <summary>The value ISO 6166, ISO 7064 and CUSIP give a character: '0'..'9' → 0..9, 'A'..'Z' → 10..35.</summary>
    internal static int AlphanumericValue(char c)
    {
        Invariant.That(IsUpperAlphanumeric(c), "AlphanumericValue needs an upper-case letter or a digit");
        return IsDigit(c) ? c - '0' : c - 'A' + 10;
    }

    /// <summary>A character as shown in a reason: quoted when printable, as U+XXXX otherwise.</summary>
    internal static string Show(char c) =>
        c is >= ' ' and <= '~'
            ? string.Create(CultureInfo.InvariantCulture, $"'{c}'")
            : string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");

    /// <summary>"STANDARD: message", the form of every reason.</summary>
    internal static ValidationResult Fail(string standard, string message) =>
        ValidationResult.Invalid(standard + ": " + message);

    /// <summary>The empty and length checks, in that order; <see cref="ValidationResult.Valid"/> when both pass.</summary>
    internal static ValidationResult CheckLength(string standard, string? value, int expected)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Fail(standard, "value is empty");
        }
        return value.Length == expected
            ? ValidationResult.Valid
            : Fail(standard, string.Create(CultureInfo.InvariantCulture, $"length is {value.Length}, expected {expected}"));
    }

    /// <summary>
    /// The first character, from position <paramref name="from"/> (0-based, inclusive) to
    /// <paramref name="to"/> (exclusive), for which <paramref name="allowed"/> is false, named in a
    /// reason that ends with <paramref name="expectation"/>; Valid when there is none.
    /// </summary>
    internal static ValidationResult CheckCharacters(string standard, string value, int from, int to, Func<char, bool> allowed, string expectation)
    {
        for (int i = from; i < to; i++)
        {
            if (!allowed(value[i]))
            {
                return Fail(standard, string.Create(CultureInfo.InvariantCulture, $"character {i + 1} {Show(value[i])} is not {expectation}"));
            }
        }
        return ValidationResult.Valid;
    }
}

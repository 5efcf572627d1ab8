using System.Collections.Frozen;
using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Standards;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// ISO 6166 International Securities Identification Number: a two-letter prefix, a nine-character
/// national security identifier (a CUSIP for US and CA, a zero-padded SEDOL for GB and IE), and a
/// check digit. The check digit is the Luhn ("modulus 10 double-add-double") digit computed over
/// the first eleven characters after each letter is replaced by its value (A = 10 … Z = 35), so
/// US037833100 becomes 3028037833100.
/// </summary>
/// <remarks>
/// <para>The prefix must be an ISO 3166-1 alpha-2 country code (in general the issuer's home country,
/// whose national numbering agency allocates the ISIN, so Schlumberger is AN8068571086 although it is
/// numbered by CUSIP Global Services) or one of the prefixes listed in <see cref="ReservedPrefixes"/>.</para>
/// <para>Checks run in this order and the first failure is returned: empty, length 12, every
/// character an upper-case letter or digit, prefix letters, prefix known, check character a digit,
/// check digit correct.</para>
/// <para>The Luhn digit catches every change of one digit into another, but not every change
/// involving a letter (a letter stands for two digits) nor every swap of neighbours.</para>
/// </remarks>
public static class IsinRules
{
    /// <summary>The standard named in every reason.</summary>
    public const string Standard = "ISO 6166";

    /// <summary>Length of an ISIN.</summary>
    public const int Length = 12;

    /// <summary>
    /// Prefixes that are not current ISO 3166 country codes but are used for ISINs: XS (international
    /// securities, allocated by Euroclear and Clearstream), EU (securities of European Union
    /// institutions), EZ (OTC derivatives, allocated by the ANNA Derivatives Service Bureau), ZZ
    /// (reserved by ISO 6166:2021 Annex A), XA, XB, XC and XD (substitute numbering agencies: CUSIP
    /// Global Services, NSD Russia, WM Datenservice, SIX), QS and QT (temporary and internal national
    /// allocations in Germany, France and Switzerland), XK (Kosovo, user-assigned in ISO 3166), and
    /// AN and CS (Netherlands Antilles and Serbia and Montenegro: withdrawn from ISO 3166 in 2010 and
    /// 2006, but ISINs are never reallocated, so AN8068571086 still names Schlumberger shares).
    /// XF ("internally assigned, not unique") is left out on purpose: such numbers are not ISINs.
    /// </summary>
    public static FrozenSet<string> ReservedPrefixes { get; } =
        new[] { "XS", "EU", "EZ", "ZZ", "XA", "XB", "XC", "XD", "QS", "QT", "XK", "AN", "CS" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Checks an ISIN against ISO 6166; the reason names the first rule that failed.</summary>
    public static ValidationResult Validate(string value)
    {
        ValidationResult result = IdentifierText.CheckLength(Standard, value, Length);
        if (result.IsValid)
        {
            result = IdentifierText.CheckCharacters(Standard, value, 0, Length, IdentifierText.IsUpperAlphanumeric, "an upper-case letter or digit");
        }
        if (result.IsValid)
        {
            result = CheckPrefix(value[..2]);
        }
        if (result.IsValid)
        {
            result = CheckCheckDigit(value);
        }
        return result;
    }

    /// <summary>
    /// The check digit for the first eleven characters of an ISIN (prefix and national identifier).
    /// False when <paramref name="body"/> is not eleven upper-case letters or digits; the prefix is
    /// not checked here.
    /// </summary>
    public static bool TryComputeCheckDigit(ReadOnlySpan<char> body, out char checkDigit)
    {
        checkDigit = '\0';
        if (body.Length != Length - 1)
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
        checkDigit = (char)('0' + LuhnCheckDigit(body));
        return true;
    }

    /// <summary>The ISIN for a national identifier: prefix, identifier left-padded with zeros to nine characters, check digit.</summary>
    public static bool TryFromNationalIdentifier(string prefix, string nationalIdentifier, out string isin)
    {
        isin = string.Empty;
        if (prefix is null || nationalIdentifier is null || prefix.Length != 2 || nationalIdentifier.Length is 0 or > 9)
        {
            return false;
        }
        string body = prefix + nationalIdentifier.PadLeft(9, '0');
        if (!TryComputeCheckDigit(body, out char check))
        {
            return false;
        }
        isin = body + check;
        return true;
    }

    private static ValidationResult CheckPrefix(string prefix)
    {
        if (!IdentifierText.IsUpperLetter(prefix[0]) || !IdentifierText.IsUpperLetter(prefix[1]))
        {
            return IdentifierText.Fail(Standard, $"characters 1-2 '{prefix}' must be letters (a country code)");
        }
        return CountryRegistry.IsAssigned(prefix) || ReservedPrefixes.Contains(prefix)
            ? ValidationResult.Valid
            : IdentifierText.Fail(Standard, $"country code '{prefix}' is not an ISO 3166-1 alpha-2 code nor a reserved ISIN prefix");
    }

    private static ValidationResult CheckCheckDigit(string value)
    {
        char actual = value[Length - 1];
        if (!IdentifierText.IsDigit(actual))
        {
            return IdentifierText.Fail(Standard, $"check digit {IdentifierText.Show(actual)} is not a digit");
        }
        int expected = LuhnCheckDigit(value.AsSpan(0, Length - 1));
        return actual - '0' == expected
            ? ValidationResult.Valid
            : IdentifierText.Fail(Standard, string.Create(CultureInfo.InvariantCulture, $"check digit is {actual}, expected {expected}"));
    }

    /// <summary>
    /// Luhn over the digit expansion of <paramref name="body"/>, walking it from the right: the
    /// rightmost digit is doubled (the check digit will follow it), then every second one.
    /// </summary>
    private static int LuhnCheckDigit(ReadOnlySpan<char> body)
    {
        int sum = 0;
        bool doubleIt = true;
        for (int i = body.Length - 1; i >= 0; i--)
        {
            int value = IdentifierText.AlphanumericValue(body[i]);
            sum += LuhnTerm(value % 10, doubleIt);
            doubleIt = !doubleIt;
            if (value >= 10)
            {
                sum += LuhnTerm(value / 10, doubleIt);
                doubleIt = !doubleIt;
            }
        }
        return (10 - (sum % 10)) % 10;
    }

    private static int LuhnTerm(int digit, bool doubleIt)
    {
        int term = doubleIt ? digit * 2 : digit;
        return term > 9 ? term - 9 : term;
    }
}

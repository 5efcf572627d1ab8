using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Domain.ReferenceData.Standards;
using CsCheck;

namespace BackOffice.Domain.Tests.Identifiers;

/// <summary>
/// Over random bodies: a computed check digit always validates, and a single changed character is
/// refused wherever the algorithm guarantees it. Each test says which changes its algorithm catches
/// for certain; the others (for example a letter changed in an ISIN, whose Luhn digit works on the
/// two-digit expansion of letters, or a swap of neighbours) are caught only most of the time and are
/// not asserted.
/// </summary>
public sealed class CheckDigitPropertyTests
{
    private const string Digits = "0123456789";
    private const string Alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string SedolLetters = "BCDFGHJKLMNPQRSTVWXYZ";

    private static readonly Gen<string> IsinBodies = Gen.Select(
        Gen.OneOf(CountryRegistry.Codes.Concat(IsinRules.ReservedPrefixes).ToArray()),
        Gen.String[Gen.Char[Alphanumerics], 9, 9],
        (prefix, national) => prefix + national);

    private static readonly Gen<string> CusipBodies = Gen.String[Gen.Char[Alphanumerics + "*@#"], 8, 8];

    // Old SEDOLs are all digits; those issued since 2004 start with a consonant.
    private static readonly Gen<string> SedolBodies = Gen.OneOf(
        Gen.String[Gen.Char[Digits], 6, 6],
        Gen.Select(Gen.Char[SedolLetters], Gen.String[Gen.Char[Digits + SedolLetters], 5, 5], (first, rest) => first + rest));

    private static readonly Gen<string> LeiBodies = Gen.String[Gen.Char[Alphanumerics], 18, 18];

    [Fact]
    public void A_computed_isin_check_digit_validates() =>
        IsinBodies.Sample(body =>
        {
            Assert.True(IsinRules.TryComputeCheckDigit(body, out char check));
            Assert.True(IsinRules.Validate(body + check).IsValid, body + check);
        });

    [Fact]
    public void Changing_one_digit_of_an_isin_into_another_is_refused() =>
        // Luhn catches any single changed digit of the expansion; a digit of the ISIN is one digit of it.
        Gen.Select(IsinBodies, Gen.Int[2, IsinRules.Length - 1], Gen.Char[Digits]).Sample((body, position, digit) =>
        {
            IsinRules.TryComputeCheckDigit(body, out char check);
            string isin = body + check;
            if (char.IsAsciiDigit(isin[position]) && isin[position] != digit)
            {
                Assert.False(IsinRules.Validate(Replace(isin, position, digit)).IsValid, isin);
            }
        });

    [Fact]
    public void A_computed_cusip_check_digit_validates_and_every_single_digit_change_is_refused() =>
        // Weights 1 and 2 (with digit sums) map the ten digits to ten different values mod 10.
        Gen.Select(CusipBodies, Gen.Int[0, CusipRules.Length - 1], Gen.Char[Digits]).Sample((body, position, digit) =>
        {
            Assert.True(CusipRules.TryComputeCheckDigit(body, out char check));
            string cusip = body + check;
            Assert.True(CusipRules.Validate(cusip).IsValid, cusip);
            if (char.IsAsciiDigit(cusip[position]) && cusip[position] != digit)
            {
                Assert.False(CusipRules.Validate(Replace(cusip, position, digit)).IsValid, cusip);
            }
        });

    [Fact]
    public void A_computed_sedol_check_digit_validates_and_changes_to_a_different_value_mod_10_are_refused() =>
        // Weights 1, 3, 1, 7, 3, 9, 1 are prime to 10, so a change is caught unless the two characters'
        // values end in the same digit ('1' = 1 and 'B' = 11, for example).
        Gen.Select(SedolBodies, Gen.Int[0, SedolRules.Length - 1], Gen.Char[Digits + SedolLetters]).Sample((body, position, replacement) =>
        {
            Assert.True(SedolRules.TryComputeCheckDigit(body, out char check));
            string sedol = body + check;
            Assert.True(SedolRules.Validate(sedol).IsValid, sedol);
            if (Value(sedol[position]) % 10 != Value(replacement) % 10)
            {
                Assert.False(SedolRules.Validate(Replace(sedol, position, replacement)).IsValid, sedol);
            }
        });

    [Fact]
    public void A_computed_lei_check_pair_validates() =>
        LeiBodies.Sample(body =>
        {
            Assert.True(LeiRules.TryComputeCheckDigits(body, out string check));
            Assert.Equal(2, check.Length);
            Assert.True(LeiRules.Validate(body + check).IsValid, body + check);
        });

    [Fact]
    public void Changing_one_lei_character_into_another_of_the_same_kind_is_refused() =>
        // The change adds d·10^k with 0 < |d| < 97 to the number; 97 is prime and does not divide 10^k.
        Gen.Select(LeiBodies, Gen.Int[0, LeiRules.Length - 1], Gen.Char[Alphanumerics]).Sample((body, position, replacement) =>
        {
            LeiRules.TryComputeCheckDigits(body, out string check);
            string lei = body + check;
            char original = lei[position];
            bool sameKind = char.IsAsciiDigit(original) == char.IsAsciiDigit(replacement);
            if (sameKind && original != replacement)
            {
                Assert.False(LeiRules.Validate(Replace(lei, position, replacement)).IsValid, lei);
            }
        });

    [Fact]
    public void Swapping_two_different_neighbouring_lei_digits_is_refused() =>
        Gen.Select(Gen.String[Gen.Char[Digits], 18, 18], Gen.Int[0, LeiRules.Length - 2]).Sample((body, position) =>
        {
            LeiRules.TryComputeCheckDigits(body, out string check);
            string lei = body + check;
            if (lei[position] != lei[position + 1])
            {
                string swapped = lei[..position] + lei[position + 1] + lei[position] + lei[(position + 2)..];
                Assert.False(LeiRules.Validate(swapped).IsValid, lei);
            }
        });

    [Fact]
    public void Bodies_of_the_wrong_shape_have_no_check_digit()
    {
        Assert.False(IsinRules.TryComputeCheckDigit("US03783310", out _));
        Assert.False(IsinRules.TryComputeCheckDigit("US03783310-", out _));
        Assert.False(CusipRules.TryComputeCheckDigit("0378331", out _));
        Assert.False(CusipRules.TryComputeCheckDigit("0378331a", out _));
        Assert.False(SedolRules.TryComputeCheckDigit("A26349", out _));
        Assert.False(SedolRules.TryComputeCheckDigit("02634", out _));
        Assert.False(LeiRules.TryComputeCheckDigits("5493001KJTIIGC8Y1", out _));
        Assert.False(LeiRules.TryComputeCheckDigits("5493001KJTIIGC8Y1r", out _));
    }

    [Fact]
    public void Letters_in_identifiers_are_only_checked_for_what_the_letters_rule_allows()
    {
        // Every consonant is a SEDOL letter and no vowel is.
        foreach (char letter in Letters)
        {
            Assert.Equal(SedolLetters.Contains(letter, StringComparison.Ordinal), SedolRules.TryComputeCheckDigit(letter + "23456", out _));
        }
    }

    private static string Replace(string text, int position, char replacement) =>
        text[..position] + replacement + text[(position + 1)..];

    private static int Value(char c) => char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
}

using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Domain.ReferenceData.Standards;
using CsCheck;

namespace BackOffice.Domain.Tests.ReferenceData;

/// <summary>Identifier rules through the one entry point the CLI and the reference rules use.</summary>
public sealed class IdentifierRulesTests
{
    [Theory]
    [InlineData(IdentifierType.Isin, "US0378331005")]   // Apple Inc.
    [InlineData(IdentifierType.Isin, "GB0002634946")]   // BAE Systems
    [InlineData(IdentifierType.Isin, "US02079K3059")]   // Alphabet (letter in the body)
    [InlineData(IdentifierType.Isin, "XS2021832634")]   // international (XS) prefix
    [InlineData(IdentifierType.Cusip, "037833100")]
    [InlineData(IdentifierType.Cusip, "02079K305")]
    [InlineData(IdentifierType.Sedol, "0263494")]
    [InlineData(IdentifierType.Sedol, "BH4HKS3")]
    [InlineData(IdentifierType.Lei, "5493001KJTIIGC8Y1R12")]
    [InlineData(IdentifierType.Bic, "DEUTDEFF")]
    [InlineData(IdentifierType.Bic, "DEUTDEFF500")]
    [InlineData(IdentifierType.Mic, "XNYS")]
    [InlineData(IdentifierType.Mic, "XLON")]
    public void Published_identifiers_are_valid(IdentifierType type, string value)
    {
        ValidationResult result = IdentifierValidation.Validate(type, value);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(string.Empty, result.Reason);
    }

    [Theory]
    [InlineData(IdentifierType.Isin, "US0378331006", "ISO 6166")]
    [InlineData(IdentifierType.Isin, "XX0378331005", "ISO 6166")]
    [InlineData(IdentifierType.Isin, "US037833100", "ISO 6166")]
    [InlineData(IdentifierType.Cusip, "037833101", "CUSIP")]
    [InlineData(IdentifierType.Sedol, "0263495", "SEDOL")]
    [InlineData(IdentifierType.Sedol, "A263494", "SEDOL")]
    [InlineData(IdentifierType.Lei, "5493001KJTIIGC8Y1R13", "ISO 17442")]
    [InlineData(IdentifierType.Lei, "5493001KJTIIGC8Y1R1", "ISO 17442")]
    [InlineData(IdentifierType.Bic, "DEUTZZFF", "ISO 9362")]
    [InlineData(IdentifierType.Bic, "DEUTDEF", "ISO 9362")]
    [InlineData(IdentifierType.Mic, "ZZZQ", "ISO 10383")]
    [InlineData(IdentifierType.Mic, "xnys", "ISO 10383")]
    public void Invalid_identifiers_name_the_standard_that_refused_them(IdentifierType type, string value, string standard)
    {
        ValidationResult result = IdentifierValidation.Validate(type, value);
        Assert.False(result.IsValid);
        Assert.StartsWith(standard, result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isin", IdentifierType.Isin)]
    [InlineData("CUSIP", IdentifierType.Cusip)]
    [InlineData("Sedol", IdentifierType.Sedol)]
    [InlineData("lei", IdentifierType.Lei)]
    [InlineData("bic", IdentifierType.Bic)]
    [InlineData("mic", IdentifierType.Mic)]
    public void Cli_words_name_the_types(string word, IdentifierType type)
    {
        Assert.True(IdentifierValidation.TryParseType(word, out IdentifierType parsed));
        Assert.Equal(type, parsed);
        Assert.False(IdentifierValidation.TryParseType("figi", out _));
    }

    [Fact]
    public void A_computed_check_digit_validates_and_every_other_digit_is_refused()
    {
        // Old SEDOLs are all digits; those issued since 2004 start with a consonant.
        Gen<string> sedols = Gen.OneOf(Gen.String[Gen.Char["0123456789"], 6, 6],
            Gen.Select(Gen.Char["BCDFGHJKLMNPQRSTVWXYZ"], Gen.String[Gen.Char["0123456789BCDFGHJKLMNPQRSTVWXYZ"], 5, 5], (first, rest) => first + rest));
        sedols.Sample(body =>
        {
            Assert.True(SedolRules.TryComputeCheckDigit(body, out char sedol));
            Assert.True(SedolRules.Validate(body + sedol).IsValid);
            Assert.All("0123456789".Where(d => d != sedol), d => Assert.False(SedolRules.Validate(body + d).IsValid));
        });
        Gen.String[Gen.Char["0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"], 8, 8].Sample(body =>
        {
            Assert.True(CusipRules.TryComputeCheckDigit(body, out char cusip));
            Assert.True(CusipRules.Validate(body + cusip).IsValid);
            Assert.All("0123456789".Where(d => d != cusip), d => Assert.False(CusipRules.Validate(body + d).IsValid));
            string isinBody = "US" + body + cusip;
            Assert.True(IsinRules.TryComputeCheckDigit(isinBody, out char isin));
            Assert.True(IsinRules.Validate(isinBody + isin).IsValid);
            Assert.All("0123456789".Where(d => d != isin), d => Assert.False(IsinRules.Validate(isinBody + d).IsValid));
        });
        Gen.String[Gen.Char["0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"], 18, 18].Sample(body =>
        {
            Assert.True(LeiRules.TryComputeCheckDigits(body, out string lei));
            Assert.True(LeiRules.Validate(body + lei).IsValid);
            // ISO 7064 MOD 97-10 detects every single substitution of one digit by another.
            for (int i = 0; i < 18; i++)
            {
                if (!char.IsAsciiDigit(body[i]))
                {
                    continue;
                }
                char other = body[i] == '7' ? '8' : '7';
                Assert.False(LeiRules.Validate(body[..i] + other + body[(i + 1)..] + lei).IsValid);
            }
        });
    }

    [Fact]
    public void The_shipped_code_lists_hold_what_the_back_office_relies_on()
    {
        Assert.True(CurrencyRegistry.TryGetMinorUnits("USD", out int usd) && usd == 2);
        Assert.True(CurrencyRegistry.TryGetMinorUnits("JPY", out int jpy) && jpy == 0);
        Assert.True(CurrencyRegistry.TryGetMinorUnits("KWD", out int kwd) && kwd == 3);
        Assert.Equal(CurrencyRegistry.All.Count, CurrencyRegistry.All.Select(c => c.Code).Distinct().Count());
        Assert.True(CountryRegistry.Count >= 249);
        Assert.All(["XNYS", "XNAS", "XLON", "XPAR", "XAMS", "XETR", "XTKS"], mic => Assert.True(MicRegistry.TryGet(mic, out _), mic));
        Assert.True(MicRegistry.Count > 2000);
    }
}

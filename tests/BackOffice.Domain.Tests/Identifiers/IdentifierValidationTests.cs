using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Identifiers;

namespace BackOffice.Domain.Tests.Identifiers;

/// <summary>
/// Published identifiers pass; each way of being wrong is refused with a reason that names the
/// standard, the rule and what was found.
/// </summary>
public sealed class IdentifierValidationTests
{
    [Theory]
    [InlineData(IdentifierType.Isin, "US0378331005")]   // Apple Inc. common stock (CUSIP 037833100)
    [InlineData(IdentifierType.Isin, "GB0002634946")]   // BAE Systems plc (SEDOL 0263494)
    [InlineData(IdentifierType.Isin, "DE0007164600")]   // SAP SE
    [InlineData(IdentifierType.Isin, "FR0000120271")]   // TotalEnergies SE
    [InlineData(IdentifierType.Isin, "NL0010273215")]   // ASML Holding NV
    [InlineData(IdentifierType.Isin, "JP3633400001")]   // Toyota Motor Corp
    [InlineData(IdentifierType.Isin, "AU0000XVGZA3")]   // letters in the national part
    [InlineData(IdentifierType.Isin, "US02079K3059")]   // Alphabet Inc. class A (CUSIP 02079K305)
    [InlineData(IdentifierType.Isin, "GB00BH4HKS39")]   // Vodafone Group plc (SEDOL BH4HKS3)
    [InlineData(IdentifierType.Isin, "XS2021832634")]   // international (XS) prefix
    [InlineData(IdentifierType.Isin, "AN8068571086")]   // SLB (Schlumberger): withdrawn country code AN, still in use
    [InlineData(IdentifierType.Isin, "EU0009652783")]   // EU prefix
    [InlineData(IdentifierType.Isin, "XC0001458477")]   // substitute agency prefix XC
    [InlineData(IdentifierType.Isin, "XD0209061296")]   // substitute agency prefix XD
    [InlineData(IdentifierType.Cusip, "037833100")]     // Apple Inc.
    [InlineData(IdentifierType.Cusip, "02079K305")]     // Alphabet Inc. class A
    [InlineData(IdentifierType.Cusip, "38259P508")]     // Google Inc. (before 2015)
    [InlineData(IdentifierType.Sedol, "0263494")]       // BAE Systems plc
    [InlineData(IdentifierType.Sedol, "2046251")]       // Apple Inc.
    [InlineData(IdentifierType.Sedol, "B15KXQ8")]       // post-2004 SEDOL, starts with a consonant
    [InlineData(IdentifierType.Sedol, "BH4HKS3")]       // Vodafone Group plc
    [InlineData(IdentifierType.Lei, "HWUPKR0MPOU8FGXBT394")]   // Apple Inc.
    [InlineData(IdentifierType.Lei, "5493006MHB84DD0ZWV18")]   // Alphabet Inc.
    [InlineData(IdentifierType.Lei, "7LTWFZYICNSX8D621K86")]   // Deutsche Bank AG
    [InlineData(IdentifierType.Lei, "5493001KJTIIGC8Y1R12")]   // the usual documentation example
    [InlineData(IdentifierType.Bic, "DEUTDEFF")]        // Deutsche Bank, Frankfurt, head office
    [InlineData(IdentifierType.Bic, "DEUTDEFF500")]     // a Deutsche Bank branch
    [InlineData(IdentifierType.Bic, "AGRIFRPP882")]     // Crédit Agricole branch
    [InlineData(IdentifierType.Bic, "E097AEXX")]        // digits in the party prefix (ISO 9362:2014 onwards)
    [InlineData(IdentifierType.Mic, "XNYS")]
    [InlineData(IdentifierType.Mic, "XNAS")]
    [InlineData(IdentifierType.Mic, "XLON")]
    [InlineData(IdentifierType.Mic, "XPAR")]
    [InlineData(IdentifierType.Mic, "XAMS")]
    [InlineData(IdentifierType.Mic, "XETR")]
    [InlineData(IdentifierType.Mic, "XTKS")]            // a segment MIC of Japan Exchange Group (XJPX)
    public void Published_identifiers_are_valid(IdentifierType type, string value)
    {
        ValidationResult result = IdentifierValidation.Validate(type, value);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(string.Empty, result.Reason);
    }

    [Theory]
    [InlineData("", "ISO 6166: value is empty")]
    [InlineData("US037833100", "ISO 6166: length is 11, expected 12")]
    [InlineData("us0378331005", "ISO 6166: character 1 'u' is not an upper-case letter or digit")]
    [InlineData("US03783310 5", "ISO 6166: character 11 ' ' is not an upper-case letter or digit")]
    [InlineData("120378331005", "ISO 6166: characters 1-2 '12' must be letters (a country code)")]
    [InlineData("XX0378331005", "ISO 6166: country code 'XX' is not an ISO 3166-1 alpha-2 code nor a reserved ISIN prefix")]
    [InlineData("XF0378331005", "ISO 6166: country code 'XF' is not an ISO 3166-1 alpha-2 code nor a reserved ISIN prefix")]
    [InlineData("UK0378331005", "ISO 6166: country code 'UK' is not an ISO 3166-1 alpha-2 code nor a reserved ISIN prefix")]
    [InlineData("US037833100A", "ISO 6166: check digit 'A' is not a digit")]
    [InlineData("US0378331006", "ISO 6166: check digit is 6, expected 5")]
    [InlineData("GB0002634943", "ISO 6166: check digit is 3, expected 6")]
    public void Isin_rejections_name_the_rule(string value, string reason) =>
        AssertInvalid(IdentifierType.Isin, value, reason);

    [Theory]
    [InlineData("", "CUSIP: value is empty")]
    [InlineData("03783310", "CUSIP: length is 8, expected 9")]
    [InlineData("0378-3100", "CUSIP: character 5 '-' is not an upper-case letter, digit, '*', '@' or '#'")]
    [InlineData("03783310X", "CUSIP: check digit 'X' is not a digit")]
    [InlineData("037833101", "CUSIP: check digit is 1, expected 0")]
    public void Cusip_rejections_name_the_rule(string value, string reason) =>
        AssertInvalid(IdentifierType.Cusip, value, reason);

    [Theory]
    [InlineData("", "SEDOL: value is empty")]
    [InlineData("026349", "SEDOL: length is 6, expected 7")]
    [InlineData("A263494", "SEDOL: character 1 'A' is not a digit or an upper-case consonant (SEDOL letters exclude A, E, I, O, U)")]
    [InlineData("B15KEQ8", "SEDOL: character 5 'E' is not a digit or an upper-case consonant (SEDOL letters exclude A, E, I, O, U)")]
    [InlineData("0B63494", "SEDOL: character 2 'B' is a letter, but a SEDOL that starts with a digit has digits only")]
    [InlineData("026349X", "SEDOL: check digit 'X' is not a digit")]
    [InlineData("0263495", "SEDOL: check digit is 5, expected 4")]
    public void Sedol_rejections_name_the_rule(string value, string reason) =>
        AssertInvalid(IdentifierType.Sedol, value, reason);

    [Theory]
    [InlineData("", "ISO 17442: value is empty")]
    [InlineData("5493001KJTIIGC8Y1R1", "ISO 17442: length is 19, expected 20")]
    [InlineData("5493001kjtiigc8y1r12", "ISO 17442: character 8 'k' is not an upper-case letter or digit")]
    [InlineData("5493001KJTIIGC8Y1RAB", "ISO 17442: character 19 'A' is not a digit (characters 19-20 are check digits)")]
    [InlineData("5493001KJTIIGC8Y1R13", "ISO 17442: check digits are 13, expected 12 (ISO 7064 MOD 97-10)")]
    [InlineData("HWUPKR0MPOU8FGXBT395", "ISO 17442: check digits are 95, expected 94 (ISO 7064 MOD 97-10)")]
    public void Lei_rejections_name_the_rule(string value, string reason) =>
        AssertInvalid(IdentifierType.Lei, value, reason);

    [Theory]
    [InlineData("", "ISO 9362: value is empty")]
    [InlineData("DEUTDEF", "ISO 9362: length is 7, expected 8 or 11")]
    [InlineData("DEUTDEFF50", "ISO 9362: length is 10, expected 8 or 11")]
    [InlineData("deutdeff", "ISO 9362: character 1 'd' is not an upper-case letter or digit")]
    [InlineData("DEUT12FF", "ISO 9362: characters 5-6 '12' must be letters (a country code)")]
    [InlineData("DEUTZZFF", "ISO 9362: characters 5-6 'ZZ' are not an ISO 3166-1 country code")]
    public void Bic_rejections_name_the_rule(string value, string reason) =>
        AssertInvalid(IdentifierType.Bic, value, reason);

    [Theory]
    [InlineData("", "ISO 10383: value is empty")]
    [InlineData("XNY", "ISO 10383: length is 3, expected 4")]
    [InlineData("xnys", "ISO 10383: character 1 'x' is not an upper-case letter or digit")]
    [InlineData("ZZZZ", "ISO 10383: 'ZZZZ' is not in the MIC registry (SWIFT publication of 2026-09-23)")]
    [InlineData("AFDL", "ISO 10383: MIC 'AFDL' (ABIDE FINANCIAL DRSP LIMITED APA) expired on 2020-12-14")]
    public void Mic_rejections_name_the_rule(string value, string reason) =>
        AssertInvalid(IdentifierType.Mic, value, reason);

    [Fact]
    public void Xk_is_accepted_in_a_bic_and_as_an_isin_prefix_although_iso_3166_does_not_assign_it()
    {
        Assert.True(BicRules.Validate("RBKOXKPR").IsValid);
        Assert.True(IsinRules.TryFromNationalIdentifier("XK", "123456789", out string isin));
        Assert.True(IsinRules.Validate(isin).IsValid);
    }

    [Theory]
    [InlineData("XS")]
    [InlineData("EU")]
    [InlineData("EZ")]
    [InlineData("XA")]
    [InlineData("XB")]
    [InlineData("XC")]
    [InlineData("XD")]
    [InlineData("QS")]
    [InlineData("QT")]
    [InlineData("ZZ")]
    [InlineData("XK")]
    [InlineData("AN")]
    [InlineData("CS")]
    public void Reserved_isin_prefixes_are_accepted(string prefix)
    {
        Assert.True(IsinRules.TryFromNationalIdentifier(prefix, "ABC123456", out string isin));

        ValidationResult result = IsinRules.Validate(isin);

        Assert.True(result.IsValid, result.Reason);
    }

    [Theory]
    [InlineData("US", "037833100", "US0378331005")]
    [InlineData("GB", "0263494", "GB0002634946")]
    [InlineData("GB", "BH4HKS3", "GB00BH4HKS39")]
    [InlineData("US", "02079K305", "US02079K3059")]
    public void An_isin_is_built_from_a_national_identifier(string prefix, string national, string expected)
    {
        Assert.True(IsinRules.TryFromNationalIdentifier(prefix, national, out string isin));
        Assert.Equal(expected, isin);
    }

    [Theory]
    [InlineData("U", "037833100")]
    [InlineData("US", "")]
    [InlineData("US", "0378331000")]
    [InlineData("US", "03783310-")]
    public void An_isin_is_not_built_from_a_malformed_national_identifier(string prefix, string national)
    {
        Assert.False(IsinRules.TryFromNationalIdentifier(prefix, national, out string isin));
        Assert.Equal(string.Empty, isin);
    }

    [Theory]
    [InlineData("isin", IdentifierType.Isin)]
    [InlineData("ISIN", IdentifierType.Isin)]
    [InlineData("Cusip", IdentifierType.Cusip)]
    [InlineData("sedol", IdentifierType.Sedol)]
    [InlineData("LEI", IdentifierType.Lei)]
    [InlineData("bIc", IdentifierType.Bic)]
    [InlineData("mic", IdentifierType.Mic)]
    public void Cli_words_are_read_ignoring_case(string word, IdentifierType expected)
    {
        Assert.True(IdentifierValidation.TryParseType(word, out IdentifierType type));
        Assert.Equal(expected, type);
        Assert.Equal(word.ToLowerInvariant(), IdentifierValidation.Word(type));
    }

    [Theory]
    [InlineData("")]
    [InlineData("figi")]
    [InlineData(" isin")]
    [InlineData("isin ")]
    [InlineData("1")]
    public void Other_words_are_not_types(string word)
    {
        Assert.False(IdentifierValidation.TryParseType(word, out IdentifierType type));
        Assert.Equal(default, type);
    }

    [Fact]
    public void Every_type_has_a_word_that_reads_back()
    {
        foreach (IdentifierType type in Enum.GetValues<IdentifierType>())
        {
            Assert.True(IdentifierValidation.TryParseType(IdentifierValidation.Word(type), out IdentifierType parsed));
            Assert.Equal(type, parsed);
        }
        Assert.Equal(Enum.GetValues<IdentifierType>().Length, IdentifierValidation.TypesByWord.Count);
    }

    [Fact]
    public void A_value_outside_the_enum_is_refused_not_thrown()
    {
        ValidationResult result = IdentifierValidation.Validate((IdentifierType)99, "US0378331005");

        Assert.False(result.IsValid);
        Assert.Equal("unknown identifier type 99", result.Reason);
    }

    private static void AssertInvalid(IdentifierType type, string value, string reason)
    {
        ValidationResult result = IdentifierValidation.Validate(type, value);

        Assert.False(result.IsValid);
        Assert.Equal(reason, result.Reason);
    }
}

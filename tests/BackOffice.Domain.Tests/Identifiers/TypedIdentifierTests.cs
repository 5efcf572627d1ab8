using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Domain.ReferenceData.Standards;

namespace BackOffice.Domain.Tests.Identifiers;

/// <summary>The typed identifiers exist only for valid values and expose their parts.</summary>
public sealed class TypedIdentifierTests
{
    [Fact]
    public void An_isin_is_made_from_a_valid_value_and_splits_into_its_parts()
    {
        Assert.True(Isin.TryCreate("US0378331005", out Isin isin, out string reason), reason);

        Assert.Equal(string.Empty, reason);
        Assert.Equal("US0378331005", isin.Value);
        Assert.Equal("US0378331005", isin.ToString());
        Assert.Equal("US", isin.Prefix);
        Assert.Equal("037833100", isin.NationalIdentifier);
        Assert.Equal(Isin.From("US0378331005"), isin);
    }

    [Fact]
    public void An_invalid_value_makes_no_isin_and_says_why()
    {
        Assert.False(Isin.TryCreate("US0378331006", out Isin isin, out string reason));

        Assert.Equal("ISO 6166: check digit is 6, expected 5", reason);
        Assert.Equal(default, isin);
        Assert.Equal(string.Empty, isin.Value);
        Assert.Equal(string.Empty, isin.Prefix);
        Assert.Throws<InvariantViolationException>(() => Isin.From("US0378331006"));
    }

    [Fact]
    public void A_cusip_and_a_sedol_are_made_from_valid_values_only()
    {
        Assert.True(Cusip.TryCreate("037833100", out Cusip cusip, out _));
        Assert.Equal("037833", cusip.Issuer);
        Assert.False(Cusip.TryCreate("037833101", out _, out string cusipReason));
        Assert.Equal("CUSIP: check digit is 1, expected 0", cusipReason);

        Assert.True(Sedol.TryCreate("0263494", out Sedol sedol, out _));
        Assert.Equal("0263494", sedol.ToString());
        Assert.False(Sedol.TryCreate("0263495", out _, out string sedolReason));
        Assert.Equal("SEDOL: check digit is 5, expected 4", sedolReason);
    }

    [Fact]
    public void An_lei_is_made_from_a_valid_value_only()
    {
        Assert.True(Lei.TryCreate("HWUPKR0MPOU8FGXBT394", out Lei lei, out _));
        Assert.Equal("HWUP", lei.IssuerPrefix);
        Assert.Equal(Lei.From("HWUPKR0MPOU8FGXBT394"), lei);

        Assert.False(Lei.TryCreate("HWUPKR0MPOU8FGXBT39", out Lei none, out string reason));
        Assert.Equal("ISO 17442: length is 19, expected 20", reason);
        Assert.Equal(string.Empty, none.IssuerPrefix);
    }

    [Theory]
    [InlineData("DEUTDEFF", "DEUT", "DE", "FF", "XXX", "DEUTDEFF", "DEUTDEFFXXX")]
    [InlineData("DEUTDEFF500", "DEUT", "DE", "FF", "500", "DEUTDEFF", "DEUTDEFF500")]
    [InlineData("DEUTDEFFXXX", "DEUT", "DE", "FF", "XXX", "DEUTDEFF", "DEUTDEFFXXX")]
    public void A_bic_splits_into_its_parts(string value, string party, string country, string suffix, string branch, string bic8, string bic11)
    {
        Assert.True(Bic.TryCreate(value, out Bic bic, out string reason), reason);

        Assert.Equal(party, bic.PartyPrefix);
        Assert.Equal(country, bic.CountryCode);
        Assert.Equal(suffix, bic.PartySuffix);
        Assert.Equal(branch, bic.BranchCode);
        Assert.Equal(bic8, bic.Bic8);
        Assert.Equal(bic11, bic.Bic11);
    }

    [Fact]
    public void A_bic8_and_its_head_office_bic11_are_different_values_with_the_same_bic11()
    {
        Bic short8 = Bic.From("DEUTDEFF");
        Bic long11 = Bic.From("DEUTDEFFXXX");

        Assert.NotEqual(short8, long11);
        Assert.Equal(short8.Bic11, long11.Bic11);
        Assert.False(Bic.TryCreate("DEUTZZFF", out _, out string reason));
        Assert.Equal("ISO 9362: characters 5-6 'ZZ' are not an ISO 3166-1 country code", reason);
    }

    [Fact]
    public void A_mic_is_made_only_for_a_code_in_use_and_leads_to_its_registry_entry()
    {
        Assert.True(Mic.TryCreate("XTKS", out Mic mic, out _));
        Assert.True(mic.TryGetEntry(out MicEntry entry));
        Assert.Equal("XJPX", entry.OperatingMic);
        Assert.Equal(MicKind.Segment, entry.Kind);
        Assert.Equal("JP", entry.CountryCode);

        Assert.False(Mic.TryCreate("AFDL", out Mic expired, out string reason));
        Assert.StartsWith("ISO 10383: MIC 'AFDL'", reason, StringComparison.Ordinal);
        Assert.False(expired.TryGetEntry(out _));
    }
}

using BackOffice.Domain.Calendar;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.ReferenceData.Standards;
using NodaTime;

namespace BackOffice.Domain.Tests.Identifiers;

/// <summary>
/// The embedded ISO code lists load, have the size of the publications they were taken from, hold
/// no duplicates, and contain what the rest of the back office relies on.
/// </summary>
public sealed class StandardsDataTests
{
    [Fact]
    public void The_country_list_has_every_iso_3166_alpha_2_code_once()
    {
        Assert.Equal(249, CountryRegistry.Count);
        Assert.Equal(CountryRegistry.Count, CountryRegistry.Codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(CountryRegistry.Codes, code => Assert.Matches("^[A-Z]{2}$", code));
        Assert.True(CountryRegistry.TryGetName("FR", out string france));
        Assert.Equal("France", france);
        Assert.All(["US", "GB", "DE", "JP", "NL", "CH", "LU", "IE", "HK", "SG"], code => Assert.True(CountryRegistry.IsAssigned(code), code));
        Assert.All(["XK", "XS", "EU", "ZZ", "UK", "us"], code => Assert.False(CountryRegistry.IsAssigned(code), code));
    }

    [Fact]
    public void The_currency_list_has_the_active_iso_4217_codes_once_with_their_minor_units()
    {
        Assert.Equal(166, CurrencyRegistry.Count);
        Assert.Equal(CurrencyRegistry.Count, CurrencyRegistry.All.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(CurrencyRegistry.Count, CurrencyRegistry.All.Select(c => c.NumericCode).Distinct().Count());
        Assert.All(CurrencyRegistry.All, c =>
        {
            Assert.Matches("^[A-Z]{3}$", c.Code);
            Assert.InRange(c.NumericCode, 1, 999);
            Assert.InRange(c.MinorUnits, 0, CurrencyRegistry.MinorUnitsMax);
            Assert.NotEmpty(c.Name);
        });
        Assert.Equal(2, CurrencyRegistry.MinorUnitsByCode["USD"]);
        Assert.Equal(2, CurrencyRegistry.MinorUnitsByCode["EUR"]);
        Assert.Equal(0, CurrencyRegistry.MinorUnitsByCode["JPY"]);
        Assert.Equal(3, CurrencyRegistry.MinorUnitsByCode["KWD"]);
        Assert.Equal(4, CurrencyRegistry.MinorUnitsByCode["CLF"]);
        Assert.True(CurrencyRegistry.TryGet("GBP", out Currency pound));
        Assert.Equal(826, pound.NumericCode);
    }

    [Theory]
    [InlineData("XAU")]
    [InlineData("XDR")]
    [InlineData("XXX")]
    [InlineData("XTS")]
    [InlineData("usd")]
    [InlineData("ZZZ")]
    public void Codes_without_minor_units_and_unknown_codes_are_not_currencies(string code)
    {
        Assert.False(CurrencyRegistry.TryGetMinorUnits(code, out int minorUnits));
        Assert.Equal(0, minorUnits);
    }

    [Fact]
    public void The_mic_registry_has_every_published_entry_once()
    {
        Assert.Equal(2883, MicRegistry.Count);
        Assert.Equal(MicRegistry.Count, MicRegistry.All.Select(e => e.Mic).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(1594, MicRegistry.All.Count(e => e.Kind == MicKind.Operating));
        Assert.Equal(1289, MicRegistry.All.Count(e => e.Kind == MicKind.Segment));
        Assert.Equal(2296, MicRegistry.All.Count(e => e.Status == MicStatus.Active));
        Assert.Equal(21, MicRegistry.All.Count(e => e.Status == MicStatus.Updated));
        Assert.Equal(566, MicRegistry.All.Count(e => e.Status == MicStatus.Expired));
    }

    [Fact]
    public void Every_mic_entry_is_consistent()
    {
        LocalDate snapshot = MicRegistry.SnapshotDate;
        Assert.All(MicRegistry.All, e =>
        {
            Assert.Matches("^[A-Z0-9]{4}$", e.Mic);
            Assert.NotEmpty(e.MarketName);
            Assert.True(MicRegistry.TryGet(e.OperatingMic, out MicEntry operating), e.Mic);
            // Some expired segments name a parent that is itself a segment (EXPA → MTAA): the registry keeps history as it was.
            Assert.True(operating.Kind == MicKind.Operating || !e.IsInUse, e.Mic);
            Assert.Equal(e.Kind == MicKind.Operating, e.Mic == e.OperatingMic);
            Assert.True(CountryRegistry.IsAssigned(e.CountryCode) || e.CountryCode == "ZZ", e.Mic + " " + e.CountryCode);
            Assert.Equal(e.Status == MicStatus.Expired, e.ExpiryDate.HasValue);
            Assert.True(e.ExpiryDate is null || e.ExpiryDate <= snapshot.PlusYears(1), e.Mic);
        });
    }

    [Fact]
    public void Every_market_with_a_calendar_has_an_active_mic()
    {
        // The other calendars (TARGET2, USFED, DTC) are payment and settlement systems, not venues.
        string[] venues = [.. MarketCalendars.Codes.Where(code => code.Length == 4)];
        Assert.Equal(["XNYS", "XNAS", "XLON", "XPAR", "XAMS", "XETR", "XTKS"], venues);
        Assert.All(venues, code =>
        {
            Assert.True(MicRegistry.TryGet(code, out MicEntry entry), code);
            Assert.True(entry.IsInUse, code);
        });
    }

    [Theory]
    [InlineData("XNYS", "XNYS", "US", MicKind.Operating)]
    [InlineData("XNAS", "XNAS", "US", MicKind.Operating)]
    [InlineData("XLON", "XLON", "GB", MicKind.Operating)]
    [InlineData("XPAR", "XPAR", "FR", MicKind.Operating)]
    [InlineData("XAMS", "XAMS", "NL", MicKind.Operating)]
    [InlineData("XETR", "XETR", "DE", MicKind.Operating)]
    [InlineData("XTKS", "XJPX", "JP", MicKind.Segment)]
    [InlineData("XMAD", "BMEX", "ES", MicKind.Segment)]
    [InlineData("BATE", "BCXE", "GB", MicKind.Segment)]
    [InlineData("XOFF", "XOFF", "ZZ", MicKind.Operating)]
    public void Major_venues_have_their_published_entries(string mic, string operatingMic, string country, MicKind kind)
    {
        Assert.True(MicRegistry.TryGet(mic, out MicEntry entry));

        Assert.Equal(operatingMic, entry.OperatingMic);
        Assert.Equal(country, entry.CountryCode);
        Assert.Equal(kind, entry.Kind);
        Assert.Equal(MicStatus.Active, entry.Status);
    }

    [Fact]
    public void Quoted_market_names_keep_their_commas()
    {
        Assert.True(MicRegistry.TryGet("XNYS", out MicEntry nyse));
        Assert.Equal("NEW YORK STOCK EXCHANGE, INC.", nyse.MarketName);
    }
}

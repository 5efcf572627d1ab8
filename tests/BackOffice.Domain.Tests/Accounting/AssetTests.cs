using BackOffice.Domain.Primitives;
using CsCheck;

namespace BackOffice.Domain.Tests.Accounting;

public sealed class AssetTests
{
    [Theory]
    [InlineData(2, "12.34", 1234L)]
    [InlineData(2, "12.3", 1230L)]
    [InlineData(0, "100", 100L)]
    [InlineData(3, "-0.001", -1L)]
    [InlineData(8, "0.00000001", 1L)]
    public void Amounts_convert_to_whole_units(int scale, string amount, long units)
    {
        var asset = new Asset(new AssetId(1), "X", AssetKind.Currency, scale);
        Assert.True(asset.TryToUnits(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), out long result));
        Assert.Equal(units, result);
    }

    [Theory]
    [InlineData(2, "0.001")]
    [InlineData(0, "1.5")]
    [InlineData(2, "92233720368547758.08")]
    public void Excess_precision_or_size_is_refused_never_rounded(int scale, string amount)
    {
        var asset = new Asset(new AssetId(1), "X", AssetKind.Currency, scale);
        Assert.False(asset.TryToUnits(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), out _));
    }

    [Fact]
    public void Units_round_trip_with_the_asset_scale_kept_in_the_decimal()
    {
        Gen.Select(Gen.Int[0, Asset.ScaleMax], Gen.Long).Sample((scale, units) =>
        {
            var asset = new Asset(new AssetId(1), "X", AssetKind.Instrument, scale);
            decimal amount = asset.ToAmount(units);
            Assert.Equal(scale, amount.Scale);
            Assert.True(asset.TryToUnits(amount, out long back));
            Assert.Equal(units, back);
        });
    }
}

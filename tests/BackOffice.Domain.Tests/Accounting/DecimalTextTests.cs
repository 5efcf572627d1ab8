using System.Globalization;
using System.Text;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Tests.Accounting;

/// <summary>The stored-amount reader answers exactly as the general parser, scale included.</summary>
public sealed class DecimalTextTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("1.50")]
    [InlineData("-1.50")]
    [InlineData("0.000000000000000001")]
    [InlineData("-0")]
    [InlineData("-0.00")]
    [InlineData("123456789012345678")]
    [InlineData("1234567890123456789")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1e5")]
    [InlineData(" 12")]
    [InlineData("1,000.5")]
    [InlineData("+7")]
    [InlineData("12-")]
    public void Reads_as_the_general_parser(string text) => AssertSame(text);

    [Fact]
    public void Reads_every_formatted_amount_back_with_its_scale()
    {
        var random = new Random(20261129);
        for (int n = 0; n < 20_000; n++)
        {
            // Amounts of every size and scale, as the stores write them: half of them of up to 18
            // digits (read by the quick path), the others longer (left to the general parser).
            decimal value = n % 2 == 0
                ? (random.Next(2) == 0 ? -1m : 1m) * random.NextInt64(1_000_000_000_000_000_000) / Pow10(random.Next(19))
                : new decimal(random.Next(), random.Next(), n % 3 == 0 ? random.Next() : 0, random.Next(2) == 0, (byte)random.Next(29));
            string text = value.ToString(CultureInfo.InvariantCulture);
            AssertSame(text);
            Assert.True(DecimalText.TryParse(Encoding.UTF8.GetBytes(text), out decimal read));
            Assert.Equal(text, read.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static decimal Pow10(int exponent)
    {
        decimal power = 1m;
        for (int i = 0; i < exponent; i++)
        {
            power *= 10m;
        }
        return power;
    }

    private static void AssertSame(string text)
    {
        bool expected = decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal general);
        bool actual = DecimalText.TryParse(Encoding.UTF8.GetBytes(text), out decimal fast);
        Assert.Equal(expected, actual);
        if (expected)
        {
            Assert.Equal(general, fast);
            // Same scale, so the same text when written again.
            Assert.Equal(general.ToString(CultureInfo.InvariantCulture), fast.ToString(CultureInfo.InvariantCulture));
        }
    }
}

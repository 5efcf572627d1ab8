using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Domain.Tests.Calendar;

/// <summary>The quick ISO reader gives NodaTime's answer, or leaves the text to NodaTime's patterns.</summary>
public sealed class IsoTextTests
{
    [Theory]
    [InlineData("2026-11-27")]
    [InlineData("2024-02-29")]
    [InlineData("2026-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("2026-00-10")]
    [InlineData("2026-04-31")]
    [InlineData("0000-01-01")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("2026-1-01")]
    [InlineData("2026/11/27")]
    [InlineData("20261127")]
    [InlineData("2026-11-2a")]
    [InlineData("")]
    public void A_date_reads_as_the_iso_pattern(string text)
    {
        ParseResult<LocalDate> pattern = LocalDatePattern.Iso.Parse(text);
        if (IsoText.TryParseDate(text, out LocalDate quick))
        {
            Assert.True(pattern.Success);
            Assert.Equal(pattern.Value, quick);
        }
    }

    [Theory]
    [InlineData("2026-11-27T14:30:00Z")]
    [InlineData("2026-11-27T14:30:00.1Z")]
    [InlineData("2026-11-27T14:30:00.123456Z")]
    [InlineData("2026-11-27T14:30:00.123456789Z")]
    [InlineData("2026-11-27T14:30:00.1234567891Z")]
    [InlineData("2026-11-27T14:30:00,5Z")]
    [InlineData("2026-11-27T14:30:00.Z")]
    [InlineData("2026-11-27T24:00:00Z")]
    [InlineData("2026-11-27T23:60:00Z")]
    [InlineData("2026-11-27T23:59:60Z")]
    [InlineData("2026-11-27T14:30:00+01:00")]
    [InlineData("2026-11-27 14:30:00Z")]
    [InlineData("2026-02-30T14:30:00Z")]
    public void A_time_reads_as_the_extended_iso_pattern(string text)
    {
        ParseResult<Instant> pattern = InstantPattern.ExtendedIso.Parse(text);
        if (IsoText.TryParseInstant(text, out Instant quick))
        {
            Assert.True(pattern.Success);
            Assert.Equal(pattern.Value, quick);
        }
    }

    [Fact]
    public void Every_formatted_value_reads_back_quickly_and_the_same()
    {
        var random = new Random(20261129);
        for (int n = 0; n < 20_000; n++)
        {
            var instant = Instant.FromUnixTimeTicks(random.NextInt64(Instant.FromUtc(1, 1, 1, 0, 0).ToUnixTimeTicks(), Instant.FromUtc(9999, 12, 31, 23, 59).ToUnixTimeTicks()))
                .PlusNanoseconds(random.Next(100));
            string time = InstantPattern.ExtendedIso.Format(instant);
            Assert.True(IsoText.TryParseInstant(time, out Instant quick), time);
            Assert.Equal(instant, quick);
            LocalDate date = instant.InUtc().Date;
            Assert.True(IsoText.TryParseDate(LocalDatePattern.Iso.Format(date), out LocalDate day));
            Assert.Equal(date, day);
        }
    }
}

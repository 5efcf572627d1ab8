using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Documents;

/// <summary>How the documents print figures: invariant culture, grouped thousands, money to its currency's minor units.</summary>
internal static class Figures
{
    /// <summary>
    /// Money rounded to <paramref name="scale"/> decimals (half away from zero, as the books round
    /// amounts they compute) and written with all of them: 1,234.50. The books' amounts already
    /// have that scale; a figure computed here (a sum) keeps it.
    /// </summary>
    public static string Money(decimal amount, int scale) =>
        Math.Round(amount, scale, MidpointRounding.AwayFromZero).ToString("N" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A quantity or a price as the books hold it: grouped, as many decimals as it has.</summary>
    public static string Plain(decimal value) => value.ToString("#,##0.##########", CultureInfo.InvariantCulture);

    /// <summary>A price: at least two decimals, and every decimal it has (412.10, 231.455).</summary>
    public static string Price(decimal value) => value.ToString("#,##0.00########", CultureInfo.InvariantCulture);

    /// <summary>A date as yyyy-MM-dd.</summary>
    public static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>A month as "November 2026".</summary>
    public static string Month(YearMonth month) => month.OnDayOfMonth(1).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
}

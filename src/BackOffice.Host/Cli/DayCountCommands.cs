using System.CommandLine;
using System.Globalization;
using BackOffice.Domain.FixedIncome;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>daycount and bond accrued: one value or a CSV file of them.</summary>
internal static class DayCountCommands
{
    /// <summary>Decimal places printed for a year fraction (rounded half to even; the library value is exact to decimal's precision).</summary>
    public const int YearFractionDecimals = 14;

    /// <summary>Decimal places printed for accrued interest (rounded half away from zero, like an amount of money).</summary>
    public const int AccruedDecimals = 2;

    public static Command DayCount(CliContext context)
    {
        var convention = new Option<string?>("--convention") { Description = "one of " + string.Join(", ", DayCounts.AllNames) };
        var start = new Option<string?>("--start") { Description = "start date, yyyy-MM-dd" };
        var end = new Option<string?>("--end") { Description = "end date, yyyy-MM-dd" };
        var refStart = new Option<string?>("--ref-start") { Description = "ACT/ACT-ICMA: start of the reference (coupon) period" };
        var refEnd = new Option<string?>("--ref-end") { Description = "ACT/ACT-ICMA: end of the reference period" };
        var frequency = new Option<string?>("--frequency") { Description = "ACT/ACT-ICMA: coupons per year" };
        var termination = new Option<string?>("--termination-date") { Description = "30E/360-ISDA: the termination (maturity) date" };
        var file = new Option<FileInfo?>("--file") { Description = "CSV with columns convention,start,end,ref_start,ref_end,frequency,termination_date; prints the rows with day_count,year_fraction appended" };
        var command = new Command("daycount", "Print the day count and year fraction between two dates under a day-count convention")
        {
            convention, start, end, refStart, refEnd, frequency, termination, file,
        };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(file) is { } input)
            {
                return await CalendarCommands.FileAsync(context, input, ["convention", "start", "end"], ["day_count", "year_fraction"],
                    row => Compute(row["convention"], row["start"], row["end"], row["ref_start"], row["ref_end"], row["frequency"], row["termination_date"]), ct);
            }
            if (parsed.GetValue(convention) is null || parsed.GetValue(start) is null || parsed.GetValue(end) is null)
            {
                await context.Error.WriteLineAsync("error: give --convention, --start and --end, or --file");
                return ExitCodes.Usage;
            }
            Result<string[]> result = Compute(parsed.GetValue(convention)!, parsed.GetValue(start)!, parsed.GetValue(end)!, parsed.GetValue(refStart) ?? "",
                parsed.GetValue(refEnd) ?? "", parsed.GetValue(frequency) ?? "", parsed.GetValue(termination) ?? "");
            return await PrintAsync(context, ["day_count", "year_fraction"], result);
        });
        return command;
    }

    public static Command Bond(CliContext context)
    {
        var face = new Option<string?>("--face") { Description = "face amount, e.g. 1000000" };
        var rate = new Option<string?>("--coupon-rate") { Description = "annual coupon as a fraction: 0.0425 is 4.25%" };
        var frequency = new Option<string?>("--frequency") { Description = "coupons per year: 1, 2, 4 or 12" };
        var dayCount = new Option<string?>("--day-count") { Description = "one of " + string.Join(", ", DayCounts.AllNames) };
        var dated = new Option<string?>("--dated-date") { Description = "interest accrues from this date" };
        var firstCoupon = new Option<string?>("--first-coupon-date") { Description = "first coupon date" };
        var maturity = new Option<string?>("--maturity-date") { Description = "maturity date" };
        var settlement = new Option<string?>("--settlement-date") { Description = "settlement date" };
        var endOfMonth = new Option<bool>("--end-of-month") { Description = "coupon dates stay on month ends" };
        var file = new Option<FileInfo?>("--file")
        {
            Description = "CSV with columns face,coupon_rate,frequency,day_count,dated_date,first_coupon_date,maturity_date,end_of_month,settlement_date; prints the rows with accrued_interest appended",
        };
        var accrued = new Command("accrued", "Print the accrued interest of a fixed-coupon bond at a settlement date (rounded to 2 decimals)")
        {
            face, rate, frequency, dayCount, dated, firstCoupon, maturity, settlement, endOfMonth, file,
        };
        accrued.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(file) is { } input)
            {
                return await CalendarCommands.FileAsync(context, input,
                    ["face", "coupon_rate", "frequency", "day_count", "dated_date", "first_coupon_date", "maturity_date", "settlement_date"], ["accrued_interest"],
                    row => Accrued(row["face"], row["coupon_rate"], row["frequency"], row["day_count"], row["dated_date"], row["first_coupon_date"],
                        row["maturity_date"], row["end_of_month"], row["settlement_date"]), ct);
            }
            string?[] values = [parsed.GetValue(face), parsed.GetValue(rate), parsed.GetValue(frequency), parsed.GetValue(dayCount), parsed.GetValue(dated),
                parsed.GetValue(firstCoupon), parsed.GetValue(maturity), parsed.GetValue(settlement)];
            if (values.Any(v => v is null))
            {
                await context.Error.WriteLineAsync("error: give --face, --coupon-rate, --frequency, --day-count, --dated-date, --first-coupon-date, --maturity-date and --settlement-date, or --file");
                return ExitCodes.Usage;
            }
            Result<string[]> result = Accrued(values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values[5]!, values[6]!,
                parsed.GetValue(endOfMonth) ? "true" : "false", values[7]!);
            return await PrintAsync(context, ["accrued_interest"], result);
        });
        return new Command("bond", "Fixed-coupon bond calculations") { accrued };
    }

    private static Result<string[]> Compute(string conventionText, string startText, string endText, string refStartText, string refEndText, string frequencyText,
        string terminationText)
    {
        if (!DayCounts.TryParse(conventionText, out DayCountConvention convention))
        {
            return new Rejection("daycount.convention", $"convention '{conventionText}' is not one of {string.Join(", ", DayCounts.AllNames)}");
        }
        if (Date(startText, "start") is { Rejection: { } badStart })
        {
            return badStart;
        }
        if (Date(endText, "end") is { Rejection: { } badEnd })
        {
            return badEnd;
        }
        Result<LocalDate?> refStart = OptionalDate(refStartText, "ref_start"), refEnd = OptionalDate(refEndText, "ref_end"), termination = OptionalDate(terminationText, "termination_date");
        foreach (Result<LocalDate?> optional in new[] { refStart, refEnd, termination })
        {
            if (optional.Rejection is { } bad)
            {
                return bad;
            }
        }
        int? frequency = null;
        if (frequencyText.Trim().Length > 0)
        {
            if (!int.TryParse(frequencyText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int f))
            {
                return new Rejection("daycount.frequency", $"frequency must be a whole number of coupons per year, not '{frequencyText}'");
            }
            frequency = f;
        }
        Result<DayCountResult> result = DayCounts.Compute(convention, Date(startText, "start").Value, Date(endText, "end").Value,
            new DayCountInputs(refStart.Value, refEnd.Value, frequency, termination.Value));
        if (result.Rejection is { } rejection)
        {
            return rejection;
        }
        return new[]
        {
            result.Value.DayCount.ToString(CultureInfo.InvariantCulture),
            Math.Round(result.Value.YearFraction, YearFractionDecimals, MidpointRounding.ToEven).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static Result<string[]> Accrued(string faceText, string rateText, string frequencyText, string dayCount, string datedText, string firstText,
        string maturityText, string endOfMonthText, string settlementText)
    {
        if (!decimal.TryParse(faceText.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal face) || face <= 0m)
        {
            return new Rejection("bond.face", $"face must be a positive decimal number, not '{faceText}'");
        }
        if (!decimal.TryParse(rateText.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal rate))
        {
            return new Rejection("bond.coupon-rate", $"coupon_rate must be a decimal fraction such as 0.0425, not '{rateText}'");
        }
        if (!int.TryParse(frequencyText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int frequency))
        {
            return new Rejection("bond.frequency", $"frequency must be 1, 2, 4 or 12, not '{frequencyText}'");
        }
        bool? endOfMonth = endOfMonthText.Trim().ToLowerInvariant() switch { "" or "false" => false, "true" => true, _ => null };
        if (endOfMonth is null)
        {
            return new Rejection("bond.end-of-month", $"end_of_month must be true or false, not '{endOfMonthText}'");
        }
        Result<LocalDate>[] dates = [Date(datedText, "dated_date"), Date(firstText, "first_coupon_date"), Date(maturityText, "maturity_date"), Date(settlementText, "settlement_date")];
        if (dates.FirstOrDefault(d => d.Rejection is not null) is { Rejection: { } badDate })
        {
            return badDate;
        }
        var terms = new BondTerms(rate, frequency, dayCount.Trim().ToUpperInvariant(), dates[0].Value, dates[1].Value, dates[2].Value, endOfMonth.Value);
        Result<decimal> accrued = AccruedInterest.Compute(face, terms, dates[3].Value);
        return accrued.Rejection is { } rejection
            ? rejection
            : new[] { Math.Round(accrued.Value, AccruedDecimals, MidpointRounding.AwayFromZero).ToString("F2", CultureInfo.InvariantCulture) };
    }

    private static Result<LocalDate> Date(string text, string field)
    {
        ParseResult<LocalDate> parsed = LocalDatePattern.Iso.Parse(text.Trim());
        return parsed.Success ? parsed.Value : new Rejection("field.date", $"{field} must be a date as yyyy-MM-dd, not '{text}'");
    }

    private static Result<LocalDate?> OptionalDate(string text, string field) =>
        text.Trim().Length == 0 ? (LocalDate?)null : Date(text, field) is { Rejection: { } bad } ? bad : Date(text, field).Value;

    private static async Task<int> PrintAsync(CliContext context, string[] header, Result<string[]> result)
    {
        if (result.Rejection is { } rejection)
        {
            await context.RejectAsync(rejection);
            return ExitCodes.Refused;
        }
        await context.Output.WriteLineAsync(CsvText.Row(header));
        await context.Output.WriteLineAsync(CsvText.Row(result.Value));
        return ExitCodes.Ok;
    }
}

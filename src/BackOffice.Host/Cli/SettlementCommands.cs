using System.CommandLine;
using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Standards;
using BackOffice.Domain.Settlement;
using BackOffice.Intake.Csv;
using BackOffice.Intake.Settlement;

namespace BackOffice.Host.Cli;

/// <summary>settlement: what the settlement desk computes (so far, CSDR cash penalties, as a calculator).</summary>
internal static class SettlementCommands
{
    public static Command Settlement(CliContext context)
    {
        var file = new Option<FileInfo?>("--file")
        {
            Description = "CSV with columns fail_type,asset_class,quantity_kind,failing_quantity,currency,penalty_date,reference_price,cash_rate_annual",
        };
        var penalties = new Command("penalties", "Recompute CSDR cash penalties per failing instruction and day; print the rows with daily_penalty appended") { file };
        penalties.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(file) is not { } input)
            {
                await context.Error.WriteLineAsync("error: give --file F");
                return ExitCodes.Usage;
            }
            if (!input.Exists)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                return ExitCodes.Refused;
            }
            Result<IReadOnlyList<PenaltyFile.Row>> rows = PenaltyFile.Parse(input.Name, await File.ReadAllTextAsync(input.FullName, ct));
            if (rows.Rejection is { } badFile)
            {
                await context.RejectAsync(badFile);
                return ExitCodes.Refused;
            }
            // Every row is computed before anything is printed: a row that cannot be is an error with its line.
            var lines = new List<string>(rows.Value.Count + 1) { string.Join(',', [.. PenaltyFile.Columns, "daily_penalty"]) };
            foreach (PenaltyFile.Row row in rows.Value)
            {
                if (!CurrencyRegistry.TryGetMinorUnits(row.Day.Currency, out int minorUnits))
                {
                    await context.RejectAsync(new Rejection("field.currency", $"'{row.Day.Currency}' is not an ISO 4217 currency", $"{row.Location}, field currency"));
                    return ExitCodes.Refused;
                }
                Result<decimal> penalty = CsdrPenalties.Daily(row.Day, minorUnits);
                if (penalty.Rejection is { } refused)
                {
                    await context.RejectAsync(refused.At(row.Location));
                    return ExitCodes.Refused;
                }
                string amount = penalty.Value.ToString("F" + minorUnits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                lines.Add(CsvText.Row([.. row.Fields, amount]));
            }
            foreach (string line in lines)
            {
                await context.Output.WriteLineAsync(line);
            }
            return ExitCodes.Ok;
        });
        return new Command("settlement", "Settlement: CSDR cash penalties") { penalties };
    }
}

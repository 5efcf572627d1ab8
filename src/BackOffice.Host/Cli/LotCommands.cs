using System.CommandLine;
using System.Globalization;
using BackOffice.Domain.Lots;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;
using BackOffice.Intake.Lots;
using NodaTime.Text;

namespace BackOffice.Host.Cli;

/// <summary>lots realize: the lot engine as a what-if calculator over a CSV history.</summary>
internal static class LotCommands
{
    /// <summary>Decimals of a printed unit cost (rounded half away from zero; totals are exact to the cent).</summary>
    public const int UnitCostDecimals = 6;

    public static Command Lots(CliContext context)
    {
        var method = new Option<string>("--method") { Description = "fifo, lifo, hifo or average", DefaultValueFactory = _ => "fifo" };
        var file = new Option<FileInfo?>("--file") { Description = "CSV with columns seq,trade_date,account,instrument,side,quantity,price,split_ratio (optional fees)" };
        var report = new Option<string>("--report") { Description = "sales, gains or open", DefaultValueFactory = _ => "sales" };
        var realize = new Command("realize", "Run a history of trades and splits through the lot rules and print realized gains or open lots as CSV")
        {
            method, file, report,
        };
        realize.SetAction(async (parsed, ct) =>
        {
            LotMethod? chosen = parsed.GetValue(method)?.ToLowerInvariant() switch
            {
                "fifo" => LotMethod.Fifo,
                "lifo" => LotMethod.Lifo,
                "hifo" => LotMethod.Hifo,
                "average" => LotMethod.Average,
                _ => null,
            };
            string kind = parsed.GetValue(report)?.ToLowerInvariant() ?? "";
            if (chosen is null || kind is not ("sales" or "gains" or "open") || parsed.GetValue(file) is not { } input)
            {
                await context.Error.WriteLineAsync("error: give --file F, --method fifo|lifo|hifo|average and --report sales|gains|open");
                return ExitCodes.Usage;
            }
            if (!input.Exists)
            {
                await context.Error.WriteLineAsync($"error: {input.Name}: file not found");
                return ExitCodes.Refused;
            }
            Result<IReadOnlyList<LotEvent>> events = LotFile.Parse(input.Name, await File.ReadAllTextAsync(input.FullName, ct));
            if (events.Rejection is { } badFile)
            {
                await context.RejectAsync(badFile);
                return ExitCodes.Refused;
            }
            Result<LotResult> result = LotCalculator.Run(events.Value, chosen.Value);
            if (result.Rejection is { } refused)
            {
                await context.RejectAsync(refused);
                return ExitCodes.Refused;
            }
            foreach (string line in Report(result.Value, kind))
            {
                await context.Output.WriteLineAsync(line);
            }
            return ExitCodes.Ok;
        });
        return new Command("lots", "Cost-basis lots") { realize };
    }

    /// <summary>The report's CSV lines, header first.</summary>
    public static IEnumerable<string> Report(LotResult result, string kind)
    {
        switch (kind)
        {
            case "sales":
                yield return "seq,account,instrument,quantity,proceeds,cost_basis,realized";
                foreach (LotSale sale in result.Sales.OrderBy(s => s.Sequence))
                {
                    yield return CsvText.Row([Number(sale.Sequence), sale.Account, sale.Instrument, Quantity(sale.Quantity), Money(sale.Proceeds), Money(sale.CostBasis),
                        Money(sale.Realized)]);
                }
                break;
            case "gains":
                yield return "account,instrument,realized";
                foreach (var (account, instrument, realized) in result.Gains)
                {
                    yield return CsvText.Row([account, instrument, Money(realized)]);
                }
                break;
            default:
                yield return "account,instrument,acquisition_date,quantity,unit_cost,total_cost";
                foreach (var (account, instrument, lot) in result.OpenLots)
                {
                    yield return CsvText.Row([account, instrument, LocalDatePattern.Iso.Format(lot.AcquisitionDate), Quantity(lot.Quantity),
                        Math.Round(lot.UnitCost, UnitCostDecimals, MidpointRounding.AwayFromZero).ToString("0.00####", CultureInfo.InvariantCulture), Money(lot.TotalCost)]);
                }
                break;
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Quantity(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}

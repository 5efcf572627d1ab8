using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using BackOffice.Intake.Csv;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Intake.Settlement;

/// <summary>
/// The file of <c>backoffice settlement penalties</c>: CSV with the columns
/// <c>fail_type,asset_class,quantity_kind,failing_quantity,currency,penalty_date,reference_price,cash_rate_annual</c>,
/// one row per instruction and penalty day. The whole file is read before anything is computed:
/// the first bad row refuses it, naming the file, line and field.
/// </summary>
public static class PenaltyFile
{
    /// <summary>Columns every file must have, in the documented order.</summary>
    public static readonly string[] Columns =
        ["fail_type", "asset_class", "quantity_kind", "failing_quantity", "currency", "penalty_date", "reference_price", "cash_rate_annual"];

    /// <summary>A row read, with its line for messages and its fields as written (echoed in the output).</summary>
    public sealed record Row(PenaltyDay Day, string Location, IReadOnlyList<string> Fields);

    /// <summary>Reads the rows of <paramref name="text"/> (from <paramref name="source"/>, for messages).</summary>
    public static Result<IReadOnlyList<Row>> Parse(string source, string text)
    {
        Result<CsvTable> table = CsvTable.Parse(source, text, Columns);
        if (table.Rejection is { } malformed)
        {
            return malformed;
        }
        var rows = new List<Row>(table.Value.Rows.Count);
        foreach (CsvRow row in table.Value.Rows)
        {
            string line = $"{source}:{row.Line}";
            Result<PenaltyDay> read = Read(row, line);
            if (read.Rejection is { } rejection)
            {
                return rejection;
            }
            rows.Add(new Row(read.Value, line, [.. Columns.Select(c => row[c].Trim())]));
        }
        return rows;
    }

    private static Result<PenaltyDay> Read(CsvRow row, string line)
    {
        Rejection Bad(string field, string rule, string message) => new(rule, message, $"{line}, field {field}");

        FailType? failType = row["fail_type"].Trim().ToUpperInvariant() switch
        {
            "LACK_OF_SECURITIES" => FailType.LackOfSecurities,
            "LACK_OF_CASH" => FailType.LackOfCash,
            "LATE_MATCHING" => FailType.LateMatching,
            _ => null,
        };
        if (failType is null)
        {
            return Bad("fail_type", "field.enumeration", $"fail_type must be LACK_OF_SECURITIES, LACK_OF_CASH or LATE_MATCHING, not '{row["fail_type"]}'");
        }
        PenaltyAssetClass? assetClass = row["asset_class"].Trim().ToUpperInvariant() switch
        {
            "SHARE_LIQUID" => PenaltyAssetClass.ShareLiquid,
            "SHARE_ILLIQUID" => PenaltyAssetClass.ShareIlliquid,
            "SME_NON_DEBT" => PenaltyAssetClass.SmeNonDebt,
            "SOVEREIGN_DEBT" => PenaltyAssetClass.SovereignDebt,
            "OTHER_DEBT" => PenaltyAssetClass.OtherDebt,
            "SME_DEBT" => PenaltyAssetClass.SmeDebt,
            "OTHER" => PenaltyAssetClass.Other,
            _ => null,
        };
        if (assetClass is null)
        {
            return Bad("asset_class", "field.enumeration",
                $"asset_class must be SHARE_LIQUID, SHARE_ILLIQUID, SME_NON_DEBT, SOVEREIGN_DEBT, OTHER_DEBT, SME_DEBT or OTHER, not '{row["asset_class"]}'");
        }
        QuantityKind? kind = row["quantity_kind"].Trim().ToUpperInvariant() switch
        {
            "UNITS" => QuantityKind.Units,
            "NOMINAL" => QuantityKind.Nominal,
            _ => null,
        };
        if (kind is null)
        {
            return Bad("quantity_kind", "field.enumeration", $"quantity_kind must be UNITS or NOMINAL, not '{row["quantity_kind"]}'");
        }
        if (!Decimal(row["failing_quantity"], out decimal quantity))
        {
            return Bad("failing_quantity", "field.decimal", $"failing_quantity must be a decimal number, not '{row["failing_quantity"]}'");
        }
        string currency = row["currency"].Trim();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            return Bad("currency", "field.currency", $"currency must be an ISO 4217 code such as EUR, not '{row["currency"]}'");
        }
        ParseResult<LocalDate> date = LocalDatePattern.Iso.Parse(row["penalty_date"].Trim());
        if (!date.Success)
        {
            return Bad("penalty_date", "field.date", $"penalty_date must be a date as yyyy-MM-dd, not '{row["penalty_date"]}'");
        }
        if (!Decimal(row["reference_price"], out decimal price))
        {
            return Bad("reference_price", "field.decimal", $"reference_price must be a decimal number, not '{row["reference_price"]}'");
        }
        decimal? cashRate = null;
        if (row["cash_rate_annual"].Trim().Length > 0)
        {
            if (!Decimal(row["cash_rate_annual"], out decimal rate))
            {
                return Bad("cash_rate_annual", "field.decimal", $"cash_rate_annual must be a decimal fraction such as 0.04, not '{row["cash_rate_annual"]}'");
            }
            cashRate = rate;
        }
        return new PenaltyDay(failType.Value, assetClass.Value, kind.Value, quantity, currency, date.Value, price, cashRate);
    }

    private static bool Decimal(string text, out decimal value) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}

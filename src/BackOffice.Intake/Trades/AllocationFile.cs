using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Csv;

namespace BackOffice.Intake.Trades;

/// <summary>
/// Allocation files (docs/reference/formats.md, "Allocations"): CSV, one row per client share, rows
/// of one instruction sharing its <c>alloc_id</c> and <c>block_trade_ids</c> (the block's executions,
/// separated by <c>;</c>).
/// </summary>
public static class AllocationFile
{
    /// <summary>Required columns.</summary>
    public static IReadOnlyList<string> Required { get; } = ["alloc_id", "block_trade_ids", "account", "quantity"];

    /// <summary>All columns.</summary>
    public static IReadOnlyList<string> All { get; } = ["source", "alloc_id", "block_trade_ids", "account", "quantity", "commission"];

    /// <summary>Reads the instructions in file order, or the first error with its line.</summary>
    public static Result<IReadOnlyList<AllocationRequest>> ReadCsv(string path, string? defaultSource)
    {
        string name = Path.GetFileName(path);
        using var csv = new CsvStream(File.OpenRead(path));
        Dictionary<string, int>? columns = null;
        var order = new List<string>();
        var groups = new Dictionary<string, (string Source, string[] Blocks, List<AllocationLine> Lines, string Location, List<string> Raw)>(StringComparer.Ordinal);
        foreach (CsvRecord record in csv.Records())
        {
            string location = $"{name}:{record.Line}";
            if (record.Error is { } error)
            {
                return new Rejection("csv.syntax", error, location);
            }
            if (columns is null)
            {
                columns = record.Fields.Select((c, i) => (c.Trim(), i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
                if (columns.Keys.FirstOrDefault(c => !All.Contains(c)) is { } unknown)
                {
                    return new Rejection("csv.header", $"'{unknown}' is not an allocation column; columns are {string.Join(",", All)}", location);
                }
                if (Required.FirstOrDefault(c => !columns.ContainsKey(c)) is { } missing)
                {
                    return new Rejection("csv.header", $"missing required column {missing}", location);
                }
                continue;
            }
            if (record.Fields is [""])
            {
                continue;
            }
            if (record.Fields.Length != columns.Count)
            {
                return new Rejection("csv.field-count", $"{record.Fields.Length} fields where the header has {columns.Count}", location);
            }
            string Field(string column) => columns.TryGetValue(column, out int i) ? record.Fields[i].Trim() : "";
            string source = Field("source") is { Length: > 0 } s ? s : defaultSource ?? "";
            if (source.Length == 0)
            {
                return new Rejection("field.required", "source is required (a column, or --source)", location);
            }
            string allocId = Field("alloc_id"), account = Field("account");
            string[] blocks = Field("block_trade_ids").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (allocId.Length == 0 || account.Length == 0 || blocks.Length == 0)
            {
                return new Rejection("field.required", "alloc_id, block_trade_ids and account are required", location);
            }
            if (!decimal.TryParse(Field("quantity"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal quantity))
            {
                return new Rejection("field.decimal", $"quantity must be a decimal number, not '{Field("quantity")}'", location);
            }
            decimal? commission = null;
            if (Field("commission") is { Length: > 0 } text)
            {
                if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
                {
                    return new Rejection("field.decimal", $"commission must be a decimal number, not '{text}'", location);
                }
                commission = value;
            }
            if (!groups.TryGetValue(allocId, out var group))
            {
                group = (source, blocks, [], location, []);
                groups[allocId] = group;
                order.Add(allocId);
            }
            else if (!group.Blocks.SequenceEqual(blocks) || group.Source != source)
            {
                return new Rejection("allocation.block-mixed", $"rows of allocation {allocId} name different blocks or sources", location);
            }
            group.Lines.Add(new AllocationLine(account, quantity, commission));
            group.Raw.Add(record.Raw);
        }
        if (columns is null)
        {
            return new Rejection("csv.header", "the file is empty: it needs a header row", name);
        }
        return order.Select(id =>
        {
            var g = groups[id];
            return new AllocationRequest(g.Source, id, g.Blocks, g.Lines, string.Join("\n", g.Raw), g.Location);
        }).ToList();
    }
}

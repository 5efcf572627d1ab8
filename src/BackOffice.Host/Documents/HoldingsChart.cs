using BackOffice.Application.Documents;

namespace BackOffice.Host.Documents;

/// <summary>
/// The statement's chart: each holding's market value in the account's base currency as a
/// horizontal bar, drawn headless by ScottPlot (SkiaSharp) into a bitmap the PDF embeds.
/// Holdings without a value are left out of the chart (the table names them).
/// </summary>
internal static class HoldingsChart
{
    /// <summary>Pixels of the bitmap; the PDF draws it at <see cref="WidthPoints"/> by <see cref="HeightPoints"/>, about 150 dots an inch.</summary>
    public const int WidthPixels = 1000, HeightPixels = 400;

    /// <summary>The chart's size on the page, in points.</summary>
    public const double WidthPoints = 480, HeightPoints = 192;

    /// <summary>The most holdings drawn; the rest are summed into one bar.</summary>
    public const int BarsMax = 12;

    /// <summary>A BMP of the chart, or null when no holding has a value. BMP, not PNG: PDFsharp compresses the pixels itself, and decoding a PNG first costs more than the rest of a statement.</summary>
    public static byte[]? Draw(IReadOnlyList<StatementHolding> holdings, string baseCurrency)
    {
        List<(string Label, decimal Value)> bars = [.. holdings.Where(h => h.MarketValueBase is not null)
            .Select(h => (h.Name.Length > 28 ? h.Name[..27] + "…" : h.Name, h.MarketValueBase!.Value))
            .OrderByDescending(b => Math.Abs(b.Item2)).ThenBy(b => b.Item1, StringComparer.Ordinal)];
        if (bars.Count == 0)
        {
            return null;
        }
        if (bars.Count > BarsMax)
        {
            bars = [.. bars.Take(BarsMax - 1), ($"{bars.Count - BarsMax + 1} others", bars.Skip(BarsMax - 1).Sum(b => b.Value))];
        }
        DocumentFonts.Ensure();
        var plot = new ScottPlot.Plot();
        var items = new List<ScottPlot.Bar>(bars.Count);
        for (int i = 0; i < bars.Count; i++)
        {
            // The chart's edge: ScottPlot draws doubles. Money stays decimal everywhere else; this
            // conversion only places pixels, and the figures printed come from the decimals.
            items.Add(new ScottPlot.Bar { Position = bars.Count - i, Value = (double)bars[i].Value, FillColor = ScottPlot.Color.FromHex("#3b6ea8"), Orientation = ScottPlot.Orientation.Horizontal });
        }
        plot.Add.Bars(items);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. bars.Select((_, i) => (double)(bars.Count - i))], [.. bars.Select(b => b.Label)]);
        plot.Axes.Left.TickLabelStyle.FontSize = 18;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 16;
        plot.Axes.Bottom.Label.Text = $"Market value ({baseCurrency})";
        plot.Axes.Bottom.Label.FontSize = 18;
        plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.05, top: 0.05);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        return BottomUp(plot.GetImageBytes(WidthPixels, HeightPixels, ScottPlot.ImageFormat.Bmp));
    }

    /// <summary>
    /// Skia writes a top-down bitmap (a negative height in the header, rows first to last);
    /// PDFsharp reads every bitmap as bottom-up and would draw the chart upside down. The rows
    /// are put in bottom-up order and the height made positive, as BMP files usually are.
    /// </summary>
    private static byte[] BottomUp(byte[] bmp)
    {
        int offset = BitConverter.ToInt32(bmp, 10), width = BitConverter.ToInt32(bmp, 18), height = BitConverter.ToInt32(bmp, 22);
        int bits = BitConverter.ToInt16(bmp, 28);
        if (height >= 0)
        {
            return bmp;
        }
        Domain.Primitives.Invariant.That(bits == 32, "the chart is a 32-bit bitmap, so its rows need no padding");
        int rows = -height, stride = width * 4;
        byte[] flipped = (byte[])bmp.Clone();
        for (int row = 0; row < rows; row++)
        {
            Buffer.BlockCopy(bmp, offset + row * stride, flipped, offset + (rows - 1 - row) * stride, stride);
        }
        BitConverter.TryWriteBytes(flipped.AsSpan(22, 4), rows);
        return flipped;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BackOffice.Host.Documents;

/// <summary>A table column: its heading, its share of the page's width, and whether it holds figures (right-aligned).</summary>
internal readonly record struct Column(string Heading, double Width, bool Figures = false);

/// <summary>
/// A document written top to bottom on US Letter pages: titles, label-value blocks, paragraphs,
/// tables (headings repeated on each new page) and images, with a footer naming the document and
/// the page. <see cref="ToBytes"/> writes it the same way every time for the same content: the
/// dates in its metadata are the document's date, and the identifiers PDFsharp would make at
/// random (the file identifier, the metadata's UUIDs, the font subsets' tags) are derived from
/// the document's name and content instead.
/// </summary>
internal sealed partial class DocumentPdf : IDisposable
{
    private const double PageWidth = 612, PageHeight = 792, Margin = 46, FooterHeight = 24;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private static readonly XFont TitleFont = new(DocumentFonts.Family, 14, XFontStyleEx.Bold, Unicode);
    private static readonly XFont HeadingFont = new(DocumentFonts.Family, 10, XFontStyleEx.Bold, Unicode);
    private static readonly XFont BodyFont = new(DocumentFonts.Family, 8, XFontStyleEx.Regular, Unicode);
    private static readonly XFont BoldFont = new(DocumentFonts.Family, 8, XFontStyleEx.Bold, Unicode);
    private static readonly XFont CellFont = new(DocumentFonts.Family, 7.2, XFontStyleEx.Regular, Unicode);
    private static readonly XFont CellBoldFont = new(DocumentFonts.Family, 7.2, XFontStyleEx.Bold, Unicode);
    private static readonly XFont SmallFont = new(DocumentFonts.Family, 6.5, XFontStyleEx.Regular, Unicode);
    private static readonly XSolidBrush Rule = new(XColor.FromArgb(200, 205, 212));
    private static readonly XSolidBrush Band = new(XColor.FromArgb(238, 241, 245));

    private readonly PdfDocument _document = new();
    private readonly string _name;
    private readonly LocalDate _date;
    private XGraphics? _graphics;
    private double _y;

    /// <param name="name">The file name, which also seeds the document's identifiers.</param>
    /// <param name="title">The document's title (metadata and footer).</param>
    /// <param name="date">The document's date: its creation and modification dates.</param>
    public DocumentPdf(string name, string title, LocalDate date)
    {
        DocumentFonts.Ensure();
        _name = name;
        _date = date;
        // The fastest compression of the page contents and fonts: written ten thousand at a time,
        // the best compression cost more time than the few bytes it saves are worth.
        _document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        _document.Info.Title = title;
        _document.Info.Author = "BackOffice";
        _document.Info.Creator = "BackOffice";
        var stamp = new DateTime(date.Year, date.Month, date.Day, 0, 0, 0, DateTimeKind.Utc);
        _document.Info.CreationDate = stamp;
        _document.Info.ModificationDate = stamp;
        NewPage();
    }

    private const double Bottom = PageHeight - Margin - FooterHeight;

    private XGraphics Graphics => _graphics!;

    private void NewPage()
    {
        _graphics?.Dispose();
        PdfPage page = _document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        _graphics = XGraphics.FromPdfPage(page);
        string footer = string.Create(CultureInfo.InvariantCulture, $"{_document.Info.Title} · page {_document.PageCount}");
        _graphics.DrawString(footer, SmallFont, XBrushes.DimGray, new XRect(Margin, PageHeight - Margin, PageWidth - 2 * Margin, 10), XStringFormats.TopLeft);
        _y = Margin;
    }

    private void Need(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    /// <summary>The document's title line.</summary>
    public void Title(string text)
    {
        Need(22);
        Graphics.DrawString(text, TitleFont, XBrushes.Black, new XRect(Margin, _y, PageWidth - 2 * Margin, 18), XStringFormats.TopLeft);
        _y += 22;
    }

    /// <summary>A section heading, kept with at least two lines of what follows.</summary>
    public void Heading(string text)
    {
        Need(40);
        _y += 6;
        Graphics.DrawString(text, HeadingFont, XBrushes.Black, new XRect(Margin, _y, PageWidth - 2 * Margin, 14), XStringFormats.TopLeft);
        _y += 14;
        Graphics.DrawRectangle(Rule, Margin, _y, PageWidth - 2 * Margin, 0.8);
        _y += 4;
    }

    /// <summary>Text wrapped to the page's width.</summary>
    public void Paragraph(string text, bool small = false)
    {
        XFont font = small ? SmallFont : BodyFont;
        double lineHeight = small ? 8.5 : 10.5;
        foreach (string line in Wrap(text, font, PageWidth - 2 * Margin))
        {
            Need(lineHeight);
            Graphics.DrawString(line, font, XBrushes.Black, new XRect(Margin, _y, PageWidth - 2 * Margin, lineHeight), XStringFormats.TopLeft);
            _y += lineHeight;
        }
        _y += 3;
    }

    /// <summary>Label and value pairs in two columns of pairs.</summary>
    public void Fields(IReadOnlyList<(string Label, string Value)> fields)
    {
        double half = (PageWidth - 2 * Margin) / 2, labelWidth = 96;
        for (int i = 0; i < fields.Count; i += 2)
        {
            Need(11);
            for (int k = 0; k < 2 && i + k < fields.Count; k++)
            {
                double x = Margin + k * half;
                Graphics.DrawString(fields[i + k].Label, BoldFont, XBrushes.Black, new XRect(x, _y, labelWidth, 10), XStringFormats.TopLeft);
                Graphics.DrawString(Fit(fields[i + k].Value, BodyFont, half - labelWidth - 6), BodyFont, XBrushes.Black,
                    new XRect(x + labelWidth, _y, half - labelWidth, 10), XStringFormats.TopLeft);
            }
            _y += 11;
        }
        _y += 3;
    }

    /// <summary>A table; its headings repeat at the top of each new page it runs onto. A cell too wide for its column is cut with an ellipsis.</summary>
    public void Table(IReadOnlyList<Column> columns, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<string>? total = null)
    {
        double width = PageWidth - 2 * Margin, share = columns.Sum(c => c.Width);
        double[] widths = [.. columns.Select(c => c.Width / share * width)];
        void Row(IReadOnlyList<string> cells, XFont font, bool band)
        {
            if (band)
            {
                Graphics.DrawRectangle(Band, Margin, _y - 1, width, 11);
            }
            double x = Margin;
            for (int i = 0; i < columns.Count; i++)
            {
                string text = Fit(i < cells.Count ? cells[i] : "", font, widths[i] - 4);
                var box = new XRect(x + 2, _y, widths[i] - 4, 10);
                Graphics.DrawString(text, font, XBrushes.Black, box, columns[i].Figures ? XStringFormats.TopRight : XStringFormats.TopLeft);
                x += widths[i];
            }
            _y += 11;
        }
        Need(24);
        Row([.. columns.Select(c => c.Heading)], CellBoldFont, band: true);
        foreach (IReadOnlyList<string> cells in rows)
        {
            if (_y + 11 > Bottom)
            {
                NewPage();
                Row([.. columns.Select(c => c.Heading)], CellBoldFont, band: true);
            }
            Row(cells, CellFont, band: false);
        }
        if (total is not null)
        {
            Need(11);
            Graphics.DrawRectangle(Rule, Margin, _y - 1, width, 0.6);
            Row(total, CellBoldFont, band: false);
        }
        _y += 4;
    }

    /// <summary>An image (JPEG, embedded as it is; PNG or BMP, decoded and compressed again) at the given size in points, centred.</summary>
    public void Image(byte[] picture, double width, double height)
    {
        Need(height + 6);
        using var stream = new MemoryStream(picture, writable: false);
        using XImage image = XImage.FromStream(stream);
        Graphics.DrawImage(image, (PageWidth - width) / 2, _y, width, height);
        _y += height + 6;
    }

    /// <summary>Vertical space.</summary>
    public void Space(double points) => _y += points;

    /// <summary>The document as bytes, the same for the same content.</summary>
    public byte[] ToBytes()
    {
        _graphics?.Dispose();
        _graphics = null;
        // The file identifier: from the name and date, so the same document keeps it.
        string id = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_name}|{_date}"))))[..32];
        _document.Internals.FirstDocumentID = id;
        _document.Internals.SecondDocumentID = id;
        using var output = new MemoryStream();
        _document.Save(output);
        return Deterministic(output.ToArray(), id);
    }

    public void Dispose()
    {
        _graphics?.Dispose();
        _document.Dispose();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    /// <summary>
    /// Replaces, byte for byte and at the same length (so the cross-reference offsets still hold),
    /// what PDFsharp writes at random: each font subset's six-letter tag (by order of appearance:
    /// BOAAAA, BOAAAB, ...) and the UUIDs of the XMP metadata (from the file identifier).
    /// </summary>
    private static byte[] Deterministic(byte[] pdf, string id)
    {
        string text = Encoding.Latin1.GetString(pdf);
        var tags = new List<string>();
        foreach (System.Text.RegularExpressions.Match m in FontNameTag().Matches(text))
        {
            if (!tags.Contains(m.Groups[1].Value))
            {
                tags.Add(m.Groups[1].Value);
            }
        }
        var result = new StringBuilder(text);
        for (int i = 0; i < tags.Count; i++)
        {
            result.Replace("/" + tags[i] + "+", "/BOAA" + (char)('A' + i / 26 % 26) + (char)('A' + i % 26) + "+");
        }
        string uuid = $"{id[..8]}-{id[8..12]}-{id[12..16]}-{id[16..20]}-{id[20..32]}".ToLowerInvariant();
        string replaced = Uuid().Replace(result.ToString(), "uuid:" + uuid);
        return Encoding.Latin1.GetBytes(replaced);
    }

    [System.Text.RegularExpressions.GeneratedRegex("/FontName/([A-Z]{6})\\+")]
    private static partial System.Text.RegularExpressions.Regex FontNameTag();

    [System.Text.RegularExpressions.GeneratedRegex("uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial System.Text.RegularExpressions.Regex Uuid();

    // The text cut to fit the width, with an ellipsis when cut.
    private static string Fit(string text, XFont font, double width)
    {
        if (Measure(text, font) <= width)
        {
            return text;
        }
        int length = text.Length;
        while (length > 0 && Measure(text[..length] + "…", font) > width)
        {
            length--;
        }
        return text[..length] + "…";
    }

    private static IEnumerable<string> Wrap(string text, XFont font, double width)
    {
        var line = new StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && Measure(line + " " + word, font) > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }
        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    // Width of a text in points, without a page: PDFsharp measures from the font's metrics.
    private static double Measure(string text, XFont font) => Measurer.MeasureString(text, font).Width;

    [ThreadStatic]
    private static XGraphics? t_measurer;

    private static XGraphics Measurer => t_measurer ??= XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
}

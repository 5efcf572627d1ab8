using PdfSharp.Fonts;

namespace BackOffice.Host.Documents;

/// <summary>The fonts the documents are not set up to find.</summary>
public sealed class DocumentFontsMissingException(string message) : Exception(message)
{
    /// <summary>The rule printed with the error.</summary>
    public const string Rule = "documents.fonts-missing";
}

/// <summary>
/// The one typeface of the documents: DejaVu Sans (regular and bold), from Debian's
/// <c>fonts-dejavu-core</c> (<c>/usr/share/fonts/truetype/dejavu</c>), or from the folder named
/// by <c>BACKOFFICE_FONT_DIR</c>. PDFsharp embeds the subset of the glyphs a document uses, and
/// the chart draws its labels with the same files, so documents look the same on every machine
/// that has the package. Without the files nothing is written: <see cref="Ensure"/> throws
/// <see cref="DocumentFontsMissingException"/>, naming the package.
/// </summary>
public sealed class DocumentFonts : IFontResolver
{
    /// <summary>The family name documents ask for.</summary>
    public const string Family = "DejaVu Sans";

    /// <summary>Where Debian's fonts-dejavu-core puts the files.</summary>
    public const string DebianDirectory = "/usr/share/fonts/truetype/dejavu";

    private const string Regular = "DejaVuSans", Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();
    private static DocumentFonts? s_installed;

    private readonly Dictionary<string, byte[]> _faces;

    private DocumentFonts(Dictionary<string, byte[]> faces) => _faces = faces;

    /// <summary>The folder the fonts are read from.</summary>
    public static string Directory => Environment.GetEnvironmentVariable("BACKOFFICE_FONT_DIR") is { Length: > 0 } dir ? dir : DebianDirectory;

    /// <summary>
    /// Reads the fonts once and installs them for PDFsharp and the chart (both keep one global
    /// font setting per process). Throws <see cref="DocumentFontsMissingException"/> when a file is missing.
    /// </summary>
    public static void Ensure()
    {
        lock (Gate)
        {
            if (s_installed is not null)
            {
                return;
            }
            var faces = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (string face in new[] { Regular, Bold })
            {
                string path = Path.Combine(Directory, face + ".ttf");
                if (!File.Exists(path))
                {
                    throw new DocumentFontsMissingException(
                        $"the font {path} is missing; install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core) or set BACKOFFICE_FONT_DIR to a folder holding {Regular}.ttf and {Bold}.ttf");
                }
                faces[face] = File.ReadAllBytes(path);
            }
            var fonts = new DocumentFonts(faces);
            GlobalFontSettings.FontResolver = fonts;
            ScottPlot.Fonts.AddFontFile(Family, Path.Combine(Directory, Regular + ".ttf"), bold: false, italic: false);
            ScottPlot.Fonts.AddFontFile(Family, Path.Combine(Directory, Bold + ".ttf"), bold: true, italic: false);
            ScottPlot.Fonts.Default = Family;
            s_installed = fonts;
        }
    }

    /// <inheritdoc/>
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? Bold : Regular);

    /// <inheritdoc/>
    public byte[]? GetFont(string faceName) => _faces.GetValueOrDefault(faceName);
}

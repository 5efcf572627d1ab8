using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// What the ISO 20022 readers share: the embedded schemas, a reader that refuses DTDs and
/// external entities and resolves nothing, schema validation that names the line of the first
/// error, and culture-invariant numbers and dates. Rejections carry the line ("line 12") as
/// their location; the caller places them in its file with <see cref="Rejection.At"/>.
/// </summary>
internal static class Iso20022Xml
{
    /// <summary>Rule of a document that declares a DTD (and so could declare entities).</summary>
    public const string DtdRule = "iso20022.dtd";

    /// <summary>Rule of a document that is not well-formed XML.</summary>
    public const string XmlRule = "iso20022.xml";

    /// <summary>Rule of a document whose root element is not the message expected.</summary>
    public const string UnknownMessageRule = "iso20022.unknown-message";

    private const string ResourcePrefix = "BackOffice.Intake.Iso20022.";

    // The reader's own message for a prohibited DTD, to tell it from other XmlExceptions
    // without depending on the wording of the framework's resources.
    private static readonly Lazy<string> DtdProhibited = new(() =>
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader("<!DOCTYPE a><a/>"), SecureSettings());
            while (reader.Read())
            {
            }
        }
        catch (XmlException e)
        {
            return e.Message;
        }
        throw new InvalidOperationException("the XML reader accepted a DTD although DTD processing is prohibited");
    });

    /// <summary>The text of an embedded schema, as published.</summary>
    public static string SchemaText(string file)
    {
        using Stream stream = typeof(Iso20022Xml).Assembly.GetManifestResourceStream(ResourcePrefix + file)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The embedded schema <paramref name="file"/> for <paramref name="targetNamespace"/>, compiled.</summary>
    public static XmlSchemaSet Compile(string file, string targetNamespace)
    {
        using Stream stream = typeof(Iso20022Xml).Assembly.GetManifestResourceStream(ResourcePrefix + file)!;
        var set = new XmlSchemaSet { XmlResolver = null };
        using var reader = XmlReader.Create(stream, SecureSettings());
        set.Add(targetNamespace, reader);
        set.Compile();
        return set;
    }

    /// <summary>
    /// The namespace of the root element of <paramref name="xml"/>, reading no further than the root's start tag.
    /// </summary>
    public static Result<(string Namespace, string Name, int Line)> Root(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), SecureSettings());
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                return new Rejection(XmlRule, "the document has no root element");
            }
            return (reader.NamespaceURI, reader.LocalName, ((IXmlLineInfo)reader).LineNumber);
        }
        catch (XmlException e)
        {
            return Refused(e);
        }
    }

    /// <summary>
    /// <paramref name="xml"/> loaded (with line numbers) and validated against <paramref name="schema"/>: a
    /// document with a DTD, a malformed one, one whose root is not in <paramref name="expectedNamespace"/>, or
    /// the first error the schema finds (rule <paramref name="schemaRule"/>) is refused.
    /// </summary>
    public static Result<XDocument> Load(string xml, XmlSchemaSet schema, string expectedNamespace, string schemaRule)
    {
        XmlReaderSettings settings = SecureSettings();
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = schema;
        Rejection? first = null;
        settings.ValidationEventHandler += (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error)
            {
                first ??= new Rejection(schemaRule, e.Message, Line(e.Exception?.LineNumber ?? 0));
            }
        };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            return Refused(e);
        }
        XElement root = document.Root!;
        if (root.Name.NamespaceName != expectedNamespace)
        {
            // The schema has nothing to say about an element outside its namespace: say it here.
            return new Rejection(UnknownMessageRule,
                $"the root element {root.Name.LocalName} is in namespace '{root.Name.NamespaceName}', not {expectedNamespace}",
                Line(root));
        }
        return first is { } invalid ? invalid : document;
    }

    /// <summary>The refusal of a document the reader could not read: a DTD, or malformed XML (with its line).</summary>
    public static Rejection Refused(XmlException e) =>
        e.Message == DtdProhibited.Value
            ? new Rejection(DtdRule, "the document declares a DTD: DTDs and entities are refused, none is read or resolved")
            : new Rejection(XmlRule, e.Message, Line(e.LineNumber));

    /// <summary>Location text of a line ("line 12"); empty when the line is unknown.</summary>
    public static string Line(int line) => line > 0 ? "line " + line.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Location text of the line an element starts on.</summary>
    public static string Line(XObject node) => Line(((IXmlLineInfo)node).LineNumber);

    /// <summary>The trimmed text of <paramref name="element"/>, or null when it is absent or blank.</summary>
    public static string? Text(XElement? element) =>
        element is null || string.IsNullOrWhiteSpace(element.Value) ? null : element.Value.Trim();

    /// <summary>An xs:decimal, culture-invariant; null when it is not one <see cref="decimal"/> can hold.</summary>
    public static decimal? Number(string text) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            ? value
            : null;

    /// <summary>The date of an xs:date or xs:dateTime as written (time and offset dropped); null when it is not one.</summary>
    public static LocalDate? Date(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length < 10)
        {
            return null;
        }
        ParseResult<LocalDate> date = LocalDatePattern.Iso.Parse(trimmed[..10]);
        return date.Success ? date.Value : null;
    }

    /// <summary>A number as the schemas write it: invariant, no exponent, no grouping.</summary>
    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A date as the schemas write it (ISODate).</summary>
    public static string Date(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The one place reader settings are made: no DTD, no resolver.</summary>
    public static XmlReaderSettings SecureSettings() => new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
}

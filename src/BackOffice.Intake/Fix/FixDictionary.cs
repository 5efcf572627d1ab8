using System.Collections.Frozen;
using System.Globalization;
using System.Xml.Linq;
using BackOffice.Domain.Primitives;

namespace BackOffice.Intake.Fix;

/// <summary>How the codec checks a field's value; several FIX type names share one check.</summary>
internal enum FixValueKind : byte
{
    String,
    MultipleValueString,
    Char,
    Boolean,
    Int,
    Length,
    NumInGroup,
    SeqNum,
    DayOfMonth,
    Decimal,
    UtcTimestamp,
    UtcTimeOnly,
    Date,
    MonthYear,
    Currency,
    Exchange,
    Country,
    Data,
}

/// <summary>One field of the dictionary: tag, name, type and allowed values.</summary>
internal sealed class FixFieldDefinition
{
    public required int Tag { get; init; }
    public required string Name { get; init; }
    public required string TypeName { get; init; }
    public required FixValueKind Kind { get; init; }

    /// <summary>Allowed values with their descriptions, in dictionary order; empty when any value of the type goes.</summary>
    public required IReadOnlyList<(string Value, string Description)> Values { get; init; }

    /// <summary>The allowed values, for lookups by characters without allocating a string.</summary>
    public FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ValueLookup { get; init; }

    /// <summary>Length of the longest allowed value; longer values are refused without a lookup.</summary>
    public int ValueLengthMax { get; init; }

    /// <summary>For a LENGTH field, the DATA field whose byte count it gives (0 if none); for a DATA field, its LENGTH field.</summary>
    public int PairedTag { get; set; }

    public bool HasValues => Values.Count > 0;

    /// <summary>"ExecType(150)", the way messages name a field.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}({Tag})");
}

/// <summary>Where a top-level tag of a message belongs.</summary>
internal enum FixSection : byte
{
    Header = 0,
    Body = 1,
    Trailer = 2,
}

/// <summary>A member of one level (message, group instance): its position, whether it is required, and the group it counts.</summary>
internal readonly record struct FixMember(int Index, bool Required, FixSection Section, FixGroupDefinition? Group);

/// <summary>
/// The tags one level may hold, flattened (components are expanded in place), in dictionary order.
/// The order matters only inside repeating groups.
/// </summary>
internal sealed class FixLevel
{
    private readonly FrozenDictionary<int, FixMember> _members;

    public FixLevel(IReadOnlyList<(int Tag, bool Required, FixSection Section, FixGroupDefinition? Group)> members)
    {
        Tags = members.Select(m => m.Tag).ToArray();
        Required = members.Select(m => m.Required).ToArray();
        var map = new Dictionary<int, FixMember>();
        for (int i = 0; i < members.Count; i++)
        {
            Invariant.That(map.TryAdd(members[i].Tag, new FixMember(i, members[i].Required, members[i].Section, members[i].Group)),
                $"the FIX dictionary lists tag {members[i].Tag} twice on one level");
        }
        _members = map.ToFrozenDictionary();
        RequiredTags = members.Where(m => m.Required).Select(m => m.Tag).ToArray();
    }

    /// <summary>Member tags in dictionary order.</summary>
    public int[] Tags { get; }

    /// <summary>Whether the member at each index is required.</summary>
    public bool[] Required { get; }

    /// <summary>Required tags in dictionary order.</summary>
    public int[] RequiredTags { get; }

    public bool TryGet(int tag, out FixMember member) => _members.TryGetValue(tag, out member);
}

/// <summary>A repeating group: the NoXxx count tag, the delimiter (the first field of every instance) and its members.</summary>
internal sealed class FixGroupDefinition(int countTag, FixLevel members)
{
    public int CountTag { get; } = countTag;
    public int DelimiterTag => Members.Tags[0];
    public FixLevel Members { get; } = members;
}

/// <summary>One message type: MsgType, name, and the tags it may carry (header, body and trailer together).</summary>
internal sealed class FixMessageDefinition(string msgType, string name, bool isAdmin, FixLevel topLevel)
{
    public string MsgType { get; } = msgType;
    public string Name { get; } = name;
    public bool IsAdmin { get; } = isAdmin;
    public FixLevel TopLevel { get; } = topLevel;
}

/// <summary>
/// The FIX 4.4 data dictionary (QuickFIX XML, shipped in <c>Fix/Spec/FIX44.xml</c>), parsed once on
/// first use. A malformed dictionary is a bug in the build and fails an invariant.
/// </summary>
public sealed class FixDictionary
{
    private static readonly Lazy<FixDictionary> Instance = new(() => Load(typeof(FixDictionary).Assembly.GetManifestResourceStream("BackOffice.Intake.Fix.FIX44.xml")
        ?? throw new InvariantViolationException("FIX44.xml is not embedded in the assembly")));

    private readonly FixFieldDefinition?[] _byTag;
    private readonly FrozenDictionary<string, FixMessageDefinition> _messages;
    private readonly FrozenDictionary<string, FixMessageDefinition>.AlternateLookup<ReadOnlySpan<char>> _messageLookup;

    private FixDictionary(FixFieldDefinition?[] byTag, Dictionary<string, FixMessageDefinition> messages)
    {
        _byTag = byTag;
        _messages = messages.ToFrozenDictionary(StringComparer.Ordinal);
        _messageLookup = _messages.GetAlternateLookup<ReadOnlySpan<char>>();
        FieldCount = byTag.Count(f => f is not null);
    }

    /// <summary>The FIX 4.4 dictionary embedded in this assembly.</summary>
    public static FixDictionary Fix44 => Instance.Value;

    /// <summary>The BeginString(8) value this dictionary describes.</summary>
    public static string BeginString => "FIX.4.4";

    /// <summary>Number of fields the dictionary defines.</summary>
    public int FieldCount { get; }

    /// <summary>Number of message types the dictionary defines.</summary>
    public int MessageCount => _messages.Count;

    /// <summary>The highest tag number the dictionary defines.</summary>
    internal int TagMax => _byTag.Length - 1;

    /// <summary>True when the dictionary defines <paramref name="tag"/>.</summary>
    public bool IsDefined(int tag) => Field(tag) is not null;

    /// <summary>The field's name ("ExecType"), or null for a tag the dictionary does not define.</summary>
    public string? FieldName(int tag) => Field(tag)?.Name;

    /// <summary>The message type's name ("ExecutionReport" for "8"), or null when MsgType is unknown.</summary>
    public string? MessageName(string msgType) => _messages.GetValueOrDefault(msgType)?.Name;

    /// <summary>True when a message of this MsgType may carry <paramref name="tag"/> (anywhere, groups included).</summary>
    public bool IsDefinedFor(string msgType, int tag) =>
        _messages.TryGetValue(msgType, out FixMessageDefinition? message) && Contains(message.TopLevel, tag);

    internal FixFieldDefinition? Field(int tag) => (uint)tag < (uint)_byTag.Length ? _byTag[tag] : null;

    internal FixMessageDefinition? Message(ReadOnlySpan<char> msgType) => _messageLookup.TryGetValue(msgType, out FixMessageDefinition? m) ? m : null;

    /// <summary>"ExecType(150)" for a defined tag, "tag 9999" for another.</summary>
    internal string Describe(int tag) => Field(tag)?.ToString() ?? string.Create(CultureInfo.InvariantCulture, $"tag {tag}");

    private static bool Contains(FixLevel level, int tag)
    {
        if (level.TryGet(tag, out _))
        {
            return true;
        }
        foreach (int member in level.Tags)
        {
            if (level.TryGet(member, out FixMember m) && m.Group is { } group && Contains(group.Members, tag))
            {
                return true;
            }
        }
        return false;
    }

    internal static FixDictionary Load(Stream xml)
    {
        XElement root = XDocument.Load(xml).Root ?? throw new InvariantViolationException("FIX44.xml has no root element");
        var fields = new Dictionary<string, FixFieldDefinition>(StringComparer.Ordinal);
        foreach (XElement field in Child(root, "fields").Elements("field"))
        {
            FixFieldDefinition definition = ReadField(field);
            Invariant.That(fields.TryAdd(definition.Name, definition), $"field {definition.Name} is defined twice");
        }
        PairLengthFields(fields);
        var components = Child(root, "components").Elements("component").ToDictionary(c => Attribute(c, "name"), StringComparer.Ordinal);
        var builder = new LevelBuilder(fields, components);

        var header = builder.Members(Child(root, "header"), FixSection.Header, true);
        var trailer = builder.Members(Child(root, "trailer"), FixSection.Trailer, true);
        var messages = new Dictionary<string, FixMessageDefinition>(StringComparer.Ordinal);
        foreach (XElement message in Child(root, "messages").Elements("message"))
        {
            var members = new List<(int, bool, FixSection, FixGroupDefinition?)>(header);
            members.AddRange(builder.Members(message, FixSection.Body, true));
            members.AddRange(trailer);
            string msgType = Attribute(message, "msgtype");
            var definition = new FixMessageDefinition(msgType, Attribute(message, "name"), Attribute(message, "msgcat") == "admin", new FixLevel(members));
            Invariant.That(messages.TryAdd(msgType, definition), $"MsgType {msgType} is defined twice");
        }
        int tagMax = fields.Values.Max(f => f.Tag);
        var byTag = new FixFieldDefinition?[tagMax + 1];
        foreach (FixFieldDefinition field in fields.Values)
        {
            Invariant.That(byTag[field.Tag] is null, $"tag {field.Tag} is defined twice");
            byTag[field.Tag] = field;
        }
        return new FixDictionary(byTag, messages);
    }

    private static FixFieldDefinition ReadField(XElement field)
    {
        string typeName = Attribute(field, "type");
        var values = field.Elements("value").Select(v => (Attribute(v, "enum"), Attribute(v, "description"))).ToList();
        FrozenSet<string> set = values.Select(v => v.Item1).ToFrozenSet(StringComparer.Ordinal);
        return new FixFieldDefinition
        {
            Tag = int.Parse(Attribute(field, "number"), NumberStyles.None, CultureInfo.InvariantCulture),
            Name = Attribute(field, "name"),
            TypeName = typeName,
            Kind = KindOf(typeName),
            Values = values,
            ValueLookup = set.GetAlternateLookup<ReadOnlySpan<char>>(),
            ValueLengthMax = values.Count == 0 ? 0 : values.Max(v => v.Item1.Length),
        };
    }

    private static FixValueKind KindOf(string typeName) => typeName switch
    {
        "CHAR" => FixValueKind.Char,
        "BOOLEAN" => FixValueKind.Boolean,
        "INT" => FixValueKind.Int,
        "LENGTH" => FixValueKind.Length,
        "NUMINGROUP" => FixValueKind.NumInGroup,
        "SEQNUM" => FixValueKind.SeqNum,
        "DAYOFMONTH" => FixValueKind.DayOfMonth,
        "QTY" or "PRICE" or "PRICEOFFSET" or "AMT" or "FLOAT" or "PERCENTAGE" => FixValueKind.Decimal,
        "UTCTIMESTAMP" => FixValueKind.UtcTimestamp,
        "UTCTIMEONLY" => FixValueKind.UtcTimeOnly,
        "UTCDATEONLY" or "LOCALMKTDATE" or "UTCDATE" => FixValueKind.Date,
        "MONTHYEAR" => FixValueKind.MonthYear,
        "CURRENCY" => FixValueKind.Currency,
        "EXCHANGE" => FixValueKind.Exchange,
        "COUNTRY" => FixValueKind.Country,
        "MULTIPLEVALUESTRING" => FixValueKind.MultipleValueString,
        "DATA" => FixValueKind.Data,
        _ => FixValueKind.String,
    };

    /// <summary>
    /// A DATA field's byte count travels in the LENGTH field named after it: SecureData(91) after
    /// SecureDataLen(90), Signature(89) after SignatureLength(93).
    /// </summary>
    private static void PairLengthFields(Dictionary<string, FixFieldDefinition> fields)
    {
        foreach (FixFieldDefinition data in fields.Values.Where(f => f.Kind == FixValueKind.Data))
        {
            FixFieldDefinition? length = fields.GetValueOrDefault(data.Name + "Len") ?? fields.GetValueOrDefault(data.Name + "Length");
            Invariant.That(length is { Kind: FixValueKind.Length }, $"DATA field {data.Name} has no LENGTH field");
            data.PairedTag = length!.Tag;
            length.PairedTag = data.Tag;
        }
    }

    private static XElement Child(XElement parent, string name) =>
        parent.Element(name) ?? throw new InvariantViolationException($"FIX44.xml has no <{name}>");

    private static string Attribute(XElement element, string name) =>
        element.Attribute(name)?.Value ?? throw new InvariantViolationException($"FIX44.xml: <{element.Name}> without {name}");

    /// <summary>Expands components in place and builds each group's level once per place it appears.</summary>
    private sealed class LevelBuilder(Dictionary<string, FixFieldDefinition> fields, Dictionary<string, XElement> components)
    {
        public List<(int Tag, bool Required, FixSection Section, FixGroupDefinition? Group)> Members(XElement parent, FixSection section, bool enclosingRequired)
        {
            var members = new List<(int, bool, FixSection, FixGroupDefinition?)>();
            Add(parent, section, enclosingRequired, members, 0);
            return members;
        }

        private void Add(XElement parent, FixSection section, bool enclosingRequired, List<(int, bool, FixSection, FixGroupDefinition?)> members, int depth)
        {
            Invariant.That(depth < 32, "FIX44.xml: components nest too deep");
            foreach (XElement element in parent.Elements())
            {
                // A required field inside an optional component is required only when the component is there;
                // the codec cannot tell an absent component from an empty one, so such fields are not required.
                bool required = enclosingRequired && Attribute(element, "required") == "Y";
                string name = Attribute(element, "name");
                switch (element.Name.LocalName)
                {
                    case "field":
                        members.Add((Tag(name), required, section, null));
                        break;
                    case "component":
                        Invariant.That(components.TryGetValue(name, out XElement? component), $"FIX44.xml: unknown component {name}");
                        Add(component!, section, required, members, depth + 1);
                        break;
                    case "group":
                        var groupMembers = new List<(int, bool, FixSection, FixGroupDefinition?)>();
                        // Inside a group instance, the group's own required fields are required.
                        Add(element, section, true, groupMembers, depth + 1);
                        Invariant.That(groupMembers.Count > 0, $"FIX44.xml: group {name} is empty");
                        members.Add((Tag(name), required, section, new FixGroupDefinition(Tag(name), new FixLevel(groupMembers))));
                        break;
                    default:
                        throw new InvariantViolationException($"FIX44.xml: unexpected <{element.Name}>");
                }
            }
        }

        private int Tag(string name) =>
            fields.TryGetValue(name, out FixFieldDefinition? field) ? field.Tag : throw new InvariantViolationException($"FIX44.xml: unknown field {name}");
    }
}

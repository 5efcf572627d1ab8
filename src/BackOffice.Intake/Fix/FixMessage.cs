using System.Globalization;
using System.Text;

namespace BackOffice.Intake.Fix;

/// <summary>One field of a FIX message, in the order it came.</summary>
public readonly record struct FixField(int Tag, string Value);

/// <summary>
/// A FIX 4.4 message that passed framing (BodyLength, CheckSum) and validation against the
/// dictionary: every tag defined for its MsgType, required tags present (also in each repeating
/// group instance), group counts matching, values in their data type's format and among the
/// enumerated values. Fields are kept in order, groups flattened, so a message can be read back as
/// it came; <see cref="Get"/> reads the first occurrence of a tag.
/// </summary>
public sealed class FixMessage
{
    private readonly FixField[] _fields;

    private FixMessage(FixField[] fields, string msgType, long msgSeqNum, string text)
    {
        _fields = fields;
        MsgType = msgType;
        MsgSeqNum = msgSeqNum;
        Text = text;
    }

    /// <summary>MsgType(35): "8" ExecutionReport, "AE" TradeCaptureReport, "J" AllocationInstruction, "A" Logon, ...</summary>
    public string MsgType { get; }

    /// <summary>MsgSeqNum(34).</summary>
    public long MsgSeqNum { get; }

    /// <summary>Every field, in order.</summary>
    public IReadOnlyList<FixField> Fields => _fields;

    /// <summary>The message as text with '|' between fields (for logs, exceptions and trade history).</summary>
    public string Text { get; }

    /// <summary>SenderCompID(49).</summary>
    public string SenderCompId => Get(49) ?? "";

    /// <summary>TargetCompID(56).</summary>
    public string TargetCompId => Get(56) ?? "";

    /// <summary>PossDupFlag(43)=Y: the sender may have sent this sequence number before.</summary>
    public bool PossDup => Get(43) == "Y";

    /// <summary>PossResend(97)=Y: the content may have been sent before under another sequence number.</summary>
    public bool PossResend => Get(97) == "Y";

    /// <summary>The first value of <paramref name="tag"/>, or null.</summary>
    public string? Get(int tag)
    {
        foreach (FixField field in _fields)
        {
            if (field.Tag == tag)
            {
                return field.Value;
            }
        }
        return null;
    }

    /// <summary>The instances of a repeating group: for each, its fields (nested groups included).</summary>
    public IReadOnlyList<IReadOnlyList<FixField>> Group(int countTag, int delimiterTag)
    {
        var instances = new List<IReadOnlyList<FixField>>();
        int at = Array.FindIndex(_fields, f => f.Tag == countTag);
        if (at < 0)
        {
            return instances;
        }
        List<FixField>? current = null;
        FixDictionary dictionary = FixDictionary.Fix44;
        FixMessageDefinition? message = dictionary.Message(MsgType);
        FixGroupDefinition? group = message is not null && FindGroup(message.TopLevel, countTag) is { } g ? g : null;
        for (int i = at + 1; i < _fields.Length; i++)
        {
            FixField field = _fields[i];
            if (field.Tag == delimiterTag)
            {
                current = [];
                instances.Add(current);
            }
            else if (current is null || group is null || !InGroup(group.Members, field.Tag))
            {
                break;
            }
            current.Add(field);
        }
        return instances;
    }

    private static FixGroupDefinition? FindGroup(FixLevel level, int countTag)
    {
        if (level.TryGet(countTag, out FixMember member) && member.Group is { } group)
        {
            return group;
        }
        foreach (int tag in level.Tags)
        {
            if (level.TryGet(tag, out FixMember m) && m.Group is { } nested && FindGroup(nested.Members, countTag) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    private static bool InGroup(FixLevel level, int tag)
    {
        if (level.TryGet(tag, out _))
        {
            return true;
        }
        foreach (int member in level.Tags)
        {
            if (level.TryGet(member, out FixMember m) && m.Group is { } nested && InGroup(nested.Members, tag))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads and validates one framed message (<see cref="FixFramer"/> has checked BodyLength and
    /// CheckSum). Returns the message, or the first error with the SessionRejectReason a FIX
    /// acceptor sends back.
    /// </summary>
    public static (FixMessage? Message, FixError? Error) Parse(ReadOnlySpan<byte> frame, byte delimiter, FixDictionary dictionary)
    {
        var fields = new List<FixField>(32);
        int position = 0;
        while (position < frame.Length)
        {
            int end = frame[position..].IndexOf(delimiter);
            ReadOnlySpan<byte> pair = end < 0 ? frame[position..] : frame.Slice(position, end);
            position = end < 0 ? frame.Length : position + end + 1;
            int equals = pair.IndexOf((byte)'=');
            if (equals <= 0 || !FixValues.TryParseCount(pair[..equals], out int tag) || tag <= 0)
            {
                return (null, FixError.Create(FixRules.Garbled, $"'{Printable(pair)}' is not a tag=value field", SessionRejectReason.InvalidTagNumber, null, null, null));
            }
            ReadOnlySpan<byte> value = pair[(equals + 1)..];
            if (!FixValues.IsText(value) && dictionary.Field(tag) is not { Kind: FixValueKind.Data })
            {
                return (null, FixError.Create(FixRules.Encoding, $"{dictionary.Describe(tag)} holds control characters or NUL bytes (a binary or UTF-16 message?)",
                    SessionRejectReason.IncorrectDataFormatForValue, tag, null, null));
            }
            fields.Add(new FixField(tag, FixValues.ToText(value)));
        }
        string msgType = fields.Count > 2 && fields[2].Tag == 35 ? fields[2].Value : "";
        long? seq = null;
        if (fields.FirstOrDefault(f => f.Tag == 34) is { Tag: 34 } seqField && long.TryParse(seqField.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long s))
        {
            seq = s;
        }
        FixMessageDefinition? definition = dictionary.Message(msgType);
        if (definition is null)
        {
            return (null, FixError.Create(FixRules.MsgType, $"MsgType '{msgType}' is not a FIX 4.4 message", SessionRejectReason.InvalidMsgType, 35, seq, msgType));
        }
        if (seq is null)
        {
            return (null, FixError.Create(FixRules.RequiredTag, "MsgSeqNum(34) is missing or not a number", SessionRejectReason.RequiredTagMissing, 34, null, msgType));
        }
        int index = 0;
        FixError? error = ValidateLevel(fields, ref index, definition.TopLevel, dictionary, seq, msgType, groupDelimiter: null);
        if (error is null && index < fields.Count)
        {
            int tag = fields[index].Tag;
            error = dictionary.IsDefined(tag)
                ? FixError.Create(FixRules.TagNotDefined, $"{dictionary.Describe(tag)} is not defined for {definition.Name} ({msgType})", SessionRejectReason.TagNotDefinedForThisMessageType, tag, seq, msgType)
                : FixError.Create(FixRules.TagUnknown, $"tag {tag} is not a FIX 4.4 field", SessionRejectReason.UndefinedTag, tag, seq, msgType);
        }
        if (error is not null)
        {
            return (null, error);
        }
        var text = new StringBuilder(frame.Length);
        foreach (FixField field in fields)
        {
            text.Append(field.Tag.ToString(CultureInfo.InvariantCulture)).Append('=').Append(field.Value).Append('|');
        }
        return (new FixMessage([.. fields], msgType, seq.Value, text.ToString()), null);
    }

    /// <summary>
    /// Consumes the fields of one level (the message, or one group instance) from <paramref name="index"/>:
    /// stops at the first tag the level does not define, or at the group's delimiter tag starting
    /// the next instance.
    /// </summary>
    private static FixError? ValidateLevel(List<FixField> fields, ref int index, FixLevel level, FixDictionary dictionary, long? seq, string msgType, int? groupDelimiter)
    {
        var seen = new HashSet<int>();
        bool first = true;
        while (index < fields.Count)
        {
            FixField field = fields[index];
            if (!level.TryGet(field.Tag, out FixMember member) || (!first && field.Tag == groupDelimiter))
            {
                if (groupDelimiter is null)
                {
                    // At the top level every tag must belong to the message: one that does not is an error, not the end.
                    return dictionary.IsDefined(field.Tag)
                        ? FixError.Create(FixRules.TagNotDefined, $"{dictionary.Describe(field.Tag)} is not defined for MsgType {msgType}",
                            SessionRejectReason.TagNotDefinedForThisMessageType, field.Tag, seq, msgType)
                        : FixError.Create(FixRules.TagUnknown, $"tag {field.Tag} is not a FIX 4.4 field", SessionRejectReason.UndefinedTag, field.Tag, seq, msgType);
                }
                break;
            }
            first = false;
            if (!seen.Add(field.Tag))
            {
                return FixError.Create(FixRules.TagDuplicate, $"{dictionary.Describe(field.Tag)} appears more than once", SessionRejectReason.TagAppearsMoreThanOnce, field.Tag, seq, msgType);
            }
            if (field.Value.Length == 0)
            {
                return FixError.Create(FixRules.TagEmpty, $"{dictionary.Describe(field.Tag)} has no value", SessionRejectReason.TagSpecifiedWithoutAValue, field.Tag, seq, msgType);
            }
            FixFieldDefinition definition = dictionary.Field(field.Tag)!;
            if (CheckValue(definition, field.Value) is { } problem)
            {
                return FixError.Create(problem.Rule, problem.Message, problem.Reason, field.Tag, seq, msgType);
            }
            index++;
            if (member.Group is { } group)
            {
                int count = int.Parse(field.Value, NumberStyles.None, CultureInfo.InvariantCulture);
                int instances = 0;
                while (index < fields.Count && fields[index].Tag == group.DelimiterTag)
                {
                    instances++;
                    if (ValidateLevel(fields, ref index, group.Members, dictionary, seq, msgType, group.DelimiterTag) is { } inner)
                    {
                        return inner;
                    }
                }
                if (index < fields.Count && group.Members.TryGet(fields[index].Tag, out _) && fields[index].Tag != group.DelimiterTag)
                {
                    return FixError.Create(FixRules.GroupOrder, $"{dictionary.Describe(fields[index].Tag)} comes before the group's first field {dictionary.Describe(group.DelimiterTag)}",
                        SessionRejectReason.RepeatingGroupFieldsOutOfOrder, fields[index].Tag, seq, msgType);
                }
                if (instances != count)
                {
                    return FixError.Create(FixRules.GroupCount, $"{dictionary.Describe(group.CountTag)} says {count} but {instances} instances follow",
                        SessionRejectReason.IncorrectNumInGroupCountForRepeatingGroup, group.CountTag, seq, msgType);
                }
            }
        }
        foreach (int required in level.RequiredTags)
        {
            if (!seen.Contains(required))
            {
                return FixError.Create(FixRules.RequiredTag, $"required {dictionary.Describe(required)} is missing", SessionRejectReason.RequiredTagMissing, required, seq, msgType);
            }
        }
        return null;
    }

    private static (string Rule, string Message, SessionRejectReason Reason)? CheckValue(FixFieldDefinition field, string value)
    {
        ReadOnlySpan<byte> bytes = Encoding.Latin1.GetBytes(value);
        bool valid = field.Kind switch
        {
            FixValueKind.Int or FixValueKind.Length or FixValueKind.SeqNum or FixValueKind.DayOfMonth => FixValues.TryParseInt(bytes, out _),
            FixValueKind.NumInGroup => FixValues.TryParseCount(bytes, out _),
            FixValueKind.Decimal => FixValues.TryParseDecimal(bytes, out _),
            FixValueKind.UtcTimestamp => FixValues.TryParseTimestamp(bytes, out _),
            FixValueKind.UtcTimeOnly => FixValues.TryParseTime(bytes, out _),
            FixValueKind.Date => FixValues.TryParseDate(bytes, out _),
            FixValueKind.MonthYear => FixValues.IsMonthYear(bytes),
            FixValueKind.Boolean => value is "Y" or "N",
            FixValueKind.Char => value.Length == 1,
            FixValueKind.Currency => value.Length == 3 && value.All(char.IsAsciiLetterUpper),
            _ => true,
        };
        if (!valid)
        {
            return (FixRules.DataFormat, $"{field} value '{Shorten(value)}' is not a valid {field.TypeName}", SessionRejectReason.IncorrectDataFormatForValue);
        }
        if (field.HasValues && field.Kind != FixValueKind.Boolean)
        {
            bool known = field.Kind == FixValueKind.MultipleValueString
                ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(v => field.ValueLookup.Contains(v))
                : field.ValueLookup.Contains(value);
            if (!known)
            {
                return (FixRules.Enum, $"{field} value '{Shorten(value)}' is not one of its values", SessionRejectReason.ValueIsIncorrect);
            }
        }
        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        string text = FixValues.ToText(bytes.Length <= 40 ? bytes : bytes[..40]);
        return new string([.. text.Select(c => c < ' ' || c > '~' ? '?' : c)]);
    }
}

using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Intake.Fix;

/// <summary>
/// SessionRejectReason(373): why a FIX engine refuses a message with a session-level Reject (35=3).
/// Values are the FIX 4.4 codes.
/// </summary>
public enum SessionRejectReason
{
    InvalidTagNumber = 0,
    RequiredTagMissing = 1,
    TagNotDefinedForThisMessageType = 2,
    UndefinedTag = 3,
    TagSpecifiedWithoutAValue = 4,
    ValueIsIncorrect = 5,
    IncorrectDataFormatForValue = 6,
    DecryptionProblem = 7,
    SignatureProblem = 8,
    CompIdProblem = 9,
    SendingTimeAccuracyProblem = 10,
    InvalidMsgType = 11,
    XmlValidationError = 12,
    TagAppearsMoreThanOnce = 13,
    TagSpecifiedOutOfRequiredOrder = 14,
    RepeatingGroupFieldsOutOfOrder = 15,
    IncorrectNumInGroupCountForRepeatingGroup = 16,
    NonDataValueIncludesFieldDelimiter = 17,
    Other = 99,
}

/// <summary>Rule names of the FIX codec, stable for scripts and logs (docs/reference/formats.md, "FIX 4.4 drop copy").</summary>
public static class FixRules
{
    /// <summary>The bytes are not a FIX message: no <c>8=FIX</c>, BodyLength(9) not second, MsgType(35) not third, a field without '='.</summary>
    public const string Garbled = "fix.garbled";

    /// <summary>The input ends inside a message.</summary>
    public const string Truncated = "fix.truncated";

    /// <summary>A message is longer than the reader accepts.</summary>
    public const string TooLong = "fix.too-long";

    /// <summary>BodyLength(9) does not match the bytes between it and CheckSum(10).</summary>
    public const string BodyLength = "fix.body-length";

    /// <summary>CheckSum(10) is not three digits or not the byte sum modulo 256.</summary>
    public const string CheckSum = "fix.checksum";

    /// <summary>BeginString(8) is not FIX.4.4.</summary>
    public const string BeginString = "fix.begin-string";

    /// <summary>Bytes that are not ASCII/Latin-1 text: control characters, NUL, UTF-16.</summary>
    public const string Encoding = "fix.encoding";

    /// <summary>MsgType(35) is not a FIX 4.4 message type.</summary>
    public const string MsgType = "fix.msg-type";

    /// <summary>A tag number the dictionary does not define.</summary>
    public const string TagUnknown = "fix.tag-unknown";

    /// <summary>A defined tag that this message type does not carry.</summary>
    public const string TagNotDefined = "fix.tag-not-defined";

    /// <summary>A tag with an empty value.</summary>
    public const string TagEmpty = "fix.tag-empty";

    /// <summary>A tag that appears twice (outside repeating groups, or twice in one group instance).</summary>
    public const string TagDuplicate = "fix.tag-duplicate";

    /// <summary>A header tag after the body, or a body tag after the trailer.</summary>
    public const string TagOrder = "fix.tag-order";

    /// <summary>A required tag (message, header, trailer or group instance) is missing.</summary>
    public const string RequiredTag = "fix.required-tag";

    /// <summary>A value that does not have the format of its FIX data type.</summary>
    public const string DataFormat = "fix.data-format";

    /// <summary>A value that is not one of the dictionary's enumerated values.</summary>
    public const string Enum = "fix.enum";

    /// <summary>Repeating group fields out of the dictionary's order (the delimiter must come first).</summary>
    public const string GroupOrder = "fix.group-order";

    /// <summary>The NoXxx count of a repeating group differs from the number of instances.</summary>
    public const string GroupCount = "fix.group-count";
}

/// <summary>
/// Why a FIX message was refused. <see cref="Rejection"/> is the rule, the message and the place
/// (file and line when read from a file, MsgSeqNum, tag). <see cref="SessionRejectReason"/> and
/// <see cref="RefTagId"/> are what a FIX acceptor puts in the Reject (35=3) it sends back; they are
/// null for errors FIX handles without a Reject: garbled or truncated input, a wrong BodyLength or
/// CheckSum (the message is ignored) and a wrong BeginString (the session is logged out).
/// </summary>
public sealed record FixError(
    Rejection Rejection,
    SessionRejectReason? SessionRejectReason,
    int? RefTagId,
    long? MsgSeqNum,
    string? MsgType)
{
    /// <summary>True when FIX says to ignore the message (no Reject, MsgSeqNum not consumed).</summary>
    public bool IsGarbled => SessionRejectReason is null && Rejection.Rule != FixRules.BeginString;

    /// <summary>The same error, placed in a file: "trades.fix:12: MsgSeqNum 215, tag 150".</summary>
    public FixError InFile(string source, long line) => this with
    {
        Rejection = Rejection with
        {
            Location = Rejection.Location.Length == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{source}:{line}")
                : string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: {Rejection.Location}"),
        },
    };

    /// <inheritdoc/>
    public override string ToString() => Rejection.ToString();

    internal static FixError Framing(string rule, string message) => new(new Rejection(rule, message), null, null, null, null);

    internal static FixError Create(string rule, string message, SessionRejectReason? reason, int? tag, long? msgSeqNum, string? msgType)
    {
        string location = (msgSeqNum, tag) switch
        {
            ({ } seq, { } t) => string.Create(CultureInfo.InvariantCulture, $"MsgSeqNum {seq}, tag {t}"),
            ({ } seq, null) => string.Create(CultureInfo.InvariantCulture, $"MsgSeqNum {seq}"),
            (null, { } t) => string.Create(CultureInfo.InvariantCulture, $"tag {t}"),
            _ => "",
        };
        return new FixError(new Rejection(rule, message, location), reason, tag, msgSeqNum, msgType);
    }
}

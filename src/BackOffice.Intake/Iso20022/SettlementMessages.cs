using BackOffice.Domain.Primitives;

namespace BackOffice.Intake.Iso20022;

/// <summary>
/// Which settlement message a received document is, by the namespace of its root element (never
/// by a "current version" setting): the status advice <see cref="Sese024"/> or the confirmation
/// <see cref="Sese025"/>, in the versions BackOffice holds the schemas of.
/// </summary>
public static class SettlementMessages
{
    /// <summary>What <see cref="Identify"/> returns for a sese.024.001.12 status advice.</summary>
    public const string StatusAdvice = "sese.024";

    /// <summary>What <see cref="Identify"/> returns for a sese.025.001.11 confirmation.</summary>
    public const string Confirmation = "sese.025";

    /// <summary>
    /// <see cref="StatusAdvice"/> or <see cref="Confirmation"/>, or why the document is neither: a DTD
    /// (<c>iso20022.dtd</c>), malformed XML before the root element (<c>iso20022.xml</c>), or another
    /// message or version (<c>iso20022.unknown-message</c>), located at <paramref name="fileName"/>.
    /// Only the root element is read: the message's own reader validates the rest.
    /// </summary>
    public static Result<string> Identify(string fileName, string xml)
    {
        Result<(string Namespace, string Name, int Line)> root = Iso20022Xml.Root(xml);
        if (root.Rejection is { } refused)
        {
            return refused.At(fileName);
        }
        (string ns, string name, int line) = root.Value;
        return ns switch
        {
            Sese024.Namespace => StatusAdvice,
            Sese025.Namespace => Confirmation,
            _ => new Rejection(Iso20022Xml.UnknownMessageRule,
                $"the root element {name} is in namespace '{ns}': not a settlement status advice ({Sese024.Namespace}) or confirmation ({Sese025.Namespace})",
                Iso20022Xml.Line(line)).At(fileName),
        };
    }
}

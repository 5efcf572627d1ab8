using System.Globalization;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Trading;

/// <summary>
/// The lots a trade names to relieve, as written in files and stored: lot ids (the trade ids of
/// the fills that opened them) separated by spaces or semicolons, such as <c>12 15</c>.
/// </summary>
public static class TradeLots
{
    /// <summary>Most lots one trade may name.</summary>
    public const int Max = 100;

    /// <summary>The stored form: ids separated by single spaces.</summary>
    public static string Format(IReadOnlyList<long> lots) => string.Join(' ', lots.Select(l => l.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads lot ids: positive whole numbers, at most <see cref="Max"/>, none twice.</summary>
    public static Result<IReadOnlyList<long>> Parse(string text)
    {
        string[] parts = text.Split([' ', ';'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > Max)
        {
            return new Rejection("trade.lots", $"lots must name 1 to {Max} lot ids separated by spaces or semicolons, not '{text}'");
        }
        var lots = new List<long>(parts.Length);
        foreach (string part in parts)
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long id) || id <= 0)
            {
                return new Rejection("trade.lots", $"'{part}' is not a lot id (the trade id of the fill that opened the lot)");
            }
            if (lots.Contains(id))
            {
                return new Rejection("trade.lots", $"lot {part} is named twice");
            }
            lots.Add(id);
        }
        return lots;
    }
}

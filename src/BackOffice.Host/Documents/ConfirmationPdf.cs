using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime.Text;
using static BackOffice.Host.Documents.Figures;

namespace BackOffice.Host.Documents;

/// <summary>
/// A trade confirmation as a PDF, carrying what SEC Rule 10b-10 requires a broker to disclose at
/// or before completion of a transaction: the date and time (or that the time is available on
/// request), the security (name, ISIN, CUSIP), price and quantity, the capacity in which the firm
/// acted (and, as agent, the other party), the commission and every other charge separately, the
/// settlement date and net amount; for bonds, the accrued interest. A corrected confirmation
/// replaces the one before it; a cancellation voids it.
/// </summary>
internal static class ConfirmationPdf
{
    public static byte[] Write(TradeConfirmation c)
    {
        TradeVersion t = c.Version;
        string name = DocumentNames.Confirmation(t.TradeDate, t.TradeId, t.Version);
        string title = c.Kind switch
        {
            ConfirmationKind.Cancelled => "Cancellation of trade confirmation",
            ConfirmationKind.Corrected => "Corrected trade confirmation",
            _ => "Trade confirmation",
        };
        using var pdf = new DocumentPdf(name, $"{title}: trade {t.TradeId} version {t.Version}", t.TradeDate);
        pdf.Title(title);
        pdf.Paragraph(Opening(c));
        pdf.Heading("Account");
        pdf.Fields([("Account", t.Account), ("Name", c.Account.Name), ("Account holder", c.Holder?.Name ?? (c.Account.IsFirmBook ? "the firm (own book)" : "")),
            ("Holder LEI", c.Account.PartyLei)]);
        pdf.Heading("Transaction");
        pdf.Fields(Transaction(c));
        pdf.Heading("Amounts (" + t.Currency + ")");
        pdf.Table([new Column("", 4), new Column("Amount", 1.4, Figures: true)], Amounts(c), [NetLabel(c), Money(t.Net, c.MinorUnits)]);
        if (c.Replaces is { } previous && c.Kind == ConfirmationKind.Corrected)
        {
            pdf.Heading("What this corrects");
            pdf.Paragraph($"Version {previous.Version} confirmed {Side(previous)} {Plain(previous.Quantity)} at {Price(previous.Price)} {previous.Currency}, trade date " +
                $"{Date(previous.TradeDate)}, settlement {Date(previous.SettlementDate)}, net {Money(previous.Net, c.MinorUnits)}. That confirmation is replaced by this one.");
        }
        pdf.Heading("Notes");
        foreach (string note in Notes(c))
        {
            pdf.Paragraph(note, small: true);
        }
        return pdf.ToBytes();
    }

    private static string Opening(TradeConfirmation c) => c.Kind switch
    {
        ConfirmationKind.Cancelled =>
            $"Trade {c.Version.TradeId} has been cancelled: the confirmation of version {c.Replaces?.Version ?? 1} is void, and nothing of it will settle. Its details as confirmed are repeated below.",
        ConfirmationKind.Corrected => $"Trade {c.Version.TradeId} has been corrected. This confirmation (version {c.Version.Version}) replaces version {c.Replaces?.Version}.",
        _ => c.Capacity == TradeCapacity.Principal
            ? $"We confirm that the firm {Side(c.Version)} for its own account ({c.Account.Code}) as follows."
            : $"We confirm that, as your agent, we {Side(c.Version)} for your account as follows.",
    };

    private static string Side(TradeVersion t) => t.Side == TradeSide.Buy ? "bought" : "sold";

    private static IReadOnlyList<(string, string)> Transaction(TradeConfirmation c)
    {
        TradeVersion t = c.Version;
        bool bond = c.Instrument.AssetClass == AssetClass.Debt;
        return
        [
            ("Trade", $"{t.TradeId} (version {t.Version}; {t.Source} {t.SourceTradeId})"), ("Side", t.Side == TradeSide.Buy ? "Buy" : "Sell"),
            ("Security", c.Instrument.Name), ("ISIN", t.Isin),
            ("CUSIP", c.Instrument.Cusip ?? "none assigned"), (bond ? "Face amount" : "Quantity", Plain(t.Quantity) + (bond ? " " + t.Currency : " shares")),
            ("Price", Price(t.Price) + " " + t.Currency + (bond ? " per 100 of face" : " per share")), ("Trade date", Date(t.TradeDate)),
            ("Time of execution", t.ExecutedAt is { } at ? InstantPattern.ExtendedIso.Format(at).Replace("T", " ", StringComparison.Ordinal).Replace("Z", " UTC", StringComparison.Ordinal)
                : "available on written request"),
            ("Settlement date", Date(t.SettlementDate)),
            ("Venue", c.Venue is { } v ? $"{v.Mic} ({v.Name})" : t.Market), ("Capacity", c.Capacity == TradeCapacity.Principal ? "Principal" : "Agent"),
            ("Other party", c.Counterparty is { } p ? p.Name : t.Counterparty), ("Other party LEI", t.Counterparty),
        ];
    }

    private static IEnumerable<IReadOnlyList<string>> Amounts(TradeConfirmation c)
    {
        TradeVersion t = c.Version;
        yield return ["Gross amount (quantity × price" + (c.Instrument.AssetClass == AssetClass.Debt ? " / 100" : "") + ")", Money(t.Gross, c.MinorUnits)];
        if (c.Instrument.AssetClass == AssetClass.Debt || t.AccruedInterest != 0)
        {
            yield return ["Accrued interest to the settlement date", Money(t.AccruedInterest, c.MinorUnits)];
        }
        yield return ["Commission", Money(c.Commission, c.MinorUnits)];
        foreach (TradeCharge charge in c.OtherCharges)
        {
            yield return [$"{ChargeName(charge.Code)} ({charge.Code})", Money(charge.Amount, c.MinorUnits)];
        }
    }

    private static string ChargeName(string code) => code switch
    {
        "SEC31" => "SEC transaction fee (Section 31)",
        "FINRA-TAF" => "FINRA trading activity fee",
        "FR-FTT" => "French financial transaction tax",
        _ => "Fee",
    };

    private static string NetLabel(TradeConfirmation c) => c.Version.Side == TradeSide.Buy
        ? "Net amount you pay (gross + accrued interest + commission + fees)"
        : "Net amount you receive (gross + accrued interest - commission - fees)";

    private static IEnumerable<string> Notes(TradeConfirmation c)
    {
        if (c.Capacity == TradeCapacity.Agent)
        {
            yield return "Capacity: we acted as your agent and executed this trade with the other party named above on the venue named above.";
        }
        else
        {
            yield return "Capacity: the firm acted as principal, for its own account.";
        }
        if (c.Instrument.AssetClass == AssetClass.Debt)
        {
            yield return "Yield: not computed by these books; the yield to maturity (or to call) at this price is available on written request.";
        }
        if (c.Version.ExecutedAt is null)
        {
            yield return "The time of execution is not recorded with this trade; it will be furnished on written request.";
        }
        yield return "Amounts are in the currency of the security. Please check this confirmation and tell us at once of any difference.";
    }
}

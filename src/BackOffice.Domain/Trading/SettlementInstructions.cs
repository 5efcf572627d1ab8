using BackOffice.Domain.ReferenceData;
using NodaTime;

namespace BackOffice.Domain.Trading;

/// <summary>
/// A standing settlement instruction (SSI): where a counterparty settles trades on a market in an
/// asset class. <see cref="Market"/> and <see cref="AssetClass"/> left null match any; the most
/// specific instruction in force on the trade date applies, then the latest.
/// </summary>
/// <param name="Id">The instruction's own id in the SSI file (a later file with the same id replaces it).</param>
/// <param name="PlaceOfSettlement">BIC of the CSD where the trade settles (for example DTCYUS33, SICVFRPP).</param>
/// <param name="DepositoryAccount">The counterparty's (or its agent's) account at that depository.</param>
/// <param name="AgentBic">BIC of the counterparty's settlement agent (custodian).</param>
public sealed record StandingSettlementInstruction(
    string Id,
    string Counterparty,
    string? Market,
    AssetClass? AssetClass,
    string PlaceOfSettlement,
    string DepositoryAccount,
    string AgentBic,
    LocalDate EffectiveFrom)
{
    /// <summary>
    /// True when the counterparty's cash settles apart from the securities (an agent or prime broker
    /// paying separately): its trades deliver or receive free of payment (DFP, RFP), and their cash
    /// stays in the settlement receivable or payable until it is paid.
    /// </summary>
    public bool FreeOfPayment { get; init; }

    /// <summary>Market beats asset class; both beat neither.</summary>
    public int Specificity => (Market is null ? 0 : 2) + (AssetClass is null ? 0 : 1);

    /// <summary>The instruction that applies to a trade, or null when the counterparty has none.</summary>
    public static StandingSettlementInstruction? Select(IEnumerable<StandingSettlementInstruction> instructions, string counterparty, string market,
        AssetClass assetClass, LocalDate tradeDate)
    {
        StandingSettlementInstruction? best = null;
        foreach (StandingSettlementInstruction ssi in instructions)
        {
            if (!string.Equals(ssi.Counterparty, counterparty, StringComparison.Ordinal) || ssi.EffectiveFrom > tradeDate
                || (ssi.Market is not null && !string.Equals(ssi.Market, market, StringComparison.Ordinal))
                || (ssi.AssetClass is not null && ssi.AssetClass != assetClass))
            {
                continue;
            }
            if (best is null || ssi.Specificity > best.Specificity || (ssi.Specificity == best.Specificity && ssi.EffectiveFrom > best.EffectiveFrom))
            {
                best = ssi;
            }
        }
        return best;
    }
}

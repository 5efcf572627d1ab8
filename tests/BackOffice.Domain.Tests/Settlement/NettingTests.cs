using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Domain.Tests.Settlement;

public sealed class NettingTests
{
    private static readonly LocalDate Day = new(2026, 11, 25);

    private static SettlementObligation Obligation(long trade, SettlementType type, decimal quantity, decimal amount, string isin = "US0378331005", string counterparty = "CP") =>
        new(Obligations.TransactionId(trade, 1), trade, 1, type, isin, false, quantity, amount, "USD", Day.PlusDays(-1), Day, amount / quantity, "XNAS", "C", counterparty, null);

    [Fact]
    public void An_agreement_nets_only_while_in_force_and_only_its_counterparty()
    {
        SettlementObligation[] due =
        [
            Obligation(1, SettlementType.Rvp, 100m, 20000m),
            Obligation(2, SettlementType.Dvp, 60m, 12060m),
            Obligation(3, SettlementType.Dvp, 10m, 2000m, counterparty: "OTHER"),
        ];
        NettingAgreement[] ended = [new("CP", new LocalDate(2026, 1, 1), Day)];
        Assert.Equal(3, Netting.Bilateral(due, ended).Count);

        NettingAgreement[] inForce = [new("CP", new LocalDate(2026, 1, 1), null)];
        IReadOnlyList<NetSettlement> net = Netting.Bilateral(due, inForce);
        Assert.Equal(2, net.Count);
        NetSettlement pair = net.Single(n => n.Netted);
        Assert.Equal((40m, -7940m, 32060m), (pair.NetQuantity, pair.NetAmount, pair.GrossAmount));
        NettingSummary summary = Assert.Single(Netting.Summarise(net));
        Assert.Equal((3, 2, 34060m, 9940m), (summary.Obligations, summary.Settlements, summary.GrossAmount, summary.NetAmount));
        Assert.Equal(24120m / 34060m, summary.Efficiency);
    }
}

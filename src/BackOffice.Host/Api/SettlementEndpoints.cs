using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Domain.Settlement;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BackOffice.Host.Api;

/// <summary>GET /api/v1/settlement/instructions and /{txId}/events: instructions and their audited history.</summary>
internal static class SettlementEndpoints
{
    /// <summary>One instruction as the API shows it.</summary>
    internal sealed record Instruction(string TxId, string Status, string Type, string Counterparty, string Isin, decimal Quantity, decimal Amount,
        string Currency, string SettlementDate, string PlaceOfSettlement, decimal SettledQuantity, decimal SettledAmount, string? ReasonCode,
        IReadOnlyList<string> Trades);

    /// <summary>One transition of an instruction.</summary>
    internal sealed record Event(long AuditSequence, string Date, string From, string To, string Source, string? MessageId, string? ReasonCode,
        decimal SettledQuantity, decimal SettledAmount, string? Note);

    /// <summary>One obligation due as the API shows it.</summary>
    internal sealed record Obligation(string TxId, long TradeId, int Version, string Type, string Isin, decimal Quantity, decimal Amount, string Currency,
        string TradeDate, string SettlementDate, string Account, string Counterparty, string? PlaceOfSettlement, string? CounterpartyAgent, string? CounterpartyAccount);

    /// <summary>One day's penalty on a failing instruction.</summary>
    internal sealed record Penalty(string TxId, string Date, string FailType, string Side, string Category, decimal FailingQuantity, decimal ReferencePrice,
        decimal Amount, string Currency);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/settlement/obligations", async (string? date, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(date, out NodaTime.LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"date must be a date as yyyy-MM-dd, not '{date}'", "date");
            }
            NodaTime.LocalDate on = day ?? services.Clock.GetCurrentInstant().InUtc().Date;
            List<SettlementObligation> due = await new Application.Settlement.SettlementService(services.Store).ObligationsDueAsync(on, ct);
            BranchScope? scope = await BranchScope.ForAsync(http, services, ct);
            return Results.Ok(due.Where(o => scope is null || scope.SeesAccount(o.Account)).Select(o => new Obligation(o.TransactionId, o.TradeId, o.Version, o.Code, o.Isin,
                o.Quantity, o.Amount, o.Currency, ApiServer.Iso(o.TradeDate), ApiServer.Iso(o.SettlementDate), o.Account, o.Counterparty, o.Ssi?.PlaceOfSettlement,
                o.Ssi?.AgentBic, o.Ssi?.DepositoryAccount)));
        }).WithName("obligations").WithSummary("The settlement obligations due on a date (default today): one per active trade, DVP for a sale, RVP for a purchase, with the counterparty's SSI")
            .RequireAuthorization(Permission.SettlementRead);
        api.MapGet("/settlement/penalties", async (string? from, string? to, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(from, out NodaTime.LocalDate? start) || !ApiServer.TryDate(to, out NodaTime.LocalDate? end))
            {
                return ApiServer.BadRequest("query.date", "from and to, when given, are dates as yyyy-MM-dd", "from");
            }
            NodaTime.LocalDate last = end ?? services.Clock.GetCurrentInstant().InUtc().Date;
            NodaTime.LocalDate first = start ?? last.PlusDays(-31);
            if (first > last || NodaTime.Period.Between(first, last, NodaTime.PeriodUnits.Days).Days > 366)
            {
                return ApiServer.BadRequest("query.date", "from must be on or before to, at most 366 days apart", "from");
            }
            IReadOnlyList<AccruedPenalty> accrued = await services.Store.ReadPenaltiesAsync(first, last, ct);
            return Results.Ok(accrued.Select(p => new Penalty(p.TransactionId, ApiServer.Iso(p.Date), p.Type.ToString().ToLowerInvariant(), p.Side.ToString().ToLowerInvariant(),
                p.Category.ToString(), p.FailingQuantity, p.ReferencePrice, p.Amount, p.Currency)));
        }).WithName("penalties").WithSummary("Settlement-fail penalties accrued per instruction and day (CSDR cash penalties), from to (default: the last 31 days)")
            .RequireAuthorization(Permission.SettlementRead);

        RouteGroupBuilder settlement = api.MapGroup("/settlement/instructions");
        settlement.MapGet("/", async (string? date, bool? open, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(date, out NodaTime.LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"date must be a date as yyyy-MM-dd, not '{date}'", "date");
            }
            IReadOnlyList<SettlementInstruction> found = await services.Store.ListInstructionsAsync(new InstructionQuery(SettlementDate: day, OpenOnly: open == true), ct);
            return Results.Ok(found.Select(i => new Instruction(i.TransactionId, InstructionLifecycle.Name(i.Status), i.Code, i.Counterparty, i.Isin, i.Quantity,
                i.Amount, i.Currency, ApiServer.Iso(i.SettlementDate), i.PlaceOfSettlement, i.SettledQuantity, i.SettledAmount, i.ReasonCode,
                [.. i.Members.Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{m.TradeId}-{m.Version}"))])));
        }).WithName("instructions").WithSummary("Settlement instructions with their status and settled quantities, by settlement date (date) and open only (open)")
            .RequireAuthorization(Permission.SettlementRead);
        settlement.MapGet("/{txId}/events", async (string txId, Services services, CancellationToken ct) =>
        {
            IReadOnlyList<InstructionEvent> events = await services.Store.ReadInstructionEventsAsync(txId, ct);
            return events.Count == 0
                ? ApiServer.NotFound("settlement.unknown-instruction", $"there is no instruction {txId}")
                : Results.Ok(events.Select(e => new Event(e.Sequence.Value, ApiServer.Iso(e.On), InstructionLifecycle.Name(e.From), InstructionLifecycle.Name(e.To),
                    e.Source, e.MessageId, e.ReasonCode, e.SettledQuantity, e.SettledAmount, e.Note)));
        }).WithName("instruction-events").WithSummary("One instruction's audited transitions, oldest first").RequireAuthorization(Permission.SettlementRead);
    }
}

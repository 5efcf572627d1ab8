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

    public static void Map(RouteGroupBuilder api)
    {
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

using System.Text.Json;
using BackOffice.Application.Ports;
using BackOffice.Domain.Access;
using BackOffice.Domain.Primitives;
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

    /// <summary>What an instruct run did.</summary>
    internal sealed record InstructRunView(string Date, IReadOnlyList<Instruction> Sent, IReadOnlyList<Instruction> Cancelled, int AlreadySent, IReadOnlyList<string> Warnings);

    /// <summary>What a status message did to its instruction.</summary>
    internal sealed record StatusView(string Message, string Result, bool Replayed, Instruction? Instruction);

    private sealed record RunBody(string? Date, string? SafekeepingAccount);

    /// <summary>Largest status message accepted.</summary>
    public const int MessageBytesMax = 256 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        MapCommands(api);
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
            return Results.Ok(found.Select(Of));
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

    private static Instruction Of(SettlementInstruction i) =>
        new(i.TransactionId, InstructionLifecycle.Name(i.Status), i.Code, i.Counterparty, i.Isin, i.Quantity, i.Amount, i.Currency, ApiServer.Iso(i.SettlementDate),
            i.PlaceOfSettlement, i.SettledQuantity, i.SettledAmount, i.ReasonCode, [.. i.Members.Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{m.TradeId}-{m.Version}"))]);

    /// <summary>
    /// Settlement as operations run it: an instruct run (the day's obligations become instructions,
    /// each a schema-valid sese.023 the transport fetches by id), the custodian's status messages
    /// (sese.024, sese.025) taken one at a time, as XML.
    /// </summary>
    private static void MapCommands(RouteGroupBuilder api)
    {
        api.MapPost("/settlement/instructions/runs", async (HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            (Writes.Body? body, IResult? problem) = await Writes.ReadAsync(http, actor, Writes.SmallBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            if (Writes.Bind<RunBody>(body!) is not { } run)
            {
                return ApiServer.BadRequest("json.shape", "an instruct run is {\"date\": \"yyyy-MM-dd\", \"safekeeping_account\": \"...\"}, both optional", "body");
            }
            if (!ApiServer.TryDate(run.Date, out NodaTime.LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", "date, when given, is a date as yyyy-MM-dd", "date");
            }
            NodaTime.LocalDate today = services.Clock.GetCurrentInstant().InUtc().Date;
            string safekeeping = run.SafekeepingAccount ?? DefaultSafekeeping;
            Result<Application.Settlement.InstructRun> done = await services.Settlement.InstructAsync(day ?? today, actor, today, i => Intake.Iso20022.Sese023.Check(i, safekeeping), ct,
                i => Intake.Iso20022.Sese023.Sent(i, safekeeping));
            if (done.Rejection is { } refused)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, refused.Rule, refused.Message);
            }
            return Results.Ok(new InstructRunView(ApiServer.Iso(day ?? today), [.. done.Value.Sent.Select(Of)], [.. done.Value.Cancelled.Select(Of)], done.Value.Kept.Count, done.Value.Warnings));
        }).WithName("instruct").WithSummary(
            "Turns the obligations due on a date into settlement instructions (and cancels those no longer due); each one's sese.023 is GET .../{txId}/message. A rerun sends nothing twice")
            .Produces<InstructRunView>().RequireAuthorization(Permission.SettlementOperate);

        api.MapGet("/settlement/instructions/{txId}/message", async (string txId, string? safekeepingAccount, Services services, CancellationToken ct) =>
        {
            IReadOnlyList<SettlementInstruction> found = await services.Store.ListInstructionsAsync(new InstructionQuery(TransactionIds: [txId]), ct);
            if (found.Count == 0)
            {
                return ApiServer.NotFound("settlement.unknown-instruction", $"there is no instruction {txId}");
            }
            string safekeeping = safekeepingAccount ?? DefaultSafekeeping;
            if (Intake.Iso20022.Sese023.Check(found[0], safekeeping) is { } invalid)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, invalid.Rule, invalid.Message);
            }
            return Results.Text(Intake.Iso20022.Sese023.Render(found[0], safekeeping), "application/xml; charset=utf-8");
        }).WithName("instruction-message").WithSummary("One instruction as its ISO 20022 sese.023 message (the same text every time it is asked for)")
            .RequireAuthorization(Permission.SettlementRead);

        api.MapPost("/settlement/status-messages", async (string? date, HttpContext http, Services services, CancellationToken ct) =>
        {
            string actor = ApiServer.Actor(http);
            if (!ApiServer.TryDate(date, out NodaTime.LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"date must be a date as yyyy-MM-dd, not '{date}'", "date");
            }
            (_, string? xml, IResult? problem) = await Writes.ReadXmlAsync(http, actor, MessageBytesMax, ct);
            if (problem is not null)
            {
                return problem;
            }
            const string Name = "api";
            Result<string> kind = Intake.Iso20022.SettlementMessages.Identify(Name, xml!);
            if (kind.Rejection is { } unknown)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, unknown.Rule, unknown.Message);
            }
            Application.Settlement.StatusOutcome outcome;
            if (kind.Value == "sese.024")
            {
                Result<StatusAdvice> advice = Intake.Iso20022.Sese024.Read(Name, xml!);
                if (advice.Rejection is { } bad)
                {
                    return Writes.Problem(StatusCodes.Status422UnprocessableEntity, bad.Rule, bad.ToString());
                }
                outcome = await services.Settlement.AdviseAsync(advice.Value, day ?? services.Clock.GetCurrentInstant().InUtc().Date, Name, xml!, actor, ct);
            }
            else
            {
                Result<SettlementConfirmation> confirmation = Intake.Iso20022.Sese025.Read(Name, xml!);
                if (confirmation.Rejection is { } bad)
                {
                    return Writes.Problem(StatusCodes.Status422UnprocessableEntity, bad.Rule, bad.ToString());
                }
                outcome = await services.Settlement.ConfirmAsync(confirmation.Value, Name, xml!, actor, ct);
            }
            if (outcome.Parked is { } parked)
            {
                // Recorded, but as an exception for operations: the message does not fit its instruction.
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, parked.Rule, parked.Message + " (the message is in the exceptions queue; nothing was booked)");
            }
            if (outcome.Outcome.Rejection is { } refused)
            {
                return Writes.Problem(StatusCodes.Status422UnprocessableEntity, refused.Rule, refused.Message);
            }
            bool replayed = outcome.Outcome.Status == Application.WritePath.CommandStatus.Replayed;
            if (replayed)
            {
                http.Response.Headers[Writes.ReplayedHeader] = "true";
            }
            return Results.Ok(new StatusView(kind.Value, outcome.Outcome.Result, replayed, outcome.Instruction is { } i ? Of(i) : null));
        }).WithName("status-message").WithSummary(
            "Takes one custodian status message (sese.024 status advice or sese.025 confirmation, as XML): the instruction moves, what settled books; the same message again changes nothing")
            .Produces<StatusView>().RequireAuthorization(Permission.SettlementOperate);
    }

    /// <summary>The firm's securities account at the place of settlement when the caller names none (as the CLI's).</summary>
    private const string DefaultSafekeeping = "BACKOFFICE";
}

using System.Globalization;
using System.Text;
using BackOffice.Application.Audit;
using BackOffice.Application.EndOfDay;
using BackOffice.Application.Ports;
using BackOffice.Application.Reporting;
using BackOffice.Domain.Access;
using BackOffice.Domain.Trading;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace BackOffice.Host.Api;

/// <summary>
/// Reading the books: reports (trial balance, balance sheet, income statement, as JSON or CSV),
/// positions, exceptions, the end-of-day status and the audit verification.
/// </summary>
internal static class ReportEndpoints
{
    internal sealed record TrialBalanceView(string? AsOf, IReadOnlyList<TrialBalanceLineView> Lines, IReadOnlyList<TotalView> Totals);

    internal sealed record TrialBalanceLineView(string Account, string Name, string Type, string Asset, decimal Debit, decimal Credit);

    internal sealed record TotalView(string Asset, decimal Debit, decimal Credit);

    internal sealed record StatementView(string Kind, string? From, string? To, IReadOnlyList<StatementLine> Lines);

    internal sealed record PositionView(string Holder, string Instrument, decimal Quantity);

    internal sealed record ExceptionView(long Id, string Source, string? SourceTradeId, string Rule, string Message, string Location, string RawMessage, bool Open);

    internal sealed record EodStepView(string Step, bool Done, long? AuditSequence, string? Result);

    internal sealed record VerificationView(bool Intact, string? Problem, long Records, long Entries, long HeadSequence, string HeadHash);

    public static void Map(RouteGroupBuilder api)
    {
        RouteGroupBuilder reports = api.MapGroup("/reports");
        reports.MapGet("/trial-balance", async (string? asOf, string? knownAt, string? format, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(asOf, out LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            if (!ApiServer.TryInstant(knownAt, out Instant? known))
            {
                return ApiServer.BadInstant(knownAt);
            }
            TrialBalance balance = await services.Reports.TrialBalanceAsync(day, known, detail: false, ct);
            if (format == "csv")
            {
                var csv = new StringBuilder("account,name,type,asset,debit,credit\n");
                foreach (TrialBalanceLine l in balance.Lines)
                {
                    csv.Append(Intake.Csv.CsvText.Row(l.Account, l.Name, l.Type.ToString().ToLowerInvariant(), l.Asset,
                        l.Debit.ToString(CultureInfo.InvariantCulture), l.Credit.ToString(CultureInfo.InvariantCulture))).Append('\n');
                }
                return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
            }
            return Results.Ok(new TrialBalanceView(asOf, [.. balance.Lines.Select(l => new TrialBalanceLineView(l.Account, l.Name, l.Type.ToString().ToLowerInvariant(), l.Asset, l.Debit, l.Credit))],
                [.. balance.Totals.Select(t => new TotalView(t.Asset, t.Debit, t.Credit))]));
        }).WithName("trial-balance").WithSummary("The trial balance as of a date (asOf) and as known at an instant (knownAt), as JSON or CSV (format=csv)").RequireAuthorization(Permission.LedgerRead);
        reports.MapGet("/balance-sheet", async (string? asOf, string? knownAt, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(asOf, out LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            if (!ApiServer.TryInstant(knownAt, out Instant? known))
            {
                return ApiServer.BadInstant(knownAt);
            }
            FinancialStatement sheet = await services.Reports.BalanceSheetAsync(day, known, ct);
            return Results.Ok(new StatementView(sheet.Kind, null, sheet.To is { } to ? ApiServer.Iso(to) : null, sheet.Lines));
        }).WithName("balance-sheet").WithSummary("The balance sheet as of a date (asOf), per currency").RequireAuthorization(Permission.LedgerRead);
        reports.MapGet("/income-statement", async (string? from, string? to, string? knownAt, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(from, out LocalDate? start) || !ApiServer.TryDate(to, out LocalDate? end) || end is null)
            {
                return ApiServer.BadRequest("query.date", "to (and from, if given) must be dates as yyyy-MM-dd", "to");
            }
            if (!ApiServer.TryInstant(knownAt, out Instant? known))
            {
                return ApiServer.BadInstant(knownAt);
            }
            FinancialStatement statement = await services.Reports.IncomeStatementAsync(start, end.Value, known, ct);
            return Results.Ok(new StatementView(statement.Kind, start is { } s ? ApiServer.Iso(s) : null, ApiServer.Iso(end.Value), statement.Lines));
        }).WithName("income-statement").WithSummary("The income statement for a period (from, to), per currency").RequireAuthorization(Permission.LedgerRead);

        api.MapGet("/positions", async (string? asOf, string? knownAt, string? basis, HttpContext http, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(asOf, out LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"asOf must be a date as yyyy-MM-dd, not '{asOf}'", "asOf");
            }
            if (!ApiServer.TryInstant(knownAt, out Instant? known))
            {
                return ApiServer.BadInstant(knownAt);
            }
            BalanceBasis? on = basis switch
            {
                null or "trade" => BalanceBasis.EffectiveDate,
                "settlement" => BalanceBasis.SettlementDate,
                _ => null,
            };
            if (on is null)
            {
                return ApiServer.BadRequest("query.basis", "basis must be trade or settlement", "basis");
            }
            PositionReport report = await services.Reports.PositionsAsync(day ?? services.Clock.GetCurrentInstant().InUtc().Date, known, on.Value, ct);
            IEnumerable<PositionLine> lines = report.Lines;
            if (await BranchScope.ForAsync(http, services, ct) is { } scope)
            {
                lines = lines.Where(l => scope.SeesAccount(l.Holder));
            }
            return Results.Ok(lines.Select(l => new PositionView(l.Holder, l.Instrument, l.Quantity)));
        }).WithName("positions").WithSummary("Positions per holder and instrument, as of a date, on trade or settlement date basis").RequireAuthorization(Permission.LedgerRead);

        api.MapGet("/exceptions", async (bool? open, Services services, CancellationToken ct) =>
        {
            IReadOnlyList<TradeException> found = await services.Store.ListExceptionsAsync(open != false, ct);
            return Results.Ok(found.Select(e => new ExceptionView(e.Id, e.Source, e.SourceTradeId, e.Rule, e.Message, e.Location, e.RawMessage, e.Closure is null)));
        }).WithName("exceptions").WithSummary("The exceptions queue: messages that could not be booked, with their rule and the message as received (open only unless open=false)")
            .RequireAuthorization(Permission.TradesRead);

        api.MapGet("/eod/status", async (string? date, Services services, CancellationToken ct) =>
        {
            if (!ApiServer.TryDate(date, out LocalDate? day))
            {
                return ApiServer.BadRequest("query.date", $"date must be a date as yyyy-MM-dd, not '{date}'", "date");
            }
            var eod = services.Eod();
            LocalDate on = day ?? await eod.BusinessDateAsync(services.Clock.GetCurrentInstant().InUtc().Date, EodService.DefaultCalendar, ct);
            IReadOnlyList<EodStepState> steps = await eod.StatusAsync(on, ct);
            return Results.Ok(steps.Select(s => new EodStepView(s.Step, s.Done, s.Sequence?.Value, s.Result)));
        }).WithName("eod-status").WithSummary("Each end-of-day step of a date (default: the business date): done, with its audit record and result, or pending")
            .RequireAuthorization(Permission.LedgerRead);

        api.MapGet("/audit/verify", async (Services services, CancellationToken ct) =>
        {
            AuditVerification v = await services.Audit.VerifyAsync(null, ct);
            return Results.Ok(new VerificationView(v.IsIntact, v.Problem, v.RecordCount, v.EntryCount, v.HeadSequence.Value, v.HeadHash.ToString()));
        }).WithName("audit-verify").WithSummary("Verifies the audit chain and every entry against its record; the head's sequence and hash").RequireAuthorization(Permission.AuditRead);
    }
}

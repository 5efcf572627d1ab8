using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// The outcome of <see cref="SettlementDates.Compute"/>: either an intended settlement date with the
/// cycle that produced it (T+n) and the calendar whose business days were counted, or the
/// <see cref="Primitives.Rejection"/> that named the rule the request broke. Never both.
/// </summary>
public sealed class SettlementDateResult
{
    private readonly LocalDate _settlementDate;

    private SettlementDateResult(LocalDate settlementDate, int cycleDays, string settlementCalendarCode, Rejection? rejection)
    {
        _settlementDate = settlementDate;
        CycleDays = cycleDays;
        SettlementCalendarCode = settlementCalendarCode;
        Rejection = rejection;
    }

    /// <summary>True when a settlement date was computed.</summary>
    public bool IsAccepted => Rejection is null;

    /// <summary>The intended settlement date; asserting the result was accepted.</summary>
    public LocalDate SettlementDate
    {
        get
        {
            Invariant.That(Rejection is null, "a rejected settlement-date request has no settlement date");
            return _settlementDate;
        }
    }

    /// <summary>The number of settlement business days counted after the trade date (the n of T+n); 0 when rejected.</summary>
    public int CycleDays { get; }

    /// <summary>The code of the calendar whose business days were counted (DTC, TARGET2, XLON, XTKS); empty when rejected.</summary>
    public string SettlementCalendarCode { get; }

    /// <summary>The rule that failed, or null when accepted.</summary>
    public Rejection? Rejection { get; }

    /// <summary>The rejection message for operations staff (for example "trade date 2025-12-25 is not a business day of XNYS"); empty when accepted.</summary>
    public string RejectionReason => Rejection?.Message ?? string.Empty;

    internal static SettlementDateResult Accepted(LocalDate settlementDate, int cycleDays, string settlementCalendarCode) =>
        new(settlementDate, cycleDays, settlementCalendarCode, null);

    internal static SettlementDateResult Rejected(string rule, string message) =>
        new(default, 0, string.Empty, new Rejection(rule, message));

    /// <inheritdoc/>
    public override string ToString() => Rejection is null
        ? $"{BusinessCalendar.Iso(_settlementDate)} (T+{CycleDays} on {SettlementCalendarCode})"
        : Rejection.ToString();
}

using System.Globalization;
using BackOffice.Domain.Primitives;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Domain.Records;

/// <summary>
/// How long books and records are kept before anything may be removed: the journal, the audit
/// trail and every message received or sent. Six years by default and at least six (SEC Rule
/// 17a-4's period for a broker-dealer's blotters and ledgers, longer than MiFID II's five); a firm
/// under a longer rule keeps them longer, never shorter. Unlike a period close, which stops new entries on old
/// dates, retention says which old records may leave the database at all.
/// </summary>
/// <param name="Years">Whole years counted back from today; at least <see cref="YearsMin"/>.</param>
public sealed record RetentionPolicy(int Years)
{
    /// <summary>The shortest retention the system accepts.</summary>
    public const int YearsMin = 6;

    /// <summary>The longest retention the system accepts (a typo guard, not a legal rule).</summary>
    public const int YearsMax = 100;

    /// <summary>The policy in force until a longer one is set.</summary>
    public static RetentionPolicy Default { get; } = new(YearsMin);

    /// <summary>A policy of <paramref name="years"/>, or the rule it breaks.</summary>
    public static Result<RetentionPolicy> Create(int years)
    {
        if (years < YearsMin)
        {
            return new Rejection("records.retention-below-minimum",
                string.Create(CultureInfo.InvariantCulture, $"records are kept at least {YearsMin} years; {years} is shorter"), "years");
        }
        if (years > YearsMax)
        {
            return new Rejection("records.retention-too-long",
                string.Create(CultureInfo.InvariantCulture, $"a retention of {years} years is more than {YearsMax}; check the figure"), "years");
        }
        return new RetentionPolicy(years);
    }

    /// <summary>
    /// The latest cut-off a purge may use on <paramref name="today"/>: records dated before it are
    /// past retention. A purge "before D" is allowed only when D is on or before this date.
    /// </summary>
    public LocalDate PurgeBeforeLatest(LocalDate today) => today.PlusYears(-Years);

    /// <summary>Null when a purge of everything dated before <paramref name="before"/> is allowed on <paramref name="today"/>; otherwise the rule and the latest date allowed.</summary>
    public Rejection? CheckPurge(LocalDate before, LocalDate today)
    {
        LocalDate latest = PurgeBeforeLatest(today);
        return before <= latest
            ? null
            : new Rejection("records.retention-period",
                string.Create(CultureInfo.InvariantCulture,
                    $"records dated on or after {Iso(latest)} are inside the {Years}-year retention period; the latest --before allowed today is {Iso(latest)}"),
                "--before " + Iso(before));
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}

using NodaTime;

namespace BackOffice.Domain.Calendar;

/// <summary>
/// One closure that no yearly rule produces (a state funeral, a storm, a moved bank holiday),
/// kept as data with the published notice it comes from, so that a reviewer can check each
/// date against its source instead of reading scattered conditions.
/// </summary>
/// <param name="Date">The day the market or system was (or will be) closed.</param>
/// <param name="Reason">Why, in a few words.</param>
/// <param name="Source">Where the closure was announced (exchange notice, government announcement).</param>
internal sealed record DatedClosure(LocalDate Date, string Reason, string Source);

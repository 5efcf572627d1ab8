namespace BackOffice.Domain.Primitives;

/// <summary>
/// The outcome of checking one value against a published rule: valid, or invalid with a reason
/// that names the rule (for example "ISO 6166 check digit: expected 5, found 3").
/// Business validation returns values; exceptions are for bugs and infrastructure only.
/// </summary>
public readonly record struct ValidationResult(bool IsValid, string Reason)
{
    /// <summary>A valid outcome; the reason is empty.</summary>
    public static ValidationResult Valid { get; } = new(true, string.Empty);

    /// <summary>An invalid outcome with the rule that failed.</summary>
    public static ValidationResult Invalid(string reason) => new(false, reason);
}

namespace BackOffice.Domain.Primitives;

/// <summary>
/// An expected business rejection: the stable name of the rule that failed (for scripts, the API
/// and logs), a message for operations staff, and where in the input it happened (for example
/// "entry 3, posting 2"). Rejections are values; exceptions are for bugs and infrastructure.
/// </summary>
public sealed record Rejection(string Rule, string Message, string Location = "")
{
    /// <summary>Same rejection placed in a larger input (file line, batch position).</summary>
    public Rejection At(string outerLocation) =>
        this with { Location = Location.Length == 0 ? outerLocation : outerLocation + ", " + Location };

    /// <inheritdoc/>
    public override string ToString() =>
        Location.Length == 0 ? $"{Rule}: {Message}" : $"{Location}: {Rule}: {Message}";
}

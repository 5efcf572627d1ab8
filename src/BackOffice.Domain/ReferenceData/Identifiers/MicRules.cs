using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Standards;
using NodaTime.Text;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// ISO 10383 Market Identifier Code: four upper-case letters or digits that must be in the registry
/// SWIFT publishes (see <see cref="MicRegistry"/>). A MIC has no check digit; being well formed is
/// not enough. An expired MIC is rejected with its expiry date, because new trades must not name a
/// venue that no longer exists.
/// </summary>
/// <remarks>
/// Checks run in this order and the first failure is returned: empty, length 4, every character an
/// upper-case letter or digit, present in the registry, not expired. Active and Updated entries pass.
/// </remarks>
public static class MicRules
{
    /// <summary>The standard named in every reason.</summary>
    public const string Standard = "ISO 10383";

    /// <summary>Length of a MIC.</summary>
    public const int Length = 4;

    /// <summary>Checks a MIC against the shipped ISO 10383 registry; the reason names the first rule that failed.</summary>
    public static ValidationResult Validate(string value)
    {
        ValidationResult result = IdentifierText.CheckLength(Standard, value, Length);
        if (result.IsValid)
        {
            result = IdentifierText.CheckCharacters(Standard, value, 0, Length, IdentifierText.IsUpperAlphanumeric, "an upper-case letter or digit");
        }
        if (!result.IsValid)
        {
            return result;
        }
        if (!MicRegistry.TryGet(value, out MicEntry entry))
        {
            string snapshot = LocalDatePattern.Iso.Format(MicRegistry.SnapshotDate);
            return IdentifierText.Fail(Standard, $"'{value}' is not in the MIC registry (SWIFT publication of {snapshot})");
        }
        if (!entry.IsInUse)
        {
            string expired = entry.ExpiryDate is { } date ? LocalDatePattern.Iso.Format(date) : "an unknown date";
            return IdentifierText.Fail(Standard, $"MIC '{value}' ({entry.MarketName}) expired on {expired}");
        }
        return ValidationResult.Valid;
    }
}

using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.ReferenceData.Identifiers;

/// <summary>
/// A Business Identifier Code (ISO 9362) that has passed <see cref="BicRules.Validate"/>: the
/// address of a bank, custodian or other participant in settlement instructions. Only
/// <see cref="TryCreate"/> and <see cref="From"/> make one. The value is kept as given, 8 or 11
/// characters; <see cref="Bic11"/> gives the 11-character form with "XXX" for a head office, so
/// compare those when BIC8 and BIC11 spellings may meet. The default value is empty and is never valid.
/// </summary>
public readonly record struct Bic
{
    /// <summary>The branch code that means "head office", used to extend a BIC8 to eleven characters.</summary>
    public const string HeadOfficeBranch = "XXX";

    private readonly string? _value;

    private Bic(string value) => _value = value;

    /// <summary>The 8 or 11 characters, for example "DEUTDEFF" or "DEUTDEFF500"; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Characters 1-4: the party prefix (the institution).</summary>
    public string PartyPrefix => Value.Length >= BicRules.LengthWithoutBranch ? Value[..4] : string.Empty;

    /// <summary>Characters 5-6: the ISO 3166 country code.</summary>
    public string CountryCode => Value.Length >= BicRules.LengthWithoutBranch ? Value[4..6] : string.Empty;

    /// <summary>Characters 7-8: the party suffix (the location).</summary>
    public string PartySuffix => Value.Length >= BicRules.LengthWithoutBranch ? Value[6..8] : string.Empty;

    /// <summary>Characters 9-11: the branch code, "XXX" for a head office (also when the BIC has eight characters).</summary>
    public string BranchCode => Value.Length == BicRules.LengthWithBranch ? Value[8..] : HeadOfficeBranch;

    /// <summary>The eight-character form: the institution at its location, without a branch.</summary>
    public string Bic8 => Value.Length >= BicRules.LengthWithoutBranch ? Value[..BicRules.LengthWithoutBranch] : string.Empty;

    /// <summary>The eleven-character form, with "XXX" added for a BIC8.</summary>
    public string Bic11 => Value.Length == BicRules.LengthWithoutBranch ? Value + HeadOfficeBranch : Value;

    /// <summary>Makes a BIC when <paramref name="value"/> passes ISO 9362; otherwise the reason says which rule failed.</summary>
    public static bool TryCreate(string value, out Bic bic, out string reason)
    {
        ValidationResult result = BicRules.Validate(value);
        bic = result.IsValid ? new Bic(value) : default;
        reason = result.Reason;
        return result.IsValid;
    }

    /// <summary>Makes a BIC known to be valid; an invalid one is a bug and throws.</summary>
    public static Bic From(string value)
    {
        Invariant.That(TryCreate(value, out Bic bic, out string reason), reason);
        return bic;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}

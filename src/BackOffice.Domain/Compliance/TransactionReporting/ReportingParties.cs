using NodaTime;

namespace BackOffice.Domain.Compliance.TransactionReporting;

/// <summary>
/// How a natural person is identified in a MiFIR transaction report (RTS 22 Annex II): by the
/// national identifier their nationality's row of the annex names (a national identity number,
/// a passport number) or, where the annex says so or nothing else is held, the CONCAT code
/// (country, birth date, first five letters of the first name and of the surname).
/// </summary>
public enum PersonIdScheme
{
    /// <summary>A legal entity's LEI (ISO 17442): not a person at all.</summary>
    Lei = 1,

    /// <summary>A national identity number (NIDN).</summary>
    NationalId = 2,

    /// <summary>A passport number (CCPT).</summary>
    Passport = 3,

    /// <summary>The CONCAT code of RTS 22 Annex II.</summary>
    Concat = 4,
}

/// <summary>A person or an algorithm inside the firm (RTS 22 fields 57 to 60).</summary>
/// <param name="Algo">The algorithm's code, when an algorithm decided or executed; else null.</param>
/// <param name="PersonId">The person's national identifier, when a person did.</param>
/// <param name="Scheme">The scheme of <paramref name="PersonId"/>.</param>
/// <param name="Country">The country of the branch that supervises the person (fields 58 and 60).</param>
public sealed record WithinFirm(string? Algo, string? PersonId, PersonIdScheme Scheme, string? Country)
{
    /// <summary>An algorithm.</summary>
    public static WithinFirm Algorithm(string code) => new(code, null, PersonIdScheme.Concat, null);

    /// <summary>A person of a branch in <paramref name="country"/>.</summary>
    public static WithinFirm Person(string id, PersonIdScheme scheme, string country) => new(null, id, scheme, country);

    /// <summary>Reads the reference-data form: <c>ALGO:code</c>, or <c>CONCAT|NIDN|CCPT:id@CC</c> (CC the branch's country).</summary>
    public static bool TryParse(string text, out WithinFirm? value, out string reason)
    {
        value = null;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            reason = $"'{text}' is not ALGO:code or CONCAT|NIDN|CCPT:id@country";
            return false;
        }
        string kind = text[..colon].Trim().ToUpperInvariant();
        string rest = text[(colon + 1)..].Trim();
        if (kind == "ALGO")
        {
            if (rest.Length > 50)
            {
                reason = $"the algorithm code '{rest}' is longer than 50 characters";
                return false;
            }
            value = Algorithm(rest);
            reason = "";
            return true;
        }
        PersonIdScheme? scheme = kind switch
        {
            "CONCAT" => PersonIdScheme.Concat,
            "NIDN" => PersonIdScheme.NationalId,
            "CCPT" => PersonIdScheme.Passport,
            _ => null,
        };
        int at = rest.LastIndexOf('@');
        if (scheme is null || at <= 0 || rest.Length - at - 1 != 2)
        {
            reason = $"'{text}' is not ALGO:code or CONCAT|NIDN|CCPT:id@country (a two-letter country of the supervising branch)";
            return false;
        }
        string id = rest[..at];
        if (id.Length > 35)
        {
            reason = $"the identifier '{id}' is longer than 35 characters";
            return false;
        }
        value = Person(id, scheme.Value, rest[(at + 1)..].ToUpperInvariant());
        reason = "";
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Algo is not null ? "ALGO:" + Algo : $"{MifirCodes.Scheme(Scheme)}:{PersonId}@{Country}";
}

/// <summary>
/// The firm as a MiFIR reporter: the executing entity (field 4) and the entity that submits the
/// reports (field 6, itself or an approved reporting mechanism), the country of the branch whose
/// membership of the venue it uses (field 37) and that receives client orders (fields 8 and 17),
/// who decides on the firm's own-account trades (57/58) and who executes (59/60), and the first
/// trade date it reports (earlier trades are out of scope: the go-live date).
/// </summary>
public sealed record MifirFirm(string ExecutingEntityLei, string SubmittingEntityLei, string BranchCountry, WithinFirm? InvestmentDecision, WithinFirm Execution,
    LocalDate ReportingFrom);

/// <summary>
/// How one client account is identified as buyer or seller (fields 7 to 15 and 16 to 24). An
/// account with no such row is identified by its holder's LEI from the party master.
/// </summary>
/// <param name="Account">The client account code.</param>
/// <param name="Scheme">LEI for a legal entity; a national scheme for a natural person.</param>
/// <param name="Id">The identifier in <paramref name="Scheme"/>.</param>
/// <param name="FirstName">A person's first name(s) (fields 9 and 18).</param>
/// <param name="Surname">A person's surname(s) (fields 10 and 19).</param>
/// <param name="BirthDate">A person's date of birth (fields 11 and 20).</param>
/// <param name="BranchCountry">The branch that received the client's order, when not the firm's default.</param>
/// <param name="DecisionMakerLei">An entity that decides for the client under a mandate (field 12 and 21), or null.</param>
/// <param name="Discretionary">True when the firm decides for the client (a discretionary mandate): field 57 is then the firm's.</param>
public sealed record MifirClient(string Account, PersonIdScheme Scheme, string Id, string? FirstName, string? Surname, LocalDate? BirthDate,
    string? BranchCountry, string? DecisionMakerLei, bool Discretionary);

/// <summary>The codes RTS 22 and the auth.016 schema use.</summary>
public static class MifirCodes
{
    /// <summary>The scheme name written in a person's identification.</summary>
    public static string Scheme(PersonIdScheme scheme) => scheme switch
    {
        PersonIdScheme.NationalId => "NIDN",
        PersonIdScheme.Passport => "CCPT",
        PersonIdScheme.Concat => "CONCAT",
        _ => "LEI",
    };

    /// <summary>The trading capacity's code (field 29): DEAL, MTCH or AOTC.</summary>
    public static string Capacity(TradingCapacity capacity) => capacity switch
    {
        TradingCapacity.Dealing => "DEAL",
        TradingCapacity.MatchedPrincipal => "MTCH",
        _ => "AOTC",
    };

    /// <summary>Reads LEI, NIDN, CCPT or CONCAT.</summary>
    public static PersonIdScheme? ParseScheme(string text) => text.Trim().ToUpperInvariant() switch
    {
        "LEI" => PersonIdScheme.Lei,
        "NIDN" => PersonIdScheme.NationalId,
        "CCPT" => PersonIdScheme.Passport,
        "CONCAT" => PersonIdScheme.Concat,
        _ => null,
    };

    /// <summary>
    /// The member states of the European Economic Area by ISO 3166 code: a firm's trade in an
    /// instrument listed, or executed, on a venue in one of them is reportable.
    /// </summary>
    public static readonly IReadOnlySet<string> EeaCountries = new HashSet<string>(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO",
        "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    };

    /// <summary>
    /// The CONCAT code of RTS 22 Annex II: the nationality's country code, the birth date as
    /// YYYYMMDD, then the first five letters of the first name and of the surname, upper case,
    /// without accents, apostrophes, hyphens or spaces, each padded with '#' to five; prefixes
    /// such as "van", "de" and "von" are dropped from the surname.
    /// </summary>
    public static string Concat(string country, LocalDate birthDate, string firstName, string surname)
    {
        return country.ToUpperInvariant() + birthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
            + Five(FirstOf(firstName)) + Five(WithoutPrefixes(surname));

        static string FirstOf(string names) => names.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } parts ? parts[0] : "";

        static string WithoutPrefixes(string surname)
        {
            string[] prefixes = ["am", "auf", "aus", "bei", "d'", "da", "de", "de l'", "del", "dela", "de le", "di", "do", "dos", "du", "im", "la", "le",
                "mac", "mc", "mhac", "mhíc", "mhic giolla", "mic", "ni", "ní", "níc", "o'", "ó", "ua", "ui", "uí", "van", "van de", "van den", "van der",
                "vom", "von", "von dem", "von den", "von der"];
            string text = surname.Trim();
            bool removed = true;
            while (removed)
            {
                removed = false;
                foreach (string prefix in prefixes.OrderByDescending(p => p.Length))
                {
                    bool apostrophe = prefix.EndsWith('\'');
                    string withGap = apostrophe ? prefix : prefix + " ";
                    if (text.Length > withGap.Length && text.StartsWith(withGap, StringComparison.OrdinalIgnoreCase))
                    {
                        text = text[withGap.Length..].TrimStart();
                        removed = true;
                        break;
                    }
                }
            }
            return text;
        }

        static string Five(string name)
        {
            var letters = new System.Text.StringBuilder(5);
            foreach (char c in name)
            {
                if (letters.Length == 5)
                {
                    break;
                }
                char plain = NameNormalizer.Unaccent(c);
                if (char.IsAsciiLetterLower(plain))
                {
                    letters.Append(char.ToUpperInvariant(plain));
                }
            }
            return letters.ToString().PadRight(5, '#');
        }
    }
}

using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Compliance;

/// <summary>What a sanctions list entry designates. OFAC's SDN_Type column: blank means an entity.</summary>
public enum SanctionsEntryType
{
    /// <summary>A person. OFAC writes the name "LAST, First Middle".</summary>
    Individual = 1,

    /// <summary>A company, organisation, government body or group: every entry that is not one of the others.</summary>
    Entity = 2,

    /// <summary>A ship, named as registered; its call sign, flag and owner are in <see cref="SanctionsVessel"/>.</summary>
    Vessel = 3,

    /// <summary>An aircraft, named by its registration mark (for example "EP-PUS").</summary>
    Aircraft = 4,
}

/// <summary>How an alias relates to the entry's primary name (OFAC's alt_type).</summary>
public enum AliasType
{
    /// <summary>"aka": also known as, a name in current use beside the primary name.</summary>
    AlsoKnownAs = 1,

    /// <summary>"fka": formerly known as, a name the entry used before.</summary>
    FormerlyKnownAs = 2,

    /// <summary>"nka": now known as, the name the entry uses today.</summary>
    NowKnownAs = 3,
}

/// <summary>
/// OFAC's qualitative grading of an alias. A weak alias is a broad or generic name (a nickname, a
/// common acronym) that OFAC lists for confirming a hit found by other means, and does not expect
/// firms to screen for. The legacy CSV files give the strong aliases in alt.csv and the weak ones
/// only inside the entry's remarks, between single quotes after "a.k.a.".
/// </summary>
public enum AliasStrength
{
    /// <summary>An alias listed in its own right (alt.csv): screened like the primary name.</summary>
    Strong = 1,

    /// <summary>An alias quoted in the remarks: screened only for an exact match of the whole name.</summary>
    Weak = 2,
}

/// <summary>
/// Another name of a list entry. <paramref name="AliasId"/> is OFAC's alt_num (null for a weak alias
/// read from the remarks, which has none); <paramref name="Remarks"/> is the alias's own remark, if any.
/// </summary>
public sealed record SanctionsAlias(long? AliasId, AliasType Type, string Name, AliasStrength Strength, string? Remarks);

/// <summary>
/// An address of a list entry (OFAC's add.csv). Every part is optional: many entries give only a
/// country. <paramref name="CityStateProvincePostalCode"/> is one field in OFAC's layout ("Moscow
/// 123317", "Miami, FL 33130"), kept as written.
/// </summary>
public sealed record SanctionsAddress(long AddressId, string? Street, string? CityStateProvincePostalCode, string? Country, string? Remarks);

/// <summary>The vessel details OFAC gives for a ship (and sometimes an aircraft): each optional, as written.</summary>
public sealed record SanctionsVessel(string? CallSign, string? VesselType, string? Tonnage, string? GrossRegisteredTonnage, string? Flag, string? Owner);

/// <summary>
/// One designation on a sanctions list: a person, entity, vessel or aircraft under one or more
/// sanctions programs. <see cref="Uid"/> is the list's own identifier (OFAC's ent_num), stable from one
/// list version to the next, and the key by which versions are compared. Equality compares every field,
/// lists by their content, so two versions of an entry are equal only when nothing in them changed.
/// </summary>
/// <param name="Uid">The list's identifier for the entry (OFAC's ent_num), positive.</param>
/// <param name="Name">The primary name, as written ("KHOROSHEV, Dmitry Yuryevich").</param>
/// <param name="Type">Individual, entity, vessel or aircraft.</param>
/// <param name="Programs">The sanctions programs ("CYBER2", "SDGT"), in the list's order.</param>
/// <param name="Title">The individual's title or position, if given.</param>
/// <param name="Vessel">Vessel details, or null when the list gives none.</param>
/// <param name="Remarks">Everything else the list says (dates of birth, identifiers, links), continued remarks joined on.</param>
/// <param name="Aliases">Strong aliases in the list's order, then weak aliases in the order the remarks quote them.</param>
/// <param name="Addresses">Addresses in the list's order.</param>
public sealed record SanctionsEntry(
    long Uid,
    string Name,
    SanctionsEntryType Type,
    IReadOnlyList<string> Programs,
    string? Title,
    SanctionsVessel? Vessel,
    string? Remarks,
    IReadOnlyList<SanctionsAlias> Aliases,
    IReadOnlyList<SanctionsAddress> Addresses)
{
    /// <summary>True when every field is equal, the lists element by element.</summary>
    public bool Equals(SanctionsEntry? other) =>
        other is not null
        && Uid == other.Uid
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Type == other.Type
        && Programs.SequenceEqual(other.Programs, StringComparer.Ordinal)
        && string.Equals(Title, other.Title, StringComparison.Ordinal)
        && Equals(Vessel, other.Vessel)
        && string.Equals(Remarks, other.Remarks, StringComparison.Ordinal)
        && Aliases.SequenceEqual(other.Aliases)
        && Addresses.SequenceEqual(other.Addresses);

    /// <summary>A hash of the identifying fields (uid, name, type), consistent with <see cref="Equals(SanctionsEntry?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Uid, Name, Type);
}

/// <summary>
/// One published version of a sanctions list: its entries, in uid order, with the version and the
/// publication date the publisher gives. Every screening decision keeps the version and date of the
/// list it was taken against, so it can be shown later which list a name was cleared on. The legacy
/// OFAC CSV files carry neither: the importer is told them.
/// </summary>
public sealed class SanctionsList
{
    private readonly Dictionary<long, SanctionsEntry> _byUid;

    private SanctionsList(string version, LocalDate publishedOn, SanctionsEntry[] entries)
    {
        Version = version;
        PublishedOn = publishedOn;
        Entries = entries;
        _byUid = entries.ToDictionary(e => e.Uid);
    }

    /// <summary>Longest version label accepted.</summary>
    public const int VersionLengthMax = 64;

    /// <summary>The publisher's version label (for OFAC, the publication's identifier or its date and time).</summary>
    public string Version { get; }

    /// <summary>The date the publisher published this version.</summary>
    public LocalDate PublishedOn { get; }

    /// <summary>The entries in ascending uid order.</summary>
    public IReadOnlyList<SanctionsEntry> Entries { get; }

    /// <summary>The entry with <paramref name="uid"/>, or null.</summary>
    public SanctionsEntry? Find(long uid) => _byUid.GetValueOrDefault(uid);

    /// <summary>
    /// The list of <paramref name="entries"/> (in any order; kept in uid order). Refused: an empty or
    /// over-long version (<c>sanctions.version</c>), a uid that is not positive (<c>sanctions.uid</c>), an
    /// entry without a name (<c>sanctions.name-required</c>), or two entries with one uid (<c>sanctions.duplicate-uid</c>).
    /// </summary>
    public static Result<SanctionsList> Create(string version, LocalDate publishedOn, IEnumerable<SanctionsEntry> entries)
    {
        if (string.IsNullOrWhiteSpace(version) || version.Length > VersionLengthMax)
        {
            return new Rejection("sanctions.version", $"the list version must be 1 to {VersionLengthMax} characters, not '{version}'");
        }
        SanctionsEntry[] sorted = entries.OrderBy(e => e.Uid).ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            SanctionsEntry entry = sorted[i];
            if (entry.Uid <= 0)
            {
                return new Rejection("sanctions.uid", $"an entry's uid must be positive, not {entry.Uid}", $"entry {entry.Uid}");
            }
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                return new Rejection("sanctions.name-required", "an entry must have a name", $"entry {entry.Uid}");
            }
            if (i > 0 && sorted[i - 1].Uid == entry.Uid)
            {
                return new Rejection("sanctions.duplicate-uid", $"two entries have uid {entry.Uid}", $"entry {entry.Uid}");
            }
        }
        return new SanctionsList(version.Trim(), publishedOn, sorted);
    }
}

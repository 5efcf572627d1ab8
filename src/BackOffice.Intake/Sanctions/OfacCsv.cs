using System.Globalization;
using System.Text;
using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Csv;
using NodaTime;

namespace BackOffice.Intake.Sanctions;

/// <summary>One of the four files of an OFAC list in the legacy CSV layout: its name (for messages) and its bytes (UTF-8).</summary>
public sealed record OfacCsvFile(string Name, Stream Content)
{
    /// <summary>A file given as text, for tests and for callers that already hold it.</summary>
    public static OfacCsvFile FromText(string name, string text) => new(name, new MemoryStream(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// The four files of one OFAC list publication: sdn.csv (the entries), alt.csv (their aliases), add.csv
/// (their addresses) and sdn_comments.csv (remarks too long for sdn.csv). The consolidated non-SDN list
/// has the same layout under other names (cons_prim.csv, cons_alt.csv, cons_add.csv, cons_comments.csv).
/// A file with no rows is allowed.
/// </summary>
public sealed record OfacCsvFiles(OfacCsvFile Sdn, OfacCsvFile Alt, OfacCsvFile Add, OfacCsvFile Comments);

/// <summary>What an orphan row would have added to its entry.</summary>
public enum OfacOrphanKind
{
    /// <summary>An alias (alt.csv).</summary>
    Alias = 1,

    /// <summary>An address (add.csv).</summary>
    Address = 2,

    /// <summary>A continuation of the remarks (sdn_comments.csv).</summary>
    Remarks = 3,
}

/// <summary>
/// A row of alt.csv, add.csv or sdn_comments.csv whose ent_num has no entry in sdn.csv: where it is, the uid
/// it names, and its text (the alias name, the address, or the remarks), so it can be reported.
/// </summary>
public sealed record OfacOrphan(string File, int Line, long Uid, OfacOrphanKind Kind, string Text);

/// <summary>The list read from the files, and the orphan rows set aside while reading it.</summary>
public sealed record OfacImport(SanctionsList List, IReadOnlyList<OfacOrphan> Orphans);

/// <summary>
/// Reads OFAC's legacy delimited files (docs/reference/screening.md, "The list files") into a
/// <see cref="SanctionsList"/>. The files have no header row, quote their text fields, and write an empty
/// field as <c>-0-</c> (often followed by a space). The list's version and publication date are not in
/// the files: OFAC publishes them beside the files, and the caller passes them in.
/// <para>
/// Orphan rows (an alias, address or remarks continuation whose ent_num is not in sdn.csv) are set aside
/// and returned in <see cref="OfacImport.Orphans"/>, not refused: OFAC's own files should have none, but
/// excerpts made for tests do, and one stray child row says nothing against the entries that are there.
/// The caller reports them. Anything else wrong refuses the whole import, naming the rule, the file, the
/// line and the field.
/// </para>
/// </summary>
public static class OfacCsv
{
    /// <summary>Most rows one file may have (the SDN list has about 18,000 entries and 20,000 aliases).</summary>
    public const int RowsMax = 1_000_000;

    /// <summary>Columns of sdn.csv (and cons_prim.csv), in order, as OFAC names them.</summary>
    public static readonly string[] SdnColumns =
        ["ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"];

    /// <summary>Columns of alt.csv, in order.</summary>
    public static readonly string[] AltColumns = ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"];

    /// <summary>Columns of add.csv, in order.</summary>
    public static readonly string[] AddColumns = ["ent_num", "add_num", "address", "city_state_province_postal_code", "country", "add_remarks"];

    /// <summary>Columns of sdn_comments.csv, in order.</summary>
    public static readonly string[] CommentsColumns = ["ent_num", "remarks_extended"];

    private const string Null = "-0-";

    /// <summary>
    /// The list in <paramref name="files"/>, as version <paramref name="version"/> published on
    /// <paramref name="publishedOn"/>. The streams are read to their end and closed. Refused, with the
    /// file, line and field: malformed CSV (<c>csv.syntax</c>), a row with the wrong number of fields
    /// (<c>csv.field-count</c>), too many rows (<c>csv.too-many-rows</c>), an ent_num, alt_num or add_num
    /// that is not a positive whole number (<c>field.integer</c>), a missing name (<c>field.required</c>), an
    /// unknown SDN_Type or alt_type (<c>field.enumeration</c>), an ent_num, alt_num or add_num given twice
    /// (<c>ofac.duplicate</c>); and a bad version (<c>sanctions.version</c>).
    /// </summary>
    public static Result<OfacImport> Read(OfacCsvFiles files, string version, LocalDate publishedOn)
    {
        Result<List<Row>> sdn = Rows(files.Sdn, SdnColumns);
        Result<List<Row>> alt = Rows(files.Alt, AltColumns);
        Result<List<Row>> add = Rows(files.Add, AddColumns);
        Result<List<Row>> comments = Rows(files.Comments, CommentsColumns);
        foreach (Rejection? rejection in new[] { sdn.Rejection, alt.Rejection, add.Rejection, comments.Rejection })
        {
            if (rejection is not null)
            {
                return rejection;
            }
        }
        Result<Dictionary<long, EntryParts>> entries = Entries(sdn.Value);
        if (entries.Rejection is { } badEntry)
        {
            return badEntry;
        }
        var orphans = new List<OfacOrphan>();
        Rejection? child = Aliases(alt.Value, entries.Value, orphans) ?? Addresses(add.Value, entries.Value, orphans) ?? Comments(comments.Value, entries.Value, orphans);
        if (child is not null)
        {
            return child;
        }
        Result<SanctionsList> list = SanctionsList.Create(version, publishedOn, entries.Value.Values.Select(e => e.ToEntry()));
        if (list.Rejection is { } badList)
        {
            return badList;
        }
        return new OfacImport(list.Value, orphans.OrderBy(o => o.File, StringComparer.Ordinal).ThenBy(o => o.Line).ToList());
    }

    private static Result<Dictionary<long, EntryParts>> Entries(List<Row> rows)
    {
        var entries = new Dictionary<long, EntryParts>();
        foreach (Row row in rows)
        {
            Result<long> uid = Id(row, 0);
            if (uid.Rejection is { } badUid)
            {
                return badUid;
            }
            if (Text(row, 1) is not { } name)
            {
                return row.Bad(1, "field.required", "SDN_Name is required: an entry without a name cannot be screened");
            }
            SanctionsEntryType? type = Text(row, 2)?.ToUpperInvariant() switch
            {
                null => SanctionsEntryType.Entity,
                "INDIVIDUAL" => SanctionsEntryType.Individual,
                "VESSEL" => SanctionsEntryType.Vessel,
                "AIRCRAFT" => SanctionsEntryType.Aircraft,
                _ => null,
            };
            if (type is null)
            {
                return row.Bad(2, "field.enumeration", $"SDN_Type must be individual, vessel, aircraft or -0- (an entity), not '{row.Fields[2].Trim()}'");
            }
            string?[] vessel = [Text(row, 5), Text(row, 6), Text(row, 7), Text(row, 8), Text(row, 9), Text(row, 10)];
            var parts = new EntryParts(uid.Value, name, type.Value, Programs(Text(row, 3)), Text(row, 4),
                vessel.Any(v => v is not null) ? new SanctionsVessel(vessel[0], vessel[1], vessel[2], vessel[3], vessel[4], vessel[5]) : null,
                new StringBuilder(Text(row, 11) ?? ""));
            if (!entries.TryAdd(uid.Value, parts))
            {
                return row.Bad(0, "ofac.duplicate", $"ent_num {uid.Value} appears twice in {row.File}");
            }
        }
        return entries;
    }

    private static Rejection? Aliases(List<Row> rows, Dictionary<long, EntryParts> entries, List<OfacOrphan> orphans)
    {
        var seen = new HashSet<long>();
        foreach (Row row in rows)
        {
            Result<long> uid = Id(row, 0), aliasId = Id(row, 1);
            if ((uid.Rejection ?? aliasId.Rejection) is { } badId)
            {
                return badId;
            }
            AliasType? type = Text(row, 2)?.ToUpperInvariant() switch
            {
                "AKA" => AliasType.AlsoKnownAs,
                "FKA" => AliasType.FormerlyKnownAs,
                "NKA" => AliasType.NowKnownAs,
                _ => null,
            };
            if (type is null)
            {
                return row.Bad(2, "field.enumeration", $"alt_type must be aka, fka or nka, not '{row.Fields[2].Trim()}'");
            }
            if (Text(row, 3) is not { } name)
            {
                return row.Bad(3, "field.required", "alt_name is required: an alias without a name cannot be screened");
            }
            if (!seen.Add(aliasId.Value))
            {
                return row.Bad(1, "ofac.duplicate", $"alt_num {aliasId.Value} appears twice in {row.File}");
            }
            if (!entries.TryGetValue(uid.Value, out EntryParts? entry))
            {
                orphans.Add(new OfacOrphan(row.File, row.Line, uid.Value, OfacOrphanKind.Alias, name));
                continue;
            }
            entry.Aliases.Add(new SanctionsAlias(aliasId.Value, type.Value, name, AliasStrength.Strong, Text(row, 4)));
        }
        return null;
    }

    private static Rejection? Addresses(List<Row> rows, Dictionary<long, EntryParts> entries, List<OfacOrphan> orphans)
    {
        var seen = new HashSet<long>();
        foreach (Row row in rows)
        {
            Result<long> uid = Id(row, 0), addressId = Id(row, 1);
            if ((uid.Rejection ?? addressId.Rejection) is { } badId)
            {
                return badId;
            }
            if (!seen.Add(addressId.Value))
            {
                return row.Bad(1, "ofac.duplicate", $"add_num {addressId.Value} appears twice in {row.File}");
            }
            var address = new SanctionsAddress(addressId.Value, Text(row, 2), Text(row, 3), Text(row, 4), Text(row, 5));
            if (!entries.TryGetValue(uid.Value, out EntryParts? entry))
            {
                string text = string.Join(", ", new[] { address.Street, address.CityStateProvincePostalCode, address.Country }.Where(p => p is not null));
                orphans.Add(new OfacOrphan(row.File, row.Line, uid.Value, OfacOrphanKind.Address, text));
                continue;
            }
            entry.Addresses.Add(address);
        }
        return null;
    }

    private static Rejection? Comments(List<Row> rows, Dictionary<long, EntryParts> entries, List<OfacOrphan> orphans)
    {
        foreach (Row row in rows)
        {
            Result<long> uid = Id(row, 0);
            if (uid.Rejection is { } badUid)
            {
                return badUid;
            }
            string text = Text(row, 1) ?? "";
            if (!entries.TryGetValue(uid.Value, out EntryParts? entry))
            {
                orphans.Add(new OfacOrphan(row.File, row.Line, uid.Value, OfacOrphanKind.Remarks, text));
                continue;
            }
            // OFAC cuts an over-long remark at a fixed length, even inside a word: the rest joins on directly.
            entry.Remarks.Append(text);
        }
        return null;
    }

    /// <summary>The records of one file, each with its line; blank lines (and a final end-of-file mark, Ctrl-Z) skipped.</summary>
    private static Result<List<Row>> Rows(OfacCsvFile file, string[] columns)
    {
        var rows = new List<Row>();
        using var csv = new CsvStream(file.Content);
        foreach (CsvRecord record in csv.Records())
        {
            string where = $"{file.Name}:{record.Line.ToString(CultureInfo.InvariantCulture)}";
            if (record.Error is { } error)
            {
                return new Rejection("csv.syntax", error, where);
            }
            if (record.Fields is [var only] && only.Trim().Trim('\u001A').Length == 0)
            {
                continue;
            }
            if (record.Fields.Length != columns.Length)
            {
                return new Rejection("csv.field-count",
                    $"{record.Fields.Length} fields where {file.Name} has {columns.Length} ({string.Join(", ", columns)}), and no header row", where);
            }
            if (rows.Count == RowsMax)
            {
                return new Rejection("csv.too-many-rows", $"more than {RowsMax} rows", where);
            }
            rows.Add(new Row(file.Name, record.Line, record.Fields, columns));
        }
        return rows;
    }

    /// <summary>The field at <paramref name="index"/> trimmed, or null when it is empty or <c>-0-</c>.</summary>
    private static string? Text(Row row, int index)
    {
        string text = row.Fields[index].Trim();
        return text.Length == 0 || text == Null ? null : text;
    }

    private static Result<long> Id(Row row, int index)
    {
        string text = row.Fields[index].Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long id) && id > 0
            ? id
            : row.Bad(index, "field.integer", $"{row.Columns[index]} must be a positive whole number, not '{text}'");
    }

    /// <summary>The programs of a Program field: OFAC joins several as "A] [B".</summary>
    private static string[] Programs(string? field) => field is null
        ? []
        : field.Split("] [", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Trim('[', ']', ' '))
            .Where(p => p.Length > 0)
            .ToArray();

    /// <summary>
    /// The weak aliases quoted in an entry's remarks: "a.k.a. 'HESA'", and likewise "f.k.a." and "n.k.a.".
    /// The closing quote is the one followed by a semicolon, a period, a comma or the end, so an apostrophe
    /// inside the name ("'D'S MARKET'") stays in it.
    /// </summary>
    internal static IEnumerable<SanctionsAlias> WeakAliases(string remarks)
    {
        (string Marker, AliasType Type)[] markers = [("a.k.a. '", AliasType.AlsoKnownAs), ("f.k.a. '", AliasType.FormerlyKnownAs), ("n.k.a. '", AliasType.NowKnownAs)];
        var found = new List<(int At, SanctionsAlias Alias)>();
        foreach ((string marker, AliasType type) in markers)
        {
            for (int at = remarks.IndexOf(marker, StringComparison.OrdinalIgnoreCase); at >= 0; at = remarks.IndexOf(marker, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                int start = at + marker.Length;
                int end = start;
                while ((end = remarks.IndexOf('\'', end)) >= 0 && end + 1 < remarks.Length && remarks[end + 1] is not (';' or '.' or ','))
                {
                    end++;
                }
                if (end > start)
                {
                    found.Add((at, new SanctionsAlias(null, type, remarks[start..end].Trim(), AliasStrength.Weak, null)));
                }
            }
        }
        return found.OrderBy(f => f.At).Select(f => f.Alias);
    }

    /// <summary>One record of a file: where it is, its fields, and how to refuse one of them.</summary>
    private sealed record Row(string File, int Line, string[] Fields, string[] Columns)
    {
        public Rejection Bad(int index, string rule, string message) =>
            new(rule, message, $"{File}:{Line.ToString(CultureInfo.InvariantCulture)}, field {Columns[index]}");
    }

    /// <summary>An entry being put together from the four files.</summary>
    private sealed record EntryParts(
        long Uid, string Name, SanctionsEntryType Type, string[] Programs, string? Title, SanctionsVessel? Vessel, StringBuilder Remarks)
    {
        public List<SanctionsAlias> Aliases { get; } = [];

        public List<SanctionsAddress> Addresses { get; } = [];

        public SanctionsEntry ToEntry()
        {
            string? remarks = Remarks.Length == 0 ? null : Remarks.ToString();
            SanctionsAlias[] aliases = [.. Aliases, .. remarks is null ? [] : WeakAliases(remarks)];
            return new SanctionsEntry(Uid, Name, Type, Programs, Title, Vessel, remarks, aliases, [.. Addresses]);
        }
    }
}

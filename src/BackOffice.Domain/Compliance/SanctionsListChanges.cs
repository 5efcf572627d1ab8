using NodaTime;

namespace BackOffice.Domain.Compliance;

/// <summary>
/// One entry present in both versions of a list with something changed. <paramref name="ChangedFields"/>
/// names what changed, in a fixed order: name, type, programs, title, vessel, remarks, aliases, addresses.
/// <paramref name="NamesChanged"/> is true when the change can alter who matches the entry: its name, its
/// type, or the names or strength of its aliases.
/// </summary>
public sealed record SanctionsEntryChange(SanctionsEntry Before, SanctionsEntry After, IReadOnlyList<string> ChangedFields, bool NamesChanged);

/// <summary>
/// What changed from one version of a sanctions list to the next, entry by entry (by uid): entries
/// added, removed and changed, each list in uid order.
/// <para>
/// After a list update only what changed needs screening: every one of our names is screened against
/// <see cref="ToRescreen()"/> (the entries added and those whose names changed), not against the whole list.
/// A name that cleared the earlier version cannot hit an entry that did not change, and a hit on a removed
/// entry no longer stands. Changes to remarks, programs or addresses do not change who matches, but
/// open alerts on those entries should show the new details.
/// </para>
/// </summary>
public sealed record SanctionsListChanges(
    string FromVersion,
    LocalDate FromPublishedOn,
    string ToVersion,
    LocalDate ToPublishedOn,
    IReadOnlyList<SanctionsEntry> Added,
    IReadOnlyList<SanctionsEntry> Removed,
    IReadOnlyList<SanctionsEntryChange> Changed,
    int UnchangedCount)
{
    /// <summary>
    /// The entries every name must be screened against again: those added and those whose names changed,
    /// as they are in the newer version, under its version and date (so hits record the newer list).
    /// </summary>
    public SanctionsList ToRescreen() => SanctionsList.Create(ToVersion, ToPublishedOn,
        Added.Concat(Changed.Where(c => c.NamesChanged).Select(c => c.After))).Value;

    /// <summary>True when the two versions hold the same entries, field for field.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    /// <summary>The changes from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static SanctionsListChanges Between(SanctionsList from, SanctionsList to)
    {
        var added = new List<SanctionsEntry>();
        var changed = new List<SanctionsEntryChange>();
        int unchanged = 0;
        foreach (SanctionsEntry after in to.Entries)
        {
            if (from.Find(after.Uid) is not { } before)
            {
                added.Add(after);
            }
            else if (!before.Equals(after))
            {
                changed.Add(Change(before, after));
            }
            else
            {
                unchanged++;
            }
        }
        SanctionsEntry[] removed = from.Entries.Where(e => to.Find(e.Uid) is null).ToArray();
        return new SanctionsListChanges(from.Version, from.PublishedOn, to.Version, to.PublishedOn, added, removed, changed, unchanged);
    }

    private static SanctionsEntryChange Change(SanctionsEntry before, SanctionsEntry after)
    {
        var fields = new List<string>();
        bool name = !string.Equals(before.Name, after.Name, StringComparison.Ordinal);
        bool type = before.Type != after.Type;
        bool aliasNames = !before.Aliases.Select(a => (a.Name, a.Strength)).SequenceEqual(after.Aliases.Select(a => (a.Name, a.Strength)));
        Note(fields, "name", name);
        Note(fields, "type", type);
        Note(fields, "programs", !before.Programs.SequenceEqual(after.Programs, StringComparer.Ordinal));
        Note(fields, "title", !string.Equals(before.Title, after.Title, StringComparison.Ordinal));
        Note(fields, "vessel", !Equals(before.Vessel, after.Vessel));
        Note(fields, "remarks", !string.Equals(before.Remarks, after.Remarks, StringComparison.Ordinal));
        Note(fields, "aliases", !before.Aliases.SequenceEqual(after.Aliases));
        Note(fields, "addresses", !before.Addresses.SequenceEqual(after.Addresses));
        return new SanctionsEntryChange(before, after, fields, name || type || aliasNames);
    }

    private static void Note(List<string> fields, string field, bool changed)
    {
        if (changed)
        {
            fields.Add(field);
        }
    }
}

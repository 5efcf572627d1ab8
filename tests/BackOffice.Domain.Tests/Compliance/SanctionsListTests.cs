using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Domain.Tests.Compliance;

/// <summary>
/// A list version (its entries in uid order, refused when malformed), entry equality, and the changes from
/// one version to the next: what was added, removed and changed, and which entries every name must be
/// screened against again.
/// </summary>
public sealed class SanctionsListTests
{
    private static readonly LocalDate March2 = new(2026, 3, 2), March9 = new(2026, 3, 9);

    private static SanctionsEntry Entry(long uid, string name, params string[] aliases) =>
        new(uid, name, SanctionsEntryType.Entity, ["SDGT"], null, null, "remark", [.. aliases.Select((a, i) => new SanctionsAlias(uid * 10 + i, AliasType.AlsoKnownAs, a, AliasStrength.Strong, null))],
            [new SanctionsAddress(uid * 100, null, "Tehran", "Iran", null)]);

    private static SanctionsList List(string version, LocalDate date, params SanctionsEntry[] entries) => SanctionsList.Create(version, date, entries).Value;

    [Fact]
    public void A_list_keeps_its_version_date_and_entries_in_uid_order()
    {
        SanctionsList list = List(" 2026-03-02.1 ", March2, Entry(30, "C"), Entry(10, "A"), Entry(20, "B"));
        Assert.Equal(("2026-03-02.1", March2), (list.Version, list.PublishedOn));
        Assert.Equal([10L, 20L, 30L], list.Entries.Select(e => e.Uid));
        Assert.Equal("B", list.Find(20)?.Name);
        Assert.Null(list.Find(40));
    }

    [Theory]
    [InlineData("", 1, "A", "sanctions.version")]
    [InlineData("v1", 0, "A", "sanctions.uid")]
    [InlineData("v1", 1, " ", "sanctions.name-required")]
    public void A_malformed_list_is_refused(string version, long uid, string name, string rule)
    {
        Result<SanctionsList> list = SanctionsList.Create(version, March2, [Entry(uid, name)]);
        Assert.Equal(rule, list.Rejection?.Rule);
    }

    [Fact]
    public void Two_entries_with_one_uid_are_refused()
    {
        Rejection? rejection = SanctionsList.Create("v1", March2, [Entry(7, "A"), Entry(7, "B")]).Rejection;
        Assert.Equal(("sanctions.duplicate-uid", "entry 7"), (rejection?.Rule, rejection?.Location));
        Assert.Equal("sanctions.version", SanctionsList.Create(new string('v', SanctionsList.VersionLengthMax + 1), March2, []).Rejection?.Rule);
    }

    [Fact]
    public void Entries_are_equal_when_every_field_is_list_contents_included()
    {
        Assert.Equal(Entry(1, "A", "B"), Entry(1, "A", "B"));
        Assert.Equal(Entry(1, "A", "B").GetHashCode(), Entry(1, "A", "B").GetHashCode());
        Assert.NotEqual(Entry(1, "A", "B"), Entry(1, "A", "C"));
        Assert.NotEqual(Entry(1, "A"), Entry(1, "A") with { Programs = ["SDGT", "IFSR"] });
        Assert.NotEqual(Entry(1, "A"), Entry(1, "A") with { Remarks = null });
        Assert.NotEqual(Entry(1, "A"), Entry(1, "A") with { Vessel = new SanctionsVessel(null, null, null, null, "Panama", null) });
    }

    [Fact]
    public void Changes_name_entries_added_removed_and_changed_by_uid()
    {
        SanctionsList before = List("v1", March2, Entry(1, "ONE"), Entry(2, "TWO"), Entry(3, "THREE"), Entry(4, "FOUR", "QUATRE"));
        SanctionsList after = List("v2", March9, Entry(1, "ONE"), Entry(3, "THREE") with { Remarks = "new remark" }, Entry(4, "FOUR", "VIER"), Entry(5, "FIVE"));

        SanctionsListChanges changes = SanctionsListChanges.Between(before, after);

        Assert.Equal(("v1", March2, "v2", March9), (changes.FromVersion, changes.FromPublishedOn, changes.ToVersion, changes.ToPublishedOn));
        Assert.Equal([5L], changes.Added.Select(e => e.Uid));
        Assert.Equal([2L], changes.Removed.Select(e => e.Uid));
        Assert.Equal([(3L, "remarks", false), (4L, "aliases", true)], changes.Changed.Select(c => (c.After.Uid, string.Join(",", c.ChangedFields), c.NamesChanged)));
        Assert.Equal(1, changes.UnchangedCount);
        Assert.False(changes.IsEmpty);
        Assert.True(SanctionsListChanges.Between(after, after).IsEmpty);
    }

    [Fact]
    public void Only_entries_added_or_renamed_are_screened_again_under_the_newer_version()
    {
        SanctionsList before = List("v1", March2, Entry(1, "GOLDEN CRESCENT"), Entry(2, "SILVER ARROW"), Entry(3, "BLUE MOUNTAIN"));
        SanctionsList after = List("v2", March9,
            Entry(1, "GOLDEN CRESCENT") with { Programs = ["IRAN"] },
            Entry(2, "SILVER ARROW", "SILVER ARROWS TRADING"),
            Entry(3, "BLUE MOUNTAIN") with { Type = SanctionsEntryType.Vessel },
            Entry(4, "RED RIVER"));

        SanctionsListChanges changes = SanctionsListChanges.Between(before, after);
        SanctionsList rescreen = changes.ToRescreen();

        Assert.Equal(("v2", March9), (rescreen.Version, rescreen.PublishedOn));
        Assert.Equal([2L, 3L, 4L], rescreen.Entries.Select(e => e.Uid));
        Assert.Equal(["type"], changes.Changed.Single(c => c.After.Uid == 3).ChangedFields);
        var screener = new Screener(rescreen);
        string[] ours = ["Golden Crescent", "Silver Arrows Trading", "Red River", "Blue Mountain"];
        Assert.Equal([[], [2L], [4L], [3L]], ours.Select(n => screener.Screen(n, null, 0.8m).Value.Hits.Select(h => h.Uid).ToArray()));
        Assert.All(ours, n => Assert.Equal(("v2", March9), (screener.Screen(n, null, 0.8m).Value.ListVersion, screener.Screen(n, null, 0.8m).Value.ListPublishedOn)));
    }
}

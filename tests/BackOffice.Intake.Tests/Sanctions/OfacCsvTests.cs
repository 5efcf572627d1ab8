using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Sanctions;
using NodaTime;

namespace BackOffice.Intake.Tests.Sanctions;

/// <summary>
/// OFAC's legacy CSV files read into a sanctions list: every field of the samples, <c>-0-</c> as empty,
/// quoting, programs, weak aliases from the remarks, remarks continued from sdn_comments.csv, the orphan
/// rows the samples hold, and each refusal with its rule, file, line and field.
/// </summary>
public sealed class OfacCsvTests
{
    private static readonly LocalDate Published = new(2026, 3, 2);

    private static OfacCsvFile Sample(string name) => new(name, File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Sanctions", "Samples", name)));

    /// <summary>The four sample files as OFAC would name them in messages.</summary>
    internal static Result<OfacImport> ReadSamples() => OfacCsv.Read(
        new OfacCsvFiles(Sample("ofac_sdn.sample.csv"), Sample("ofac_alt.sample.csv"), Sample("ofac_add.sample.csv"), Sample("ofac_sdn_comments.sample.csv")),
        "2026-03-02 sample", Published);

    private static OfacImport Samples()
    {
        Result<OfacImport> read = ReadSamples();
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        return read.Value;
    }

    private static Result<OfacImport> Read(string sdn, string alt = "", string add = "", string comments = "", string version = "v1") => OfacCsv.Read(
        new OfacCsvFiles(OfacCsvFile.FromText("sdn.csv", sdn), OfacCsvFile.FromText("alt.csv", alt), OfacCsvFile.FromText("add.csv", add), OfacCsvFile.FromText("sdn_comments.csv", comments)),
        version, Published);

    private static SanctionsList List(Result<OfacImport> read)
    {
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        return read.Value.List;
    }

    private const string Khoroshev = "48603,\"KHOROSHEV, Dmitry Yuryevich\",\"individual\",\"CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 17 Apr 1993; a.k.a. 'LOCKBITSUPP'.\"";

    [Fact]
    public void The_samples_read_as_seventeen_entries_with_the_version_and_date_given()
    {
        SanctionsList list = Samples().List;
        Assert.Equal(("2026-03-02 sample", Published), (list.Version, list.PublishedOn));
        Assert.Equal(17, list.Entries.Count);
        Assert.Equal(list.Entries.Select(e => e.Uid).Order(), list.Entries.Select(e => e.Uid));
        Assert.Equal(
            [SanctionsEntryType.Individual, SanctionsEntryType.Entity, SanctionsEntryType.Vessel, SanctionsEntryType.Aircraft],
            list.Entries.Select(e => e.Type).Distinct().Order());
        Assert.Equal(4, list.Entries.Count(e => e.Type == SanctionsEntryType.Individual));
    }

    [Fact]
    public void An_individual_reads_with_every_field_its_aliases_and_its_address()
    {
        SanctionsEntry entry = Samples().List.Find(48603)!;
        Assert.Equal(("KHOROSHEV, Dmitry Yuryevich", SanctionsEntryType.Individual, null, null), (entry.Name, entry.Type, entry.Title, entry.Vessel));
        Assert.Equal(["CYBER2"], entry.Programs);
        Assert.StartsWith("DOB 17 Apr 1993; POB Russian Federation; nationality Russia;", entry.Remarks, StringComparison.Ordinal);
        Assert.EndsWith("a.k.a. 'LOCKBITSUPP'.", entry.Remarks, StringComparison.Ordinal);
        Assert.Equal(
            [
                new SanctionsAlias(75563, AliasType.AlsoKnownAs, "KHOROSHEV, Dmitriy Yurevich", AliasStrength.Strong, null),
                new SanctionsAlias(75564, AliasType.AlsoKnownAs, "YURIEVICH, Dmitry", AliasStrength.Strong, null),
                new SanctionsAlias(75565, AliasType.AlsoKnownAs, "KHOROSHEV, Dmitrii Yuryevich", AliasStrength.Strong, null),
                new SanctionsAlias(null, AliasType.AlsoKnownAs, "LOCKBITSUPP", AliasStrength.Weak, null),
            ],
            entry.Aliases);
        Assert.Equal([new SanctionsAddress(72971, null, null, "Russia", null)], entry.Addresses);
    }

    [Fact]
    public void A_vessel_reads_with_its_call_sign_type_and_flag()
    {
        SanctionsEntry vessel = Samples().List.Find(47371)!;
        Assert.Equal(("NS LEADER", SanctionsEntryType.Vessel), (vessel.Name, vessel.Type));
        Assert.Equal(new SanctionsVessel("A8LU7", "Crude Oil Tanker", null, null, "Gabon", null), vessel.Vessel);
        Assert.Equal(["RUSSIA-EO14024"], vessel.Programs);
        Assert.Equal([new SanctionsAddress(70615, null, null, null, null)], vessel.Addresses);
        Assert.Equal(new SanctionsVessel(null, "Naval Auxiliary Vessel", null, null, "Iran", null), Samples().List.Find(40716)!.Vessel);
        Assert.Null(Samples().List.Find(48727)!.Vessel); // an aircraft with no vessel fields
    }

    [Fact]
    public void An_entity_has_an_empty_type_several_programs_strong_and_weak_aliases_and_addresses()
    {
        SanctionsEntry entry = Samples().List.Find(11195)!;
        Assert.Equal(SanctionsEntryType.Entity, entry.Type);
        Assert.Equal(["NPWMD", "IFSR", "IRAN-CON-ARMS-EO"], entry.Programs);
        Assert.Equal(
            ["HESA TRADE CENTER", "IRAN AIRCRAFT MANUFACTURING INDUSTRIES", "IRAN AIRCRAFT MANUFACTURING COMPANY", "KARKHANEJATE SANAYE HAVAPAYMAIE IRAN"],
            entry.Aliases.Where(a => a.Strength == AliasStrength.Strong).Select(a => a.Name));
        Assert.Equal(
            ["HESA", "HTC", "IAMI", "IAMCO", "HAVA PEYMA SAZI-E IRAN", "HAVAPEYMA SAZI IRAN", "HAVAPEYMA SAZHRAN", "HEVAPEIMASAZI", "SHAHIN CO."],
            entry.Aliases.Where(a => a.Strength == AliasStrength.Weak).Select(a => a.Name));
        Assert.Equal(
            new SanctionsAddress(16311, "P.O. Box 14155-5568, No. 27 Shahamat Ave, Vallie Asr Sqr", "Tehran 15946", "Iran", null),
            entry.Addresses[1]);
        Assert.Equal(new SanctionsAddress(66302, null, "Miami, FL 33130", "United States", null), Assert.Single(Samples().List.Find(44525)!.Addresses));
    }

    [Fact]
    public void Remarks_continued_in_the_comments_file_join_on_where_they_were_cut()
    {
        SanctionsEntry entry = Samples().List.Find(33151)!;
        // sdn.csv stops inside a digital currency address; sdn_comments.csv carries on from the next letter.
        Assert.Contains("alt. Digital Currency Address - XBT 1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi; Digital Currency Address - ETH", entry.Remarks, StringComparison.Ordinal);
        Assert.EndsWith("a.k.a. 'SUCCESSFUL EXCHANGE'.", entry.Remarks, StringComparison.Ordinal);
        Assert.Equal([("SUCCESSFUL EXCHANGE", AliasStrength.Weak)], entry.Aliases.Select(a => (a.Name, a.Strength)));
    }

    [Fact]
    public void Orphan_rows_of_the_samples_are_set_aside_and_reported_with_their_place()
    {
        OfacImport import = Samples();
        Assert.Equal(
            [
                ("ofac_add.sample.csv", 12, 12562L, OfacOrphanKind.Address, ""),
                ("ofac_add.sample.csv", 17, 21765L, OfacOrphanKind.Address, ""),
                ("ofac_add.sample.csv", 24, 33723L, OfacOrphanKind.Address, ""),
                ("ofac_add.sample.csv", 26, 33997L, OfacOrphanKind.Address, "Izvore, Kosovo"),
                ("ofac_alt.sample.csv", 1, 10416L, OfacOrphanKind.Alias, "KARADH AL-HASSAN"),
                ("ofac_alt.sample.csv", 6, 11935L, OfacOrphanKind.Alias, "HERNANDEZ LECHUGA, Raul Lucio"),
                ("ofac_alt.sample.csv", 10, 18820L, OfacOrphanKind.Alias, "RUSSIAN HELICOPTERS JOINT STOCK COMPANY"),
                ("ofac_alt.sample.csv", 11, 30221L, OfacOrphanKind.Alias, "KAVIAN PETROCHEMICAL PRIVATE JOINT STOCK COMPANY"),
                ("ofac_alt.sample.csv", 15, 29445L, OfacOrphanKind.Alias, "ELEMENTO OIL AND GAS LTD"),
            ],
            import.Orphans.Select(o => (o.File, o.Line, o.Uid, o.Kind, o.Text)));
        Assert.All(import.List.Entries.SelectMany(e => e.Aliases), a => Assert.NotEqual("KARADH AL-HASSAN", a.Name));
    }

    [Fact]
    public void Empty_is_written_minus_zero_minus_with_or_without_a_space_or_quotes()
    {
        SanctionsEntry entry = Assert.Single(List(Read("7,\"ACME\",-0-,\"-0-\",-0- ,\"\",-0-,-0-,-0-,-0-,-0-,-0- ")).Entries);
        Assert.Equal((SanctionsEntryType.Entity, 0, null, null, null), (entry.Type, entry.Programs.Count, entry.Title, entry.Vessel, entry.Remarks));
    }

    [Fact]
    public void Quoted_fields_may_hold_commas_and_doubled_quotes()
    {
        SanctionsEntry entry = Assert.Single(List(Read("7,\"O\"\"NEIL, Sean, Jr.\",\"individual\",\"A] [B\",\"Colonel, retired\",-0-,-0-,-0-,-0-,-0-,-0-,-0-")).Entries);
        Assert.Equal(("O\"NEIL, Sean, Jr.", "Colonel, retired"), (entry.Name, entry.Title));
        Assert.Equal(["A", "B"], entry.Programs);
    }

    [Fact]
    public void Weak_aliases_are_taken_from_the_remarks_with_their_type_and_an_apostrophe_inside()
    {
        SanctionsEntry entry = Assert.Single(List(Read(
            "7,\"ACME\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"Website acme.example; a.k.a. 'D'S MARKET'; f.k.a. 'OLD ACME'; n.k.a. 'NEW ACME'; Linked To: X.\"")).Entries);
        Assert.Equal(
            [("D'S MARKET", AliasType.AlsoKnownAs), ("OLD ACME", AliasType.FormerlyKnownAs), ("NEW ACME", AliasType.NowKnownAs)],
            entry.Aliases.Select(a => (a.Name, a.Type)));
        Assert.All(entry.Aliases, a => Assert.Equal((null, AliasStrength.Weak), (a.AliasId, a.Strength)));
    }

    [Fact]
    public void Several_comment_rows_join_in_file_order()
    {
        SanctionsEntry entry = Assert.Single(List(Read(
            "7,\"ACME\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"Website ac\"",
            comments: "7,\"me.example; a.k.a. 'ACM\"\n7,\"E CO'.\"")).Entries);
        Assert.Equal("Website acme.example; a.k.a. 'ACME CO'.", entry.Remarks);
        Assert.Equal("ACME CO", Assert.Single(entry.Aliases).Name);
    }

    [Fact]
    public void Carriage_return_line_ends_blank_lines_and_an_end_of_file_mark_are_accepted()
    {
        SanctionsList list = List(Read(Khoroshev + "\r\r\n" + Khoroshev.Replace("48603", "48604", StringComparison.Ordinal) + "\r\u001A",
            alt: "48603,75563,\"fka\",\"KHOROSHEV, Dmitriy\",\"alias remark\"\r\n"));
        Assert.Equal([48603L, 48604L], list.Entries.Select(e => e.Uid));
        Assert.Equal(new SanctionsAlias(75563, AliasType.FormerlyKnownAs, "KHOROSHEV, Dmitriy", AliasStrength.Strong, "alias remark"), list.Entries[0].Aliases[0]);
    }

    [Theory]
    [InlineData("7,\"ACME\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "csv.field-count", "sdn.csv:1")]
    [InlineData("x7,\"ACME\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "field.integer", "sdn.csv:1, field ent_num")]
    [InlineData("0,\"ACME\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "field.integer", "sdn.csv:1, field ent_num")]
    [InlineData("7,-0- ,-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "field.required", "sdn.csv:1, field SDN_Name")]
    [InlineData("7,\"ACME\",\"ship\",\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "field.enumeration", "sdn.csv:1, field SDN_Type")]
    [InlineData("7,\"ACME\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n7,\"ACME TWO\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "ofac.duplicate", "sdn.csv:2, field ent_num")]
    [InlineData("7,\"ACME,-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "csv.syntax", "sdn.csv:1")]
    [InlineData("7,AC\"ME,-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-", "", "csv.syntax", "sdn.csv:1")]
    [InlineData(Khoroshev, "48603,1,\"aka\",\"A\",-0-\n48603,2,\"also\",\"B\",-0-", "field.enumeration", "alt.csv:2, field alt_type")]
    [InlineData(Khoroshev, "48603,1,\"aka\",-0-,-0-", "field.required", "alt.csv:1, field alt_name")]
    [InlineData(Khoroshev, "48603,1,\"aka\",\"A\",-0-\n48603,1,\"aka\",\"B\",-0-", "ofac.duplicate", "alt.csv:2, field alt_num")]
    [InlineData(Khoroshev, "48603,-1,\"aka\",\"A\",-0-", "field.integer", "alt.csv:1, field alt_num")]
    [InlineData(Khoroshev, "48603,1,\"aka\",\"A\"", "csv.field-count", "alt.csv:1")]
    public void A_bad_row_refuses_the_import_naming_rule_file_line_and_field(string sdn, string alt, string rule, string location)
    {
        Rejection? rejection = Read(sdn, alt).Rejection;
        Assert.NotNull(rejection);
        Assert.Equal((rule, location), (rejection.Rule, rejection.Location));
    }

    [Fact]
    public void Bad_address_and_comment_rows_and_a_bad_version_are_refused_too()
    {
        Assert.Equal(("field.integer", "add.csv:2, field add_num"), Where(Read(Khoroshev, add: "48603,1,-0-,-0-,\"Russia\",-0-\n48603,x,-0-,-0-,-0-,-0-")));
        Assert.Equal(("ofac.duplicate", "add.csv:2, field add_num"), Where(Read(Khoroshev, add: "48603,1,-0-,-0-,\"Russia\",-0-\n48603,1,-0-,-0-,-0-,-0-")));
        Assert.Equal(("field.integer", "sdn_comments.csv:1, field ent_num"), Where(Read(Khoroshev, comments: "-0-,\"more\"")));
        Assert.Equal(("csv.field-count", "sdn_comments.csv:1"), Where(Read(Khoroshev, comments: "48603")));
        Assert.Equal(("sanctions.version", ""), Where(Read(Khoroshev, version: " ")));
    }

    [Fact]
    public void Orphan_comment_rows_are_reported_as_remarks()
    {
        OfacOrphan orphan = Assert.Single(Read(Khoroshev, comments: "\n99,\"lost remark\"").Value.Orphans);
        Assert.Equal(("sdn_comments.csv", 2, 99L, OfacOrphanKind.Remarks, "lost remark"), (orphan.File, orphan.Line, orphan.Uid, orphan.Kind, orphan.Text));
    }

    private static (string?, string?) Where(Result<OfacImport> read) => (read.Rejection?.Rule, read.Rejection?.Location);
}

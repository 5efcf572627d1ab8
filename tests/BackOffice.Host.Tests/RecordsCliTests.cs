using System.Globalization;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Records;
using BackOffice.Domain.Primitives;

namespace BackOffice.Host.Tests;

/// <summary>
/// Books and records: records export writes a bundle that records verify checks with no database;
/// any byte changed anywhere fails it; a bundle rewritten with a consistent manifest still fails on
/// the chain or the journal; messages are in it byte for byte; the retention policy refuses early purges.
/// </summary>
public sealed class RecordsCliTests
{
    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private const string TradeHeader = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";

    private static async Task<(Workspace Workspace, string Bundle)> DemoBundleAsync(string store)
    {
        Workspace workspace = store == "postgres" ? await Workspace.PostgresAsync() : await Workspace.SqliteAsync();
        CliResult demo = await workspace.RunAsync("demo");
        Assert.True(demo.Exit == 0, demo.Error);
        string bundle = Path.Combine(workspace.Directory, "bundle");
        CliResult exported = await workspace.RunAsync("records", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--out", bundle);
        Assert.True(exported.Exit == 0, exported.Error);
        return (workspace, bundle);
    }

    private static byte[] Embedded(string sample)
    {
        using Stream stream = typeof(Cli.CommandLine).Assembly.GetManifestResourceStream("demo/" + sample)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_demo_books_export_and_verify_with_every_message_byte_for_byte(string store)
    {
        (Workspace workspace, string bundle) = await DemoBundleAsync(store);
        await using Workspace _ = workspace;

        CliResult verified = await workspace.RunAsync("records", "verify", bundle);

        Assert.True(verified.Exit == 0, verified.Error);
        Assert.Equal("bundle verified", verified.Lines[^1]);
        Assert.Contains(verified.Lines, l => l.StartsWith("checked audit chain: ", StringComparison.Ordinal));
        Assert.Contains(verified.Lines, l => l.StartsWith("checked journal: ", StringComparison.Ordinal));
        // The custodian's and the bank's statements, exactly as the demo imported them.
        string[] index = File.ReadAllLines(Path.Combine(bundle, "messages", "index.csv"));
        foreach (string sample in new[] { "custody-2026-11-27.xml", "cash-usd-2026-11-27.xml" })
        {
            string row = Assert.Single(index, l => l.Contains("," + sample + ",", StringComparison.Ordinal));
            Assert.Equal(Embedded(sample), File.ReadAllBytes(Path.Combine(bundle, row.Split(',')[0])));
        }
        // The trade files, whole, exactly as the demo imported them.
        foreach (string sample in new[] { "trades.csv", "trade-amendments.csv" })
        {
            string row = Assert.Single(index, l => l.Contains(",inbound,trade-file," + sample + ",", StringComparison.Ordinal));
            Assert.Equal(Embedded(sample), File.ReadAllBytes(Path.Combine(bundle, row.Split(',')[0])));
        }
        // The sanctions list version, file by file, exactly as published; the custodian's messages that moved instructions.
        foreach ((string kept, string sample) in new[] { ("sdn.csv", "ofac-sdn.csv"), ("alt.csv", "ofac-alt.csv"), ("add.csv", "ofac-add.csv"),
            ("sdn_comments.csv", "ofac-sdn-comments.csv") })
        {
            string row = Assert.Single(index, l => l.Contains(",inbound,sanctions-list," + kept + ",", StringComparison.Ordinal));
            Assert.Equal(Embedded(sample), File.ReadAllBytes(Path.Combine(bundle, row.Split(',')[0])));
        }
        Assert.Equal(8, index.Count(l => l.Contains(",inbound,settlement-message,", StringComparison.Ordinal)));
        // The instructions sent, rendered again and proven by the digest kept when they were sent; each a valid sese.023.
        string[] sent = [.. index.Where(l => l.Contains(",outbound,settlement-instruction,", StringComparison.Ordinal))];
        Assert.NotEmpty(sent);
        foreach (string row in sent)
        {
            byte[] message = File.ReadAllBytes(Path.Combine(bundle, row.Split(',')[0]));
            Assert.Equal(row.Split(',')[^1], BackOffice.Domain.Primitives.Sha256Hash.Of(message).ToString());
            Assert.Null(BackOffice.Intake.Iso20022.Sese023.Validate(Encoding.UTF8.GetString(message)));
        }
        // The documents sent to clients: byte for byte what the documents verbs write.
        string documents = Path.Combine(workspace.Directory, "documents");
        Assert.Equal(0, (await workspace.RunAsync("documents", "confirmations", "--date", "2026-11-25", "--out", documents)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("documents", "statements", "--month", "2026-11", "--out", documents)).Exit);
        string[] sentToClients = [.. index.Where(l => l.Contains(",outbound,client-confirmation,", StringComparison.Ordinal)
            || l.Contains(",outbound,client-statement,", StringComparison.Ordinal))];
        Assert.Equal(Directory.GetFiles(documents).Length, sentToClients.Length);
        foreach (string row in sentToClients)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(documents, row.Split(',')[3])), File.ReadAllBytes(Path.Combine(bundle, row.Split(',')[0])));
        }
        // Each trade row as it came in, and the MiFIR report as it was sent.
        string[] trades = File.ReadAllLines(Path.Combine(bundle, "messages", "trades.jsonl"));
        string[] rows = Encoding.UTF8.GetString(Embedded("trades.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        foreach (string row in rows)
        {
            Assert.Contains(trades, line => JsonDocument.Parse(line).RootElement.GetProperty("message").GetString() == row.TrimEnd('\r'));
        }
        Assert.Contains(index, l => l.Contains(",outbound,mifir-report,", StringComparison.Ordinal));
        // The chain head the bundle states is the one audit verify prints.
        string head = (await workspace.RunAsync("audit", "verify")).Output;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "manifest.json")));
        JsonElement chain = manifest.RootElement.GetProperty("chain");
        Assert.Contains(chain.GetProperty("head_sequence").GetInt64().ToString(CultureInfo.InvariantCulture) + ":" + chain.GetProperty("head_hash").GetString(), head,
            StringComparison.Ordinal);
        Assert.Equal(6, manifest.RootElement.GetProperty("retention").GetProperty("years").GetInt32());
        Assert.True(File.Exists(Path.Combine(bundle, "reports", "trial-balance-2026-11-30.csv")));
        // A second export into the same folder is refused: the folder would hold files the manifest does not list.
        CliResult again = await workspace.RunAsync("records", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--out", bundle);
        Assert.Equal(1, again.Exit);
        Assert.Contains("records.out-not-empty", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_range_holds_the_run_of_records_that_wrote_it_and_verifies_on_its_own(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string day1 = workspace.File("day1.csv", TradeHeader + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        string day2 = workspace.File("day2.csv", TradeHeader + "\n" +
            "T2,NEW,,SELL,US0378331005,ISIN,XNAS,40,210,USD,C-1001,5493000DEMO0BROKER41,2026-11-25\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", day1)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", day2)).Exit);
        string bundle = Path.Combine(workspace.Directory, "day2");

        CliResult exported = await workspace.RunAsync("records", "export", "--from", "2026-11-25", "--to", "2026-11-25", "--out", bundle);

        Assert.True(exported.Exit == 0, exported.Error);
        CliResult verified = await workspace.RunAsync("records", "verify", bundle);
        Assert.True(verified.Exit == 0, verified.Error);
        // Reference data was loaded today too, so the run starts at the first record; T2 is in it, and its message.
        string trades = await File.ReadAllTextAsync(Path.Combine(bundle, "messages", "trades.jsonl"));
        Assert.Contains("\"source_trade_id\":\"T2\"", trades, StringComparison.Ordinal);
        Assert.Equal(1, (await workspace.RunAsync("records", "export", "--from", "2026-11-26", "--to", "2026-11-25", "--out", Path.Combine(workspace.Directory, "x"))).Exit);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_trade_file_is_kept_whole_once_by_the_import_that_booked_it(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string text = TradeHeader + "\r\n" + "K1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\r\n";
        string file = workspace.File("day.csv", text);
        string renamed = workspace.File("same-bytes.csv", text);
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", file)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", file)).Exit);
        // The same bytes under another name and source: a new import command (every row a replay), the file not kept twice.
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS2", renamed)).Exit);
        // A refused file keeps nothing.
        string bad = workspace.File("bad.csv", TradeHeader + "\nB1,NEW,,BUY,US0378331005,ISIN,XNAS,0,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(1, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", bad)).Exit);

        Assert.Equal(1L, await ScalarAsync(workspace, "SELECT COUNT(*) FROM inbound_files"));
        string bundle = Path.Combine(workspace.Directory, "bundle");
        Assert.Equal(0, (await workspace.RunAsync("records", "export", "--from", "2026-11-24", "--to", "2026-11-24", "--out", bundle)).Exit);
        string row = Assert.Single(File.ReadAllLines(Path.Combine(bundle, "messages", "index.csv")), l => l.Contains(",trade-file,", StringComparison.Ordinal));
        Assert.Contains(",day.csv,", row, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(text), File.ReadAllBytes(Path.Combine(bundle, row.Split(',')[0])));
        Assert.Equal(0, (await workspace.RunAsync("records", "verify", bundle)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_database_refuses_to_change_or_delete_messages_kept_as_received(string store)
    {
        (Workspace workspace, string _) = await DemoBundleAsync(store);
        await using Workspace owned = workspace;
        Assert.Equal(0, (await workspace.RunAsync("records", "retention", "--set-years", "7")).Exit);
        foreach (string sql in new[]
        {
            "DELETE FROM inbound_files", "UPDATE inbound_files SET name = 'x'", "DELETE FROM statement_files", "UPDATE statement_files SET content = content",
            "DELETE FROM mifir_files", "UPDATE mifir_files SET name = 'x'", "DELETE FROM trade_versions", "DELETE FROM records_retention",
        })
        {
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => ScalarAsync(workspace, sql));
        }
        Assert.Equal(2L, await ScalarAsync(workspace, "SELECT COUNT(*) FROM inbound_files WHERE kind = 'trades'"));
        // The custodian's status advices and confirmations that moved the demo's instructions.
        Assert.Equal(8L, await ScalarAsync(workspace, "SELECT COUNT(*) FROM inbound_files WHERE kind = 'settlement-message'"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Retention_is_six_years_at_least_and_a_purge_inside_it_is_refused(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        LocalDateToday today = LocalDateToday.Now();

        CliResult shown = await workspace.RunAsync("records", "retention");
        Assert.Equal(["years,years_min,purge_before_latest,set_by_sequence", $"6,6,{today.MinusYears(6)},"], shown.Lines);

        CliResult shorter = await workspace.RunAsync("records", "retention", "--set-years", "5");
        Assert.Equal(1, shorter.Exit);
        Assert.Contains("records.retention-below-minimum", shorter.Error, StringComparison.Ordinal);

        CliResult longer = await workspace.RunAsync("records", "retention", "--set-years", "8");
        Assert.True(longer.Exit == 0, longer.Error);
        Assert.StartsWith($"8,6,{today.MinusYears(8)},", longer.Lines[1], StringComparison.Ordinal);
        string head = (await workspace.RunAsync("audit", "verify")).Output;
        Assert.Equal(0, (await workspace.RunAsync("records", "retention", "--set-years", "8")).Exit);
        Assert.Equal(head, (await workspace.RunAsync("audit", "verify")).Output);

        // Inside the eight years: refused, naming the rule and the latest date allowed.
        CliResult early = await workspace.RunAsync("records", "purge", "--before", today.MinusYears(7));
        Assert.Equal(1, early.Exit);
        Assert.Contains("records.retention-period", early.Error, StringComparison.Ordinal);
        Assert.Contains(today.MinusYears(8), early.Error, StringComparison.Ordinal);
        CliResult allowed = await workspace.RunAsync("records", "purge", "--before", today.MinusYears(8));
        Assert.True(allowed.Exit == 0, allowed.Error);
        Assert.Equal($"{today.MinusYears(8)},0,0,0,0,0", allowed.Lines[1]);
        Assert.Contains("dry run", allowed.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await workspace.RunAsync("audit", "verify")).Exit);
    }

    /// <summary>Today's date (UTC) as the CLI sees it, and years before it.</summary>
    private readonly record struct LocalDateToday(NodaTime.LocalDate Date)
    {
        public static LocalDateToday Now() => new(NodaTime.SystemClock.Instance.GetCurrentInstant().InUtc().Date);

        public string MinusYears(int years) => NodaTime.Text.LocalDatePattern.Iso.Format(Date.PlusYears(-years));

        public override string ToString() => NodaTime.Text.LocalDatePattern.Iso.Format(Date);
    }

    // Runs one statement against the workspace's database, as someone with direct access would.
    private static async Task<object?> ScalarAsync(Workspace workspace, string sql)
    {
        System.Data.Common.DbConnection connection = workspace.StoreArgs[0] == "--db"
            ? new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + workspace.StoreArgs[1])
            : new Npgsql.NpgsqlConnection(workspace.StoreArgs[1]);
        await using (connection)
        {
            await connection.OpenAsync();
            await using System.Data.Common.DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            object? value = await command.ExecuteScalarAsync();
            return value is null or DBNull ? value : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The bundle of the demo, read once into memory (SQLite), for the tamper tests.</summary>
    private static async Task<Dictionary<string, byte[]>> DemoFilesAsync()
    {
        (Workspace workspace, string bundle) = await DemoBundleAsync("sqlite");
        await using Workspace _ = workspace;
        return Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(bundle, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes, StringComparer.Ordinal);
    }

    private static Task<BundleVerification> VerifyAsync(Dictionary<string, byte[]> files) => BundleVerifier.VerifyAsync(new MemoryBundle(files), CancellationToken.None);

    private static Dictionary<string, byte[]> Flip(Dictionary<string, byte[]> files, string path, int position, byte mask = 0x01)
    {
        var copy = files.ToDictionary(p => p.Key, p => (byte[])p.Value.Clone(), StringComparer.Ordinal);
        copy[path][position] ^= mask;
        return copy;
    }

    [Fact]
    public async Task A_byte_flipped_in_any_kind_of_file_fails_verify_naming_the_file()
    {
        Dictionary<string, byte[]> files = await DemoFilesAsync();
        Assert.True((await VerifyAsync(files)).IsVerified);
        string message = files.Keys.First(p => p.StartsWith("messages/inbound/statement/", StringComparison.Ordinal));
        string[] classes = ["manifest.json", "manifest.sha256", message, "messages/trades.jsonl", "journal/entries.jsonl", "audit/records.jsonl", "README.md",
            "messages/index.csv", "reports/trial-balance-2026-11-30.csv"];
        foreach (string path in classes)
        {
            int length = files[path].Length;
            foreach (int position in new[] { 0, length / 3, length / 2, length - 2, length - 1 })
            {
                BundleVerification result = await VerifyAsync(Flip(files, path, position));
                Assert.False(result.IsVerified, $"{path} byte {position}");
                Assert.Contains(result.Problems, p => p.File == path || (path == "manifest.sha256" && p.File == "manifest.json"));
            }
        }
    }

    [Fact]
    public async Task A_random_byte_of_a_random_file_flipped_always_fails_verify()
    {
        Dictionary<string, byte[]> files = await DemoFilesAsync();
        string[] paths = [.. files.Keys.Order(StringComparer.Ordinal)];
        var random = new Random(20261129);
        for (int i = 0; i < 300; i++)
        {
            string path = paths[random.Next(paths.Length)];
            int position = random.Next(files[path].Length);
            byte mask = (byte)random.Next(1, 256);
            BundleVerification result = await VerifyAsync(Flip(files, path, position, mask));
            Assert.False(result.IsVerified, $"seed 20261129, iteration {i}: {path} byte {position} ^ 0x{mask:x2} passed");
        }
    }

    [Fact]
    public async Task A_bundle_rewritten_with_a_consistent_manifest_still_fails_on_the_chain_and_the_journal()
    {
        Dictionary<string, byte[]> files = await DemoFilesAsync();

        // One posting's units changed, the manifest and its seal recomputed to match.
        string[] journal = Encoding.UTF8.GetString(files["journal/entries.jsonl"]).Split('\n');
        int target = Array.FindIndex(journal, l => l.Contains("\"units\":100000000,", StringComparison.Ordinal));
        journal[target] = journal[target].Replace("\"units\":100000000,", "\"units\":100000001,", StringComparison.Ordinal);
        BundleVerification edited = await VerifyAsync(Resealed(files, "journal/entries.jsonl", Encoding.UTF8.GetBytes(string.Join('\n', journal))));
        Assert.Contains(edited.Problems, p => p.File == "journal/entries.jsonl" && p.Text.Contains("does not balance", StringComparison.Ordinal));
        Assert.Contains(edited.Problems, p => p.File == "journal/entries.jsonl" && p.Text.Contains("do not match its hash", StringComparison.Ordinal));

        // An audit record dropped from the middle.
        string[] audit = Encoding.UTF8.GetString(files["audit/records.jsonl"]).Split('\n');
        BundleVerification dropped = await VerifyAsync(Resealed(files, "audit/records.jsonl",
            Encoding.UTF8.GetBytes(string.Join('\n', audit.Where((_, i) => i != 10)))));
        Assert.Contains(dropped.Problems, p => p.File == "audit/records.jsonl" && p.Where.StartsWith("line 11", StringComparison.Ordinal)
            && p.Text.Contains("expected audit record 11", StringComparison.Ordinal));
        Assert.Contains(dropped.Problems, p => p.Text.Contains("does not link to the record before it", StringComparison.Ordinal));

        // A file added, a file removed.
        var added = new Dictionary<string, byte[]>(files, StringComparer.Ordinal) { ["messages/extra.xml"] = [1, 2, 3] };
        Assert.Contains((await VerifyAsync(added)).Problems, p => p.File == "messages/extra.xml" && p.Text.Contains("not listed", StringComparison.Ordinal));
        var removed = new Dictionary<string, byte[]>(files, StringComparer.Ordinal);
        removed.Remove("messages/trades.jsonl");
        Assert.Contains((await VerifyAsync(removed)).Problems, p => p.File == "messages/trades.jsonl" && p.Text.Contains("missing", StringComparison.Ordinal));
    }

    // Replaces one file and rewrites the manifest's entry and the seal to match, as a forger would.
    private static Dictionary<string, byte[]> Resealed(Dictionary<string, byte[]> files, string path, byte[] content)
    {
        var copy = new Dictionary<string, byte[]>(files, StringComparer.Ordinal) { [path] = content };
        BundleManifest manifest = BundleManifest.Parse(files["manifest.json"]).Value;
        manifest = manifest with
        {
            Files = [.. manifest.Files.Select(f => f.Path == path ? f with { Size = content.Length, Sha256 = Sha256Hash.Of(content) } : f)],
        };
        byte[] json = manifest.ToJson();
        copy["manifest.json"] = json;
        copy["manifest.sha256"] = Encoding.ASCII.GetBytes(BundleManifest.Seal(Sha256Hash.Of(json)));
        return copy;
    }

    [Fact]
    public async Task Verify_needs_no_database_and_says_what_is_wrong()
    {
        await using Workspace workspace = await Workspace.SqliteAsync();
        string empty = Path.Combine(workspace.Directory, "empty");
        Directory.CreateDirectory(empty);
        CliResult result = await workspace.RunAsync("records", "verify", empty);
        Assert.Equal(1, result.Exit);
        Assert.Contains("manifest.json: missing", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(workspace.Directory, "books.db")));
    }

    /// <summary>A bundle held in memory.</summary>
    private sealed class MemoryBundle(Dictionary<string, byte[]> files) : IBundleFiles
    {
        public IReadOnlyList<string> List() => [.. files.Keys.Order(StringComparer.Ordinal)];

        public bool Exists(string path) => files.ContainsKey(path);

        public Stream OpenRead(string path) => new MemoryStream(files[path], writable: false);

        public Stream Create(string path) => throw new NotSupportedException("verification only reads");
    }
}

using System.Diagnostics;
using System.Globalization;
using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using BackOffice.Intake.Sanctions;
using NodaTime;

namespace BackOffice.Benchmarks;

/// <summary>
/// Sanctions screening of N names against a list of the SDN list's size: the synthetic list of
/// <see cref="SyntheticSanctions"/>, or OFAC's own files when given. The index is built once
/// (<c>new Screener(list)</c>), then the names are split into one slice per core, each screened on its
/// own thread by <see cref="Screener.ScreenAll"/> in chunks, at the recommended threshold; the results are
/// counted and dropped. One name in a thousand is a planted variant of a list name, which must hit its
/// entry: the run fails if one does not. The other names are ordinary client names, and the share of
/// them that hit something is the false-positive rate on those names.
/// </summary>
internal static class ScreeningBenchmark
{
    public const int DefaultNames = 1_000_000, DefaultChunk = 50_000;

    private const int ExamplesPerOrigin = 2;

    public static int Run(int count, string? sdnDirectory, int chunk)
    {
        int cores = Environment.ProcessorCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"names={count:N0} list={sdnDirectory ?? "synthetic (seed " + SyntheticSanctions.Seed + ")"} threshold={Screener.RecommendedThreshold} cores={cores} chunk={chunk:N0}"));
        Console.WriteLine("| step | wall s | CPU s | peak MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        (SanctionsList list, _) = Timed(sdnDirectory is null ? "set-up: generate the synthetic list" : "set-up: read the OFAC files",
            () => sdnDirectory is null ? SyntheticSanctions.List() : ReadOfac(sdnDirectory));
        (Screener screener, _) = Timed("build the index (new Screener)", () => new Screener(list));
        (ScreeningNames names, _) = Timed(string.Create(CultureInfo.InvariantCulture, $"set-up: generate {count:N0} names"), () => SyntheticSanctions.Names(list, count));

        int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        TimeSpan paused = GC.GetTotalPauseDuration();
        long allocated = GC.GetTotalAllocatedBytes();
        (Tally tally, TimeSpan wall) = Timed(string.Create(CultureInfo.InvariantCulture, $"screen {count:N0} names on {cores} cores"),
            () => Screen(screener, names, chunk, cores));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| ({count / wall.TotalSeconds:N0} names/s; allocated {(GC.GetTotalAllocatedBytes() - allocated) >> 20:N0} MiB; gc paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s, " +
            $"{GC.CollectionCount(0) - collections[0]} gen0, {GC.CollectionCount(1) - collections[1]} gen1, {GC.CollectionCount(2) - collections[2]} gen2) | | | |"));
        Console.WriteLine();
        Describe(list, screener);
        return Report(names, tally);
    }

    /// <summary>Runs <paramref name="step"/>, prints its wall time, CPU time (user and system, every thread) and the process's peak working set so far.</summary>
    private static (T Result, TimeSpan Wall) Timed<T>(string name, Func<T> step)
    {
        using var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        T result = step();
        wall.Stop();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {wall.Elapsed.TotalSeconds:F2} | {(process.TotalProcessorTime - cpu).TotalSeconds:F2} | {process.PeakWorkingSet64 >> 20} |"));
        return (result, wall.Elapsed);
    }

    /// <summary>
    /// OFAC's legacy files from <paramref name="directory"/>: sdn.csv, and alt.csv, add.csv and sdn_comments.csv
    /// when there (an absent one is read as empty). The version is the date sdn.csv was last written.
    /// </summary>
    private static SanctionsList ReadOfac(string directory)
    {
        string sdn = Path.Combine(directory, "sdn.csv");
        if (!File.Exists(sdn))
        {
            throw new FileNotFoundException("no sdn.csv in " + directory, sdn);
        }
        OfacCsvFile Open(string name) => File.Exists(Path.Combine(directory, name))
            ? new OfacCsvFile(name, File.OpenRead(Path.Combine(directory, name)))
            : OfacCsvFile.FromText(name, "");
        LocalDate published = LocalDate.FromDateTime(File.GetLastWriteTimeUtc(sdn));
        Result<OfacImport> read = OfacCsv.Read(new OfacCsvFiles(Open("sdn.csv"), Open("alt.csv"), Open("add.csv"), Open("sdn_comments.csv")),
            "OFAC SDN " + published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), published);
        if (read.Rejection is { } refused)
        {
            throw new InvalidOperationException("the OFAC files were refused: " + refused);
        }
        if (read.Value.Orphans.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ({read.Value.Orphans.Count:N0} orphan rows set aside) | | | |"));
        }
        return read.Value.List;
    }

    private static void Describe(SanctionsList list, Screener screener)
    {
        IEnumerable<SanctionsAlias> aliases = list.Entries.SelectMany(e => e.Aliases);
        int Of(SanctionsEntryType type) => list.Entries.Count(e => e.Type == type);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"list {list.Version}: {list.Entries.Count:N0} entries ({Of(SanctionsEntryType.Individual):N0} individuals, {Of(SanctionsEntryType.Entity):N0} entities, " +
            $"{Of(SanctionsEntryType.Vessel):N0} vessels, {Of(SanctionsEntryType.Aircraft):N0} aircraft), {aliases.Count(a => a.Strength == AliasStrength.Strong):N0} strong aliases, " +
            $"{aliases.Count(a => a.Strength == AliasStrength.Weak):N0} weak aliases; index: {screener.NameCount:N0} names, {screener.FormCount:N0} word spellings"));
    }

    /// <summary>One slice of the names per core, each on its own thread; the slices' counts added up.</summary>
    private static Tally Screen(Screener screener, ScreeningNames names, int chunk, int cores)
    {
        int count = names.Subjects.Length;
        var tallies = new Tally[cores];
        var threads = new Thread[cores];
        for (int t = 0; t < cores; t++)
        {
            int from = (int)((long)count * t / cores), to = (int)((long)count * (t + 1) / cores);
            var tally = tallies[t] = new Tally();
            threads[t] = new Thread(() => ScreenSlice(screener, names, from, to, chunk, tally)) { Name = "screening " + t.ToString(CultureInfo.InvariantCulture) };
            threads[t].Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        return Tally.Sum(tallies);
    }

    private static void ScreenSlice(Screener screener, ScreeningNames names, int from, int to, int chunk, Tally tally)
    {
        for (int start = from; start < to; start += chunk)
        {
            int length = Math.Min(chunk, to - start);
            IReadOnlyList<Result<ScreeningResult>> results = screener.ScreenAll(new ArraySegment<ScreeningSubject>(names.Subjects, start, length), Screener.RecommendedThreshold);
            for (int i = 0; i < results.Count; i++)
            {
                int position = start + i;
                if (results[i].Rejection is { } refused)
                {
                    throw new InvalidOperationException($"name {position} ({names.Subjects[position].Name}) was refused: {refused}");
                }
                IReadOnlyList<ScreeningHit> hits = results[i].Value.Hits;
                if (names.Planted.TryGetValue(position, out PlantedName? planted))
                {
                    tally.AddPlanted(planted, hits);
                }
                else
                {
                    tally.AddOrdinary(names.Subjects[position].Name, names.Origins[position], hits);
                }
            }
        }
    }

    /// <summary>Prints the planted variants found and the hits on ordinary names; 1 when a planted variant missed its entry.</summary>
    private static int Report(ScreeningNames names, Tally tally)
    {
        int ordinary = tally.OrdinaryNames.Sum();
        int hitNames = tally.OrdinaryWithHit.Sum();
        string most = tally.PlantedOtherMost.Count == 0 ? ""
            : string.Create(CultureInfo.InvariantCulture, $", the most by one \"{tally.PlantedOtherMost.Name}\" ({tally.PlantedOtherMost.Count:N0})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"planted: {names.Planted.Count:N0} of {names.Subjects.Length:N0} names; hit their entry: {tally.PlantedHit.Values.Sum(v => v.Hit):N0}; " +
            $"other entries hit by them too: {tally.PlantedOtherHits:N0}{most}"));
        Console.WriteLine("| planted variant | names | hit their entry |");
        Console.WriteLine("|---|---:|---:|");
        foreach ((string variant, (int planted, int hit)) in tally.PlantedHit.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variant} | {planted:N0} | {hit:N0} |"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ordinary names: {ordinary:N0}; with a hit: {hitNames:N0} ({100.0 * hitNames / Math.Max(1, ordinary):F3}%); hits: {tally.OrdinaryHits:N0} " +
            $"(on {tally.HitsByType[(int)SanctionsEntryType.Individual]:N0} individuals, {tally.HitsByType[(int)SanctionsEntryType.Entity]:N0} entities, " +
            $"{tally.HitsByType[(int)SanctionsEntryType.Vessel]:N0} vessels, {tally.HitsByType[(int)SanctionsEntryType.Aircraft]:N0} aircraft)"));
        Console.WriteLine("| ordinary names | names | with a hit | share |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (NameOrigin origin in Enum.GetValues<NameOrigin>().Where(o => tally.OrdinaryNames[(int)o] > 0))
        {
            int of = tally.OrdinaryNames[(int)origin], hit = tally.OrdinaryWithHit[(int)origin];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(origin == NameOrigin.Company ? "companies" : origin + " people")} | {of:N0} | {hit:N0} | {100.0 * hit / of:F2}% |"));
        }
        Console.WriteLine("best score of the ordinary names with a hit: " + string.Join(", ", tally.BestScores
            .Select((n, band) => string.Create(CultureInfo.InvariantCulture, $"{Band(band)} {n:N0}"))));
        foreach (string example in tally.Examples)
        {
            Console.WriteLine("  " + example);
        }
        if (tally.Missed.Count == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"every planted variant hit its entry ({names.Planted.Count:N0})"));
            return 0;
        }
        foreach ((PlantedName planted, string hits) in tally.Missed.OrderBy(m => m.Planted.Position).Take(20))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"MISSED: name {planted.Position} \"{planted.Name}\" ({planted.Variant} of \"{planted.ListName}\", entry {planted.Uid}); hits: {hits}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FAILED: {tally.Missed.Count:N0} planted variants did not hit their entry"));
        return 1;
    }

    private static string Band(int band) => band switch
    {
        0 => "0.80-0.85",
        1 => "0.85-0.90",
        2 => "0.90-0.95",
        3 => "0.95-1.00",
        _ => "1.00",
    };

    /// <summary>What one slice found; <see cref="Sum"/> adds the slices up.</summary>
    private sealed class Tally
    {
        public Dictionary<string, (int Planted, int Hit)> PlantedHit { get; } = new(StringComparer.Ordinal);

        public List<(PlantedName Planted, string Hits)> Missed { get; } = [];

        public int PlantedOtherHits { get; private set; }

        /// <summary>The planted name that hit the most other entries, and how many.</summary>
        public (int Count, string? Name) PlantedOtherMost { get; private set; }

        public int[] OrdinaryNames { get; } = new int[Enum.GetValues<NameOrigin>().Length];

        public int[] OrdinaryWithHit { get; } = new int[Enum.GetValues<NameOrigin>().Length];

        public long OrdinaryHits { get; private set; }

        public long[] HitsByType { get; } = new long[Enum.GetValues<SanctionsEntryType>().Max(t => (int)t) + 1];

        /// <summary>Ordinary names with a hit by their best score: 0.80-0.85, 0.85-0.90, 0.90-0.95, 0.95-1.00 (not 1), 1.</summary>
        public int[] BestScores { get; } = new int[5];

        public List<string> Examples { get; } = [];

        private readonly int[] _examplesByOrigin = new int[Enum.GetValues<NameOrigin>().Length];

        private readonly HashSet<string> _exampleNames = new(StringComparer.Ordinal);

        public void AddPlanted(PlantedName planted, IReadOnlyList<ScreeningHit> hits)
        {
            bool hit = hits.Any(h => h.Uid == planted.Uid);
            (int p, int h) = PlantedHit.GetValueOrDefault(planted.Variant);
            PlantedHit[planted.Variant] = (p + 1, h + (hit ? 1 : 0));
            int others = hits.Count(h => h.Uid != planted.Uid);
            PlantedOtherHits += others;
            if (others > PlantedOtherMost.Count)
            {
                PlantedOtherMost = (others, planted.Name);
            }
            if (!hit)
            {
                Missed.Add((planted, hits.Count == 0 ? "none" : string.Join("; ", hits.Select(h =>
                    string.Create(CultureInfo.InvariantCulture, $"{h.Uid} {h.MatchedName} {h.Score:0.0000}")))));
            }
        }

        public void AddOrdinary(string name, NameOrigin origin, IReadOnlyList<ScreeningHit> hits)
        {
            OrdinaryNames[(int)origin]++;
            if (hits.Count == 0)
            {
                return;
            }
            OrdinaryWithHit[(int)origin]++;
            OrdinaryHits += hits.Count;
            foreach (ScreeningHit hit in hits)
            {
                HitsByType[(int)hit.EntryType]++;
            }
            ScreeningHit best = hits[0];
            BestScores[best.Score switch { < 0.85m => 0, < 0.90m => 1, < 0.95m => 2, < 1m => 3, _ => 4 }]++;
            if (_examplesByOrigin[(int)origin] < ExamplesPerOrigin && !_exampleNames.Contains(name))
            {
                string more = hits.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" and {hits.Count - 1} more") : "";
                _examplesByOrigin[(int)origin]++;
                _exampleNames.Add(name);
                Examples.Add(string.Create(CultureInfo.InvariantCulture,
                    $"\"{name}\" hit {best.Uid} \"{best.MatchedName}\" ({best.EntryType.ToString().ToLowerInvariant()}) at {best.Score:0.0000}{more}"));
            }
        }

        public static Tally Sum(Tally[] slices)
        {
            var sum = new Tally();
            foreach (Tally slice in slices)
            {
                foreach ((string variant, (int planted, int hit)) in slice.PlantedHit)
                {
                    (int p, int h) = sum.PlantedHit.GetValueOrDefault(variant);
                    sum.PlantedHit[variant] = (p + planted, h + hit);
                }
                sum.Missed.AddRange(slice.Missed);
                sum.PlantedOtherHits += slice.PlantedOtherHits;
                sum.PlantedOtherMost = slice.PlantedOtherMost.Count > sum.PlantedOtherMost.Count ? slice.PlantedOtherMost : sum.PlantedOtherMost;
                sum.OrdinaryHits += slice.OrdinaryHits;
                Add(sum.OrdinaryNames, slice.OrdinaryNames);
                Add(sum.OrdinaryWithHit, slice.OrdinaryWithHit);
                Add(sum.BestScores, slice.BestScores);
                for (int t = 0; t < sum.HitsByType.Length; t++)
                {
                    sum.HitsByType[t] += slice.HitsByType[t];
                }
            }
            // The first slice's examples: the same names on every run, whatever the number of cores.
            sum.Examples.AddRange(slices[0].Examples);
            return sum;
        }

        private static void Add(int[] to, int[] from)
        {
            for (int i = 0; i < to.Length; i++)
            {
                to[i] += from[i];
            }
        }
    }
}

using System.Reflection;

namespace BackOffice.Storage;

/// <summary>A numbered schema change: <c>NNNN_name.sql</c>, applied once, in order, inside one transaction.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>Loads the migrations embedded in <paramref name="assembly"/> under a <c>Migrations</c> folder.</summary>
    public static IReadOnlyList<Migration> FromResources(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            string file = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            int version = int.Parse(file.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture);
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, file[5..^4], reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < migrations.Count; i++)
        {
            Domain.Primitives.Invariant.That(migrations[i].Version == i + 1, "migrations are numbered 0001, 0002, ... without gaps");
        }
        return migrations;
    }
}

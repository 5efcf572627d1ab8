using BackOffice.Host.Cli;
using Npgsql;

namespace BackOffice.Host.Tests;

/// <summary>Runs the CLI in-process (fast) or as a real process (for kill tests), against a throwaway database.</summary>
public sealed class Workspace : IAsyncDisposable
{
    private readonly string? _schema;

    private Workspace(string directory, string[] storeArgs, string? schema)
    {
        Directory = directory;
        StoreArgs = storeArgs;
        _schema = schema;
    }

    public string Directory { get; }
    public string[] StoreArgs { get; }

    public static Task<Workspace> SqliteAsync()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("backoffice-cli-").FullName;
        return Task.FromResult(new Workspace(directory, ["--db", Path.Combine(directory, "books.db")], null));
    }

    public static async Task<Workspace> PostgresAsync()
    {
        string server = Environment.GetEnvironmentVariable("BACKOFFICE_TEST_PG") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("PostgreSQL tests need a server: set BACKOFFICE_TEST_PG, or run ./test.sh, which starts one.");
        string schema = "cli_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        string connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ToString();
        string directory = System.IO.Directory.CreateTempSubdirectory("backoffice-cli-").FullName;
        return new Workspace(directory, ["--connection", connectionString], schema);
    }

    public string File(string name, string content)
    {
        string path = Path.Combine(Directory, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs one command line in-process with this workspace's store options.</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CommandLine.RunAsync([.. args, .. StoreArgs], output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_schema is not null)
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("BACKOFFICE_TEST_PG"));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

public sealed record CliResult(int Exit, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

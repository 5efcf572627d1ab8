using BackOffice.Application.Ports;
using BackOffice.Storage.Postgres;
using BackOffice.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BackOffice.Storage.Tests;

/// <summary>
/// A fresh, migrated store for one test, plus raw access to the database behind the write path's
/// back (for the immutability and tamper tests). One implementation per backend; the contract
/// tests run against each.
/// </summary>
public interface IStoreHarness : IAsyncDisposable
{
    IBackOfficeStore Store { get; }

    /// <summary>Runs SQL directly, as an attacker or a careless DBA would.</summary>
    Task<int> ExecuteRawAsync(string sql);

    /// <summary>Reads one value directly.</summary>
    Task<object?> ScalarRawAsync(string sql);

    /// <summary>Removes the triggers that make booked rows immutable (what a superuser could do).</summary>
    Task DropImmutabilityAsync();
}

public sealed class SqliteHarness : IStoreHarness
{
    private SqliteHarness(string path) => Store = SqliteStore.Open(path);

    public IBackOfficeStore Store { get; }

    public static async Task<SqliteHarness> CreateAsync(int migrateThrough = int.MaxValue)
    {
        var directory = Directory.CreateTempSubdirectory("backoffice-test-").FullName;
        var harness = new SqliteHarness(System.IO.Path.Combine(directory, "books.db"));
        await ((AdoStore)harness.Store).MigrateAsync(migrateThrough, CancellationToken.None);
        return harness;
    }

    public async Task<int> ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ((SqliteStore)Store).Path, Pooling = false, ForeignKeys = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarRawAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ((SqliteStore)Store).Path, Pooling = false, ForeignKeys = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public Task DropImmutabilityAsync() => ExecuteRawAsync(
        "DROP TRIGGER audit_records_no_update; DROP TRIGGER audit_records_no_delete; DROP TRIGGER journal_entries_no_update; " +
        "DROP TRIGGER journal_entries_no_delete; DROP TRIGGER postings_no_update; DROP TRIGGER postings_no_delete;");

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(((SqliteStore)Store).Path)!, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>
/// PostgreSQL: each test gets its own schema in the server named by BACKOFFICE_TEST_PG. The
/// README's test command starts a server and sets it. Without it the test FAILS (never skips):
/// a green run must mean PostgreSQL was really exercised.
/// </summary>
public sealed class PostgresHarness : IStoreHarness
{
    public const string Variable = "BACKOFFICE_TEST_PG";
    private readonly string _connectionString;
    private readonly string _schema;

    private PostgresHarness(string connectionString, string schema)
    {
        _connectionString = connectionString;
        _schema = schema;
        Store = PostgresStore.Open(connectionString);
    }

    public IBackOfficeStore Store { get; }

    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"PostgreSQL tests need a server: set {Variable} to an Npgsql connection string, or run the README's test command (./test.sh), which starts one.");

    public static async Task<PostgresHarness> CreateAsync(int migrateThrough = int.MaxValue)
    {
        string server = ServerConnectionString();
        string schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema };
        var harness = new PostgresHarness(builder.ToString(), schema);
        await ((AdoStore)harness.Store).MigrateAsync(migrateThrough, CancellationToken.None);
        return harness;
    }

    public async Task<int> ExecuteRawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarRawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public Task DropImmutabilityAsync() => ExecuteRawAsync(
        "DROP TRIGGER audit_records_immutable ON audit_records; DROP TRIGGER journal_entries_immutable ON journal_entries; " +
        "DROP TRIGGER postings_immutable ON postings;");

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Which backend a contract test runs on; xunit passes each value as a theory row.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

public static class Harness
{
    public static async Task<IStoreHarness> CreateAsync(Backend backend, int migrateThrough = int.MaxValue) => backend switch
    {
        Backend.Sqlite => await SqliteHarness.CreateAsync(migrateThrough),
        _ => await PostgresHarness.CreateAsync(migrateThrough),
    };

    public static TheoryData<Backend> Backends => new() { Backend.Sqlite, Backend.Postgres };
}

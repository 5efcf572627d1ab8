using System.Data.Common;
using System.Globalization;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a
/// committed batch survives a crash or power loss. Writers are serialised by SQLite's own write
/// lock (<c>BEGIN IMMEDIATE</c>), which is also the audit chain's lock.
/// </summary>
public sealed class SqliteStore : AdoStore
{
    private static readonly IReadOnlyList<Migration> s_migrations = Migration.FromResources(typeof(SqliteStore).Assembly);
    private static readonly string[] s_entryParameters = ["id", "seq", "date", "at", "reason", "source", "reverses", "key", "ph", "hash"];
    private static readonly string[] s_postingParameters = ["entry", "line", "account", "asset", "units", "date"];
    private readonly string _connectionString;

    private SqliteStore(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc/>
    public override string Kind => "sqlite";

    /// <summary>The database file.</summary>
    public string Path => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc/>
    protected override IReadOnlyList<Migration> Migrations => s_migrations;

    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/>.</summary>
    public static SqliteStore Open(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        };
        return new SqliteStore(builder.ToString());
    }

    /// <inheritdoc/>
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using DbCommand pragmas = Sql.Command(connection, null,
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 60000;");
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <inheritdoc/>
    protected override Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Not deferred: BEGIN IMMEDIATE takes the write lock now, before the head is read.
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <inheritdoc/>
    protected override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <inheritdoc/>
    protected override object DateValue(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <inheritdoc/>
    protected override LocalDate ReadDate(DbDataReader reader, int ordinal) => LocalDatePattern.Iso.Parse(reader.GetString(ordinal)).Value;

    /// <inheritdoc/>
    protected override string InList(DbCommand command, string column, IReadOnlyList<string> values)
    {
        var names = new string[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            names[i] = "@v" + i.ToString(CultureInfo.InvariantCulture);
            Sql.Add(command, names[i], values[i]);
        }
        return values.Count == 0 ? "1 = 0" : $"{column} IN ({string.Join(", ", names)})";
    }

    /// <inheritdoc/>
    protected override Task AppendRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<JournalEntry> entries,
        IReadOnlyList<Sha256Hash> entryHashes, CancellationToken cancellationToken)
    {
        // SQLite runs in-process: prepared statements re-executed with new values are the fast
        // path (no round trips to save), so this stays synchronous.
        using DbCommand entry = Sql.Command(connection, transaction,
            $"INSERT INTO journal_entries ({Schema.EntryColumns}) VALUES (@id, @seq, @date, @at, @reason, @source, @reverses, @key, @ph, @hash)");
        DbParameter[] e = s_entryParameters
            .Select(n => Sql.Add(entry, n, null)).ToArray();
        using DbCommand posting = Sql.Command(connection, transaction,
            $"INSERT INTO postings ({Schema.PostingColumns}) VALUES (@entry, @line, @account, @asset, @units, @date)");
        DbParameter[] p = s_postingParameters.Select(n => Sql.Add(posting, n, null)).ToArray();
        entry.Prepare();
        posting.Prepare();
        for (int i = 0; i < entries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            JournalEntry row = entries[i];
            string date = LocalDatePattern.Iso.Format(row.EffectiveDate);
            e[0].Value = row.Id.Value;
            e[1].Value = row.AuditSequence.Value;
            e[2].Value = date;
            e[3].Value = row.RecordedAt.ToUnixTimeTicks();
            e[4].Value = row.Reason;
            e[5].Value = row.SourceReference;
            e[6].Value = row.Reverses is { } r ? r.Value : DBNull.Value;
            e[7].Value = row.Key.Value;
            e[8].Value = row.PayloadHash.Bytes.ToArray();
            e[9].Value = entryHashes[i].Bytes.ToArray();
            entry.ExecuteNonQuery();
            for (int line = 0; line < row.Postings.Length; line++)
            {
                Posting item = row.Postings[line];
                p[0].Value = row.Id.Value;
                p[1].Value = line + 1;
                p[2].Value = item.LedgerAccount.Value;
                p[3].Value = item.Asset.Value;
                p[4].Value = item.Units;
                p[5].Value = date;
                posting.ExecuteNonQuery();
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}

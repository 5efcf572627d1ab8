using System.Data.Common;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace BackOffice.Storage.Postgres;

/// <summary>
/// The shared server store. Several BackOffice instances may write to one database: the write
/// path locks the chain head row (<c>SELECT ... FOR UPDATE</c>) for the length of a transaction,
/// so audit sequences and entry ids stay consecutive. Bulk rows go in with binary COPY.
/// </summary>
public sealed class PostgresStore : AdoStore
{
    private const long MigrationLockKey = 0x4261_636B_4F66; // "BackOf"
    private static readonly IReadOnlyList<Migration> s_migrations = Migration.FromResources(typeof(PostgresStore).Assembly);
    private readonly NpgsqlDataSource _dataSource;

    private PostgresStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <inheritdoc/>
    public override string Kind => "postgres";

    /// <inheritdoc/>
    protected override IReadOnlyList<Migration> Migrations => s_migrations;

    /// <summary>Connects with an Npgsql connection string (for example <c>Host=127.0.0.1;Username=backoffice;Database=books</c>).</summary>
    public static PostgresStore Open(string connectionString) => new(NpgsqlDataSource.Create(connectionString));

    /// <summary>
    /// A lease is a session-level advisory lock on a connection of its own, outside the pool (a
    /// pooled connection would keep the lock after it is returned). PostgreSQL releases the lock
    /// when the session ends, so a holder that dies, or whose network goes, frees the lease.
    /// </summary>
    public override async Task<Application.Ports.ILease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString) { Pooling = false, ApplicationName = "backoffice lease " + name };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection);
            long key = LeaseKey(builder.SearchPath, name);
            command.Parameters.AddWithValue("k", key);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new Lease(name, key, connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// The advisory lock key of a lease: the first 8 bytes of SHA-256 of its name and the schema
    /// search path. Advisory locks are per database, so books kept in two schemas of one database
    /// would otherwise share (and block) each other's leases.
    /// </summary>
    private static long LeaseKey(string? searchPath, string name) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"backoffice.lease/{searchPath}/{name}")), 0);

    private sealed class Lease(string name, long key, NpgsqlConnection connection) : Application.Ports.ILease
    {
        public string Name => name;

        public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted", connection);
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                return false;
            }
        }

        /// <summary>
        /// Unlocks before closing. Closing alone would release the lock too, but only once the
        /// server's backend has noticed the session end, so a successor asking at once could be
        /// refused a lease that its holder has already let go.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                // A holder whose network is gone should not wait long: its lock goes with its session anyway.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection) { CommandTimeout = 5 };
                command.Parameters.AddWithValue("k", key);
                await command.ExecuteScalarAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The session is already gone, and with it the lock.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc/>
    protected override async Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "SELECT 1 FROM chain_head WHERE id = 1 FOR UPDATE", cancellationToken);
        return transaction;
    }

    /// <inheritdoc/>
    protected override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "SELECT pg_advisory_xact_lock(@k)");
        Sql.Add(command, "k", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override object DateValue(LocalDate date) => date.ToDateOnly();

    /// <inheritdoc/>
    protected override LocalDate ReadDate(DbDataReader reader, int ordinal) => LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(ordinal));

    /// <inheritdoc/>
    protected override string InList(DbCommand command, string column, IReadOnlyList<string> values)
    {
        string name = "v" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Sql.Add(command, name, values.ToArray());
        return $"{column} = ANY(@{name})";
    }

    /// <inheritdoc/>
    protected override async Task AppendRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<JournalEntry> entries,
        IReadOnlyList<Sha256Hash> entryHashes, CancellationToken cancellationToken)
    {
        // Rows are written synchronously into COPY's buffer (it flushes to the socket as it fills);
        // an await per value would cost more than the value itself.
        var npgsql = (NpgsqlConnection)connection;
        await using (NpgsqlBinaryImporter importer = await npgsql.BeginBinaryImportAsync(
            $"COPY journal_entries ({Schema.EntryColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (int i = 0; i < entries.Count; i++)
            {
                JournalEntry row = entries[i];
                importer.StartRow();
                importer.Write(row.Id.Value, NpgsqlDbType.Bigint);
                importer.Write(row.AuditSequence.Value, NpgsqlDbType.Bigint);
                importer.Write(row.EffectiveDate.ToDateOnly(), NpgsqlDbType.Date);
                importer.Write(row.RecordedAt.ToUnixTimeTicks(), NpgsqlDbType.Bigint);
                importer.Write(row.Reason, NpgsqlDbType.Text);
                importer.Write(row.SourceReference, NpgsqlDbType.Text);
                if (row.Reverses is { } reverses)
                {
                    importer.Write(reverses.Value, NpgsqlDbType.Bigint);
                }
                else
                {
                    importer.WriteNull();
                }
                importer.Write(row.Key.Value, NpgsqlDbType.Text);
                importer.Write(row.PayloadHash.Bytes.ToArray(), NpgsqlDbType.Bytea);
                importer.Write(entryHashes[i].Bytes.ToArray(), NpgsqlDbType.Bytea);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await using NpgsqlBinaryImporter postings = await npgsql.BeginBinaryImportAsync(
            $"COPY postings ({Schema.PostingColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (JournalEntry row in entries)
        {
            DateOnly date = row.EffectiveDate.ToDateOnly();
            for (int line = 0; line < row.Postings.Length; line++)
            {
                Posting item = row.Postings[line];
                postings.StartRow();
                postings.Write(row.Id.Value, NpgsqlDbType.Bigint);
                postings.Write(line + 1, NpgsqlDbType.Integer);
                postings.Write(item.LedgerAccount.Value, NpgsqlDbType.Bigint);
                postings.Write(item.Asset.Value, NpgsqlDbType.Bigint);
                postings.Write(item.Units, NpgsqlDbType.Bigint);
                postings.Write(date, NpgsqlDbType.Date);
            }
        }
        await postings.CompleteAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task AppendTradeVersionRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TradeVersionRow> rows,
        CancellationToken cancellationToken)
    {
        await using NpgsqlBinaryImporter importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY trade_versions ({TradeVersionColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (TradeVersionRow row in rows)
        {
            Domain.Trading.TradeVersion v = row.Version;
            importer.StartRow();
            importer.Write(v.TradeId, NpgsqlDbType.Bigint);
            importer.Write(v.Version, NpgsqlDbType.Integer);
            importer.Write(v.AuditSequence.Value, NpgsqlDbType.Bigint);
            importer.Write((int)v.Action, NpgsqlDbType.Integer);
            importer.Write((int)v.Status, NpgsqlDbType.Integer);
            importer.Write(v.Source, NpgsqlDbType.Text);
            importer.Write(v.SourceTradeId, NpgsqlDbType.Text);
            importer.Write(v.PayloadHash.Bytes.ToArray(), NpgsqlDbType.Bytea);
            importer.Write(v.Account, NpgsqlDbType.Text);
            importer.Write(v.Isin, NpgsqlDbType.Text);
            importer.Write(v.TradeDate.ToDateOnly(), NpgsqlDbType.Date);
            importer.Write(v.SettlementDate.ToDateOnly(), NpgsqlDbType.Date);
            WriteNullable(importer, v.EntryId?.Value);
            WriteNullable(importer, v.ReversalEntryId?.Value);
            importer.Write((int)v.Side, NpgsqlDbType.Integer);
            importer.Write(v.Market, NpgsqlDbType.Text);
            importer.Write(v.Quantity, NpgsqlDbType.Numeric);
            importer.Write(v.Price, NpgsqlDbType.Numeric);
            importer.Write(v.Currency, NpgsqlDbType.Text);
            importer.Write(v.Counterparty, NpgsqlDbType.Text);
            WriteNullable(importer, v.ExecutedAt?.ToUnixTimeTicks());
            importer.Write(v.Gross, NpgsqlDbType.Numeric);
            importer.Write(v.AccruedInterest, NpgsqlDbType.Numeric);
            importer.Write(v.Net, NpgsqlDbType.Numeric);
            importer.Write(System.Text.Encoding.UTF8.GetString(row.Charges.Span), NpgsqlDbType.Jsonb);
            Domain.Trading.StandingSettlementInstruction? ssi = v.Ssi;
            WriteNullable(importer, ssi?.Id);
            WriteNullable(importer, ssi?.Market);
            if (ssi?.AssetClass is { } assetClass)
            {
                importer.Write((int)assetClass, NpgsqlDbType.Integer);
            }
            else
            {
                importer.WriteNull();
            }
            WriteNullable(importer, ssi?.PlaceOfSettlement);
            WriteNullable(importer, ssi?.DepositoryAccount);
            WriteNullable(importer, ssi?.AgentBic);
            if (ssi is not null)
            {
                importer.Write(ssi.EffectiveFrom.ToDateOnly(), NpgsqlDbType.Date);
            }
            else
            {
                importer.WriteNull();
            }
            importer.Write(v.SourceMessage, NpgsqlDbType.Text);
            WriteNullable(importer, v.LotIds is { } lots ? Domain.Trading.TradeLots.Format(lots) : null);
            if (ssi is not null)
            {
                importer.Write(ssi.FreeOfPayment, NpgsqlDbType.Boolean);
            }
            else
            {
                importer.WriteNull();
            }
            WriteNullable(importer, v.VenueTransactionId);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task AppendRealizedRowsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Application.Ports.RealizedRow> rows, CancellationToken cancellationToken)
    {
        await using NpgsqlBinaryImporter importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            "COPY realized_trades (trade_id, account, instrument, currency, trade_date, quantity, proceeds, cost_basis) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (Application.Ports.RealizedRow row in rows)
        {
            importer.StartRow();
            importer.Write(row.TradeId, NpgsqlDbType.Bigint);
            importer.Write(row.Account, NpgsqlDbType.Text);
            importer.Write(row.Instrument, NpgsqlDbType.Text);
            importer.Write(row.Currency, NpgsqlDbType.Text);
            importer.Write(row.TradeDate.ToDateOnly(), NpgsqlDbType.Date);
            importer.Write(row.Quantity, NpgsqlDbType.Numeric);
            importer.Write(row.Proceeds, NpgsqlDbType.Numeric);
            importer.Write(row.CostBasis, NpgsqlDbType.Numeric);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is not null)
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, long? value)
    {
        if (value is { } v)
        {
            importer.Write(v, NpgsqlDbType.Bigint);
        }
        else
        {
            importer.WriteNull();
        }
    }

    /// <summary>
    /// The grants for the role BackOffice runs as in production, where the tables belong to another
    /// (migration) role: it may read everything and append booked facts, update only the chain head,
    /// the balance projection, the realized P&amp;L snapshot, reference data, the current state of settlement instructions,
    /// users, keys, approval requests, statements, breaks, report records and alerts (their events stay append-only), and
    /// never update or delete a journal entry, a
    /// posting or an audit record, whatever happens to the triggers.
    /// </summary>
    public static string ApplicationRoleGrants(string schema, string role) =>
        $"""
        GRANT USAGE ON SCHEMA {schema} TO {role};
        GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema} TO {role};
        GRANT UPDATE ON {schema}.chain_head, {schema}.balances, {schema}.currencies, {schema}.markets, {schema}.instruments,
            {schema}.parties, {schema}.client_accounts, {schema}.books, {schema}.ledger_accounts, {schema}.fee_rules, {schema}.settlement_instructions, {schema}.fix_sessions,
            {schema}.prices, {schema}.fx_rates, {schema}.interest_rates, {schema}.splits, {schema}.netting_agreements, {schema}.close_out_rules,
            {schema}.central_bank_rates, {schema}.penalty_rates, {schema}.realized_snapshot, {schema}.realized_trades, {schema}.instructions,
            {schema}.users, {schema}.api_keys, {schema}.approvals, {schema}.statement_accounts, {schema}.statements, {schema}.recon_breaks,
            {schema}.mifir_firm, {schema}.mifir_clients, {schema}.mifir_records, {schema}.restricted_instruments, {schema}.trading_limits, {schema}.screenings,
            {schema}.compliance_alerts TO {role};
        GRANT DELETE ON {schema}.balances, {schema}.realized_trades TO {role};
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
        """;

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

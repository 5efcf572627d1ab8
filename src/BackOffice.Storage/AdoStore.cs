using System.Collections.Immutable;
using System.Data.Common;
using System.Runtime.CompilerServices;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage;

/// <summary>
/// ADO.NET code shared by the SQLite and PostgreSQL stores. The SQL is written once, in the
/// subset both speak (ON CONFLICT upserts, @name parameters); the adapters supply connections,
/// the write lock, date columns, IN-lists and the bulk append, which is where they differ.
/// </summary>
public abstract partial class AdoStore : IBackOfficeStore
{
    /// <summary>Most values in one IN-list query; larger sets are looked up in chunks.</summary>
    protected const int InListMax = 500;

    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <summary>The store's migrations, in order.</summary>
    protected abstract IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Opens a connection ready for use (pragmas set).</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that holds the chain's write lock until it ends.</summary>
    protected abstract Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serialises concurrent migrators (a no-op where the transaction already does).</summary>
    protected abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>The database value of a date column.</summary>
    protected abstract object DateValue(LocalDate date);

    /// <summary>Runs when a write transaction has ended (committed or rolled back), before its connection goes back to the pool.</summary>
    protected virtual Task AfterWriteAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>A decimal column value: SQLite keeps decimals as text written exactly (1.00 stays 1.00), PostgreSQL as numeric.</summary>
    protected virtual object DecimalValue(decimal value) => value;

    /// <summary>The date column value, for the reference-data writer.</summary>
    internal object DateParameter(LocalDate date) => DateValue(date);

    /// <summary>The decimal column value, for the reference-data writer: the figure with its scale, as published.</summary>
    internal object DecimalParameter(decimal value) => DecimalValue(value);

    /// <summary>Reads a date column.</summary>
    protected abstract LocalDate ReadDate(DbDataReader reader, int ordinal);

    /// <summary>Writes the entry and posting rows of one batch.</summary>
    protected abstract Task AppendRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<JournalEntry> entries,
        IReadOnlyList<Sha256Hash> entryHashes, CancellationToken cancellationToken);

    /// <summary>Adds the parameters of an IN-list and returns its SQL, for example <c>code IN (@v0, @v1)</c>.</summary>
    /// <summary>
    /// Moves the balance projection by each net delta (zeros skipped), inside the write transaction
    /// on <paramref name="connection"/>; false when the store has no faster way than the unit of
    /// work's prepared ADO.NET statement.
    /// </summary>
    private protected virtual bool TryMoveBalances(DbConnection connection, Dictionary<(LedgerAccountId Account, AssetId Asset), long> deltas) => false;

    protected abstract string InList(DbCommand command, string column, IReadOnlyList<string> values);

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>
    /// Applies the migrations not applied yet up to and including <paramref name="throughVersion"/>
    /// (to test a migration against data written by the schema before it).
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(int throughVersion, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockForMigrationAsync(connection, transaction, cancellationToken);
        await Sql.ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL)", cancellationToken);
        var applied = new HashSet<long>();
        await using (DbCommand select = Sql.Command(connection, transaction, "SELECT version FROM schema_migrations"))
        await using (DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt64(0));
            }
        }
        var names = new List<string>();
        foreach (Migration migration in Migrations.Where(m => !applied.Contains(m.Version) && m.Version <= throughVersion))
        {
            await Sql.ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using DbCommand record = Sql.Command(connection, transaction, "INSERT INTO schema_migrations (version, name) VALUES (@v, @n)");
            Sql.Add(record, "v", migration.Version);
            Sql.Add(record, "n", migration.Name);
            await record.ExecuteNonQueryAsync(cancellationToken);
            names.Add($"{migration.Version:D4}_{migration.Name}");
        }
        await transaction.CommitAsync(cancellationToken);
        return names;
    }

    /// <inheritdoc/>
    public async Task<IWriteUnitOfWork> BeginWriteAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await OpenConnectionAsync(cancellationToken);
        try
        {
            DbTransaction transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
            ChainHead head = await ReadHeadAsync(connection, transaction, cancellationToken);
            return new UnitOfWork(this, connection, transaction, head);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public abstract Task<Application.Ports.ILease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public async Task<ChainHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadHeadAsync(connection, null, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ReferenceLookup> ResolveAsync(IReadOnlyCollection<string> ledgerAccountCodes, IReadOnlyCollection<string> assetCodes, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ResolveAsync(connection, null, ledgerAccountCodes, assetCodes, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ReferenceLookup> ReadAllReferenceAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        var accounts = await ReadLedgerAccountsAsync(connection, null, null, cancellationToken);
        var assets = await ReadAssetsAsync(connection, null, null, cancellationToken);
        return new ReferenceLookup(accounts, assets);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, BookedKey>> FindEntryKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await FindEntryKeysAsync(connection, null, keys, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<JournalEntry?> ReadEntryAsync(JournalEntryId id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadEntryAsync(connection, null, id, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<EntryPage> SearchEntriesAsync(EntryQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await SearchEntriesAsync(connection, query, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<JournalEntryId?> FindReversalOfAsync(JournalEntryId id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await FindReversalOfAsync(connection, null, id, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<BalanceRow>> ReadBalancesAsync(LocalDate? asOf, Instant? knownAt, CancellationToken cancellationToken) =>
        ReadBalancesAsync(asOf, knownAt, BalanceBasis.EffectiveDate, cancellationToken);

    /// <summary>
    /// The settlement date of every entry that books or reverses a trade version: a version's own
    /// entry settles on its settlement date; the reversal a later version books settles on the
    /// settlement date of the version it reverses.
    /// </summary>
    private const string EntrySettlementDates =
        "SELECT entry_id, settlement_date FROM trade_versions WHERE entry_id IS NOT NULL " +
        "UNION ALL SELECT v.reversal_entry_id, p.settlement_date FROM trade_versions v " +
        "JOIN trade_versions p ON p.trade_id = v.trade_id AND p.version = v.version - 1 WHERE v.reversal_entry_id IS NOT NULL";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BalanceRow>> ReadBalancesAsync(LocalDate? asOf, Instant? knownAt, BalanceBasis basis, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "");
        var filters = new List<string>();
        string from = "postings p";
        if (asOf is { } date)
        {
            if (basis == BalanceBasis.SettlementDate)
            {
                // A trade's postings count from its settlement date; any other entry settles when effective.
                from = $"postings p LEFT JOIN ({EntrySettlementDates}) s ON s.entry_id = p.entry_id";
                filters.Add("COALESCE(s.settlement_date, p.effective_date) <= @as_of");
            }
            else
            {
                filters.Add("p.effective_date <= @as_of");
            }
            Sql.Add(command, "as_of", DateValue(date));
        }
        if (knownAt is { } instant)
        {
            // Recorded times rise with entry ids (the write path never lets them go back), so a
            // point in recorded time is a cut of the journal by id.
            filters.Add("p.entry_id <= (SELECT COALESCE(MAX(id), 0) FROM journal_entries WHERE recorded_at <= @known_at)");
            Sql.Add(command, "known_at", instant.ToUnixTimeTicks());
        }
        string where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        command.CommandText = $"SELECT p.ledger_account_id, p.asset_id, SUM(p.units) FROM {from}{where} GROUP BY p.ledger_account_id, p.asset_id";
        return await ReadBalanceRowsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task ReplaceRealizedSnapshotAsync(LocalDate through, AuditSequence sequence, IEnumerable<RealizedRow> rows, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbTransaction transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM realized_trades", cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM realized_snapshot", cancellationToken);
        await AppendRealizedRowsAsync(connection, transaction, rows, cancellationToken);
        await using (DbCommand head = Sql.Command(connection, transaction, "INSERT INTO realized_snapshot (id, through_date, audit_sequence) VALUES (1, @through, @seq)"))
        {
            Sql.Add(head, "through", DateValue(through));
            Sql.Add(head, "seq", sequence.Value);
            await head.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Writes realized snapshot rows (PostgreSQL copies them in binary).</summary>
    protected virtual async Task AppendRealizedRowsAsync(DbConnection connection, DbTransaction transaction, IEnumerable<RealizedRow> rows, CancellationToken cancellationToken)
    {
        await using DbCommand insert = Sql.Command(connection, transaction,
            "INSERT INTO realized_trades (trade_id, account, instrument, currency, trade_date, quantity, proceeds, cost_basis) VALUES (@id, @a, @i, @c, @d, @q, @p, @b)");
        DbParameter id = Sql.Add(insert, "id", 0L), account = Sql.Add(insert, "a", ""), instrument = Sql.Add(insert, "i", ""), currency = Sql.Add(insert, "c", "");
        DbParameter date = Sql.Add(insert, "d", DateValue(Earliest)), quantity = Sql.Add(insert, "q", DecimalValue(0m)), proceeds = Sql.Add(insert, "p", DecimalValue(0m)),
            cost = Sql.Add(insert, "b", DecimalValue(0m));
        insert.Prepare();
        foreach (RealizedRow row in rows)
        {
            id.Value = row.TradeId;
            account.Value = row.Account;
            instrument.Value = row.Instrument;
            currency.Value = row.Currency;
            date.Value = DateValue(row.TradeDate);
            quantity.Value = DecimalValue(row.Quantity);
            proceeds.Value = DecimalValue(row.Proceeds);
            cost.Value = DecimalValue(row.CostBasis);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // Before any trade date (and within what both databases store as a date).
    private static readonly LocalDate Earliest = new(1, 1, 1);

    /// <inheritdoc/>
    public async Task<RealizedSnapshot?> ReadRealizedSnapshotAsync(LocalDate? from, LocalDate asOf, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        LocalDate through;
        AuditSequence sequence;
        await using (DbCommand head = Sql.Command(connection, null, "SELECT through_date, audit_sequence FROM realized_snapshot WHERE id = 1"))
        await using (DbDataReader reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            through = ReadDate(reader, 0);
            sequence = new AuditSequence(reader.GetInt64(1));
        }
        // Summed here, not in SQL: SQLite would sum the decimals as floating point.
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT account, instrument, currency, trade_date, quantity, proceeds, cost_basis FROM realized_trades " +
            "WHERE trade_date <= @as_of AND trade_date >= @from");
        Sql.Add(command, "as_of", DateValue(asOf));
        Sql.Add(command, "from", DateValue(from ?? Earliest));
        var sums = new Dictionary<(string, string, string), RealizedRow>();
        await using (DbDataReader r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                (string, string, string) key = (r.GetString(0), r.GetString(1), r.GetString(2));
                LocalDate date = ReadDate(r, 3);
                decimal quantity = r.GetDecimal(4), proceeds = r.GetDecimal(5), cost = r.GetDecimal(6);
                sums[key] = sums.TryGetValue(key, out RealizedRow sum)
                    ? sum with { TradeDate = date > sum.TradeDate ? date : sum.TradeDate, Quantity = sum.Quantity + quantity, Proceeds = sum.Proceeds + proceeds, CostBasis = sum.CostBasis + cost }
                    : new RealizedRow(0, key.Item1, key.Item2, key.Item3, date, quantity, proceeds, cost);
            }
        }
        return new RealizedSnapshot(through, sequence, [.. sums.Values.OrderBy(s => s.Account, StringComparer.Ordinal).ThenBy(s => s.Instrument, StringComparer.Ordinal)
            .ThenBy(s => s.Currency, StringComparer.Ordinal)]);
    }

    /// <inheritdoc/>
    public virtual async Task<IReadOnlyList<BalanceRow>> ReadBalanceProjectionAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT ledger_account_id, asset_id, units FROM balances");
        return await ReadBalanceRowsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task ReplaceBalanceProjectionAsync(IReadOnlyList<BalanceRow> rows, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbTransaction transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM balances", cancellationToken);
        await UpsertBalancesAsync(connection, transaction, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<AuditRecord?> FindCommandAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, $"SELECT {Schema.AuditColumns} FROM audit_records WHERE idempotency_key = @k");
        Sql.Add(command, "k", key.Value);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAuditRecord(reader) : null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditRecord> ReadAuditRecordsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, $"SELECT {Schema.AuditColumns} FROM audit_records ORDER BY sequence");
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadAuditRecord(reader);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredEntry> ReadEntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Two ordered streams merged: entries by id, postings by entry id. A posting whose entry
        // is missing is reported as an entry with no header fields (the verifier names it).
        await using DbConnection entryConnection = await OpenConnectionAsync(cancellationToken);
        await using DbConnection postingConnection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand entryCommand = Sql.Command(entryConnection, null, $"SELECT {Schema.EntryColumns} FROM journal_entries ORDER BY id");
        await using DbCommand postingCommand = Sql.Command(postingConnection, null,
            "SELECT entry_id, ledger_account_id, asset_id, units FROM postings ORDER BY entry_id, line_number");
        await using DbDataReader entries = await entryCommand.ExecuteReaderAsync(cancellationToken);
        await using DbDataReader postings = await postingCommand.ExecuteReaderAsync(cancellationToken);
        bool hasPosting = await postings.ReadAsync(cancellationToken);
        var lines = ImmutableArray.CreateBuilder<Posting>();
        while (await entries.ReadAsync(cancellationToken))
        {
            long id = entries.GetInt64(0);
            while (hasPosting && postings.GetInt64(0) < id)
            {
                yield return Orphan(postings.GetInt64(0));
                long orphan = postings.GetInt64(0);
                while (hasPosting && postings.GetInt64(0) == orphan)
                {
                    hasPosting = await postings.ReadAsync(cancellationToken);
                }
            }
            lines.Clear();
            while (hasPosting && postings.GetInt64(0) == id)
            {
                lines.Add(new Posting(new LedgerAccountId(postings.GetInt64(1)), new AssetId(postings.GetInt64(2)), postings.GetInt64(3)));
                hasPosting = await postings.ReadAsync(cancellationToken);
            }
            yield return new StoredEntry(ReadEntryHeader(entries, lines.ToImmutable()), Sha256Hash.FromBytes((byte[])entries[9]));
        }
        if (hasPosting)
        {
            yield return Orphan(postings.GetInt64(0));
        }
    }

    private static StoredEntry Orphan(long entryId) => new(new JournalEntry
    {
        Id = new JournalEntryId(entryId),
        AuditSequence = new AuditSequence(long.MaxValue),
        EffectiveDate = default,
        RecordedAt = default,
        Reason = "",
        SourceReference = "",
        Reverses = null,
        Key = IdempotencyKey.From("orphan"),
        PayloadHash = Sha256Hash.Zero,
        Postings = [],
    }, Sha256Hash.Zero, HeaderMissing: true);

    private async Task<ChainHead> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            "SELECT last_sequence, last_hash, last_entry_id, last_recorded_at, closed_through, latest_effective_date, lots_changed_sequence, reference_changed_sequence FROM chain_head WHERE id = 1");
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        Invariant.That(await reader.ReadAsync(cancellationToken), "the chain head row exists once the store is migrated");
        return new ChainHead(new AuditSequence(reader.GetInt64(0)), Sha256Hash.FromBytes((byte[])reader[1]),
            new JournalEntryId(reader.GetInt64(2)), Instant.FromUnixTimeTicks(reader.GetInt64(3)))
        {
            ClosedThrough = reader.IsDBNull(4) ? null : ReadDate(reader, 4),
            LatestEffectiveDate = reader.IsDBNull(5) ? null : ReadDate(reader, 5),
            LotsChangedSequence = new AuditSequence(reader.GetInt64(6)),
            ReferenceChangedSequence = new AuditSequence(reader.GetInt64(7)),
        };
    }

    private static async Task<IReadOnlyList<BalanceRow>> ReadBalanceRowsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<BalanceRow>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        // A million rows: read synchronously once the query runs (the rows are already the database's to hand over).
        bool integral = true, first = true;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (first)
            {
                // PostgreSQL sums bigint into numeric; the conversion is checked.
                integral = reader.GetFieldType(2) == typeof(long);
                first = false;
            }
            long units = integral ? reader.GetInt64(2) : checked((long)Convert.ToDecimal(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
            rows.Add(new BalanceRow(new LedgerAccountId(reader.GetInt64(0)), new AssetId(reader.GetInt64(1)), units));
        }
        return rows;
    }
}

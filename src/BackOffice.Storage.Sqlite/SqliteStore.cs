using System.Data.Common;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using SQLitePCL;

namespace BackOffice.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a
/// committed batch survives a crash or power loss. Writers are serialised by SQLite's own write
/// lock (<c>BEGIN IMMEDIATE</c>), which is also the audit chain's lock.
/// </summary>
public sealed class SqliteStore : AdoStore
{
    private static readonly IReadOnlyList<Migration> s_migrations = Migration.FromResources(typeof(SqliteStore).Assembly);
    private readonly string _connectionString;
    private readonly WalCheckpointer _checkpointer;

    private SqliteStore(string connectionString, int checkpointPages)
    {
        _connectionString = connectionString;
        _checkpointer = new WalCheckpointer(connectionString, checkpointPages);
    }

    /// <inheritdoc/>
    public override string Kind => "sqlite";

    /// <summary>The database file.</summary>
    public string Path => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc/>
    protected override IReadOnlyList<Migration> Migrations => s_migrations;

    /// <summary>Commits whose WAL had reached the checkpoint threshold (each asks the background checkpointer).</summary>
    public int CheckpointsRequested => _checkpointer.Requests;

    /// <summary>Checkpoints the background checkpointer has completed.</summary>
    public int CheckpointsCompleted => _checkpointer.Completed;

    /// <summary>
    /// A lease is an exclusive lock on a file beside the database (<c>books.db.lease-NAME</c>):
    /// the operating system releases it when the holding process ends, however it ends.
    /// </summary>
    public override Task<Application.Ports.ILease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken)
    {
        string file = Path + ".lease-" + name;
        try
        {
            var stream = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return Task.FromResult<Application.Ports.ILease?>(new FileLease(name, stream));
        }
        catch (IOException)
        {
            return Task.FromResult<Application.Ports.ILease?>(null);
        }
    }

    private sealed class FileLease(string name, FileStream stream) : Application.Ports.ILease
    {
        public string Name => name;

        public Task<bool> IsHeldAsync(CancellationToken cancellationToken) => Task.FromResult(stream.CanRead);

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    /// <summary>
    /// Opens (creating if needed) the database file at <paramref name="path"/>. The WAL is copied
    /// into the file in the background once it holds <paramref name="checkpointPages"/> pages.
    /// </summary>
    public static SqliteStore Open(string path, int checkpointPages = WalCheckpointer.DefaultFrames)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        };
        return new SqliteStore(builder.ToString(), checkpointPages);
    }

    /// <inheritdoc/>
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // 16 KiB pages (set before WAL, so it takes effect when the file is created; an existing
        // file keeps its own): bulk appends split a quarter as many pages (bench/README.md).
        await using DbCommand pragmas = Sql.Command(connection, null,
            "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 60000; PRAGMA cache_size = -16384;");
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        // The WAL is checkpointed in the background once it holds 5,000 pages (80 MiB), not by the
        // commit that crossed the line (WalCheckpointer).
        _checkpointer.Attach(connection);
        return connection;
    }

    /// <inheritdoc/>
    protected override async Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Readers keep a 16 MiB page cache (set on every open, so a pooled connection shrinks back);
        // a write gets 256 MiB, which bulk imports need to keep the indexes they append to in memory.
        await Sql.ExecuteAsync(connection, null, "PRAGMA cache_size = -262144", cancellationToken);
        // Not deferred: BEGIN IMMEDIATE takes the write lock now, before the head is read.
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    /// <inheritdoc/>
    protected override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <inheritdoc/>
    protected override object DateValue(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <inheritdoc/>
    protected override LocalDate ReadDate(DbDataReader reader, int ordinal) => LocalDatePattern.Iso.Parse(reader.GetString(ordinal)).Value;

    /// <summary>
    /// After a write, the connection's page cache shrinks back to the readers' 16 MiB; when that
    /// freed a lot (a bulk import fills 256 MiB), the C heap is trimmed so the memory goes back to
    /// the system rather than staying with the process.
    /// </summary>
    protected override async Task AfterWriteAsync(DbConnection connection)
    {
        lock (_statementsLock)
        {
            if (_statements?.Connection == connection)
            {
                _statements.Dispose();
                _statements = null;
            }
        }
        await ShrinkCacheAsync(connection);
    }

    /// <summary>Gives <paramref name="connection"/> the readers' 16 MiB page cache back, trimming the C heap when that freed a lot.</summary>
    private static async Task ShrinkCacheAsync(DbConnection connection)
    {
        long before = raw.sqlite3_memory_used();
        await Sql.ExecuteAsync(connection, null, "PRAGMA cache_size = -16384", CancellationToken.None);
        if (before - raw.sqlite3_memory_used() > 64L << 20 && OperatingSystem.IsLinux())
        {
            _ = NativeMethods.malloc_trim(0);
        }
    }

    /// <summary>
    /// The insert statements of the write path, prepared once per write transaction: a group of
    /// commands (the server's group commit) or a file's chunks reuse them instead of preparing the
    /// same SQL for each. SQLite has one writer at a time, so one set serves; it is finalized when
    /// its transaction's connection is given back (<see cref="AfterWriteAsync"/>).
    /// </summary>
    private sealed class WriteStatements(DbConnection connection) : IDisposable
    {
        private readonly Dictionary<string, NativeStatement> _bySql = new(StringComparer.Ordinal);

        public DbConnection Connection => connection;

        public NativeStatement Get(string sql)
        {
            if (!_bySql.TryGetValue(sql, out NativeStatement? statement))
            {
                statement = new NativeStatement(((SqliteConnection)connection).Handle!, sql);
                _bySql[sql] = statement;
            }
            return statement;
        }

        public void Dispose()
        {
            foreach (NativeStatement statement in _bySql.Values)
            {
                statement.Dispose();
            }
            _bySql.Clear();
        }
    }

    private readonly Lock _statementsLock = new();
    private WriteStatements? _statements;

    /// <summary>The write path's statement <paramref name="sql"/> on <paramref name="connection"/>, prepared on first use in its transaction.</summary>
    private NativeStatement Statement(DbConnection connection, string sql)
    {
        lock (_statementsLock)
        {
            if (_statements?.Connection != connection)
            {
                _statements?.Dispose();
                _statements = new WriteStatements(connection);
            }
            return _statements.Get(sql);
        }
    }

    /// <inheritdoc/>
    protected override object DecimalValue(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The projection (a row per account and asset: a million in a large book) read through SQLite's
    /// native API: ADO.NET's reader costs about 400 ns a row, the native step and column calls a
    /// tenth of that, which is most of a trial balance's time.
    /// </summary>
    public override async Task<IReadOnlyList<BalanceRow>> ReadBalanceProjectionAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        using var select = new NativeStatement(((SqliteConnection)connection).Handle!, "SELECT ledger_account_id, asset_id, units FROM balances");
        var rows = new List<BalanceRow>();
        while (select.Step())
        {
            rows.Add(new BalanceRow(new LedgerAccountId(select.Int64(0)), new AssetId(select.Int64(1)), select.Int64(2)));
            if ((rows.Count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        return rows;
    }

    /// <summary>
    /// The lot rules' trades through SQLite's native API: the end of day reads every trade, and the
    /// ADO.NET reader (a boxed value and a string per column) cost more than the lot rules themselves.
    /// </summary>
    public override async IAsyncEnumerable<Domain.Lots.LotTrade> ReadLotTradesAsync(LocalDate? asOf,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        // SQLite sorts in memory up to the page cache's size and spills sorted runs to temporary
        // files beyond it: with the readers' 16 MiB, a million trades were sorted in several runs
        // and merged. The sort's memory is given back when the read ends.
        await Sql.ExecuteAsync(connection, null, "PRAGMA cache_size = -131072", cancellationToken);
        try
        {
            using var select = new NativeStatement(((SqliteConnection)connection).Handle!, LotTradeQuery(asOf is null ? null : "?1"));
            if (asOf is { } date)
            {
                select.Bind(1, date);
            }
            var reader = new LotTradeReader();
            long rows = 0;
            while (select.Step())
            {
                yield return reader.Read(select);
                if ((++rows & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        finally
        {
            await ShrinkCacheAsync(connection);
        }
    }

    /// <summary>Reads lot trades row by row, keeping one string per account, ISIN and currency and one date per run of equal dates.</summary>
    private sealed class LotTradeReader
    {
        private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);
        private readonly byte[] _lastDate = new byte[10];
        private LocalDate _date;

        public Domain.Lots.LotTrade Read(NativeStatement row)
        {
            var side = (Domain.Trading.TradeSide)row.Int64(5);
            decimal gross = row.Decimal(7);
            return new(row.Int64(0), Code(row.Text(1)), Code(row.Text(2)), Code(row.Text(3)), Date(row.Text(4)), side, row.Decimal(6), gross,
                ChargesOf(side, gross, row.Decimal(8), row.Decimal(9)),
                row.IsNull(10) ? null : Domain.Trading.TradeLots.Parse(System.Text.Encoding.UTF8.GetString(row.Text(10))).Value);
        }

        private string Code(ReadOnlySpan<byte> utf8)
        {
            // Codes are short (an ISIN is 12 characters); a long one is decoded on the heap.
            Span<char> chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
            int length = System.Text.Encoding.UTF8.GetChars(utf8, chars);
            ReadOnlySpan<char> code = chars[..length];
            var lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(code, out string? kept))
            {
                kept = new string(code);
                _codes[kept] = kept;
            }
            return kept;
        }

        private LocalDate Date(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length == 10 && utf8.SequenceEqual(_lastDate))
            {
                return _date;
            }
            _date = LocalDatePattern.Iso.Parse(System.Text.Encoding.UTF8.GetString(utf8)).Value;
            if (utf8.Length == 10)
            {
                utf8.CopyTo(_lastDate);
            }
            return _date;
        }
    }

    /// <inheritdoc/>
    protected override string InList(DbCommand command, string column, IReadOnlyList<string> values)
    {
        // One JSON array parameter instead of one parameter per value: SQLite looks parameters up
        // by name one at a time, so a 500-name IN list costs far more than parsing the array.
        string name = "@v" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        Sql.Add(command, name, System.Text.Json.JsonSerializer.Serialize(values));
        return $"{column} IN (SELECT value FROM json_each({name}))";
    }

    /// <inheritdoc/>
    private static readonly string EntryInsert = $"INSERT INTO journal_entries ({Schema.EntryColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    private static readonly string PostingInsert = $"INSERT INTO postings ({Schema.PostingColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

    protected override Task AppendRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<JournalEntry> entries,
        IReadOnlyList<Sha256Hash> entryHashes, CancellationToken cancellationToken)
    {
        // The hot path of every bulk post. SQLite runs in-process, so the cost is per statement
        // executed, not per round trip: two statements prepared once per batch and bound by
        // position through SQLite's own API (ADO.NET binds each parameter by name, a linear
        // search per value), inside the transaction the unit of work already holds.
        NativeStatement entry = Statement(connection, EntryInsert);
        NativeStatement posting = Statement(connection, PostingInsert);
        byte[]? lastDateText = null;
        LocalDate lastDate = default;
        for (int i = 0; i < entries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            JournalEntry row = entries[i];
            if (lastDateText is null || row.EffectiveDate != lastDate)
            {
                lastDate = row.EffectiveDate;
                lastDateText = System.Text.Encoding.UTF8.GetBytes(LocalDatePattern.Iso.Format(lastDate));
            }
            entry.Bind(1, row.Id.Value);
            entry.Bind(2, row.AuditSequence.Value);
            entry.BindText(3, lastDateText);
            entry.Bind(4, row.RecordedAt.ToUnixTimeTicks());
            entry.Bind(5, row.Reason);
            entry.Bind(6, row.SourceReference);
            entry.Bind(7, row.Reverses?.Value);
            entry.Bind(8, row.Key.Value);
            entry.Bind(9, row.PayloadHash.Bytes);
            entry.Bind(10, entryHashes[i].Bytes);
            entry.Execute();
            for (int line = 0; line < row.Postings.Length; line++)
            {
                Posting item = row.Postings[line];
                posting.Bind(1, row.Id.Value);
                posting.Bind(2, line + 1);
                posting.Bind(3, item.LedgerAccount.Value);
                posting.Bind(4, item.Asset.Value);
                posting.Bind(5, item.Units);
                posting.BindText(6, lastDateText);
                posting.Execute();
            }
        }
        return Task.CompletedTask;
    }

    private const string BalanceUpsert =
        "INSERT INTO balances (ledger_account_id, asset_id, units) VALUES (?1, ?2, ?3) " +
        "ON CONFLICT (ledger_account_id, asset_id) DO UPDATE SET units = balances.units + excluded.units";

    /// <summary>
    /// A chunk of a bulk import moves some ten thousand balances: bound by position through SQLite's
    /// own API, in key order, so that consecutive upserts land on the same pages of the projection.
    /// </summary>
    private protected override bool TryMoveBalances(DbConnection connection, Dictionary<(LedgerAccountId Account, AssetId Asset), long> deltas)
    {
        var moves = new ((LedgerAccountId Account, AssetId Asset) Key, long Units)[deltas.Count];
        int count = 0;
        foreach (var (key, units) in deltas)
        {
            if (units != 0)
            {
                moves[count++] = (key, units);
            }
        }
        Array.Sort(moves, 0, count, Comparer<((LedgerAccountId Account, AssetId Asset) Key, long Units)>.Create((a, b) =>
            a.Key.Account.Value != b.Key.Account.Value ? a.Key.Account.Value.CompareTo(b.Key.Account.Value) : a.Key.Asset.Value.CompareTo(b.Key.Asset.Value)));
        NativeStatement upsert = Statement(connection, BalanceUpsert);
        for (int i = 0; i < count; i++)
        {
            upsert.Bind(1, moves[i].Key.Account.Value);
            upsert.Bind(2, moves[i].Key.Asset.Value);
            upsert.Bind(3, moves[i].Units);
            upsert.Execute();
        }
        return true;
    }

    /// <inheritdoc/>
    private static readonly string TradeVersionInsert =
        $"INSERT INTO trade_versions ({TradeVersionColumns}) VALUES ({string.Join(", ", Enumerable.Range(1, TradeVersionColumnCount).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)))})";

    protected override Task AppendTradeVersionRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TradeVersionRow> rows,
        CancellationToken cancellationToken)
    {
        NativeStatement insert = Statement(connection, TradeVersionInsert);
        foreach (TradeVersionRow row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Domain.Trading.TradeVersion v = row.Version;
            insert.Bind(1, v.TradeId);
            insert.Bind(2, v.Version);
            insert.Bind(3, v.AuditSequence.Value);
            insert.Bind(4, (long)v.Action);
            insert.Bind(5, (long)v.Status);
            insert.Bind(6, v.Source);
            insert.Bind(7, v.SourceTradeId);
            insert.Bind(8, v.PayloadHash.Bytes);
            insert.Bind(9, v.Account);
            insert.Bind(10, v.Isin);
            insert.Bind(11, v.TradeDate);
            insert.Bind(12, v.SettlementDate);
            insert.Bind(13, v.EntryId?.Value);
            insert.Bind(14, v.ReversalEntryId?.Value);
            insert.Bind(15, (long)v.Side);
            insert.Bind(16, v.Market);
            insert.Bind(17, v.Quantity);
            insert.Bind(18, v.Price);
            insert.Bind(19, v.Currency);
            insert.Bind(20, v.Counterparty);
            insert.Bind(21, v.ExecutedAt?.ToUnixTimeTicks());
            insert.Bind(22, v.Gross);
            insert.Bind(23, v.AccruedInterest);
            insert.Bind(24, v.Net);
            insert.BindText(25, row.Charges.Span);
            Domain.Trading.StandingSettlementInstruction? ssi = v.Ssi;
            insert.BindNullable(26, ssi?.Id);
            insert.BindNullable(27, ssi?.Market);
            insert.Bind(28, (long?)ssi?.AssetClass);
            insert.BindNullable(29, ssi?.PlaceOfSettlement);
            insert.BindNullable(30, ssi?.DepositoryAccount);
            insert.BindNullable(31, ssi?.AgentBic);
            if (ssi is null)
            {
                insert.BindNull(32);
            }
            else
            {
                insert.Bind(32, ssi.EffectiveFrom);
            }
            insert.Bind(33, v.SourceMessage);
            insert.BindNullable(34, v.LotIds is { } lots ? Domain.Trading.TradeLots.Format(lots) : null);
            insert.Bind(35, ssi is null ? null : ssi.FreeOfPayment ? 1L : 0L);
            insert.BindNullable(36, v.VenueTransactionId);
            insert.Execute();
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override Task AppendInstructionRowsAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<Domain.Settlement.SettlementInstruction> created, IReadOnlyList<(int Ordinal, Domain.Settlement.InstructionEvent Event)> events,
        AuditSequence sequence, CancellationToken cancellationToken)
    {
        // A busy day's million instructions: bound by position through SQLite's own API, like the journal.
        sqlite3 database = ((SqliteConnection)connection).Handle!;
        using var insert = new NativeStatement(database,
            $"INSERT INTO instructions ({InstructionRowColumns}) VALUES ({string.Join(", ", Enumerable.Range(1, 24).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)))})");
        using var member = new NativeStatement(database, "INSERT INTO instruction_members (tx_id, trade_id, version, type, quantity, amount) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        using var eventInsert = new NativeStatement(database,
            "INSERT INTO instruction_events (audit_sequence, ordinal, tx_id, from_status, to_status, on_date, source, message_id, reason_code, note, " +
            "settled_quantity, settled_amount, matched_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        // In key order: each row lands at the end of its clustered table rather than anywhere in it.
        foreach (Domain.Settlement.SettlementInstruction i in created.OrderBy(i => i.TransactionId, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            insert.Bind(1, i.TransactionId);
            insert.Bind(2, (long)i.Type);
            insert.Bind(3, i.Counterparty);
            insert.Bind(4, i.Isin);
            insert.Bind(5, i.Nominal ? 1L : 0L);
            insert.Bind(6, i.Currency);
            insert.Bind(7, i.TradeDate);
            insert.Bind(8, i.SettlementDate);
            insert.Bind(9, i.Quantity);
            insert.Bind(10, i.Amount);
            insert.Bind(11, i.ReceivesCash ? 1L : 0L);
            insert.Bind(12, i.Price);
            insert.Bind(13, i.PlaceOfTrade);
            insert.Bind(14, i.PlaceOfSettlement);
            insert.Bind(15, i.CounterpartyAgent);
            insert.Bind(16, i.CounterpartyAccount);
            insert.Bind(17, (long)i.Status);
            insert.Bind(18, i.SettledQuantity);
            insert.Bind(19, i.SettledAmount);
            insert.BindNullable(20, i.ReasonCode);
            if (i.MatchedOn is { } matchedOn)
            {
                insert.Bind(21, matchedOn);
            }
            else
            {
                insert.BindNull(21);
            }
            insert.Bind(22, PayloadHash(i).Bytes);
            insert.Bind(23, sequence.Value);
            insert.Bind(24, sequence.Value);
            insert.Execute();
            foreach (Domain.Settlement.InstructionMember m in i.Members)
            {
                member.Bind(1, i.TransactionId);
                member.Bind(2, m.TradeId);
                member.Bind(3, m.Version);
                member.Bind(4, (long)m.Type);
                member.Bind(5, m.Quantity);
                member.Bind(6, m.Amount);
                member.Execute();
            }
        }
        foreach ((int ordinal, Domain.Settlement.InstructionEvent e) in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            eventInsert.Bind(1, sequence.Value);
            eventInsert.Bind(2, ordinal);
            eventInsert.Bind(3, e.TransactionId);
            eventInsert.Bind(4, (long)e.From);
            eventInsert.Bind(5, (long)e.To);
            eventInsert.Bind(6, e.On);
            eventInsert.Bind(7, e.Source);
            eventInsert.BindNullable(8, e.MessageId);
            eventInsert.BindNullable(9, e.ReasonCode);
            eventInsert.BindNullable(10, e.Note);
            eventInsert.Bind(11, e.SettledQuantity);
            eventInsert.Bind(12, e.SettledAmount);
            if (e.MatchedOn is { } matched)
            {
                eventInsert.Bind(13, matched);
            }
            else
            {
                eventInsert.BindNull(13);
            }
            eventInsert.Execute();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A statement prepared through SQLite's native API, bound by position, reset after each step.
    /// SQLitePCL prepares and finalizes it; binding and stepping call the same native library
    /// directly with the raw statement pointer, which skips a safe-handle reference count and a
    /// provider lookup on each of the ~44 calls an entry with four postings takes.
    /// </summary>
    private sealed unsafe class NativeStatement : IDisposable
    {
        private readonly sqlite3 _database;
        private readonly sqlite3_stmt _statement;
        private readonly IntPtr _handle;
        private byte[] _text = new byte[256];

        public NativeStatement(sqlite3 database, string sql)
        {
            _database = database;
            Check(raw.sqlite3_prepare_v2(database, sql, out _statement));
            _handle = _statement.DangerousGetHandle();
        }

        public void Bind(int index, long value) => Check(NativeMethods.sqlite3_bind_int64(_handle, index, value));

        public void Bind(int index, long? value) =>
            Check(value is { } v ? NativeMethods.sqlite3_bind_int64(_handle, index, v) : NativeMethods.sqlite3_bind_null(_handle, index));

        public void Bind(int index, string value)
        {
            int length = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_text.Length < length)
            {
                _text = new byte[Math.Max(length, _text.Length * 2)];
            }
            int written = System.Text.Encoding.UTF8.GetBytes(value, _text);
            fixed (byte* text = _text)
            {
                // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
                Check(NativeMethods.sqlite3_bind_text(_handle, index, text, written, NativeMethods.Transient));
            }
        }

        public void BindNullable(int index, string? value)
        {
            if (value is null)
            {
                BindNull(index);
            }
            else
            {
                Bind(index, value);
            }
        }

        public void BindNull(int index) => Check(NativeMethods.sqlite3_bind_null(_handle, index));

        // Decimals are stored as their invariant text, which keeps their scale (1.00 stays 1.00).
        public void Bind(int index, decimal value)
        {
            Span<byte> text = stackalloc byte[32];
            bool formatted = value.TryFormat(text, out int written, default, CultureInfo.InvariantCulture);
            Domain.Primitives.Invariant.That(formatted, "a decimal formats in 32 bytes");
            BindText(index, text[..written]);
        }

        // Dates are ISO 8601 text (yyyy-MM-dd), formatted without a string.
        public void Bind(int index, LocalDate date)
        {
            Span<byte> text = stackalloc byte[10];
            Domain.Primitives.Invariant.That(date.Year is >= 1 and <= 9999, "dates are stored with four-digit years");
            int year = date.Year, month = date.Month, day = date.Day;
            text[0] = (byte)('0' + year / 1000);
            text[1] = (byte)('0' + year / 100 % 10);
            text[2] = (byte)('0' + year / 10 % 10);
            text[3] = (byte)('0' + year % 10);
            text[4] = (byte)'-';
            text[5] = (byte)('0' + month / 10);
            text[6] = (byte)('0' + month % 10);
            text[7] = (byte)'-';
            text[8] = (byte)('0' + day / 10);
            text[9] = (byte)('0' + day % 10);
            BindText(index, text);
        }

        public void BindText(int index, ReadOnlySpan<byte> utf8)
        {
            fixed (byte* text = utf8)
            {
                Check(NativeMethods.sqlite3_bind_text(_handle, index, text, utf8.Length, NativeMethods.Transient));
            }
        }

        public void Bind(int index, ReadOnlySpan<byte> value)
        {
            fixed (byte* data = value)
            {
                Check(NativeMethods.sqlite3_bind_blob(_handle, index, data, value.Length, NativeMethods.Transient));
            }
        }

        /// <summary>Steps a query: true with a row to read, false when done (then reset for another run).</summary>
        public bool Step()
        {
            int result = NativeMethods.sqlite3_step(_handle);
            if (result == raw.SQLITE_ROW)
            {
                return true;
            }
            _ = NativeMethods.sqlite3_reset(_handle);
            if (result != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(result, _database);
            }
            return false;
        }

        public long Int64(int column) => NativeMethods.sqlite3_column_int64(_handle, column);

        public bool IsNull(int column) => NativeMethods.sqlite3_column_type(_handle, column) == raw.SQLITE_NULL;

        /// <summary>The column as UTF-8 text, valid until the next step (SQLite owns the bytes).</summary>
        public ReadOnlySpan<byte> Text(int column)
        {
            byte* text = NativeMethods.sqlite3_column_text(_handle, column);
            return text is null ? default : new ReadOnlySpan<byte>(text, NativeMethods.sqlite3_column_bytes(_handle, column));
        }

        public decimal Decimal(int column)
        {
            bool parsed = Domain.Primitives.DecimalText.TryParse(Text(column), out decimal value);
            Domain.Primitives.Invariant.That(parsed, "a stored amount is a decimal");
            return value;
        }

        public void Execute()
        {
            int result = NativeMethods.sqlite3_step(_handle);
            _ = NativeMethods.sqlite3_reset(_handle); // repeats the step's error code, which is checked below
            if (result != raw.SQLITE_DONE)
            {
                // Same exception type as every other SQLite failure, with SQLite's own message.
                SqliteException.ThrowExceptionForRC(result, _database);
            }
        }

        public void Dispose() => raw.sqlite3_finalize(_statement);

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(result, _database);
            }
        }
    }

    /// <summary>Checkpoints the WAL now (the background checkpointer does it as the WAL grows).</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken) => _checkpointer.CheckpointAsync(cancellationToken);

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _checkpointer.DisposeAsync();
        // Pooled connections keep the file open; release them so the file can be moved or deleted
        // (the last one to close checkpoints the WAL into the file).
        SqliteConnection.ClearAllPools();
    }
}

using System.Data.Common;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private const string StatementColumns =
        "s.id, s.file_id, s.position_in_file, s.source, s.kind, s.statement_id, s.account, s.statement_date, s.basis, s.currency, s.line_count, s.superseded_by, f.name, f.received_at, " +
        "s.period_start";

    private const string BreakColumns =
        "id, break_key, source, account, kind, type, subject, standing, ours, theirs, break_date, first_seen, last_seen, status, owner, cause, detail, last_run, note";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StatementAccount>> ReadStatementAccountsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadRowsAsync(connection,
            "SELECT account, source, kind, ledger_account, currency, name, amount_tolerance, date_tolerance_days, match_by_reference, group_max " +
            "FROM statement_accounts ORDER BY account, kind",
            r => new StatementAccount(r.GetString(0), r.GetString(1), (StatementKind)Long(r, 2), r.GetString(3), Sql.NullableString(r, 4), r.GetString(5),
                new CashRules(decimal.Parse(r.GetString(6), CultureInfo.InvariantCulture), (int)Long(r, 7), Long(r, 8) != 0, (int)Long(r, 9))),
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredStatement>> ListStatementsAsync(StatementQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ListStatementsAsync(connection, null, query, cancellationToken);
    }

    private async Task<IReadOnlyList<StoredStatement>> ListStatementsAsync(DbConnection connection, DbTransaction? transaction, StatementQuery query,
        CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        var where = new List<string>();
        if (query.Date is { } date)
        {
            where.Add("s.statement_date = @date");
            Sql.Add(command, "date", DateValue(date));
        }
        if (query.Account is { } account)
        {
            where.Add("s.account = @account");
            Sql.Add(command, "account", account);
        }
        if (query.Kind is { } kind)
        {
            where.Add("s.kind = @kind");
            Sql.Add(command, "kind", (int)kind);
        }
        if (query.Source is { } source)
        {
            where.Add("s.source = @source");
            Sql.Add(command, "source", source);
        }
        if (query.CurrentOnly)
        {
            where.Add("s.superseded_by IS NULL");
        }
        Sql.Add(command, "limit", query.Limit);
        command.CommandText = $"SELECT {StatementColumns} FROM statements s JOIN statement_files f ON f.id = s.file_id" +
            (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) + " ORDER BY s.statement_date, s.account, s.id LIMIT @limit";
        var statements = new List<StoredStatement>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            statements.Add(new StoredStatement(Long(r, 0), Long(r, 1), (int)Long(r, 2), r.GetString(3), (StatementKind)Long(r, 4), r.GetString(5), r.GetString(6),
                ReadDate(r, 7), (StatementBasis)Long(r, 8), Sql.NullableString(r, 9), (int)Long(r, 10), r.IsDBNull(11) ? null : Long(r, 11))
            {
                FileName = r.GetString(12),
                ReceivedAt = Instant.FromUnixTimeTicks(Long(r, 13)),
                PeriodStart = r.IsDBNull(14) ? null : ReadDate(r, 14),
            });
        }
        return statements;
    }

    /// <inheritdoc/>
    public async Task<StatementFile?> ReadStatementFileAsync(long fileId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT id, name, format, content_hash, content, received_at FROM statement_files WHERE id = @id");
        Sql.Add(command, "id", fileId);
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new StatementFile(Long(r, 0), r.GetString(1), r.GetString(2), Sha256Hash.FromBytes((byte[])r.GetValue(3)), (byte[])r.GetValue(4),
            Instant.FromUnixTimeTicks(Long(r, 5)));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CashMovement>> ReadCashMovementsAsync(IReadOnlyCollection<string> ledgerAccounts, LocalDate from, LocalDate to,
        CancellationToken cancellationToken)
    {
        var movements = new List<CashMovement>();
        if (ledgerAccounts.Count == 0)
        {
            return movements;
        }
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        // Which ledger accounts count to which code asked for: the account itself and its sub-ledgers.
        var owner = new Dictionary<long, string>();
        await using (DbCommand accounts = Sql.Command(connection, null, ""))
        {
            string codes = InList(accounts, "code", [.. ledgerAccounts]);
            // The same list again for the control account column: its sub-ledgers.
            accounts.CommandText = $"SELECT id, code, control_account_code FROM ledger_accounts WHERE {codes} OR control_account_{codes}";
            await using DbDataReader r = await accounts.ExecuteReaderAsync(cancellationToken);
            var asked = new HashSet<string>(ledgerAccounts, StringComparer.Ordinal);
            while (await r.ReadAsync(cancellationToken))
            {
                string code = r.GetString(1);
                owner[Long(r, 0)] = asked.Contains(code) ? code : r.GetString(2);
            }
        }
        if (owner.Count == 0)
        {
            return movements;
        }
        var assets = new Dictionary<long, string>();
        await using (DbCommand codes = Sql.Command(connection, null, "SELECT id, code FROM assets"))
        await using (DbDataReader r = await codes.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                assets[Long(r, 0)] = r.GetString(1);
            }
        }
        // Postings carry their entry's effective date, so the date range is cut before the join. No
        // grouping or ordering in SQL: an entry's postings are netted here, and the caller sorts.
        await using DbCommand command = Sql.Command(connection, null, "");
        Sql.Add(command, "from", DateValue(from));
        Sql.Add(command, "to", DateValue(to));
        string ids = string.Join(", ", owner.Keys.Order().Select(id => id.ToString(CultureInfo.InvariantCulture)));
        command.CommandText =
            "SELECT p.ledger_account_id, p.asset_id, p.entry_id, p.effective_date, p.units, " +
            "CASE WHEN substr(e.idempotency_key, 1, 11) = 'settlement/' THEN e.idempotency_key ELSE e.source_reference END FROM postings p " +
            $"JOIN journal_entries e ON e.id = p.entry_id WHERE p.effective_date >= @from AND p.effective_date <= @to AND p.ledger_account_id IN ({ids})";
        var netted = new Dictionary<(string, long, long), int>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string account = owner[Long(reader, 0)];
            long asset = Long(reader, 1);
            long entry = Long(reader, 2);
            long units = Long(reader, 4);
            // Postings to an account and to its sub-ledger in one entry net into one movement.
            if (netted.TryGetValue((account, asset, entry), out int at))
            {
                CashMovement was = movements[at];
                movements[at] = was with { Units = was.Units + units };
                continue;
            }
            netted[(account, asset, entry)] = movements.Count;
            movements.Add(new CashMovement(account, assets[asset], entry, ReadDate(reader, 3), units, reader.GetString(5)));
        }
        movements.RemoveAll(m => m.Units == 0);
        return movements;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ReconBreak>> ListBreaksAsync(BreakQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ListBreaksAsync(connection, null, query, cancellationToken);
    }

    private async Task<IReadOnlyList<ReconBreak>> ListBreaksAsync(DbConnection connection, DbTransaction? transaction, BreakQuery query, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        var where = new List<string> { "id > @after" };
        Sql.Add(command, "after", query.AfterId);
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            Sql.Add(command, "status", (int)status);
        }
        if (query.UnresolvedOnly)
        {
            where.Add("status <> " + ((int)BreakStatus.Resolved).ToString(CultureInfo.InvariantCulture));
        }
        if (query.Account is { } account)
        {
            where.Add("account = @account");
            Sql.Add(command, "account", account);
        }
        if (query.Source is { } source)
        {
            where.Add("source = @source");
            Sql.Add(command, "source", source);
        }
        if (query.Id is { } id)
        {
            where.Add("id = @id");
            Sql.Add(command, "id", id);
        }
        if (query.FirstSeenOnOrBefore is { } seen)
        {
            where.Add("first_seen <= @seen");
            Sql.Add(command, "seen", DateValue(seen));
        }
        Sql.Add(command, "limit", query.Limit);
        command.CommandText = $"SELECT {BreakColumns} FROM recon_breaks WHERE {string.Join(" AND ", where)} ORDER BY id LIMIT @limit";
        var breaks = new List<ReconBreak>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            breaks.Add(new ReconBreak(Long(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), (StatementKind)Long(r, 4), (BreakType)Long(r, 5), r.GetString(6),
                Long(r, 7) != 0, decimal.Parse(r.GetString(8), CultureInfo.InvariantCulture), decimal.Parse(r.GetString(9), CultureInfo.InvariantCulture),
                ReadDate(r, 10), ReadDate(r, 11), ReadDate(r, 12), (BreakStatus)Long(r, 13), Sql.NullableString(r, 14), Sql.NullableString(r, 15), r.GetString(16),
                Long(r, 17))
            { Note = Sql.NullableString(r, 18) });
        }
        return breaks;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BreakEvent>> ReadBreakEventsAsync(long breakId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT break_id, at, actor, action, note, run_id FROM recon_break_events WHERE break_id = @id ORDER BY audit_sequence, at");
        Sql.Add(command, "id", breakId);
        var events = new List<BreakEvent>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            events.Add(new BreakEvent(Long(r, 0), Instant.FromUnixTimeTicks(Long(r, 1)), r.GetString(2), r.GetString(3), Sql.NullableString(r, 4),
                r.IsDBNull(5) ? null : Long(r, 5)));
        }
        return events;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ReconRun>> ListReconRunsAsync(LocalDate? date, int limit, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT id, statement_row, run_date, source, account, kind, compared, matched, break_count, actor, run_at FROM recon_runs" +
            (date is null ? "" : " WHERE run_date = @date") + " ORDER BY id DESC LIMIT @limit");
        if (date is { } d)
        {
            Sql.Add(command, "date", DateValue(d));
        }
        Sql.Add(command, "limit", limit);
        var runs = new List<ReconRun>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            runs.Add(new ReconRun(Long(r, 0), Long(r, 1), ReadDate(r, 2), r.GetString(3), r.GetString(4), (StatementKind)Long(r, 5), (int)Long(r, 6), (int)Long(r, 7),
                (int)Long(r, 8), r.GetString(9), Instant.FromUnixTimeTicks(Long(r, 10))));
        }
        return runs;
    }

    private static async Task<(long File, long Statement, long Run, long Break)> ReadLastReconIdsAsync(DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM statement_files), (SELECT COALESCE(MAX(id), 0) FROM statements), " +
            "(SELECT COALESCE(MAX(id), 0) FROM recon_runs), (SELECT COALESCE(MAX(id), 0) FROM recon_breaks)");
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return (Long(r, 0), Long(r, 1), Long(r, 2), Long(r, 3));
    }

    private async Task ApplyReconciliationAsync(DbConnection connection, DbTransaction transaction, ReconciliationRecords records, AuditSequence sequence,
        CancellationToken cancellationToken)
    {
        if (records.File is { } file)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO statement_files (id, name, format, content_hash, content, received_at, audit_sequence) VALUES (@id, @name, @format, @hash, @content, @at, @seq)");
            Sql.Add(insert, "id", file.Id);
            Sql.Add(insert, "name", file.Name);
            Sql.Add(insert, "format", file.Format);
            Sql.Add(insert, "hash", file.ContentHash.Bytes.ToArray());
            Sql.Add(insert, "content", file.Content);
            Sql.Add(insert, "at", file.ReceivedAt.ToUnixTimeTicks());
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (StoredStatement s in records.Statements)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO statements (id, file_id, position_in_file, source, kind, statement_id, account, statement_date, basis, period_start, currency, line_count, " +
                "superseded_by, audit_sequence) VALUES (@id, @file, @position, @source, @kind, @sid, @account, @date, @basis, @start, @currency, @lines, NULL, @seq)");
            Sql.Add(insert, "id", s.Id);
            Sql.Add(insert, "file", s.FileId);
            Sql.Add(insert, "position", s.PositionInFile);
            Sql.Add(insert, "source", s.Source);
            Sql.Add(insert, "kind", (int)s.Kind);
            Sql.Add(insert, "sid", s.StatementId);
            Sql.Add(insert, "account", s.Account);
            Sql.Add(insert, "date", DateValue(s.Date));
            Sql.Add(insert, "basis", (int)s.Basis);
            Sql.Add(insert, "start", s.PeriodStart is { } start ? DateValue(start) : null);
            Sql.Add(insert, "currency", s.Currency);
            Sql.Add(insert, "lines", s.LineCount);
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach ((long id, long by) in records.Superseded)
        {
            await using DbCommand update = Sql.Command(connection, transaction, "UPDATE statements SET superseded_by = @by WHERE id = @id");
            Sql.Add(update, "by", by);
            Sql.Add(update, "id", id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        if (records.Run is { } run)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO recon_runs (id, statement_row, run_date, source, account, kind, compared, matched, break_count, actor, run_at, audit_sequence) " +
                "VALUES (@id, @statement, @date, @source, @account, @kind, @compared, @matched, @breaks, @actor, @at, @seq)");
            Sql.Add(insert, "id", run.Id);
            Sql.Add(insert, "statement", run.StatementRow);
            Sql.Add(insert, "date", DateValue(run.Date));
            Sql.Add(insert, "source", run.Source);
            Sql.Add(insert, "account", run.Account);
            Sql.Add(insert, "kind", (int)run.Kind);
            Sql.Add(insert, "compared", run.Compared);
            Sql.Add(insert, "matched", run.Matched);
            Sql.Add(insert, "breaks", run.Breaks);
            Sql.Add(insert, "actor", run.Actor);
            Sql.Add(insert, "at", run.At.ToUnixTimeTicks());
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await WriteBreaksAsync(connection, transaction, records.Breaks, sequence, cancellationToken);
    }

    private async Task WriteBreaksAsync(DbConnection connection, DbTransaction transaction, BreakChanges changes, AuditSequence sequence, CancellationToken cancellationToken)
    {
        if (changes.Added.Count > 0)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                $"INSERT INTO recon_breaks ({BreakColumns}) VALUES (@id, @key, @source, @account, @kind, @type, @subject, @standing, @ours, @theirs, @date, @first, @last, " +
                "@status, @owner, @cause, @detail, @run, @note)");
            foreach (string name in new[] { "id", "key", "source", "account", "kind", "type", "subject", "standing", "ours", "theirs", "date", "first", "last", "status", "owner", "cause", "detail", "run", "note" })
            {
                Sql.Add(insert, name, null);
            }
            foreach (ReconBreak b in changes.Added)
            {
                object?[] values =
                [
                    b.Id, b.Key, b.Source, b.Account, (int)b.Kind, (int)b.Type, b.Subject, b.Standing ? 1 : 0, Text(b.Ours), Text(b.Theirs), DateValue(b.Date),
                    DateValue(b.FirstSeen), DateValue(b.LastSeen), (int)b.Status, b.Owner, b.Cause, b.Detail, b.LastRunId, b.Note,
                ];
                for (int i = 0; i < values.Length; i++)
                {
                    insert.Parameters[i].Value = values[i] ?? DBNull.Value;
                }
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (changes.Changed.Count > 0)
        {
            await using DbCommand update = Sql.Command(connection, transaction,
                "UPDATE recon_breaks SET type = @type, ours = @ours, theirs = @theirs, break_date = @date, last_seen = @last, status = @status, owner = @owner, " +
                "cause = @cause, detail = @detail, last_run = @run, note = @note WHERE id = @id");
            foreach (string name in new[] { "type", "ours", "theirs", "date", "last", "status", "owner", "cause", "detail", "run", "note", "id" })
            {
                Sql.Add(update, name, null);
            }
            foreach (ReconBreak b in changes.Changed)
            {
                object?[] values =
                    [(int)b.Type, Text(b.Ours), Text(b.Theirs), DateValue(b.Date), DateValue(b.LastSeen), (int)b.Status, b.Owner, b.Cause, b.Detail, b.LastRunId, b.Note, b.Id];
                for (int i = 0; i < values.Length; i++)
                {
                    update.Parameters[i].Value = values[i] ?? DBNull.Value;
                }
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (changes.Events.Count > 0)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO recon_break_events (break_id, at, actor, action, note, run_id, audit_sequence) VALUES (@id, @at, @actor, @action, @note, @run, @seq)");
            foreach (string name in new[] { "id", "at", "actor", "action", "note", "run", "seq" })
            {
                Sql.Add(insert, name, null);
            }
            foreach (BreakEvent e in changes.Events)
            {
                object?[] values = [e.BreakId, e.At.ToUnixTimeTicks(), e.Actor, e.Action, e.Note, e.RunId, sequence.Value];
                for (int i = 0; i < values.Length; i++)
                {
                    insert.Parameters[i].Value = values[i] ?? DBNull.Value;
                }
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

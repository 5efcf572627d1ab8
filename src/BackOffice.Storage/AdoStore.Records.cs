using System.Collections.Immutable;
using System.Data.Common;
using System.Runtime.CompilerServices;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Records;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    /// <inheritdoc/>
    public async Task<RecordsRange> ReadRecordsRangeAsync(LocalDate from, LocalDate to, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        // Each source gives the lowest and highest sequence of what it holds in the range; the run is the span of them all.
        const string Spans =
            "SELECT MIN(sequence), MAX(sequence) FROM audit_records WHERE recorded_at >= @fromticks AND recorded_at < @toticks " +
            "UNION ALL SELECT MIN(audit_sequence), MAX(audit_sequence) FROM journal_entries WHERE effective_date >= @from AND effective_date <= @to " +
            "UNION ALL SELECT MIN(audit_sequence), MAX(audit_sequence) FROM trade_versions WHERE trade_date >= @from AND trade_date <= @to " +
            "UNION ALL SELECT MIN(audit_sequence), MAX(audit_sequence) FROM statements WHERE statement_date >= @from AND statement_date <= @to " +
            "UNION ALL SELECT MIN(audit_sequence), MAX(audit_sequence) FROM mifir_files WHERE business_date >= @from AND business_date <= @to";
        await using DbCommand command = Sql.Command(connection, null, Spans);
        Sql.Add(command, "fromticks", StartOfDay(from));
        Sql.Add(command, "toticks", StartOfDay(to.PlusDays(1)));
        Sql.Add(command, "from", DateValue(from));
        Sql.Add(command, "to", DateValue(to));
        long first = long.MaxValue, last = 0;
        await using (DbDataReader r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                if (!r.IsDBNull(0))
                {
                    first = Math.Min(first, Long(r, 0));
                    last = Math.Max(last, Long(r, 1));
                }
            }
        }
        return first == long.MaxValue
            ? new RecordsRange(from, to, new AuditSequence(1), new AuditSequence(0))
            : new RecordsRange(from, to, new AuditSequence(first), new AuditSequence(last));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditRecord> ReadAuditRecordsAsync(AuditSequence first, AuditSequence last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            $"SELECT {Schema.AuditColumns} FROM audit_records WHERE sequence >= @first AND sequence <= @last ORDER BY sequence");
        Sql.Add(command, "first", first.Value);
        Sql.Add(command, "last", last.Value);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadAuditRecord(reader);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredEntry> ReadEntriesAsync(AuditSequence first, AuditSequence last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection entryConnection = await OpenConnectionAsync(cancellationToken);
        long low, high;
        await using (DbCommand bounds = Sql.Command(entryConnection, null,
            "SELECT MIN(id), MAX(id) FROM journal_entries WHERE audit_sequence >= @first AND audit_sequence <= @last"))
        {
            Sql.Add(bounds, "first", first.Value);
            Sql.Add(bounds, "last", last.Value);
            await using DbDataReader r = await bounds.ExecuteReaderAsync(cancellationToken);
            await r.ReadAsync(cancellationToken);
            if (r.IsDBNull(0))
            {
                yield break;
            }
            (low, high) = (Long(r, 0), Long(r, 1));
        }
        // Entry ids follow audit sequences, so the entries of a run of records are one run of ids.
        await using DbConnection postingConnection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand entryCommand = Sql.Command(entryConnection, null,
            $"SELECT {Schema.EntryColumns} FROM journal_entries WHERE id >= @low AND id <= @high ORDER BY id");
        await using DbCommand postingCommand = Sql.Command(postingConnection, null,
            "SELECT entry_id, ledger_account_id, asset_id, units FROM postings WHERE entry_id >= @low AND entry_id <= @high ORDER BY entry_id, line_number");
        foreach (DbCommand c in new[] { entryCommand, postingCommand })
        {
            Sql.Add(c, "low", low);
            Sql.Add(c, "high", high);
        }
        await using DbDataReader entries = await entryCommand.ExecuteReaderAsync(cancellationToken);
        await using DbDataReader postings = await postingCommand.ExecuteReaderAsync(cancellationToken);
        bool hasPosting = await postings.ReadAsync(cancellationToken);
        var lines = ImmutableArray.CreateBuilder<Posting>();
        while (await entries.ReadAsync(cancellationToken))
        {
            long id = entries.GetInt64(0);
            while (hasPosting && postings.GetInt64(0) < id)
            {
                hasPosting = await postings.ReadAsync(cancellationToken);
            }
            lines.Clear();
            while (hasPosting && postings.GetInt64(0) == id)
            {
                lines.Add(new Posting(new LedgerAccountId(postings.GetInt64(1)), new AssetId(postings.GetInt64(2)), postings.GetInt64(3)));
                hasPosting = await postings.ReadAsync(cancellationToken);
            }
            yield return new StoredEntry(ReadEntryHeader(entries, lines.ToImmutable()), Sha256Hash.FromBytes((byte[])entries[9]));
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RecordedTradeMessage> ReadTradeMessagesAsync(RecordsRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT trade_id, version, audit_sequence, source, source_id, trade_date, source_message FROM trade_versions " +
            "WHERE (trade_date >= @from AND trade_date <= @to) OR (audit_sequence >= @first AND audit_sequence <= @last) ORDER BY trade_id, version");
        AddRange(command, range);
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            yield return new RecordedTradeMessage(Long(r, 0), (int)Long(r, 1), new AuditSequence(Long(r, 2)), r.GetString(3), r.GetString(4), ReadDate(r, 5), r.GetString(6));
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RecordedException> ReadExceptionMessagesAsync(RecordsRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT id, audit_sequence, source, source_id, rule, location, raw_message FROM trade_exceptions " +
            "WHERE audit_sequence >= @first AND audit_sequence <= @last ORDER BY id");
        Sql.Add(command, "first", range.FirstSequence.Value);
        Sql.Add(command, "last", range.LastSequence.Value);
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            yield return new RecordedException(Long(r, 0), new AuditSequence(Long(r, 1)), r.GetString(2), Sql.NullableString(r, 3), r.GetString(4), r.GetString(5), r.GetString(6));
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RecordedFile> ReadRecordedFilesAsync(RecordsRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One query per kind, each a file at a time: files can be large, so none is held longer than it takes to write it out.
        (FileDirection Direction, string Kind, string Sql)[] kinds =
        [
            (FileDirection.Inbound, "trade-file",
                "SELECT 0, name, content_hash, content, received_at, audit_sequence FROM inbound_files " +
                "WHERE kind = 'trades' AND audit_sequence >= @first AND audit_sequence <= @last ORDER BY audit_sequence, name"),
            (FileDirection.Inbound, "statement",
                "SELECT id, name, content_hash, content, received_at, audit_sequence FROM statement_files f " +
                "WHERE (audit_sequence >= @first AND audit_sequence <= @last) " +
                "OR EXISTS (SELECT 1 FROM statements s WHERE s.file_id = f.id AND s.statement_date >= @from AND s.statement_date <= @to) ORDER BY id"),
            (FileDirection.Outbound, "mifir-report",
                "SELECT id, name, content_hash, content, created_at, audit_sequence FROM mifir_files " +
                "WHERE (audit_sequence >= @first AND audit_sequence <= @last) OR (business_date >= @from AND business_date <= @to) ORDER BY id"),
            (FileDirection.Inbound, "settlement-message",
                "SELECT 0, name, content_hash, content, received_at, audit_sequence FROM inbound_files " +
                "WHERE kind = 'settlement-message' AND audit_sequence >= @first AND audit_sequence <= @last ORDER BY audit_sequence, name"),
            (FileDirection.Inbound, "sanctions-list",
                "SELECT l.id, f.name, f.content_hash, f.content, l.imported_at, l.audit_sequence FROM sanctions_list_files f JOIN sanctions_lists l ON l.id = f.list_id " +
                "WHERE l.audit_sequence >= @first AND l.audit_sequence <= @last ORDER BY l.id, f.name"),
            (FileDirection.Inbound, "mifir-feedback",
                "SELECT id, name, content_hash, content, received_at, audit_sequence FROM mifir_feedback " +
                "WHERE audit_sequence >= @first AND audit_sequence <= @last ORDER BY id"),
        ];
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        foreach ((FileDirection direction, string kind, string sql) in kinds)
        {
            await using DbCommand command = Sql.Command(connection, null, sql);
            AddRange(command, range);
            await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                yield return new RecordedFile(direction, kind, Long(r, 0), r.GetString(1), Sha256Hash.FromBytes((byte[])r.GetValue(2)), (byte[])r.GetValue(3),
                    Instant.FromUnixTimeTicks(Long(r, 4)), new AuditSequence(Long(r, 5)));
            }
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SentInstructionMessage> ReadSentInstructionMessagesAsync(RecordsRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT e.tx_id, e.message_id, e.note, e.audit_sequence, a.recorded_at FROM instruction_events e JOIN audit_records a ON a.sequence = e.audit_sequence " +
            "WHERE e.source = 'instruct' AND e.to_status = @sent AND e.message_id IS NOT NULL AND e.audit_sequence >= @first AND e.audit_sequence <= @last " +
            "ORDER BY e.audit_sequence, e.ordinal");
        AddRange(command, range);
        Sql.Add(command, "sent", (int)Domain.Settlement.InstructionStatus.Sent);
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            string note = r.GetString(2);
            if (!Sha256Hash.TryParseHex(r.GetString(1), out Sha256Hash digest) || !note.StartsWith(Application.Settlement.SentMessage.Note, StringComparison.Ordinal))
            {
                continue;
            }
            yield return new SentInstructionMessage(r.GetString(0), digest, note[Application.Settlement.SentMessage.Note.Length..], new AuditSequence(Long(r, 3)),
                Instant.FromUnixTimeTicks(Long(r, 4)));
        }
    }

    /// <inheritdoc/>
    public async Task<(RetentionPolicy Policy, AuditSequence? SetBy)> ReadRetentionAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT audit_sequence, years FROM records_retention ORDER BY audit_sequence DESC LIMIT 1");
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken)
            ? (new RetentionPolicy((int)Long(r, 1)), new AuditSequence(Long(r, 0)))
            : (RetentionPolicy.Default, null);
    }

    /// <inheritdoc/>
    public async Task<RecordsBefore> CountRecordsBeforeAsync(LocalDate before, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT (SELECT COUNT(*) FROM journal_entries WHERE effective_date < @before), " +
            "(SELECT COUNT(*) FROM audit_records WHERE recorded_at < @ticks), " +
            "(SELECT COUNT(*) FROM trade_versions WHERE trade_date < @before), " +
            "(SELECT COUNT(*) FROM statement_files WHERE received_at < @ticks) + (SELECT COUNT(*) FROM mifir_files WHERE created_at < @ticks) " +
            "+ (SELECT COUNT(*) FROM mifir_feedback WHERE received_at < @ticks) + (SELECT COUNT(*) FROM inbound_files WHERE received_at < @ticks)");
        Sql.Add(command, "before", DateValue(before));
        Sql.Add(command, "ticks", StartOfDay(before));
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return new RecordsBefore(Long(r, 0), Long(r, 1), Long(r, 2), Long(r, 3));
    }

    private static async Task ApplyRecordsAsync(DbConnection connection, DbTransaction transaction, RecordsChanges changes, AuditSequence sequence,
        CancellationToken cancellationToken)
    {
        foreach (InboundFile file in changes.InboundFiles)
        {
            // Idempotent by content: the same bytes imported again (another name, another source) keep the first copy.
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO inbound_files (content_hash, kind, name, format, content, size, received_at, audit_sequence) " +
                "VALUES (@hash, @kind, @name, @format, @content, @size, @at, @seq) ON CONFLICT (content_hash) DO NOTHING");
            Sql.Add(insert, "hash", file.ContentHash.Bytes.ToArray());
            Sql.Add(insert, "kind", file.Kind);
            Sql.Add(insert, "name", file.Name);
            Sql.Add(insert, "format", file.Format);
            Sql.Add(insert, "content", file.Content);
            Sql.Add(insert, "size", (long)file.Content.Length);
            Sql.Add(insert, "at", file.ReceivedAt.ToUnixTimeTicks());
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (changes.Retention is { } retention)
        {
            await using DbCommand insert = Sql.Command(connection, transaction, "INSERT INTO records_retention (audit_sequence, years) VALUES (@seq, @years)");
            Sql.Add(insert, "seq", sequence.Value);
            Sql.Add(insert, "years", (long)retention.Years);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private void AddRange(DbCommand command, RecordsRange range)
    {
        Sql.Add(command, "from", DateValue(range.From));
        Sql.Add(command, "to", DateValue(range.To));
        Sql.Add(command, "first", range.FirstSequence.Value);
        Sql.Add(command, "last", range.LastSequence.Value);
    }

    private static long StartOfDay(LocalDate date) => date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().ToUnixTimeTicks();
}

using System.Data.Common;
using BackOffice.Application.Ports;
using BackOffice.Domain.Compliance.TransactionReporting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private const string RecordColumns =
        "r.id, r.file_id, r.transaction_id, r.action, r.trade_id, r.version, r.status, r.reason, f.name, f.business_date";

    /// <inheritdoc/>
    public async Task<(MifirFirm? Firm, IReadOnlyList<MifirClient> Clients)> ReadMifirSettingsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        List<MifirFirm> firms = await ReadRowsAsync(connection,
            "SELECT executing_entity_lei, submitting_entity_lei, branch_country, investment_decision, execution, reporting_from FROM mifir_firm WHERE id = 1",
            r => new MifirFirm(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : Within(r.GetString(3)), Within(r.GetString(4)), ReadDate(r, 5)),
            cancellationToken);
        List<MifirClient> clients = await ReadRowsAsync(connection,
            "SELECT account, id_type, id, first_name, surname, birth_date, branch_country, decision_maker_lei, discretionary FROM mifir_clients ORDER BY account",
            r => new MifirClient(r.GetString(0), (PersonIdScheme)Long(r, 1), r.GetString(2), Sql.NullableString(r, 3), Sql.NullableString(r, 4),
                r.IsDBNull(5) ? null : ReadDate(r, 5), Sql.NullableString(r, 6), Sql.NullableString(r, 7), Long(r, 8) != 0),
            cancellationToken);
        return (firms.Count == 0 ? null : firms[0], clients);

        static WithinFirm Within(string text) =>
            WithinFirm.TryParse(text, out WithinFirm? value, out string reason) ? value! : throw new InvalidOperationException("stored MiFIR setting: " + reason);
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<TradeVersion> Trades, IReadOnlyList<StoredReportRecord> Sent)> ReadTradesToReportAsync(LocalDate from, LocalDate through,
        CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        // The last record not rejected of each trade (its id), then the trades that need something:
        // an active trade whose last such record is not a new report of its latest version, or a
        // trade no longer active whose last such record is a new report still standing.
        const string Standing =
            "(SELECT r.action * 1000000000 + r.version FROM mifir_records r WHERE r.trade_id = v.trade_id AND r.status <> 5 ORDER BY r.id DESC LIMIT 1)";
        // Only trades in scope: on an EEA venue, or in an instrument listed on one (the planner decides the rest).
        string eea = string.Join(", ", MifirCodes.EeaCountries.Order(StringComparer.Ordinal).Select(c => "'" + c + "'"));
        string venues = $"(SELECT mic FROM markets WHERE country_code IN ({eea}))";
        await using DbCommand command = Sql.Command(connection, null,
            $"SELECT {Prefixed("v.")} FROM trade_versions v WHERE v.trade_date >= @from AND v.trade_date <= @through " +
            $"AND (v.market IN {venues} OR v.isin IN (SELECT isin FROM instruments WHERE listing_mic IN {venues})) " +
            "AND v.version = (SELECT max(l.version) FROM trade_versions l WHERE l.trade_id = v.trade_id) " +
            $"AND ((v.status = 1 AND COALESCE({Standing}, 0) <> 1000000000 + v.version) " +
            $"OR (v.status <> 1 AND COALESCE({Standing}, 0) / 1000000000 = 1)) ORDER BY v.trade_id");
        Sql.Add(command, "from", DateValue(from));
        Sql.Add(command, "through", DateValue(through));
        IReadOnlyList<TradeVersion> trades = await ReadTradeVersionsAsync(command, cancellationToken);
        var sent = new List<StoredReportRecord>();
        // The records of the trades returned, a chunk of ids at a time.
        for (int start = 0; start < trades.Count; start += 500)
        {
            await using DbCommand records = Sql.Command(connection, null, "");
            var names = new List<string>();
            for (int i = start; i < Math.Min(start + 500, trades.Count); i++)
            {
                string name = "t" + (i - start).ToString(System.Globalization.CultureInfo.InvariantCulture);
                names.Add("@" + name);
                Sql.Add(records, name, trades[i].TradeId);
            }
            records.CommandText = $"SELECT {RecordColumns} FROM mifir_records r JOIN mifir_files f ON f.id = r.file_id WHERE r.trade_id IN ({string.Join(", ", names)}) ORDER BY r.id";
            sent.AddRange(await ReadRecordsAsync(records, cancellationToken));
        }
        sent.Sort((a, b) => a.Id.CompareTo(b.Id));
        return (trades, sent);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredReportRecord>> ListReportRecordsAsync(ReportRecordQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ListReportRecordsAsync(connection, null, query, cancellationToken);
    }

    private async Task<IReadOnlyList<StoredReportRecord>> ListReportRecordsAsync(DbConnection connection, DbTransaction? transaction, ReportRecordQuery query,
        CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        var where = new List<string>();
        if (query.Date is { } date)
        {
            where.Add("f.business_date = @date");
            Sql.Add(command, "date", DateValue(date));
        }
        if (query.Status is { } status)
        {
            where.Add("r.status = @status");
            Sql.Add(command, "status", (int)status);
        }
        if (query.TradeId is { } trade)
        {
            where.Add("r.trade_id = @trade");
            Sql.Add(command, "trade", trade);
        }
        if (query.TransactionId is { } transactionId)
        {
            where.Add("r.transaction_id = @trn");
            Sql.Add(command, "trn", transactionId);
        }
        if (query.FileName is { } file)
        {
            where.Add("f.name = @file");
            Sql.Add(command, "file", file);
        }
        Sql.Add(command, "limit", query.Limit);
        command.CommandText = $"SELECT {RecordColumns} FROM mifir_records r JOIN mifir_files f ON f.id = r.file_id" +
            (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) + " ORDER BY r.id DESC LIMIT @limit";
        return await ReadRecordsAsync(command, cancellationToken);
    }

    private async Task<List<StoredReportRecord>> ReadRecordsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var records = new List<StoredReportRecord>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            records.Add(new StoredReportRecord(Long(r, 0), Long(r, 1), r.GetString(2), (ReportAction)Long(r, 3), Long(r, 4), (int)Long(r, 5),
                (ReportStatus)Long(r, 6), r.GetString(7))
            {
                FileName = r.GetString(8),
                BusinessDate = ReadDate(r, 9),
            });
        }
        return records;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ReportFile>> ListReportFilesAsync(LocalDate? date, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT id, name, business_date, content_hash, content, record_count, created_at FROM mifir_files" +
            (date is null ? "" : " WHERE business_date = @date") + " ORDER BY id");
        if (date is { } day)
        {
            Sql.Add(command, "date", DateValue(day));
        }
        var files = new List<ReportFile>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            files.Add(new ReportFile(Long(r, 0), r.GetString(1), ReadDate(r, 2), Sha256Hash.FromBytes((byte[])r.GetValue(3)), (byte[])r.GetValue(4), (int)Long(r, 5),
                Instant.FromUnixTimeTicks(Long(r, 6))));
        }
        return files;
    }

    private static async Task<(long File, long Record, long Feedback)> ReadLastReportingIdsAsync(DbConnection connection, DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM mifir_files), (SELECT COALESCE(MAX(id), 0) FROM mifir_records), (SELECT COALESCE(MAX(id), 0) FROM mifir_feedback)");
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return (Long(r, 0), Long(r, 1), Long(r, 2));
    }

    private async Task ApplyTransactionReportingAsync(DbConnection connection, DbTransaction transaction, TransactionReportingRecords records, AuditSequence sequence,
        CancellationToken cancellationToken)
    {
        if (records.File is { } file)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO mifir_files (id, name, business_date, content_hash, content, record_count, created_at, audit_sequence) " +
                "VALUES (@id, @name, @date, @hash, @content, @count, @at, @seq)");
            Sql.Add(insert, "id", file.Id);
            Sql.Add(insert, "name", file.Name);
            Sql.Add(insert, "date", DateValue(file.BusinessDate));
            Sql.Add(insert, "hash", file.ContentHash.Bytes.ToArray());
            Sql.Add(insert, "content", file.Content);
            Sql.Add(insert, "count", file.RecordCount);
            Sql.Add(insert, "at", file.CreatedAt.ToUnixTimeTicks());
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (StoredReportRecord record in records.Records)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO mifir_records (id, file_id, transaction_id, action, trade_id, version, status, reason) " +
                "VALUES (@id, @file, @trn, @action, @trade, @version, @status, @reason)");
            Sql.Add(insert, "id", record.Id);
            Sql.Add(insert, "file", record.FileId);
            Sql.Add(insert, "trn", record.TransactionId);
            Sql.Add(insert, "action", (int)record.Action);
            Sql.Add(insert, "trade", record.TradeId);
            Sql.Add(insert, "version", record.Version);
            Sql.Add(insert, "status", (int)record.Status);
            Sql.Add(insert, "reason", record.Reason);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (records.Feedback is { } feedback)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO mifir_feedback (id, name, content_hash, content, received_at, audit_sequence) VALUES (@id, @name, @hash, @content, @at, @seq)");
            Sql.Add(insert, "id", feedback.Id);
            Sql.Add(insert, "name", feedback.Name);
            Sql.Add(insert, "hash", feedback.ContentHash.Bytes.ToArray());
            Sql.Add(insert, "content", feedback.Content);
            Sql.Add(insert, "at", feedback.ReceivedAt.ToUnixTimeTicks());
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            foreach (RecordStatusChange change in records.Statuses)
            {
                await using DbCommand update = Sql.Command(connection, transaction, "UPDATE mifir_records SET status = @status, reason = @reason WHERE id = @id");
                Sql.Add(update, "status", (int)change.Status);
                Sql.Add(update, "reason", change.Reason);
                Sql.Add(update, "id", change.RecordId);
                await update.ExecuteNonQueryAsync(cancellationToken);
                await using DbCommand evt = Sql.Command(connection, transaction,
                    "INSERT INTO mifir_record_events (record_id, feedback_id, status, reason, audit_sequence) VALUES (@record, @feedback, @status, @reason, @seq)");
                Sql.Add(evt, "record", change.RecordId);
                Sql.Add(evt, "feedback", feedback.Id);
                Sql.Add(evt, "status", (int)change.Status);
                Sql.Add(evt, "reason", change.Reason);
                Sql.Add(evt, "seq", sequence.Value);
                await evt.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }
}

using System.Data.Common;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Compliance;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private const string AlertColumns =
        "id, kind, alert_key, subject_kind, subject, account, raised_on, detail, score, list_version, entry_uid, status, reason, decided_by, decided_list_version, decided_at";

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<RestrictedInstrument> Restricted, IReadOnlyList<TradingLimit> Limits)> ReadSurveillanceSettingsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        List<RestrictedInstrument> restricted = await ReadRowsAsync(connection, "SELECT isin, valid_from, valid_to, reason FROM restricted_instruments ORDER BY isin, valid_from",
            r => new RestrictedInstrument(r.GetString(0), ReadDate(r, 1), r.IsDBNull(2) ? null : ReadDate(r, 2), r.GetString(3)), cancellationToken);
        List<TradingLimit> limits = await ReadRowsAsync(connection,
            "SELECT account, instrument, max_position, max_concentration FROM trading_limits ORDER BY account, instrument",
            r => new TradingLimit(r.GetString(0), r.GetString(1), Dec(r, 2), Dec(r, 3)), cancellationToken);
        return (restricted, limits);

        static decimal? Dec(DbDataReader r, int i) => r.IsDBNull(i) ? null : decimal.Parse(r.GetString(i), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public async Task<(StoredSanctionsList List, IReadOnlyList<SanctionsListFile> Files)?> ReadLatestSanctionsListAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        List<StoredSanctionsList> lists = await ReadRowsAsync(connection,
            "SELECT id, source, version, published_on, entry_count, content_hash, imported_at FROM sanctions_lists ORDER BY id DESC LIMIT 1", ReadList, cancellationToken);
        if (lists.Count == 0)
        {
            return null;
        }
        await using DbCommand command = Sql.Command(connection, null, "SELECT name, content FROM sanctions_list_files WHERE list_id = @id ORDER BY name");
        Sql.Add(command, "id", lists[0].Id);
        var files = new List<SanctionsListFile>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            files.Add(new SanctionsListFile(r.GetString(0), (byte[])r.GetValue(1)));
        }
        return (lists[0], files);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredSanctionsList>> ListSanctionsListsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadRowsAsync(connection, "SELECT id, source, version, published_on, entry_count, content_hash, imported_at FROM sanctions_lists ORDER BY id",
            ReadList, cancellationToken);
    }

    private StoredSanctionsList ReadList(DbDataReader r) =>
        new(Long(r, 0), r.GetString(1), r.GetString(2), ReadDate(r, 3), (int)Long(r, 4), Sha256Hash.FromBytes((byte[])r.GetValue(5)), Instant.FromUnixTimeTicks(Long(r, 6)));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Screening>> ReadScreeningsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadRowsAsync(connection, "SELECT subject_kind, subject, name, list_version, hits, screened_at FROM screenings ORDER BY subject_kind, subject",
            r => new Screening(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), (int)Long(r, 4), Instant.FromUnixTimeTicks(Long(r, 5))), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ComplianceAlert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ListAlertsAsync(connection, null, query, cancellationToken);
    }

    private async Task<IReadOnlyList<ComplianceAlert>> ListAlertsAsync(DbConnection connection, DbTransaction? transaction, AlertQuery query, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        var where = new List<string>();
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            Sql.Add(command, "status", (int)status);
        }
        if (query.Kind is { } kind)
        {
            where.Add("kind = @kind");
            Sql.Add(command, "kind", (int)kind);
        }
        if (query.Account is { } account)
        {
            where.Add("account = @account");
            Sql.Add(command, "account", account);
        }
        if (query.Id is { } id)
        {
            where.Add("id = @id");
            Sql.Add(command, "id", id);
        }
        Sql.Add(command, "limit", query.Limit);
        command.CommandText = $"SELECT {AlertColumns} FROM compliance_alerts" + (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) +
            " ORDER BY id DESC LIMIT @limit";
        var alerts = new List<ComplianceAlert>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            alerts.Add(new ComplianceAlert(Long(r, 0), (AlertKind)Long(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.NullableString(r, 5), ReadDate(r, 6),
                r.GetString(7), r.IsDBNull(8) ? null : decimal.Parse(r.GetString(8), CultureInfo.InvariantCulture), Sql.NullableString(r, 9),
                r.IsDBNull(10) ? null : Long(r, 10), (AlertStatus)Long(r, 11))
            {
                Reason = r.GetString(12),
                DecidedBy = Sql.NullableString(r, 13),
                DecidedListVersion = Sql.NullableString(r, 14),
                DecidedAt = r.IsDBNull(15) ? null : Instant.FromUnixTimeTicks(Long(r, 15)),
            });
        }
        return alerts;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertEvent>> ReadAlertEventsAsync(long alertId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT alert_id, audit_sequence, action, actor, note, list_version FROM compliance_alert_events WHERE alert_id = @id ORDER BY audit_sequence");
        Sql.Add(command, "id", alertId);
        var events = new List<AlertEvent>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            events.Add(new AlertEvent(Long(r, 0), new AuditSequence(Long(r, 1)), r.GetString(2), r.GetString(3), r.GetString(4), Sql.NullableString(r, 5)));
        }
        return events;
    }

    private static async Task<(long Alert, long List)> ReadLastComplianceIdsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM compliance_alerts), (SELECT COALESCE(MAX(id), 0) FROM sanctions_lists)");
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return (Long(r, 0), Long(r, 1));
    }

    private static async Task<IReadOnlySet<string>> FindAlertKeysAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        string[] all = [.. keys];
        for (int start = 0; start < all.Length; start += 500)
        {
            await using DbCommand command = Sql.Command(connection, transaction, "");
            var names = new List<string>();
            for (int i = start; i < Math.Min(start + 500, all.Length); i++)
            {
                string name = "k" + (i - start).ToString(CultureInfo.InvariantCulture);
                names.Add("@" + name);
                Sql.Add(command, name, all[i]);
            }
            command.CommandText = $"SELECT alert_key FROM compliance_alerts WHERE alert_key IN ({string.Join(", ", names)})";
            await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                found.Add(r.GetString(0));
            }
        }
        return found;
    }

    private async Task ApplyComplianceAsync(DbConnection connection, DbTransaction transaction, ComplianceRecords records, AuditSequence sequence,
        CancellationToken cancellationToken)
    {
        if (records.List is { } list)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO sanctions_lists (id, source, version, published_on, entry_count, content_hash, imported_at, audit_sequence) " +
                "VALUES (@id, @source, @version, @published, @count, @hash, @at, @seq)");
            Sql.Add(insert, "id", list.Id);
            Sql.Add(insert, "source", list.Source);
            Sql.Add(insert, "version", list.Version);
            Sql.Add(insert, "published", DateValue(list.PublishedOn));
            Sql.Add(insert, "count", list.EntryCount);
            Sql.Add(insert, "hash", list.ContentHash.Bytes.ToArray());
            Sql.Add(insert, "at", list.ImportedAt.ToUnixTimeTicks());
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            foreach (SanctionsListFile file in records.ListFiles)
            {
                await using DbCommand add = Sql.Command(connection, transaction,
                    "INSERT INTO sanctions_list_files (list_id, name, content_hash, content) VALUES (@id, @name, @hash, @content)");
                Sql.Add(add, "id", list.Id);
                Sql.Add(add, "name", file.Name);
                Sql.Add(add, "hash", Sha256Hash.Of(file.Content).Bytes.ToArray());
                Sql.Add(add, "content", file.Content);
                await add.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        foreach (Screening s in records.Screenings)
        {
            await using DbCommand upsert = Sql.Command(connection, transaction,
                "INSERT INTO screenings (subject_kind, subject, name, list_version, hits, screened_at, audit_sequence) VALUES (@kind, @subject, @name, @version, @hits, @at, @seq) " +
                "ON CONFLICT (subject_kind, subject) DO UPDATE SET name = excluded.name, list_version = excluded.list_version, hits = excluded.hits, " +
                "screened_at = excluded.screened_at, audit_sequence = excluded.audit_sequence");
            Sql.Add(upsert, "kind", s.SubjectKind);
            Sql.Add(upsert, "subject", s.Subject);
            Sql.Add(upsert, "name", s.Name);
            Sql.Add(upsert, "version", s.ListVersion);
            Sql.Add(upsert, "hits", s.Hits);
            Sql.Add(upsert, "at", s.ScreenedAt.ToUnixTimeTicks());
            Sql.Add(upsert, "seq", sequence.Value);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (ComplianceAlert a in records.Raised)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO compliance_alerts (id, kind, alert_key, subject_kind, subject, account, raised_on, detail, score, list_version, entry_uid, status, reason, audit_sequence) " +
                "VALUES (@id, @kind, @key, @skind, @subject, @account, @raised, @detail, @score, @version, @uid, @status, '', @seq)");
            Sql.Add(insert, "id", a.Id);
            Sql.Add(insert, "kind", (int)a.Kind);
            Sql.Add(insert, "key", a.Key);
            Sql.Add(insert, "skind", a.SubjectKind);
            Sql.Add(insert, "subject", a.Subject);
            Sql.Add(insert, "account", a.Account);
            Sql.Add(insert, "raised", DateValue(a.RaisedOn));
            Sql.Add(insert, "detail", a.Detail);
            Sql.Add(insert, "score", a.Score?.ToString(CultureInfo.InvariantCulture));
            Sql.Add(insert, "version", a.ListVersion);
            Sql.Add(insert, "uid", a.EntryUid);
            Sql.Add(insert, "status", (int)AlertStatus.Open);
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await AlertEventAsync(connection, transaction, a.Id, sequence, "raised", records.Actor, "", a.ListVersion, cancellationToken);
        }
        foreach (AlertDecision d in records.Decisions)
        {
            await using DbCommand update = Sql.Command(connection, transaction,
                "UPDATE compliance_alerts SET status = @status, reason = @reason, decided_by = @by, decided_list_version = @version, decided_at = @at WHERE id = @id");
            Sql.Add(update, "status", (int)d.Status);
            Sql.Add(update, "reason", d.Reason);
            Sql.Add(update, "by", d.DecidedBy);
            Sql.Add(update, "version", d.ListVersion);
            Sql.Add(update, "at", d.DecidedAt.ToUnixTimeTicks());
            Sql.Add(update, "id", d.AlertId);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await AlertEventAsync(connection, transaction, d.AlertId, sequence, AlertRules.Name(d.Status), d.DecidedBy, d.Reason, d.ListVersion, cancellationToken);
        }
    }

    private static async Task AlertEventAsync(DbConnection connection, DbTransaction transaction, long alertId, AuditSequence sequence, string action, string actor,
        string note, string? listVersion, CancellationToken cancellationToken)
    {
        await using DbCommand insert = Sql.Command(connection, transaction,
            "INSERT INTO compliance_alert_events (alert_id, audit_sequence, action, actor, note, list_version) VALUES (@id, @seq, @action, @actor, @note, @version)");
        Sql.Add(insert, "id", alertId);
        Sql.Add(insert, "seq", sequence.Value);
        Sql.Add(insert, "action", action);
        Sql.Add(insert, "actor", actor);
        Sql.Add(insert, "note", note);
        Sql.Add(insert, "version", listVersion);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}

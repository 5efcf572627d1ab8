using System.Data.Common;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Approvals;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private const string ApprovalColumns =
        "id, kind, summary, payload, payload_hash, maker, requested_at, expires_at, status, checker, decided_at, note, request_sequence, decision_sequence";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApprovalRequest>> ListApprovalsAsync(ApprovalQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "");
        var where = new List<string> { "id > @after" };
        Sql.Add(command, "after", query.AfterId);
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            Sql.Add(command, "status", (int)status);
        }
        Sql.Add(command, "limit", query.Limit);
        command.CommandText = $"SELECT {ApprovalColumns} FROM approvals WHERE {string.Join(" AND ", where)} ORDER BY id LIMIT @limit";
        return await ReadApprovalsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ApprovalRequest?> ReadApprovalAsync(long id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadApprovalAsync(connection, null, id, cancellationToken);
    }

    private static async Task<ApprovalRequest?> ReadApprovalAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, $"SELECT {ApprovalColumns} FROM approvals WHERE id = @id");
        Sql.Add(command, "id", id);
        IReadOnlyList<ApprovalRequest> found = await ReadApprovalsAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<long> LastApprovalIdAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "SELECT coalesce(max(id), 0) FROM approvals");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<ApprovalRequest>> ReadApprovalsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var found = new List<ApprovalRequest>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            found.Add(new ApprovalRequest(Long(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), Sha256Hash.FromBytes((byte[])r.GetValue(4)), r.GetString(5),
                Instant.FromUnixTimeTicks(Long(r, 6)), Instant.FromUnixTimeTicks(Long(r, 7)), (ApprovalStatus)Long(r, 8), Sql.NullableString(r, 9),
                r.IsDBNull(10) ? null : Instant.FromUnixTimeTicks(Long(r, 10)), Sql.NullableString(r, 11), new AuditSequence(Long(r, 12)),
                r.IsDBNull(13) ? null : new AuditSequence(Long(r, 13))));
        }
        return found;
    }

    private static long Long(DbDataReader r, int ordinal) => Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static async Task ApplyApprovalChangesAsync(DbConnection connection, DbTransaction transaction, ApprovalChanges changes, AuditSequence sequence,
        CancellationToken cancellationToken)
    {
        if (changes.Requested is { } r)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                $"INSERT INTO approvals ({ApprovalColumns}) VALUES (@id, @kind, @summary, @payload, @hash, @maker, @at, @expires, @status, NULL, NULL, NULL, @seq, NULL)");
            Sql.Add(insert, "id", r.Id);
            Sql.Add(insert, "kind", r.Kind);
            Sql.Add(insert, "summary", r.Summary);
            Sql.Add(insert, "payload", r.Payload);
            Sql.Add(insert, "hash", r.PayloadHash.Bytes.ToArray());
            Sql.Add(insert, "maker", r.Maker);
            Sql.Add(insert, "at", r.RequestedAt.ToUnixTimeTicks());
            Sql.Add(insert, "expires", r.ExpiresAt.ToUnixTimeTicks());
            Sql.Add(insert, "status", (int)ApprovalStatus.Pending);
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (changes.Decided is { } d)
        {
            await using DbCommand update = Sql.Command(connection, transaction,
                "UPDATE approvals SET status = @status, checker = @checker, decided_at = @at, note = @note, decision_sequence = @seq WHERE id = @id AND status = @pending");
            Sql.Add(update, "status", (int)d.Status);
            Sql.Add(update, "checker", d.Checker);
            Sql.Add(update, "at", d.DecidedAt.ToUnixTimeTicks());
            Sql.Add(update, "note", d.Note);
            Sql.Add(update, "seq", sequence.Value);
            Sql.Add(update, "id", d.Id);
            Sql.Add(update, "pending", (int)ApprovalStatus.Pending);
            Invariant.That(await update.ExecuteNonQueryAsync(cancellationToken) == 1, "a decision is taken on a pending request, once");
        }
    }
}

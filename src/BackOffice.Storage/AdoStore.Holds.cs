using System.Data.Common;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Holds;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<HeldEntry>> ListHoldsAsync(HoldQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ListHoldsAsync(connection, null, query, cancellationToken);
    }

    /// <summary>The statement that asks whether any hold names a reference (prepared once per unit of work: it runs for every trade submitted).</summary>
    private static DbCommand HoldProbe(DbConnection connection, DbTransaction? transaction)
    {
        DbCommand probe = Sql.Command(connection, transaction, "SELECT 1 FROM holds WHERE reference = @reference LIMIT 1");
        Sql.Add(probe, "reference", "");
        probe.Prepare();
        return probe;
    }

    private static async Task<IReadOnlyList<HeldEntry>> ListHoldsAsync(DbConnection connection, DbTransaction? transaction, HoldQuery query, CancellationToken cancellationToken,
        DbCommand? probe = null)
    {
        if (query.Reference is { } wanted)
        {
            // Every trade submitted asks whether a hold waits for it; almost none does. The small
            // index on references answers that alone, before any join with the journal.
            DbCommand ask = probe ?? HoldProbe(connection, transaction);
            try
            {
                ask.Parameters[0].Value = wanted;
                if (await ask.ExecuteScalarAsync(cancellationToken) is null)
                {
                    return [];
                }
            }
            finally
            {
                if (probe is null)
                {
                    await ask.DisposeAsync();
                }
            }
        }
        await using DbCommand command = Sql.Command(connection, transaction, "");
        var where = new List<string>();
        if (query.Account is { } account)
        {
            where.Add("h.account = @account");
            Sql.Add(command, "account", account);
        }
        if (query.Id is { } id)
        {
            where.Add("h.id = @id");
            Sql.Add(command, "id", id);
        }
        if (query.Reference is { } reference)
        {
            where.Add("h.reference = @reference");
            Sql.Add(command, "reference", reference);
        }
        if (query.OpenOnly)
        {
            where.Add("r.id IS NULL");
        }
        command.CommandText =
            "SELECT h.id, h.account, h.kind, h.asset, h.amount, h.reference, h.placed_at, h.expires_at, h.maker, e.id, r.idempotency_key FROM holds h " +
            "JOIN journal_entries e ON e.idempotency_key = h.entry_key LEFT JOIN journal_entries r ON r.reverses_id = e.id" +
            (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) + " ORDER BY h.placed_at, h.id";
        var holds = new List<HeldEntry>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var hold = new Hold(r.GetString(0), r.GetString(1), (HoldKind)Long(r, 2), r.GetString(3), decimal.Parse(r.GetString(4), CultureInfo.InvariantCulture),
                Sql.NullableString(r, 5), Instant.FromUnixTimeTicks(Long(r, 6)), Instant.FromUnixTimeTicks(Long(r, 7)), r.GetString(8));
            holds.Add(new HeldEntry(hold, new JournalEntryId(Long(r, 9)), Sql.NullableString(r, 10)));
        }
        return holds;
    }

    private static async Task<long> ReadBalanceUnitsAsync(DbConnection connection, DbTransaction transaction, LedgerAccountId account, AssetId asset, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "SELECT units FROM balances WHERE ledger_account_id = @a AND asset_id = @s");
        Sql.Add(command, "a", account.Value);
        Sql.Add(command, "s", asset.Value);
        object? units = await command.ExecuteScalarAsync(cancellationToken);
        return units is null or DBNull ? 0 : Convert.ToInt64(units, CultureInfo.InvariantCulture);
    }

    private static async Task AppendHoldsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Hold> holds, AuditSequence sequence, CancellationToken cancellationToken)
    {
        foreach (Hold h in holds)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO holds (id, account, kind, asset, amount, reference, placed_at, expires_at, maker, entry_key, audit_sequence) " +
                "VALUES (@id, @account, @kind, @asset, @amount, @reference, @placed, @expires, @maker, @key, @seq)");
            Sql.Add(insert, "id", h.Id);
            Sql.Add(insert, "account", h.Account);
            Sql.Add(insert, "kind", (int)h.Kind);
            Sql.Add(insert, "asset", h.Asset);
            Sql.Add(insert, "amount", h.Amount.ToString(CultureInfo.InvariantCulture));
            Sql.Add(insert, "reference", h.Reference);
            Sql.Add(insert, "placed", h.PlacedAt.ToUnixTimeTicks());
            Sql.Add(insert, "expires", h.ExpiresAt.ToUnixTimeTicks());
            Sql.Add(insert, "maker", h.Maker);
            Sql.Add(insert, "key", h.EntryKey);
            Sql.Add(insert, "seq", sequence.Value);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

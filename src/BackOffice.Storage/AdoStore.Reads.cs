using System.Collections.Immutable;
using System.Data.Common;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private protected async Task<ReferenceLookup> ResolveAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyCollection<string> ledgerAccountCodes, IReadOnlyCollection<string> assetCodes, CancellationToken cancellationToken)
    {
        var accounts = new Dictionary<string, LedgerAccount>(StringComparer.Ordinal);
        foreach (string[] chunk in ledgerAccountCodes.Chunk(InListMax))
        {
            foreach (var pair in await ReadLedgerAccountsAsync(connection, transaction, chunk, cancellationToken))
            {
                accounts[pair.Key] = pair.Value;
            }
        }
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string[] chunk in assetCodes.Chunk(InListMax))
        {
            foreach (var pair in await ReadAssetsAsync(connection, transaction, chunk, cancellationToken))
            {
                assets[pair.Key] = pair.Value;
            }
        }
        return new ReferenceLookup(accounts, assets);
    }

    private protected async Task<Dictionary<string, LedgerAccount>> ReadLedgerAccountsAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<string>? codes, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        string where = codes is null ? "" : " WHERE " + InList(command, "code", codes);
        command.CommandText = "SELECT id, code, name, type, control_account_code, is_open FROM ledger_accounts" + where;
        var result = new Dictionary<string, LedgerAccount>(StringComparer.Ordinal);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var account = new LedgerAccount(new LedgerAccountId(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2),
                (LedgerAccountType)Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                Sql.NullableString(reader, 4), reader.GetBoolean(5));
            result[account.Code] = account;
        }
        return result;
    }

    private protected async Task<Dictionary<string, Asset>> ReadAssetsAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<string>? codes, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "");
        string where = codes is null ? "" : " WHERE " + InList(command, "code", codes);
        command.CommandText = "SELECT id, code, kind, scale FROM assets" + where;
        var result = new Dictionary<string, Asset>(StringComparer.Ordinal);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var asset = new Asset(new AssetId(reader.GetInt64(0)), reader.GetString(1),
                (AssetKind)Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture));
            result[asset.Code] = asset;
        }
        return result;
    }

    private protected async Task<IReadOnlyDictionary<string, BookedKey>> FindEntryKeysAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, BookedKey>(StringComparer.Ordinal);
        foreach (string[] chunk in keys.Distinct(StringComparer.Ordinal).Chunk(InListMax))
        {
            await using DbCommand command = Sql.Command(connection, transaction, "");
            command.CommandText = "SELECT idempotency_key, id, payload_hash FROM journal_entries WHERE " + InList(command, "idempotency_key", chunk);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result[reader.GetString(0)] = new BookedKey(new JournalEntryId(reader.GetInt64(1)), Sha256Hash.FromBytes((byte[])reader[2]));
            }
        }
        return result;
    }

    private protected async Task<JournalEntry?> ReadEntryAsync(DbConnection connection, DbTransaction? transaction, JournalEntryId id, CancellationToken cancellationToken)
    {
        var lines = ImmutableArray.CreateBuilder<Posting>();
        await using (DbCommand postings = Sql.Command(connection, transaction,
            "SELECT ledger_account_id, asset_id, units FROM postings WHERE entry_id = @id ORDER BY line_number"))
        {
            Sql.Add(postings, "id", id.Value);
            await using DbDataReader reader = await postings.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(new Posting(new LedgerAccountId(reader.GetInt64(0)), new AssetId(reader.GetInt64(1)), reader.GetInt64(2)));
            }
        }
        await using DbCommand command = Sql.Command(connection, transaction, $"SELECT {Schema.EntryColumns} FROM journal_entries WHERE id = @id");
        Sql.Add(command, "id", id.Value);
        await using DbDataReader entry = await command.ExecuteReaderAsync(cancellationToken);
        if (!await entry.ReadAsync(cancellationToken))
        {
            return null;
        }
        JournalEntry loaded = ReadEntryHeader(entry, lines.ToImmutable());
        loaded.AssertValid();
        return loaded;
    }

    private protected async Task<EntryPage> SearchEntriesAsync(DbConnection connection, EntryQuery query, CancellationToken cancellationToken)
    {
        long lastId;
        await using (DbCommand last = Sql.Command(connection, null, "SELECT COALESCE(MAX(id), 0) FROM journal_entries"))
        {
            lastId = Convert.ToInt64(await last.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        long bound = Math.Min(lastId, query.AfterId + query.ScanMax);
        var entries = new List<JournalEntry>();
        await using (DbCommand command = Sql.Command(connection, null, ""))
        {
            var where = new List<string> { "j.id > @after", "j.id <= @bound" };
            Sql.Add(command, "after", query.AfterId);
            Sql.Add(command, "bound", bound);
            if (query.From is { } from)
            {
                where.Add("j.effective_date >= @from");
                Sql.Add(command, "from", DateParameter(from));
            }
            if (query.To is { } to)
            {
                where.Add("j.effective_date <= @to");
                Sql.Add(command, "to", DateParameter(to));
            }
            if (query.KnownAt is { } knownAt)
            {
                where.Add("j.recorded_at <= @knownAt");
                Sql.Add(command, "knownAt", knownAt.ToUnixTimeTicks());
            }
            if (query.SourcePrefix is { } prefix)
            {
                // Compared as text, so no character of the prefix acts as a pattern.
                where.Add("substr(j.source_reference, 1, @prefixLength) = @prefix");
                Sql.Add(command, "prefix", prefix);
                Sql.Add(command, "prefixLength", prefix.Length);
            }
            if (query.LedgerAccount is { } account)
            {
                // The account itself and, for a control account, its sub-ledgers.
                where.Add("EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = j.id AND p.ledger_account_id IN " +
                    "(SELECT id FROM ledger_accounts WHERE code = @account OR control_account_code = @account))");
                Sql.Add(command, "account", account);
            }
            string columns = string.Join(", ", Schema.EntryColumns.Split(", ").Select(c => "j." + c));
            command.CommandText = $"SELECT {columns} FROM journal_entries j WHERE {string.Join(" AND ", where)} ORDER BY j.id LIMIT @limit";
            Sql.Add(command, "limit", (long)query.Limit);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(ReadEntryHeader(reader, []));
            }
        }
        if (entries.Count > 0)
        {
            var postings = entries.ToDictionary(e => e.Id.Value, _ => ImmutableArray.CreateBuilder<Posting>());
            // Ids are numbers the database gave: safe to write into the statement.
            string ids = string.Join(",", postings.Keys.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await using DbCommand lines = Sql.Command(connection, null,
                $"SELECT entry_id, ledger_account_id, asset_id, units FROM postings WHERE entry_id IN ({ids}) ORDER BY entry_id, line_number");
            await using DbDataReader reader = await lines.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                postings[reader.GetInt64(0)].Add(new Posting(new LedgerAccountId(reader.GetInt64(1)), new AssetId(reader.GetInt64(2)), reader.GetInt64(3)));
            }
            for (int i = 0; i < entries.Count; i++)
            {
                entries[i] = entries[i] with { Postings = postings[entries[i].Id.Value].ToImmutable() };
            }
        }
        long? next = entries.Count == query.Limit ? entries[^1].Id.Value : bound < lastId ? bound : null;
        return new EntryPage(entries, next);
    }

    private protected static async Task<JournalEntryId?> FindReversalOfAsync(DbConnection connection, DbTransaction? transaction, JournalEntryId id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction, "SELECT id FROM journal_entries WHERE reverses_id = @id");
        Sql.Add(command, "id", id.Value);
        object? value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : new JournalEntryId(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private protected JournalEntry ReadEntryHeader(DbDataReader reader, ImmutableArray<Posting> postings) => new()
    {
        Id = new JournalEntryId(reader.GetInt64(0)),
        AuditSequence = new AuditSequence(reader.GetInt64(1)),
        EffectiveDate = ReadDate(reader, 2),
        RecordedAt = Instant.FromUnixTimeTicks(reader.GetInt64(3)),
        Reason = reader.GetString(4),
        SourceReference = reader.GetString(5),
        Reverses = reader.IsDBNull(6) ? null : new JournalEntryId(reader.GetInt64(6)),
        Key = IdempotencyKey.From(reader.GetString(7)),
        PayloadHash = Sha256Hash.FromBytes((byte[])reader[8]),
        Postings = postings,
    };

    private protected static AuditRecord ReadAuditRecord(DbDataReader reader) => new()
    {
        Sequence = new AuditSequence(reader.GetInt64(0)),
        RecordedAt = Instant.FromUnixTimeTicks(reader.GetInt64(1)),
        Actor = reader.GetString(2),
        CommandType = reader.GetString(3),
        Key = IdempotencyKey.From(reader.GetString(4)),
        PayloadHash = Sha256Hash.FromBytes((byte[])reader[5]),
        Payload = Sql.NullableString(reader, 6),
        Result = reader.GetString(7),
        EntryCount = reader.GetInt32(8),
        EntriesDigest = Sha256Hash.FromBytes((byte[])reader[9]),
        PreviousHash = Sha256Hash.FromBytes((byte[])reader[10]),
        Hash = Sha256Hash.FromBytes((byte[])reader[11]),
    };

    private protected static async Task UpsertBalancesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<BalanceRow> deltas, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            "INSERT INTO balances (ledger_account_id, asset_id, units) VALUES (@a, @s, @u) " +
            "ON CONFLICT (ledger_account_id, asset_id) DO UPDATE SET units = balances.units + excluded.units");
        DbParameter account = Sql.Add(command, "a", 0L);
        DbParameter asset = Sql.Add(command, "s", 0L);
        DbParameter units = Sql.Add(command, "u", 0L);
        foreach (BalanceRow delta in deltas)
        {
            account.Value = delta.LedgerAccount.Value;
            asset.Value = delta.Asset.Value;
            units.Value = delta.Units;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

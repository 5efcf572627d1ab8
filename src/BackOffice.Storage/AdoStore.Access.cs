using System.Data.Common;
using BackOffice.Domain.Access;
using BackOffice.Domain.Primitives;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    /// <inheritdoc/>
    public async Task<Domain.Audit.AuditRecord?> ReadAuditRecordAsync(AuditSequence sequence, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, $"SELECT {Schema.AuditColumns} FROM audit_records WHERE sequence = @s");
        Sql.Add(command, "s", sequence.Value);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAuditRecord(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ReadDataProtectionKeysAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT xml FROM data_protection_keys ORDER BY name");
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await r.ReadAsync(cancellationToken))
        {
            keys.Add(r.GetString(0));
        }
        return keys;
    }

    /// <inheritdoc/>
    public async Task SaveDataProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "INSERT INTO data_protection_keys (name, xml) VALUES (@n, @x) ON CONFLICT (name) DO NOTHING");
        Sql.Add(command, "n", name);
        Sql.Add(command, "x", xml);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT name, display_name, role, branch, active FROM users ORDER BY name");
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<User>();
        while (await r.ReadAsync(cancellationToken))
        {
            users.Add(ReadUser(r));
        }
        return users;
    }

    /// <inheritdoc/>
    public async Task<(User User, string? PasswordHash)?> FindUserAsync(string name, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT name, display_name, role, branch, active, password_hash FROM users WHERE name = @n");
        Sql.Add(command, "n", name);
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? (ReadUser(r), Sql.NullableString(r, 5)) : null;
    }

    /// <inheritdoc/>
    public async Task<(ApiKey Key, User User)?> FindApiKeyAsync(Sha256Hash hash, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT u.name, u.display_name, u.role, u.branch, u.active, k.id, k.prefix, k.revoked FROM api_keys k JOIN users u ON u.name = k.user_name WHERE k.key_hash = @h");
        Sql.Add(command, "h", hash.Bytes.ToArray());
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }
        User user = ReadUser(r);
        return (new ApiKey(r.GetString(5), user.Name, r.GetString(6), hash, Convert.ToInt64(r.GetValue(7), System.Globalization.CultureInfo.InvariantCulture) != 0), user);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT id, user_name, prefix, key_hash, revoked FROM api_keys ORDER BY user_name, issued_sequence, id");
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await r.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKey(r.GetString(0), r.GetString(1), r.GetString(2), Sha256Hash.FromBytes((byte[])r.GetValue(3)),
                Convert.ToInt64(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture) != 0));
        }
        return keys;
    }

    private static User ReadUser(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), (Role)Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), Sql.NullableString(r, 3),
            Convert.ToInt64(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture) != 0);

    private static async Task ApplyAccessChangesAsync(DbConnection connection, DbTransaction transaction, AccessChanges changes, AuditSequence sequence, CancellationToken cancellationToken)
    {
        foreach ((User user, string? passwordHash) in changes.Users)
        {
            // A change of anything but the password keeps the password (null means "unchanged").
            await using DbCommand command = Sql.Command(connection, transaction,
                "INSERT INTO users (name, display_name, role, branch, active, password_hash, changed_sequence) VALUES (@n, @d, @r, @b, @a, @p, @s) " +
                "ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, branch = excluded.branch, active = excluded.active, " +
                "password_hash = coalesce(excluded.password_hash, users.password_hash), changed_sequence = excluded.changed_sequence");
            Sql.Add(command, "n", user.Name);
            Sql.Add(command, "d", user.DisplayName);
            Sql.Add(command, "r", (int)user.Role);
            Sql.Add(command, "b", user.Branch);
            Sql.Add(command, "a", user.Active ? 1 : 0);
            Sql.Add(command, "p", passwordHash);
            Sql.Add(command, "s", sequence.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (ApiKey key in changes.IssuedKeys)
        {
            await using DbCommand command = Sql.Command(connection, transaction,
                "INSERT INTO api_keys (id, user_name, prefix, key_hash, revoked, issued_sequence) VALUES (@id, @u, @p, @h, 0, @s)");
            Sql.Add(command, "id", key.Id);
            Sql.Add(command, "u", key.UserName);
            Sql.Add(command, "p", key.Prefix);
            Sql.Add(command, "h", key.Hash.Bytes.ToArray());
            Sql.Add(command, "s", sequence.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (string id in changes.RevokedKeys)
        {
            await using DbCommand command = Sql.Command(connection, transaction, "UPDATE api_keys SET revoked = 1, revoked_sequence = @s WHERE id = @id AND revoked = 0");
            Sql.Add(command, "id", id);
            Sql.Add(command, "s", sequence.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

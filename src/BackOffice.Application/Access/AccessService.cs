using System.Collections.Concurrent;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Access;
using BackOffice.Domain.Primitives;

namespace BackOffice.Application.Access;

/// <summary>
/// Users and API keys: adding users, issuing and revoking keys (each an audited command), and
/// authenticating a key. Authentication answers from memory for <see cref="CacheFor"/> after a
/// key was last read, so a revocation takes effect on every server within that time.
/// </summary>
public sealed class AccessService(IBackOfficeStore store, CommandProcessor processor)
{
    /// <summary>How long an authenticated key is trusted without reading it again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Sha256Hash, (User? User, long ReadAt)> _keys = new();

    /// <summary>Adds a user; a name already taken is refused (changing a user is its own command).</summary>
    public async Task<CommandOutcome> AddUserAsync(User user, string? password, string actor, CancellationToken cancellationToken)
    {
        if (User.Check(user.Name, user.DisplayName) is { } invalid)
        {
            return Refused(invalid);
        }
        if (password is not null && password.Length < Passwords.LengthMin)
        {
            return Refused(new Rejection("user.password", $"a password has at least {Passwords.LengthMin} characters"));
        }
        string description = string.Create(CultureInfo.InvariantCulture, $"{user.Name},{user.DisplayName},{Roles.Name(user.Role)},{user.Branch},{(password is null ? "no password" : "password set")}");
        Sha256Hash payload = Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(description));
        var command = new CommandEnvelope("users.add", actor, IdempotencyKey.From("users.add/" + user.Name), payload, description);
        string? hash = password is null ? null : Passwords.Hash(password);
        return await processor.ExecuteAsync(command, async (_, ct) =>
        {
            if (await store.FindUserAsync(user.Name, ct) is not null)
            {
                return new Rejection("user.exists", $"there is already a user '{user.Name}'");
            }
            return new CommandEffects([], null, $"added user {user.Name} ({Roles.Name(user.Role)})") { Access = new AccessChanges { Users = [(user, hash)] } };
        }, dryRun: false, cancellationToken);
    }

    /// <summary>Issues a key to an active user; the key is returned here once and never again.</summary>
    public async Task<(CommandOutcome Outcome, string? Key, ApiKey? Stored)> IssueKeyAsync(string userName, string actor, CancellationToken cancellationToken)
    {
        (string key, ApiKey stored) = ApiKeys.Create(userName);
        var command = new CommandEnvelope("api-keys.issue", actor, IdempotencyKey.From("api-keys.issue/" + stored.Id), stored.Hash, $"{stored.Id},{userName},{stored.Prefix}");
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (_, ct) =>
        {
            if (await store.FindUserAsync(userName, ct) is not { User.Active: true })
            {
                return new Rejection("user.unknown", $"there is no active user '{userName}'");
            }
            return new CommandEffects([], null, $"issued key {stored.Id} ({stored.Prefix}...) to {userName}") { Access = new AccessChanges { IssuedKeys = [stored] } };
        }, dryRun: false, cancellationToken);
        return outcome.Succeeded ? (outcome, key, stored) : (outcome, null, null);
    }

    /// <summary>Revokes a key by its id.</summary>
    public async Task<CommandOutcome> RevokeKeyAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var command = new CommandEnvelope("api-keys.revoke", actor, IdempotencyKey.From("api-keys.revoke/" + id), Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(id)), id);
        return await processor.ExecuteAsync(command, async (_, ct) =>
        {
            if ((await store.ListApiKeysAsync(ct)).FirstOrDefault(k => k.Id == id) is not { Revoked: false } key)
            {
                return new Rejection("api-key.unknown", $"there is no live key '{id}'");
            }
            return new CommandEffects([], null, $"revoked key {id} of {key.UserName}") { Access = new AccessChanges { RevokedKeys = [id] } };
        }, dryRun: false, cancellationToken);
    }

    /// <summary>The active user a live key belongs to, or null.</summary>
    public async Task<User?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(ApiKeys.KeyPrefix, StringComparison.Ordinal) || key.Length > 128)
        {
            return null;
        }
        Sha256Hash hash = ApiKeys.HashOf(key);
        long now = Environment.TickCount64;
        if (_keys.TryGetValue(hash, out var cached) && now - cached.ReadAt < (long)CacheFor.TotalMilliseconds)
        {
            return cached.User;
        }
        User? user = await store.FindApiKeyAsync(hash, cancellationToken) is { Key.Revoked: false, User: { Active: true } found } ? found : null;
        // Only live keys are remembered: unknown keys cost a look-up each (the rate limit bounds
        // them), not memory.
        if (user is not null)
        {
            _keys[hash] = (user, now);
        }
        else
        {
            _keys.TryRemove(hash, out _);
        }
        return user;
    }

    private static CommandOutcome Refused(Rejection rejection) => new(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
}

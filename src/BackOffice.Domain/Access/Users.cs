using System.Security.Cryptography;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Access;

/// <summary>
/// A person or system that uses the back office. <see cref="Branch"/> scopes what the user sees of
/// client accounts: when set, only the accounts of that branch exist for them.
/// </summary>
public sealed record User(string Name, string DisplayName, Role Role, string? Branch, bool Active)
{
    /// <summary>Longest user name.</summary>
    public const int NameLengthMax = 64;

    /// <summary>The rule a new user's fields break, or null.</summary>
    public static Rejection? Check(string name, string displayName)
    {
        if (name.Length is 0 or > NameLengthMax || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            return new Rejection("user.name", $"a user name is 1 to {NameLengthMax} letters, digits and . - _ @, not '{name}'");
        }
        return displayName.Length is 0 or > 200 ? new Rejection("user.display-name", "a display name is 1 to 200 characters") : null;
    }
}

/// <summary>
/// An API key as stored: never the key itself, only its SHA-256 (a key is 256 random bits, so a
/// fast hash is enough: there is nothing to guess). <see cref="Prefix"/> (the first characters of
/// the key) lets people tell keys apart in lists and logs.
/// </summary>
public sealed record ApiKey(string Id, string UserName, string Prefix, Sha256Hash Hash, bool Revoked);

/// <summary>Making and checking API keys.</summary>
public static class ApiKeys
{
    /// <summary>Every key starts with this, so a leaked key is recognisable (secret scanners).</summary>
    public const string KeyPrefix = "bo_";

    /// <summary>A new random key (shown once to whoever creates it) and what is stored of it.</summary>
    public static (string Key, ApiKey Stored) Create(string userName)
    {
        string secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string key = KeyPrefix + secret;
        string id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        return (key, new ApiKey(id, userName, key[..(KeyPrefix.Length + 6)], HashOf(key), false));
    }

    /// <summary>What is stored of <paramref name="key"/>.</summary>
    public static Sha256Hash HashOf(string key) => Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(key));
}

/// <summary>
/// Password hashing for console users: PBKDF2 with HMAC-SHA256, a 16-byte random salt and
/// 210,000 iterations (the OWASP recommendation for this hash), stored as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> in base64 so the cost can be raised later.
/// </summary>
public static class Passwords
{
    /// <summary>Iterations for new hashes.</summary>
    public const int Iterations = 210_000;

    /// <summary>Shortest password accepted.</summary>
    public const int LengthMin = 12;

    /// <summary>The stored form of <paramref name="password"/>.</summary>
    public static string Hash(string password, int iterations = Iterations)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="stored"/> was made from (compared in constant time).</summary>
    public static bool Verify(string password, string stored)
    {
        string[] parts = stored.Split('$');
        if (parts is not ["pbkdf2-sha256", var count, var salt, var hash] || !int.TryParse(count, System.Globalization.CultureInfo.InvariantCulture, out int iterations))
        {
            return false;
        }
        byte[] expected = Convert.FromBase64String(hash);
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(salt), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}

/// <summary>Changes to users and keys, written by one command.</summary>
public sealed record AccessChanges
{
    /// <summary>Users added or replaced (by name), with their password hash when set.</summary>
    public IReadOnlyList<(User User, string? PasswordHash)> Users { get; init; } = [];

    /// <summary>Keys issued.</summary>
    public IReadOnlyList<ApiKey> IssuedKeys { get; init; } = [];

    /// <summary>Ids of keys revoked.</summary>
    public IReadOnlyList<string> RevokedKeys { get; init; } = [];
}

using System.Security.Cryptography;

namespace BackOffice.Domain.Primitives;

/// <summary>
/// A SHA-256 digest, compared by value. Used for payload hashes (idempotency), entry hashes and
/// the audit chain. Printed as 64 lowercase hex digits.
/// </summary>
public readonly struct Sha256Hash : IEquatable<Sha256Hash>
{
    /// <summary>Digest size in bytes.</summary>
    public const int Size = 32;

    private readonly byte[]? _bytes;

    private Sha256Hash(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero digest: the "previous hash" of the first audit record.</summary>
    public static Sha256Hash Zero { get; } = new(new byte[Size]);

    /// <summary>The digest bytes (a copy is never needed: the array is never written after creation).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? Zero._bytes!;

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static Sha256Hash Of(ReadOnlySpan<byte> data)
    {
        byte[] digest = new byte[Size];
        SHA256.HashData(data, digest);
        return new Sha256Hash(digest);
    }

    /// <summary>Wraps existing digest bytes (for example read from the database).</summary>
    public static Sha256Hash FromBytes(ReadOnlySpan<byte> bytes)
    {
        Invariant.That(bytes.Length == Size, "a SHA-256 digest has 32 bytes");
        return new Sha256Hash(bytes.ToArray());
    }

    /// <summary>Parses 64 hex digits.</summary>
    public static bool TryParseHex(string text, out Sha256Hash hash)
    {
        hash = default;
        if (text.Length != Size * 2)
        {
            return false;
        }
        try
        {
            hash = new Sha256Hash(Convert.FromHexString(text));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public bool Equals(Sha256Hash other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Sha256Hash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Sha256Hash left, Sha256Hash right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Sha256Hash left, Sha256Hash right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Convert.ToHexStringLower(Bytes);
}

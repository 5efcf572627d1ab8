using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Host.Web;

/// <summary>
/// The 256-bit key (<c>serve --console-key-file</c>) that encrypts the console's data protection
/// keys before they are written to the database. It is registered as a singleton because the
/// framework creates <see cref="ConsoleKeyDecryptor"/> by its type name, with only the service
/// provider to find the key through.
/// </summary>
internal sealed class ConsoleKeyMaterial
{
    /// <summary>The length of the key: 32 bytes, for AES-256.</summary>
    public const int KeyBytes = 32;

    public ConsoleKeyMaterial(byte[] key)
    {
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"the console key must be {KeyBytes} bytes, not {key.Length}", nameof(key));
        }
        Key = key;
    }

    public byte[] Key { get; }
}

/// <summary>
/// Encrypts each data protection key's secret element with AES-256-GCM under the console key: a
/// random 12-byte nonce per element and a 16-byte tag, so a changed row fails to decrypt rather
/// than yielding another key. Only the element the framework marks as needing encryption (the
/// <c>masterKey</c>) is replaced; the key's id and dates stay readable.
/// </summary>
internal sealed class ConsoleKeyEncryptor(ConsoleKeyMaterial material) : IXmlEncryptor
{
    /// <summary>The name of the element that holds the ciphertext.</summary>
    public const string ElementName = "aes256Gcm";

    /// <summary>The format written; a decryptor refuses others rather than guessing.</summary>
    public const string Version = "1";

    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    /// <summary>
    /// Bound to every ciphertext as associated data, so an AES-GCM ciphertext made with the same
    /// key for some other purpose is not taken for a data protection key.
    /// </summary>
    public static ReadOnlySpan<byte> AssociatedData => "BackOffice console data protection key v1"u8;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        byte[] plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        byte[] nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[TagBytes];
        using (var aes = new AesGcm(material.Key, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(
            ElementName,
            new XAttribute("version", Version),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("ciphertext", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(ConsoleKeyDecryptor));
    }
}

/// <summary>
/// Decrypts what <see cref="ConsoleKeyEncryptor"/> wrote. The framework creates it through its
/// activator, which passes the service provider. A wrong console key, a changed row or a server
/// started without a console key throws <see cref="CryptographicException"/>; the framework then
/// treats that data protection key as unusable (sessions it protected are not accepted).
/// </summary>
internal sealed class ConsoleKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly ConsoleKeyMaterial? _material = services.GetService<ConsoleKeyMaterial>();

    public XElement Decrypt(XElement encryptedElement)
    {
        if (_material is null)
        {
            throw new CryptographicException("this data protection key is encrypted with a console key; start the server with --console-key-file to read it");
        }
        if (encryptedElement.Name != ConsoleKeyEncryptor.ElementName || (string?)encryptedElement.Attribute("version") != ConsoleKeyEncryptor.Version)
        {
            throw new CryptographicException($"an encrypted data protection key must be a <{ConsoleKeyEncryptor.ElementName} version=\"{ConsoleKeyEncryptor.Version}\"> element, not <{encryptedElement.Name}>");
        }
        byte[] nonce = Bytes(encryptedElement, "nonce", ConsoleKeyEncryptor.NonceBytes);
        byte[] tag = Bytes(encryptedElement, "tag", ConsoleKeyEncryptor.TagBytes);
        byte[] ciphertext = Bytes(encryptedElement, "ciphertext", null);
        byte[] plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(_material.Key, ConsoleKeyEncryptor.TagBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, ConsoleKeyEncryptor.AssociatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException("a data protection key does not decrypt with the console key: it was encrypted with another --console-key-file, or the row was changed", e);
        }
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The base64 content of the child <paramref name="name"/>, of <paramref name="length"/> bytes when given.</summary>
    private static byte[] Bytes(XElement parent, string name, int? length)
    {
        string text = parent.Element(name)?.Value ?? throw new CryptographicException($"an encrypted data protection key has no <{name}>");
        byte[] bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out int written) || (length is { } expected && written != expected))
        {
            throw new CryptographicException($"an encrypted data protection key's <{name}> must be base64{(length is { } l ? $" of {l} bytes" : "")}");
        }
        return bytes[..written];
    }
}

/// <summary>
/// The check <c>serve</c> makes before it starts: the console keys already in the database must be
/// readable with the key it was given. A server started with another key file (or none) would not
/// read the others' sessions, would make keys of its own, and servers sharing the database would
/// keep replacing each other's keys; it is refused at startup instead.
/// </summary>
internal static class ConsoleKeyCheck
{
    /// <summary>Why the stored keys cannot be read with <paramref name="key"/> (null: no console key given), or null when they can.</summary>
    public static string? Problem(IEnumerable<string> storedKeys, byte[]? key)
    {
        ConsoleKeyDecryptor? decryptor = key is null ? null
            : new ConsoleKeyDecryptor(new ServiceCollection().AddSingleton(new ConsoleKeyMaterial(key)).BuildServiceProvider());
        foreach (string stored in storedKeys)
        {
            foreach (XElement encrypted in XElement.Parse(stored).Descendants(ConsoleKeyEncryptor.ElementName))
            {
                if (decryptor is null)
                {
                    return "the console keys in the database are encrypted with a console key: give the servers' --console-key-file";
                }
                try
                {
                    _ = decryptor.Decrypt(encrypted);
                }
                catch (CryptographicException)
                {
                    return "--console-key-file does not decrypt the console keys in the database (they were written with another key): give the key file the other servers use";
                }
            }
        }
        return null;
    }
}

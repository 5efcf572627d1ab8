using System.Xml.Linq;
using BackOffice.Application.Ports;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace BackOffice.Host.Web;

/// <summary>
/// Keeps the data protection keys (which encrypt console session cookies and antiforgery tokens)
/// in the database, so every server sharing it reads the others' cookies and a restart keeps
/// people signed in. The framework's interface is synchronous; it is called when the key ring is
/// loaded or a key is made, not per request. It stores what it is given: with a console key the
/// framework has already encrypted each key's secret (<see cref="ConsoleKeyEncryptor"/>).
/// </summary>
internal sealed class DatabaseKeyRepository(IBackOfficeStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.ReadDataProtectionKeysAsync(CancellationToken.None).GetAwaiter().GetResult().Select(XElement.Parse)];

    public void StoreElement(XElement element, string friendlyName) =>
        store.SaveDataProtectionKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None).GetAwaiter().GetResult();
}

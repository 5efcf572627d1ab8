using BackOffice.Domain.ReferenceData;
using BackOffice.Host.Cli;
using Microsoft.AspNetCore.Http;

namespace BackOffice.Host.Api;

/// <summary>
/// What a branch-scoped caller may see of client data: the accounts of their branch, and the
/// client sub-ledgers (<c>CONTROL.ACCOUNT</c>) of those accounts. Every endpoint and console page
/// that shows client data asks this one place. A firm-wide caller has no scope (null).
/// </summary>
internal sealed class BranchScope(string branch, IReadOnlyDictionary<string, ClientAccount> clients)
{
    /// <summary>The caller's scope, or null when the caller sees every branch.</summary>
    public static async Task<BranchScope?> ForAsync(HttpContext http, Services services, CancellationToken ct) =>
        ApiServer.Branch(http) is { } branch ? new BranchScope(branch, (await services.ReferenceAsync(ct)).ClientAccounts) : null;

    /// <summary>The caller's branch.</summary>
    public string Branch => branch;

    /// <summary>Whether <paramref name="account"/> is a client account of the caller's branch.</summary>
    public bool SeesAccount(string account) => clients.TryGetValue(account, out ClientAccount? client) && client.Branch == branch;

    /// <summary>Whether a ledger account is a sub-ledger of one of the caller's branch's clients.</summary>
    public bool SeesSubLedger(string code) => Client(code) is { } account && SeesAccount(account);

    /// <summary>Whether a ledger account is a sub-ledger of another branch's client.</summary>
    public bool HidesSubLedger(string code) => Client(code) is { } account && clients.ContainsKey(account) && !SeesAccount(account);

    private static string? Client(string code) => code.IndexOf('.', StringComparison.Ordinal) is int dot and > 0 ? code[(dot + 1)..] : null;
}

namespace BackOffice.Domain.Access;

/// <summary>
/// Who a user is to the back office. Each role grants a fixed set of permissions
/// (<see cref="Roles.Permissions"/>); every endpoint states the one permission it needs.
/// </summary>
public enum Role
{
    /// <summary>A front-office or risk system: submits trades, reads trades, positions and buying power.</summary>
    FrontOffice = 1,

    /// <summary>Operations staff who make changes: trades, exceptions, settlement, reconciliation, manual entries (as requests a checker approves).</summary>
    OperationsMaker = 2,

    /// <summary>An operations supervisor: reads what operations reads, works reconciliation breaks, and approves or rejects what makers request.</summary>
    OperationsChecker = 3,

    /// <summary>Accounting: the ledger, reports, end of day and period close.</summary>
    Accountant = 4,

    /// <summary>Compliance: reads everything about trades and accounts, and the audit trail; screens, surveys, and disposes of alerts (another officer approving).</summary>
    ComplianceOfficer = 5,

    /// <summary>An auditor: reads everything, changes nothing.</summary>
    Auditor = 6,

    /// <summary>Administers users and keys; approves as a checker only what administrators may.</summary>
    Administrator = 7,
}

/// <summary>One thing a request may do. Names are stable: the authorization matrix and the docs use them.</summary>
public static class Permission
{
    public const string TradesRead = "trades.read";
    public const string TradesSubmit = "trades.submit";
    public const string TradesCorrect = "trades.correct";
    public const string LedgerRead = "ledger.read";
    public const string SettlementRead = "settlement.read";
    public const string SettlementOperate = "settlement.operate";
    public const string ReconRead = "recon.read";
    public const string ReconOperate = "recon.operate";
    public const string ComplianceRead = "compliance.read";
    public const string ComplianceOperate = "compliance.operate";
    public const string AuditRead = "audit.read";
    public const string UsersManage = "users.manage";
    public const string JournalRequest = "journal.request";
    public const string ReferenceRequest = "reference.request";
    public const string ApprovalsRead = "approvals.read";
    public const string ApprovalsDecide = "approvals.decide";
    public const string HoldsPlace = "holds.place";
    public const string HoldsRead = "holds.read";
    public const string EodRun = "eod.run";

    /// <summary>Every permission, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [TradesRead, TradesSubmit, TradesCorrect, HoldsPlace, HoldsRead, LedgerRead, SettlementRead, SettlementOperate, ReconRead, ReconOperate, ComplianceRead, ComplianceOperate, AuditRead, JournalRequest, ReferenceRequest, EodRun, ApprovalsRead, ApprovalsDecide, UsersManage];
}

/// <summary>The roles, their names on the wire and the permissions each grants.</summary>
public static class Roles
{
    private static readonly Dictionary<Role, HashSet<string>> ByRole = new()
    {
        [Role.FrontOffice] = [Permission.TradesRead, Permission.TradesSubmit, Permission.HoldsPlace, Permission.HoldsRead],
        [Role.OperationsMaker] = [Permission.TradesRead, Permission.TradesSubmit, Permission.TradesCorrect, Permission.HoldsPlace, Permission.HoldsRead, Permission.LedgerRead, Permission.SettlementRead,
            Permission.SettlementOperate, Permission.ReconRead, Permission.ReconOperate,
            Permission.JournalRequest, Permission.ReferenceRequest, Permission.ApprovalsRead],
        [Role.OperationsChecker] = [Permission.TradesRead, Permission.HoldsRead, Permission.LedgerRead, Permission.SettlementRead, Permission.ReconRead, Permission.ReconOperate,
            Permission.ApprovalsRead, Permission.ApprovalsDecide],
        [Role.Accountant] = [Permission.TradesRead, Permission.HoldsRead, Permission.LedgerRead, Permission.SettlementRead, Permission.ReconRead, Permission.JournalRequest, Permission.EodRun,
            Permission.ApprovalsRead],
        [Role.ComplianceOfficer] = [Permission.TradesRead, Permission.HoldsRead, Permission.LedgerRead, Permission.SettlementRead, Permission.ReconRead, Permission.AuditRead,
            Permission.ComplianceRead, Permission.ComplianceOperate, Permission.ApprovalsRead, Permission.ApprovalsDecide],
        [Role.Auditor] = [Permission.TradesRead, Permission.HoldsRead, Permission.LedgerRead, Permission.SettlementRead, Permission.ReconRead, Permission.AuditRead,
            Permission.ComplianceRead, Permission.ApprovalsRead],
        [Role.Administrator] = [Permission.UsersManage, Permission.AuditRead, Permission.ApprovalsRead, Permission.ApprovalsDecide],
    };

    /// <summary>Whether <paramref name="role"/> grants <paramref name="permission"/>.</summary>
    public static bool Grants(Role role, string permission) => ByRole[role].Contains(permission);

    /// <summary>The permissions <paramref name="role"/> grants.</summary>
    public static IReadOnlySet<string> Permissions(Role role) => ByRole[role];

    /// <summary>The role's name on the wire and in files: <c>front-office</c>, <c>operations-maker</c>, ...</summary>
    public static string Name(Role role) => role switch
    {
        Role.FrontOffice => "front-office",
        Role.OperationsMaker => "operations-maker",
        Role.OperationsChecker => "operations-checker",
        Role.Accountant => "accountant",
        Role.ComplianceOfficer => "compliance-officer",
        Role.Auditor => "auditor",
        Role.Administrator => "administrator",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>Every role, in documentation order.</summary>
    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();

    /// <summary>The role named <paramref name="name"/>, or null.</summary>
    public static Role? Parse(string name) => All.Cast<Role?>().FirstOrDefault(r => Name(r!.Value) == name);
}

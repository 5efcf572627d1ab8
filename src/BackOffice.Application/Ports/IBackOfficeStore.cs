using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;

namespace BackOffice.Application.Ports;

/// <summary>
/// The one storage port. SQLite (embedded default) and PostgreSQL (shared server) implement it and
/// are held to the same contract by one test suite. Writes happen only through
/// <see cref="BeginWriteAsync"/>, which the write path alone calls.
/// </summary>
public interface IBackOfficeStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres", for messages and the audit of migrations.</summary>
    string Kind { get; }

    /// <summary>Applies the versioned migrations that are not applied yet. Safe to call on every start.</summary>
    Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens one database transaction holding the write lock of the audit chain: writers are
    /// serialised, so entry ids and chain sequence numbers are assigned without gaps.
    /// </summary>
    Task<IWriteUnitOfWork> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>The current head of the audit chain (sequence 0 and the zero hash when empty).</summary>
    Task<ChainHead> ReadHeadAsync(CancellationToken cancellationToken);

    /// <summary>Ledger accounts and assets named by the codes (unknown codes are simply absent).</summary>
    Task<ReferenceLookup> ResolveAsync(IReadOnlyCollection<string> ledgerAccountCodes, IReadOnlyCollection<string> assetCodes, CancellationToken cancellationToken);

    /// <summary>Booked entries (id and payload hash) that carry the given idempotency keys.</summary>
    Task<IReadOnlyDictionary<string, BookedKey>> FindEntryKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Balances summed from postings: effective on or before <paramref name="asOf"/>, recorded at or before <paramref name="knownAt"/>.</summary>
    Task<IReadOnlyList<BalanceRow>> ReadBalancesAsync(LocalDate? asOf, Instant? knownAt, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ReadBalancesAsync(LocalDate?, Instant?, CancellationToken)"/>, on a chosen
    /// basis: by effective (trade) date, or by settlement date, where a trade's postings count from
    /// the trade's settlement date (entries that book no trade settle on their effective date).
    /// </summary>
    Task<IReadOnlyList<BalanceRow>> ReadBalancesAsync(LocalDate? asOf, Instant? knownAt, BalanceBasis basis, CancellationToken cancellationToken);

    /// <summary>The maintained balance projection, as stored.</summary>
    Task<IReadOnlyList<BalanceRow>> ReadBalanceProjectionAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the balance projection with sums recomputed from the journal, in one transaction.</summary>
    Task ReplaceBalanceProjectionAsync(IReadOnlyList<BalanceRow> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the realized P&amp;L snapshot, in one transaction: every closing trade with a trade
    /// date on or before <paramref name="through"/> as the lots left it, computed from the books as
    /// they stood at audit record <paramref name="sequence"/>. A derived copy, rebuilt at each close.
    /// </summary>
    Task ReplaceRealizedSnapshotAsync(LocalDate through, AuditSequence sequence, IEnumerable<RealizedRow> rows, CancellationToken cancellationToken);

    /// <summary>
    /// The realized P&amp;L snapshot summed per holder, instrument and currency over trade dates from
    /// <paramref name="from"/> (the beginning when null) to <paramref name="asOf"/>, with the date and
    /// sequence it was taken at; null when there is none.
    /// </summary>
    Task<RealizedSnapshot?> ReadRealizedSnapshotAsync(LocalDate? from, LocalDate asOf, CancellationToken cancellationToken);

    /// <summary>All ledger accounts and assets (for reports and the demo).</summary>
    Task<ReferenceLookup> ReadAllReferenceAsync(CancellationToken cancellationToken);

    /// <summary>One booked entry with its postings, or null.</summary>
    Task<JournalEntry?> ReadEntryAsync(JournalEntryId id, CancellationToken cancellationToken);

    /// <summary>The entry that reverses <paramref name="id"/>, if any.</summary>
    Task<JournalEntryId?> FindReversalOfAsync(JournalEntryId id, CancellationToken cancellationToken);

    /// <summary>
    /// Searches the journal a window at a time: the entries with ids after <see cref="EntryQuery.AfterId"/>
    /// and within <see cref="EntryQuery.ScanMax"/> ids of it that match the filters, oldest first, at most
    /// <see cref="EntryQuery.Limit"/>. A search that matches rarely still answers in bounded time; the
    /// page says where the next window starts.
    /// </summary>
    Task<EntryPage> SearchEntriesAsync(EntryQuery query, CancellationToken cancellationToken);

    /// <summary>The audit record of the command with this idempotency key, or null.</summary>
    Task<AuditRecord?> FindCommandAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>Audit records in sequence order, exactly as stored (for verification).</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditRecordsAsync(CancellationToken cancellationToken);

    /// <summary>Journal entries with postings in id order, exactly as stored, with the hash stored beside each.</summary>
    IAsyncEnumerable<StoredEntry> ReadEntriesAsync(CancellationToken cancellationToken);

    /// <summary>Everything trade capture looks up: instruments, accounts, parties, currencies, markets, fee rules, SSIs.</summary>
    Task<TradeReferenceData> ReadTradeReferenceAsync(CancellationToken cancellationToken);

    /// <summary>Booked messages of one source, by source trade id (unknown ids are absent).</summary>
    Task<IReadOnlyDictionary<string, BookedTradeMessage>> FindTradeMessagesAsync(string source, IReadOnlyCollection<string> sourceTradeIds, CancellationToken cancellationToken);

    /// <summary>The latest version of each trade matching the query, by trade id.</summary>
    Task<IReadOnlyList<TradeVersion>> ListTradesAsync(TradeQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The latest version of each active trade with a trade date on or before <paramref name="asOf"/>
    /// (all when null), streamed in execution order: trade date, then execution time (trades
    /// without one first), then trade id.
    /// </summary>
    IAsyncEnumerable<TradeVersion> ReadActiveTradesInExecutionOrderAsync(LocalDate? asOf, CancellationToken cancellationToken);

    /// <summary>
    /// The same trades in the same order as <see cref="ReadActiveTradesInExecutionOrderAsync"/>,
    /// reduced to what the lot rules read (the end of day runs them over every trade).
    /// </summary>
    IAsyncEnumerable<Domain.Lots.LotTrade> ReadLotTradesAsync(LocalDate? asOf, CancellationToken cancellationToken);

    /// <summary>The latest version of every active trade due to settle on <paramref name="settlementDate"/>, as settlement reads it, by trade id.</summary>
    IAsyncEnumerable<Domain.Settlement.SettlingTrade> ReadActiveTradesSettlingOnAsync(LocalDate settlementDate, CancellationToken cancellationToken);

    /// <summary>Every version of one trade, oldest first (empty when unknown).</summary>
    Task<IReadOnlyList<TradeVersion>> ReadTradeAsync(long tradeId, CancellationToken cancellationToken);

    /// <summary>Exceptions, oldest first, with their closure; only open ones when <paramref name="openOnly"/>.</summary>
    Task<IReadOnlyList<TradeException>> ListExceptionsAsync(bool openOnly, CancellationToken cancellationToken);

    /// <summary>One exception, open or closed, or null.</summary>
    Task<TradeException?> ReadExceptionAsync(long id, CancellationToken cancellationToken);

    /// <summary>The latest price of each instrument and rate of each currency pair dated on or before <paramref name="asOf"/>.</summary>
    Task<MarketData> ReadMarksAsync(LocalDate asOf, CancellationToken cancellationToken);

    /// <summary>
    /// The net movement, per effective date and asset, of the accounts of the given types, on or
    /// before <paramref name="through"/>, in date order (debits positive).
    /// </summary>
    Task<IReadOnlyList<DailyNet>> ReadDailyNetAsync(LocalDate through, IReadOnlyCollection<LedgerAccountType> types, CancellationToken cancellationToken);

    /// <summary>Every rate of a currency pair, either way round, dated on or before <paramref name="through"/>, in date order.</summary>
    Task<IReadOnlyList<FxRate>> ReadFxRateHistoryAsync(string currency, string other, LocalDate through, CancellationToken cancellationToken);

    /// <summary>Every bilateral netting agreement, by counterparty then date.</summary>
    Task<IReadOnlyList<NettingAgreement>> ReadNettingAgreementsAsync(CancellationToken cancellationToken);

    /// <summary>Every close-out rule loaded (the deadlines of settlement fails), by name.</summary>
    Task<IReadOnlyList<Domain.Settlement.CloseOutRule>> ReadCloseOutRulesAsync(CancellationToken cancellationToken);

    /// <summary>Every central bank overnight credit rate loaded, by currency then effective date.</summary>
    Task<IReadOnlyList<CentralBankRate>> ReadCentralBankRatesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every CSDR penalty rate loaded (amendments to the Annex, <see cref="Domain.Settlement.CsdrPenalties.WithAnnex"/>),
    /// by category then effective date.
    /// </summary>
    Task<IReadOnlyList<Domain.Settlement.PenaltyRate>> ReadPenaltyRatesAsync(CancellationToken cancellationToken);

    /// <summary>Every stock split loaded, by ex date then instrument.</summary>
    Task<IReadOnlyList<StockSplit>> ReadSplitsAsync(CancellationToken cancellationToken);

    /// <summary>Every interest rate tier on client cash balances.</summary>
    Task<IReadOnlyList<Domain.Interest.InterestRate>> ReadInterestRatesAsync(CancellationToken cancellationToken);

    /// <summary>Settlement instructions matching the query, by settlement date then transaction id, with their members.</summary>
    Task<IReadOnlyList<Domain.Settlement.SettlementInstruction>> ListInstructionsAsync(InstructionQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The open instructions (any settlement date) with a member whose trade has a later version
    /// than the one instructed (a correction or a bust booked since), by settlement date then transaction id.
    /// </summary>
    Task<IReadOnlyList<Domain.Settlement.SettlementInstruction>> ListStaleInstructionsAsync(CancellationToken cancellationToken);

    /// <summary>Every recorded change of one instruction's state, oldest first.</summary>
    Task<IReadOnlyList<Domain.Settlement.InstructionEvent>> ReadInstructionEventsAsync(string transactionId, CancellationToken cancellationToken);

    /// <summary>The CSDR penalties accrued on days from <paramref name="from"/> through <paramref name="through"/>, by transaction id then day.</summary>
    Task<IReadOnlyList<Domain.Settlement.AccruedPenalty>> ReadPenaltiesAsync(LocalDate from, LocalDate through, CancellationToken cancellationToken);

    /// <summary>A FIX session's sequence numbers, or null for a session never seen.</summary>
    Task<FixSessionState?> ReadFixSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Approval requests, oldest first, a page at a time.</summary>
    Task<IReadOnlyList<Domain.Approvals.ApprovalRequest>> ListApprovalsAsync(ApprovalQuery query, CancellationToken cancellationToken);

    /// <summary>One approval request, or null.</summary>
    Task<Domain.Approvals.ApprovalRequest?> ReadApprovalAsync(long id, CancellationToken cancellationToken);

    /// <summary>One audit record by its sequence, or null.</summary>
    Task<AuditRecord?> ReadAuditRecordAsync(AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>Trades per trade date (latest version of each), the latest <paramref name="dates"/> dates, newest first.</summary>
    Task<IReadOnlyList<(LocalDate TradeDate, int Active, int Busted)>> CountTradesByDateAsync(int dates, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lease named <paramref name="name"/> if no other holder has it (null otherwise):
    /// the right to run one piece of singleton work (the scheduled end of day, the FIX session)
    /// while several servers share the database. The lease is held until disposed or until its
    /// holder dies (its connection or process ends), when another can take it.
    /// </summary>
    Task<ILease?> TryAcquireLeaseAsync(string name, CancellationToken cancellationToken);

    /// <summary>Holds with the entry that reserves each and the key of its reversal (null while open).</summary>
    Task<IReadOnlyList<HeldEntry>> ListHoldsAsync(HoldQuery query, CancellationToken cancellationToken);

    /// <summary>The data protection keys (XML) that protect console sessions, shared by every server on this database.</summary>
    Task<IReadOnlyList<string>> ReadDataProtectionKeysAsync(CancellationToken cancellationToken);

    /// <summary>Stores a data protection key (a name is written once).</summary>
    Task SaveDataProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken);

    /// <summary>Every user, by name.</summary>
    Task<IReadOnlyList<Domain.Access.User>> ListUsersAsync(CancellationToken cancellationToken);

    /// <summary>One user and their password hash (null when they have none), or null.</summary>
    Task<(Domain.Access.User User, string? PasswordHash)?> FindUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>The key stored with this hash and its user, or null.</summary>
    Task<(Domain.Access.ApiKey Key, Domain.Access.User User)?> FindApiKeyAsync(Sha256Hash hash, CancellationToken cancellationToken);

    /// <summary>Every key issued (revoked ones too), by user.</summary>
    Task<IReadOnlyList<Domain.Access.ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Stores a FIX session's sequence numbers on their own (after admin messages, resets and sends).</summary>
    Task SaveFixSessionAsync(FixSessionState state, CancellationToken cancellationToken);

    /// <summary>Every account at a custodian or bank that is reconciled, by account then kind.</summary>
    Task<IReadOnlyList<Domain.Reconciliation.StatementAccount>> ReadStatementAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Statements matching the query, by statement date, account, then id.</summary>
    Task<IReadOnlyList<StoredStatement>> ListStatementsAsync(StatementQuery query, CancellationToken cancellationToken);

    /// <summary>A statement file's bytes exactly as received, or null.</summary>
    Task<StatementFile?> ReadStatementFileAsync(long fileId, CancellationToken cancellationToken);

    /// <summary>
    /// The movements of the given ledger accounts (each with its sub-ledgers) effective from
    /// <paramref name="from"/> through <paramref name="to"/>: one per entry, ledger account (the
    /// code asked for) and asset, in no particular order. One pass over the postings of those days.
    /// </summary>
    Task<IReadOnlyList<CashMovement>> ReadCashMovementsAsync(IReadOnlyCollection<string> ledgerAccounts, LocalDate from, LocalDate to, CancellationToken cancellationToken);

    /// <summary>Breaks matching the query, by id.</summary>
    Task<IReadOnlyList<Domain.Reconciliation.ReconBreak>> ListBreaksAsync(BreakQuery query, CancellationToken cancellationToken);

    /// <summary>Everything that happened to one break, oldest first.</summary>
    Task<IReadOnlyList<Domain.Reconciliation.BreakEvent>> ReadBreakEventsAsync(long breakId, CancellationToken cancellationToken);

    /// <summary>The MiFIR firm settings (null until loaded) and the client identities.</summary>
    Task<(Domain.Compliance.TransactionReporting.MifirFirm? Firm, IReadOnlyList<Domain.Compliance.TransactionReporting.MifirClient> Clients)> ReadMifirSettingsAsync(
        CancellationToken cancellationToken);

    /// <summary>
    /// What a MiFIR run looks at: the latest version of every trade on an EEA venue, or in an
    /// instrument listed on one, with a trade date from
    /// <paramref name="from"/> through <paramref name="through"/>, except those whose last record
    /// not rejected is a new report of that very version of an active trade (nothing to do), and
    /// except trades no longer active that have no such new report standing; with every record
    /// sent for the trades returned, oldest first.
    /// </summary>
    Task<(IReadOnlyList<TradeVersion> Trades, IReadOnlyList<StoredReportRecord> Sent)> ReadTradesToReportAsync(LocalDate from, LocalDate through,
        CancellationToken cancellationToken);

    /// <summary>Report records, newest first.</summary>
    Task<IReadOnlyList<StoredReportRecord>> ListReportRecordsAsync(ReportRecordQuery query, CancellationToken cancellationToken);

    /// <summary>Report files of a business date (all when null), oldest first, with their content.</summary>
    Task<IReadOnlyList<ReportFile>> ListReportFilesAsync(LocalDate? date, CancellationToken cancellationToken);

    /// <summary>The restricted list and the trading limits.</summary>
    Task<(IReadOnlyList<Domain.Compliance.RestrictedInstrument> Restricted, IReadOnlyList<Domain.Compliance.TradingLimit> Limits)> ReadSurveillanceSettingsAsync(
        CancellationToken cancellationToken);

    /// <summary>The latest sanctions list version with its files, or null when none was imported.</summary>
    Task<(StoredSanctionsList List, IReadOnlyList<SanctionsListFile> Files)?> ReadLatestSanctionsListAsync(CancellationToken cancellationToken);

    /// <summary>The sanctions list versions imported, oldest first.</summary>
    Task<IReadOnlyList<StoredSanctionsList>> ListSanctionsListsAsync(CancellationToken cancellationToken);

    /// <summary>The last screening of every name screened.</summary>
    Task<IReadOnlyList<Screening>> ReadScreeningsAsync(CancellationToken cancellationToken);

    /// <summary>Compliance alerts, newest first.</summary>
    Task<IReadOnlyList<Domain.Compliance.ComplianceAlert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken);

    /// <summary>What happened to one alert, oldest first.</summary>
    Task<IReadOnlyList<AlertEvent>> ReadAlertEventsAsync(long alertId, CancellationToken cancellationToken);

    /// <summary>Reconciliation runs, newest first: of one date when given, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ReconRun>> ListReconRunsAsync(LocalDate? date, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The run of audit records a records export of <paramref name="from"/> through <paramref name="to"/>
    /// covers: from the first to the last record that was written on those days (UTC) or that wrote
    /// an entry, a trade version, a statement or a MiFIR report dated in them. Empty when none.
    /// </summary>
    Task<RecordsRange> ReadRecordsRangeAsync(LocalDate from, LocalDate to, CancellationToken cancellationToken);

    /// <summary>Audit records <paramref name="first"/> through <paramref name="last"/>, in sequence order, exactly as stored.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditRecordsAsync(AuditSequence first, AuditSequence last, CancellationToken cancellationToken);

    /// <summary>The journal entries written by audit records <paramref name="first"/> through <paramref name="last"/>, with postings, in id order, with their stored hashes.</summary>
    IAsyncEnumerable<StoredEntry> ReadEntriesAsync(AuditSequence first, AuditSequence last, CancellationToken cancellationToken);

    /// <summary>Every trade version's source message with a trade date in the range or written by a record of its run, by trade then version.</summary>
    IAsyncEnumerable<RecordedTradeMessage> ReadTradeMessagesAsync(RecordsRange range, CancellationToken cancellationToken);

    /// <summary>Every exception (a refused or parked message) written by a record of the range's run, by id.</summary>
    IAsyncEnumerable<RecordedException> ReadExceptionMessagesAsync(RecordsRange range, CancellationToken cancellationToken);

    /// <summary>
    /// Every whole file kept byte for byte that belongs to the range: statement files (a statement
    /// dated in it, or received by a record of its run), MiFIR reports (business date in it, or
    /// written by the run), MiFIR feedback and trade files (received by the run); by kind, then id.
    /// </summary>
    IAsyncEnumerable<RecordedFile> ReadRecordedFilesAsync(RecordsRange range, CancellationToken cancellationToken);

    /// <summary>The settlement instructions sent in the range's audit records whose message was kept as its digest, in the order sent.</summary>
    IAsyncEnumerable<SentInstructionMessage> ReadSentInstructionMessagesAsync(RecordsRange range, CancellationToken cancellationToken);

    /// <summary>The retention policy in force and the audit record that set it (null: never set, the default applies).</summary>
    Task<(Domain.Records.RetentionPolicy Policy, AuditSequence? SetBy)> ReadRetentionAsync(CancellationToken cancellationToken);

    /// <summary>How many entries, audit records, trade messages and files are dated before <paramref name="before"/> (recorded times in UTC).</summary>
    Task<RecordsBefore> CountRecordsBeforeAsync(LocalDate before, CancellationToken cancellationToken);
}

/// <summary>End-of-day marks as of a date: the latest price per instrument and rate per (base, quote) pair.</summary>
public sealed record MarketData(IReadOnlyDictionary<string, Price> Prices, IReadOnlyDictionary<(string Base, string Quote), FxRate> FxRates);

/// <summary>A booked trade message: the trade and version it made, and the payload it was booked with.</summary>
public readonly record struct BookedTradeMessage(long TradeId, int Version, Sha256Hash PayloadHash);

/// <summary>
/// A journal search: entries dated <see cref="From"/> to <see cref="To"/>, touching
/// <see cref="LedgerAccount"/> (a ledger account code), whose source reference starts with
/// <see cref="SourcePrefix"/>, recorded by <see cref="KnownAt"/>; null matches any.
/// </summary>
public sealed record EntryQuery(long AfterId = 0, int Limit = 100, LocalDate? From = null, LocalDate? To = null, string? LedgerAccount = null,
    string? SourcePrefix = null, int ScanMax = EntryQuery.ScanMaxDefault, Instant? KnownAt = null)
{
    /// <summary>How many entry ids one search window covers.</summary>
    public const int ScanMaxDefault = 100_000;
}

/// <summary>The entries found in one search window and where the next window starts (null: the journal's end).</summary>
public sealed record EntryPage(IReadOnlyList<JournalEntry> Entries, long? NextAfterId);

/// <summary>Which holds to list: by account, id or the reference of the fill they wait for; open ones only when asked.</summary>
public sealed record HoldQuery(string? Account = null, string? Id = null, string? Reference = null, bool OpenOnly = false);

/// <summary>A hold, the entry that reserves it, and the key of the reversal that ended it (null while open).</summary>
public sealed record HeldEntry(Domain.Holds.Hold Hold, JournalEntryId EntryId, string? ReversalKey);

/// <summary>A held lease (see <see cref="IBackOfficeStore.TryAcquireLeaseAsync"/>).</summary>
public interface ILease : IAsyncDisposable
{
    /// <summary>The lease's name.</summary>
    string Name { get; }

    /// <summary>Whether the lease is still held (false once the database lost the holder, for example after a restart).</summary>
    Task<bool> IsHeldAsync(CancellationToken cancellationToken);
}

/// <summary>Which approval requests to list: by stored status, after an id, at most <see cref="Limit"/>.</summary>
public sealed record ApprovalQuery(Domain.Approvals.ApprovalStatus? Status = null, long AfterId = 0, int Limit = 100);

/// <summary>Filters for listing trades; null matches any. At most <see cref="Limit"/> trades, from <see cref="AfterTradeId"/>.</summary>
/// <param name="Branch">Only trades of client accounts of this branch (a branch-scoped user's view).</param>
/// <param name="Text">Only trades whose source trade id, ISIN, account or counterparty is exactly this.</param>
public sealed record TradeQuery(string? Account = null, LocalDate? TradeDate = null, TradeStatus? Status = null, long AfterTradeId = 0, int Limit = 1000,
    string? Branch = null, string? Text = null);

/// <summary>
/// One write transaction. Everything appended through it becomes visible at
/// <see cref="CommitAsync"/> or not at all; disposing without commit rolls back.
/// </summary>
public interface IWriteUnitOfWork : IAsyncDisposable
{
    /// <summary>The chain head: read under the write lock, then moved by each <see cref="AppendAuditAsync"/>.</summary>
    ChainHead Head { get; }

    /// <summary>
    /// Marks a point the transaction can roll back to, so one command of a group can be undone
    /// without the others (<see cref="RollbackToAsync"/>); the head rolls back with it.
    /// </summary>
    Task SavepointAsync(string name, CancellationToken cancellationToken);

    /// <summary>Undoes everything written since the savepoint <paramref name="name"/>.</summary>
    Task RollbackToAsync(string name, CancellationToken cancellationToken);

    /// <summary>The audit record of an earlier command with this key, or null.</summary>
    Task<AuditRecord?> FindCommandAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>Same as <see cref="IBackOfficeStore.ResolveAsync"/>, inside the transaction.</summary>
    Task<ReferenceLookup> ResolveAsync(IReadOnlyCollection<string> ledgerAccountCodes, IReadOnlyCollection<string> assetCodes, CancellationToken cancellationToken);

    /// <summary>Same as <see cref="IBackOfficeStore.FindEntryKeysAsync"/>, inside the transaction.</summary>
    Task<IReadOnlyDictionary<string, BookedKey>> FindEntryKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>One booked entry, inside the transaction.</summary>
    Task<JournalEntry?> ReadEntryAsync(JournalEntryId id, CancellationToken cancellationToken);

    /// <summary>The entry that reverses <paramref name="id"/>, inside the transaction.</summary>
    Task<JournalEntryId?> FindReversalOfAsync(JournalEntryId id, CancellationToken cancellationToken);

    /// <summary>Codes of the reference data already in the books, for the reference rules.</summary>
    Task<KnownReference> ReadKnownReferenceAsync(CancellationToken cancellationToken);

    /// <summary>Applies reference-data changes (upserts keyed by code).</summary>
    Task ApplyReferenceChangesAsync(ReferenceChanges changes, CancellationToken cancellationToken);

    /// <summary>Appends entries (with their hashes) and adds their postings to the balance projection.</summary>
    Task AppendEntriesAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<Sha256Hash> entryHashes, CancellationToken cancellationToken);

    /// <summary>Appends the audit record and moves the chain head to it.</summary>
    Task AppendAuditAsync(AuditRecord record, ChainHead newHead, CancellationToken cancellationToken);

    /// <summary>Same as <see cref="IBackOfficeStore.FindTradeMessagesAsync"/>, inside the transaction.</summary>
    Task<IReadOnlyDictionary<string, BookedTradeMessage>> FindTradeMessagesAsync(string source, IReadOnlyCollection<string> sourceTradeIds, CancellationToken cancellationToken);

    /// <summary>The latest version of a trade, or null.</summary>
    Task<TradeVersion?> ReadLatestTradeVersionAsync(long tradeId, CancellationToken cancellationToken);

    /// <summary>The highest trade id and exception id so far (0 when none): the next are one more.</summary>
    Task<(long LastTradeId, long LastExceptionId)> ReadLastTradeIdsAsync(CancellationToken cancellationToken);

    /// <summary>One exception with its closure, or null.</summary>
    Task<TradeException?> ReadExceptionAsync(long id, CancellationToken cancellationToken);

    /// <summary>Stores a FIX session's sequence numbers inside the transaction (with the trades its messages book).</summary>
    Task SaveFixSessionAsync(FixSessionState state, CancellationToken cancellationToken);

    /// <summary>Appends trade versions, exceptions and exception closures.</summary>
    Task AppendTradeRecordsAsync(IReadOnlyList<TradeVersion> versions, IReadOnlyList<TradeException> exceptions, IReadOnlyList<ExceptionClosure> closures,
        CancellationToken cancellationToken);

    /// <summary>Same as <see cref="IBackOfficeStore.ListInstructionsAsync"/>, inside the transaction.</summary>
    Task<IReadOnlyList<Domain.Settlement.SettlementInstruction>> ListInstructionsAsync(InstructionQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Appends new instructions, the events that move instructions (each event also sets its
    /// instruction's current state) and accrued penalties, recorded by audit record <paramref name="sequence"/>.
    /// </summary>
    Task AppendSettlementRecordsAsync(SettlementRecords records, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>One approval request, inside the transaction (so a decision sees the request as it now stands).</summary>
    Task<Domain.Approvals.ApprovalRequest?> ReadApprovalAsync(long id, CancellationToken cancellationToken);

    /// <summary>The highest approval request id so far (0 when none).</summary>
    Task<long> ReadLastApprovalIdAsync(CancellationToken cancellationToken);

    /// <summary>Writes a request made or a decision taken, stamped with the command's sequence.</summary>
    Task ApplyApprovalChangesAsync(Domain.Approvals.ApprovalChanges changes, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>Same as <see cref="IBackOfficeStore.ListHoldsAsync"/>, inside the transaction.</summary>
    Task<IReadOnlyList<HeldEntry>> ListHoldsAsync(HoldQuery query, CancellationToken cancellationToken);

    /// <summary>One balance from the projection, inside the transaction (so it counts what this transaction wrote).</summary>
    Task<long> ReadBalanceUnitsAsync(LedgerAccountId account, AssetId asset, CancellationToken cancellationToken);

    /// <summary>Writes what new holds are for (their entries are written as entries).</summary>
    Task AppendHoldsAsync(IReadOnlyList<Domain.Holds.Hold> holds, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>Writes users added or changed, keys issued and keys revoked, stamped with the command's sequence.</summary>
    Task ApplyAccessChangesAsync(Domain.Access.AccessChanges changes, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>Same as <see cref="IBackOfficeStore.ListStatementsAsync"/>, inside the transaction.</summary>
    Task<IReadOnlyList<StoredStatement>> ListStatementsAsync(StatementQuery query, CancellationToken cancellationToken);

    /// <summary>Same as <see cref="IBackOfficeStore.ListBreaksAsync"/>, inside the transaction.</summary>
    Task<IReadOnlyList<Domain.Reconciliation.ReconBreak>> ListBreaksAsync(BreakQuery query, CancellationToken cancellationToken);

    /// <summary>The highest statement file, statement, run and break ids so far (0 when none).</summary>
    Task<(long File, long Statement, long Run, long Break)> ReadLastReconIdsAsync(CancellationToken cancellationToken);

    /// <summary>Writes a file and its statements, supersessions, a run and break changes, stamped with the command's sequence.</summary>
    Task ApplyReconciliationAsync(ReconciliationRecords records, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>The last ids of alerts and sanctions lists (0 when none).</summary>
    Task<(long Alert, long List)> ReadLastComplianceIdsAsync(CancellationToken cancellationToken);

    /// <summary>The alert keys among <paramref name="keys"/> already raised.</summary>
    Task<IReadOnlySet<string>> FindAlertKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Compliance alerts, newest first, inside the transaction.</summary>
    Task<IReadOnlyList<Domain.Compliance.ComplianceAlert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken);

    /// <summary>Writes a list version, screenings, alerts raised and decisions.</summary>
    Task ApplyComplianceAsync(ComplianceRecords records, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>The last ids of report files, records and feedback files (0 when none).</summary>
    Task<(long File, long Record, long Feedback)> ReadLastReportingIdsAsync(CancellationToken cancellationToken);

    /// <summary>Report records, newest first, inside the transaction.</summary>
    Task<IReadOnlyList<StoredReportRecord>> ListReportRecordsAsync(ReportRecordQuery query, CancellationToken cancellationToken);

    /// <summary>Writes a report file and its records, or a feedback file and the statuses it gives.</summary>
    Task ApplyTransactionReportingAsync(TransactionReportingRecords records, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>Keeps inbound files as received (once per content) and records a retention policy set, stamped with the command's sequence.</summary>
    Task ApplyRecordsAsync(RecordsChanges changes, AuditSequence sequence, CancellationToken cancellationToken);

    /// <summary>Commits the transaction.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>Filters for listing settlement instructions; null matches any.</summary>
/// <param name="SettlementDate">Intended settlement date exactly this day.</param>
/// <param name="SettlingOnOrBefore">Intended settlement date on or before this day.</param>
/// <param name="OpenOnly">Only instructions neither settled nor cancelled.</param>
/// <param name="TransactionIds">Only these transaction ids.</param>
/// <param name="TradeIds">Only instructions settling one of these trades.</param>
public sealed record InstructionQuery(LocalDate? SettlementDate = null, LocalDate? SettlingOnOrBefore = null, bool OpenOnly = false,
    IReadOnlyCollection<string>? TransactionIds = null, IReadOnlyCollection<long>? TradeIds = null);

/// <summary>What a settlement command writes: new instructions, events moving instructions, accrued penalties.</summary>
public sealed record SettlementRecords(
    IReadOnlyList<Domain.Settlement.SettlementInstruction> Created,
    IReadOnlyList<Domain.Settlement.InstructionEvent> Events,
    IReadOnlyList<Domain.Settlement.AccruedPenalty> Penalties)
{
    /// <summary>True when there is nothing to write.</summary>
    public bool IsEmpty => Created.Count == 0 && Events.Count == 0 && Penalties.Count == 0;
}

/// <summary>The last audit record and entry: where the next command continues the chain.</summary>
public sealed record ChainHead(AuditSequence Sequence, Sha256Hash Hash, JournalEntryId LastEntryId, Instant LastRecordedAt)
{
    /// <summary>The head of an empty database.</summary>
    public static ChainHead Empty { get; } = new(new AuditSequence(0), Sha256Hash.Zero, new JournalEntryId(0), NodaTime.Instant.FromUnixTimeTicks(0));

    /// <summary>The last date of the closed period (no entry may be effective on or before it), or null when nothing is closed.</summary>
    public LocalDate? ClosedThrough { get; init; }

    /// <summary>The latest effective date of any entry (null: no entry): as of it or later, balances are the maintained projection.</summary>
    public LocalDate? LatestEffectiveDate { get; init; }

    /// <summary>
    /// The audit sequence of the last command that changed what lots are computed from (trade
    /// versions, client accounts, books, splits): a lot snapshot taken at or after it is current.
    /// </summary>
    public AuditSequence LotsChangedSequence { get; init; }

    /// <summary>
    /// The audit sequence of the last command that changed reference data (instruments, accounts,
    /// parties, ledger accounts, ...): reference data read at or after it is current.
    /// </summary>
    public AuditSequence ReferenceChangedSequence { get; init; }
}

/// <summary>An idempotency key already booked: the entry it produced and the payload it was booked with.</summary>
public readonly record struct BookedKey(JournalEntryId EntryId, Sha256Hash PayloadHash);

/// <summary>Which date puts a posting into a balance "as of" a day.</summary>
public enum BalanceBasis
{
    /// <summary>The entry's effective date (for a trade: its trade date).</summary>
    EffectiveDate = 1,

    /// <summary>For a trade's entries, its settlement date; for any other entry, its effective date.</summary>
    SettlementDate = 2,
}

/// <summary>A balance of one ledger account in one asset, in the asset's units.</summary>
public readonly record struct BalanceRow(LedgerAccountId LedgerAccount, AssetId Asset, long Units);

/// <summary>What one closing trade realized, as stored in the realized P&amp;L snapshot.</summary>
public readonly record struct RealizedRow(long TradeId, string Account, string Instrument, string Currency, LocalDate TradeDate, decimal Quantity, decimal Proceeds, decimal CostBasis);

/// <summary>The realized P&amp;L snapshot, summed per holder, instrument and currency (trade id 0, trade date the last summed).</summary>
public sealed record RealizedSnapshot(LocalDate Through, AuditSequence Sequence, IReadOnlyList<RealizedRow> Sums);

/// <summary>The net of some accounts' postings in one asset on one effective date, in units of the asset's scale (debits positive).</summary>
public readonly record struct DailyNet(LocalDate Date, AssetId Asset, long Units);

/// <summary>A journal entry as read back, with the hash that was stored beside it when it was booked.</summary>
/// <param name="HeaderMissing">True when postings exist for an entry id that has no entry row.</param>
public sealed record StoredEntry(JournalEntry Entry, Sha256Hash StoredHash, bool HeaderMissing = false);

/// <summary>Ledger accounts and assets by code.</summary>
public sealed record ReferenceLookup(IReadOnlyDictionary<string, LedgerAccount> LedgerAccounts, IReadOnlyDictionary<string, Asset> Assets)
{
    /// <summary>Ledger accounts by id.</summary>
    public IReadOnlyDictionary<LedgerAccountId, LedgerAccount> LedgerAccountsById { get; } =
        LedgerAccounts.Values.ToDictionary(a => a.Id);

    /// <summary>Assets by id.</summary>
    public IReadOnlyDictionary<AssetId, Asset> AssetsById { get; } = Assets.Values.ToDictionary(a => a.Id);
}

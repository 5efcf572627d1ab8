using System.Globalization;
using System.Text;
using BackOffice.Application.Ports;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Domain.Settlement;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Application.Reconciliation;

/// <summary>
/// Reads a statement file's bytes into its format's name and the statements it carries, or the
/// rejection that names the rule, file, line and field (ISO 20022 semt.002 and camt.053, the CSV
/// layouts). Supplied by the intake layer.
/// </summary>
public delegate Result<(string Format, IReadOnlyList<Statement> Statements)> StatementReader(string fileName, byte[] content);

/// <summary>What one statement's run did: the run's command outcome and what it compared.</summary>
public sealed record StatementRun(StoredStatement Statement, CommandOutcome Outcome, StatementComparison? Comparison);

/// <summary>
/// Reconciliation: statements received once each and kept as received, every current statement of
/// a day compared with the books, each difference filed as a break that keeps its history from
/// day to day, and the operators' actions on breaks. Every write is one audited command.
/// </summary>
public sealed class ReconciliationService(IBackOfficeStore store, CommandProcessor processor, StatementReader reader, SettlementBookingPolicy? policy = null)
{
    private readonly SettlementBookingPolicy _policy = policy ?? SettlementBookingPolicy.Default;

    /// <summary>The key of a file's import: its content hash, so a file is imported once whatever it is called.</summary>
    public static IdempotencyKey ImportKey(Sha256Hash contentHash) => IdempotencyKey.From("recon/statement-file/" + contentHash);

    /// <summary>
    /// Imports one file: read and validated whole (nothing is recorded when any part is refused),
    /// each statement's account must be a known statement account of its kind (and, for cash, its
    /// currency), and a statement for an account, kind, currency and date that already has one
    /// supersedes it (both are kept). The same bytes imported again are a replay.
    /// </summary>
    public async Task<(CommandOutcome Outcome, IReadOnlyList<StoredStatement> Statements)> ImportAsync(string fileName, byte[] content, string actor,
        CancellationToken cancellationToken)
    {
        Sha256Hash hash = Sha256Hash.Of(content);
        var command = new CommandEnvelope("recon.import", actor, ImportKey(hash), hash, null);
        AuditRecord? earlier = await store.FindCommandAsync(command.Key, cancellationToken);
        if (earlier is not null)
        {
            return (new CommandOutcome(CommandStatus.Replayed, earlier.Result, null, earlier.Sequence, []), []);
        }
        Result<(string Format, IReadOnlyList<Statement> Statements)> read = reader(fileName, content);
        if (read.Rejection is { } unreadable)
        {
            return (Refused(unreadable), []);
        }
        IReadOnlyList<StatementAccount> accounts = await store.ReadStatementAccountsAsync(cancellationToken);
        var stored = new List<StoredStatement>();
        foreach (Statement s in read.Value.Statements)
        {
            if (Check(s, accounts, fileName) is { } refused)
            {
                return (Refused(refused), []);
            }
        }
        var seen = new HashSet<(string, StatementKind, string?, LocalDate)>();
        foreach (Statement s in read.Value.Statements)
        {
            if (!seen.Add((s.Account, s.Kind, s.Currency, s.Date)))
            {
                return (Refused(new Rejection("statement.duplicate",
                    $"two statements of {Kind(s.Kind)} account {s.Account} for {Iso(s.Date)} in one file", fileName)), []);
            }
        }
        Instant receivedAt = processor.Clock.GetCurrentInstant();
        CommandOutcome outcome = await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            (long lastFile, long lastStatement, _, _) = await unitOfWork.ReadLastReconIdsAsync(ct);
            long fileId = lastFile + 1;
            var superseded = new List<(long, long)>();
            var lines = new List<string>();
            for (int i = 0; i < read.Value.Statements.Count; i++)
            {
                Statement s = read.Value.Statements[i];
                StatementAccount account = accounts.First(a => a.Account == s.Account && a.Kind == s.Kind);
                long id = lastStatement + 1 + i;
                stored.Add(new StoredStatement(id, fileId, i, account.Source, s.Kind, s.StatementId, s.Account, s.Date, s.Basis, s.Currency,
                    s.Holdings.Count + s.Entries.Count + s.Balances.Count, null)
                {
                    FileName = fileName,
                    ReceivedAt = receivedAt,
                    PeriodStart = s.Kind == StatementKind.Cash ? Reconciler.CashPeriodStart(s) : null,
                });
                IReadOnlyList<StoredStatement> current = await unitOfWork.ListStatementsAsync(new StatementQuery(s.Date, s.Account, s.Kind, CurrentOnly: true), ct);
                string replaces = "";
                foreach (StoredStatement old in current.Where(c => c.Currency == s.Currency))
                {
                    superseded.Add((old.Id, id));
                    replaces += string.Create(CultureInfo.InvariantCulture, $", superseding statement {old.Id}");
                }
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"statement {id} ({Kind(s.Kind)} {s.Account}{(s.Currency is null ? "" : " " + s.Currency)} {Iso(s.Date)}, {Count(s)}){replaces}"));
            }
            var records = new ReconciliationRecords
            {
                File = new StatementFile(fileId, fileName, read.Value.Format, hash, content, receivedAt),
                Statements = stored,
                Superseded = superseded,
            };
            return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"imported {fileName} ({read.Value.Format}) as file {fileId}: {string.Join("; ", lines)}"))
            {
                Reconciliation = records,
            };
        }, dryRun: false, cancellationToken);
        return (outcome, outcome.Status == CommandStatus.Accepted ? stored : []);
    }

    private static Rejection? Check(Statement s, IReadOnlyList<StatementAccount> accounts, string fileName)
    {
        StatementAccount? account = accounts.FirstOrDefault(a => a.Account == s.Account && a.Kind == s.Kind);
        if (account is null)
        {
            return new Rejection("statement.unknown-account",
                $"statement {s.StatementId} is for {Kind(s.Kind)} account '{s.Account}', which is not a statement account; load it with refdata import --kind statement-accounts",
                fileName);
        }
        if (s.Kind == StatementKind.Cash && s.Currency != account.Currency)
        {
            return new Rejection("statement.currency",
                $"statement {s.StatementId} is in {s.Currency}; cash account '{s.Account}' is in {account.Currency}", fileName);
        }
        return null;
    }

    /// <summary>How many statements' runs are written in one transaction (each its own command and audit record).</summary>
    public const int RunsPerCommit = 64;

    /// <summary>
    /// Reconciles every current statement dated <paramref name="date"/> (of one source when
    /// given) with the books as of that date, each as its own audited command: the differences are
    /// filed as breaks (<see cref="BreakBook.File"/>). A statement whose differences are the same
    /// as its last run's is a replay, so a rerun changes nothing. The books are read once for the
    /// day; statements are read again from their files one at a time, and their runs are written
    /// <see cref="RunsPerCommit"/> to a transaction.
    /// </summary>
    public async Task<IReadOnlyList<StatementRun>> RunAsync(LocalDate date, string? source, string actor, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredStatement> statements = await store.ListStatementsAsync(new StatementQuery(date, Source: source, CurrentOnly: true, Limit: int.MaxValue),
            cancellationToken);
        if (statements.Count == 0)
        {
            return [];
        }
        Dictionary<(string, StatementKind), StatementAccount> accounts = (await store.ReadStatementAccountsAsync(cancellationToken)).ToDictionary(a => (a.Account, a.Kind));
        ReferenceLookup reference = await store.ReadAllReferenceAsync(cancellationToken);
        var hints = new CauseHints(await store.ListInstructionsAsync(new InstructionQuery(OpenOnly: true), cancellationToken), await store.ReadSplitsAsync(cancellationToken));
        var books = new Books(store, reference, date);
        var cash = statements.Where(s => s.Kind == StatementKind.Cash && accounts.ContainsKey((s.Account, s.Kind))).ToList();
        LocalDate cashFrom = cash.Select(s => s.PeriodStart ?? s.Date).DefaultIfEmpty(date).Min();
        // Our movements still open at the bank from earlier days (up to the widest date window) are
        // compared again: a movement the bank books days late then meets its entry.
        var carried = new Dictionary<string, (HashSet<long> Ids, HashSet<string> Keys)>(StringComparer.Ordinal);
        if (cash.Count > 0)
        {
            var running = cash.Select(s => s.Account).ToHashSet(StringComparer.Ordinal);
            LocalDate oldest = date.PlusDays(-Matching.DateToleranceDaysMax);
            foreach (ReconBreak open in await store.ListBreaksAsync(new BreakQuery(UnresolvedOnly: true, Limit: int.MaxValue), cancellationToken))
            {
                if (open.Kind != StatementKind.Cash || open.Type != BreakType.MissingAtCustodian || open.Date >= date || open.Date < oldest || !running.Contains(open.Account))
                {
                    continue;
                }
                if (!carried.TryGetValue(open.Account, out (HashSet<long> Ids, HashSet<string> Keys) items))
                {
                    carried[open.Account] = items = ([], new HashSet<string>(StringComparer.Ordinal));
                }
                foreach (string id in BreakKeys.OurIds(open.Account, open.Key))
                {
                    items.Ids.Add(long.Parse(id, CultureInfo.InvariantCulture));
                }
                items.Keys.Add(open.Key);
                cashFrom = open.Date < cashFrom ? open.Date : cashFrom;
            }
        }
        // Every cash statement's movements in one pass over the postings of the days they cover.
        ILookup<(string, string), CashMovement> movements = cash.Count == 0
            ? Array.Empty<CashMovement>().ToLookup(m => (m.LedgerAccount, m.Asset))
            : (await store.ReadCashMovementsAsync(cash.Select(s => accounts[(s.Account, s.Kind)].LedgerAccount).Distinct(StringComparer.Ordinal).ToList(), cashFrom,
                date, cancellationToken)).ToLookup(m => (m.LedgerAccount, m.Asset));
        var runs = new List<StatementRun>(statements.Count);
        var pending = new List<(StoredStatement Stored, StatementComparison Comparison, IReadOnlySet<string>? Carried)>(RunsPerCommit);
        (long FileId, IReadOnlyList<Statement> Statements)? file = null;
        foreach (StoredStatement stored in statements)
        {
            accounts.TryGetValue((stored.Account, stored.Kind), out StatementAccount? account);
            if (account is not null && file?.FileId != stored.FileId)
            {
                file = await ReadFileAsync(stored.FileId, cancellationToken) is { } read ? (stored.FileId, read) : null;
            }
            Statement? statement = account is null || file is not { } f || stored.PositionInFile >= f.Statements.Count ? null : f.Statements[stored.PositionInFile];
            if (account is null || statement is null)
            {
                runs.Add(new StatementRun(stored, Refused(new Rejection("recon.statement", string.Create(CultureInfo.InvariantCulture,
                    $"statement {stored.Id} cannot be run: {(account is null ? "its account is no longer a statement account" : "its file no longer reads")}"))), null));
                continue;
            }
            (HashSet<long> Ids, HashSet<string> Keys) open = carried.GetValueOrDefault(stored.Account, ([], []));
            StatementComparison comparison = stored.Kind == StatementKind.Custody
                ? Reconciler.Custody(statement, await books.PositionsAsync(account.LedgerAccount, statement.Basis == StatementBasis.TradeDate ? _policy.PendingSettlement : null,
                    cancellationToken), hints)
                : Cash(account, statement, movements[(account.LedgerAccount, statement.Currency!)], open.Ids, await books.CashBalanceAsync(account.LedgerAccount,
                    statement.Currency!, cancellationToken), reference, hints);
            pending.Add((stored, comparison, stored.Kind == StatementKind.Cash ? open.Keys : null));
            if (pending.Count == RunsPerCommit)
            {
                runs.AddRange(await FileAsync(pending, date, actor, cancellationToken));
                pending.Clear();
            }
        }
        if (pending.Count > 0)
        {
            runs.AddRange(await FileAsync(pending, date, actor, cancellationToken));
        }
        // In the statements' order, whether refused at once or filed with a group.
        var order = statements.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        return runs.OrderBy(r => order[r.Statement.Id]).ToList();
    }

    /// <summary>Files the runs of several statements in one transaction, each its own command (replayed, refused or written on its own).</summary>
    private async Task<IReadOnlyList<StatementRun>> FileAsync(IReadOnlyList<(StoredStatement Stored, StatementComparison Comparison, IReadOnlySet<string>? Carried)> runs,
        LocalDate date, string actor, CancellationToken cancellationToken)
    {
        Instant at = processor.Clock.GetCurrentInstant();
        var commands = runs.Select(r => Command(r.Stored, r.Comparison, date, actor, r.Carried, at)).ToList();
        CommandOutcome[] outcomes = await processor.ExecuteGroupAsync(commands, cancellationToken);
        return runs.Select((r, i) => new StatementRun(r.Stored, outcomes[i], r.Comparison)).ToList();
    }

    private static (CommandEnvelope Command, Decide Decide) Command(StoredStatement stored, StatementComparison comparison, LocalDate date, string actor,
        IReadOnlySet<string>? carried, Instant at)
    {
        string digest = comparison.Digest();
        string payload = string.Create(CultureInfo.InvariantCulture, $"recon run {Iso(date)} statement {stored.Id} findings {digest}");
        var command = new CommandEnvelope("recon.run", actor, IdempotencyKey.From(string.Create(CultureInfo.InvariantCulture, $"recon/run/{stored.Id}/{digest[..16]}")),
            Sha256Hash.Of(Encoding.UTF8.GetBytes(payload)), payload);
        return (command, async (unitOfWork, ct) =>
        {
            (_, _, long lastRun, long lastBreak) = await unitOfWork.ReadLastReconIdsAsync(ct);
            long runId = lastRun + 1;
            IReadOnlyList<ReconBreak> known = (await unitOfWork.ListBreaksAsync(new BreakQuery(Account: stored.Account, Limit: int.MaxValue), ct))
                .Where(b => b.Kind == stored.Kind).ToList();
            BreakChanges changes = BreakBook.File(known, comparison.Findings, stored.Source, stored.Account, stored.Kind, date, comparison.CoveredFrom, runId,
                lastBreak + 1, actor, at, carried);
            int seenAgain = changes.Events.Count(e => e.Action == "seen-again");
            int reopened = changes.Events.Count(e => e.Action == "reopened");
            int agreed = changes.Events.Count(e => e.Action == "agreed");
            var run = new ReconRun(runId, stored.Id, date, stored.Source, stored.Account, stored.Kind, comparison.Compared, comparison.Matched,
                comparison.Findings.Count, actor, at);
            string result = string.Create(CultureInfo.InvariantCulture,
                $"run {runId}: statement {stored.Id} ({Kind(stored.Kind)} {stored.Account}, {stored.Source}) on {Iso(date)}: {comparison.Compared} compared, " +
                $"{comparison.Matched} agree, {comparison.Findings.Count} breaks ({changes.Added.Count} new, {seenAgain} seen again, {reopened} reopened); {agreed} earlier breaks agree now");
            return new CommandEffects([], null, result) { Reconciliation = new ReconciliationRecords { Run = run, Breaks = changes } };
        }
        );
    }

    /// <summary>A stored statement read again from its file, exactly as it was imported (null if the file no longer reads).</summary>
    public async Task<Statement?> ReadStatementAsync(StoredStatement stored, CancellationToken cancellationToken) =>
        await ReadFileAsync(stored.FileId, cancellationToken) is { } statements && stored.PositionInFile < statements.Count ? statements[stored.PositionInFile] : null;

    private async Task<IReadOnlyList<Statement>?> ReadFileAsync(long fileId, CancellationToken cancellationToken)
    {
        StatementFile? file = await store.ReadStatementFileAsync(fileId, cancellationToken);
        return file is not null && reader(file.Name, file.Content) is { Rejection: null } read ? read.Value.Statements : null;
    }

    private static StatementComparison Cash(StatementAccount account, Statement statement, IEnumerable<CashMovement> movements, HashSet<long> carried,
        decimal closing, ReferenceLookup reference, CauseHints hints)
    {
        LocalDate from = Reconciler.CashPeriodStart(statement);
        reference.Assets.TryGetValue(statement.Currency!, out Asset? asset);
        decimal sign = reference.LedgerAccounts.TryGetValue(account.LedgerAccount, out LedgerAccount? ledger) && !Books.DebitNormal(ledger.Type) ? -1m : 1m;
        var ours = new List<CashItem>();
        foreach (CashMovement m in movements)
        {
            if ((m.Date >= from && m.Date <= statement.Date) || carried.Contains(m.EntryId))
            {
                ours.Add(new CashItem(m.EntryId.ToString(CultureInfo.InvariantCulture), sign * asset!.ToAmount(m.Units), m.Date, Reference(m)));
            }
        }
        return Reconciler.Cash(statement, ours, closing, account.Rules, hints);
    }

    /// <summary>
    /// The books as of one date, read once for every statement of a run: the balances, indexed by
    /// ledger account and by control account.
    /// </summary>
    private sealed class Books(IBackOfficeStore store, ReferenceLookup reference, LocalDate date)
    {
        private Dictionary<string, List<BalanceRow>>? _byAccount;

        public static bool DebitNormal(LedgerAccountType type) => type is LedgerAccountType.Asset or LedgerAccountType.Expense;

        private async Task<Dictionary<string, List<BalanceRow>>> IndexAsync(CancellationToken cancellationToken)
        {
            if (_byAccount is null)
            {
                // Settlement moves the depository and the bank on the settlement date itself, so the
                // effective-date balances serve both statement bases; the basis decides which accounts count.
                _byAccount = new Dictionary<string, List<BalanceRow>>(StringComparer.Ordinal);
                // When no entry is dated after the day, the maintained projection is the balance as of it.
                bool current = (await store.ReadHeadAsync(cancellationToken)).LatestEffectiveDate is not { } latest || latest <= date;
                IReadOnlyList<BalanceRow> rows = current
                    ? await store.ReadBalanceProjectionAsync(cancellationToken)
                    : await store.ReadBalancesAsync(date, null, BalanceBasis.EffectiveDate, cancellationToken);
                foreach (BalanceRow row in rows)
                {
                    if (reference.LedgerAccountsById.TryGetValue(row.LedgerAccount, out LedgerAccount? ledger))
                    {
                        Add(ledger.Code, row);
                        if (ledger.ControlAccountCode is { } control)
                        {
                            Add(control, row);
                        }
                    }
                }
            }
            return _byAccount;
        }

        private void Add(string code, BalanceRow row)
        {
            if (!_byAccount!.TryGetValue(code, out List<BalanceRow>? rows))
            {
                _byAccount[code] = rows = [];
            }
            rows.Add(row);
        }

        /// <summary>
        /// Positions per ISIN in a ledger account (with its sub-ledgers) and, for a trade-date
        /// statement, in <paramref name="pending"/> too (securities pending settlement, as if every
        /// agreed trade had settled). Signed as custodians sign them: long positive.
        /// </summary>
        public async Task<IReadOnlyList<PositionItem>> PositionsAsync(string ledgerAccount, string? pending, CancellationToken cancellationToken)
        {
            Dictionary<string, List<BalanceRow>> index = await IndexAsync(cancellationToken);
            var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (string code in pending is null ? [ledgerAccount] : new[] { ledgerAccount, pending })
            {
                foreach (BalanceRow row in index.GetValueOrDefault(code) ?? [])
                {
                    if (reference.AssetsById.TryGetValue(row.Asset, out Asset? asset) && asset.Kind == AssetKind.Instrument)
                    {
                        decimal sign = DebitNormal(reference.LedgerAccountsById[row.LedgerAccount].Type) ? 1m : -1m;
                        totals[asset.Code] = totals.GetValueOrDefault(asset.Code) + sign * asset.ToAmount(row.Units);
                    }
                }
            }
            return totals.Where(t => t.Value != 0m).Select(t => new PositionItem(t.Key, t.Value)).ToList();
        }

        /// <summary>The balance of a ledger account (with its sub-ledgers) in a currency, signed as the bank signs it: credit to us positive.</summary>
        public async Task<decimal> CashBalanceAsync(string ledgerAccount, string currency, CancellationToken cancellationToken)
        {
            Dictionary<string, List<BalanceRow>> index = await IndexAsync(cancellationToken);
            if (!reference.Assets.TryGetValue(currency, out Asset? asset))
            {
                return 0m;
            }
            decimal total = 0m;
            foreach (BalanceRow row in index.GetValueOrDefault(ledgerAccount) ?? [])
            {
                if (row.Asset == asset.Id)
                {
                    total += (DebitNormal(reference.LedgerAccountsById[row.LedgerAccount].Type) ? 1m : -1m) * asset.ToAmount(row.Units);
                }
            }
            return total;
        }
    }

    /// <summary>
    /// The reference a bank quotes back for one of our movements: the settlement instruction's
    /// transaction id for a settlement (the sese.023 TxId, which the bank's entry carries as its
    /// end-to-end id), else the entry's source reference.
    /// </summary>
    public static string? Reference(CashMovement movement)
    {
        const string settlement = "settlement/";
        if (movement.Quoted.StartsWith(settlement, StringComparison.Ordinal))
        {
            string rest = movement.Quoted[settlement.Length..];
            int slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 ? rest[..slash] : rest;
        }
        return string.IsNullOrEmpty(movement.Quoted) ? null : movement.Quoted;
    }

    /// <summary>
    /// An operator's action on a break (<see cref="BreakBook.Act"/>): assign, explain or resolve,
    /// an audited command under <paramref name="key"/>.
    /// </summary>
    public async Task<CommandOutcome> ActAsync(long breakId, string action, string? owner, string? note, string actor, IdempotencyKey key,
        CancellationToken cancellationToken)
    {
        string payload = JsonText(breakId, action, owner, note);
        var command = new CommandEnvelope("recon.break." + action, actor, key, Sha256Hash.Of(Encoding.UTF8.GetBytes(payload)), payload);
        Instant at = processor.Clock.GetCurrentInstant();
        return await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            ReconBreak? b = await OneBreakAsync(unitOfWork, breakId, ct);
            if (b is null)
            {
                return new Rejection("break.unknown", string.Create(CultureInfo.InvariantCulture, $"no break {breakId}"));
            }
            Result<BreakChanges> changes = BreakBook.Act(b, action, owner, note, actor, at);
            if (changes.Rejection is { } refused)
            {
                return refused;
            }
            return new CommandEffects([], null, string.Create(CultureInfo.InvariantCulture, $"break {breakId} {changes.Value.Events[0].Action}"))
            {
                Reconciliation = new ReconciliationRecords { Breaks = changes.Value },
            };
        }, dryRun: false, cancellationToken);
    }

    /// <summary>
    /// The decision that books an adjusting entry for a break and resolves it, for a checker's
    /// approval: refused when the break is unknown or already resolved, or the entry cannot book.
    /// </summary>
    public static Decide PlanAdjustment(long breakId, JournalEntryRequest entry, IClock clock) => async (unitOfWork, ct) =>
    {
        ReconBreak? b = await OneBreakAsync(unitOfWork, breakId, ct);
        if (b is null)
        {
            return new Rejection("break.unknown", string.Create(CultureInfo.InvariantCulture, $"no break {breakId}"));
        }
        if (b.Status == BreakStatus.Resolved)
        {
            return new Rejection("break.resolved", string.Create(CultureInfo.InvariantCulture, $"break {breakId} is already resolved"));
        }
        Result<IReadOnlyList<JournalEntryDraft>> drafts = await EntryDrafts.DecideAsync(unitOfWork, [entry], ct);
        if (drafts.Rejection is { } refused)
        {
            return refused;
        }
        if ((await unitOfWork.FindEntryKeysAsync([entry.Key], ct)).TryGetValue(entry.Key, out BookedKey booked))
        {
            return new Rejection("entry.key-used", $"an entry with key '{entry.Key}' is already booked (entry {booked.EntryId})");
        }
        var resolved = new BreakChanges([], [b with { Status = BreakStatus.Resolved, Note = $"adjusting entry {entry.Key}: {entry.Reason}" }],
            [new BreakEvent(b.Id, clock.GetCurrentInstant(), "maker-checker", "resolved", $"adjusting entry {entry.Key}: {entry.Reason}", null)]);
        return new CommandEffects(drafts.Value, null, string.Create(CultureInfo.InvariantCulture, $"booked adjusting entry {entry.Key} and resolved break {breakId}"))
        {
            Reconciliation = new ReconciliationRecords { Breaks = resolved },
        };
    };

    private static async Task<ReconBreak?> OneBreakAsync(IWriteUnitOfWork unitOfWork, long breakId, CancellationToken cancellationToken) =>
        await unitOfWork.ListBreaksAsync(new BreakQuery(Id: breakId, Limit: 1), cancellationToken) is [var found, ..] ? found : null;

    private static string JsonText(long breakId, string action, string? owner, string? note) =>
        System.Text.Json.JsonSerializer.Serialize(new { break_id = breakId, action, owner, note });

    private static CommandOutcome Refused(Rejection rejection) => new(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);

    private static string Count(Statement s) => s.Kind == StatementKind.Custody
        ? string.Create(CultureInfo.InvariantCulture, $"{s.Holdings.Count} holdings")
        : string.Create(CultureInfo.InvariantCulture, $"{s.Entries.Count} entries, {s.Balances.Count} balances");

    /// <summary>custody or cash.</summary>
    public static string Kind(StatementKind kind) => kind == StatementKind.Custody ? "custody" : "cash";

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}

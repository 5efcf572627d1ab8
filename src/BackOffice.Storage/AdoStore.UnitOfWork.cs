using System.Data.Common;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private sealed class UnitOfWork(AdoStore store, DbConnection connection, DbTransaction transaction, ChainHead head) : IWriteUnitOfWork
    {
        private readonly Dictionary<string, ChainHead> _savepoints = new(StringComparer.Ordinal);

        public ChainHead Head { get; private set; } = head;

        public async Task SavepointAsync(string name, CancellationToken cancellationToken)
        {
            await transaction.SaveAsync(name, cancellationToken);
            _savepoints[name] = Head;
        }

        public async Task RollbackToAsync(string name, CancellationToken cancellationToken)
        {
            await transaction.RollbackAsync(name, cancellationToken);
            Head = _savepoints[name];
        }

        // Statements every command of a group runs, prepared once per unit of work.
        private DbCommand? _findCommand;
        private DbCommand? _lastTradeIds;

        public async Task<AuditRecord?> FindCommandAsync(IdempotencyKey key, CancellationToken cancellationToken)
        {
            if (_findCommand is null)
            {
                _findCommand = Sql.Command(connection, transaction, $"SELECT {Schema.AuditColumns} FROM audit_records WHERE idempotency_key = @k");
                Sql.Add(_findCommand, "k", "");
                _findCommand.Prepare();
            }
            _findCommand.Parameters[0].Value = key.Value;
            await using DbDataReader reader = await _findCommand.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadAuditRecord(reader) : null;
        }

        public Task<ReferenceLookup> ResolveAsync(IReadOnlyCollection<string> ledgerAccountCodes, IReadOnlyCollection<string> assetCodes, CancellationToken cancellationToken) =>
            store.ResolveAsync(connection, transaction, ledgerAccountCodes, assetCodes, cancellationToken);

        public Task<IReadOnlyDictionary<string, BookedKey>> FindEntryKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            store.FindEntryKeysAsync(connection, transaction, keys, cancellationToken);

        public Task<JournalEntry?> ReadEntryAsync(JournalEntryId id, CancellationToken cancellationToken) =>
            store.ReadEntryAsync(connection, transaction, id, cancellationToken);

        public Task<JournalEntryId?> FindReversalOfAsync(JournalEntryId id, CancellationToken cancellationToken) =>
            AdoStore.FindReversalOfAsync(connection, transaction, id, cancellationToken);

        public async Task<KnownReference> ReadKnownReferenceAsync(CancellationToken cancellationToken)
        {
            var scales = new Dictionary<string, int>(StringComparer.Ordinal);
            await using (DbCommand command = Sql.Command(connection, transaction, "SELECT code, scale FROM assets"))
            await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    scales[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            return new KnownReference(
                await CodesAsync("SELECT code FROM currencies", cancellationToken),
                await CodesAsync("SELECT mic FROM markets", cancellationToken),
                await CodesAsync("SELECT lei FROM parties", cancellationToken),
                await CodesAsync("SELECT code FROM ledger_accounts", cancellationToken),
                scales);
        }

        private async Task<IReadOnlySet<string>> CodesAsync(string sql, CancellationToken cancellationToken)
        {
            var codes = new HashSet<string>(StringComparer.Ordinal);
            await using DbCommand command = Sql.Command(connection, transaction, sql);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                codes.Add(reader.GetString(0));
            }
            return codes;
        }

        public Task ApplyReferenceChangesAsync(ReferenceChanges changes, CancellationToken cancellationToken) =>
            ReferenceWriter.ApplyAsync(store, connection, transaction, changes, cancellationToken);

        public async Task AppendEntriesAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<Sha256Hash> entryHashes, CancellationToken cancellationToken)
        {
            await store.AppendRowsAsync(connection, transaction, entries, entryHashes, cancellationToken);
            // The projection moves by one net delta per (account, asset) per batch, not per posting.
            // One dictionary for the unit of work: a batch's ten thousand keys would otherwise grow
            // a fresh one through arrays large enough to cost a full collection each.
            Dictionary<(LedgerAccountId, AssetId), long> deltas = _deltas ??= [];
            deltas.Clear();
            foreach (JournalEntry entry in entries)
            {
                foreach (Posting posting in entry.Postings)
                {
                    var key = (posting.LedgerAccount, posting.Asset);
                    deltas[key] = checked(deltas.GetValueOrDefault(key) + posting.Units);
                }
            }
            if (store.TryMoveBalances(connection, deltas))
            {
                return;
            }
            if (_balanceUpsert is null)
            {
                _balanceUpsert = Sql.Command(connection, transaction,
                    "INSERT INTO balances (ledger_account_id, asset_id, units) VALUES (@a, @s, @u) " +
                    "ON CONFLICT (ledger_account_id, asset_id) DO UPDATE SET units = balances.units + excluded.units");
                _balanceValues = [Sql.Add(_balanceUpsert, "a", 0L), Sql.Add(_balanceUpsert, "s", 0L), Sql.Add(_balanceUpsert, "u", 0L)];
            }
            foreach (var ((account, asset), units) in deltas)
            {
                if (units != 0)
                {
                    _balanceValues[0].Value = account.Value;
                    _balanceValues[1].Value = asset.Value;
                    _balanceValues[2].Value = units;
                    await _balanceUpsert.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }

        private DbCommand? _balanceUpsert;
        private Dictionary<(LedgerAccountId, AssetId), long>? _deltas;
        private DbParameter[] _balanceValues = [];

        // The audit record's insert and the head's update run once per command: a group of commands
        // (the server's group commit) reuses one statement of each, prepared by its first use.
        private static readonly string[] AuditParameters = ["seq", "at", "actor", "type", "key", "ph", "payload", "result", "count", "digest", "prev", "hash"];
        private static readonly string[] HeadParameters = ["seq", "hash", "entry", "at", "previous", "closed", "latest", "lots", "reference"];
        private DbCommand? _auditInsert;
        private DbParameter[] _auditValues = [];
        private DbCommand? _headUpdate;
        private DbParameter[] _headValues = [];

        public async Task AppendAuditAsync(AuditRecord record, ChainHead newHead, CancellationToken cancellationToken)
        {
            if (_auditInsert is null)
            {
                _auditInsert = Sql.Command(connection, transaction,
                    $"INSERT INTO audit_records ({Schema.AuditColumns}) VALUES (@seq, @at, @actor, @type, @key, @ph, @payload, @result, @count, @digest, @prev, @hash)");
                _auditValues = [.. AuditParameters.Select(n => Sql.Add(_auditInsert, n, null))];
            }
            object?[] audit =
            [
                record.Sequence.Value, record.RecordedAt.ToUnixTimeTicks(), record.Actor, record.CommandType, record.Key.Value, record.PayloadHash.Bytes.ToArray(),
                record.Payload, record.Result, record.EntryCount, record.EntriesDigest.Bytes.ToArray(), record.PreviousHash.Bytes.ToArray(), record.Hash.Bytes.ToArray(),
            ];
            for (int i = 0; i < audit.Length; i++)
            {
                _auditValues[i].Value = audit[i] ?? DBNull.Value;
            }
            await _auditInsert.ExecuteNonQueryAsync(cancellationToken);
            if (_headUpdate is null)
            {
                _headUpdate = Sql.Command(connection, transaction,
                    "UPDATE chain_head SET last_sequence = @seq, last_hash = @hash, last_entry_id = @entry, last_recorded_at = @at, closed_through = @closed, " +
                    "latest_effective_date = @latest, lots_changed_sequence = @lots, reference_changed_sequence = @reference WHERE id = 1 AND last_sequence = @previous");
                _headValues = [.. HeadParameters.Select(n => Sql.Add(_headUpdate, n, null))];
            }
            object?[] head =
            [
                newHead.Sequence.Value, newHead.Hash.Bytes.ToArray(), newHead.LastEntryId.Value, newHead.LastRecordedAt.ToUnixTimeTicks(), Head.Sequence.Value,
                newHead.ClosedThrough is { } closed ? store.DateParameter(closed) : null,
                newHead.LatestEffectiveDate is { } latest ? store.DateParameter(latest) : null,
                newHead.LotsChangedSequence.Value, newHead.ReferenceChangedSequence.Value,
            ];
            for (int i = 0; i < head.Length; i++)
            {
                _headValues[i].Value = head[i] ?? DBNull.Value;
            }
            int updated = await _headUpdate.ExecuteNonQueryAsync(cancellationToken);
            Invariant.That(updated == 1, "the chain head moved under the write lock");
            Head = newHead;
        }

        public Task<IReadOnlyDictionary<string, BookedTradeMessage>> FindTradeMessagesAsync(string source, IReadOnlyCollection<string> sourceTradeIds, CancellationToken cancellationToken) =>
            store.FindTradeMessagesAsync(connection, transaction, source, sourceTradeIds, cancellationToken);

        public async Task<Domain.Trading.TradeVersion?> ReadLatestTradeVersionAsync(long tradeId, CancellationToken cancellationToken)
        {
            await using DbCommand command = Sql.Command(connection, transaction,
                $"SELECT {TradeColumns} FROM trade_versions WHERE trade_id = @id ORDER BY version DESC LIMIT 1");
            Sql.Add(command, "id", tradeId);
            IReadOnlyList<Domain.Trading.TradeVersion> versions = await store.ReadTradeVersionsAsync(command, cancellationToken);
            return versions.Count == 0 ? null : versions[0];
        }

        public async Task<(long LastTradeId, long LastExceptionId)> ReadLastTradeIdsAsync(CancellationToken cancellationToken)
        {
            if (_lastTradeIds is null)
            {
                _lastTradeIds = Sql.Command(connection, transaction,
                    "SELECT (SELECT coalesce(max(trade_id), 0) FROM trade_versions), (SELECT coalesce(max(id), 0) FROM trade_exceptions)");
                _lastTradeIds.Prepare();
            }
            await using DbDataReader reader = await _lastTradeIds.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return (Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        }

        public async Task<Domain.Trading.TradeException?> ReadExceptionAsync(long id, CancellationToken cancellationToken)
        {
            return await AdoStore.ReadExceptionAsync(connection, transaction, id, cancellationToken);
        }

        public Task AppendTradeRecordsAsync(IReadOnlyList<Domain.Trading.TradeVersion> versions, IReadOnlyList<Domain.Trading.TradeException> exceptions,
            IReadOnlyList<Domain.Trading.ExceptionClosure> closures, CancellationToken cancellationToken) =>
            store.AppendTradeRecordsAsync(connection, transaction, versions, exceptions, closures, cancellationToken);

        public Task SaveFixSessionAsync(Domain.Trading.FixSessionState state, CancellationToken cancellationToken) =>
            AdoStore.SaveFixSessionAsync(connection, transaction, state, cancellationToken);

        public Task<IReadOnlyList<Domain.Settlement.SettlementInstruction>> ListInstructionsAsync(InstructionQuery query, CancellationToken cancellationToken) =>
            store.ListInstructionsAsync(connection, transaction, query, cancellationToken);

        public Task AppendSettlementRecordsAsync(SettlementRecords records, AuditSequence sequence, CancellationToken cancellationToken) =>
            store.AppendSettlementRecordsAsync(connection, transaction, records, sequence, cancellationToken);

        public Task<Domain.Approvals.ApprovalRequest?> ReadApprovalAsync(long id, CancellationToken cancellationToken) =>
            AdoStore.ReadApprovalAsync(connection, transaction, id, cancellationToken);

        public Task<long> ReadLastApprovalIdAsync(CancellationToken cancellationToken) => LastApprovalIdAsync(connection, transaction, cancellationToken);

        public Task ApplyApprovalChangesAsync(Domain.Approvals.ApprovalChanges changes, AuditSequence sequence, CancellationToken cancellationToken) =>
            AdoStore.ApplyApprovalChangesAsync(connection, transaction, changes, sequence, cancellationToken);

        private DbCommand? _holdProbe;

        public Task<IReadOnlyList<HeldEntry>> ListHoldsAsync(HoldQuery query, CancellationToken cancellationToken) =>
            AdoStore.ListHoldsAsync(connection, transaction, query, cancellationToken, query.Reference is null ? null : _holdProbe ??= HoldProbe(connection, transaction));

        public Task<long> ReadBalanceUnitsAsync(LedgerAccountId account, AssetId asset, CancellationToken cancellationToken) =>
            AdoStore.ReadBalanceUnitsAsync(connection, transaction, account, asset, cancellationToken);

        public Task AppendHoldsAsync(IReadOnlyList<Domain.Holds.Hold> holds, AuditSequence sequence, CancellationToken cancellationToken) =>
            AdoStore.AppendHoldsAsync(connection, transaction, holds, sequence, cancellationToken);

        public Task ApplyAccessChangesAsync(Domain.Access.AccessChanges changes, AuditSequence sequence, CancellationToken cancellationToken) =>
            AdoStore.ApplyAccessChangesAsync(connection, transaction, changes, sequence, cancellationToken);

        public Task<IReadOnlyList<StoredStatement>> ListStatementsAsync(StatementQuery query, CancellationToken cancellationToken) =>
            store.ListStatementsAsync(connection, transaction, query, cancellationToken);

        public Task<IReadOnlyList<Domain.Reconciliation.ReconBreak>> ListBreaksAsync(BreakQuery query, CancellationToken cancellationToken) =>
            store.ListBreaksAsync(connection, transaction, query, cancellationToken);

        public Task<(long File, long Statement, long Run, long Break)> ReadLastReconIdsAsync(CancellationToken cancellationToken) =>
            AdoStore.ReadLastReconIdsAsync(connection, transaction, cancellationToken);

        public Task ApplyReconciliationAsync(ReconciliationRecords records, AuditSequence sequence, CancellationToken cancellationToken) =>
            store.ApplyReconciliationAsync(connection, transaction, records, sequence, cancellationToken);

        public Task<(long Alert, long List)> ReadLastComplianceIdsAsync(CancellationToken cancellationToken) =>
            AdoStore.ReadLastComplianceIdsAsync(connection, transaction, cancellationToken);

        public Task<IReadOnlySet<string>> FindAlertKeysAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            AdoStore.FindAlertKeysAsync(connection, transaction, keys, cancellationToken);

        public Task<IReadOnlyList<Domain.Compliance.ComplianceAlert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken) =>
            store.ListAlertsAsync(connection, transaction, query, cancellationToken);

        public Task ApplyComplianceAsync(ComplianceRecords records, AuditSequence sequence, CancellationToken cancellationToken) =>
            store.ApplyComplianceAsync(connection, transaction, records, sequence, cancellationToken);

        public Task<(long File, long Record, long Feedback)> ReadLastReportingIdsAsync(CancellationToken cancellationToken) =>
            AdoStore.ReadLastReportingIdsAsync(connection, transaction, cancellationToken);

        public Task<IReadOnlyList<StoredReportRecord>> ListReportRecordsAsync(ReportRecordQuery query, CancellationToken cancellationToken) =>
            store.ListReportRecordsAsync(connection, transaction, query, cancellationToken);

        public Task ApplyTransactionReportingAsync(TransactionReportingRecords records, AuditSequence sequence, CancellationToken cancellationToken) =>
            store.ApplyTransactionReportingAsync(connection, transaction, records, sequence, cancellationToken);

        public Task ApplyRecordsAsync(RecordsChanges changes, AuditSequence sequence, CancellationToken cancellationToken) =>
            AdoStore.ApplyRecordsAsync(connection, transaction, changes, sequence, cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            foreach (DbCommand? prepared in new[] { _holdProbe, _findCommand, _lastTradeIds, _auditInsert, _headUpdate, _balanceUpsert })
            {
                if (prepared is not null)
                {
                    await prepared.DisposeAsync();
                }
            }
            await transaction.DisposeAsync();
            await store.AfterWriteAsync(connection);
            await connection.DisposeAsync();
        }
    }
}

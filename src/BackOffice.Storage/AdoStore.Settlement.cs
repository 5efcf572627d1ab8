using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using BackOffice.Application.Ports;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using NodaTime;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private const string InstructionColumns =
        "tx_id, type, counterparty, isin, nominal, currency, trade_date, settlement_date, quantity, amount, receives_cash, price, place_of_trade, " +
        "place_of_settlement, counterparty_agent, counterparty_account, status, settled_quantity, settled_amount, reason_code, matched_on";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SettlementInstruction>> ListInstructionsAsync(InstructionQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ListInstructionsAsync(connection, null, query, cancellationToken);
    }

    private async Task<IReadOnlyList<SettlementInstruction>> ListInstructionsAsync(DbConnection connection, DbTransaction? transaction, InstructionQuery query,
        CancellationToken cancellationToken)
    {
        // Large id lists are read in chunks, each one query.
        if (query.TransactionIds is { Count: > InListMax } manyIds)
        {
            var all = new List<SettlementInstruction>();
            foreach (string[] chunk in manyIds.Chunk(InListMax))
            {
                all.AddRange(await ListInstructionsAsync(connection, transaction, query with { TransactionIds = chunk }, cancellationToken));
            }
            return [.. all.OrderBy(i => i.SettlementDate).ThenBy(i => i.TransactionId, StringComparer.Ordinal)];
        }
        if (query.TradeIds is { Count: > InListMax } manyTrades)
        {
            var all = new Dictionary<string, SettlementInstruction>(StringComparer.Ordinal);
            foreach (long[] chunk in manyTrades.Chunk(InListMax))
            {
                foreach (SettlementInstruction found in await ListInstructionsAsync(connection, transaction, query with { TradeIds = chunk }, cancellationToken))
                {
                    all[found.TransactionId] = found;
                }
            }
            return [.. all.Values.OrderBy(i => i.SettlementDate).ThenBy(i => i.TransactionId, StringComparer.Ordinal)];
        }
        await using DbCommand command = Sql.Command(connection, transaction, "");
        var filters = new List<string>();
        if (query.SettlementDate is { } on)
        {
            filters.Add("settlement_date = @on");
            Sql.Add(command, "on", DateValue(on));
        }
        if (query.SettlingOnOrBefore is { } through)
        {
            filters.Add("settlement_date <= @through");
            Sql.Add(command, "through", DateValue(through));
        }
        if (query.OpenOnly)
        {
            filters.Add(string.Create(CultureInfo.InvariantCulture, $"status NOT IN ({(int)InstructionStatus.Settled}, {(int)InstructionStatus.Cancelled})"));
        }
        if (query.TransactionIds is { } ids)
        {
            if (ids.Count == 0)
            {
                return [];
            }
            filters.Add(InList(command, "tx_id", [.. ids]));
        }
        if (query.TradeIds is { } trades)
        {
            if (trades.Count == 0)
            {
                return [];
            }
            filters.Add("tx_id IN (SELECT tx_id FROM instruction_members WHERE trade_id IN (" +
                string.Join(", ", trades.Select(t => t.ToString(CultureInfo.InvariantCulture))) + "))");
        }
        string where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        command.CommandText = $"SELECT {InstructionColumns} FROM instructions{where} ORDER BY settlement_date, tx_id";
        var rows = new List<SettlementInstruction>();
        await using (DbDataReader r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                rows.Add(new SettlementInstruction(r.GetString(0), (SettlementType)Int(r, 1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetString(5),
                    ReadDate(r, 6), ReadDate(r, 7), r.GetDecimal(8), r.GetDecimal(9), r.GetBoolean(10), r.GetDecimal(11), r.GetString(12), r.GetString(13),
                    r.GetString(14), r.GetString(15), [])
                {
                    Status = (InstructionStatus)Int(r, 16),
                    SettledQuantity = r.GetDecimal(17),
                    SettledAmount = r.GetDecimal(18),
                    ReasonCode = Sql.NullableString(r, 19),
                    MatchedOn = r.IsDBNull(20) ? null : ReadDate(r, 20),
                });
            }
        }
        if (rows.Count == 0)
        {
            return rows;
        }
        // Members of the instructions found, in the same order of ids.
        var members = new Dictionary<string, List<InstructionMember>>(StringComparer.Ordinal);
        foreach (string[] chunk in rows.Select(i => i.TransactionId).Chunk(InListMax))
        {
            await using DbCommand read = Sql.Command(connection, transaction, "");
            read.CommandText = $"SELECT tx_id, trade_id, version, type, quantity, amount FROM instruction_members WHERE {InList(read, "tx_id", chunk)} ORDER BY tx_id, trade_id";
            await using DbDataReader r = await read.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                string tx = r.GetString(0);
                if (!members.TryGetValue(tx, out List<InstructionMember>? list))
                {
                    members[tx] = list = [];
                }
                list.Add(new InstructionMember(r.GetInt64(1), Int(r, 2), (SettlementType)Int(r, 3), r.GetDecimal(4), r.GetDecimal(5)));
            }
        }
        return [.. rows.Select(i => i with { Members = members.TryGetValue(i.TransactionId, out List<InstructionMember>? m) ? [.. m] : ImmutableArray<InstructionMember>.Empty })];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SettlementInstruction>> ListStaleInstructionsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        var stale = new List<string>();
        await using (DbCommand command = Sql.Command(connection, null,
            // From the amended trades (a small partial index) to the members instructed at an earlier version;
            // CROSS JOIN keeps that order in SQLite (PostgreSQL plans it on its own).
            "SELECT DISTINCT i.tx_id FROM trade_versions l CROSS JOIN instruction_members m CROSS JOIN instructions i " +
            "WHERE l.version > 1 AND m.trade_id = l.trade_id AND m.version < l.version AND i.tx_id = m.tx_id " +
            string.Create(CultureInfo.InvariantCulture, $"AND i.status NOT IN ({(int)InstructionStatus.Settled}, {(int)InstructionStatus.Cancelled})")))
        await using (DbDataReader r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                stale.Add(r.GetString(0));
            }
        }
        return stale.Count == 0 ? [] : await ListInstructionsAsync(connection, null, new InstructionQuery(TransactionIds: stale), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<InstructionEvent>> ReadInstructionEventsAsync(string transactionId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT tx_id, from_status, to_status, on_date, source, message_id, reason_code, note, settled_quantity, settled_amount, matched_on, audit_sequence " +
            "FROM instruction_events WHERE tx_id = @tx ORDER BY audit_sequence, ordinal");
        Sql.Add(command, "tx", transactionId);
        var events = new List<InstructionEvent>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            events.Add(new InstructionEvent(r.GetString(0), (InstructionStatus)Int(r, 1), (InstructionStatus)Int(r, 2), ReadDate(r, 3), r.GetString(4),
                Sql.NullableString(r, 5), Sql.NullableString(r, 6), Sql.NullableString(r, 7), r.GetDecimal(8), r.GetDecimal(9))
            {
                MatchedOn = r.IsDBNull(10) ? null : ReadDate(r, 10),
                Sequence = new AuditSequence(r.GetInt64(11)),
            });
        }
        return events;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AccruedPenalty>> ReadPenaltiesAsync(LocalDate from, LocalDate through, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT tx_id, penalty_date, fail_type, side, category, failing_quantity, reference_price, amount, currency FROM instruction_penalties " +
            "WHERE penalty_date >= @from AND penalty_date <= @through ORDER BY tx_id, penalty_date");
        Sql.Add(command, "from", DateValue(from));
        Sql.Add(command, "through", DateValue(through));
        var penalties = new List<AccruedPenalty>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            penalties.Add(new AccruedPenalty(r.GetString(0), ReadDate(r, 1), (FailType)Int(r, 2), (PenaltySide)Int(r, 3), (PenaltyAssetClass)Int(r, 4),
                r.GetDecimal(5), r.GetDecimal(6), r.GetDecimal(7), r.GetString(8)));
        }
        return penalties;
    }

    private async Task AppendSettlementRecordsAsync(DbConnection connection, DbTransaction transaction, SettlementRecords records, AuditSequence sequence,
        CancellationToken cancellationToken)
    {
        // A new instruction is inserted in the state its events in this batch leave it in (sent, for
        // instruct), so its events are inserted without moving its row; a day's million are one pass.
        var created = records.Created.ToDictionary(i => i.TransactionId, StringComparer.Ordinal);
        var createdEvents = new List<(int Ordinal, InstructionEvent Event)>();
        var movingEvents = new List<(int Ordinal, InstructionEvent Event)>();
        for (int n = 0; n < records.Events.Count; n++)
        {
            InstructionEvent e = records.Events[n];
            if (created.TryGetValue(e.TransactionId, out SettlementInstruction? inserted))
            {
                Invariant.That(inserted.Status == e.To, $"instruction {e.TransactionId} was created in another state than its event leaves it in");
                createdEvents.Add((n, e));
            }
            else
            {
                movingEvents.Add((n, e));
            }
        }
        if (records.Created.Count > 0)
        {
            await AppendInstructionRowsAsync(connection, transaction, records.Created, createdEvents, sequence, cancellationToken);
        }
        if (movingEvents.Count > 0)
        {
            await using DbCommand insert = Sql.Command(connection, transaction, EventInsert);
            Sql.Add(insert, "seq", sequence.Value);
            DbParameter ord = Sql.Add(insert, "ord", 0), tx = Sql.Add(insert, "tx", ""), from = Sql.Add(insert, "from", 0), to = Sql.Add(insert, "to", 0);
            DbParameter on = Sql.Add(insert, "on", DateValue(Earliest)), src = Sql.Add(insert, "src", ""), msg = Sql.Add(insert, "msg", "");
            DbParameter reason = Sql.Add(insert, "reason", ""), note = Sql.Add(insert, "note", ""), sq = Sql.Add(insert, "sq", DecimalValue(0m));
            DbParameter sa = Sql.Add(insert, "sa", DecimalValue(0m)), matched = Sql.Add(insert, "matched", DateValue(Earliest));
            insert.Prepare();
            // The instruction's current state is its last event's; a reason or match date, once known, stays until replaced.
            await using DbCommand update = Sql.Command(connection, transaction,
                "UPDATE instructions SET status = @to, settled_quantity = @sq, settled_amount = @sa, reason_code = COALESCE(@reason, reason_code), " +
                "matched_on = COALESCE(@matched, matched_on), updated_sequence = @seq WHERE tx_id = @tx AND status = @from");
            DbParameter uTo = Sql.Add(update, "to", 0), uSq = Sql.Add(update, "sq", DecimalValue(0m)), uSa = Sql.Add(update, "sa", DecimalValue(0m));
            DbParameter uReason = Sql.Add(update, "reason", ""), uMatched = Sql.Add(update, "matched", DateValue(Earliest));
            Sql.Add(update, "seq", sequence.Value);
            DbParameter uTx = Sql.Add(update, "tx", ""), uFrom = Sql.Add(update, "from", 0);
            update.Prepare();
            foreach ((int ordinal, InstructionEvent e) in movingEvents)
            {
                ord.Value = ordinal;
                tx.Value = uTx.Value = e.TransactionId;
                from.Value = uFrom.Value = (int)e.From;
                to.Value = uTo.Value = (int)e.To;
                on.Value = DateValue(e.On);
                src.Value = e.Source;
                msg.Value = (object?)e.MessageId ?? DBNull.Value;
                reason.Value = uReason.Value = (object?)e.ReasonCode ?? DBNull.Value;
                note.Value = (object?)e.Note ?? DBNull.Value;
                sq.Value = uSq.Value = DecimalValue(e.SettledQuantity);
                sa.Value = uSa.Value = DecimalValue(e.SettledAmount);
                matched.Value = uMatched.Value = e.MatchedOn is { } m ? DateValue(m) : DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
                int moved = await update.ExecuteNonQueryAsync(cancellationToken);
                Invariant.That(moved == 1, $"instruction {e.TransactionId} was not {e.From} when its event was written");
            }
        }
        if (records.Penalties.Count > 0)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO instruction_penalties (tx_id, penalty_date, audit_sequence, fail_type, side, category, failing_quantity, reference_price, amount, currency) " +
                "VALUES (@tx, @d, @seq, @type, @side, @cat, @q, @px, @a, @ccy)");
            DbParameter tx = Sql.Add(insert, "tx", ""), d = Sql.Add(insert, "d", DateValue(Earliest)), type = Sql.Add(insert, "type", 0), side = Sql.Add(insert, "side", 0);
            DbParameter cat = Sql.Add(insert, "cat", 0), q = Sql.Add(insert, "q", DecimalValue(0m)), px = Sql.Add(insert, "px", DecimalValue(0m));
            DbParameter a = Sql.Add(insert, "a", DecimalValue(0m)), ccy = Sql.Add(insert, "ccy", "");
            Sql.Add(insert, "seq", sequence.Value);
            insert.Prepare();
            foreach (AccruedPenalty p in records.Penalties)
            {
                tx.Value = p.TransactionId;
                d.Value = DateValue(p.Date);
                type.Value = (int)p.Type;
                side.Value = (int)p.Side;
                cat.Value = (int)p.Category;
                q.Value = DecimalValue(p.FailingQuantity);
                px.Value = DecimalValue(p.ReferencePrice);
                a.Value = DecimalValue(p.Amount);
                ccy.Value = p.Currency;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Writes new instructions, their members and the events that created them (SQLite binds them
    /// through its own API): one prepared statement per table, its parameters reused row after row.
    /// </summary>
    protected virtual async Task AppendInstructionRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SettlementInstruction> created,
        IReadOnlyList<(int Ordinal, InstructionEvent Event)> events, AuditSequence sequence, CancellationToken cancellationToken)
    {
        await using DbCommand insert = Sql.Command(connection, transaction,
            $"INSERT INTO instructions ({InstructionColumns}, payload_hash, created_sequence, updated_sequence) VALUES " +
            "(@tx, @type, @cp, @isin, @nominal, @ccy, @td, @sd, @q, @a, @rc, @px, @pot, @pos, @agent, @acct, @status, @sq, @sa, @reason, @matched, @hash, @seq, @seq)");
        DbParameter tx = Sql.Add(insert, "tx", ""), type = Sql.Add(insert, "type", 0), cp = Sql.Add(insert, "cp", ""), isin = Sql.Add(insert, "isin", "");
        DbParameter nominal = Sql.Add(insert, "nominal", false), ccy = Sql.Add(insert, "ccy", ""), td = Sql.Add(insert, "td", DateValue(Earliest));
        DbParameter sd = Sql.Add(insert, "sd", DateValue(Earliest)), q = Sql.Add(insert, "q", DecimalValue(0m)), a = Sql.Add(insert, "a", DecimalValue(0m));
        DbParameter rc = Sql.Add(insert, "rc", false), px = Sql.Add(insert, "px", DecimalValue(0m)), pot = Sql.Add(insert, "pot", ""), pos = Sql.Add(insert, "pos", "");
        DbParameter agent = Sql.Add(insert, "agent", ""), acct = Sql.Add(insert, "acct", ""), status = Sql.Add(insert, "status", 0);
        DbParameter sq = Sql.Add(insert, "sq", DecimalValue(0m)), sa = Sql.Add(insert, "sa", DecimalValue(0m)), reason = Sql.Add(insert, "reason", "");
        DbParameter matched = Sql.Add(insert, "matched", DateValue(Earliest)), hash = Sql.Add(insert, "hash", Array.Empty<byte>());
        Sql.Add(insert, "seq", sequence.Value);
        insert.Prepare();
        await using DbCommand member = Sql.Command(connection, transaction,
            "INSERT INTO instruction_members (tx_id, trade_id, version, type, quantity, amount) VALUES (@tx, @trade, @v, @type, @q, @a)");
        DbParameter mTx = Sql.Add(member, "tx", ""), mTrade = Sql.Add(member, "trade", 0L), mVersion = Sql.Add(member, "v", 0), mType = Sql.Add(member, "type", 0);
        DbParameter mQuantity = Sql.Add(member, "q", DecimalValue(0m)), mAmount = Sql.Add(member, "a", DecimalValue(0m));
        member.Prepare();
        foreach (SettlementInstruction i in created)
        {
            tx.Value = i.TransactionId;
            type.Value = (int)i.Type;
            cp.Value = i.Counterparty;
            isin.Value = i.Isin;
            nominal.Value = i.Nominal;
            ccy.Value = i.Currency;
            td.Value = DateValue(i.TradeDate);
            sd.Value = DateValue(i.SettlementDate);
            q.Value = DecimalValue(i.Quantity);
            a.Value = DecimalValue(i.Amount);
            rc.Value = i.ReceivesCash;
            px.Value = DecimalValue(i.Price);
            pot.Value = i.PlaceOfTrade;
            pos.Value = i.PlaceOfSettlement;
            agent.Value = i.CounterpartyAgent;
            acct.Value = i.CounterpartyAccount;
            status.Value = (int)i.Status;
            sq.Value = DecimalValue(i.SettledQuantity);
            sa.Value = DecimalValue(i.SettledAmount);
            reason.Value = (object?)i.ReasonCode ?? DBNull.Value;
            matched.Value = i.MatchedOn is { } matchedOn ? DateValue(matchedOn) : DBNull.Value;
            hash.Value = PayloadHash(i).Bytes.ToArray();
            await insert.ExecuteNonQueryAsync(cancellationToken);
            mTx.Value = i.TransactionId;
            foreach (InstructionMember m in i.Members)
            {
                mTrade.Value = m.TradeId;
                mVersion.Value = m.Version;
                mType.Value = (int)m.Type;
                mQuantity.Value = DecimalValue(m.Quantity);
                mAmount.Value = DecimalValue(m.Amount);
                await member.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await using DbCommand eventInsert = Sql.Command(connection, transaction, EventInsert);
        Sql.Add(eventInsert, "seq", sequence.Value);
        DbParameter ord = Sql.Add(eventInsert, "ord", 0), eTx = Sql.Add(eventInsert, "tx", ""), from = Sql.Add(eventInsert, "from", 0), to = Sql.Add(eventInsert, "to", 0);
        DbParameter on = Sql.Add(eventInsert, "on", DateValue(Earliest)), src = Sql.Add(eventInsert, "src", ""), msg = Sql.Add(eventInsert, "msg", "");
        DbParameter eReason = Sql.Add(eventInsert, "reason", ""), note = Sql.Add(eventInsert, "note", ""), eSq = Sql.Add(eventInsert, "sq", DecimalValue(0m));
        DbParameter eSa = Sql.Add(eventInsert, "sa", DecimalValue(0m)), eMatched = Sql.Add(eventInsert, "matched", DateValue(Earliest));
        eventInsert.Prepare();
        foreach ((int ordinal, InstructionEvent e) in events)
        {
            ord.Value = ordinal;
            eTx.Value = e.TransactionId;
            from.Value = (int)e.From;
            to.Value = (int)e.To;
            on.Value = DateValue(e.On);
            src.Value = e.Source;
            msg.Value = (object?)e.MessageId ?? DBNull.Value;
            eReason.Value = (object?)e.ReasonCode ?? DBNull.Value;
            note.Value = (object?)e.Note ?? DBNull.Value;
            eSq.Value = DecimalValue(e.SettledQuantity);
            eSa.Value = DecimalValue(e.SettledAmount);
            eMatched.Value = e.MatchedOn is { } m ? DateValue(m) : DBNull.Value;
            await eventInsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The insert of one instruction event: parameters @seq, @ord, @tx, @from, @to, @on, @src, @msg, @reason, @note, @sq, @sa, @matched.</summary>
    protected const string EventInsert =
        "INSERT INTO instruction_events (audit_sequence, ordinal, tx_id, from_status, to_status, on_date, source, message_id, reason_code, note, " +
        "settled_quantity, settled_amount, matched_on) VALUES (@seq, @ord, @tx, @from, @to, @on, @src, @msg, @reason, @note, @sq, @sa, @matched)";

    /// <summary>The hash of what an instruction instructed, stored beside it.</summary>
    protected static Sha256Hash PayloadHash(SettlementInstruction instruction) => Sha256Hash.Of(System.Text.Encoding.UTF8.GetBytes(instruction.Canonical()));

    /// <summary>The columns of an instruction row, in the order the native SQLite insert binds them.</summary>
    protected const string InstructionRowColumns = InstructionColumns + ", payload_hash, created_sequence, updated_sequence";
}

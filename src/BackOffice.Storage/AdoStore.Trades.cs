using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using BackOffice.Application.Ports;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Trading;
using NodaTime;
using NodaTime.Text;

namespace BackOffice.Storage;

public abstract partial class AdoStore
{
    private const string TradeColumns =
        "trade_id, version, audit_sequence, action, status, source, source_id, payload_hash, account, isin, trade_date, settlement_date, entry_id, reversal_entry_id, " +
        "side, market, quantity, price, currency, counterparty, executed_at, gross, accrued_interest, net, charges, " +
        "ssi_id, ssi_market, ssi_asset_class, ssi_place, ssi_depository_account, ssi_agent_bic, ssi_effective_from, source_message, lot_ids, ssi_free_of_payment, venue_transaction_id";

    private const string ExceptionColumns =
        "e.id, e.audit_sequence, e.source, e.source_id, e.rule, e.message, e.location, e.request, e.raw_message, a.audit_sequence, a.action, a.note, a.trade_id";

    /// <inheritdoc/>
    public async Task<TradeReferenceData> ReadTradeReferenceAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        var instruments = await ReadRowsAsync(connection,
            "SELECT isin, name, asset_class, currency, listing_mic, cusip, sedol, ticker, settlement_cycle_days, quantity_scale, " +
            "coupon_rate, coupon_frequency, day_count, dated_date, first_coupon_date, maturity_date, end_of_month, csdr_category FROM instruments",
            r => new Instrument(r.GetString(0), r.GetString(1), (AssetClass)Int(r, 2), r.GetString(3), r.GetString(4), Sql.NullableString(r, 5), Sql.NullableString(r, 6),
                Sql.NullableString(r, 7), r.IsDBNull(8) ? null : Int(r, 8), Int(r, 9))
            {
                Bond = r.IsDBNull(10) ? null : new BondTerms(r.GetDecimal(10), Int(r, 11), r.GetString(12), ReadDate(r, 13), ReadDate(r, 14), ReadDate(r, 15),
                    Convert.ToBoolean(r.GetValue(16), CultureInfo.InvariantCulture)),
                CsdrCategory = r.IsDBNull(17) ? null : (Domain.Settlement.PenaltyAssetClass)Int(r, 17),
            }, cancellationToken);
        var accounts = await ReadRowsAsync(connection, "SELECT code, name, party_lei, base_currency, branch, status, opened_on, lot_method FROM client_accounts",
            r => new ClientAccount(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), (ClientAccountStatus)Int(r, 5), ReadDate(r, 6))
            {
                LotMethod = (Domain.Lots.LotMethod)Int(r, 7),
            }, cancellationToken);
        // The firm's books hold trades as client accounts do (a client account of the same code wins).
        var books = await ReadRowsAsync(connection, "SELECT code, name, type, base_currency FROM books",
            r => ClientAccount.ForBook(new Book(r.GetString(0), r.GetString(1), (BookType)Int(r, 2), r.GetString(3))), cancellationToken);
        accounts.AddRange(books.Where(b => !accounts.Any(a => a.Code == b.Code)));
        var parties = await ReadRowsAsync(connection, "SELECT lei, name, role, bic FROM parties",
            r => new Party(r.GetString(0), r.GetString(1), (PartyRole)Int(r, 2), Sql.NullableString(r, 3)), cancellationToken);
        var currencies = await ReadRowsAsync(connection, "SELECT code, numeric_code, minor_units, name FROM currencies",
            r => new Currency(r.GetString(0), Int(r, 1), Int(r, 2), r.GetString(3)), cancellationToken);
        var markets = await ReadRowsAsync(connection, "SELECT mic, name, country_code FROM markets",
            r => new Market(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken);
        var feeRules = await ReadRowsAsync(connection,
            "SELECT id, code, kind, account, market, asset_class, issuer_country, side, method, rate, minimum, maximum, currency, rounding, effective_from, effective_to, ledger_account FROM fee_rules",
            r => new FeeRule
            {
                Id = r.GetString(0),
                Code = r.GetString(1),
                Kind = (FeeKind)Int(r, 2),
                Account = Sql.NullableString(r, 3),
                Market = Sql.NullableString(r, 4),
                AssetClass = r.IsDBNull(5) ? null : (AssetClass)Int(r, 5),
                IssuerCountry = Sql.NullableString(r, 6),
                Side = r.IsDBNull(7) ? null : (TradeSide)Int(r, 7),
                Method = (FeeMethod)Int(r, 8),
                Rate = r.GetDecimal(9),
                Minimum = r.IsDBNull(10) ? null : r.GetDecimal(10),
                Maximum = r.IsDBNull(11) ? null : r.GetDecimal(11),
                Currency = r.GetString(12),
                Rounding = (FeeRounding)Int(r, 13),
                EffectiveFrom = ReadDate(r, 14),
                EffectiveTo = r.IsDBNull(15) ? null : ReadDate(r, 15),
                LedgerAccount = Sql.NullableString(r, 16),
            }, cancellationToken);
        var ssis = await ReadRowsAsync(connection,
            "SELECT id, counterparty, market, asset_class, place_of_settlement, depository_account, agent_bic, effective_from, free_of_payment FROM settlement_instructions",
            r => new StandingSettlementInstruction(r.GetString(0), r.GetString(1), Sql.NullableString(r, 2), r.IsDBNull(3) ? null : (AssetClass)Int(r, 3),
                r.GetString(4), r.GetString(5), r.GetString(6), ReadDate(r, 7))
            { FreeOfPayment = r.GetBoolean(8) }, cancellationToken);
        return new TradeReferenceData(instruments, accounts, parties, currencies, markets, feeRules, ssis);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, BookedTradeMessage>> FindTradeMessagesAsync(string source, IReadOnlyCollection<string> sourceTradeIds, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await FindTradeMessagesAsync(connection, null, source, sourceTradeIds, cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, BookedTradeMessage>> FindTradeMessagesAsync(DbConnection connection, DbTransaction? transaction, string source,
        IReadOnlyCollection<string> sourceTradeIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, BookedTradeMessage>(StringComparer.Ordinal);
        string[] all = sourceTradeIds as string[] ?? sourceTradeIds.ToArray();
        for (int start = 0; start < all.Length; start += InListChunk)
        {
            string[] chunk = all[start..Math.Min(all.Length, start + InListChunk)];
            await using DbCommand command = Sql.Command(connection, transaction, "");
            command.CommandText = "SELECT source_id, trade_id, version, payload_hash FROM trade_versions WHERE source = @source AND " + InList(command, "source_id", chunk);
            Sql.Add(command, "source", source);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = new BookedTradeMessage(reader.GetInt64(1), Int(reader, 2), Sha256Hash.FromBytes((byte[])reader.GetValue(3)));
            }
        }
        return found;
    }

    /// <summary>Ids per lookup: both stores pass an IN-list as one array parameter, so a chunk can be large.</summary>
    private const int InListChunk = 5_000;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TradeVersion>> ListTradesAsync(TradeQuery query, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "");
        var where = new List<string> { "v.trade_id > @after", "v.version = (SELECT max(l.version) FROM trade_versions l WHERE l.trade_id = v.trade_id)" };
        Sql.Add(command, "after", query.AfterTradeId);
        if (query.Account is { } account)
        {
            where.Add("v.account = @account");
            Sql.Add(command, "account", account);
        }
        if (query.TradeDate is { } date)
        {
            where.Add("v.trade_date = @date");
            Sql.Add(command, "date", DateValue(date));
        }
        if (query.Status is { } status)
        {
            where.Add("v.status = @status");
            Sql.Add(command, "status", (int)status);
        }
        if (query.Text is { } text)
        {
            where.Add("(v.source_id = @text OR v.isin = @text OR v.account = @text OR v.counterparty = @text)");
            Sql.Add(command, "text", text);
        }
        if (query.Branch is { } branch)
        {
            where.Add("v.account IN (SELECT code FROM client_accounts WHERE branch = @branch)");
            Sql.Add(command, "branch", branch);
        }
        Sql.Add(command, "limit", query.Limit);
        command.CommandText = $"SELECT {Prefixed("v.")} FROM trade_versions v WHERE {string.Join(" AND ", where)} ORDER BY v.trade_id LIMIT @limit";
        return await ReadTradeVersionsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TradeVersion>> ReadTradeAsync(long tradeId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, $"SELECT {TradeColumns} FROM trade_versions WHERE trade_id = @id ORDER BY version");
        Sql.Add(command, "id", tradeId);
        return await ReadTradeVersionsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TradeException>> ListExceptionsAsync(bool openOnly, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            $"SELECT {ExceptionColumns} FROM trade_exceptions e LEFT JOIN trade_exception_actions a ON a.exception_id = e.id" +
            (openOnly ? " WHERE a.exception_id IS NULL" : "") + " ORDER BY e.id");
        return await ReadExceptionsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<TradeException?> ReadExceptionAsync(long id, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadExceptionAsync(connection, null, id, cancellationToken);
    }

    private static async Task<TradeException?> ReadExceptionAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            $"SELECT {ExceptionColumns} FROM trade_exceptions e LEFT JOIN trade_exception_actions a ON a.exception_id = e.id WHERE e.id = @id");
        Sql.Add(command, "id", id);
        IReadOnlyList<TradeException> found = await ReadExceptionsAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Domain.Interest.InterestRate>> ReadInterestRatesAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadRowsAsync(connection, "SELECT id, currency, side, tier_from, rate, day_count, effective_from, effective_to FROM interest_rates ORDER BY id",
            r => new Domain.Interest.InterestRate(r.GetString(0), r.GetString(1), (Domain.Interest.InterestSide)Int(r, 2), r.GetDecimal(3), r.GetDecimal(4),
                r.GetString(5), ReadDate(r, 6), r.IsDBNull(7) ? null : ReadDate(r, 7)), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<MarketData> ReadMarksAsync(LocalDate asOf, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        var prices = new Dictionary<string, Price>(StringComparer.Ordinal);
        await using (DbCommand command = Sql.Command(connection, null,
            "SELECT p.instrument, p.price_date, p.price, p.currency, p.source FROM prices p WHERE p.price_date = " +
            "(SELECT MAX(q.price_date) FROM prices q WHERE q.instrument = p.instrument AND q.price_date <= @as_of)"))
        {
            Sql.Add(command, "as_of", DateValue(asOf));
            await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                prices[r.GetString(0)] = new Price(r.GetString(0), ReadDate(r, 1), r.GetDecimal(2), r.GetString(3), r.GetString(4));
            }
        }
        var rates = new Dictionary<(string, string), FxRate>();
        await using (DbCommand command = Sql.Command(connection, null,
            "SELECT f.base, f.quote, f.rate_date, f.rate, f.source FROM fx_rates f WHERE f.rate_date = " +
            "(SELECT MAX(g.rate_date) FROM fx_rates g WHERE g.base = f.base AND g.quote = f.quote AND g.rate_date <= @as_of)"))
        {
            Sql.Add(command, "as_of", DateValue(asOf));
            await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                rates[(r.GetString(0), r.GetString(1))] = new FxRate(r.GetString(0), r.GetString(1), ReadDate(r, 2), r.GetDecimal(3), r.GetString(4));
            }
        }
        return new MarketData(prices, rates);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<NettingAgreement>> ReadNettingAgreementsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadRowsAsync(connection, "SELECT counterparty, effective_from, effective_to FROM netting_agreements ORDER BY counterparty, effective_from",
            r => new NettingAgreement(r.GetString(0), ReadDate(r, 1), r.IsDBNull(2) ? null : ReadDate(r, 2)), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Domain.Settlement.CloseOutRule>> ReadCloseOutRulesAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        List<Domain.Settlement.CloseOutRule> rules = await ReadRowsAsync(connection, "SELECT name, market, category, asset_class, business_days FROM close_out_rules",
            r => new Domain.Settlement.CloseOutRule(r.GetString(0), Sql.NullableString(r, 1), r.IsDBNull(2) ? null : (Domain.Settlement.PenaltyAssetClass)Int(r, 2),
                r.IsDBNull(3) ? null : (AssetClass)Int(r, 3), Int(r, 4)), cancellationToken);
        // Ordered here, not by the database, whose collation may not be ordinal (hyphens in names).
        rules.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return rules;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CentralBankRate>> ReadCentralBankRatesAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadRowsAsync(connection, "SELECT currency, effective_from, rate, source FROM central_bank_rates ORDER BY currency, effective_from",
            r => new CentralBankRate(r.GetString(0), ReadDate(r, 1), r.GetDecimal(2), r.GetString(3)), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Domain.Settlement.PenaltyRate>> ReadPenaltyRatesAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        return await ReadRowsAsync(connection, "SELECT category, effective_from, rate FROM penalty_rates ORDER BY category, effective_from",
            r => new Domain.Settlement.PenaltyRate((Domain.Settlement.PenaltyAssetClass)Int(r, 0), ReadDate(r, 1), r.GetDecimal(2)), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StockSplit>> ReadSplitsAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT instrument, ex_date, ratio_new, ratio_old, source FROM splits ORDER BY ex_date, instrument");
        var splits = new List<StockSplit>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            splits.Add(new StockSplit(r.GetString(0), ReadDate(r, 1), new Domain.Lots.SplitRatio(r.GetDecimal(2), r.GetDecimal(3)), r.GetString(4)));
        }
        return splits;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DailyNet>> ReadDailyNetAsync(LocalDate through, IReadOnlyCollection<LedgerAccountType> types, CancellationToken cancellationToken)
    {
        var rows = new List<DailyNet>();
        if (types.Count == 0)
        {
            return rows;
        }
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        string typeList = string.Join(", ", types.Select(t => ((int)t).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT p.effective_date, p.asset_id, SUM(p.units) FROM postings p JOIN ledger_accounts a ON a.id = p.ledger_account_id " +
            $"WHERE a.type IN ({typeList}) AND p.effective_date <= @through GROUP BY p.effective_date, p.asset_id ORDER BY p.effective_date, p.asset_id");
        Sql.Add(command, "through", DateValue(through));
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            // PostgreSQL sums bigint into numeric; the conversion is checked.
            long units = checked((long)Convert.ToDecimal(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture));
            if (units != 0)
            {
                rows.Add(new DailyNet(ReadDate(r, 0), new AssetId(r.GetInt64(1)), units));
            }
        }
        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FxRate>> ReadFxRateHistoryAsync(string currency, string other, LocalDate through, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT base, quote, rate_date, rate, source FROM fx_rates WHERE ((base = @a AND quote = @b) OR (base = @b AND quote = @a)) AND rate_date <= @through " +
            "ORDER BY rate_date, base");
        Sql.Add(command, "a", currency);
        Sql.Add(command, "b", other);
        Sql.Add(command, "through", DateValue(through));
        var rates = new List<FxRate>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rates.Add(new FxRate(r.GetString(0), r.GetString(1), ReadDate(r, 2), r.GetDecimal(3), r.GetString(4)));
        }
        return rates;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(LocalDate TradeDate, int Active, int Busted)>> CountTradesByDateAsync(int dates, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT v.trade_date, sum(CASE WHEN v.status = @active THEN 1 ELSE 0 END), sum(CASE WHEN v.status = @active THEN 0 ELSE 1 END) FROM trade_versions v " +
            "WHERE v.version = (SELECT max(l.version) FROM trade_versions l WHERE l.trade_id = v.trade_id) GROUP BY v.trade_date ORDER BY v.trade_date DESC LIMIT @dates");
        Sql.Add(command, "active", (int)TradeStatus.Active);
        Sql.Add(command, "dates", dates);
        var counts = new List<(LocalDate, int, int)>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            counts.Add((ReadDate(r, 0), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture)));
        }
        return counts;
    }

    /// <inheritdoc/>
    public async Task<FixSessionState?> ReadFixSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "SELECT next_incoming, next_outgoing FROM fix_sessions WHERE session_id = @id");
        Sql.Add(command, "id", sessionId);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new FixSessionState(sessionId, reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <inheritdoc/>
    public async Task SaveFixSessionAsync(FixSessionState state, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await SaveFixSessionAsync(connection, null, state, cancellationToken);
    }

    private static async Task SaveFixSessionAsync(DbConnection connection, DbTransaction? transaction, FixSessionState state, CancellationToken cancellationToken)
    {
        await using DbCommand command = Sql.Command(connection, transaction,
            "INSERT INTO fix_sessions (session_id, next_incoming, next_outgoing) VALUES (@id, @in, @out) " +
            "ON CONFLICT (session_id) DO UPDATE SET next_incoming = excluded.next_incoming, next_outgoing = excluded.next_outgoing");
        Sql.Add(command, "id", state.SessionId);
        Sql.Add(command, "in", state.NextIncoming);
        Sql.Add(command, "out", state.NextOutgoing);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Prefixed(string prefix) => string.Join(", ", TradeColumns.Split(", ").Select(c => prefix + c));

    private async Task<IReadOnlyList<TradeVersion>> ReadTradeVersionsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var versions = new List<TradeVersion>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            versions.Add(ReadTradeVersion(r));
        }
        return versions;
    }

    private TradeVersion ReadTradeVersion(DbDataReader r)
    {
        string counterparty = r.GetString(19);
        return new TradeVersion
        {
            TradeId = r.GetInt64(0),
            Version = Int(r, 1),
            AuditSequence = new AuditSequence(r.GetInt64(2)),
            Action = (TradeAction)Int(r, 3),
            Status = (TradeStatus)Int(r, 4),
            Source = r.GetString(5),
            SourceTradeId = r.GetString(6),
            PayloadHash = Sha256Hash.FromBytes((byte[])r.GetValue(7)),
            Account = r.GetString(8),
            Isin = r.GetString(9),
            TradeDate = ReadDate(r, 10),
            SettlementDate = ReadDate(r, 11),
            EntryId = r.IsDBNull(12) ? null : new JournalEntryId(r.GetInt64(12)),
            ReversalEntryId = r.IsDBNull(13) ? null : new JournalEntryId(r.GetInt64(13)),
            Side = (TradeSide)Int(r, 14),
            Market = r.GetString(15),
            Quantity = r.GetDecimal(16),
            Price = r.GetDecimal(17),
            Currency = r.GetString(18),
            Counterparty = counterparty,
            ExecutedAt = r.IsDBNull(20) ? null : Instant.FromUnixTimeTicks(r.GetInt64(20)),
            Gross = r.GetDecimal(21),
            AccruedInterest = r.GetDecimal(22),
            Net = r.GetDecimal(23),
            Charges = TradeCharges.Parse(r.GetString(24)),
            Ssi = r.IsDBNull(25) ? null : new StandingSettlementInstruction(r.GetString(25), counterparty, Sql.NullableString(r, 26),
                r.IsDBNull(27) ? null : (AssetClass)Int(r, 27), r.GetString(28), r.GetString(29), r.GetString(30), ReadDate(r, 31))
            {
                FreeOfPayment = !r.IsDBNull(34) && r.GetBoolean(34),
            },
            SourceMessage = r.GetString(32),
            LotIds = r.IsDBNull(33) ? null : TradeLots.Parse(r.GetString(33)).Value,
            VenueTransactionId = r.IsDBNull(35) ? null : r.GetString(35),
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<TradeVersion> ReadActiveTradesInExecutionOrderAsync(LocalDate? asOf,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, "");
        string filter = "";
        if (asOf is { } date)
        {
            filter = " AND v.trade_date <= @as_of";
            Sql.Add(command, "as_of", DateValue(date));
        }
        command.CommandText = $"SELECT {Prefixed("v.")} FROM trade_versions v WHERE v.status = {(int)TradeStatus.Active}{filter} " +
            "AND v.version = (SELECT MAX(l.version) FROM trade_versions l WHERE l.trade_id = v.trade_id) " +
            "ORDER BY v.trade_date, v.executed_at NULLS FIRST, v.trade_id";
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            yield return ReadTradeVersion(r);
        }
    }

    /// <summary>
    /// The latest active versions in execution order, only the columns the lot rules read. A version
    /// is the latest when no later one exists; a later one is at least version 2, so the probe reads
    /// the small index of amended trades, not the whole table. The charges are not read as such: a
    /// trade's net amount is its gross plus accrued interest, plus its charges on a buy and minus
    /// them on a sale (<see cref="TradeRules"/>), so their sum follows from three amounts, and the
    /// rows sorted carry no list of charges.
    /// </summary>
    private protected static string LotTradeQuery(string? asOfParameter) =>
        "SELECT v.trade_id, v.account, v.isin, v.currency, v.trade_date, v.side, v.quantity, v.gross, v.accrued_interest, v.net, v.lot_ids FROM trade_versions v " +
        $"WHERE v.status = {(int)TradeStatus.Active}{(asOfParameter is null ? "" : " AND v.trade_date <= " + asOfParameter)} " +
        "AND NOT EXISTS (SELECT 1 FROM trade_versions l WHERE l.trade_id = v.trade_id AND l.version > 1 AND l.version > v.version) " +
        "ORDER BY v.trade_date, v.executed_at NULLS FIRST, v.trade_id";

    /// <inheritdoc/>
    public virtual async IAsyncEnumerable<Domain.Lots.LotTrade> ReadLotTradesAsync(LocalDate? asOf,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        await using DbCommand command = Sql.Command(connection, null, LotTradeQuery(asOf is null ? null : "@as_of"));
        if (asOf is { } date)
        {
            Sql.Add(command, "as_of", DateValue(date));
        }
        // A history repeats a few thousand accounts and instruments: each code is kept once.
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        string Code(string code) => codes.TryGetValue(code, out string? kept) ? kept : codes[code] = code;
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var side = (TradeSide)Int(r, 5);
            decimal gross = r.GetDecimal(7);
            yield return new Domain.Lots.LotTrade(r.GetInt64(0), Code(r.GetString(1)), Code(r.GetString(2)), Code(r.GetString(3)), ReadDate(r, 4),
                side, r.GetDecimal(6), gross, ChargesOf(side, gross, r.GetDecimal(8), r.GetDecimal(9)),
                r.IsDBNull(10) ? null : TradeLots.Parse(r.GetString(10)).Value);
        }
    }

    /// <summary>The sum of a trade's charges, from its gross, accrued interest and net amounts (see <see cref="LotTradeQuery"/>).</summary>
    private protected static decimal ChargesOf(TradeSide side, decimal gross, decimal accrued, decimal net) =>
        side == TradeSide.Buy ? net - gross - accrued : gross + accrued - net;

    /// <inheritdoc/>
    public async IAsyncEnumerable<Domain.Settlement.SettlingTrade> ReadActiveTradesSettlingOnAsync(LocalDate settlementDate,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await OpenConnectionAsync(cancellationToken);
        // Versions settling on the date first (a scan of one column), then only those still the
        // latest; only the columns an obligation needs (not the charges or the source message).
        await using DbCommand command = Sql.Command(connection, null,
            "SELECT v.trade_id, v.version, v.side, v.isin, v.market, v.quantity, v.price, v.currency, v.account, v.counterparty, v.trade_date, v.settlement_date, " +
            "v.gross, v.accrued_interest, v.ssi_id, v.ssi_market, v.ssi_asset_class, v.ssi_place, v.ssi_depository_account, v.ssi_agent_bic, v.ssi_effective_from, v.ssi_free_of_payment " +
            $"FROM trade_versions v WHERE v.settlement_date = @date AND v.status = {(int)TradeStatus.Active} " +
            "AND v.version = (SELECT MAX(l.version) FROM trade_versions l WHERE l.trade_id = v.trade_id) ORDER BY v.trade_id");
        Sql.Add(command, "date", DateValue(settlementDate));
        // A day's trades repeat a few hundred instruments, accounts and SSIs: each is read once and shared.
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var ssis = new Dictionary<StandingSettlementInstruction, StandingSettlementInstruction>();
        string Shared(string value) => strings.TryGetValue(value, out string? known) ? known : strings[value] = value;
        LocalDate tradeDate = default;
        string? tradeDateText = null;
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            string counterparty = Shared(r.GetString(9));
            StandingSettlementInstruction? ssi = null;
            if (!r.IsDBNull(14))
            {
                // The snapshot each trade booked with: shared while every field is the same.
                var read = new StandingSettlementInstruction(r.GetString(14), counterparty, Sql.NullableString(r, 15),
                    r.IsDBNull(16) ? null : (AssetClass)Int(r, 16), r.GetString(17), r.GetString(18), r.GetString(19), ReadDate(r, 20))
                {
                    FreeOfPayment = !r.IsDBNull(21) && r.GetBoolean(21),
                };
                if (!ssis.TryGetValue(read, out ssi))
                {
                    ssi = ssis[read] = read;
                }
            }
            // Dates repeat too; SQLite keeps them as text, so a repeated one is not parsed again.
            LocalDate traded;
            if (r.GetValue(10) is string text)
            {
                if (text != tradeDateText)
                {
                    tradeDateText = text;
                    tradeDate = ReadDate(r, 10);
                }
                traded = tradeDate;
            }
            else
            {
                traded = ReadDate(r, 10);
            }
            yield return new Domain.Settlement.SettlingTrade(r.GetInt64(0), Int(r, 1), (TradeSide)Int(r, 2), Shared(r.GetString(3)), Shared(r.GetString(4)),
                r.GetDecimal(5), r.GetDecimal(6), Shared(r.GetString(7)), Shared(r.GetString(8)), counterparty, traded, settlementDate, r.GetDecimal(12),
                r.GetDecimal(13), ssi);
        }
    }

    private static async Task<IReadOnlyList<TradeException>> ReadExceptionsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<TradeException>();
        await using DbDataReader r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            long id = r.GetInt64(0);
            list.Add(new TradeException(id, new AuditSequence(r.GetInt64(1)), r.GetString(2), Sql.NullableString(r, 3), r.GetString(4), r.GetString(5),
                r.GetString(6), Sql.NullableString(r, 7), r.GetString(8))
            {
                Closure = r.IsDBNull(9) ? null : new ExceptionClosure(id, new AuditSequence(r.GetInt64(9)),
                    Enum.Parse<ExceptionAction>(r.GetString(10), ignoreCase: true), r.GetString(11), r.IsDBNull(12) ? null : r.GetInt64(12)),
            });
        }
        return list;
    }

    private static async Task<List<T>> ReadRowsAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using DbCommand command = Sql.Command(connection, null, sql);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>A trade version with its charges already serialised (UTF-8 JSON, <see cref="TradeCharges"/>).</summary>
    protected readonly record struct TradeVersionRow(TradeVersion Version, ReadOnlyMemory<byte> Charges);

    /// <summary>The SQL column list of trade_versions, in the order <see cref="AppendTradeVersionRowsAsync"/> writes.</summary>
    protected static string TradeVersionColumns => TradeColumns;

    /// <summary>How many columns <see cref="TradeVersionColumns"/> names.</summary>
    protected static int TradeVersionColumnCount { get; } = TradeColumns.Split(", ").Length;

    /// <summary>Writes trade version rows (the stores' bulk paths differ, as for entries).</summary>
    protected abstract Task AppendTradeVersionRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TradeVersionRow> rows,
        CancellationToken cancellationToken);

    private static int Int(DbDataReader reader, int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private async Task AppendTradeRecordsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TradeVersion> versions,
        IReadOnlyList<TradeException> exceptions, IReadOnlyList<ExceptionClosure> closures, CancellationToken cancellationToken)
    {
        if (versions.Count > 0)
        {
            // Every version's charges into one buffer through one writer: a writer and an array a trade cost more than the JSON.
            using var buffer = new PooledBufferWriter(versions.Count * 64);
            var ends = new int[versions.Count];
            using (var json = new Utf8JsonWriter(buffer))
            {
                for (int i = 0; i < versions.Count; i++)
                {
                    TradeCharges.Write(json, versions[i].Charges);
                    json.Flush();
                    json.Reset();
                    ends[i] = buffer.WrittenCount;
                }
            }
            ReadOnlyMemory<byte> written = buffer.WrittenMemory;
            var rows = new TradeVersionRow[versions.Count];
            for (int i = 0; i < rows.Length; i++)
            {
                int start = i == 0 ? 0 : ends[i - 1];
                rows[i] = new TradeVersionRow(versions[i], written[start..ends[i]]);
            }
            await AppendTradeVersionRowsAsync(connection, transaction, rows, cancellationToken);
        }
        foreach (TradeException e in exceptions)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO trade_exceptions (id, audit_sequence, source, source_id, rule, message, location, request, raw_message) VALUES (@id, @seq, @source, @sid, @rule, @message, @location, @request, @raw)");
            Sql.Add(insert, "id", e.Id);
            Sql.Add(insert, "seq", e.AuditSequence.Value);
            Sql.Add(insert, "source", e.Source);
            Sql.Add(insert, "sid", e.SourceTradeId);
            Sql.Add(insert, "rule", e.Rule);
            Sql.Add(insert, "message", e.Message);
            Sql.Add(insert, "location", e.Location);
            Sql.Add(insert, "request", e.Request);
            Sql.Add(insert, "raw", e.RawMessage);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (ExceptionClosure c in closures)
        {
            await using DbCommand insert = Sql.Command(connection, transaction,
                "INSERT INTO trade_exception_actions (exception_id, audit_sequence, action, note, trade_id) VALUES (@id, @seq, @action, @note, @trade)");
            Sql.Add(insert, "id", c.ExceptionId);
            Sql.Add(insert, "seq", c.AuditSequence.Value);
            Sql.Add(insert, "action", c.Action.ToString().ToLowerInvariant());
            Sql.Add(insert, "note", c.Note);
            Sql.Add(insert, "trade", c.TradeId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>
/// A trade version's charges as stored: a JSON array of <c>[code, kind, amount, ledger account]</c>
/// arrays, the amount a string so its scale is kept exactly (<c>"1.00"</c>), the ledger account
/// null when the charge books to its kind's default account.
/// </summary>
internal static class TradeCharges
{
    /// <summary>Writes the charges as one JSON value (the caller flushes).</summary>
    public static void Write(Utf8JsonWriter json, IReadOnlyList<TradeCharge> charges)
    {
        json.WriteStartArray();
        Span<byte> amount = stackalloc byte[32];
        foreach (TradeCharge c in charges)
        {
            json.WriteStartArray();
            json.WriteStringValue(c.Code);
            json.WriteNumberValue((int)c.Kind);
            bool formatted = c.Amount.TryFormat(amount, out int written, default, CultureInfo.InvariantCulture);
            Invariant.That(formatted, "a decimal formats in 32 bytes");
            json.WriteStringValue(amount[..written]);
            if (c.LedgerAccount is { } account)
            {
                json.WriteStringValue(account);
            }
            else
            {
                json.WriteNullValue();
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    public static IReadOnlyList<TradeCharge> Parse(string text)
    {
        using JsonDocument document = JsonDocument.Parse(text);
        var charges = new List<TradeCharge>(document.RootElement.GetArrayLength());
        foreach (JsonElement c in document.RootElement.EnumerateArray())
        {
            charges.Add(new TradeCharge(c[0].GetString()!, (FeeKind)c[1].GetInt32(),
                decimal.Parse(c[2].GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
                c[3].ValueKind == JsonValueKind.Null ? null : c[3].GetString()));
        }
        return charges;
    }
}

using System.Data.Common;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;

namespace BackOffice.Storage;

/// <summary>Upserts of reference data, keyed by each record's natural code. Currencies and instruments also get an asset row.</summary>
internal static class ReferenceWriter
{
    public static async Task ApplyAsync(AdoStore store, DbConnection connection, DbTransaction transaction, ReferenceChanges changes, CancellationToken ct)
    {
        await using var commands = new Commands(connection, transaction);
        foreach (Currency c in changes.Currencies)
        {
            await commands.RunAsync("INSERT INTO currencies (code, numeric_code, minor_units, name) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (code) DO UPDATE SET numeric_code = excluded.numeric_code, minor_units = excluded.minor_units, name = excluded.name",
                [c.Code, c.NumericCode, c.MinorUnits, c.Name], ct);
            await UpsertAssetAsync(commands, c.Code, AssetKind.Currency, c.MinorUnits, ct);
        }
        foreach (Market m in changes.Markets)
        {
            await commands.RunAsync("INSERT INTO markets (mic, name, country_code) VALUES (@p0, @p1, @p2) " +
                "ON CONFLICT (mic) DO UPDATE SET name = excluded.name, country_code = excluded.country_code",
                [m.Mic, m.Name, m.CountryCode], ct);
        }
        foreach (Instrument i in changes.Instruments)
        {
            BondTerms? b = i.Bond;
            await commands.RunAsync("INSERT INTO instruments (isin, name, asset_class, currency, listing_mic, cusip, sedol, ticker, settlement_cycle_days, quantity_scale, " +
                "coupon_rate, coupon_frequency, day_count, dated_date, first_coupon_date, maturity_date, end_of_month, csdr_category) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17) ON CONFLICT (isin) DO UPDATE SET name = excluded.name, " +
                "asset_class = excluded.asset_class, currency = excluded.currency, listing_mic = excluded.listing_mic, cusip = excluded.cusip, " +
                "sedol = excluded.sedol, ticker = excluded.ticker, settlement_cycle_days = excluded.settlement_cycle_days, quantity_scale = excluded.quantity_scale, " +
                "coupon_rate = excluded.coupon_rate, coupon_frequency = excluded.coupon_frequency, day_count = excluded.day_count, dated_date = excluded.dated_date, " +
                "first_coupon_date = excluded.first_coupon_date, maturity_date = excluded.maturity_date, end_of_month = excluded.end_of_month, " +
                // The row is replaced whole: a row without a category clears one loaded before.
                "csdr_category = excluded.csdr_category",
                [i.Isin, i.Name, (int)i.AssetClass, i.Currency, i.ListingMic, i.Cusip, i.Sedol, i.Ticker, i.SettlementCycleDays, i.QuantityScale,
                    b?.CouponRate, b?.Frequency, b?.DayCount, b is null ? null : store.DateParameter(b.DatedDate), b is null ? null : store.DateParameter(b.FirstCouponDate),
                    b is null ? null : store.DateParameter(b.MaturityDate), b?.EndOfMonth, (int?)i.CsdrCategory], ct);
            await UpsertAssetAsync(commands, i.Isin, AssetKind.Instrument, i.QuantityScale, ct);
        }
        foreach (Party p in changes.Parties)
        {
            await commands.RunAsync("INSERT INTO parties (lei, name, role, bic) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (lei) DO UPDATE SET name = excluded.name, role = excluded.role, bic = excluded.bic",
                [p.Lei, p.Name, (int)p.Role, p.Bic], ct);
        }
        foreach (ClientAccount a in changes.ClientAccounts)
        {
            await commands.RunAsync("INSERT INTO client_accounts (code, name, party_lei, base_currency, branch, status, opened_on, lot_method) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) " +
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, party_lei = excluded.party_lei, base_currency = excluded.base_currency, " +
                "branch = excluded.branch, status = excluded.status, opened_on = excluded.opened_on, lot_method = excluded.lot_method",
                [a.Code, a.Name, a.PartyLei, a.BaseCurrency, a.Branch, (int)a.Status, store.DateParameter(a.OpenedOn), (int)a.LotMethod], ct);
        }
        foreach (Book b in changes.Books)
        {
            await commands.RunAsync("INSERT INTO books (code, name, type, base_currency) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type, base_currency = excluded.base_currency",
                [b.Code, b.Name, (int)b.Type, b.BaseCurrency], ct);
        }
        foreach (LedgerAccountDefinition l in changes.LedgerAccounts)
        {
            await commands.RunAsync("INSERT INTO ledger_accounts (code, name, type, control_account_code, is_open) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type, control_account_code = excluded.control_account_code, is_open = excluded.is_open",
                [l.Code, l.Name, (int)l.Type, l.ControlAccountCode, l.IsOpen], ct);
        }
        foreach (Domain.Trading.FeeRule f in changes.FeeRules)
        {
            await commands.RunAsync("INSERT INTO fee_rules (id, code, kind, account, market, asset_class, issuer_country, side, method, rate, minimum, maximum, " +
                "currency, rounding, effective_from, effective_to, ledger_account) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16) " +
                "ON CONFLICT (id) DO UPDATE SET code = excluded.code, kind = excluded.kind, account = excluded.account, market = excluded.market, " +
                "asset_class = excluded.asset_class, issuer_country = excluded.issuer_country, side = excluded.side, method = excluded.method, rate = excluded.rate, " +
                "minimum = excluded.minimum, maximum = excluded.maximum, currency = excluded.currency, rounding = excluded.rounding, " +
                "effective_from = excluded.effective_from, effective_to = excluded.effective_to, ledger_account = excluded.ledger_account",
                [f.Id, f.Code, (int)f.Kind, f.Account, f.Market, (int?)f.AssetClass, f.IssuerCountry, (int?)f.Side, (int)f.Method, f.Rate, f.Minimum, f.Maximum,
                    f.Currency, (int)f.Rounding, store.DateParameter(f.EffectiveFrom), f.EffectiveTo is { } to ? store.DateParameter(to) : null, f.LedgerAccount], ct);
        }
        foreach (Domain.Trading.StandingSettlementInstruction s in changes.SettlementInstructions)
        {
            await commands.RunAsync("INSERT INTO settlement_instructions (id, counterparty, market, asset_class, place_of_settlement, depository_account, agent_bic, effective_from, free_of_payment) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8) ON CONFLICT (id) DO UPDATE SET counterparty = excluded.counterparty, market = excluded.market, " +
                "asset_class = excluded.asset_class, place_of_settlement = excluded.place_of_settlement, depository_account = excluded.depository_account, " +
                "agent_bic = excluded.agent_bic, effective_from = excluded.effective_from, free_of_payment = excluded.free_of_payment",
                [s.Id, s.Counterparty, s.Market, (int?)s.AssetClass, s.PlaceOfSettlement, s.DepositoryAccount, s.AgentBic, store.DateParameter(s.EffectiveFrom), s.FreeOfPayment], ct);
        }
        await WriteMarksAsync(store, commands, changes, ct);
        await WriteInterestRatesAsync(store, commands, changes, ct);
        foreach (NettingAgreement n in changes.NettingAgreements)
        {
            await commands.RunAsync("INSERT INTO netting_agreements (counterparty, effective_from, effective_to) VALUES (@p0, @p1, @p2) " +
                "ON CONFLICT (counterparty, effective_from) DO UPDATE SET effective_to = excluded.effective_to",
                [n.Counterparty, store.DateParameter(n.EffectiveFrom), n.EffectiveTo is { } to ? store.DateParameter(to) : null], ct);
        }
        foreach (Domain.Settlement.CloseOutRule r in changes.CloseOutRules)
        {
            await commands.RunAsync("INSERT INTO close_out_rules (name, market, category, asset_class, business_days) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                "ON CONFLICT (name) DO UPDATE SET market = excluded.market, category = excluded.category, asset_class = excluded.asset_class, business_days = excluded.business_days",
                [r.Name, r.Market, (int?)r.Category, (int?)r.AssetClass, r.BusinessDays], ct);
        }
        foreach (CentralBankRate r in changes.CentralBankRates)
        {
            await commands.RunAsync("INSERT INTO central_bank_rates (currency, effective_from, rate, source) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (currency, effective_from) DO UPDATE SET rate = excluded.rate, source = excluded.source",
                [r.Currency, store.DateParameter(r.EffectiveFrom), store.DecimalParameter(r.Rate), r.Source], ct);
        }
        foreach (Domain.Settlement.PenaltyRate r in changes.PenaltyRates)
        {
            await commands.RunAsync("INSERT INTO penalty_rates (category, effective_from, rate) VALUES (@p0, @p1, @p2) " +
                "ON CONFLICT (category, effective_from) DO UPDATE SET rate = excluded.rate",
                [(int)r.AssetClass, store.DateParameter(r.EffectiveFrom), store.DecimalParameter(r.Rate)], ct);
        }
        foreach (Domain.Reconciliation.StatementAccount a in changes.StatementAccounts)
        {
            await commands.RunAsync("INSERT INTO statement_accounts (account, source, kind, ledger_account, currency, name, amount_tolerance, " +
                "date_tolerance_days, match_by_reference, group_max) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9) ON CONFLICT (account, kind) DO UPDATE SET " +
                "source = excluded.source, ledger_account = excluded.ledger_account, currency = excluded.currency, name = excluded.name, " +
                "amount_tolerance = excluded.amount_tolerance, date_tolerance_days = excluded.date_tolerance_days, match_by_reference = excluded.match_by_reference, " +
                "group_max = excluded.group_max",
                [a.Account, a.Source, (int)a.Kind, a.LedgerAccount, a.Currency, a.Name, a.Rules.AmountTolerance.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    a.Rules.DateToleranceDays, a.Rules.MatchByReference ? 1 : 0, a.Rules.GroupMax], ct);
        }
        foreach (Domain.Compliance.TransactionReporting.MifirFirm f in changes.MifirFirms)
        {
            await commands.RunAsync("INSERT INTO mifir_firm (id, executing_entity_lei, submitting_entity_lei, branch_country, investment_decision, execution, " +
                "reporting_from) VALUES (1, @p0, @p1, @p2, @p3, @p4, @p5) ON CONFLICT (id) DO UPDATE SET executing_entity_lei = excluded.executing_entity_lei, " +
                "submitting_entity_lei = excluded.submitting_entity_lei, branch_country = excluded.branch_country, investment_decision = excluded.investment_decision, " +
                "execution = excluded.execution, reporting_from = excluded.reporting_from",
                [f.ExecutingEntityLei, f.SubmittingEntityLei, f.BranchCountry, f.InvestmentDecision?.ToString(), f.Execution.ToString(), store.DateParameter(f.ReportingFrom)], ct);
        }
        foreach (Domain.Compliance.TransactionReporting.MifirClient c in changes.MifirClients)
        {
            await commands.RunAsync("INSERT INTO mifir_clients (account, id_type, id, first_name, surname, birth_date, branch_country, decision_maker_lei, " +
                "discretionary) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8) ON CONFLICT (account) DO UPDATE SET id_type = excluded.id_type, id = excluded.id, " +
                "first_name = excluded.first_name, surname = excluded.surname, birth_date = excluded.birth_date, branch_country = excluded.branch_country, " +
                "decision_maker_lei = excluded.decision_maker_lei, discretionary = excluded.discretionary",
                [c.Account, (int)c.Scheme, c.Id, c.FirstName, c.Surname, c.BirthDate is { } born ? store.DateParameter(born) : null, c.BranchCountry, c.DecisionMakerLei,
                    c.Discretionary ? 1 : 0], ct);
        }
        foreach (Domain.Compliance.RestrictedInstrument r in changes.RestrictedList)
        {
            await commands.RunAsync("INSERT INTO restricted_instruments (isin, valid_from, valid_to, reason) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (isin, valid_from) DO UPDATE SET valid_to = excluded.valid_to, reason = excluded.reason",
                [r.Isin, store.DateParameter(r.From), r.To is { } to ? store.DateParameter(to) : null, r.Reason], ct);
        }
        foreach (Domain.Compliance.TradingLimit l in changes.TradingLimits)
        {
            await commands.RunAsync("INSERT INTO trading_limits (account, instrument, max_position, max_concentration) VALUES (@p0, @p1, @p2, @p3) " +
                "ON CONFLICT (account, instrument) DO UPDATE SET max_position = excluded.max_position, max_concentration = excluded.max_concentration",
                [l.Account, l.Instrument, l.MaxPosition?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    l.MaxConcentration?.ToString(System.Globalization.CultureInfo.InvariantCulture)], ct);
        }
        foreach (StockSplit s in changes.Splits)
        {
            await commands.RunAsync("INSERT INTO splits (instrument, ex_date, ratio_new, ratio_old, source) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                "ON CONFLICT (instrument, ex_date) DO UPDATE SET ratio_new = excluded.ratio_new, ratio_old = excluded.ratio_old, source = excluded.source",
                [s.Instrument, store.DateParameter(s.ExDate), s.Ratio.New, s.Ratio.Old, s.Source], ct);
        }
    }

    private static async Task WriteMarksAsync(AdoStore store, Commands commands, ReferenceChanges changes, CancellationToken ct)
    {
        foreach (Price p in changes.Prices)
        {
            await commands.RunAsync("INSERT INTO prices (instrument, price_date, price, currency, source) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                "ON CONFLICT (instrument, price_date) DO UPDATE SET price = excluded.price, currency = excluded.currency, source = excluded.source",
                [p.Instrument, store.DateParameter(p.Date), p.Value, p.Currency, p.Source], ct);
        }
        foreach (FxRate r in changes.FxRates)
        {
            await commands.RunAsync("INSERT INTO fx_rates (base, quote, rate_date, rate, source) VALUES (@p0, @p1, @p2, @p3, @p4) " +
                "ON CONFLICT (base, quote, rate_date) DO UPDATE SET rate = excluded.rate, source = excluded.source",
                [r.Base, r.Quote, store.DateParameter(r.Date), r.Rate, r.Source], ct);
        }
    }

    private static async Task WriteInterestRatesAsync(AdoStore store, Commands commands, ReferenceChanges changes, CancellationToken ct)
    {
        foreach (Domain.Interest.InterestRate r in changes.InterestRates)
        {
            await commands.RunAsync("INSERT INTO interest_rates (id, currency, side, tier_from, rate, day_count, effective_from, effective_to) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) ON CONFLICT (id) DO UPDATE SET currency = excluded.currency, side = excluded.side, " +
                "tier_from = excluded.tier_from, rate = excluded.rate, day_count = excluded.day_count, effective_from = excluded.effective_from, effective_to = excluded.effective_to",
                [r.Id, r.Currency, (int)r.Side, r.TierFrom, r.Rate, r.DayCount, store.DateParameter(r.EffectiveFrom), r.EffectiveTo is { } to ? store.DateParameter(to) : null], ct);
        }
    }

    private static Task UpsertAssetAsync(Commands commands, string code, AssetKind kind, int scale, CancellationToken ct) =>
        // The scale of an asset never changes once set: stored units would change meaning. The
        // application rejects such a change before it gets here; DO NOTHING keeps the first scale.
        commands.RunAsync("INSERT INTO assets (code, kind, scale) VALUES (@p0, @p1, @p2) ON CONFLICT (code) DO NOTHING",
                [code, (int)kind, scale], ct);

    /// <summary>
    /// The upserts of one change, each statement created once and run again with new values: a
    /// trade import opens thousands of sub-ledger accounts, and a statement parsed for every row
    /// cost more than the row.
    /// </summary>
    private sealed class Commands(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> _bySql = new(StringComparer.Ordinal);

        public async Task RunAsync(string sql, object?[] values, CancellationToken ct)
        {
            if (!_bySql.TryGetValue(sql, out DbCommand? command))
            {
                command = Sql.Command(connection, transaction, sql);
                for (int i = 0; i < values.Length; i++)
                {
                    Sql.Add(command, "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                }
                _bySql[sql] = command;
            }
            for (int i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(ct);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (DbCommand command in _bySql.Values)
            {
                await command.DisposeAsync();
            }
        }
    }
}

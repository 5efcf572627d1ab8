using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Domain.ReferenceData.Standards;

namespace BackOffice.Domain.ReferenceData;

/// <summary>
/// The pure rules of reference data. Checked in this order: within each kind, each row in file
/// order, its identifiers by their published check-digit rules, then its references to other
/// reference data (already booked, or in the same change). Kinds are checked in dependency order:
/// currencies, markets, parties, instruments, client accounts, books, ledger accounts, then the
/// kinds that refer to them.
/// </summary>
public static class ReferenceRules
{
    /// <summary>Longest code accepted for client accounts, books and ledger accounts.</summary>
    public const int CodeLengthMax = 64;

    /// <summary>Longest name accepted.</summary>
    public const int NameLengthMax = 200;

    /// <summary>Most rows one change may carry.</summary>
    public const int RowsMax = 1_000_000;

    /// <summary>Longest settlement cycle accepted, in business days.</summary>
    public const int SettlementCycleDaysMax = 10;

    /// <summary>Longest close-out period accepted, in business days (about a year).</summary>
    public const int CloseOutBusinessDaysMax = 250;

    /// <summary>The CSDR penalty rate accepted is below this, a fraction a day (0.01 is 100 basis points a day).</summary>
    public const decimal PenaltyRateMax = 0.01m;

    /// <summary>Checks a change; <paramref name="locations"/> names each row (file and line) for messages.</summary>
    public static Rejection? Validate(ReferenceChanges changes, KnownReference known, IReadOnlyList<string>? locations = null)
    {
        if (changes.Count > RowsMax)
        {
            return new Rejection("reference.too-many-rows", $"{changes.Count} rows; the limit is {RowsMax}");
        }
        var currencies = new HashSet<string>(known.Currencies, StringComparer.Ordinal);
        var markets = new HashSet<string>(known.Markets, StringComparer.Ordinal);
        var parties = new HashSet<string>(known.Parties, StringComparer.Ordinal);
        var ledgerAccounts = new HashSet<string>(known.LedgerAccounts, StringComparer.Ordinal);
        return Each(changes.Currencies, c => c.Code, locations, c => CheckCurrency(c, known, currencies))
            ?? Each(changes.Markets, m => m.Mic, locations, m => CheckMarket(m, markets))
            ?? Each(changes.Parties, p => p.Lei, locations, p => CheckParty(p, parties))
            ?? Each(changes.Instruments, i => i.Isin, locations, i => CheckInstrument(i, known, currencies, markets))
            ?? Each(changes.ClientAccounts, a => a.Code, locations, a => CheckClientAccount(a, parties, currencies))
            ?? Each(changes.Books, b => b.Code, locations, b => Code(b.Code, "book") ?? Name(b.Name) ?? Known(currencies, b.BaseCurrency, "currency", "base_currency"))
            ?? CheckLedgerAccounts(changes.LedgerAccounts, ledgerAccounts, locations)
            ?? Each(changes.FeeRules, f => f.Id, locations, f => CheckFeeRule(f, currencies, markets, ledgerAccounts))
            ?? Each(changes.SettlementInstructions, s => s.Id, locations, s => CheckSettlementInstruction(s, parties, markets))
            ?? Each(changes.Prices, p => p.Instrument + " " + p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), locations,
                p => CheckPrice(p, known, changes.Instruments, currencies))
            ?? Each(changes.FxRates, r => r.Base + "/" + r.Quote + " " + r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), locations,
                r => CheckFxRate(r, currencies))
            ?? Each(changes.InterestRates, r => r.Id, locations, r => CheckInterestRate(r, currencies))
            ?? Each(changes.NettingAgreements, n => n.Counterparty + " " + n.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), locations,
                n => Known(parties, n.Counterparty, "party", "counterparty")
                    ?? (n.EffectiveTo is not { } to || to > n.EffectiveFrom ? null : new Rejection("netting.dates", "effective_to must be after effective_from")))
            ?? Each(changes.Splits, s => s.Instrument + " " + s.ExDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), locations,
                s => (known.AssetScales.ContainsKey(s.Instrument) || changes.Instruments.Any(i => i.Isin == s.Instrument) ? null
                        : new Rejection("reference.unknown", $"instrument '{s.Instrument}' is not a known instrument; load it first"))
                    ?? (s.Ratio.New != s.Ratio.Old ? null : new Rejection("split.ratio", $"a split of {s.Ratio} changes nothing"))
                    ?? Source(s.Source))
            ?? Each(changes.CloseOutRules, r => r.Name, locations, CheckCloseOutRule)
            ?? Each(changes.CentralBankRates, r => r.Currency + " " + r.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), locations,
                r => CheckCentralBankRate(r, currencies))
            ?? Each(changes.PenaltyRates, r => CategoryName(r.AssetClass) + " " + r.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), locations,
                CheckPenaltyRate)
            ?? Each(changes.StatementAccounts, a => a.Account, locations, a => CheckStatementAccount(a, ledgerAccounts, changes.LedgerAccounts, currencies))
            ?? (changes.MifirFirms.Count > 1
                ? new Rejection("mifir-firm.one", $"the MiFIR firm settings are one row, not {changes.MifirFirms.Count}", locations is { Count: > 1 } l ? l[1] : "")
                : null)
            ?? Each(changes.MifirFirms, f => f.ExecutingEntityLei, locations, CheckMifirFirm)
            ?? Each(changes.MifirClients, c => c.Account, locations, CheckMifirClient)
            ?? Each(changes.RestrictedList, r => r.Isin + " " + r.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), locations,
                r => Identifier(IdentifierType.Isin, r.Isin, "identifier.isin")
                    ?? (r.To is not { } to || to > r.From ? null : new Rejection("restricted-list.dates", "to must be after from"))
                    ?? (r.Reason.Length <= NameLengthMax ? null : new Rejection("restricted-list.reason", $"reason is at most {NameLengthMax} characters")))
            ?? Each(changes.TradingLimits, l => l.Account + " " + l.Instrument, locations, CheckTradingLimit);
    }

    private static Rejection? CheckTradingLimit(Compliance.TradingLimit l) =>
        (l.Account == Compliance.TradingLimit.Any ? null : Code(l.Account, "account"))
        ?? (l.Instrument == Compliance.TradingLimit.Any ? null : Identifier(IdentifierType.Isin, l.Instrument, "identifier.isin"))
        ?? (l.MaxPosition is null && l.MaxConcentration is null ? new Rejection("trading-limit.empty", "a limit sets max_position, max_concentration or both") : null)
        ?? (l.MaxPosition is null or >= 0m ? null : new Rejection("trading-limit.position", "max_position cannot be negative"))
        ?? (l.MaxConcentration is null or (> 0m and <= 1m) ? null
            : new Rejection("trading-limit.concentration", "max_concentration is a share of the account's holdings, above 0 and at most 1 (0.25 is a quarter)"));

    private static Rejection? CheckMifirFirm(Compliance.TransactionReporting.MifirFirm f) =>
        LeiField(f.ExecutingEntityLei, "executing_entity_lei")
        ?? LeiField(f.SubmittingEntityLei, "submitting_entity_lei")
        ?? Country(f.BranchCountry, "branch_country")
        ?? (f.InvestmentDecision?.Country is { } decided ? Country(decided, "investment_decision") : null)
        ?? (f.Execution.Country is { } executed ? Country(executed, "execution") : null);

    private static Rejection? CheckMifirClient(Compliance.TransactionReporting.MifirClient c) =>
        Code(c.Account, "client account")
        ?? (c.Scheme == Compliance.TransactionReporting.PersonIdScheme.Lei
            ? LeiField(c.Id, "id")
            : c.FirstName is null || c.Surname is null || c.BirthDate is null
                ? new Rejection("mifir-client.person", $"a natural person ({Compliance.TransactionReporting.MifirCodes.Scheme(c.Scheme)}) needs first_name, surname and birth_date")
                : c.Id.Length is 0 or > 35 ? new Rejection("mifir-client.id", "id must be 1 to 35 characters") : null)
        ?? (c.BranchCountry is { } branch ? Country(branch, "branch_country") : null)
        ?? (c.DecisionMakerLei is { } maker ? LeiField(maker, "decision_maker_lei") : null);

    private static Rejection? LeiField(string value, string column) =>
        LeiRules.Validate(value) is { IsValid: false } invalid ? new Rejection("identifier.lei", $"{column} '{value}' is not a valid LEI: {invalid.Reason}") : null;

    private static Rejection? Country(string value, string column) =>
        value.Length == 2 && value.All(char.IsAsciiLetterUpper) ? null : new Rejection("field.country", $"{column} must be an ISO 3166 two-letter country code, not '{value}'");

    private static Rejection? CheckStatementAccount(Reconciliation.StatementAccount a, HashSet<string> ledgerAccounts, IReadOnlyList<LedgerAccountDefinition> adding,
        HashSet<string> currencies) =>
        Code(a.Account, "statement account")
        ?? Code(a.Source, "source")
        ?? Name(a.Name)
        ?? (Enum.IsDefined(a.Kind) ? null : new Rejection("statement-account.kind", "kind must be custody or cash"))
        ?? (ledgerAccounts.Contains(a.LedgerAccount) || adding.Any(l => l.Code == a.LedgerAccount) ? null
            : new Rejection("reference.unknown", $"ledger_account '{a.LedgerAccount}' is not in the chart of accounts; load it first"))
        ?? (a.Kind == Reconciliation.StatementKind.Cash
            ? (a.Currency is null ? new Rejection("statement-account.currency", "a cash account names its currency") : Known(currencies, a.Currency, "currency", "currency"))
            : a.Currency is null ? null : new Rejection("statement-account.currency", "a custody account holds securities and names no currency"))
        ?? (a.Rules.AmountTolerance >= 0m ? null : new Rejection("statement-account.tolerance", "amount_tolerance cannot be negative"))
        ?? (a.Rules.DateToleranceDays is >= 0 and <= Reconciliation.Matching.DateToleranceDaysMax ? null
            : new Rejection("statement-account.tolerance", $"date_tolerance_days must be 0 to {Reconciliation.Matching.DateToleranceDaysMax}"))
        ?? (a.Rules.GroupMax is >= 0 and <= Reconciliation.Matching.GroupSizeMax ? null
            : new Rejection("statement-account.group-max", $"group_max must be 0 to {Reconciliation.Matching.GroupSizeMax}"));

    private static Rejection? CheckPenaltyRate(Settlement.PenaltyRate r) =>
        (Enum.IsDefined(r.AssetClass) ? null : new Rejection("penalty-rate.category", $"category {(int)r.AssetClass} is not a CSDR penalty category"))
        ?? (r.EffectiveFrom >= Settlement.CsdrPenalties.RegimeStart ? null
            : new Rejection("penalty-rate.date",
                $"effective_from {r.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is before the penalty regime applied " +
                $"({Settlement.CsdrPenalties.RegimeStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})"))
        ?? (r.Rate >= 0m && r.Rate < PenaltyRateMax ? null
            : new Rejection("penalty-rate.rate", string.Create(CultureInfo.InvariantCulture,
                $"rate is a fraction a day from 0 to below {PenaltyRateMax} (0.0001 is 1 basis point), not {r.Rate}")));

    /// <summary>A CSDR penalty category as files write it: ShareLiquid is SHARE_LIQUID.</summary>
    private static string CategoryName(Settlement.PenaltyAssetClass category) =>
        Enum.IsDefined(category)
            ? string.Concat(category.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + c : char.ToUpperInvariant(c).ToString()))
            : ((int)category).ToString(CultureInfo.InvariantCulture);

    private static Rejection? CheckCloseOutRule(Settlement.CloseOutRule r) =>
        (string.IsNullOrWhiteSpace(r.Name) ? new Rejection("close-out.name", "name is required") : Code(r.Name, "close-out rule"))
        // Matched against the country of the place of settlement's BIC (SettlementCalendars.Country), which is upper case.
        ?? (r.Market is null || (r.Market.Length == 2 && r.Market.All(char.IsAsciiLetterUpper) && CountryRegistry.IsAssigned(r.Market)) ? null
            : new Rejection("close-out.market",
                $"market '{r.Market}' is not an ISO 3166-1 alpha-2 country code in capitals (the country of the place of settlement's BIC, such as FR or US)"))
        ?? (r.Category is not { } category || Enum.IsDefined(category) ? null
            : new Rejection("close-out.category", $"category {(int)category} is not a CSDR penalty category"))
        ?? (r.AssetClass is not { } assetClass || Enum.IsDefined(assetClass) ? null
            : new Rejection("close-out.asset-class", $"asset_class {(int)assetClass} is not an asset class"))
        ?? (r.BusinessDays is >= 1 and <= CloseOutBusinessDaysMax ? null
            : new Rejection("close-out.business-days", $"business_days must be 1 to {CloseOutBusinessDaysMax}, not {r.BusinessDays}"));

    private static Rejection? CheckCentralBankRate(CentralBankRate r, HashSet<string> currencies) =>
        Known(currencies, r.Currency, "currency", "currency")
        ?? (r.Rate > -1m && r.Rate < 1m ? null
            : new Rejection("central-bank-rate.rate", $"rate is a fraction a year between -1 and 1, both excluded (0.0265 is 2.65%), not {r.Rate}"))
        ?? Source(r.Source);

    private static Rejection? CheckInterestRate(Interest.InterestRate r, HashSet<string> currencies) =>
        Code(r.Id, "interest rate")
        ?? Known(currencies, r.Currency, "currency", "currency")
        ?? (r.TierFrom >= 0m ? null : new Rejection("interest.tier", "tier_from cannot be negative"))
        ?? (r.Rate >= 0m ? null : new Rejection("interest.rate", "rate cannot be negative"))
        ?? (FixedIncome.DayCounts.TryParse(r.DayCount, out _) ? null
            : new Rejection("interest.day-count", $"day_count must be one of {string.Join(", ", FixedIncome.DayCounts.AllNames)}, not '{r.DayCount}'"))
        ?? (r.EffectiveTo is not { } to || to > r.EffectiveFrom ? null : new Rejection("interest.dates", "effective_to must be after effective_from"));

    private static Rejection? CheckPrice(Price p, KnownReference known, IReadOnlyList<Instrument> adding, HashSet<string> currencies) =>
        (known.AssetScales.ContainsKey(p.Instrument) || adding.Any(i => i.Isin == p.Instrument) ? null
            : new Rejection("reference.unknown", $"instrument '{p.Instrument}' is not a known instrument; load it first"))
        ?? Known(currencies, p.Currency, "currency", "currency")
        ?? (p.Value > 0m ? null : new Rejection("price.value", $"price must be positive, not {p.Value}"))
        ?? Source(p.Source);

    private static Rejection? CheckFxRate(FxRate r, HashSet<string> currencies) =>
        Known(currencies, r.Base, "currency", "base")
        ?? Known(currencies, r.Quote, "currency", "quote")
        ?? (r.Base != r.Quote ? null : new Rejection("fx.pair", $"base and quote are both {r.Base}"))
        ?? (r.Rate > 0m ? null : new Rejection("fx.rate", $"rate must be positive, not {r.Rate}"))
        ?? Source(r.Source);

    private static Rejection? Source(string source) =>
        string.IsNullOrWhiteSpace(source) || source.Length > NameLengthMax
            ? new Rejection("marks.source", $"source is required (who published the figure), at most {NameLengthMax} characters")
            : null;

    private static Rejection? CheckFeeRule(Trading.FeeRule f, HashSet<string> currencies, HashSet<string> markets, HashSet<string> ledgerAccounts) =>
        Code(f.Id, "fee rule")
        ?? Code(f.Code, "fee")
        ?? Known(currencies, f.Currency, "currency", "currency")
        ?? (f.Market is null ? null : Known(markets, f.Market, "market", "market"))
        ?? (f.LedgerAccount is null ? null : Known(ledgerAccounts, f.LedgerAccount, "ledger account", "ledger_account"))
        ?? (f.IssuerCountry is null || CountryRegistry.IsAssigned(f.IssuerCountry) ? null
            : new Rejection("fee-rule.issuer-country", $"'{f.IssuerCountry}' is not an ISO 3166-1 alpha-2 country code"))
        ?? (f.Rate >= 0m ? null : new Rejection("fee-rule.rate", "rate cannot be negative"))
        ?? (f.Minimum is null || f.Maximum is null || f.Minimum <= f.Maximum ? null : new Rejection("fee-rule.bounds", "minimum is above maximum"))
        ?? (f.Minimum is null or >= 0m && f.Maximum is null or >= 0m ? null : new Rejection("fee-rule.bounds", "minimum and maximum cannot be negative"))
        ?? (f.EffectiveTo is not { } to || to > f.EffectiveFrom ? null : new Rejection("fee-rule.dates", "effective_to must be after effective_from"));

    private static Rejection? CheckSettlementInstruction(Trading.StandingSettlementInstruction s, HashSet<string> parties, HashSet<string> markets) =>
        Code(s.Id, "settlement instruction")
        ?? Known(parties, s.Counterparty, "party", "counterparty")
        ?? (s.Market is null ? null : Known(markets, s.Market, "market", "market"))
        ?? Identifier(IdentifierType.Bic, s.PlaceOfSettlement, "ssi.place-of-settlement")
        ?? Identifier(IdentifierType.Bic, s.AgentBic, "ssi.agent-bic")
        ?? (string.IsNullOrWhiteSpace(s.DepositoryAccount) || s.DepositoryAccount.Length > CodeLengthMax
            ? new Rejection("ssi.depository-account", $"depository_account is required, at most {CodeLengthMax} characters")
            : null);

    private static Rejection? CheckCurrency(Currency c, KnownReference known, HashSet<string> currencies)
    {
        if (c.Code.Length != 3 || !c.Code.All(char.IsAsciiLetterUpper))
        {
            return new Rejection("currency.code", $"'{c.Code}' is not an ISO 4217 code (three capital letters)");
        }
        if (c.MinorUnits is < 0 or > Primitives.Asset.ScaleMax)
        {
            return new Rejection("currency.minor-units", $"minor units must be 0 to {Primitives.Asset.ScaleMax}");
        }
        if (CurrencyRegistry.TryGetMinorUnits(c.Code, out int iso) && iso != c.MinorUnits)
        {
            return new Rejection("currency.minor-units", $"ISO 4217 gives {c.Code} {iso} minor units, not {c.MinorUnits}");
        }
        if (known.AssetScales.TryGetValue(c.Code, out int scale) && scale != c.MinorUnits)
        {
            return new Rejection("asset.scale-change", $"{c.Code} is booked with {scale} decimal places; the scale of a booked asset cannot change");
        }
        currencies.Add(c.Code);
        return Name(c.Name);
    }

    private static Rejection? CheckMarket(Market m, HashSet<string> markets)
    {
        Rejection? invalid = Identifier(IdentifierType.Mic, m.Mic, "market.mic")
            ?? (CountryRegistry.IsAssigned(m.CountryCode) ? null : new Rejection("market.country", $"'{m.CountryCode}' is not an ISO 3166-1 alpha-2 country code"));
        if (invalid is null)
        {
            markets.Add(m.Mic);
        }
        return invalid ?? Name(m.Name);
    }

    private static Rejection? CheckParty(Party p, HashSet<string> parties)
    {
        Rejection? invalid = Identifier(IdentifierType.Lei, p.Lei, "party.lei")
            ?? (p.Bic is null ? null : Identifier(IdentifierType.Bic, p.Bic, "party.bic"));
        if (invalid is null)
        {
            parties.Add(p.Lei);
        }
        return invalid ?? Name(p.Name);
    }

    /// <summary>Day-count conventions a bond may name (docs/reference/daycounts.md).</summary>
    public static IReadOnlySet<string> DayCountNames { get; } = FixedIncome.DayCounts.AllNames.ToHashSet(StringComparer.Ordinal);

    private static Rejection? CheckBond(Instrument i) => i.Bond is not { } b ? null
        : i.AssetClass != AssetClass.Debt ? new Rejection("instrument.bond-terms", "coupon terms are for instruments of asset class debt")
        : b.CouponRate is < 0m or >= 1m ? new Rejection("instrument.coupon-rate", "coupon_rate is a fraction from 0 to below 1 (0.0425 is 4.25%)")
        : b.Frequency is not (1 or 2 or 4 or 12) ? new Rejection("instrument.coupon-frequency", "coupon_frequency must be 1, 2, 4 or 12")
        : !DayCountNames.Contains(b.DayCount) ? new Rejection("instrument.day-count", $"day_count must be one of {string.Join(", ", DayCountNames)}")
        : !(b.DatedDate < b.FirstCouponDate && b.FirstCouponDate <= b.MaturityDate)
            ? new Rejection("instrument.coupon-dates", "dates must run dated_date < first_coupon_date <= maturity_date")
        : null;

    private static Rejection? CheckInstrument(Instrument i, KnownReference known, HashSet<string> currencies, HashSet<string> markets) =>
        Identifier(IdentifierType.Isin, i.Isin, "instrument.isin")
        ?? CheckBond(i)
        ?? (i.Cusip is null ? null : Identifier(IdentifierType.Cusip, i.Cusip, "instrument.cusip"))
        ?? (i.Sedol is null ? null : Identifier(IdentifierType.Sedol, i.Sedol, "instrument.sedol"))
        ?? Known(currencies, i.Currency, "currency", "currency")
        ?? Known(markets, i.ListingMic, "market", "listing_mic")
        ?? (i.SettlementCycleDays is null or (>= 0 and <= SettlementCycleDaysMax) ? null
            : new Rejection("instrument.settlement-cycle", $"settlement_cycle_days must be 0 to {SettlementCycleDaysMax}"))
        ?? (i.QuantityScale is >= 0 and <= Primitives.Asset.ScaleMax ? null
            : new Rejection("instrument.quantity-scale", $"quantity_scale must be 0 to {Primitives.Asset.ScaleMax}"))
        ?? (i.CsdrCategory is not { } category || Enum.IsDefined(category) ? null
            : new Rejection("instrument.csdr-category", $"csdr_category {(int)category} is not a CSDR penalty category"))
        ?? (known.AssetScales.TryGetValue(i.Isin, out int scale) && scale != i.QuantityScale
            ? new Rejection("asset.scale-change", $"{i.Isin} is booked with {scale} decimal places; the scale of a booked asset cannot change")
            : null)
        ?? Name(i.Name);

    private static Rejection? CheckClientAccount(ClientAccount a, HashSet<string> parties, HashSet<string> currencies) =>
        Code(a.Code, "client account")
        ?? Name(a.Name)
        ?? Known(parties, a.PartyLei, "party", "party_lei")
        ?? Known(currencies, a.BaseCurrency, "currency", "base_currency")
        ?? (string.IsNullOrWhiteSpace(a.Branch) ? new Rejection("client-account.branch", "branch is required") : null)
        // Specific identification needs trades that name their lots, which no trade format carries yet.
        ?? (a.LotMethod is Lots.LotMethod.Fifo or Lots.LotMethod.Lifo or Lots.LotMethod.Hifo or Lots.LotMethod.Average ? null
            : new Rejection("client-account.lot-method", $"lot_method must be fifo, lifo, hifo or average, not {a.LotMethod.ToString().ToLowerInvariant()}"));

    private static Rejection? CheckLedgerAccounts(IReadOnlyList<LedgerAccountDefinition> accounts, HashSet<string> known, IReadOnlyList<string>? locations)
    {
        foreach (LedgerAccountDefinition account in accounts)
        {
            known.Add(account.Code);
        }
        return Each(accounts, a => a.Code, locations, a =>
            Code(a.Code, "ledger account")
            ?? Name(a.Name)
            ?? (a.ControlAccountCode is null ? null
                : a.ControlAccountCode == a.Code ? new Rejection("ledger-account.control", "a ledger account cannot be its own control account")
                : Known(known, a.ControlAccountCode, "ledger account", "control_account")));
    }

    private static Rejection? Each<T>(IReadOnlyList<T> rows, Func<T, string> key, IReadOnlyList<string>? locations, Func<T, Rejection?> check)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            string location = locations is not null && i < locations.Count ? locations[i] : string.Create(CultureInfo.InvariantCulture, $"row {i + 1}");
            if (!seen.Add(key(rows[i])))
            {
                return new Rejection("reference.duplicate", $"'{key(rows[i])}' appears more than once in the change", location);
            }
            if (check(rows[i]) is { } rejection)
            {
                return rejection.At(location);
            }
        }
        return null;
    }

    private static Rejection? Identifier(IdentifierType type, string value, string rule)
    {
        ValidationResult result = IdentifierValidation.Validate(type, value);
        return result.IsValid ? null : new Rejection(rule, result.Reason);
    }

    private static Rejection? Known(HashSet<string> set, string code, string what, string field) =>
        set.Contains(code) ? null : new Rejection("reference.unknown", $"{field} '{code}' is not a known {what}; load it first or in the same file");

    private static Rejection? Code(string code, string what) =>
        code.Length > CodeLengthMax || code.Any(char.IsWhiteSpace)
            ? new Rejection("reference.code", $"{what} code '{code}' must be at most {CodeLengthMax} characters without spaces")
            : null;

    private static Rejection? Name(string name) =>
        name.Length > NameLengthMax ? new Rejection("reference.name", $"name is longer than {NameLengthMax} characters") : null;
}

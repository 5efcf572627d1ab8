using System.Globalization;
using System.Text.Json;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.Settlement;
using BackOffice.Intake.Csv;
using NodaTime.Text;

namespace BackOffice.Intake.ReferenceData;

/// <summary>The kinds of reference data a file can hold; the CLI word is in <see cref="ReferenceDataFile.KindNames"/>.</summary>
public enum ReferenceKind
{
    Currencies = 1,
    Markets = 2,
    Instruments = 3,
    Parties = 4,
    ClientAccounts = 5,
    Books = 6,
    LedgerAccounts = 7,
    FeeRules = 8,
    SettlementInstructions = 9,
    Prices = 10,
    FxRates = 11,
    InterestRates = 12,
    Splits = 13,
    NettingAgreements = 14,
    CloseOutRules = 15,
    CentralBankRates = 16,
    PenaltyRates = 17,
    StatementAccounts = 18,
    MifirFirm = 19,
    MifirClients = 20,
    RestrictedList = 21,
    TradingLimits = 22,
}

/// <summary>A parsed reference-data file: the change, and the file and line of each row (for rule messages).</summary>
public sealed record ParsedReferenceFile(ReferenceChanges Changes, IReadOnlyList<string> Locations);

/// <summary>
/// Reads reference-data files, CSV (header row) or JSON (an array of objects with the same field
/// names). Column sets are in docs/reference/formats.md. This layer checks shape and types
/// (numbers, dates, enumerations); identifier and cross-reference rules are the domain's.
/// </summary>
public static class ReferenceDataFile
{
    /// <summary>CLI words for each kind.</summary>
    public static IReadOnlyDictionary<string, ReferenceKind> KindNames { get; } = new Dictionary<string, ReferenceKind>(StringComparer.Ordinal)
    {
        ["currencies"] = ReferenceKind.Currencies,
        ["markets"] = ReferenceKind.Markets,
        ["instruments"] = ReferenceKind.Instruments,
        ["parties"] = ReferenceKind.Parties,
        ["client-accounts"] = ReferenceKind.ClientAccounts,
        ["books"] = ReferenceKind.Books,
        ["ledger-accounts"] = ReferenceKind.LedgerAccounts,
        ["fee-rules"] = ReferenceKind.FeeRules,
        ["ssis"] = ReferenceKind.SettlementInstructions,
        ["prices"] = ReferenceKind.Prices,
        ["fx-rates"] = ReferenceKind.FxRates,
        ["interest-rates"] = ReferenceKind.InterestRates,
        ["splits"] = ReferenceKind.Splits,
        ["netting-agreements"] = ReferenceKind.NettingAgreements,
        ["close-out-rules"] = ReferenceKind.CloseOutRules,
        ["central-bank-rates"] = ReferenceKind.CentralBankRates,
        ["penalty-rates"] = ReferenceKind.PenaltyRates,
        ["statement-accounts"] = ReferenceKind.StatementAccounts,
        ["mifir-firm"] = ReferenceKind.MifirFirm,
        ["mifir-clients"] = ReferenceKind.MifirClients,
        ["restricted-list"] = ReferenceKind.RestrictedList,
        ["trading-limits"] = ReferenceKind.TradingLimits,
    };

    /// <summary>Columns that every file of a kind must have; the others in <see cref="Columns"/> may be left out.</summary>
    public static IReadOnlyDictionary<ReferenceKind, string[]> RequiredColumns { get; } = new Dictionary<ReferenceKind, string[]>
    {
        [ReferenceKind.Currencies] = ["code", "numeric_code", "minor_units", "name"],
        [ReferenceKind.Markets] = ["mic", "name", "country"],
        [ReferenceKind.Instruments] = ["isin", "name", "asset_class", "currency", "listing_mic"],
        [ReferenceKind.Parties] = ["lei", "name", "role"],
        [ReferenceKind.ClientAccounts] = ["code", "name", "party_lei", "base_currency", "branch", "status", "opened_on"],
        [ReferenceKind.Books] = ["code", "name", "type", "base_currency"],
        [ReferenceKind.LedgerAccounts] = ["code", "name", "type"],
        [ReferenceKind.FeeRules] = ["id", "code", "kind", "method", "rate", "currency", "effective_from"],
        [ReferenceKind.SettlementInstructions] = ["id", "counterparty", "place_of_settlement", "depository_account", "agent_bic", "effective_from"],
        [ReferenceKind.Prices] = ["date", "instrument", "price", "currency", "source"],
        [ReferenceKind.FxRates] = ["date", "base", "quote", "rate", "source"],
        [ReferenceKind.InterestRates] = ["id", "currency", "side", "tier_from", "rate", "day_count", "effective_from"],
        [ReferenceKind.Splits] = ["instrument", "ex_date", "ratio", "source"],
        [ReferenceKind.NettingAgreements] = ["counterparty", "effective_from"],
        [ReferenceKind.CloseOutRules] = ["name", "business_days"],
        [ReferenceKind.CentralBankRates] = ["currency", "effective_from", "rate", "source"],
        [ReferenceKind.PenaltyRates] = ["category", "effective_from", "rate"],
        [ReferenceKind.StatementAccounts] = ["account", "source", "kind", "ledger_account", "name"],
        [ReferenceKind.MifirFirm] = ["executing_entity_lei", "branch_country", "execution", "reporting_from"],
        [ReferenceKind.MifirClients] = ["account", "id_type", "id"],
        [ReferenceKind.RestrictedList] = ["isin", "from", "reason"],
        [ReferenceKind.TradingLimits] = ["account", "instrument"],
    };

    /// <summary>All columns per kind, in documented order (optional columns may be left empty or out).</summary>
    public static IReadOnlyDictionary<ReferenceKind, string[]> Columns { get; } = new Dictionary<ReferenceKind, string[]>
    {
        [ReferenceKind.Currencies] = ["code", "numeric_code", "minor_units", "name"],
        [ReferenceKind.Markets] = ["mic", "name", "country"],
        [ReferenceKind.Instruments] =
        [
            "isin", "name", "asset_class", "currency", "listing_mic", "cusip", "sedol", "ticker", "settlement_cycle_days", "quantity_scale",
            "coupon_rate", "coupon_frequency", "day_count", "dated_date", "first_coupon_date", "maturity_date", "end_of_month", "csdr_category",
        ],
        [ReferenceKind.Parties] = ["lei", "name", "role", "bic"],
        [ReferenceKind.ClientAccounts] = ["code", "name", "party_lei", "base_currency", "branch", "status", "opened_on", "lot_method"],
        [ReferenceKind.Books] = ["code", "name", "type", "base_currency"],
        [ReferenceKind.LedgerAccounts] = ["code", "name", "type", "control_account", "open"],
        [ReferenceKind.FeeRules] =
        [
            "id", "code", "kind", "method", "rate", "currency", "effective_from", "effective_to", "account", "market", "asset_class", "issuer_country",
            "side", "minimum", "maximum", "rounding", "ledger_account",
        ],
        [ReferenceKind.SettlementInstructions] = ["id", "counterparty", "market", "asset_class", "place_of_settlement", "depository_account", "agent_bic", "effective_from", "payment"],
        [ReferenceKind.Prices] = ["date", "instrument", "price", "currency", "source"],
        [ReferenceKind.FxRates] = ["date", "base", "quote", "rate", "source"],
        [ReferenceKind.InterestRates] = ["id", "currency", "side", "tier_from", "rate", "day_count", "effective_from", "effective_to"],
        [ReferenceKind.Splits] = ["instrument", "ex_date", "ratio", "source"],
        [ReferenceKind.NettingAgreements] = ["counterparty", "effective_from", "effective_to"],
        [ReferenceKind.CloseOutRules] = ["name", "market", "category", "asset_class", "business_days"],
        [ReferenceKind.CentralBankRates] = ["currency", "effective_from", "rate", "source"],
        [ReferenceKind.PenaltyRates] = ["category", "effective_from", "rate"],
        [ReferenceKind.StatementAccounts] =
            ["account", "source", "kind", "ledger_account", "currency", "name", "amount_tolerance", "date_tolerance_days", "match_by_reference", "group_max"],
        [ReferenceKind.MifirFirm] = ["executing_entity_lei", "submitting_entity_lei", "branch_country", "investment_decision", "execution", "reporting_from"],
        [ReferenceKind.MifirClients] = ["account", "id_type", "id", "first_name", "surname", "birth_date", "branch_country", "decision_maker_lei", "discretionary"],
        [ReferenceKind.RestrictedList] = ["isin", "from", "to", "reason"],
        [ReferenceKind.TradingLimits] = ["account", "instrument", "max_position", "max_concentration"],
    };

    /// <summary>Parses a CSV or JSON file (chosen by <paramref name="isJson"/>) of one kind.</summary>
    public static Result<ParsedReferenceFile> Parse(ReferenceKind kind, string source, string text, bool isJson)
    {
        Result<List<Row>> rows = isJson ? JsonRows(source, text) : CsvRows(source, text, RequiredColumns[kind]);
        if (rows.Rejection is { } rejection)
        {
            return rejection;
        }
        try
        {
            List<Row> list = rows.Value;
            ReferenceChanges changes = kind switch
            {
                ReferenceKind.Currencies => new ReferenceChanges { Currencies = rows.Value.Select(ToCurrency).ToList() },
                ReferenceKind.Markets => new ReferenceChanges { Markets = rows.Value.Select(r => new Market(r.Text("mic"), r.Text("name"), r.Text("country"))).ToList() },
                ReferenceKind.Instruments => new ReferenceChanges { Instruments = rows.Value.Select(ToInstrument).ToList() },
                ReferenceKind.Parties => new ReferenceChanges { Parties = rows.Value.Select(r => new Party(r.Text("lei"), r.Text("name"), r.Enum<PartyRole>("role"), r.Optional("bic"))).ToList() },
                ReferenceKind.ClientAccounts => new ReferenceChanges { ClientAccounts = rows.Value.Select(ToClientAccount).ToList() },
                ReferenceKind.Books => new ReferenceChanges { Books = rows.Value.Select(r => new Book(r.Text("code"), r.Text("name"), r.Enum<BookType>("type"), r.Text("base_currency"))).ToList() },
                ReferenceKind.LedgerAccounts => new ReferenceChanges { LedgerAccounts = rows.Value.Select(ToLedgerAccount).ToList() },
                ReferenceKind.FeeRules => new ReferenceChanges { FeeRules = rows.Value.Select(ToFeeRule).ToList() },
                ReferenceKind.SettlementInstructions => new ReferenceChanges { SettlementInstructions = rows.Value.Select(ToSettlementInstruction).ToList() },
                ReferenceKind.Prices => new ReferenceChanges
                {
                    Prices = rows.Value.Select(r => new Price(r.Text("instrument"), r.Date("date"), r.Decimal("price"), r.Text("currency"), r.Text("source"))).ToList(),
                },
                ReferenceKind.InterestRates => new ReferenceChanges
                {
                    InterestRates = rows.Value.Select(r => new Domain.Interest.InterestRate(r.Text("id"), r.Text("currency"), r.Enum<Domain.Interest.InterestSide>("side"),
                        r.Decimal("tier_from"), r.Decimal("rate"), r.Text("day_count"), r.Date("effective_from"),
                        r.Optional("effective_to") is null ? null : r.Date("effective_to"))).ToList(),
                },
                ReferenceKind.FxRates => new ReferenceChanges
                {
                    FxRates = rows.Value.Select(r => new FxRate(r.Text("base"), r.Text("quote"), r.Date("date"), r.Decimal("rate"), r.Text("source"))).ToList(),
                },
                ReferenceKind.NettingAgreements => new ReferenceChanges
                {
                    NettingAgreements = rows.Value.Select(r => new NettingAgreement(r.Text("counterparty"), r.Date("effective_from"),
                        r.Optional("effective_to") is null ? null : r.Date("effective_to"))).ToList(),
                },
                ReferenceKind.Splits => new ReferenceChanges
                {
                    Splits = rows.Value.Select(r => new StockSplit(r.Text("instrument"), r.Date("ex_date"), r.Ratio("ratio"), r.Text("source"))).ToList(),
                },
                ReferenceKind.CloseOutRules => new ReferenceChanges
                {
                    CloseOutRules = rows.Value.Select(r => new CloseOutRule(r.Text("name"), r.Optional("market"),
                        r.Optional("category") is null ? null : r.Category("category"),
                        r.Optional("asset_class") is null ? null : r.Enum<AssetClass>("asset_class"), r.Integer("business_days"))).ToList(),
                },
                ReferenceKind.CentralBankRates => new ReferenceChanges
                {
                    CentralBankRates = rows.Value.Select(r => new CentralBankRate(r.Text("currency"), r.Date("effective_from"), r.Decimal("rate"), r.Text("source"))).ToList(),
                },
                ReferenceKind.PenaltyRates => new ReferenceChanges
                {
                    PenaltyRates = rows.Value.Select(r => new PenaltyRate(r.Category("category"), r.Date("effective_from"), r.Decimal("rate"))).ToList(),
                },
                ReferenceKind.StatementAccounts => new ReferenceChanges { StatementAccounts = rows.Value.Select(ToStatementAccount).ToList() },
                ReferenceKind.MifirFirm => new ReferenceChanges { MifirFirms = rows.Value.Select(ToMifirFirm).ToList() },
                ReferenceKind.MifirClients => new ReferenceChanges { MifirClients = rows.Value.Select(ToMifirClient).ToList() },
                ReferenceKind.RestrictedList => new ReferenceChanges
                {
                    RestrictedList = rows.Value.Select(r => new Domain.Compliance.RestrictedInstrument(r.Text("isin"), r.Date("from"),
                        r.Optional("to") is null ? null : r.Date("to"), r.Text("reason"))).ToList(),
                },
                ReferenceKind.TradingLimits => new ReferenceChanges
                {
                    TradingLimits = rows.Value.Select(r => new Domain.Compliance.TradingLimit(r.Text("account"), r.Text("instrument"),
                        r.Optional("max_position") is null ? null : r.Decimal("max_position"),
                        r.Optional("max_concentration") is null ? null : r.Decimal("max_concentration"))).ToList(),
                },
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            return new ParsedReferenceFile(changes, list.Select(r => r.Location).ToList());
        }
        catch (FieldException e)
        {
            return e.Rejection;
        }
    }

    /// <summary>The CSDR penalty categories by their names, as the penalty-day file writes them, in the Annex's order.</summary>
    private static readonly IReadOnlyDictionary<string, PenaltyAssetClass> s_penaltyCategories = new Dictionary<string, PenaltyAssetClass>(StringComparer.Ordinal)
    {
        ["SHARE_LIQUID"] = PenaltyAssetClass.ShareLiquid,
        ["SHARE_ILLIQUID"] = PenaltyAssetClass.ShareIlliquid,
        ["SME_NON_DEBT"] = PenaltyAssetClass.SmeNonDebt,
        ["SOVEREIGN_DEBT"] = PenaltyAssetClass.SovereignDebt,
        ["OTHER_DEBT"] = PenaltyAssetClass.OtherDebt,
        ["SME_DEBT"] = PenaltyAssetClass.SmeDebt,
        ["OTHER"] = PenaltyAssetClass.Other,
    };

    private static Domain.Reconciliation.StatementAccount ToStatementAccount(Row r) =>
        new(r.Text("account"), r.Text("source"), r.Enum<Domain.Reconciliation.StatementKind>("kind"), r.Text("ledger_account"), r.Optional("currency"), r.Text("name"),
            new Domain.Reconciliation.CashRules(r.Optional("amount_tolerance") is null ? 0m : r.Decimal("amount_tolerance"),
                r.Optional("date_tolerance_days") is null ? 0 : r.Integer("date_tolerance_days"), r.Boolean("match_by_reference", true),
                r.Optional("group_max") is null ? 3 : r.Integer("group_max")));

    private static Domain.Compliance.TransactionReporting.MifirFirm ToMifirFirm(Row r)
    {
        string executing = r.Text("executing_entity_lei");
        return new Domain.Compliance.TransactionReporting.MifirFirm(executing, r.Optional("submitting_entity_lei") ?? executing, r.Text("branch_country"),
            r.Optional("investment_decision") is null ? null : r.WithinFirm("investment_decision"), r.WithinFirm("execution"), r.Date("reporting_from"));
    }

    private static Domain.Compliance.TransactionReporting.MifirClient ToMifirClient(Row r) =>
        new(r.Text("account"),
            Domain.Compliance.TransactionReporting.MifirCodes.ParseScheme(r.Text("id_type"))
                ?? throw r.Error("field.enumeration", $"id_type must be one of LEI, NIDN, CCPT, CONCAT, not '{r.Text("id_type")}'"),
            r.Text("id"), r.Optional("first_name"), r.Optional("surname"), r.Optional("birth_date") is null ? null : r.Date("birth_date"),
            r.Optional("branch_country"), r.Optional("decision_maker_lei"), r.Boolean("discretionary", defaultValue: false));

    private static Currency ToCurrency(Row r) => new(r.Text("code"), r.Integer("numeric_code"), r.Integer("minor_units"), r.Text("name"));

    private static Instrument ToInstrument(Row r) => new(r.Text("isin"), r.Text("name"), r.Enum<AssetClass>("asset_class"), r.Text("currency"),
        r.Text("listing_mic"), r.Optional("cusip"), r.Optional("sedol"), r.Optional("ticker"),
        r.Optional("settlement_cycle_days") is null ? null : r.Integer("settlement_cycle_days"),
        r.Optional("quantity_scale") is null ? 0 : r.Integer("quantity_scale"))
    {
        // A coupon rate makes the row a fixed-rate bond: then every coupon term is required.
        Bond = r.Optional("coupon_rate") is null ? null : new BondTerms(r.Decimal("coupon_rate"), r.Integer("coupon_frequency"), r.Text("day_count"),
            r.Date("dated_date"), r.Date("first_coupon_date"), r.Date("maturity_date"), r.Boolean("end_of_month", defaultValue: false)),
        // Left out or empty: no category of its own, so one derived from the asset class applies.
        CsdrCategory = r.Optional("csdr_category") is null ? null : r.Category("csdr_category"),
    };

    private static ClientAccount ToClientAccount(Row r)
    {
        ParseResult<NodaTime.LocalDate> opened = LocalDatePattern.Iso.Parse(r.Text("opened_on"));
        if (!opened.Success)
        {
            throw r.Error("field.date", "opened_on must be a date as yyyy-MM-dd");
        }
        return new ClientAccount(r.Text("code"), r.Text("name"), r.Text("party_lei"), r.Text("base_currency"), r.Text("branch"),
            r.Enum<ClientAccountStatus>("status"), opened.Value)
        {
            LotMethod = r.Optional("lot_method") is null ? Domain.Lots.LotMethod.Fifo : r.Enum<Domain.Lots.LotMethod>("lot_method"),
        };
    }

    private static LedgerAccountDefinition ToLedgerAccount(Row r)
    {
        string open = r.Optional("open") ?? "true";
        if (open is not ("true" or "false"))
        {
            throw r.Error("field.boolean", "open must be true or false");
        }
        return new LedgerAccountDefinition(r.Text("code"), r.Text("name"), r.Enum<LedgerAccountType>("type"), r.Optional("control_account"), open == "true");
    }

    private static Domain.Trading.FeeRule ToFeeRule(Row r) => new()
    {
        Id = r.Text("id"),
        Code = r.Text("code"),
        Kind = r.Enum<Domain.Trading.FeeKind>("kind"),
        Method = r.Enum<Domain.Trading.FeeMethod>("method"),
        Rate = r.Decimal("rate"),
        Currency = r.Text("currency"),
        EffectiveFrom = r.Date("effective_from"),
        EffectiveTo = r.Optional("effective_to") is null ? null : r.Date("effective_to"),
        Account = r.Optional("account"),
        Market = r.Optional("market"),
        AssetClass = r.Optional("asset_class") is null ? null : r.Enum<AssetClass>("asset_class"),
        IssuerCountry = r.Optional("issuer_country"),
        Side = r.Optional("side") is null ? null : r.Enum<Domain.Trading.TradeSide>("side"),
        Minimum = r.Optional("minimum") is null ? null : r.Decimal("minimum"),
        Maximum = r.Optional("maximum") is null ? null : r.Decimal("maximum"),
        Rounding = r.Optional("rounding") is null ? Domain.Trading.FeeRounding.Nearest : r.Enum<Domain.Trading.FeeRounding>("rounding"),
        LedgerAccount = r.Optional("ledger_account"),
    };

    private static Domain.Trading.StandingSettlementInstruction ToSettlementInstruction(Row r) => new(
        r.Text("id"), r.Text("counterparty"), r.Optional("market"), r.Optional("asset_class") is null ? null : r.Enum<AssetClass>("asset_class"),
        r.Text("place_of_settlement"), r.Text("depository_account"), r.Text("agent_bic"), r.Date("effective_from"))
    {
        // APMT (against payment, the default) or FREE, the ISO 20022 payment codes.
        FreeOfPayment = r.Optional("payment")?.ToUpperInvariant() switch
        {
            null or "APMT" => false,
            "FREE" => true,
            _ => throw r.Error("field.enumeration", $"payment must be APMT or FREE, not '{r.Optional("payment")}'"),
        },
    };

    private static Result<List<Row>> CsvRows(string source, string text, string[] columns)
    {
        Result<CsvTable> table = CsvTable.Parse(source, text, columns);
        if (table.Rejection is { } rejection)
        {
            return rejection;
        }
        return table.Value.Rows.Select(row => new Row($"{source}:{row.Line}", column => row[column])).ToList();
    }

    private static Result<List<Row>> JsonRows(string source, string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new Rejection("json.shape", "a reference-data JSON file is an array of objects", source);
            }
            var rows = new List<Row>();
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                string location = $"{source}: item {rows.Count + 1}";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    return new Rejection("json.shape", "each item must be an object", location);
                }
                Dictionary<string, string> fields = item.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Null => "",
                    _ => p.Value.GetRawText(),
                }, StringComparer.Ordinal);
                rows.Add(new Row(location, column => fields.GetValueOrDefault(column, "")));
            }
            return rows;
        }
        catch (JsonException e)
        {
            return new Rejection("json.syntax", e.Message, source);
        }
    }

    private sealed class Row(string location, Func<string, string> field)
    {
        public string Location => location;

        public string Text(string column)
        {
            string value = field(column).Trim();
            return value.Length > 0 ? value : throw Error("field.required", $"{column} is required");
        }

        public string? Optional(string column) => field(column).Trim() is { Length: > 0 } value ? value : null;

        public int Integer(string column) =>
            int.TryParse(Text(column), NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw Error("field.integer", $"{column} must be a whole number, not '{field(column)}'");

        public decimal Decimal(string column) =>
            decimal.TryParse(Text(column), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
                ? value
                : throw Error("field.decimal", $"{column} must be a decimal number such as 0.0278, not '{field(column)}'");

        public bool Boolean(string column, bool defaultValue) => (Optional(column) ?? (defaultValue ? "true" : "false")) switch
        {
            "true" => true,
            "false" => false,
            _ => throw Error("field.boolean", $"{column} must be true or false"),
        };

        public NodaTime.LocalDate Date(string column) =>
            LocalDatePattern.Iso.Parse(Text(column)) is { Success: true } parsed
                ? parsed.Value
                : throw Error("field.date", $"{column} must be a date as yyyy-MM-dd, not '{field(column)}'");

        public T Enum<T>(string column) where T : struct, System.Enum
        {
            string text = Text(column);
            string pascal = string.Concat(text.Split('-', '_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
            return System.Enum.TryParse(pascal, ignoreCase: false, out T value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0])
                ? value
                : throw Error("field.enumeration", $"{column} must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(Kebab))}, not '{text}'");
        }

        /// <summary>A CSDR penalty category by its name in the penalty-day file (SHARE_LIQUID, ...); case and hyphen or underscore do not matter.</summary>
        public PenaltyAssetClass Category(string column) =>
            s_penaltyCategories.TryGetValue(Text(column).ToUpperInvariant().Replace('-', '_'), out PenaltyAssetClass value)
                ? value
                : throw Error("field.enumeration", $"{column} must be one of {string.Join(", ", s_penaltyCategories.Keys)}, not '{field(column)}'");

        public Domain.Lots.SplitRatio Ratio(string column) =>
            Domain.Lots.SplitRatio.Parse(Text(column)) is { IsAccepted: true } parsed
                ? parsed.Value
                : throw Error("field.ratio", $"{column} must be new:old with positive numbers, such as 2:1 or 1:10, not '{field(column)}'");

        /// <summary>A person or algorithm within the firm: ALGO:code, or CONCAT|NIDN|CCPT:id@country.</summary>
        public Domain.Compliance.TransactionReporting.WithinFirm WithinFirm(string column) =>
            Domain.Compliance.TransactionReporting.WithinFirm.TryParse(Text(column), out Domain.Compliance.TransactionReporting.WithinFirm? value, out string reason)
                ? value!
                : throw Error("field.within-firm", $"{column}: {reason}");

        public FieldException Error(string rule, string message) => new(new Rejection(rule, message, location));

        private static string Kebab(string name) =>
            string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }

    private sealed class FieldException(Rejection rejection) : Exception(rejection.ToString())
    {
        public Rejection Rejection { get; } = rejection;
    }
}

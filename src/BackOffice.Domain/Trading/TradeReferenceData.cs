using BackOffice.Domain.ReferenceData;

namespace BackOffice.Domain.Trading;

/// <summary>
/// The reference data trade capture reads, indexed for lookups: instruments by each identifier,
/// client accounts, counterparties, currencies, markets, fee rules and SSIs. Built once per import
/// or session from the store; immutable, so it can be shared by threads.
/// </summary>
public sealed class TradeReferenceData
{
    private readonly Dictionary<string, Instrument> _byIsin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Instrument> _byCusip = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Instrument> _bySedol = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ticker, string Mic), Instrument> _byTicker = new();
    private readonly Dictionary<string, List<FeeRule>> _feeRulesByCurrency = new(StringComparer.Ordinal);

    public TradeReferenceData(
        IEnumerable<Instrument> instruments,
        IEnumerable<ClientAccount> clientAccounts,
        IEnumerable<Party> parties,
        IEnumerable<Currency> currencies,
        IEnumerable<Market> markets,
        IEnumerable<FeeRule> feeRules,
        IEnumerable<StandingSettlementInstruction> settlementInstructions)
    {
        foreach (Instrument instrument in instruments)
        {
            _byIsin[instrument.Isin] = instrument;
            if (instrument.Cusip is { } cusip)
            {
                _byCusip[cusip] = instrument;
            }
            if (instrument.Sedol is { } sedol)
            {
                _bySedol[sedol] = instrument;
            }
            if (instrument.Ticker is { } ticker)
            {
                _byTicker[(ticker, instrument.ListingMic)] = instrument;
            }
        }
        ClientAccounts = clientAccounts.ToDictionary(a => a.Code, StringComparer.Ordinal);
        Parties = parties.ToDictionary(p => p.Lei, StringComparer.Ordinal);
        Currencies = currencies.ToDictionary(c => c.Code, StringComparer.Ordinal);
        Markets = markets.ToDictionary(m => m.Mic, StringComparer.Ordinal);
        foreach (FeeRule rule in feeRules)
        {
            if (!_feeRulesByCurrency.TryGetValue(rule.Currency, out List<FeeRule>? list))
            {
                _feeRulesByCurrency[rule.Currency] = list = [];
            }
            list.Add(rule);
        }
        SettlementInstructions = settlementInstructions.GroupBy(s => s.Counterparty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<StandingSettlementInstruction>)g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>Every instrument, by ISIN.</summary>
    public IReadOnlyDictionary<string, Instrument> Instruments => _byIsin;

    public IReadOnlyDictionary<string, ClientAccount> ClientAccounts { get; }
    public IReadOnlyDictionary<string, Party> Parties { get; }
    public IReadOnlyDictionary<string, Currency> Currencies { get; }
    public IReadOnlyDictionary<string, Market> Markets { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<StandingSettlementInstruction>> SettlementInstructions { get; }

    /// <summary>Fee rules in one currency (a rule applies only to trades in its currency).</summary>
    public IReadOnlyList<FeeRule> FeeRules(string currency) =>
        _feeRulesByCurrency.TryGetValue(currency, out List<FeeRule>? list) ? list : [];

    /// <summary>The instrument a source named, or null. A ticker is looked up on <paramref name="mic"/>.</summary>
    public Instrument? FindInstrument(InstrumentReference reference, string? mic) => reference.Type switch
    {
        InstrumentIdType.Isin => _byIsin.GetValueOrDefault(reference.Value),
        InstrumentIdType.Cusip => _byCusip.GetValueOrDefault(reference.Value),
        InstrumentIdType.Sedol => _bySedol.GetValueOrDefault(reference.Value),
        InstrumentIdType.Ticker => mic is null ? null : _byTicker.GetValueOrDefault((reference.Value, mic)),
        _ => null,
    };

    /// <summary>The instrument with this ISIN, or null.</summary>
    public Instrument? FindByIsin(string isin) => _byIsin.GetValueOrDefault(isin);
}

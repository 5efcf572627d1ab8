using System.Globalization;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;
using BackOffice.Domain.ReferenceData.Identifiers;
using BackOffice.Domain.Trading;

namespace BackOffice.Domain.Compliance.TransactionReporting;

/// <summary>Where a report stands with the regulator, from its feedback.</summary>
public enum ReportStatus
{
    /// <summary>Written into a file; no feedback yet.</summary>
    Sent = 1,

    /// <summary>RCVD: received, not yet validated.</summary>
    Received = 2,

    /// <summary>PDNG: held, for example until the instrument is in the reference data (FIRDS); re-validated later.</summary>
    Pending = 3,

    /// <summary>ACPT (or ACPD, WARN): accepted.</summary>
    Accepted = 4,

    /// <summary>RJCT (or RJPD): rejected, with the validation rule that failed; the next run sends it again.</summary>
    Rejected = 5,
}

/// <summary>A record already sent for a trade, as stored: what it did and where it stands.</summary>
public sealed record SentRecord(long Id, long TradeId, int Version, string TransactionId, ReportAction Action, ReportStatus Status);

/// <summary>The report a trade has with the regulator: its transaction reference and the version it describes.</summary>
public sealed record StandingReport(string TransactionId, int Version);

/// <summary>A trade that cannot be reported as the books stand, and why (the rule, and the trade, version and field).</summary>
public sealed record ReportingException(long TradeId, int Version, Rejection Why);

/// <summary>What a run sends: cancellations first, then new reports, in trade order; and the trades it cannot report.</summary>
public sealed record ReportPlan(IReadOnlyList<ReportRecord> Records, IReadOnlyList<ReportingException> Exceptions);

/// <summary>The reference data the planner reads: the firm, its clients' identities, accounts, instruments and venues.</summary>
public sealed record ReportingContext(MifirFirm Firm, IReadOnlyDictionary<string, MifirClient> Clients, IReadOnlyDictionary<string, ClientAccount> Accounts,
    IReadOnlyDictionary<string, Instrument> Instruments, IReadOnlyDictionary<string, Market> Markets);

/// <summary>
/// MiFIR transaction reporting (RTS 22) as a pure decision: from the latest version of each trade
/// and the reports already standing for them, which records to send. A trade with no standing
/// report gets a new one; a trade corrected since its report gets the old report cancelled and a
/// new one for the correction; a busted trade gets its report cancelled; a report the regulator
/// rejected counts as never sent, so the trade is reported again. Each version of a trade has its
/// own transaction reference (<see cref="TransactionId"/>), so a correction never reuses a
/// reference still standing.
/// </summary>
public static class ReportPlanner
{
    /// <summary>The transaction reference number (field 2) of a trade's version: T, the trade id, V, the version.</summary>
    public static string TransactionId(long tradeId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"T{tradeId}V{version}");

    /// <summary>
    /// The report standing for each trade after the records sent so far (oldest first): a new
    /// report not rejected stands until a cancellation not rejected removes it.
    /// </summary>
    public static IReadOnlyDictionary<long, StandingReport> Standing(IEnumerable<SentRecord> sent)
    {
        var standing = new Dictionary<long, StandingReport>();
        foreach (SentRecord r in sent.OrderBy(r => r.Id))
        {
            if (r.Status == ReportStatus.Rejected)
            {
                continue;
            }
            if (r.Action == ReportAction.New)
            {
                standing[r.TradeId] = new StandingReport(r.TransactionId, r.Version);
            }
            else
            {
                standing.Remove(r.TradeId);
            }
        }
        return standing;
    }

    /// <summary>
    /// True when a trade in <paramref name="instrument"/> on <paramref name="venue"/> is reportable:
    /// a share, fund unit or bond listed on, or traded on, a venue in the EEA.
    /// </summary>
    public static bool IsReportable(Instrument instrument, IReadOnlyDictionary<string, Market> markets, string venue)
    {
        bool eea = (markets.TryGetValue(instrument.ListingMic, out Market? listing) && MifirCodes.EeaCountries.Contains(listing.CountryCode))
            || (markets.TryGetValue(venue, out Market? traded) && MifirCodes.EeaCountries.Contains(traded.CountryCode));
        return eea;
    }

    /// <summary>True when a sale of <paramref name="instrument"/> carries the short-selling indicator: shares, fund units and sovereign debt.</summary>
    public static bool CarriesShortSelling(Instrument instrument) =>
        instrument.AssetClass is AssetClass.Equity or AssetClass.Fund
        || (instrument.AssetClass == AssetClass.Debt && instrument.CsdrCategory == Settlement.PenaltyAssetClass.SovereignDebt);

    /// <summary>
    /// The records to send for <paramref name="trades"/> (the latest version of each, any status),
    /// given what stands (<see cref="Standing"/>) and the short-selling flags of sales by trade id
    /// (<see cref="ShortSales.Flags"/>; a sale without one is UNDI).
    /// </summary>
    public static ReportPlan Plan(IEnumerable<TradeVersion> trades, IReadOnlyDictionary<long, StandingReport> standing, ReportingContext context,
        IReadOnlyDictionary<long, ShortSelling> shortFlags)
    {
        var cancels = new List<ReportRecord>();
        var news = new List<ReportRecord>();
        var exceptions = new List<ReportingException>();
        foreach (TradeVersion v in trades.OrderBy(t => t.TradeId))
        {
            standing.TryGetValue(v.TradeId, out StandingReport? current);
            bool wanted = v.Status == TradeStatus.Active && v.TradeDate >= context.Firm.ReportingFrom
                && context.Instruments.TryGetValue(v.Isin, out Instrument? instrument) && IsReportable(instrument, context.Markets, v.Market);
            if (current is not null && current.Version == v.Version && wanted)
            {
                continue;
            }
            if (current is not null)
            {
                cancels.Add(ReportRecord.Cancellation(current.TransactionId, v.TradeId, current.Version));
            }
            if (!wanted)
            {
                continue;
            }
            Result<TransactionReport> report = Build(v, context, shortFlags);
            if (report.Rejection is { } why)
            {
                exceptions.Add(new ReportingException(v.TradeId, v.Version, why));
            }
            else
            {
                news.Add(ReportRecord.Of(report.Value));
            }
        }
        return new ReportPlan([.. cancels, .. news], exceptions);
    }

    /// <summary>The new report for one active, reportable trade version, or the first field it cannot fill.</summary>
    public static Result<TransactionReport> Build(TradeVersion v, ReportingContext context, IReadOnlyDictionary<long, ShortSelling> shortFlags)
    {
        MifirFirm firm = context.Firm;
        string where = string.Create(CultureInfo.InvariantCulture, $"trade {v.TradeId} version {v.Version}");
        Instrument instrument = context.Instruments[v.Isin];
        if (v.ExecutedAt is not { } tradedAt)
        {
            return new Rejection("mifir.trading-time", "the trade has no execution time; field 28 needs the date and time in UTC", where + ", field 28");
        }
        if (instrument.AssetClass == AssetClass.Derivative)
        {
            return new Rejection("mifir.instrument", $"{v.Isin} is a derivative: its report needs fields 42 to 56, which are not filled yet", where + ", field 41");
        }
        if (!context.Accounts.TryGetValue(v.Account, out ClientAccount? account))
        {
            return new Rejection("mifir.account", $"account {v.Account} is not in the reference data", where + ", field 7");
        }
        if (Invalid(firm.ExecutingEntityLei, "executing entity", "4") is { } badFirm)
        {
            return badFirm.At(where);
        }
        if (Invalid(firm.SubmittingEntityLei, "submitting entity", "6") is { } badSubmitter)
        {
            return badSubmitter.At(where);
        }
        string ours = v.Side == TradeSide.Buy ? "7" : "16";
        string theirs = v.Side == TradeSide.Buy ? "16" : "7";
        TradingCapacity capacity;
        ReportedParty us;
        WithinFirm? decision = null;
        if (account.IsFirmBook)
        {
            capacity = TradingCapacity.Dealing;
            us = ReportedParty.Entity(firm.ExecutingEntityLei);
            decision = firm.InvestmentDecision;
            if (decision is null)
            {
                return new Rejection("mifir.investment-decision",
                    $"the firm dealt on own account (book {account.Code}) but the MiFIR firm settings name no investment decision maker", where + ", field 57");
            }
        }
        else
        {
            capacity = TradingCapacity.AnyOtherCapacity;
            Result<ReportedParty> client = Client(account, context, ours);
            if (client.Rejection is { } badClient)
            {
                return badClient.At(where);
            }
            us = client.Value;
            if (context.Clients.TryGetValue(account.Code, out MifirClient? row) && row.Discretionary)
            {
                decision = firm.InvestmentDecision;
                if (decision is null)
                {
                    return new Rejection("mifir.investment-decision",
                        $"the firm decides for account {account.Code} (discretionary) but the MiFIR firm settings name no investment decision maker", where + ", field 57");
                }
            }
        }
        if (Invalid(v.Counterparty, "counterparty", theirs) is { } badCounterparty)
        {
            return badCounterparty.At(where);
        }
        ReportedParty them = ReportedParty.Entity(v.Counterparty);
        bool onVenue = context.Markets.TryGetValue(v.Market, out Market? venue);
        if (onVenue && MifirCodes.EeaCountries.Contains(venue!.CountryCode) && v.VenueTransactionId is null)
        {
            return new Rejection("mifir.venue-transaction-id",
                $"the trade was executed on {v.Market}, an EEA venue, but carries no venue transaction id (FIX TrdMatchID, the trade file's venue_transaction_id)", where + ", field 3");
        }
        bool debt = instrument.AssetClass == AssetClass.Debt;
        ShortSelling? shortSelling = v.Side == TradeSide.Sell && CarriesShortSelling(instrument)
            ? shortFlags.GetValueOrDefault(v.TradeId, ShortSelling.Undisclosed)
            : null;
        return new TransactionReport
        {
            TransactionId = TransactionId(v.TradeId, v.Version),
            TradeId = v.TradeId,
            Version = v.Version,
            ExecutingEntity = firm.ExecutingEntityLei,
            SubmittingEntity = firm.SubmittingEntityLei,
            Buyer = v.Side == TradeSide.Buy ? us : them,
            Seller = v.Side == TradeSide.Buy ? them : us,
            TradedAt = tradedAt,
            Capacity = capacity,
            Quantity = v.Quantity,
            QuantityCurrency = debt ? v.Currency : null,
            Price = v.Price,
            PricePercentage = debt,
            PriceCurrency = v.Currency,
            NetAmount = debt ? v.Gross + v.AccruedInterest : null,
            Venue = onVenue ? v.Market : "XOFF",
            BranchCountry = onVenue ? firm.BranchCountry : null,
            VenueTransactionId = onVenue ? v.VenueTransactionId : null,
            Isin = v.Isin,
            InvestmentDecision = decision,
            Execution = firm.Execution,
            ShortSelling = shortSelling,
        };
    }

    private static Result<ReportedParty> Client(ClientAccount account, ReportingContext context, string field)
    {
        string branch = context.Firm.BranchCountry;
        if (!context.Clients.TryGetValue(account.Code, out MifirClient? row))
        {
            if (account.PartyLei.Length == 0)
            {
                return new Rejection("mifir.client-identity",
                    $"account {account.Code} has no holder LEI and no MiFIR client row; load one with refdata import --kind mifir-clients", "field " + field);
            }
            return Invalid(account.PartyLei, $"holder of account {account.Code}", field) is { } bad ? bad : ReportedParty.Entity(account.PartyLei, branch);
        }
        branch = row.BranchCountry ?? branch;
        if (row.DecisionMakerLei is { } maker && Invalid(maker, $"decision maker of account {account.Code}", field == "7" ? "12" : "21") is { } badMaker)
        {
            return badMaker;
        }
        if (row.Scheme == PersonIdScheme.Lei)
        {
            return Invalid(row.Id, $"client of account {account.Code}", field) is { } bad ? bad : ReportedParty.Entity(row.Id, branch, row.DecisionMakerLei);
        }
        if (row.FirstName is not { Length: > 0 } first || row.Surname is not { Length: > 0 } surname || row.BirthDate is not { } born)
        {
            return new Rejection("mifir.client-identity",
                $"account {account.Code} is a natural person ({MifirCodes.Scheme(row.Scheme)} {row.Id}) without first name, surname and date of birth",
                "field " + field);
        }
        return new ReportedParty(null, null, new ReportedPerson(first, surname, born, row.Id, row.Scheme), branch, row.DecisionMakerLei);
    }

    private static Rejection? Invalid(string lei, string who, string field)
    {
        ValidationResult valid = LeiRules.Validate(lei);
        return valid.IsValid ? null : new Rejection("mifir.lei", $"the {who}'s LEI '{lei}' is not valid: {valid.Reason}", "field " + field);
    }
}

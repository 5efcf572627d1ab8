using BackOffice.Domain.Settlement;
using BackOffice.Intake.Iso20022;
using NodaTime;

namespace BackOffice.Host.Tests;

/// <summary>
/// Instructions through their lifecycle on a real database: sent, matched, partially settled and
/// settled from the custodian's sese.024 and sese.025, each confirmation booking from pending
/// settlement to the depository and the bank; bad and unknown messages refused or parked with
/// nothing booked; a correction cancelling what it made stale; a fail at an EU CSD aging over the
/// TARGET2 Christmas holidays, accruing its penalties and compared with the CSD's report.
/// </summary>
public sealed class SettlementLifecycleCliTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";
    private const string Broker = "5493000DEMO0BROKER41";
    private const string Apple = "US0378331005";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    private static string Balance(CliResult balances, string account, string asset) =>
        balances.Lines.FirstOrDefault(l => l.StartsWith(account + "," + asset + ",", StringComparison.Ordinal))?.Split(',')[2] ?? "0";

    private static string Confirmation(string tx, bool delivery, decimal quantity, decimal amount, LocalDate on, decimal? remaining = null) =>
        Sese025.Write(new SettlementConfirmation(tx, "CUST-" + tx, delivery, true, Apple, quantity, false, amount, "USD", delivery, on, remaining is not null, remaining),
            "BACKOFFICE").Value;

    private static string Advice(string tx, MatchingStatus? matching, SettlementCondition? condition, string? reason) =>
        Sese024.Write(new StatusAdvice(tx, "CUST-" + tx, null, matching, condition, reason, null)).Value;

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Confirmations_move_instructions_and_book_settlement_once(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", Header + "\n" +
            $"T1,NEW,,BUY,{Apple},ISIN,XNAS,100,200,USD,C-1001,{Broker},2026-11-24\n" +
            $"T2,NEW,,SELL,{Apple},ISIN,XNAS,40,210,USD,C-1002,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        string outbox = Path.Combine(workspace.Directory, "out");
        CliResult instruct = await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox);
        Assert.True(instruct.Exit == 0, instruct.Error);
        Assert.Contains("2 instructions for 2026-11-25", instruct.Output, StringComparison.Ordinal);
        // Instructing again sends nothing new.
        Assert.Contains("0 instructions for 2026-11-25 written to out, 0 cancelled, 2 already sent",
            (await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox)).Output, StringComparison.Ordinal);
        CliResult status = await workspace.RunAsync("settlement", "status", "--date", "2026-11-25");
        Assert.StartsWith("BO1-1,sent,RVP,", status.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("BO2-1,sent,DVP,", status.Lines[2], StringComparison.Ordinal);

        var day = new LocalDate(2026, 11, 25);
        string matched = workspace.File("m1.xml", Advice("BO1-1", MatchingStatus.Matched, SettlementCondition.Pending, null));
        CliResult advised = await workspace.RunAsync("settlement", "status-import", "--date", "2026-11-25", matched);
        Assert.True(advised.Exit == 0, advised.Error);
        Assert.Contains("BO1-1: sent -> matched", advised.Output, StringComparison.Ordinal);

        // A partial settlement: 40 of 100 against 8,000.00.
        string part = workspace.File("c1.xml", Confirmation("BO1-1", delivery: false, 40m, 8000m, day, remaining: 60m));
        CliResult partial = await workspace.RunAsync("settlement", "status-import", part);
        Assert.True(partial.Exit == 0, partial.Error);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Equal("40", Balance(balances, "1100", Apple));
        Assert.Equal("-8000.00", Balance(balances, "1010", "USD"));
        // Pending with the broker: receive 100 less the 40 settled, deliver 40.
        Assert.Equal("20", Balance(balances, "1300." + Broker, Apple));
        Assert.Equal("-12000.00", Balance(balances, "2300." + Broker, "USD"));

        // More than is open books nothing and is parked; so is a confirmation of an instruction we never sent.
        string over = workspace.File("c-over.xml", Confirmation("BO1-1", delivery: false, 61m, 12200m, day));
        CliResult refused = await workspace.RunAsync("settlement", "status-import", over);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("c-over.xml: settlement.over-settled", refused.Error, StringComparison.Ordinal);
        string unknown = workspace.File("c-unknown.xml", Confirmation("BO9-1", delivery: false, 1m, 200m, day));
        CliResult stranger = await workspace.RunAsync("settlement", "status-import", unknown);
        Assert.Equal(1, stranger.Exit);
        Assert.Contains("settlement.unknown-instruction", stranger.Error, StringComparison.Ordinal);
        CliResult queue = await workspace.RunAsync("exceptions", "list");
        Assert.Contains(queue.Lines, l => l.Contains("sese.025", StringComparison.Ordinal) && l.Contains("settlement.over-settled", StringComparison.Ordinal));
        Assert.Contains(queue.Lines, l => l.Contains("BO9-1", StringComparison.Ordinal) && l.Contains("settlement.unknown-instruction", StringComparison.Ordinal));
        Assert.Equal(balances.Output, (await workspace.RunAsync("balances")).Output);
        // A parked settlement message is not a trade: it cannot be resubmitted as one, only discarded.
        string parkedId = queue.Lines.Single(l => l.Contains("BO9-1", StringComparison.Ordinal)).Split(',')[0];
        CliResult resubmit = await workspace.RunAsync("exceptions", "resubmit", parkedId);
        Assert.Equal(1, resubmit.Exit);
        Assert.Contains("exception.not-a-trade", resubmit.Error, StringComparison.Ordinal);
        string audit = (await workspace.RunAsync("audit", "verify")).Output;

        // Malformed XML and a DTD are refused before anything is recorded.
        string entity = workspace.File("c-dtd.xml", "<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document>&x;</Document>");
        string broken = workspace.File("c-broken.xml", "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:sese.025.001.11\"><SctiesSttlmTxConf>");
        CliResult bad = await workspace.RunAsync("settlement", "status-import", entity, broken);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("iso20022.dtd", bad.Error, StringComparison.Ordinal);
        Assert.Contains("c-broken.xml, line 1", bad.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", bad.Error, StringComparison.Ordinal);
        string afterBad = (await workspace.RunAsync("audit", "verify")).Output;
        Assert.Equal(audit, afterBad);

        // The rest, then the sale in full; the same file again is taken once.
        string rest = workspace.File("c2.xml", Confirmation("BO1-1", delivery: false, 60m, 12000m, day, remaining: 0m));
        string sale = workspace.File("c3.xml", Confirmation("BO2-1", delivery: true, 40m, 8400m, day));
        CliResult settled = await workspace.RunAsync("settlement", "status-import", rest, sale);
        Assert.True(settled.Exit == 0, settled.Error);
        Assert.Contains("BO1-1: partially-settled -> settled, 100 of 100 settled", settled.Output, StringComparison.Ordinal);
        Assert.Contains("(already taken)", (await workspace.RunAsync("settlement", "status-import", sale)).Output, StringComparison.Ordinal);
        balances = await workspace.RunAsync("balances");
        Assert.Equal("60", Balance(balances, "1100", Apple));
        Assert.Equal("-11600.00", Balance(balances, "1010", "USD"));
        foreach (string pending in new[] { "1300." + Broker + "," + Apple, "2300." + Broker + ",USD", "1310." + Broker + ",USD" })
        {
            Assert.DoesNotContain(balances.Lines, l => l.StartsWith(pending + ",", StringComparison.Ordinal));
        }

        CliResult history = await workspace.RunAsync("settlement", "status", "--tx", "BO1-1");
        Assert.Equal(["new,sent", "sent,matched", "matched,partially-settled", "partially-settled,settled"],
            history.Lines.Skip(1).Select(l => string.Join(',', l.Split(',')[2..4])));
        Assert.Contains("audit trail intact", (await workspace.RunAsync("audit", "verify")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_correction_after_netting_cancels_the_net_and_instructs_the_new_one(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string agreement = workspace.File("netting.csv", $"counterparty,effective_from\n{Broker},2026-01-01\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "netting-agreements", "--file", agreement)).Exit);
        string trades = workspace.File("day.csv", Header + "\n" +
            $"T1,NEW,,BUY,{Apple},ISIN,XNAS,100,200,USD,C-1001,{Broker},2026-11-24\n" +
            $"T2,NEW,,SELL,{Apple},ISIN,XNAS,60,201,USD,C-1002,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        string outbox = Path.Combine(workspace.Directory, "out");
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox)).Exit);
        string net = (await workspace.RunAsync("settlement", "status")).Lines[1];
        // Receive 40 and pay 7,940.00, one instruction for both trades.
        Assert.Matches("^N1-[0-9A-F]{4},sent,RVP,5493000DEMO0BROKER41,US0378331005,40,7940.00,pay,USD,", net);
        Assert.EndsWith(",1-1 2-1,0,0,,", net, StringComparison.Ordinal);
        string netId = net.Split(',')[0];
        string netXml = await File.ReadAllTextAsync(Path.Combine(outbox, netId + ".sese023.xml"));
        Assert.Null(Sese023.Validate(netXml));
        Assert.Contains("<Unit>40</Unit>", netXml, StringComparison.Ordinal);
        Assert.Contains("<CdtDbtInd>DBIT</CdtDbtInd>", netXml, StringComparison.Ordinal);

        string correction = workspace.File("correction.csv", Header + $"\nT2-C,CORRECT,T2,SELL,{Apple},ISIN,XNAS,70,201,USD,C-1002,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", correction)).Exit);
        CliResult again = await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox);
        Assert.Contains("1 instructions for 2026-11-25 written to out, 1 cancelled", again.Output, StringComparison.Ordinal);
        CliResult status = await workspace.RunAsync("settlement", "status");
        Assert.Contains(status.Lines, l => l.StartsWith(netId + ",cancelled,", StringComparison.Ordinal));
        string renet = Assert.Single(status.Lines, l => l.Contains(",sent,", StringComparison.Ordinal));
        Assert.NotEqual(netId, renet.Split(',')[0]);
        Assert.Contains(",30,5930.00,pay,USD,", renet, StringComparison.Ordinal);
        Assert.Contains(",1-1 2-2,", renet, StringComparison.Ordinal);
        string file = await File.ReadAllTextAsync(Path.Combine(outbox, "instructions.csv"));
        Assert.Contains(netId + ",cancelled,", file, StringComparison.Ordinal);
        // A confirmation of the cancelled net is refused and parked.
        var day = new LocalDate(2026, 11, 25);
        string late = workspace.File("late.xml", Sese025.Write(new SettlementConfirmation(netId, null, false, true, Apple, 40m, false, 7940m, "USD", false, day, false, null), "X").Value);
        CliResult refused = await workspace.RunAsync("settlement", "status-import", late);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("settlement.instruction-final", refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_fail_at_an_EU_CSD_ages_over_Christmas_and_accrues_penalties_the_CSD_is_checked_against(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n" +
            "2026-12-24,FR0000120271,56.00,EUR,Euronext close\n2026-12-28,FR0000120271,57.00,EUR,Euronext close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        // Bought in Paris on Tuesday 22 December, due at Euroclear France on Thursday 24th (T+2).
        string trades = workspace.File("day.csv", Header + "\n" + $"P1,NEW,,BUY,FR0000120271,ISIN,XPAR,300,55.20,EUR,C-1001,{Broker},2026-12-22\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-12-24", "--out", Path.Combine(workspace.Directory, "out"))).Exit);
        string failing = workspace.File("failing.xml", Sese024.Write(new StatusAdvice("BO1-1", null, null, MatchingStatus.Matched, SettlementCondition.Failing, "CLAC",
            "counterparty lacks securities")).Value);
        CliResult advised = await workspace.RunAsync("settlement", "status-import", "--date", "2026-12-24", failing);
        Assert.True(advised.Exit == 0, advised.Error);
        Assert.Contains("BO1-1: sent -> failed (CLAC)", advised.Output, StringComparison.Ordinal);

        // Monday 28th: the 25th and 26th are TARGET2 holidays and the 27th a Sunday: two business days failing, two penalty days.
        CliResult fails = await workspace.RunAsync("settlement", "fails", "--date", "2026-12-28");
        Assert.True(fails.Exit == 0, fails.Error);
        Assert.Equal("BO1-1,5493000DEMO0BROKER41,FR0000120271,RVP,2026-12-24,300,16560.00,EUR,CLAC,2,2-3,csdr-art7,2026-12-31,false,false", fails.Lines[1]);
        Assert.Contains("2 penalty days accrued", fails.Error, StringComparison.Ordinal);
        CliResult balances = await workspace.RunAsync("balances");
        // 300 x 56.00 x 1 bp = 1.68 and 300 x 57.00 x 1 bp = 1.71, due to us from the CSD.
        Assert.Equal("3.39", Balance(balances, "1500", "EUR"));
        Assert.Equal("-3.39", Balance(balances, "4400", "EUR"));
        // The next run accrues nothing twice.
        Assert.Contains("0 penalty days accrued", (await workspace.RunAsync("settlement", "fails", "--date", "2026-12-28")).Error, StringComparison.Ordinal);
        Assert.Equal(balances.Output, (await workspace.RunAsync("balances")).Output);
        Assert.Equal(["counterparty,currency,fails,open_quantity,open_amount,oldest_age", "5493000DEMO0BROKER41,EUR,1,300,16560.00,2"],
            (await workspace.RunAsync("settlement", "fails", "--date", "2026-12-28", "--by", "counterparty")).Lines);

        // The CSD agrees on the 24th and says 1.70 on the 28th: one break, parked for operations.
        string report = workspace.File("csd.csv", "tx_id,penalty_date,amount,currency\nBO1-1,2026-12-24,1.68,EUR\nBO1-1,2026-12-28,1.70,EUR\n");
        CliResult check = await workspace.RunAsync("settlement", "penalty-check", "--file", report);
        Assert.Equal(1, check.Exit);
        Assert.Equal(["tx_id,penalty_date,ours,csd,currency,difference", "BO1-1,2026-12-28,1.71,1.70,EUR,0.01"], check.Lines);
        Assert.Contains((await workspace.RunAsync("exceptions", "list")).Lines, l => l.Contains("settlement.penalty-break", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_match_after_the_settlement_date_accrues_late_matching_penalties_to_the_party_that_instructed_last()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n2026-12-24,FR0000120271,56.00,EUR,Euronext close\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "prices", "--file", prices)).Exit);
        string trades = workspace.File("day.csv", Header + "\n" + $"P1,NEW,,BUY,FR0000120271,ISIN,XPAR,300,55.20,EUR,C-1001,{Broker},2026-12-22\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-12-24", "--out", Path.Combine(workspace.Directory, "out"))).Exit);
        // We instructed on the 24th; the broker's instruction matched only on Monday 28th: the 24th is penalised (25th, 26th closed, 27th Sunday), in our favour.
        string matched = workspace.File("matched.xml", Sese024.Write(new StatusAdvice("BO1-1", null, null, MatchingStatus.Matched, SettlementCondition.Pending, null, null)).Value);
        CliResult advised = await workspace.RunAsync("settlement", "status-import", "--date", "2026-12-28", matched);
        Assert.True(advised.Exit == 0, advised.Error);
        Assert.Contains("BO1-1: sent -> matched, 1 late-matching penalty days accrued", advised.Output, StringComparison.Ordinal);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Equal("1.68", Balance(balances, "1500", "EUR"));
        Assert.Equal("2026-12-28", (await workspace.RunAsync("settlement", "status", "--tx", "BO1-1")).Lines[^1].Split(',')[1]);
        Assert.EndsWith(",,2026-12-28", (await workspace.RunAsync("settlement", "status")).Lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_shipped_samples_are_parked_as_strangers_and_book_once_they_name_our_instruction(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string samples = Path.Combine(AppContext.BaseDirectory, "iso20022");
        string advice = await File.ReadAllTextAsync(Path.Combine(samples, "sese.024.001.12_matched_failing.xml"));
        string confirmation = await File.ReadAllTextAsync(Path.Combine(samples, "sese.025.001.11_settled_delivery.xml"));
        // As shipped, they are about SI260302000123, which we never sent: both wait in the exceptions queue.
        CliResult strangers = await workspace.RunAsync("settlement", "status-import", "--date", "2026-03-04",
            workspace.File("advice.xml", advice), workspace.File("confirmation.xml", confirmation));
        Assert.Equal(1, strangers.Exit);
        Assert.Equal(2, (await workspace.RunAsync("exceptions", "list")).Lines.Count(l => l.Contains("SI260302000123", StringComparison.Ordinal)));

        // Our sale of the same 1,000 shares at 45.23 (EUR 45,230.00), instructed; the samples, naming it, fail it and then settle it a day late.
        string trades = workspace.File("day.csv", Header + "\n" + $"S1,NEW,,SELL,FR0000120271,ISIN,XPAR,1000,45.23,EUR,C-1001,{Broker},2026-03-02\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-03-04", "--out", Path.Combine(workspace.Directory, "out"))).Exit);
        string ours = workspace.File("advice-ours.xml", advice.Replace("SI260302000123", "BO1-1", StringComparison.Ordinal));
        CliResult failing = await workspace.RunAsync("settlement", "status-import", "--date", "2026-03-04", ours);
        Assert.True(failing.Exit == 0, failing.Error);
        Assert.Contains("BO1-1: sent -> failed (LACK)", failing.Output, StringComparison.Ordinal);
        string settled = workspace.File("confirmation-ours.xml",
            confirmation.Replace("SI260302000123", "BO1-1", StringComparison.Ordinal).Replace("DE0007164600", "FR0000120271", StringComparison.Ordinal));
        CliResult booked = await workspace.RunAsync("settlement", "status-import", settled);
        Assert.True(booked.Exit == 0, booked.Error);
        Assert.Contains("BO1-1: failed -> settled, 1000 of 1000 settled", booked.Output, StringComparison.Ordinal);
        CliResult balances = await workspace.RunAsync("balances", "--as-of", "2026-03-05");
        Assert.Equal("-1000", Balance(balances, "1100", "FR0000120271"));
        Assert.Equal("45230.00", Balance(balances, "1010", "EUR"));
        // Booked on the actual settlement date, the 5th, not before.
        Assert.Equal("0", Balance(await workspace.RunAsync("balances", "--as-of", "2026-03-04"), "1100", "FR0000120271"));
    }

    [Fact]
    public async Task The_end_of_day_makes_an_unsettled_instruction_a_fail_once()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        string samples = Path.Combine(AppContext.BaseDirectory, "samples");
        foreach (string kind in new[] { "prices", "fx-rates" })
        {
            Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", Path.Combine(samples, kind + ".csv"))).Exit);
        }
        string trades = workspace.File("day.csv", Header + "\n" + $"T1,NEW,,BUY,{Apple},ISIN,XNAS,100,200,USD,C-1001,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", Path.Combine(workspace.Directory, "out"))).Exit);
        CliResult eod = await workspace.RunAsync("eod", "run", "--date", "2026-11-25");
        Assert.True(eod.Exit == 0, eod.Error);
        Assert.Contains(eod.Lines, l => l.StartsWith("2026-11-25,fails,done,", StringComparison.Ordinal) && l.Contains("1 fails, 1 newly failed", StringComparison.Ordinal));
        Assert.StartsWith("BO1-1,failed,", (await workspace.RunAsync("settlement", "status")).Lines[1], StringComparison.Ordinal);
        CliResult history = await workspace.RunAsync("settlement", "status", "--tx", "BO1-1");
        Assert.Equal("sent,failed", string.Join(',', history.Lines[^1].Split(',')[2..4]));
        Assert.Equal(2, history.Lines.Length - 1);
        // A DTC fail accrues no CSDR penalty: nothing was booked to the penalty accounts.
        Assert.DoesNotContain((await workspace.RunAsync("balances")).Lines, l => l.StartsWith("1500,", StringComparison.Ordinal) || l.StartsWith("5300,", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Loaded_close_out_rules_categories_and_central_bank_rates_drive_fails_and_penalties(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string instrument = workspace.File("instrument.csv",
            "isin,name,asset_class,currency,listing_mic,cusip,sedol,ticker,settlement_cycle_days,quantity_scale,csdr_category\n" +
            "FR0000120271,TotalEnergies SE shares,equity,EUR,XPAR,,,TTE,,0,SHARE_ILLIQUID\n");
        string rules = workspace.File("rules.csv", "name,market,category,asset_class,business_days\nfr-illiquid,FR,SHARE_ILLIQUID,,3\n");
        string rates = workspace.File("rates.csv", "currency,effective_from,rate,source\nEUR,2026-01-01,0.0240,ECB marginal lending facility\n");
        // An amendment of the Annex: illiquid shares at 0.6 basis point from 28 December.
        string amendment = workspace.File("penalty-rates.csv", "category,effective_from,rate\nSHARE_ILLIQUID,2026-12-28,0.00006\n");
        string prices = workspace.File("prices.csv", "date,instrument,price,currency,source\n" +
            "2026-12-24,FR0000120271,56.00,EUR,Euronext close\n2026-12-28,FR0000120271,57.00,EUR,Euronext close\n");
        foreach ((string kind, string file) in new[] { ("instruments", instrument), ("close-out-rules", rules), ("central-bank-rates", rates), ("penalty-rates", amendment), ("prices", prices) })
        {
            CliResult loaded = await workspace.RunAsync("refdata", "import", "--kind", kind, "--file", file);
            Assert.True(loaded.Exit == 0, kind + ": " + loaded.Error);
        }
        string trades = workspace.File("day.csv", Header + "\n" + $"P1,NEW,,BUY,FR0000120271,ISIN,XPAR,300,55.20,EUR,C-1001,{Broker},2026-12-22\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-12-24", "--out", Path.Combine(workspace.Directory, "out"))).Exit);

        // On the 24th we lack the cash: 300 x 56.00 x 2.40% / 365 = 1.1046 is 1.10, ours to pay, at the ECB rate loaded.
        string noCash = workspace.File("mony.xml", Sese024.Write(new StatusAdvice("BO1-1", null, null, MatchingStatus.Matched, SettlementCondition.Failing, "MONY", null)).Value);
        Assert.Equal(0, (await workspace.RunAsync("settlement", "status-import", "--date", "2026-12-24", noCash)).Exit);
        CliResult first = await workspace.RunAsync("settlement", "fails", "--date", "2026-12-24");
        Assert.True(first.Exit == 0, first.Error);
        // The loaded rule for illiquid shares at French places: three TARGET2 days, over Christmas.
        Assert.EndsWith(",MONY,1,1,fr-illiquid,2026-12-30,false,false", first.Lines[1], StringComparison.Ordinal);
        // By the 28th the broker lacks the shares: 300 x 57.00 x 0.6 bp (illiquid, as loaded, at the amended rate) = 1.026 is 1.03, due to us.
        string noShares = workspace.File("clac.xml", Sese024.Write(new StatusAdvice("BO1-1", null, null, MatchingStatus.Matched, SettlementCondition.Failing, "CLAC", null)).Value);
        Assert.Equal(0, (await workspace.RunAsync("settlement", "status-import", "--date", "2026-12-28", noShares)).Exit);
        CliResult second = await workspace.RunAsync("settlement", "fails", "--date", "2026-12-28");
        Assert.True(second.Exit == 0, second.Error);
        Assert.Contains("1 penalty days accrued", second.Error, StringComparison.Ordinal);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Equal("1.10", Balance(balances, "5300", "EUR"));
        Assert.Equal("-1.10", Balance(balances, "2500", "EUR"));
        Assert.Equal("1.03", Balance(balances, "1500", "EUR"));
        Assert.Equal("-1.03", Balance(balances, "4400", "EUR"));
        // The CSD reports both days, signed from our side: it agrees.
        string report = workspace.File("csd.csv", "tx_id,penalty_date,amount,currency\nBO1-1,2026-12-24,-1.10,EUR\nBO1-1,2026-12-28,1.03,EUR\n");
        CliResult check = await workspace.RunAsync("settlement", "penalty-check", "--file", report);
        Assert.True(check.Exit == 0, check.Output + check.Error);
        Assert.Equal(["tx_id,penalty_date,ours,csd,currency,difference"], check.Lines);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Cancellations_corrections_and_early_confirmations_are_handled_without_settling_twice(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", Header + "\n" +
            $"T1,NEW,,BUY,{Apple},ISIN,XNAS,100,200,USD,C-1001,{Broker},2026-11-24\n" +
            $"T2,NEW,,SELL,{Apple},ISIN,XNAS,40,210,USD,C-1002,{Broker},2026-11-24\n" +
            $"T3,NEW,,BUY,{Apple},ISIN,XNAS,10,200,USD,C-1002,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        var day = new LocalDate(2026, 11, 25);
        // A confirmation that arrives before its instruction is sent waits in the queue, and books once the instruction exists.
        string early = workspace.File("early.xml", Confirmation("BO1-1", delivery: false, 100m, 20000m, day));
        CliResult parked = await workspace.RunAsync("settlement", "status-import", early);
        Assert.Equal(1, parked.Exit);
        Assert.Contains("settlement.unknown-instruction", parked.Error, StringComparison.Ordinal);
        string outbox = Path.Combine(workspace.Directory, "out");
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox)).Exit);
        CliResult booked = await workspace.RunAsync("settlement", "status-import", early);
        Assert.True(booked.Exit == 0, booked.Error);
        Assert.Contains("BO1-1: sent -> settled", booked.Output, StringComparison.Ordinal);
        // The same confirmation laid out differently is the same message: taken once.
        string relaid = workspace.File("relaid.xml", (await File.ReadAllTextAsync(early)).Replace("\n", "\r\n  ", StringComparison.Ordinal));
        Assert.Contains("(already taken)", (await workspace.RunAsync("settlement", "status-import", relaid)).Output, StringComparison.Ordinal);
        Assert.Equal("100", Balance(await workspace.RunAsync("balances"), "1100", Apple));

        // The custodian cancels BO2-1: the next run sends the sale again under a new reference.
        string cancelled = workspace.File("canc.xml", Sese024.Write(new StatusAdvice("BO2-1", null, ProcessingStatus.Cancelled, null, null, null, null)).Value);
        Assert.Contains("BO2-1: sent -> cancelled", (await workspace.RunAsync("settlement", "status-import", "--date", "2026-11-25", cancelled)).Output, StringComparison.Ordinal);
        CliResult again = await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox);
        Assert.True(again.Exit == 0, again.Error);
        Assert.Contains("1 instructions for 2026-11-25 written to out, 0 cancelled", again.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outbox, "BO2-1R2.sese023.xml")));
        Assert.Null(Sese023.Validate(await File.ReadAllTextAsync(Path.Combine(outbox, "BO2-1R2.sese023.xml"))));

        // T3 settles 4 of 10, then is corrected: the partly settled instruction is kept, not sent again, and operations are told.
        string part = workspace.File("part.xml", Confirmation("BO3-1", delivery: false, 4m, 800m, day, remaining: 6m));
        Assert.Equal(0, (await workspace.RunAsync("settlement", "status-import", part)).Exit);
        string correction = workspace.File("corr.csv", Header + $"\nT3-C,CORRECT,T3,BUY,{Apple},ISIN,XNAS,12,200,USD,C-1002,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", correction)).Exit);
        CliResult afterCorrection = await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox);
        Assert.True(afterCorrection.Exit == 0, afterCorrection.Error);
        Assert.Contains("0 instructions for 2026-11-25 written to out, 0 cancelled", afterCorrection.Output, StringComparison.Ordinal);
        Assert.Contains("BO3-1: settlement.stale-partial", afterCorrection.Error, StringComparison.Ordinal);
        Assert.DoesNotContain((await workspace.RunAsync("settlement", "status")).Lines, l => l.StartsWith("BO3-2", StringComparison.Ordinal));

        // A bust of a trade instructed for another date cancels its instruction whatever date is instructed next.
        string busted = workspace.File("bust.csv", Header + "\nT2-X,BUST,T2,,,,,,,,,,\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", busted)).Exit);
        CliResult nextDay = await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-26", "--out", outbox);
        Assert.True(nextDay.Exit == 0, nextDay.Error);
        Assert.Contains("0 instructions for 2026-11-26 written to out, 1 cancelled", nextDay.Output, StringComparison.Ordinal);
        Assert.StartsWith("BO2-1R2,cancelled,", (await workspace.RunAsync("settlement", "status", "--date", "2026-11-25")).Lines.Single(l => l.StartsWith("BO2-1R2", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_counterparty_settling_free_of_payment_gets_DFP_and_RFP_and_its_cash_stays_open(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        // The broker's US SSI now says its cash settles apart (payment FREE).
        string ssi = workspace.File("ssi.csv", "id,counterparty,market,asset_class,place_of_settlement,depository_account,agent_bic,effective_from,payment\n" +
            $"EXBR-US,{Broker},,equity,DTCYUS33XXX,DTC-0352,EXBRUS33XXX,2024-01-01,FREE\n");
        CliResult loaded = await workspace.RunAsync("refdata", "import", "--kind", "ssis", "--file", ssi);
        Assert.True(loaded.Exit == 0, loaded.Error);
        string wrong = workspace.File("ssi-bad.csv", "id,counterparty,market,asset_class,place_of_settlement,depository_account,agent_bic,effective_from,payment\n" +
            $"EXBR-US,{Broker},,equity,DTCYUS33XXX,DTC-0352,EXBRUS33XXX,2024-01-01,FRE\n");
        CliResult refused = await workspace.RunAsync("refdata", "import", "--kind", "ssis", "--file", wrong);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("ssi-bad.csv:2: field.enumeration: payment must be APMT or FREE", refused.Error, StringComparison.Ordinal);
        string trades = workspace.File("day.csv", Header + "\n" +
            $"T1,NEW,,BUY,{Apple},ISIN,XNAS,100,200,USD,C-1001,{Broker},2026-11-24\n" +
            $"T2,NEW,,SELL,{Apple},ISIN,XNAS,40,210,USD,C-1002,{Broker},2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        CliResult obligations = await workspace.RunAsync("settlement", "obligations", "--date", "2026-11-25");
        Assert.StartsWith("BO1-1,1,1,RFP,", obligations.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("BO2-1,2,1,DFP,", obligations.Lines[2], StringComparison.Ordinal);
        string outbox = Path.Combine(workspace.Directory, "out");
        Assert.Equal(0, (await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", outbox)).Exit);
        string free = await File.ReadAllTextAsync(Path.Combine(outbox, "BO2-1.sese023.xml"));
        Assert.Null(Sese023.Validate(free));
        Assert.Contains("<Pmt>FREE</Pmt>", free, StringComparison.Ordinal);
        Assert.DoesNotContain("<SttlmAmt>", free, StringComparison.Ordinal);

        var day = new LocalDate(2026, 11, 25);
        string receipt = workspace.File("c1.xml", Sese025.Write(new SettlementConfirmation("BO1-1", null, false, false, Apple, 100m, false, null, null, null, day, false, null), "X").Value);
        string delivery = workspace.File("c2.xml", Sese025.Write(new SettlementConfirmation("BO2-1", null, true, false, Apple, 40m, false, null, null, null, day, false, null), "X").Value);
        CliResult settled = await workspace.RunAsync("settlement", "status-import", receipt, delivery);
        Assert.True(settled.Exit == 0, settled.Error);
        CliResult balances = await workspace.RunAsync("balances");
        Assert.Equal("60", Balance(balances, "1100", Apple));
        Assert.Equal("0", Balance(balances, "1300." + Broker, Apple));
        Assert.Equal("0", Balance(balances, "1010", "USD"));
        // The cash settles apart: still payable for the purchase and receivable for the sale.
        Assert.Equal("-20000.00", Balance(balances, "2300." + Broker, "USD"));
        Assert.Equal("8400.00", Balance(balances, "1310." + Broker, "USD"));
    }
}

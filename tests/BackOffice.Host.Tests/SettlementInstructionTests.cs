using BackOffice.Intake.Iso20022;

namespace BackOffice.Host.Tests;

/// <summary>
/// Settlement obligations and sese.023 instructions: one per active trade due on the date, DVP for
/// a sale and RVP for a purchase, the counterparty's side from its SSI; every message valid against
/// the published schema; a trade without an SSI stops the run before any file is written.
/// </summary>
public sealed class SettlementInstructionTests
{
    private const string Header = "source_trade_id,action,ref_trade_id,side,instrument_id,instrument_id_type,market,quantity,price,currency,account,counterparty,trade_date";

    public static TheoryData<string> Stores => TradeCaptureTests.Stores;

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Each_trade_due_becomes_one_schema_valid_instruction(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string bond = workspace.File("bond.csv",
            "isin,name,asset_class,currency,listing_mic,settlement_cycle_days,coupon_rate,coupon_frequency,day_count,dated_date,first_coupon_date,maturity_date,end_of_month\n" +
            "US912828ZQ64,Test 5% 2031,debt,USD,XNAS,1,0.05,2,30/360-US,2026-05-15,2026-11-15,2031-05-15,false\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "instruments", "--file", bond)).Exit);
        string ssi = workspace.File("ssi.csv", "id,counterparty,market,asset_class,place_of_settlement,depository_account,agent_bic,effective_from\n" +
            "EXBR-DEBT,5493000DEMO0BROKER41,,debt,DTCYUS33XXX,DTC-0352,EXBRUS33XXX,2024-01-01\n");
        Assert.Equal(0, (await workspace.RunAsync("refdata", "import", "--kind", "ssis", "--file", ssi)).Exit);
        // Settling on Wednesday 25 November (T+1): a purchase, a sale corrected once, a busted sale, a bond purchase.
        string trades = workspace.File("day.csv", Header + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T2,NEW,,SELL,US0378331005,ISIN,XNAS,40,210,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T2-C,CORRECT,T2,SELL,US0378331005,ISIN,XNAS,40,211,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T3,NEW,,SELL,US0378331005,ISIN,XNAS,10,210,USD,C-1002,5493000DEMO0BROKER41,2026-11-24\n" +
            "T3-X,BUST,T3,,,,,,,,,,\n" +
            "B1,NEW,,BUY,US912828ZQ64,ISIN,XNAS,100000,99.5,USD,C-1002,5493000DEMO0BROKER41,2026-11-24\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades);
        Assert.True(import.Exit == 0, import.Error);

        CliResult obligations = await workspace.RunAsync("settlement", "obligations", "--date", "2026-11-25");
        Assert.True(obligations.Exit == 0, obligations.Error);
        Assert.Equal(4, obligations.Lines.Length);
        Assert.StartsWith("BO1-1,1,1,RVP,US0378331005,100,20000.00,USD,2026-11-24,2026-11-25,C-1001,5493000DEMO0BROKER41,DTCYUS33XXX,EXBRUS33XXX,DTC-0352", obligations.Lines[1], StringComparison.Ordinal);
        // The corrected sale instructs its second version: 40 at 211.
        Assert.StartsWith("BO2-2,2,2,DVP,US0378331005,40,8440.00,USD", obligations.Lines[2], StringComparison.Ordinal);
        // The bond: face amount, and the cash is the gross plus the accrued interest from the 15th to the 25th (99,500.00 + 138.89).
        Assert.StartsWith("BO4-1,4,1,RVP,US912828ZQ64,100000,99638.89,USD", obligations.Lines[3], StringComparison.Ordinal);

        string directory = Path.Combine(Path.GetDirectoryName(workspace.File("x", ""))!, "instructions");
        CliResult instruct = await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", directory, "--safekeeping-account", "DEMO-SAFE-1");
        Assert.True(instruct.Exit == 0, instruct.Error);
        string[] files = [.. Directory.GetFiles(directory, "*.sese023.xml").Order(StringComparer.Ordinal)];
        Assert.Equal(["BO1-1.sese023.xml", "BO2-2.sese023.xml", "BO4-1.sese023.xml"], files.Select(Path.GetFileName));
        foreach (string file in files)
        {
            Assert.Null(Sese023.Validate(await File.ReadAllTextAsync(file)));
        }
        // And by an independent validator, libxml2's, against the same published schema.
        string schema = workspace.File("sese.023.001.11.xsd", Sese023.SchemaText());
        var xmllint = new System.Diagnostics.ProcessStartInfo("xmllint") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in (string[])["--noout", "--nonet", "--schema", schema, .. files])
        {
            xmllint.ArgumentList.Add(argument);
        }
        System.Diagnostics.Process validator;
        try
        {
            validator = System.Diagnostics.Process.Start(xmllint)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("xmllint is not installed: run ./test.sh (it installs Debian's libxml2-utils) or apt-get install libxml2-utils", e);
        }
        using (validator)
        {
            string report = await validator.StandardError.ReadToEndAsync();
            await validator.WaitForExitAsync();
            Assert.True(validator.ExitCode == 0, report);
            Assert.Equal(files.Length, report.Split('\n').Count(l => l.EndsWith(" validates", StringComparison.Ordinal)));
        }
        string sale = await File.ReadAllTextAsync(Path.Combine(directory, "BO2-2.sese023.xml"));
        Assert.Contains("<SctiesMvmntTp>DELI</SctiesMvmntTp>", sale, StringComparison.Ordinal);
        Assert.Contains("<RcvgSttlmPties>", sale, StringComparison.Ordinal);
        Assert.Contains("<Amt Ccy=\"USD\">8440.00</Amt>", sale, StringComparison.Ordinal);
        Assert.Contains("<CdtDbtInd>CRDT</CdtDbtInd>", sale, StringComparison.Ordinal);
        string bondInstruction = await File.ReadAllTextAsync(Path.Combine(directory, "BO4-1.sese023.xml"));
        Assert.Contains("<FaceAmt>100000</FaceAmt>", bondInstruction, StringComparison.Ordinal);
        Assert.Contains("<Rate>99.5</Rate>", bondInstruction, StringComparison.Ordinal);
        Assert.Contains("<Id>DEMO-SAFE-1</Id>", bondInstruction, StringComparison.Ordinal);
        Assert.Equal(4, (await File.ReadAllLinesAsync(Path.Combine(directory, "instructions.csv"))).Length);

        // The validator does refuse what the schema refuses: an instruction without its settlement date.
        string broken = sale.Replace("<SttlmDt>", "<!--", StringComparison.Ordinal).Replace("</SttlmDt>", "-->", StringComparison.Ordinal);
        Assert.Equal("sese023.schema", Sese023.Validate(broken)?.Rule);
        Assert.Equal("sese023.xml", Sese023.Validate("<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document>&x;</Document>")?.Rule);
    }

    [Fact]
    public async Task A_trade_without_a_standing_settlement_instruction_stops_the_run_before_any_file_is_written()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        string trades = workspace.File("day.csv", Header + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T2,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0CUSTOD05,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);
        string directory = Path.Combine(Path.GetDirectoryName(workspace.File("x", ""))!, "instructions");
        CliResult instruct = await workspace.RunAsync("settlement", "instruct", "--date", "2026-11-25", "--out", directory);
        Assert.Equal(1, instruct.Exit);
        Assert.Contains("settlement.ssi-missing", instruct.Error, StringComparison.Ordinal);
        Assert.Contains("trade 2 (counterparty 5493000DEMO0CUSTOD05)", instruct.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Obligations_net_per_counterparty_instrument_and_date_only_under_an_agreement(string store)
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync(store);
        string trades = workspace.File("day.csv", Header + "\n" +
            "T1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n" +
            "T2,NEW,,SELL,US0378331005,ISIN,XNAS,60,201,USD,C-1002,5493000DEMO0BROKER41,2026-11-24\n" +
            "T3,NEW,,BUY,US5949181045,ISIN,XNAS,10,300,USD,C-1001,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", trades)).Exit);

        // No agreement: every obligation settles gross.
        CliResult gross = await workspace.RunAsync("settlement", "net", "--date", "2026-11-25");
        Assert.True(gross.Exit == 0, gross.Error);
        Assert.Contains("USD,3,3,35060.00,35060.00,0.0000", gross.Lines);

        string agreement = workspace.File("netting.csv", "counterparty,effective_from\n5493000DEMO0BROKER41,2026-01-01\n");
        CliResult loaded = await workspace.RunAsync("refdata", "import", "--kind", "netting-agreements", "--file", agreement);
        Assert.True(loaded.Exit == 0, loaded.Error);
        CliResult net = await workspace.RunAsync("settlement", "net", "--date", "2026-11-25");
        // Apple: receive 100 and deliver 60 is receive 40; pay 20,000.00 and receive 12,060.00 is pay 7,940.00.
        Assert.Contains("5493000DEMO0BROKER41,US0378331005,2026-11-25,USD,2,BO1-1 BO2-1,160,40,32060.00,-7940.00", net.Lines);
        Assert.Contains("5493000DEMO0BROKER41,US5949181045,2026-11-25,USD,1,BO3-1,10,10,3000.00,-3000.00", net.Lines);
        // 35,060.00 gross settles as 10,940.00: 68.80% netted away.
        Assert.Contains("USD,3,2,35060.00,10940.00,0.6880", net.Lines);

        // A correction after netting: the sale becomes 70, and the net follows its new version.
        string correction = workspace.File("correction.csv", Header + "\nT2-C,CORRECT,T2,SELL,US0378331005,ISIN,XNAS,70,201,USD,C-1002,5493000DEMO0BROKER41,2026-11-24\n");
        Assert.Equal(0, (await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "OMS", correction)).Exit);
        CliResult corrected = await workspace.RunAsync("settlement", "net", "--date", "2026-11-25");
        Assert.Contains("5493000DEMO0BROKER41,US0378331005,2026-11-25,USD,2,BO1-1 BO2-2,170,30,34070.00,-5930.00", corrected.Lines);
    }

    [Fact]
    public async Task Trades_cleared_through_a_central_counterparty_net_against_it_without_an_agreement()
    {
        await using Workspace workspace = await TradeCaptureTests.ReadyAsync("sqlite");
        string ccp = workspace.File("ccp.csv", "lei,name,role,bic\n5493000DEMO0CCP00167,Example Clearing House (fictitious),clearing-house,EXCCUS33XXX\n");
        CliResult party = await workspace.RunAsync("refdata", "import", "--kind", "parties", "--file", ccp);
        Assert.True(party.Exit == 0, party.Error);
        // Three clients' exchange trades, all novated to the CCP: buy 100, sell 70, buy 20 is receive 50.
        string trades = workspace.File("day.csv", Header + "\n" +
            "E1,NEW,,BUY,US0378331005,ISIN,XNAS,100,200,USD,C-1001,5493000DEMO0CCP00167,2026-11-24\n" +
            "E2,NEW,,SELL,US0378331005,ISIN,XNAS,70,200,USD,C-1002,5493000DEMO0CCP00167,2026-11-24\n" +
            "E3,NEW,,BUY,US0378331005,ISIN,XNAS,20,201,USD,C-1002,5493000DEMO0CCP00167,2026-11-24\n");
        CliResult import = await workspace.RunAsync("trades", "import", "--format", "csv", "--source", "EXCH", trades);
        Assert.True(import.Exit == 0, import.Error);
        CliResult net = await workspace.RunAsync("settlement", "net", "--date", "2026-11-25");
        Assert.True(net.Exit == 0, net.Error);
        // Pay 20,000.00 and 4,020.00, receive 14,000.00: pay 10,020.00 net; 38,020.00 gross.
        Assert.Contains("5493000DEMO0CCP00167,US0378331005,2026-11-25,USD,3,BO1-1 BO2-1 BO3-1,190,50,38020.00,-10020.00", net.Lines);
        Assert.Contains("USD,3,1,38020.00,10020.00,0.7365", net.Lines);
    }
}

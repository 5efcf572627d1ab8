using System.Text;
using BackOffice.Application.Trading;
using BackOffice.Domain.Trading;
using BackOffice.Intake.Fix;

namespace BackOffice.Intake.Tests.Fix;

/// <summary>The FIX 4.4 codec: framing, dictionary validation and the trades read from messages.</summary>
public sealed class FixCodecTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fix", "Samples", name));

    /// <summary>Builds a message with correct BodyLength and CheckSum from the fields after BodyLength (without CheckSum).</summary>
    internal static string Build(string body, char delimiter = '|')
    {
        string fields = body.Replace('|', delimiter);
        string head = "8=FIX.4.4" + delimiter + "9=" + Encoding.ASCII.GetByteCount(fields.Replace(delimiter, '\u0001')) + delimiter;
        int sum = Encoding.ASCII.GetBytes((head + fields).Replace(delimiter, '\u0001')).Sum(b => b) % 256;
        return head + fields + "10=" + sum.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + delimiter;
    }

    private static List<TradeMessage> ReadAll(string text, string name = "drop.log") =>
        [.. FixLogFile.Read(new MemoryStream(Encoding.Latin1.GetBytes(text)), name, null)];

    private const string Fill = "35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|1=C1001|6=45.23|11=ORD-1|14=1000|15=EUR|17=EXEC-0001|22=4|30=XETR|31=45.23|32=1000|37=OID-778|39=2|48=DE0007164600|54=1|55=SAP|60=20260302-09:30:01.123|75=20260302|150=F|151=0|";

    [Fact]
    public void The_published_samples_read_as_a_fill_a_bust_a_correction_a_capture_report_and_an_allocation()
    {
        foreach (string file in new[] { "fix44_messages.pipe.txt", "fix44_messages.soh.txt" })
        {
            List<TradeMessage> messages = ReadAll(Sample(file));
            Assert.Equal(5, messages.Count);
            Assert.All(messages.Take(4), m => Assert.Null(m.ReadFailure));
            Assert.Equal([TradeAction.New, TradeAction.Bust, TradeAction.Correct, TradeAction.New], messages.Take(4).Select(m => m.Request!.Action));
            TradeRequest fill = messages[0].Request!;
            Assert.Equal(("FIX:BROKERX", "EXEC-0001", TradeSide.Buy, 1000m, 45.23m, "EUR", "C1001", "XETR"),
                (fill.Source, fill.SourceTradeId, fill.Side, fill.Quantity, fill.Price, fill.Currency, fill.Account, fill.Market));
            Assert.Equal(new InstrumentReference(InstrumentIdType.Isin, "DE0007164600"), fill.Instrument);
            Assert.Equal(4.50m, fill.Commission);
            Assert.Equal(new NodaTime.LocalDate(2026, 3, 4), fill.SettlementDate);
            Assert.Equal("EXEC-0001", messages[1].Request!.RefTradeId);
            Assert.Equal(45.21m, messages[2].Request!.Price);
            Assert.Equal("TCR-0001", messages[3].Request!.SourceTradeId);
            // The sample allocation names its block by order (NoOrders), not by executions (NoExecs):
            // BackOffice allocates booked executions, so it asks for their ExecIDs.
            Assert.Contains("NoExecs(124)", messages[4].ReadFailure!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Soh_and_pipe_messages_are_the_same_message()
    {
        List<TradeMessage> pipe = ReadAll(Build(Fill));
        List<TradeMessage> soh = ReadAll(Build(Fill, '\u0001'));
        Assert.Equal(pipe[0].Request! with { SourceMessage = "" }, soh[0].Request! with { SourceMessage = "" });
    }

    [Fact]
    public void A_log_line_prefix_and_session_messages_are_skipped()
    {
        string text = "20260302-09:30:01.125 : " + Build("35=0|49=BROKERX|56=BACKOFFICE|34=214|52=20260302-09:30:00.000|") + "\n"
            + "20260302-09:30:01.126 : " + Build(Fill) + "\n";
        List<TradeMessage> messages = ReadAll(text);
        TradeMessage only = Assert.Single(messages);
        Assert.Equal("drop.log:2", only.Location);
    }

    [Theory]
    [InlineData("corrupt-checksum", "fix.checksum")]
    [InlineData("wrong-body-length", "fix.body-length")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|", "fix.required-tag")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=Q|55=SAP|150=F|151=0|", "fix.enum")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|151=0|9999=X|", "fix.tag-unknown")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|151=0|20=0|", "fix.tag-not-defined")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|151=0|32=1e400|", "fix.data-format")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|151=0|32=99999999999999999999999999999999|", "fix.data-format")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|151=0|60=yesterday|", "fix.data-format")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|151=0|453=2|448=X|447=D|452=1|", "fix.group-count")]
    [InlineData("35=8|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|6=45.23|11=ORD-1|14=1000|17=E|37=O|39=2|54=1|55=SAP|150=F|151=0|54=2|", "fix.tag-duplicate")]
    [InlineData("35=ZZ|49=BROKERX|56=BACKOFFICE|34=215|52=20260302-09:30:01.125|", "fix.msg-type")]
    public void Bad_messages_are_refused_naming_the_rule_and_the_place(string body, string rule)
    {
        string text = body switch
        {
            "corrupt-checksum" => Build(Fill)[..^4] + "000|",
            "wrong-body-length" => Build(Fill).Replace("|9=", "|9=1", StringComparison.Ordinal),
            _ => Build(body),
        };
        TradeMessage message = Assert.Single(ReadAll("header line\n" + text));
        Assert.NotNull(message.ReadFailure);
        Assert.Equal(rule, message.ReadFailure!.Rule);
        Assert.StartsWith("drop.log:2", message.ReadFailure.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_and_a_utf16_file_are_refused()
    {
        string whole = Build(Fill);
        TradeMessage truncated = Assert.Single(ReadAll(whole[..(whole.Length / 2)]));
        Assert.Equal("fix.truncated", truncated.ReadFailure!.Rule);
        var utf16 = new MemoryStream(Encoding.Unicode.GetBytes(whole));
        List<TradeMessage> wide = [.. FixLogFile.Read(utf16, "wide.log", null)];
        Assert.True(wide.Count == 0 || wide.All(m => m.ReadFailure is not null));
    }

    [Fact]
    public void An_allocation_instruction_lists_the_block_executions_and_the_accounts()
    {
        string body = "35=J|49=BROKERX|56=BACKOFFICE|34=301|52=20260302-18:05:00.000|70=ALLOC-0002|71=0|626=2|857=1|54=1|55=SAP|48=DE0007164600|22=4|53=1000|6=45.21|15=EUR|75=20260302|"
            + "124=2|32=600|17=EXEC-0001|32=400|17=EXEC-0004|78=2|79=FUND-A|80=600|79=FUND-B|80=400|";
        TradeMessage message = Assert.Single(ReadAll(Build(body)));
        Assert.Null(message.ReadFailure);
        Assert.Equal(["EXEC-0001", "EXEC-0004"], message.Allocation!.BlockTradeIds);
        Assert.Equal([("FUND-A", 600m), ("FUND-B", 400m)], message.Allocation.Lines.Select(l => (l.Account, l.Quantity)));
    }

    [Fact]
    public void Parties_name_the_counterparty_by_lei()
    {
        string withParty = Fill + "453=1|448=5493000DEMO0BROKER41|447=D|452=1|";
        TradeRequest request = Assert.Single(ReadAll(Build(withParty))).Request!;
        Assert.Equal("5493000DEMO0BROKER41", request.Counterparty);
    }
}

using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using BackOffice.Intake.Iso20022;

namespace BackOffice.Intake.Tests.Iso20022;

/// <summary>
/// sese.024 status advices: the published sample, writer-to-reader round trips for every status
/// and reason, the order reasons are taken in, libxml2's agreement with the schema, and the
/// refusals (DTD, malformed XML, schema errors, another message).
/// </summary>
public sealed class Sese024Tests
{
    internal static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Iso20022", "Samples", name));

    /// <summary>The 1-based line of the first line of <paramref name="xml"/> containing <paramref name="text"/>.</summary>
    internal static int LineOf(string xml, string text) =>
        Array.FindIndex(xml.Split('\n'), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private static string Advice(string statuses, string reference = "<AcctOwnrTxId>SI1</AcctOwnrTxId>") =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="{Sese024.Namespace}">
          <SctiesSttlmTxStsAdvc>
            <TxId>
              {reference}
            </TxId>
            {statuses}
          </SctiesSttlmTxStsAdvc>
        </Document>
        """;

    private static readonly StatusAdvice[] AllAdvices =
    [
        new StatusAdvice("SI260302000123", "CUST-88812345", null, MatchingStatus.Matched, SettlementCondition.Failing, "LACK", "Insufficient securities in delivering account"),
        new StatusAdvice("SI1", null, ProcessingStatus.Accepted, null, null, null, null),
        new StatusAdvice("SI1", "C-1", ProcessingStatus.Accepted, null, null, "SMPG", "accepted under market practice"),
        new StatusAdvice("SI2", "C-2", ProcessingStatus.Rejected, null, null, "SAFE", "unknown safekeeping account"),
        new StatusAdvice("SI3", null, ProcessingStatus.Cancelled, null, null, "CANI", null),
        new StatusAdvice("SI4", null, ProcessingStatus.Pending, null, null, "NEXT", "pending next settlement cycle"),
        new StatusAdvice("SI5", null, ProcessingStatus.Rejected, null, null, null, null),
        new StatusAdvice("SI6", null, null, MatchingStatus.Matched, null, null, null),
        new StatusAdvice("SI7", null, null, MatchingStatus.Matched, null, null, "matched at 09:14"),
        new StatusAdvice("SI8", null, ProcessingStatus.Accepted, MatchingStatus.Unmatched, null, "DDAT", "settlement date differs"),
        new StatusAdvice("SI9", null, null, MatchingStatus.Unmatched, null, null, null),
        new StatusAdvice("SI10", null, ProcessingStatus.Accepted, MatchingStatus.Matched, SettlementCondition.Pending, "AWMO", null),
        new StatusAdvice("SI11", null, null, null, SettlementCondition.Pending, null, null),
        new StatusAdvice("SI12", "C-12", ProcessingStatus.Accepted, MatchingStatus.Matched, SettlementCondition.Failing, "MONY", "insufficient cash"),
        new StatusAdvice("SI13", null, null, null, SettlementCondition.Failing, null, null),
        new StatusAdvice("SI14", null, null, null, null, null, null),
    ];

    public static TheoryData<StatusAdvice> Advices => new(AllAdvices);

    [Fact]
    public void The_published_sample_reads_as_matched_and_failing_for_lack_of_securities()
    {
        Result<StatusAdvice> read = Sese024.Read("matched_failing.xml", Sample("sese.024.001.12_matched_failing.xml"));
        Assert.Null(read.Rejection);
        Assert.Equal(new StatusAdvice("SI260302000123", "CUST-88812345", null, MatchingStatus.Matched, SettlementCondition.Failing,
            "LACK", "Insufficient securities in delivering account"), read.Value);
        Assert.Equal("sese.024", SettlementMessages.Identify("matched_failing.xml", Sample("sese.024.001.12_matched_failing.xml")).Value);
    }

    [Theory]
    [MemberData(nameof(Advices))]
    public void A_written_advice_reads_back_as_itself(StatusAdvice advice)
    {
        Result<string> written = Sese024.Write(advice);
        Assert.True(written.IsAccepted, written.Rejection?.ToString());
        Assert.Null(Sese024.Validate(written.Value));
        Assert.Equal("sese.024", SettlementMessages.Identify("advice.xml", written.Value).Value);
        Result<StatusAdvice> read = Sese024.Read("advice.xml", written.Value);
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        Assert.Equal(advice, read.Value);
    }

    [Fact]
    public void Each_status_is_written_as_its_iso_element()
    {
        string Written(ProcessingStatus? processing, MatchingStatus? matching, SettlementCondition? settlement) =>
            Sese024.Write(new StatusAdvice("SI1", null, processing, matching, settlement, null, null)).Value;
        Assert.Contains("<PrcgSts>\n      <AckdAccptd>\n        <NoSpcfdRsn>NORE</NoSpcfdRsn>", Written(ProcessingStatus.Accepted, null, null).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<Rjctd>", Written(ProcessingStatus.Rejected, null, null), StringComparison.Ordinal);
        Assert.Contains("<Canc>", Written(ProcessingStatus.Cancelled, null, null), StringComparison.Ordinal);
        Assert.Contains("<PdgPrcg>", Written(ProcessingStatus.Pending, null, null), StringComparison.Ordinal);
        Assert.Contains("<Mtchd />", Written(null, MatchingStatus.Matched, null), StringComparison.Ordinal);
        Assert.Contains("<Umtchd>", Written(null, MatchingStatus.Unmatched, null), StringComparison.Ordinal);
        Assert.Contains("<SttlmSts>\n      <Pdg>", Written(null, null, SettlementCondition.Pending).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<Flng>", Written(null, null, SettlementCondition.Failing), StringComparison.Ordinal);
        // The reason goes with the settlement status, where it is read back from; the others carry none.
        string both = Sese024.Write(new StatusAdvice("SI1", null, ProcessingStatus.Accepted, MatchingStatus.Unmatched, SettlementCondition.Failing, "LACK", "short")).Value;
        Assert.Equal(2, both.Split("<NoSpcfdRsn>NORE</NoSpcfdRsn>").Length - 1);
        Assert.Contains("<Flng>\n        <Rsn>\n          <Cd>\n            <Cd>LACK</Cd>", both.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_written_advice_is_valid_for_libxml2_too()
    {
        List<(string Name, string Xml)> messages = [("sample.xml", Sample("sese.024.001.12_matched_failing.xml"))];
        int n = 0;
        foreach (StatusAdvice row in AllAdvices)
        {
            messages.Add(($"advice{++n}.xml", Sese024.Write(row).Value));
        }
        await AssertXmllintValidatesAsync("sese.024.001.12.xsd", Sese024.SchemaText(), messages);
    }

    /// <summary>
    /// Validates <paramref name="messages"/> with libxml2's xmllint against the published schema: an
    /// independent validator. Fails when xmllint is not installed (./test.sh installs it).
    /// </summary>
    internal static async Task AssertXmllintValidatesAsync(string schemaName, string schemaText, IReadOnlyList<(string Name, string Xml)> messages)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("backoffice-iso20022-");
        try
        {
            string schema = Path.Combine(directory.FullName, schemaName);
            await File.WriteAllTextAsync(schema, schemaText);
            var files = new List<string>();
            foreach ((string name, string xml) in messages)
            {
                string file = Path.Combine(directory.FullName, name);
                await File.WriteAllTextAsync(file, xml);
                files.Add(file);
            }
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
                Assert.Equal(files.Count, report.Split('\n').Count(l => l.EndsWith(" validates", StringComparison.Ordinal)));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_reason_is_the_settlement_status_s_then_the_matching_status_s_then_the_processing_status_s()
    {
        const string Rejected = "<PrcgSts><Rjctd><Rsn><Cd><Cd>SAFE</Cd></Cd><AddtlRsnInf>processing</AddtlRsnInf></Rsn></Rjctd></PrcgSts>";
        const string Unmatched = "<MtchgSts><Umtchd><Rsn><Cd><Cd>DDAT</Cd></Cd><AddtlRsnInf>matching</AddtlRsnInf></Rsn></Umtchd></MtchgSts>";
        const string Failing = "<SttlmSts><Flng><Rsn><Cd><Cd>LACK</Cd></Cd><AddtlRsnInf>settlement</AddtlRsnInf></Rsn><Rsn><Cd><Cd>MONY</Cd></Cd></Rsn></Flng></SttlmSts>";
        const string PendingWithoutReason = "<SttlmSts><Pdg><NoSpcfdRsn>NORE</NoSpcfdRsn></Pdg></SttlmSts>";

        StatusAdvice all = Sese024.Read("a.xml", Advice(Rejected + Unmatched + Failing)).Value;
        Assert.Equal((ProcessingStatus.Rejected, MatchingStatus.Unmatched, SettlementCondition.Failing), (all.Processing!.Value, all.Matching!.Value, all.Settlement!.Value));
        Assert.Equal(("LACK", "settlement"), (all.ReasonCode, all.ReasonText));
        StatusAdvice noSettlementReason = Sese024.Read("a.xml", Advice(Rejected + Unmatched + PendingWithoutReason)).Value;
        Assert.Equal(SettlementCondition.Pending, noSettlementReason.Settlement);
        Assert.Equal(("DDAT", "matching"), (noSettlementReason.ReasonCode, noSettlementReason.ReasonText));
        StatusAdvice processingOnly = Sese024.Read("a.xml", Advice(Rejected + "<MtchgSts><Mtchd/></MtchgSts>")).Value;
        Assert.Equal(("SAFE", "processing"), (processingOnly.ReasonCode, processingOnly.ReasonText));
    }

    [Fact]
    public void A_proprietary_reason_gives_its_code_and_an_unknown_status_is_left_unknown()
    {
        StatusAdvice advice = Sese024.Read("a.xml", Advice(
            "<PrcgSts><Prtry><PrtrySts><Id>HOLD</Id><Issr>CSDX</Issr></PrtrySts></Prtry></PrcgSts>" +
            "<SttlmSts><Flng><Rsn><Cd><Prtry><Id>X123</Id><Issr>CSDX</Issr></Prtry></Cd><AddtlRsnInf>own code</AddtlRsnInf></Rsn></Flng></SttlmSts>")).Value;
        Assert.Equal(new StatusAdvice("SI1", null, null, null, SettlementCondition.Failing, "X123", "own code"), advice);
        // An instruction in repair is pending processing; the inferred matching status stands in for a missing one.
        StatusAdvice repair = Sese024.Read("a.xml", Advice(
            "<PrcgSts><Rpr><Rsn><Cd><Cd>DDAT</Cd></Cd></Rsn></Rpr></PrcgSts><IfrrdMtchgSts><Mtchd/></IfrrdMtchgSts>")).Value;
        Assert.Equal(new StatusAdvice("SI1", null, ProcessingStatus.Pending, MatchingStatus.Matched, null, "DDAT", null), repair);
    }

    [Fact]
    public void What_cannot_be_written_is_refused()
    {
        // LACK is a settlement reason, not a rejection reason: the schema refuses it.
        Rejection? notARejectionReason = Sese024.Write(new StatusAdvice("SI1", null, ProcessingStatus.Rejected, null, null, "LACK", null)).Rejection;
        Assert.Equal("sese024.schema", notARejectionReason?.Rule);
        Assert.StartsWith("advice SI1, line ", notARejectionReason!.Location, StringComparison.Ordinal);
        Assert.Contains("RejectionReason75Code", notARejectionReason.Message, StringComparison.Ordinal);
        Assert.Equal("sese024.reason-text-without-code",
            Sese024.Write(new StatusAdvice("SI1", null, null, null, SettlementCondition.Failing, null, "why")).Rejection?.Rule);
        Assert.Equal("sese024.reason-without-status", Sese024.Write(new StatusAdvice("SI1", null, null, null, null, "LACK", null)).Rejection?.Rule);
        Assert.Equal("sese024.matched-reason-code", Sese024.Write(new StatusAdvice("SI1", null, null, MatchingStatus.Matched, null, "ABCD", null)).Rejection?.Rule);
        Assert.Equal("sese024.schema", Sese024.Write(new StatusAdvice(new string('X', 36), null, null, null, null, null, null)).Rejection?.Rule);
    }

    [Fact]
    public void An_advice_without_our_reference_is_refused()
    {
        string missing = Advice("", reference: "<AcctSvcrTxId>C-1</AcctSvcrTxId>");
        Rejection? schema = Sese024.Read("status.xml", missing).Rejection;
        Assert.Equal("sese024.schema", schema?.Rule);
        Assert.Equal($"status.xml, line {LineOf(missing, "<AcctSvcrTxId>")}", schema!.Location);
        Assert.Equal(schema with { Location = $"line {LineOf(missing, "<AcctSvcrTxId>")}" }, Sese024.Validate(missing));

        string blank = Advice("", reference: "<AcctOwnrTxId>   </AcctOwnrTxId>");
        Rejection? noReference = Sese024.Read("status.xml", blank).Rejection;
        Assert.Equal("sese024.no-reference", noReference?.Rule);
        Assert.Equal($"status.xml, line {LineOf(blank, "<TxId>")}", noReference!.Location);
    }

    [Fact]
    public void Malformed_xml_names_its_line()
    {
        string broken = Advice("<SttlmSts><Flng><NoSpcfdRsn>NORE</NoSpcfdRsn></Pdg></SttlmSts>");
        Rejection? rejection = Sese024.Read("status.xml", broken).Rejection;
        Assert.Equal("iso20022.xml", rejection?.Rule);
        Assert.Equal($"status.xml, line {LineOf(broken, "</Pdg>")}", rejection!.Location);
        Assert.Equal("iso20022.xml", SettlementMessages.Identify("status.xml", "not xml").Rejection?.Rule);
    }

    [Fact]
    public void A_dtd_with_an_external_entity_is_refused_without_reading_the_entity()
    {
        string attack = $"""
            <?xml version="1.0"?>
            <!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <Document xmlns="{Sese024.Namespace}"><SctiesSttlmTxStsAdvc><TxId><AcctOwnrTxId>&x;</AcctOwnrTxId></TxId></SctiesSttlmTxStsAdvc></Document>
            """;
        foreach (Rejection? rejection in new[] { Sese024.Read("evil.xml", attack).Rejection, SettlementMessages.Identify("evil.xml", attack).Rejection })
        {
            Assert.Equal("iso20022.dtd", rejection?.Rule);
            Assert.Equal("evil.xml", rejection!.Location);
            Assert.Contains("DTDs and entities are refused", rejection.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("root:", rejection.ToString(), StringComparison.Ordinal);
        }
        Assert.Equal("iso20022.dtd", Sese024.Validate(attack)?.Rule);
    }

    [Fact]
    public void Another_message_is_not_a_status_advice()
    {
        string instruction = $"""<Document xmlns="{Sese023.Namespace}"><SctiesSttlmTxInstr><TxId>SI1</TxId></SctiesSttlmTxInstr></Document>""";
        Rejection? identified = SettlementMessages.Identify("instruction.xml", instruction).Rejection;
        Assert.Equal("iso20022.unknown-message", identified?.Rule);
        Assert.Equal("instruction.xml, line 1", identified!.Location);
        Assert.Contains(Sese023.Namespace, identified.Message, StringComparison.Ordinal);
        Assert.Equal("iso20022.unknown-message", Sese024.Read("instruction.xml", instruction).Rejection?.Rule);
        Assert.Equal("iso20022.unknown-message", Sese024.Validate(instruction)?.Rule);
        // A confirmation is not an advice either, and an older version of the advice is another message.
        Assert.Equal("iso20022.unknown-message", Sese024.Read("c.xml", Sample("sese.025.001.11_settled_delivery.xml")).Rejection?.Rule);
        string older = Advice("").Replace("sese.024.001.12", "sese.024.001.11", StringComparison.Ordinal);
        Assert.Equal("iso20022.unknown-message", SettlementMessages.Identify("old.xml", older).Rejection?.Rule);
    }
}

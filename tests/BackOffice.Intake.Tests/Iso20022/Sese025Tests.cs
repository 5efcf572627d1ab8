using BackOffice.Domain.Primitives;
using BackOffice.Domain.Settlement;
using BackOffice.Intake.Iso20022;
using NodaTime;

namespace BackOffice.Intake.Tests.Iso20022;

/// <summary>
/// sese.025 settlement confirmations: the published sample, writer-to-reader round trips (in full,
/// partial with and without the remaining quantity, free of payment, face amounts), how partial
/// settlement is recognised, libxml2's agreement with the schema, and the refusals.
/// </summary>
public sealed class Sese025Tests
{
    private const string SampleFile = "sese.025.001.11_settled_delivery.xml";

    private static string Sample() => Sese024Tests.Sample(SampleFile).ReplaceLineEndings("\n");

    private static readonly SettlementConfirmation Full = new("SI260302000123", "CUST-88812345", Delivery: true, AgainstPayment: true,
        "DE0007164600", 1000m, FaceAmount: false, 45230.00m, "EUR", Credit: true, new LocalDate(2026, 3, 5), Partial: false, RemainingQuantity: null);

    private static readonly SettlementConfirmation[] AllConfirmations =
    [
        Full,
        Full with { ServicerTransactionId = null, Delivery = false, SettledAmount = 45230.00m, Credit = false },
        // Partial, with the quantity still to settle; and the last part, nothing remaining.
        Full with { SettledQuantity = 600m, SettledAmount = 27138.00m, Partial = true, RemainingQuantity = 400m },
        Full with { SettledQuantity = 400m, SettledAmount = 18092.00m, Partial = true, RemainingQuantity = 0m },
        // Partial without the remaining quantity.
        Full with { SettledQuantity = 600m, Partial = true },
        // Free of payment: no cash.
        Full with { AgainstPayment = false, SettledAmount = null, Currency = null, Credit = null },
        Full with { Delivery = false, AgainstPayment = false, SettledAmount = null, Currency = null, Credit = null, SettledQuantity = 12.5m },
        // A bond: face amount, settled in part.
        new("BO4-1", null, Delivery: false, AgainstPayment: true, "US912828ZQ64", 100000m, FaceAmount: true, 99638.89m, "USD", Credit: false,
            new LocalDate(2026, 11, 25), Partial: true, RemainingQuantity: 50000m),
        // Nothing remaining and not partial: the remaining quantity is still carried.
        Full with { RemainingQuantity = 0m },
    ];

    public static TheoryData<SettlementConfirmation> Confirmations => new(AllConfirmations);

    private static string Confirmation(string replace, string by) =>
        Sample().Replace(replace, by, StringComparison.Ordinal) is var changed && changed != Sample()
            ? changed
            : throw new ArgumentException($"the sample has no {replace}", nameof(replace));

    [Fact]
    public void The_published_sample_reads_as_a_delivery_settled_in_full_a_day_late()
    {
        Result<SettlementConfirmation> read = Sese025.Read(SampleFile, Sample());
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        // The effective settlement date is a date-time (09:14:02): its date is taken.
        Assert.Equal(Full, read.Value);
        Assert.Equal("sese.025", SettlementMessages.Identify(SampleFile, Sample()).Value);
    }

    [Theory]
    [MemberData(nameof(Confirmations))]
    public void A_written_confirmation_reads_back_as_itself(SettlementConfirmation confirmation)
    {
        Result<string> written = Sese025.Write(confirmation, "SAFE-0001");
        Assert.True(written.IsAccepted, written.Rejection?.ToString());
        Assert.Null(Sese025.Validate(written.Value));
        Assert.Equal("sese.025", SettlementMessages.Identify("confirmation.xml", written.Value).Value);
        Result<SettlementConfirmation> read = Sese025.Read("confirmation.xml", written.Value);
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        Assert.Equal(confirmation, read.Value);
    }

    [Fact]
    public void A_partial_confirmation_carries_the_indicator_and_the_remaining_quantity()
    {
        string partial = Sese025.Write(Full with { SettledQuantity = 600m, Partial = true, RemainingQuantity = 400m }, "SAFE-0001").Value;
        Assert.Contains("<PrtlSttlm>PAIN</PrtlSttlm>", partial, StringComparison.Ordinal);
        Assert.Contains("<RmngToBeSttldQty>\n        <Unit>400</Unit>", partial.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<SttldQty>\n        <Qty>\n          <Unit>600</Unit>", partial.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        string last = Sese025.Write(Full with { Partial = true, RemainingQuantity = 0m }, "SAFE-0001").Value;
        Assert.Contains("<PrtlSttlm>PARC</PrtlSttlm>", last, StringComparison.Ordinal);
        string bond = Sese025.Write(Full with { FaceAmount = true, SettledQuantity = 100000m, Partial = true, RemainingQuantity = 50000m }, "SAFE-0001").Value;
        Assert.Contains("<FaceAmt>100000</FaceAmt>", bond, StringComparison.Ordinal);
        Assert.Contains("<RmngToBeSttldQty>\n        <FaceAmt>50000</FaceAmt>", bond.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        string full = Sese025.Write(Full, "SAFE-0001").Value;
        Assert.DoesNotContain("PrtlSttlm", full, StringComparison.Ordinal);
        Assert.DoesNotContain("RmngToBeSttldQty", full, StringComparison.Ordinal);
        Assert.Contains("<Id>SAFE-0001</Id>", full, StringComparison.Ordinal);
        Assert.Contains("<Amt Ccy=\"EUR\">45230.00</Amt>", full, StringComparison.Ordinal);
        Assert.Contains("<CdtDbtInd>CRDT</CdtDbtInd>", full, StringComparison.Ordinal);
        Assert.DoesNotContain("SttldAmt", Sese025.Write(Full with { AgainstPayment = false, SettledAmount = null, Currency = null, Credit = null }, "S").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_settlement_is_read_from_the_indicator_or_the_quantities_not_from_the_instruction_s_permission()
    {
        const string Quantity = "<SttldQty>\n        <Qty>\n          <Unit>1000</Unit>\n        </Qty>\n      </SttldQty>";
        Assert.Contains(Quantity, Sample().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        SettlementConfirmation Read(string xml)
        {
            Result<SettlementConfirmation> read = Sese025.Read("c.xml", xml.ReplaceLineEndings("\n"));
            Assert.True(read.IsAccepted, read.Rejection?.ToString());
            return read.Value;
        }
        string sample = Sample().ReplaceLineEndings("\n");
        SettlementConfirmation previously = Read(sample.Replace(Quantity, Quantity + "<PrevslySttldQty><Unit>200</Unit></PrevslySttldQty>", StringComparison.Ordinal));
        Assert.Equal((true, (decimal?)null), (previously.Partial, previously.RemainingQuantity));
        SettlementConfirmation remaining = Read(sample.Replace(Quantity, Quantity + "<RmngToBeSttldQty><Unit>250.5</Unit></RmngToBeSttldQty>", StringComparison.Ordinal));
        Assert.Equal((true, (decimal?)250.5m), (remaining.Partial, remaining.RemainingQuantity));
        SettlementConfirmation nothingRemaining = Read(sample.Replace(Quantity, Quantity + "<RmngToBeSttldQty><Unit>0</Unit></RmngToBeSttldQty>", StringComparison.Ordinal));
        Assert.Equal((false, (decimal?)0m), (nothingRemaining.Partial, nothingRemaining.RemainingQuantity));
        SettlementConfirmation indicated = Read(sample.Replace("</TxIdDtls>", "</TxIdDtls><AddtlParams><PrtlSttlm>PARC</PrtlSttlm></AddtlParams>", StringComparison.Ordinal));
        Assert.True(indicated.Partial);
        // PrtlSttlmInd PART in the settlement parameters only allows partial settlement.
        SettlementConfirmation allowed = Read(sample.Replace("</SctiesTxTp>", "</SctiesTxTp><PrtlSttlmInd>PART</PrtlSttlmInd>", StringComparison.Ordinal));
        Assert.False(allowed.Partial);
        // A face amount given as original and current face, a date with its offset, a debit.
        SettlementConfirmation bond = Read(sample
            .Replace("<Qty>\n          <Unit>1000</Unit>\n        </Qty>", "<OrgnlAndCurFace><FaceAmt>250000</FaceAmt><AmtsdVal>240000</AmtsdVal></OrgnlAndCurFace>", StringComparison.Ordinal)
            .Replace("<DtTm>2026-03-05T09:14:02</DtTm>", "<DtTm>2026-03-06T00:30:00+01:00</DtTm>", StringComparison.Ordinal)
            .Replace("CRDT", "DBIT", StringComparison.Ordinal));
        Assert.Equal((250000m, true, new LocalDate(2026, 3, 6), false), (bond.SettledQuantity, bond.FaceAmount, bond.SettledOn, bond.Credit!.Value));
    }

    [Fact]
    public async Task Every_written_confirmation_is_valid_for_libxml2_too()
    {
        List<(string Name, string Xml)> messages = [("sample.xml", Sample())];
        int n = 0;
        foreach (SettlementConfirmation row in AllConfirmations)
        {
            messages.Add(($"confirmation{++n}.xml", Sese025.Write(row, "SAFE-0001").Value));
        }
        await Sese024Tests.AssertXmllintValidatesAsync("sese.025.001.11.xsd", Sese025.SchemaText(), messages);
    }

    [Fact]
    public void A_schema_invalid_confirmation_names_the_line_and_the_schema_s_reason()
    {
        string badIsin = Confirmation("<ISIN>DE0007164600</ISIN>", "<ISIN>DE000716460X</ISIN>");
        Rejection? isin = Sese025.Read("conf.xml", badIsin).Rejection;
        Assert.Equal("sese025.schema", isin?.Rule);
        Assert.Equal($"conf.xml, line {Sese024Tests.LineOf(badIsin, "<ISIN>")}", isin!.Location);
        Assert.Contains("ISINOct2015Identifier", isin.Message, StringComparison.Ordinal);
        Assert.Equal(isin with { Location = $"line {Sese024Tests.LineOf(badIsin, "<ISIN>")}" }, Sese025.Validate(badIsin));

        // The effective settlement date is required.
        string noDate = Confirmation("<FctvSttlmDt>", "<!--").Replace("</FctvSttlmDt>", "-->", StringComparison.Ordinal);
        Rejection? date = Sese025.Read("conf.xml", noDate).Rejection;
        Assert.Equal("sese025.schema", date?.Rule);
        Assert.Equal($"conf.xml, line {Sese024Tests.LineOf(noDate, "</TradDtls>")}", date!.Location);

        string noReference = Confirmation("<AcctOwnrTxId>SI260302000123</AcctOwnrTxId>", "");
        Assert.Equal("sese025.schema", Sese025.Read("conf.xml", noReference).Rejection?.Rule);
        Rejection? blank = Sese025.Read("conf.xml", Confirmation("<AcctOwnrTxId>SI260302000123</AcctOwnrTxId>", "<AcctOwnrTxId> </AcctOwnrTxId>")).Rejection;
        Assert.Equal("sese025.no-reference", blank?.Rule);
        Assert.Equal($"conf.xml, line {Sese024Tests.LineOf(Sample(), "<TxIdDtls>")}", blank!.Location);
    }

    [Fact]
    public void What_the_record_cannot_hold_is_refused()
    {
        string coded = Confirmation("<Dt>\n          <DtTm>2026-03-05T09:14:02</DtTm>\n        </Dt>",
            "<DtCd><Id>OPEN</Id><Issr>CSDX</Issr></DtCd>");
        Assert.Equal("sese025.no-settlement-date", Sese025.Read("conf.xml", coded).Rejection?.Rule);
        string otherId = Confirmation("<ISIN>DE0007164600</ISIN>", "<OthrId><Id>716460</Id><Tp><Cd>WKN</Cd></Tp></OthrId>");
        Assert.Equal("sese025.no-isin", Sese025.Read("conf.xml", otherId).Rejection?.Rule);
        string amortised = Confirmation("<Unit>1000</Unit>", "<AmtsdVal>1000</AmtsdVal>");
        Assert.Equal("sese025.quantity", Sese025.Read("conf.xml", amortised).Rejection?.Rule);
    }

    [Fact]
    public void What_cannot_be_written_is_refused()
    {
        Rejection? isin = Sese025.Write(Full with { Isin = "DE000716460X" }, "SAFE-0001").Rejection;
        Assert.Equal("sese025.schema", isin?.Rule);
        Assert.StartsWith("confirmation SI260302000123, line ", isin!.Location, StringComparison.Ordinal);
        Assert.Equal("sese025.amount-incomplete", Sese025.Write(Full with { Currency = null }, "SAFE-0001").Rejection?.Rule);
        Assert.Equal("sese025.amount-incomplete", Sese025.Write(Full with { Credit = null }, "SAFE-0001").Rejection?.Rule);
        Assert.Equal("sese025.partial-inconsistent", Sese025.Write(Full with { RemainingQuantity = 10m }, "SAFE-0001").Rejection?.Rule);
        Assert.Equal("sese025.schema", Sese025.Write(Full with { SettledAmount = -1m }, "SAFE-0001").Rejection?.Rule);
        Assert.Equal("sese025.schema", Sese025.Write(Full, "").Rejection?.Rule);
    }

    [Fact]
    public void Dtds_malformed_xml_and_other_messages_are_refused()
    {
        string attack = Sample().Replace("<Document", "<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Document", StringComparison.Ordinal)
            .Replace("CUST-88812345", "&x;", StringComparison.Ordinal);
        Rejection? dtd = Sese025.Read("evil.xml", attack).Rejection;
        Assert.Equal("iso20022.dtd", dtd?.Rule);
        Assert.Equal("evil.xml", dtd!.Location);
        Assert.DoesNotContain("root:", dtd.ToString(), StringComparison.Ordinal);

        string malformed = Confirmation("</FinInstrmId>", "</FinInstrmID>");
        Rejection? xml = Sese025.Read("conf.xml", malformed).Rejection;
        Assert.Equal("iso20022.xml", xml?.Rule);
        Assert.Equal($"conf.xml, line {Sese024Tests.LineOf(malformed, "</FinInstrmID>")}", xml!.Location);

        Assert.Equal("iso20022.unknown-message", Sese025.Read("advice.xml", Sese024Tests.Sample("sese.024.001.12_matched_failing.xml")).Rejection?.Rule);
        string instruction = $"""<Document xmlns="{Sese023.Namespace}"><SctiesSttlmTxInstr/></Document>""";
        Assert.Equal("iso20022.unknown-message", SettlementMessages.Identify("instruction.xml", instruction).Rejection?.Rule);
        Assert.Equal("iso20022.unknown-message", Sese025.Validate(instruction)?.Rule);
    }
}

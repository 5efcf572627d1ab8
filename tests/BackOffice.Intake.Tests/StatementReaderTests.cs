using BackOffice.Domain.Primitives;
using BackOffice.Domain.Reconciliation;
using BackOffice.Intake.Iso20022;
using BackOffice.Intake.Reconciliation;
using NodaTime;

namespace BackOffice.Intake.Tests;

/// <summary>
/// Custody and cash statements: the semt.002 and camt.053 samples read into the expected records,
/// signs (short holdings, debits), the refusals (schema errors with their line, a DTD with an
/// external entity, another message, a foreign currency, unsupported statement shapes), and the two
/// CSV layouts with errors naming file, line and field.
/// </summary>
public sealed class StatementReaderTests
{
    private const string CustodySample = "semt.002.001.11_custody_statement.xml";
    private const string CashSample = "camt.053.001.12_cash_statement.xml";

    private static readonly LocalDate March5 = new(2026, 3, 5);

    private static string Sample(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name)).ReplaceLineEndings("\n");

    /// <summary>The 1-based line of the first line of <paramref name="xml"/> containing <paramref name="text"/>.</summary>
    private static int LineOf(string xml, string text) =>
        Array.FindIndex(xml.Split('\n'), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    /// <summary>The sample with <paramref name="replace"/> (which must occur in it) replaced.</summary>
    private static string Changed(string sample, string replace, string by) =>
        Sample(sample) is var text && text.Contains(replace, StringComparison.Ordinal)
            ? text.Replace(replace, by, StringComparison.Ordinal)
            : throw new ArgumentException($"the sample has no {replace}", nameof(replace));

    private static Statement One(Result<IReadOnlyList<Statement>> read)
    {
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        return Assert.Single(read.Value);
    }

    [Fact]
    public void The_custody_sample_reads_as_a_settlement_basis_statement_of_two_holdings()
    {
        Statement statement = One(Semt002.Read(CustodySample, Sample(CustodySample)));
        Assert.Equal(StatementKind.Custody, statement.Kind);
        Assert.Equal("STMT-20260305-SAFE-0001", statement.StatementId);
        Assert.Equal("SAFE-0001", statement.Account);
        Assert.Equal(March5, statement.Date);
        Assert.Equal(StatementBasis.SettlementDate, statement.Basis);
        Assert.Null(statement.Currency);
        Assert.Equal([new HoldingLine("DE0007164600", 4000m), new HoldingLine("US0378331005", 250m)], statement.Holdings);
        Assert.Empty(statement.Entries);
        Assert.Empty(statement.Balances);
        Assert.Null(Semt002.Validate(Sample(CustodySample)));
    }

    [Fact]
    public void A_short_holding_is_negative_and_a_trade_date_statement_says_so()
    {
        string xml = Changed(CustodySample, "<ShrtLngInd>LONG</ShrtLngInd>\n        <Qty>\n          <Qty>\n            <Qty>\n              <Unit>250</Unit>",
            "<ShrtLngInd>SHOR</ShrtLngInd>\n        <Qty>\n          <Qty>\n            <Qty>\n              <Unit>250.5</Unit>")
            .Replace("<Cd>SETT</Cd>", "<Cd>TRAD</Cd>", StringComparison.Ordinal)
            .Replace("<Dt>2026-03-05</Dt>", "<DtTm>2026-03-06T07:30:00+01:00</DtTm>", StringComparison.Ordinal);
        Statement statement = One(Semt002.Read("custody.xml", xml));
        Assert.Equal(StatementBasis.TradeDate, statement.Basis);
        Assert.Equal(new LocalDate(2026, 3, 6), statement.Date);
        Assert.Equal([new HoldingLine("DE0007164600", 4000m), new HoldingLine("US0378331005", -250.5m)], statement.Holdings);
    }

    [Fact]
    public void Face_amounts_and_an_empty_account_are_read()
    {
        string bond = Changed(CustodySample, "<Unit>4000</Unit>", "<FaceAmt>100000</FaceAmt>");
        Assert.Equal(100000m, One(Semt002.Read("custody.xml", bond)).Holdings[0].Quantity);

        string[] lines = Sample(CustodySample).Split('\n');
        int from = LineOf(Sample(CustodySample), "<BalForAcct>") - 1;
        int to = Array.FindLastIndex(lines, l => l.Contains("</BalForAcct>", StringComparison.Ordinal));
        string empty = string.Join('\n', lines[..from].Concat(lines[(to + 1)..]));
        Assert.Empty(One(Semt002.Read("custody.xml", empty)).Holdings);
    }

    [Fact]
    public void A_holding_without_an_isin_is_refused_naming_its_line()
    {
        string xml = Changed(CustodySample, "<ISIN>US0378331005</ISIN>", "<Desc>Apple Inc. common stock</Desc>");
        Rejection? rejection = Semt002.Read("custody.xml", xml).Rejection;
        Assert.Equal("semt002.no-isin", rejection?.Rule);
        // The line of the FinInstrmId holding the description.
        Assert.Equal($"custody.xml, line {LineOf(xml, "<Desc>") - 1}", rejection!.Location);
        Assert.Contains("FinInstrmId/ISIN", rejection.Message, StringComparison.Ordinal);

        string badCheckDigit = Changed(CustodySample, "<ISIN>US0378331005</ISIN>", "<ISIN>US0378331006</ISIN>");
        Assert.Equal("semt002.isin", Semt002.Read("custody.xml", badCheckDigit).Rejection?.Rule);
    }

    [Fact]
    public void A_basis_that_is_missing_proprietary_or_contractual_is_refused_naming_the_field()
    {
        string missing = Changed(CustodySample, "<StmtBsis>\n        <Cd>SETT</Cd>\n      </StmtBsis>\n", "");
        Rejection? schema = Semt002.Read("custody.xml", missing).Rejection;
        Assert.Equal("semt002.schema", schema?.Rule);
        Assert.Contains("StmtBsis", schema!.Message, StringComparison.Ordinal);
        Assert.Equal($"custody.xml, line {LineOf(missing, "<ActvtyInd>")}", schema.Location);

        string proprietary = Changed(CustodySample, "<Cd>SETT</Cd>", "<Prtry><Id>EOD1</Id><Issr>CUSTODIAN</Issr></Prtry>");
        Rejection? rejection = Semt002.Read("custody.xml", proprietary).Rejection;
        Assert.Equal("semt002.basis", rejection?.Rule);
        Assert.Contains("StmtBsis", rejection!.Message, StringComparison.Ordinal);
        Assert.Equal($"custody.xml, line {LineOf(proprietary, "<StmtBsis>")}", rejection.Location);

        string contractual = Changed(CustodySample, "<Cd>SETT</Cd>", "<Cd>CONT</Cd>");
        Assert.Equal("semt002.basis", Semt002.Read("custody.xml", contractual).Rejection?.Rule);
    }

    [Fact]
    public void Delta_paged_and_sub_account_statements_are_refused()
    {
        Assert.Equal("semt002.update-type", Semt002.Read("c.xml", Changed(CustodySample, "<Cd>COMP</Cd>", "<Cd>DELT</Cd>")).Rejection?.Rule);
        Assert.Equal("semt002.pages", Semt002.Read("c.xml", Changed(CustodySample, "<LastPgInd>true</LastPgInd>", "<LastPgInd>false</LastPgInd>")).Rejection?.Rule);
        Assert.Equal("semt002.pages", Semt002.Read("c.xml", Changed(CustodySample, "<PgNb>1</PgNb>", "<PgNb>2</PgNb>")).Rejection?.Rule);
        string noAccount = Changed(CustodySample, "<SfkpgAcct>\n      <Id>SAFE-0001</Id>\n    </SfkpgAcct>\n", "");
        Assert.Equal("semt002.no-account", Semt002.Read("c.xml", noAccount).Rejection?.Rule);
        string noId = Changed(CustodySample, "<StmtId>STMT-20260305-SAFE-0001</StmtId>\n", "");
        Assert.Equal("semt002.no-statement-id", Semt002.Read("c.xml", noId).Rejection?.Rule);
        string proprietary = Changed(CustodySample, "<Qty>\n          <Qty>\n            <Qty>\n              <Unit>250</Unit>\n            </Qty>\n          </Qty>\n        </Qty>",
            "<Qty><Prtry><Id>ABCD</Id><Issr>CUSTODIAN</Issr><Bal>250</Bal></Prtry></Qty>");
        Assert.Equal("semt002.quantity", Semt002.Read("c.xml", proprietary).Rejection?.Rule);
        // A long holding of a negative number of units contradicts itself.
        Assert.Equal("semt002.quantity", Semt002.Read("c.xml", Changed(CustodySample, "<Unit>250</Unit>", "<Unit>-250</Unit>")).Rejection?.Rule);
    }

    [Fact]
    public void Schema_invalid_custody_xml_is_refused_naming_the_line()
    {
        string xml = Changed(CustodySample, "<Unit>250</Unit>", "<Unit>two hundred and fifty</Unit>");
        Rejection? rejection = Semt002.Read("custody.xml", xml).Rejection;
        Assert.Equal("semt002.schema", rejection?.Rule);
        Assert.Equal($"custody.xml, line {LineOf(xml, "two hundred")}", rejection!.Location);
        Assert.Equal(rejection with { Location = $"line {LineOf(xml, "two hundred")}" }, Semt002.Validate(xml));
    }

    [Fact]
    public void The_cash_sample_reads_as_balances_and_one_signed_entry()
    {
        Statement statement = One(Camt053.Read(CashSample, Sample(CashSample)));
        Assert.Equal(StatementKind.Cash, statement.Kind);
        Assert.Equal("EUR-CASH-20260305", statement.StatementId);
        Assert.Equal("DE89370400440532013000", statement.Account);
        Assert.Equal(March5, statement.Date);
        Assert.Equal(StatementBasis.SettlementDate, statement.Basis);
        Assert.Equal("EUR", statement.Currency);
        Assert.Empty(statement.Holdings);
        Assert.Equal([new CashBalance("OPBD", 100000.00m, March5), new CashBalance("CLBD", 112500.00m, March5)], statement.Balances);
        Assert.Equal([new CashEntry(12500.00m, March5, March5, "CLIENT-C1001-DEPOSIT", "Client C1001 cash deposit")], statement.Entries);
        Assert.Null(Camt053.Validate(Sample(CashSample)));
    }

    [Fact]
    public void A_debit_is_negative_and_references_fall_back_to_the_banks()
    {
        string xml = Changed(CashSample, "<Amt Ccy=\"EUR\">12500.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>", "<Amt Ccy=\"EUR\">12500.00</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>")
            .Replace("<Amt Ccy=\"EUR\">112500.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>", "<Amt Ccy=\"EUR\">2500.00</Amt>\n        <CdtDbtInd>DBIT</CdtDbtInd>", StringComparison.Ordinal)
            .Replace("CLIENT-C1001-DEPOSIT", "NOTPROVIDED", StringComparison.Ordinal)
            .Replace("<Ustrd>Client C1001 cash deposit</Ustrd>", "<Ustrd>Fee</Ustrd><Ustrd>March</Ustrd>", StringComparison.Ordinal);
        Statement statement = One(Camt053.Read("cash.xml", xml));
        Assert.Equal(new CashBalance("CLBD", -2500.00m, March5), statement.Balances[1]);
        Assert.Equal(new CashEntry(-12500.00m, March5, March5, "BANKREF-7781", "Fee March"), Assert.Single(statement.Entries));

        // Without the bank's reference the entry reference is taken; AddtlNtryInf is preferred to the remittance text.
        string entryRefOnly = xml.Replace("<AcctSvcrRef>BANKREF-7781</AcctSvcrRef>\n", "", StringComparison.Ordinal)
            .Replace("      </NtryDtls>\n", "      </NtryDtls>\n        <AddtlNtryInf>Custody fee, March</AddtlNtryInf>\n", StringComparison.Ordinal);
        CashEntry entry = Assert.Single(One(Camt053.Read("cash.xml", entryRefOnly)).Entries);
        Assert.Equal("1", entry.Reference);
        Assert.Equal("Custody fee, March", entry.Description);
    }

    [Fact]
    public void Other_account_ids_several_statements_and_the_currency_of_the_balances_are_read()
    {
        string other = Changed(CashSample, "<IBAN>DE89370400440532013000</IBAN>", "<Othr><Id>CASH-7</Id></Othr>")
            .Replace("        <Ccy>EUR</Ccy>\n", "", StringComparison.Ordinal);
        string[] lines = other.Split('\n');
        int from = LineOf(other, "<Stmt>") - 1;
        int to = LineOf(other, "</Stmt>");
        string second = string.Join('\n', lines[from..to])
            .Replace("EUR-CASH-20260305", "EUR-CASH-20260306", StringComparison.Ordinal)
            .Replace("2026-03-05", "2026-03-06", StringComparison.Ordinal);
        string both = string.Join('\n', lines[..to].Append(second).Concat(lines[to..]));
        Result<IReadOnlyList<Statement>> read = Camt053.Read("cash.xml", both);
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        Assert.Equal(["EUR-CASH-20260305", "EUR-CASH-20260306"], read.Value.Select(s => s.StatementId));
        Assert.Equal([March5, new LocalDate(2026, 3, 6)], read.Value.Select(s => s.Date));
        Assert.All(read.Value, s => Assert.Equal(("CASH-7", "EUR"), (s.Account, s.Currency)));
    }

    [Fact]
    public void The_closing_balance_date_is_the_statement_date_when_the_statement_is_created_next_morning()
    {
        string xml = Changed(CashSample, "<CreDtTm>2026-03-05T22:00:00Z</CreDtTm>\n      <FrToDt>", "<CreDtTm>2026-03-06T06:00:00Z</CreDtTm>\n      <FrToDt>");
        Assert.Equal(March5, One(Camt053.Read("cash.xml", xml)).Date);
    }

    [Fact]
    public void An_amount_in_another_currency_is_refused_naming_its_line()
    {
        string xml = Changed(CashSample, "<Amt Ccy=\"EUR\">12500.00</Amt>", "<Amt Ccy=\"USD\">12500.00</Amt>");
        Rejection? rejection = Camt053.Read("cash.xml", xml).Rejection;
        Assert.Equal("camt053.currency", rejection?.Rule);
        Assert.Equal($"cash.xml, line {LineOf(xml, "USD")}", rejection!.Location);
        Assert.Contains("USD", rejection.Message, StringComparison.Ordinal);

        string balance = Changed(CashSample, "<Acct>\n        <Id>\n          <IBAN>DE89370400440532013000</IBAN>\n        </Id>\n        <Ccy>EUR</Ccy>",
            "<Acct>\n        <Id>\n          <IBAN>DE89370400440532013000</IBAN>\n        </Id>\n        <Ccy>CHF</Ccy>");
        Rejection? balanceRejection = Camt053.Read("cash.xml", balance).Rejection;
        Assert.Equal("camt053.currency", balanceRejection?.Rule);
        Assert.Equal($"cash.xml, line {LineOf(balance, "100000.00")}", balanceRejection!.Location);
    }

    [Fact]
    public void Unbooked_entries_and_schema_errors_are_refused_naming_the_line()
    {
        string pending = Changed(CashSample, "<Cd>BOOK</Cd>", "<Cd>PDNG</Cd>");
        Rejection? status = Camt053.Read("cash.xml", pending).Rejection;
        Assert.Equal("camt053.entry-status", status?.Rule);
        Assert.Equal($"cash.xml, line {LineOf(pending, "<Sts>")}", status!.Location);

        string noBookingDate = Changed(CashSample, "<BookgDt>\n          <Dt>2026-03-05</Dt>\n        </BookgDt>\n", "");
        Assert.Equal("camt053.no-booking-date", Camt053.Read("cash.xml", noBookingDate).Rejection?.Rule);

        string invalid = Changed(CashSample, "<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>", "<CdtDbtInd>CREDIT</CdtDbtInd>\n        <Sts>");
        Rejection? schema = Camt053.Read("cash.xml", invalid).Rejection;
        Assert.Equal("camt053.schema", schema?.Rule);
        Assert.Equal($"cash.xml, line {LineOf(invalid, "CREDIT")}", schema!.Location);
        Assert.Equal(schema with { Location = $"line {LineOf(invalid, "CREDIT")}" }, Camt053.Validate(invalid));
    }

    [Fact]
    public void A_dtd_with_an_external_entity_is_refused_and_the_entity_is_never_read()
    {
        string secret = Path.Combine(Path.GetTempPath(), $"statement-entity-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "SECRET-CONTENT-OF-THE-ENTITY");
        try
        {
            string uri = new Uri(secret).AbsoluteUri;
            string custody = Sample(CustodySample).Replace("<Document", $"<!DOCTYPE Document [<!ENTITY x SYSTEM \"{uri}\">]>\n<Document", StringComparison.Ordinal)
                .Replace("SAFE-0001</Id>", "&x;</Id>", StringComparison.Ordinal);
            string cash = Sample(CashSample).Replace("<Document", $"<!DOCTYPE Document [<!ENTITY x SYSTEM \"{uri}\">]>\n<Document", StringComparison.Ordinal)
                .Replace("<Id>EUR-CASH-20260305</Id>", "<Id>&x;</Id>", StringComparison.Ordinal);
            Rejection?[] rejections =
            [
                Semt002.Read("evil.xml", custody).Rejection, Semt002.Validate(custody),
                Camt053.Read("evil.xml", cash).Rejection, Camt053.Validate(cash),
            ];
            foreach (Rejection? rejection in rejections)
            {
                Assert.Equal("iso20022.dtd", rejection?.Rule);
                Assert.DoesNotContain("SECRET-CONTENT", rejection!.ToString(), StringComparison.Ordinal);
            }
            Assert.Equal("evil.xml", rejections[0]!.Location);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Another_message_or_version_is_an_unknown_message()
    {
        Rejection? cashAsCustody = Semt002.Read("cash.xml", Sample(CashSample)).Rejection;
        Assert.Equal("iso20022.unknown-message", cashAsCustody?.Rule);
        Assert.Contains(Camt053.Namespace, cashAsCustody!.Message, StringComparison.Ordinal);
        Assert.Equal("iso20022.unknown-message", Camt053.Read("custody.xml", Sample(CustodySample)).Rejection?.Rule);
        string older = Changed(CashSample, "camt.053.001.12", "camt.053.001.08");
        Assert.Equal("iso20022.unknown-message", Camt053.Read("old.xml", older).Rejection?.Rule);
        Assert.Equal("iso20022.unknown-message", Camt053.Validate(older)?.Rule);
        Assert.Equal("iso20022.xml", Camt053.Read("cash.xml", "not xml").Rejection?.Rule);
    }

    private const string CustodyHeader = "statement_id,account,date,basis,isin,quantity\n";
    private const string CashHeader = "statement_id,account,currency,date,kind,amount,booking_date,value_date,reference,description\n";

    [Fact]
    public void A_custody_csv_reads_as_one_statement_with_signed_quantities()
    {
        Result<Statement> read = StatementCsv.ReadCustody("holdings.csv", CustodyHeader + """
            S-1,"SAFE,0001",2026-03-05,settlement,DE0007164600,4000
            S-1,"SAFE,0001",2026-03-05,Settlement,US0378331005,-250.5

            """.ReplaceLineEndings("\n"));
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        Statement statement = read.Value;
        Assert.Equal((StatementKind.Custody, "S-1", "SAFE,0001", March5, StatementBasis.SettlementDate, (string?)null),
            (statement.Kind, statement.StatementId, statement.Account, statement.Date, statement.Basis, statement.Currency));
        Assert.Equal([new HoldingLine("DE0007164600", 4000m), new HoldingLine("US0378331005", -250.5m)], statement.Holdings);
        Assert.Equal(StatementBasis.TradeDate,
            StatementCsv.ReadCustody("h.csv", CustodyHeader + "S-1,A,2026-03-05,trade,DE0007164600,1\n").Value.Basis);
    }

    [Theory]
    [InlineData("S-1,A,2026-03-05,contractual,DE0007164600,1\n", "field.enumeration", "holdings.csv:2, field basis")]
    [InlineData("S-1,A,2026-03-05,trade,DE0007164600,1\nS-2,A,2026-03-05,trade,US0378331005,1\n", "statement.mixed", "holdings.csv:3, field statement_id")]
    [InlineData("S-1,A,2026-03-05,trade,DE0007164600,1\nS-1,A,2026-03-05,settlement,US0378331005,1\n", "statement.mixed", "holdings.csv:3, field basis")]
    [InlineData("S-1,A,2026-03-05,trade,DE0007164600,1\nS-1,B,2026-03-05,trade,US0378331005,1\n", "statement.mixed", "holdings.csv:3, field account")]
    [InlineData("S-1,A,2026-03-05,trade,DE0007164600,1\nS-1,A,2026-03-06,trade,US0378331005,1\n", "statement.mixed", "holdings.csv:3, field date")]
    [InlineData("S-1,A,2026-03-05,trade,DE0007164600,1\nS-1,A,2026-03-05,trade,US0378331006,1\n", "field.isin", "holdings.csv:3, field isin")]
    [InlineData("S-1,A,2026-03-05,trade,DE0007164600,1e3\n", "field.decimal", "holdings.csv:2, field quantity")]
    [InlineData("S-1,A,05/03/2026,trade,DE0007164600,1\n", "field.date", "holdings.csv:2, field date")]
    [InlineData(",A,2026-03-05,trade,DE0007164600,1\n", "field.required", "holdings.csv:2, field statement_id")]
    [InlineData("", "statement.empty", "holdings.csv")]
    [InlineData("S-1,A,2026-03-05,trade,DE0007164600\n", "csv.field-count", "holdings.csv:2")]
    public void Custody_csv_errors_name_the_line_and_field(string rows, string rule, string location)
    {
        Rejection? rejection = StatementCsv.ReadCustody("holdings.csv", CustodyHeader + rows).Rejection;
        Assert.Equal(rule, rejection?.Rule);
        Assert.Equal(location, rejection!.Location);
    }

    [Fact]
    public void A_cash_csv_reads_as_balances_and_signed_entries()
    {
        Result<Statement> read = StatementCsv.ReadCash("cash.csv", CashHeader + """
            EUR-1,DE89370400440532013000,EUR,2026-03-05,opening,100000.00,,,,
            EUR-1,DE89370400440532013000,EUR,2026-03-05,entry,12500.00,2026-03-05,2026-03-05,CLIENT-C1001-DEPOSIT,"Client C1001, cash deposit"
            EUR-1,DE89370400440532013000,EUR,2026-03-05,entry,-25.00,2026-03-05,,,
            EUR-1,DE89370400440532013000,EUR,2026-03-05,closing,112475.00,,,,
            """.ReplaceLineEndings("\n"));
        Assert.True(read.IsAccepted, read.Rejection?.ToString());
        Statement statement = read.Value;
        Assert.Equal((StatementKind.Cash, "EUR-1", "DE89370400440532013000", March5, StatementBasis.SettlementDate, "EUR"),
            (statement.Kind, statement.StatementId, statement.Account, statement.Date, statement.Basis, statement.Currency));
        Assert.Equal([new CashBalance("OPBD", 100000.00m, March5), new CashBalance("CLBD", 112475.00m, March5)], statement.Balances);
        Assert.Equal(
            [
                new CashEntry(12500.00m, March5, March5, "CLIENT-C1001-DEPOSIT", "Client C1001, cash deposit"),
                new CashEntry(-25.00m, March5, null, null, null),
            ],
            statement.Entries);
        Assert.Empty(statement.Holdings);
    }

    [Theory]
    [InlineData("E,A,EUR,2026-03-05,entry,12.500,00,2026-03-05,,,\n", "csv.field-count", "cash.csv:2")]
    [InlineData("E,A,EUR,2026-03-05,entry,\"12,50\",2026-03-05,,,\n", "field.decimal", "cash.csv:2, field amount")]
    [InlineData("E,A,EUR,2026-03-05,opening,1,,,,\nE,A,EUR,2026-03-05,entry,ten,2026-03-05,,,\n", "field.decimal", "cash.csv:3, field amount")]
    [InlineData("E,A,EUR,2026-03-05,opening,1,,,,\nE,A,USD,2026-03-05,entry,1,2026-03-05,,,\n", "statement.mixed", "cash.csv:3, field currency")]
    [InlineData("E,A,EUR,2026-03-05,opening,1,2026-03-05,,,\n", "field.not-allowed", "cash.csv:2, field booking_date")]
    [InlineData("E,A,EUR,2026-03-05,closing,1,,,,\nE,A,EUR,2026-03-05,closing,2,,,,\n", "statement.duplicate-balance", "cash.csv:3, field kind")]
    [InlineData("E,A,EUR,2026-03-05,entry,1,,,,\n", "field.required", "cash.csv:2, field booking_date")]
    [InlineData("E,A,EUR,2026-03-05,entry,1,2026-03-05,2026-02-30,,\n", "field.date", "cash.csv:2, field value_date")]
    [InlineData("E,A,EUR,2026-03-05,interest,1,2026-03-05,,,\n", "field.enumeration", "cash.csv:2, field kind")]
    [InlineData("E,A,XXY,2026-03-05,entry,1,2026-03-05,,,\n", "field.currency", "cash.csv:2, field currency")]
    [InlineData("E,A,EUR,2026-03-05,entry,1,2026-03-05,,\"unclosed,\n", "csv.quote", "cash.csv:2")]
    public void Cash_csv_errors_name_the_line_and_field(string rows, string rule, string location)
    {
        Rejection? rejection = StatementCsv.ReadCash("cash.csv", CashHeader + rows).Rejection;
        Assert.Equal(rule, rejection?.Rule);
        Assert.Equal(location, rejection!.Location);
    }
}

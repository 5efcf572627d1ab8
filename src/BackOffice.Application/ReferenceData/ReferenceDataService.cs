using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BackOffice.Application.WritePath;
using BackOffice.Domain.Primitives;
using BackOffice.Domain.ReferenceData;

namespace BackOffice.Application.ReferenceData;

/// <summary>
/// Loads reference data through the write path: the change is validated whole against the
/// reference rules and what is already booked, then applied in one transaction with an audit
/// record that keeps the change itself, so every version of every record can be read back.
/// </summary>
public sealed class ReferenceDataService(CommandProcessor processor)
{
    private static readonly JsonSerializerOptions s_payloadOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new LocalDateJsonConverter() },
        WriteIndented = false,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { OmitLaterFieldsWhileEmpty } },
    };

    // Fields added to the payload after files were first imported: left out while empty, so a file
    // imported before they existed has the same payload (and key) and still replays.
    private static readonly HashSet<string> s_laterFields = new(StringComparer.Ordinal) { "close_out_rules", "central_bank_rates", "penalty_rates", "csdr_category", "free_of_payment" };

    private static void OmitLaterFieldsWhileEmpty(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        foreach (System.Text.Json.Serialization.Metadata.JsonPropertyInfo property in type.Properties)
        {
            if (s_laterFields.Contains(property.Name))
            {
                property.ShouldSerialize = static (_, value) => value is not (null or false) && value is not System.Collections.ICollection { Count: 0 };
            }
        }
    }

    /// <summary>Validates and applies <paramref name="changes"/>; the key defaults to one derived from the content.</summary>
    public async Task<CommandOutcome> ImportAsync(ReferenceChanges changes, IReadOnlyList<string>? locations, string actor, string? key,
        CancellationToken cancellationToken)
    {
        string payload = JsonSerializer.Serialize(changes, s_payloadOptions);
        Sha256Hash payloadHash = Sha256Hash.Of(Encoding.UTF8.GetBytes(payload));
        if (!IdempotencyKey.TryCreate(key ?? "refdata/" + payloadHash, out IdempotencyKey idempotencyKey, out string reason))
        {
            var rejection = new Rejection("command.key", reason);
            return new CommandOutcome(CommandStatus.Rejected, rejection.ToString(), rejection, null, []);
        }
        var command = new CommandEnvelope("refdata.import", actor, idempotencyKey, payloadHash, payload);
        return await processor.ExecuteAsync(command, async (unitOfWork, ct) =>
        {
            KnownReference known = await unitOfWork.ReadKnownReferenceAsync(ct);
            if (ReferenceRules.Validate(changes, known, locations) is { } rejection)
            {
                return rejection;
            }
            return new CommandEffects([], changes, Describe(changes));
        }, dryRun: false, cancellationToken);
    }

    private static string Describe(ReferenceChanges changes)
    {
        var parts = new List<string>();
        void Add(int count, string what)
        {
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {what}"));
            }
        }
        Add(changes.Currencies.Count, "currencies");
        Add(changes.Markets.Count, "markets");
        Add(changes.Instruments.Count, "instruments");
        Add(changes.Parties.Count, "parties");
        Add(changes.ClientAccounts.Count, "client accounts");
        Add(changes.Books.Count, "books");
        Add(changes.LedgerAccounts.Count, "ledger accounts");
        Add(changes.FeeRules.Count, "fee rules");
        Add(changes.SettlementInstructions.Count, "settlement instructions");
        Add(changes.Prices.Count, "prices");
        Add(changes.Splits.Count, "splits");
        Add(changes.NettingAgreements.Count, "netting agreements");
        Add(changes.FxRates.Count, "FX rates");
        Add(changes.InterestRates.Count, "interest rates");
        Add(changes.CloseOutRules.Count, "close-out rules");
        Add(changes.CentralBankRates.Count, "central bank rates");
        Add(changes.PenaltyRates.Count, "penalty rates");
        Add(changes.StatementAccounts.Count, "statement accounts");
        Add(changes.MifirFirms.Count, "MiFIR firm settings");
        Add(changes.MifirClients.Count, "MiFIR client identities");
        Add(changes.RestrictedList.Count, "restricted instruments");
        Add(changes.TradingLimits.Count, "trading limits");
        return "loaded " + (parts.Count == 0 ? "nothing" : string.Join(", ", parts));
    }
}

/// <summary>Writes dates as ISO 8601 (yyyy-MM-dd), the form used in every file and message.</summary>
internal sealed class LocalDateJsonConverter : JsonConverter<NodaTime.LocalDate>
{
    public override NodaTime.LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        NodaTime.Text.LocalDatePattern.Iso.Parse(reader.GetString()!).GetValueOrThrow();

    public override void Write(Utf8JsonWriter writer, NodaTime.LocalDate value, JsonSerializerOptions options) =>
        writer.WriteStringValue(NodaTime.Text.LocalDatePattern.Iso.Format(value));
}

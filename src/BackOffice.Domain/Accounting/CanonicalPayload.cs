using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Accounting;

/// <summary>
/// Payload hashes of submitted requests, for idempotency: the same key with the same payload is a
/// replay, the same key with a different payload a conflict. Amounts are hashed in their shortest
/// form, so 10.0 and 10.00 are the same payload.
/// </summary>
public static class CanonicalPayload
{
    [ThreadStatic]
    private static CanonicalWriter? t_writer;

    private static CanonicalWriter Writer => t_writer ??= new CanonicalWriter();

    /// <summary>Hash of an entry request.</summary>
    public static Sha256Hash Hash(JournalEntryRequest request)
    {
        CanonicalWriter writer = Writer.Begin('E')
            .Text(request.Key)
            .Date(request.EffectiveDate)
            .Text(request.Reason)
            .Text(request.SourceReference)
            .Int64(request.Postings.Count);
        foreach (PostingRequest line in request.Postings)
        {
            writer.Text(line.LedgerAccountCode).Text(line.AssetCode).Int64((long)line.Direction).Decimal(line.Amount);
        }
        return writer.ToHash();
    }

    /// <summary>Hash of a reversal request.</summary>
    public static Sha256Hash Hash(ReversalRequest request) =>
        Writer.Begin('R')
            .Text(request.Key)
            .Int64(request.Original.Value)
            .Date(request.EffectiveDate)
            .Text(request.Reason)
            .ToHash();
}

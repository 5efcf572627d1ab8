using System.Security.Cryptography;
using BackOffice.Domain.Accounting;
using BackOffice.Domain.Primitives;

namespace BackOffice.Domain.Audit;

/// <summary>
/// The hash rules of the audit trail. An entry's hash covers every field and posting; a record's
/// hash covers its fields, the digest of its entries' hashes and the previous record's hash.
/// </summary>
public static class AuditChain
{
    [ThreadStatic]
    private static CanonicalWriter? t_writer;

    private static CanonicalWriter Writer => t_writer ??= new CanonicalWriter();

    /// <summary>Hash of a booked journal entry, as stored beside it and folded into its record's digest.</summary>
    public static Sha256Hash HashEntry(JournalEntry entry)
    {
        CanonicalWriter writer = Writer.Begin('J')
            .Int64(entry.Id.Value)
            .Int64(entry.AuditSequence.Value)
            .Date(entry.EffectiveDate)
            .Int64(entry.RecordedAt.ToUnixTimeTicks())
            .Text(entry.Reason)
            .Text(entry.SourceReference);
        _ = entry.Reverses is { } reverses ? writer.Int64(reverses.Value) : writer.Null();
        writer.Text(entry.Key.Value).Hash(entry.PayloadHash).Int64(entry.Postings.Length);
        foreach (Posting posting in entry.Postings)
        {
            writer.Int64(posting.LedgerAccount.Value).Int64(posting.Asset.Value).Int64(posting.Units);
        }
        return writer.ToHash();
    }

    /// <summary>Hash of an audit record (every field but <see cref="AuditRecord.Hash"/>).</summary>
    public static Sha256Hash HashRecord(AuditRecord record)
    {
        CanonicalWriter writer = Writer.Begin('A')
            .Int64(record.Sequence.Value)
            .Int64(record.RecordedAt.ToUnixTimeTicks())
            .Text(record.Actor)
            .Text(record.CommandType)
            .Text(record.Key.Value)
            .Hash(record.PayloadHash);
        _ = record.Payload is null ? writer.Null() : writer.Text(record.Payload);
        return writer.Text(record.Result)
            .Int64(record.EntryCount)
            .Hash(record.EntriesDigest)
            .Hash(record.PreviousHash)
            .ToHash();
    }

    /// <summary>Folds entry hashes, in id order, into one digest.</summary>
    public sealed class EntriesDigestBuilder : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        /// <summary>Entries folded in so far.</summary>
        public int Count { get; private set; }

        /// <summary>Adds the next entry hash.</summary>
        public void Add(Sha256Hash entryHash)
        {
            _hash.AppendData(entryHash.Bytes);
            Count = checked(Count + 1);
        }

        /// <summary>The digest; the builder is reset for reuse.</summary>
        public Sha256Hash Finish()
        {
            Count = 0;
            return Sha256Hash.FromBytes(_hash.GetHashAndReset());
        }

        /// <inheritdoc/>
        public void Dispose() => _hash.Dispose();
    }
}

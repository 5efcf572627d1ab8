using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace BackOffice.Domain.Primitives;

/// <summary>
/// Writes fields in one unambiguous byte form for hashing: every field is a type tag followed by
/// its length and bytes, so no choice of text can make two different records hash alike. This is
/// the form the audit chain and payload hashes are computed over; changing it breaks every chain,
/// so it is versioned by <see cref="FormatVersion"/>.
/// </summary>
public sealed class CanonicalWriter
{
    /// <summary>Version of the byte form, written first in every hashed record.</summary>
    public const byte FormatVersion = 1;

    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>Starts a record of the given kind.</summary>
    public CanonicalWriter Begin(char kind)
    {
        _buffer.ResetWrittenCount();
        WriteByte(FormatVersion);
        WriteByte((byte)kind);
        return this;
    }

    /// <summary>Appends a string as UTF-8.</summary>
    public CanonicalWriter Text(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteByte((byte)'s');
        WriteInt32(length);
        Span<byte> span = _buffer.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
        return this;
    }

    /// <summary>Appends a 64-bit integer.</summary>
    public CanonicalWriter Int64(long value)
    {
        WriteByte((byte)'i');
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    /// <summary>Appends a decimal in its shortest form: 10.0 and 10.00 write the same bytes.</summary>
    public CanonicalWriter Decimal(decimal value)
    {
        // Dividing by 1 with 28 zero decimals strips trailing zeros from the scale.
        decimal shortest = value / 1.0000000000000000000000000000m;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(shortest, bits);
        WriteByte((byte)'d');
        Span<byte> span = _buffer.GetSpan(16);
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[(i * 4)..], bits[i]);
        }
        _buffer.Advance(16);
        return this;
    }

    /// <summary>Appends a calendar date as the number yyyymmdd (no text formatting on the hot path).</summary>
    public CanonicalWriter Date(NodaTime.LocalDate date) => Int64((date.Year * 10_000L) + (date.Month * 100L) + date.Day);

    /// <summary>Appends a null marker (an optional field that is absent).</summary>
    public CanonicalWriter Null()
    {
        WriteByte((byte)'n');
        return this;
    }

    /// <summary>Appends a digest.</summary>
    public CanonicalWriter Hash(Sha256Hash hash)
    {
        WriteByte((byte)'h');
        hash.Bytes.CopyTo(_buffer.GetSpan(Sha256Hash.Size));
        _buffer.Advance(Sha256Hash.Size);
        return this;
    }

    /// <summary>The SHA-256 of everything written since <see cref="Begin"/>.</summary>
    public Sha256Hash ToHash() => Sha256Hash.Of(_buffer.WrittenSpan);

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    private void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }
}

using System.Buffers.Binary;
using System.Text;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// A cursor over the bytes of one structure, decoding HDF5's little-endian fields. Every read is
/// bounds-checked; running off the end is a <see cref="SourceFormatException"/> that names the
/// structure (<c>what</c>) and the file.
/// </summary>
internal ref struct FieldReader
{
    private readonly ReadOnlySpan<byte> data;
    private readonly Hdf5Storage storage;
    private readonly string what;

    public FieldReader(ReadOnlySpan<byte> data, Hdf5Storage storage, string what)
    {
        this.data = data;
        this.storage = storage;
        this.what = what;
        Position = 0;
    }

    public int Position { get; set; }

    public readonly int Length => data.Length;

    public readonly int Remaining => data.Length - Position;

    public readonly Hdf5Storage Storage => storage;

    public readonly string What => what;

    public readonly ReadOnlySpan<byte> Data => data;

    public readonly SourceFormatException Error(string message) => storage.Error($"{what}: {message}");

    public byte U8()
    {
        Need(1);
        return data[Position++];
    }

    public ushort U16()
    {
        Need(2);
        var v = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(Position, 2));
        Position += 2;
        return v;
    }

    public uint U32()
    {
        Need(4);
        var v = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(Position, 4));
        Position += 4;
        return v;
    }

    public ulong U64()
    {
        Need(8);
        var v = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(Position, 8));
        Position += 8;
        return v;
    }

    /// <summary>An unsigned little-endian integer of 0 to 8 bytes.</summary>
    public ulong UVar(int size)
    {
        if (size < 0 || size > 8)
        {
            throw Error($"an integer field of {size} bytes is not supported.");
        }

        Need(size);
        ulong v = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            v = (v << 8) | data[Position + i];
        }

        Position += size;
        return v;
    }

    /// <summary>A variable-size count that must fit in a non-negative long.</summary>
    public long Count(int size, string field)
    {
        ulong v = UVar(size);
        if (v > long.MaxValue)
        {
            throw Error($"{field} {v} is out of range.");
        }

        return (long)v;
    }

    /// <summary>A file address ("size of offsets" bytes); all bits set means undefined (<see cref="Hdf5Storage.Undefined"/>).</summary>
    public long Offset()
    {
        int size = storage.OffsetSize;
        ulong v = UVar(size);
        ulong undefined = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
        if (v == undefined)
        {
            return Hdf5Storage.Undefined;
        }

        if (v > long.MaxValue)
        {
            throw Error($"address {v} is out of range.");
        }

        return (long)v;
    }

    /// <summary>A length ("size of lengths" bytes) that must fit in a non-negative long.</summary>
    public long LengthField(string field) => Count(storage.LengthSize, field);

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0)
        {
            throw Error($"negative field length {count}.");
        }

        Need(count);
        var s = data.Slice(Position, count);
        Position += count;
        return s;
    }

    public void Skip(int count) => Bytes(count);

    public void Expect(ReadOnlySpan<byte> signature, string name)
    {
        if (Remaining < signature.Length || !data.Slice(Position, signature.Length).SequenceEqual(signature))
        {
            throw Error($"the signature '{name}' is missing; this is not the structure the file points to (damaged file?).");
        }

        Position += signature.Length;
    }

    /// <summary>A NUL-terminated string (UTF-8), consuming the terminator.</summary>
    public string CString()
    {
        var rest = data[Position..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw Error("a name is not NUL-terminated.");
        }

        var s = Encoding.UTF8.GetString(rest[..end]);
        Position += end + 1;
        return s;
    }

    /// <summary>A NUL-terminated string whose field is padded with NULs to a multiple of eight bytes.</summary>
    public string PaddedCString()
    {
        int start = Position;
        var s = CString();
        int used = Position - start;
        int padded = (used + 7) & ~7;
        Skip(Math.Min(padded - used, Remaining));
        return s;
    }

    /// <summary>Converts a count to int, failing when it exceeds <paramref name="limit"/>.</summary>
    public readonly int Bounded(long value, long limit, string field)
    {
        if (value < 0 || value > limit)
        {
            throw Error($"{field} {value} is out of range (at most {limit}).");
        }

        return (int)value;
    }

    private readonly void Need(int count)
    {
        if (count > data.Length - Position)
        {
            throw Error($"the structure is shorter than its fields ({data.Length} bytes, needed {Position + (long)count}); the file is damaged.");
        }
    }
}

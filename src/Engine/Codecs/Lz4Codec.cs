using System.Buffers;
using System.Buffers.Binary;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// numcodecs' <c>LZ4</c> codec: a little-endian u32 holding the uncompressed size, then one raw
/// LZ4 block (see <see cref="Lz4Block"/>).
/// </summary>
public sealed class Lz4Codec : IBytesCodec, ISpanEncoder
{
    private const int HeaderSize = 4;

    public Lz4Codec(int acceleration = 1)
    {
        if (acceleration < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(acceleration), acceleration, "LZ4 acceleration must be at least 1.");
        }

        Acceleration = acceleration;
    }

    public string Name => "lz4";

    /// <summary>LZ4's speed/ratio knob: 1 compresses best, larger values run faster.</summary>
    public int Acceleration { get; }

    public byte[] Encode(ReadOnlySpan<byte> data)
    {
        CheckEncodable(data.Length);
        int capacity = MaxEncodedLength(data.Length);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            return scratch.AsSpan(0, Encode(data, scratch.AsSpan(0, capacity))).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public int MaxEncodedLength(int inputLength) => HeaderSize + Lz4Block.MaxCompressedLength(inputLength);

    /// <summary>
    /// Encodes straight into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/>
    /// bytes), so the write path can use a pooled buffer instead of a new array per chunk.
    /// </summary>
    public int Encode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        CheckEncodable(data.Length);
        int capacity = MaxEncodedLength(data.Length);
        if (destination.Length < capacity)
        {
            throw new ArgumentException($"destination must hold at least {capacity} bytes", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)data.Length);
        int written = Lz4Block.Compress(data, destination[HeaderSize..capacity], Acceleration);
        if (written <= 0)
        {
            throw new InvalidOperationException("LZ4 compression overflowed its worst-case bound.");
        }

        return HeaderSize + written;
    }

    private void CheckEncodable(int length)
    {
        if (length > Lz4Block.MaxInputSize)
        {
            throw new CodecException(Name, "InputTooLarge", ErrorKind.InvalidArgument,
                $"{length} bytes exceed the {Lz4Block.MaxInputSize}-byte limit of one LZ4 block.");
        }
    }

    public byte[] Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize + 1)
        {
            throw new CodecException(Name, "CorruptLz4Block", ErrorKind.InvalidData,
                $"the data holds {data.Length} bytes; an LZ4 chunk needs a 4-byte size and at least one block byte (truncated?).");
        }

        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(data);
        ReadOnlySpan<byte> block = data[HeaderSize..];

        // Each input byte can stand for at most 255 output bytes (a length byte of 255), plus a
        // little for the token nibbles; anything larger cannot be this block's content.
        long ceiling = (block.Length * 255L) + 64;
        if (declared > int.MaxValue || declared > Array.MaxLength || declared > ceiling)
        {
            throw new CodecException(Name, "CorruptLz4Block", ErrorKind.InvalidData,
                $"the size prefix says {declared} bytes, which a {block.Length}-byte LZ4 block cannot hold (corrupt prefix?).");
        }

        byte[] result = declared == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)declared);
        int got = Lz4Block.Decompress(block, result);
        if (got != result.Length)
        {
            throw new CodecException(Name, "CorruptLz4Block", ErrorKind.InvalidData,
                $"the block decodes to {got} bytes but the size prefix says {declared}.");
        }

        return result;
    }
}

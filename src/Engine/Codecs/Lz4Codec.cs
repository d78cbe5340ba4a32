using System.Buffers;
using System.Buffers.Binary;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// numcodecs' <c>LZ4</c> codec: a little-endian u32 holding the uncompressed size, then one raw
/// LZ4 block (see <see cref="Lz4Block"/>).
/// </summary>
public sealed class Lz4Codec : IBytesCodec
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
        if (data.Length > Lz4Block.MaxInputSize)
        {
            throw new CodecException(Name, "InputTooLarge", ErrorKind.InvalidArgument,
                $"{data.Length} bytes exceed the {Lz4Block.MaxInputSize}-byte limit of one LZ4 block.");
        }

        int capacity = HeaderSize + Lz4Block.MaxCompressedLength(data.Length);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)data.Length);
            int written = Lz4Block.Compress(data, scratch.AsSpan(HeaderSize, capacity - HeaderSize), Acceleration);
            if (written <= 0)
            {
                throw new InvalidOperationException("LZ4 compression overflowed its worst-case bound.");
            }

            return scratch.AsSpan(0, HeaderSize + written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
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

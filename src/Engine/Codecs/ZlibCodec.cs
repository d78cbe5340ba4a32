using System.Buffers;
using System.IO.Compression;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>numcodecs "zlib" (RFC 1950) and, with <see cref="Gzip"/>, "gzip" (RFC 1952).</summary>
public sealed class ZlibCodec : IBytesCodec, ISpanEncoder
{
    public ZlibCodec(int level, bool gzip = false)
    {
        if (level is < 0 or > 9)
        {
            throw new CodecException(gzip ? "gzip" : "zlib", "InvalidCodecConfiguration", ErrorKind.InvalidArgument, $"level {level} is out of range 0-9.");
        }

        Level = level;
        Gzip = gzip;
    }

    public int Level { get; }

    public bool Gzip { get; }

    public string Name => Gzip ? "gzip" : "zlib";

    public byte[] Encode(ReadOnlySpan<byte> data)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxEncodedLength(data.Length));
        try
        {
            int n = Encode(data, buffer);
            return buffer.AsSpan(0, n).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Room for either coder's worst case: stored blocks for the literal coder, and up to 9 bits per
    /// byte (zlib-ng's static codes) plus block overhead for zlib-ng.
    /// </summary>
    public int MaxEncodedLength(int inputLength) =>
        Math.Max(HuffmanDeflate.MaxCompressedLength(inputLength), checked(inputLength + (inputLength >> 3) + (inputLength >> 6) + 1024));

    public unsafe int Encode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (CodesLiteralsOnly(data))
        {
            return HuffmanDeflate.CompressZlib(data, destination);
        }

        if (data.IsEmpty)
        {
            // .NET's deflate streams write nothing at all for an empty input, which is not a stream
            var empty = Gzip ? EmptyGzip : EmptyZlib;
            empty.CopyTo(destination);
            return empty.Length;
        }

        fixed (byte* d = destination)
        {
            using var target = new UnmanagedMemoryStream(d, 0, destination.Length, FileAccess.Write);
            using (Stream z = Open(target))
            {
                z.Write(data);
            }

            return checked((int)target.Position);
        }
    }

    /// <summary>The streams for an empty input: one final fixed-code block holding only its end code, and the empty input's checksum.</summary>
    private static ReadOnlySpan<byte> EmptyZlib => [0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    private static ReadOnlySpan<byte> EmptyGzip => [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Chunks at least this large are sampled to choose how level 1 codes them.</summary>
    internal const int SampledStrategyMinimum = 256 * 1024;

    private const int SampleLength = 32 * 1024;

    /// <summary>
    /// At level 1, LZ matching finds almost nothing in noisy floating-point data: zlib-ng's level-1
    /// default ("quick", static Huffman codes) is slow there and even grows it. Coding every byte as a
    /// literal with a Huffman code per block (<see cref="HuffmanDeflate"/>) comes within 2% of zlib's
    /// level 1 several times faster. Data with repeats (coordinates, masks, integers) still goes to
    /// zlib-ng. A 32 KiB sample from the middle of the chunk decides; either way the stream is plain zlib.
    /// </summary>
    internal bool CodesLiteralsOnly(ReadOnlySpan<byte> data)
    {
        if (Gzip || Level != 1 || data.Length < SampledStrategyMinimum)
        {
            return false;
        }

        var sample = data.Slice((data.Length - SampleLength) / 2, SampleLength);
        long literals = HuffmanDeflate.EstimateSize(sample);
        var counter = new MemoryStream(SampleLength + 1024);
#if NET9_0_OR_GREATER
        var options = new ZLibCompressionOptions { CompressionLevel = Level };
#else
        var options = CompressionLevel.Fastest;
#endif
        using (var z = new DeflateStream(counter, options, leaveOpen: true))
        {
            z.Write(sample);
        }

        return counter.Length >= literals * 9 / 10;
    }

    private Stream Open(Stream inner)
    {
#if NET9_0_OR_GREATER
        var options = new ZLibCompressionOptions { CompressionLevel = Level };
        return Gzip ? new GZipStream(inner, options, leaveOpen: true) : new ZLibStream(inner, options, leaveOpen: true);
#else
        var level = Level switch
        {
            0 => CompressionLevel.NoCompression,
            <= 5 => CompressionLevel.Fastest,
            <= 8 => CompressionLevel.Optimal,
            _ => CompressionLevel.SmallestSize,
        };
        return Gzip ? new GZipStream(inner, level, leaveOpen: true) : new ZLibStream(inner, level, leaveOpen: true);
#endif
    }

    public byte[] Decode(ReadOnlySpan<byte> data) => Inflate(data, Name, Gzip);

    /// <summary>Inflates a zlib (or gzip) stream; corrupt or truncated input is a <see cref="CodecException"/>.</summary>
    public static unsafe byte[] Inflate(ReadOnlySpan<byte> data, string codec, bool gzip = false)
    {
        if (data.IsEmpty)
        {
            throw new CodecException(codec, "compressed data is empty (a stream has at least a header and a checksum).");
        }

        fixed (byte* p = data)
        {
            using var input = new UnmanagedMemoryStream(p, data.Length);
            using Stream z = gzip ? new GZipStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
            var output = new MemoryStream(Math.Max(256, data.Length * 3));
            try
            {
                z.CopyTo(output);
            }
            catch (InvalidDataException e)
            {
                throw new CodecException(codec, $"compressed data is corrupt: {e.Message}", e);
            }

            return output.ToArray();
        }
    }
}

using System.IO.Compression;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>numcodecs "zlib" (RFC 1950) and, with <see cref="Gzip"/>, "gzip" (RFC 1952).</summary>
public sealed class ZlibCodec : IBytesCodec
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
        var ms = new MemoryStream(data.Length / 2 + 64);
        using (Stream z = Open(ms))
        {
            z.Write(data);
        }

        return ms.ToArray();
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

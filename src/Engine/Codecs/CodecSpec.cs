using System.Globalization;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The codec spec strings of the CLI and the cmdlets: "blosc:lz4:5" (cname:level, byte shuffle),
/// "blosc:zstd:3", "zstd:3", "gzip:6", "zlib:1", "lz4", "none". An optional third blosc field
/// chooses the shuffle: "blosc:lz4:5:noshuffle" or ":bitshuffle".
/// </summary>
public sealed record CodecSpec(string Name, string? Cname, int Level, BloscShuffle Shuffle)
{
    public const string DefaultText = "blosc:lz4:5";

    public static CodecSpec Default { get; } = Parse(DefaultText);

    public static CodecSpec Parse(string text)
    {
        var parts = (text ?? string.Empty).Trim().ToLowerInvariant().Split(':');
        try
        {
            switch (parts[0])
            {
                case "none" when parts.Length == 1:
                    return new("none", null, 0, BloscShuffle.NoShuffle);
                case "lz4" when parts.Length <= 2:
                    return new("lz4", null, parts.Length == 2 ? ParseLevel(parts[1], 1, 65537) : 1, BloscShuffle.NoShuffle);
                case "zstd" when parts.Length <= 2:
                    return new("zstd", null, parts.Length == 2 ? ParseLevel(parts[1], -131072, 22) : 3, BloscShuffle.NoShuffle);
                case "gzip" or "zlib" when parts.Length <= 2:
                    return new(parts[0], null, parts.Length == 2 ? ParseLevel(parts[1], 0, 9) : (parts[0] == "gzip" ? 6 : 1), BloscShuffle.NoShuffle);
                case "blosc" when parts.Length is >= 1 and <= 4:
                    var cname = parts.Length >= 2 ? parts[1] : "lz4";
                    if (cname is not ("lz4" or "zlib" or "zstd"))
                    {
                        throw Bad($"blosc can write cname lz4, zlib or zstd, not '{cname}'");
                    }

                    var shuffle = parts.Length == 4 ? parts[3] switch
                    {
                        "shuffle" => BloscShuffle.Shuffle,
                        "noshuffle" => BloscShuffle.NoShuffle,
                        "bitshuffle" => BloscShuffle.BitShuffle,
                        _ => throw Bad($"blosc shuffle '{parts[3]}' must be shuffle, noshuffle or bitshuffle"),
                    } : BloscShuffle.Shuffle;
                    return new("blosc", cname, parts.Length >= 3 ? ParseLevel(parts[2], 0, 9) : 5, shuffle);
                default:
                    throw Bad("unknown codec");
            }
        }
        catch (FormatException e)
        {
            throw Bad(e.Message);
        }

        ZarrPartitionException Bad(string why) => new("InvalidCodecSpec", ErrorKind.InvalidArgument, text,
            $"Codec spec '{text}' is not valid ({why}). Use one of: blosc:lz4:5, blosc:zstd:3, blosc:zlib:1, zstd:3, gzip:6, zlib:1, lz4, none.");
    }

    private static int ParseLevel(string s, int min, int max)
    {
        if (!int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            throw new FormatException($"level '{s}' must be an integer from {min} to {max}");
        }

        return v;
    }

    /// <summary>The compressor for arrays of <paramref name="dtype"/>, or null for "none".</summary>
    public IBytesCodec? Build(ZarrDataType dtype) => Name switch
    {
        "none" => null,
        "lz4" => new Lz4Codec(Level),
        "zstd" => new ZstdCodec(Level),
        "gzip" => new ZlibCodec(Level, gzip: true),
        "zlib" => new ZlibCodec(Level),
        _ => new BloscCodec(Cname!, Level, Shuffle, dtype.Size),
    };

    public override string ToString() => Name switch
    {
        "none" => "none",
        "lz4" => Level == 1 ? "lz4" : $"lz4:{Level}",
        "blosc" => $"blosc:{Cname}:{Level}" + (Shuffle == BloscShuffle.Shuffle ? "" : Shuffle == BloscShuffle.NoShuffle ? ":noshuffle" : ":bitshuffle"),
        _ => $"{Name}:{Level}",
    };
}

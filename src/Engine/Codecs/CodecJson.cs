using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// Reads and writes codec configurations: v2 "compressor"/"filters" objects (numcodecs ids) and
/// v3 "codecs" lists. Anything we do not implement is refused with an error that names it.
/// </summary>
public static class CodecJson
{
    private static readonly string[] Cnames = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];

    /// <summary>A v2 compressor object ({"id": ...}) as a bytes→bytes codec, or null for null.</summary>
    public static IBytesCodec? FromV2Compressor(JsonNode? node, ZarrDataType dtype, string key)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject o || o["id"]?.GetValueKind() != JsonValueKind.String)
        {
            throw new MetadataException(key, $"compressor must be null or an object with an \"id\"; found {node.ToJsonString()}.");
        }

        var id = o["id"]!.GetValue<string>();
        return Build(id, o, dtype, key, "compressor", isV3: false);
    }

    /// <summary>A v3 bytes→bytes codec entry ({"name":..., "configuration":{...}}).</summary>
    private static IBytesCodec? FromV3BytesCodec(string name, JsonObject config, ZarrDataType dtype, string key)
    {
        var bare = name.StartsWith("numcodecs.", StringComparison.Ordinal) ? name["numcodecs.".Length..] : name;
        return bare switch
        {
            "crc32c" => Crc32cCodec.Instance,
            "gzip" or "zlib" or "zstd" or "blosc" or "lz4" => Build(bare, config, dtype, key, "codecs", isV3: true),
            _ => null,
        };
    }

    private static IBytesCodec Build(string id, JsonObject o, ZarrDataType dtype, string key, string field, bool isV3)
    {
        if (id is not ("blosc" or "zlib" or "gzip" or "zstd" or "lz4"))
        {
            throw new MetadataException(key, $"{field} '{id}' is not supported. Supported: blosc, zstd, zlib, gzip, lz4 (and crc32c in v3). Re-encode the store with another codec.", "UnsupportedCodec", ErrorKind.NotSupported);
        }

        try
        {
            CheckKnownFields(o, id, key, id switch
            {
                "blosc" => ["id", "cname", "clevel", "shuffle", "blocksize", "typesize"],
                "zlib" or "gzip" => ["id", "level"],
                "zstd" => ["id", "level", "checksum"],
                "lz4" => ["id", "acceleration"],
                _ => ["id"],
            });
            switch (id)
            {
                case "zlib":
                    return new ZlibCodec(Int(o, "level", 1));
                case "gzip":
                    return new ZlibCodec(Int(o, "level", 1), gzip: true);
                case "zstd":
                    return new ZstdCodec(Int(o, "level", 0), o["checksum"]?.GetValue<bool>() ?? false);
                case "lz4":
                    return new Lz4Codec(Int(o, "acceleration", 1));
                case "blosc":
                    var cname = o["cname"]?.GetValue<string>() ?? "lz4";
                    if (Array.IndexOf(Cnames, cname) < 0)
                    {
                        throw new MetadataException(key, $"blosc cname '{cname}' is unknown; expected one of {string.Join(", ", Cnames)}.");
                    }

                    var shuffle = ParseShuffle(o["shuffle"], dtype, isV3, key);
                    int typesize = isV3 ? Int(o, "typesize", dtype.Size) : dtype.Size;
                    return new BloscCodec(cname, Int(o, "clevel", 5), shuffle, typesize, Int(o, "blocksize", 0));
                default:
                    throw new MetadataException(key, $"{field} '{id}' is not supported. Supported: blosc, zstd, zlib, gzip, lz4 (and crc32c in v3). Re-encode the store with another codec.", "UnsupportedCodec", ErrorKind.NotSupported);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new MetadataException(key, $"{field} '{id}' has an invalid configuration {o.ToJsonString()}: {e.Message}", inner: e);
        }
    }

    private static BloscShuffle ParseShuffle(JsonNode? node, ZarrDataType dtype, bool isV3, string key)
    {
        if (node is null)
        {
            return isV3 ? BloscShuffle.NoShuffle : BloscShuffle.Shuffle;
        }

        if (node.GetValueKind() == JsonValueKind.String)
        {
            return node.GetValue<string>() switch
            {
                "noshuffle" => BloscShuffle.NoShuffle,
                "shuffle" => BloscShuffle.Shuffle,
                "bitshuffle" => BloscShuffle.BitShuffle,
                var s => throw new MetadataException(key, $"blosc shuffle '{s}' is unknown; expected noshuffle, shuffle or bitshuffle."),
            };
        }

        return node.GetValue<int>() switch
        {
            0 => BloscShuffle.NoShuffle,
            1 => BloscShuffle.Shuffle,
            2 => BloscShuffle.BitShuffle,
            -1 => dtype.Size == 1 ? BloscShuffle.BitShuffle : BloscShuffle.Shuffle, // numcodecs AUTOSHUFFLE
            var n => throw new MetadataException(key, $"blosc shuffle {n} is unknown; expected -1, 0, 1 or 2."),
        };
    }

    private static int Int(JsonObject o, string name, int dflt) => o[name] is { } n ? n.GetValue<int>() : dflt;

    private static void CheckKnownFields(JsonObject o, string codec, string key, string[] known)
    {
        foreach (var kv in o)
        {
            if (Array.IndexOf(known, kv.Key) < 0)
            {
                throw new MetadataException(key, $"codec '{codec}' has an unknown field '{kv.Key}'; we refuse to guess what it means.", "UnknownField");
            }
        }
    }

    /// <summary>v2 metadata for a compressor: {"id": "blosc", ...}.</summary>
    public static JsonObject BytesCodecToV2(IBytesCodec codec) => codec switch
    {
        BloscCodec b => new JsonObject
        {
            ["id"] = "blosc",
            ["cname"] = b.Cname,
            ["clevel"] = b.CLevel,
            ["shuffle"] = (int)b.Shuffle,
            ["blocksize"] = b.BlockSize,
        },
        ZlibCodec z => new JsonObject { ["id"] = z.Name, ["level"] = z.Level },
        ZstdCodec z => z.Checksum
            ? new JsonObject { ["id"] = "zstd", ["level"] = z.Level, ["checksum"] = true }
            : new JsonObject { ["id"] = "zstd", ["level"] = z.Level },
        Lz4Codec l => new JsonObject { ["id"] = "lz4", ["acceleration"] = l.Acceleration },
        _ => throw new MetadataException("compressor", $"codec '{codec.Name}' has no Zarr v2 form.", "UnsupportedCodec", ErrorKind.NotSupported),
    };

    /// <summary>v3 metadata for a bytes→bytes codec.</summary>
    public static JsonObject BytesCodecToV3(IBytesCodec codec) => codec switch
    {
        Crc32cCodec => new JsonObject { ["name"] = "crc32c" },
        BloscCodec b => new JsonObject
        {
            ["name"] = "blosc",
            ["configuration"] = new JsonObject
            {
                ["cname"] = b.Cname,
                ["clevel"] = b.CLevel,
                ["shuffle"] = b.Shuffle switch { BloscShuffle.Shuffle => "shuffle", BloscShuffle.BitShuffle => "bitshuffle", _ => "noshuffle" },
                ["typesize"] = b.TypeSize,
                ["blocksize"] = b.BlockSize,
            },
        },
        ZlibCodec { Gzip: true } z => new JsonObject { ["name"] = "gzip", ["configuration"] = new JsonObject { ["level"] = z.Level } },
        ZlibCodec z => new JsonObject { ["name"] = "numcodecs.zlib", ["configuration"] = new JsonObject { ["level"] = z.Level } },
        ZstdCodec z => new JsonObject { ["name"] = "zstd", ["configuration"] = new JsonObject { ["level"] = z.Level, ["checksum"] = z.Checksum } },
        Lz4Codec l => new JsonObject { ["name"] = "numcodecs.lz4", ["configuration"] = new JsonObject { ["acceleration"] = l.Acceleration } },
        _ => throw new MetadataException("codecs", $"codec '{codec.Name}' has no Zarr v3 form.", "UnsupportedCodec", ErrorKind.NotSupported),
    };

    public static string Describe(IBytesCodec codec) => codec switch
    {
        BloscCodec b => $"blosc:{b.Cname}:{b.CLevel}" + b.Shuffle switch { BloscShuffle.NoShuffle => ":noshuffle", BloscShuffle.BitShuffle => ":bitshuffle", _ => "" },
        ZlibCodec z => $"{z.Name}:{z.Level}",
        ZstdCodec z => $"zstd:{z.Level}",
        _ => codec.Name,
    };

    /// <summary>Parses a v3 "codecs" list into a chain.</summary>
    public static CodecChain FromV3(JsonNode? node, ZarrDataType dtype, string key)
    {
        if (node is not JsonArray list || list.Count == 0)
        {
            throw new MetadataException(key, "codecs must be a non-empty list that includes an array→bytes codec such as \"bytes\".");
        }

        var arrayCodecs = new List<IArrayToArrayCodec>();
        IArrayToBytesCodec? bytesCodec = null;
        var bytesCodecs = new List<IBytesCodec>();
        foreach (var entry in list)
        {
            string name;
            JsonObject config;
            if (entry?.GetValueKind() == JsonValueKind.String)
            {
                name = entry.GetValue<string>();
                config = new JsonObject();
            }
            else if (entry is JsonObject eo && eo["name"]?.GetValueKind() == JsonValueKind.String)
            {
                name = eo["name"]!.GetValue<string>();
                foreach (var kv in eo)
                {
                    if (kv.Key is not ("name" or "configuration" or "must_understand"))
                    {
                        throw new MetadataException(key, $"codec '{name}' has an unknown field '{kv.Key}'.", "UnknownField");
                    }
                }

                config = eo["configuration"] as JsonObject ?? new JsonObject();
            }
            else
            {
                throw new MetadataException(key, $"codec entry {entry?.ToJsonString() ?? "null"} must be a name or an object with \"name\".");
            }

            try
            {
                switch (name)
                {
                    case "transpose":
                        if (bytesCodec is not null)
                        {
                            throw new MetadataException(key, "transpose must come before the array→bytes codec.");
                        }

                        var order = config["order"] is JsonArray oa ? oa.Select(x => x!.GetValue<int>()).ToArray()
                            : throw new MetadataException(key, "transpose needs an \"order\" list (the string forms \"C\"/\"F\" were dropped from the spec).");
                        arrayCodecs.Add(new TransposeCodec(order));
                        break;
                    case "bytes":
                    case "endian":
                        bytesCodec = Single(bytesCodec, key, (config["endian"]?.GetValue<string>() ?? "little") switch
                        {
                            "little" => BytesCodec.Little,
                            "big" => BytesCodec.Big,
                            var e => throw new MetadataException(key, $"bytes endian '{e}' must be \"little\" or \"big\"."),
                        });
                        break;
                    case "sharding_indexed":
                        var chunkShape = config["chunk_shape"] is JsonArray cs ? cs.Select(x => x!.GetValue<int>()).ToArray()
                            : throw new MetadataException(key, "sharding_indexed needs chunk_shape.");
                        var inner = FromV3(config["codecs"] ?? new JsonArray(new JsonObject { ["name"] = "bytes", ["configuration"] = new JsonObject { ["endian"] = "little" } }), dtype, key);
                        var index = config["index_codecs"] is { } ic ? FromV3(ic, ZarrDataType.UInt64, key) : ShardingCodec.DefaultIndexCodecs;
                        var loc = config["index_location"]?.GetValue<string>() ?? "end";
                        if (loc is not ("end" or "start"))
                        {
                            throw new MetadataException(key, $"index_location '{loc}' must be \"start\" or \"end\".");
                        }

                        bytesCodec = Single(bytesCodec, key, new ShardingCodec(chunkShape, inner, index, loc == "end"));
                        break;
                    default:
                        var codec = FromV3BytesCodec(name, config, dtype, key)
                            ?? throw new MetadataException(key, $"codec '{name}' is not supported. Supported: bytes, transpose, sharding_indexed, blosc, zstd, gzip, zlib, lz4, crc32c.", "UnsupportedCodec", ErrorKind.NotSupported);
                        if (bytesCodec is null)
                        {
                            throw new MetadataException(key, $"codec '{name}' is a bytes→bytes codec but appears before the array→bytes codec (\"bytes\").");
                        }

                        bytesCodecs.Add(codec);
                        break;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new MetadataException(key, $"codec '{name}' has an invalid configuration {config.ToJsonString()}: {e.Message}", inner: e);
            }
        }

        if (bytesCodec is null)
        {
            if (dtype.Size == 1)
            {
                bytesCodec = BytesCodec.Little;
            }
            else
            {
                throw new MetadataException(key, "codecs has no array→bytes codec (\"bytes\" or \"sharding_indexed\").");
            }
        }

        return new CodecChain(arrayCodecs, bytesCodec, bytesCodecs);
    }

    private static IArrayToBytesCodec Single(IArrayToBytesCodec? existing, string key, IArrayToBytesCodec codec) =>
        existing is null ? codec : throw new MetadataException(key, "codecs has more than one array→bytes codec.");
}

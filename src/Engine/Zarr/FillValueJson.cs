using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// Fill values in all their JSON forms: numbers, "NaN", "Infinity", "-Infinity", hex bit patterns
/// ("0x7fc00000", v3), base64 (v2 byte strings), booleans. In memory a fill value is one element's
/// little-endian bytes.
/// </summary>
public static class FillValueJson
{
    public static byte[]? Parse(JsonNode? node, ZarrDataType type, int zarrFormat, string key)
    {
        if (node is null)
        {
            if (zarrFormat == 3)
            {
                throw new MetadataException(key, "fill_value is required in Zarr v3 and must not be null.");
            }

            return null;
        }

        var el = JsonSerializer.SerializeToElement(node);
        var bytes = new byte[type.Size];
        try
        {
            switch (type.Kind)
            {
                case DataTypeKind.Bool:
                    bytes[0] = el.ValueKind switch
                    {
                        JsonValueKind.True => 1,
                        JsonValueKind.False => 0,
                        JsonValueKind.Number when el.GetDouble() is 0 or 1 => (byte)el.GetDouble(),
                        _ => throw Bad(),
                    };
                    break;
                case DataTypeKind.Int:
                case DataTypeKind.UInt:
                    WriteInteger(el, type, bytes);
                    break;
                case DataTypeKind.Float:
                    WriteFloat(el, type, bytes);
                    break;
                case DataTypeKind.FixedBytes:
                    if (el.ValueKind == JsonValueKind.Array && el.GetArrayLength() == bytes.Length)
                    {
                        // v3 raw types: one integer per byte
                        int i = 0;
                        foreach (var b in el.EnumerateArray())
                        {
                            bytes[i++] = b.GetByte();
                        }

                        break;
                    }

                    if (el.ValueKind != JsonValueKind.String)
                    {
                        throw Bad();
                    }

                    var raw = Convert.FromBase64String(el.GetString()!);
                    raw.AsSpan(0, Math.Min(raw.Length, bytes.Length)).CopyTo(bytes);
                    break;
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            throw new MetadataException(key, $"fill_value {node.ToJsonString()} is not a valid {type.Name} value.", inner: e);
        }

        return bytes;

        MetadataException Bad() => new(key, $"fill_value {node.ToJsonString()} is not a valid {type.Name} value.");
    }

    private static void WriteInteger(JsonElement el, ZarrDataType type, byte[] bytes)
    {
        if (el.ValueKind == JsonValueKind.String && el.GetString() is { } hex && hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ulong bits = ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.Length == 8 ? bytes : new byte[8], bits);
            if (bytes.Length < 8)
            {
                for (int i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)(bits >> (8 * i));
                }
            }

            return;
        }

        if (el.ValueKind != JsonValueKind.Number)
        {
            throw new FormatException("integer fill value expected");
        }

        if (type.Kind == DataTypeKind.UInt)
        {
            ulong v = el.TryGetUInt64(out var u) ? u : checked((ulong)ParseIntegralDouble(el));
            ulong max = type.Size == 8 ? ulong.MaxValue : (1UL << (type.Size * 8)) - 1;
            if (v > max)
            {
                throw new OverflowException();
            }

            for (int i = 0; i < type.Size; i++)
            {
                bytes[i] = (byte)(v >> (8 * i));
            }
        }
        else
        {
            long v = el.TryGetInt64(out var s) ? s : checked((long)ParseIntegralDouble(el));
            long min = type.Size == 8 ? long.MinValue : -(1L << (type.Size * 8 - 1));
            long max = type.Size == 8 ? long.MaxValue : (1L << (type.Size * 8 - 1)) - 1;
            if (v < min || v > max)
            {
                throw new OverflowException();
            }

            for (int i = 0; i < type.Size; i++)
            {
                bytes[i] = (byte)(v >> (8 * i));
            }
        }
    }

    private static double ParseIntegralDouble(JsonElement el)
    {
        double d = el.GetDouble();
        if (d != Math.Floor(d) || double.IsInfinity(d))
        {
            throw new FormatException("not an integer");
        }

        return d;
    }

    private static void WriteFloat(JsonElement el, ZarrDataType type, byte[] bytes)
    {
        double value;
        if (el.ValueKind == JsonValueKind.String)
        {
            var s = el.GetString()!;
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                ulong bits = ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (type.Size == 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes, checked((uint)bits));
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes, bits);
                }

                return;
            }

            value = s switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                _ => throw new FormatException("unknown float fill value"),
            };
        }
        else if (el.ValueKind == JsonValueKind.Number)
        {
            value = el.GetDouble();
        }
        else
        {
            throw new FormatException("float fill value expected");
        }

        if (double.IsNaN(value))
        {
            // the canonical positive quiet NaN, as numpy's np.nan (.NET's double.NaN has the sign bit set)
            if (type.Size == 4)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x7FC00000u);
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, 0x7FF8000000000000ul);
            }
        }
        else if (type.Size == 4)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)value);
        }
        else
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        }
    }

    /// <summary>The JSON form of a fill value, as zarr-python writes it.</summary>
    public static JsonNode? ToJson(byte[]? value, ZarrDataType type, int zarrFormat)
    {
        if (value is null)
        {
            return zarrFormat == 3 ? ToJson(new byte[type.Size], type, 3) : null;
        }

        ReadOnlySpan<byte> s = value;
        switch (type.Kind)
        {
            case DataTypeKind.Bool:
                return JsonValue.Create(s[0] != 0);
            case DataTypeKind.Int:
                return JsonValue.Create((long)type.ReadAsDoubleExact(s));
            case DataTypeKind.UInt:
                ulong u = 0;
                for (int i = 0; i < type.Size; i++)
                {
                    u |= (ulong)s[i] << (8 * i);
                }

                return JsonValue.Create(u);
            case DataTypeKind.Float:
                double d = type.Size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s);
                if (double.IsNaN(d))
                {
                    return JsonValue.Create("NaN");
                }

                if (double.IsInfinity(d))
                {
                    return JsonValue.Create(d > 0 ? "Infinity" : "-Infinity");
                }

                return JsonValue.Create(d);
            default:
                return zarrFormat == 3 ? new JsonArray(value.Select(b => (JsonNode)(int)b).ToArray()) : JsonValue.Create(Convert.ToBase64String(value));
        }
    }

    /// <summary>Builds a fill value from a number (NaN allowed for floats).</summary>
    public static byte[] FromDouble(double value, ZarrDataType type)
    {
        var node = double.IsNaN(value) ? JsonValue.Create("NaN") : double.IsInfinity(value) ? JsonValue.Create(value > 0 ? "Infinity" : "-Infinity") : (JsonNode)JsonValue.Create(value);
        return Parse(node, type, 3, "fill_value")!;
    }

    private static long ReadAsDoubleExact(this ZarrDataType type, ReadOnlySpan<byte> s) => type.Size switch
    {
        1 => (sbyte)s[0],
        2 => BinaryPrimitives.ReadInt16LittleEndian(s),
        4 => BinaryPrimitives.ReadInt32LittleEndian(s),
        _ => BinaryPrimitives.ReadInt64LittleEndian(s),
    };
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Cf;

/// <summary>
/// Masking and unpacking against Debian's python3-xarray: decode_cf_variable on every raw type with
/// _FillValue / missing_value / scale_factor / add_offset of various types (NetCDF-typed numpy scalars and
/// lists, and JSON ints and floats as a Zarr store gives them). The decoded dtype, the values bit for bit
/// and the missing mask must agree. One Python process.
/// </summary>
public sealed class CfDecoderInteropTests
{
    private const string Script = """
        import json, sys, warnings
        import numpy as np
        import xarray as xr
        from xarray.conventions import decode_cf_variable
        warnings.simplefilter("ignore")
        cases = json.load(open(sys.argv[1]))
        out = []
        for c in cases:
            raw = np.fromfile(c["raw"], dtype=np.dtype(c["dtype"]).newbyteorder("<"))
            attrs = {}
            for a in c["attrs"]:
                t, v = a["type"], a["values"]
                if t == "json-int":
                    val = int(v[0])
                elif t == "json-float":
                    val = float(v[0])
                else:
                    v = [float(x) if np.dtype(t).kind == "f" else int(x) for x in v]
                    val = np.dtype(t).type(v[0]) if len(v) == 1 else np.array(v, dtype=t)
                attrs[a["name"]] = val
            d = np.asarray(decode_cf_variable("v", xr.Variable(("x",), raw, attrs=attrs)).values)
            kind = d.dtype.kind
            (d if kind == "f" else d.astype(np.float64)).astype(d.dtype.newbyteorder("<") if kind == "f" else "<f8").tofile(c["decoded"])
            out.append({"dtype": str(d.dtype)})
        json.dump(out, open(sys.argv[2], "w"))
        """;

    [Fact]
    public void DecodeAndMaskMatchXarray()
    {
        var rng = new Random(424242);
        using var tmp = new TempDir();
        var cases = Cases().ToList();
        var manifest = new JsonArray();
        var raws = new List<byte[]>();
        for (int i = 0; i < cases.Count; i++)
        {
            var (type, attrs, specials) = cases[i];
            var raw = RandomRaw(rng, type, specials, 3000);
            raws.Add(raw);
            File.WriteAllBytes(tmp.Sub($"raw{i}.bin"), raw);
            manifest.Add(new JsonObject
            {
                ["dtype"] = type.V2TypeString,
                ["raw"] = tmp.Sub($"raw{i}.bin"),
                ["decoded"] = tmp.Sub($"dec{i}.bin"),
                ["attrs"] = new JsonArray(attrs.Select(a => (JsonNode)new JsonObject
                {
                    ["name"] = a.Name,
                    ["type"] = a.Type,
                    ["values"] = new JsonArray(a.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                }).ToArray()),
            });
        }

        File.WriteAllText(tmp.Sub("cases.json"), manifest.ToJsonString());
        ReferenceTools.RunPython(Script, tmp.Sub("cases.json"), tmp.Sub("out.json"));
        var results = JsonNode.Parse(File.ReadAllText(tmp.Sub("out.json")))!.AsArray();
        Assert.Equal(cases.Count, results.Count);

        long maskedSeen = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            var (type, attrs, _) = cases[i];
            var what = $"{type.Name} with {string.Join(", ", attrs.Select(a => $"{a.Name}:{a.Type}=[{string.Join(",", a.Values)}]"))}";
            var decoder = CfDecoder.FromAttributes(type, attrs.Select(a => a.ToAttribute()).ToList());
            Assert.True(decoder.DecodedType.Name == (string)results[i]!["dtype"]!, $"{what}: we decode to {decoder.DecodedType.Name}, xarray to {results[i]!["dtype"]}");
            var raw = raws[i];
            int n = raw.Length / type.Size;
            var theirs = File.ReadAllBytes(tmp.Sub($"dec{i}.bin"));
            var missing = new bool[n];
            long count = decoder.Mask.Mark(raw, missing);
            Assert.Equal(count, decoder.Mask.CountMissing(raw));
            if (decoder.DecodedType == ZarrDataType.Float32)
            {
                var ours = new float[n];
                decoder.Decode(raw, ours);
                var xr = MemoryMarshal.Cast<byte, float>(theirs);
                for (int j = 0; j < n; j++)
                {
                    bool same = BitConverter.SingleToInt32Bits(ours[j]) == BitConverter.SingleToInt32Bits(xr[j]) || (float.IsNaN(ours[j]) && float.IsNaN(xr[j]));
                    Assert.True(same, $"{what}: raw {type.ReadAsDouble(raw, j):R} decodes to {ours[j]:R}, xarray {xr[j]:R}");
                    Assert.True(missing[j] == float.IsNaN(xr[j]), $"{what}: raw {type.ReadAsDouble(raw, j):R} missing {missing[j]}, xarray {xr[j]:R}");
                }
            }
            else
            {
                var ours = new double[n];
                decoder.Decode(raw, ours);
                var xr = MemoryMarshal.Cast<byte, double>(theirs);
                for (int j = 0; j < n; j++)
                {
                    bool same = BitConverter.DoubleToInt64Bits(ours[j]) == BitConverter.DoubleToInt64Bits(xr[j]) || (double.IsNaN(ours[j]) && double.IsNaN(xr[j]));
                    Assert.True(same, $"{what}: raw {type.ReadAsDouble(raw, j):R} decodes to {ours[j]:R}, xarray {xr[j]:R}");
                    if (decoder.DecodedType.Kind == DataTypeKind.Float)
                    {
                        Assert.True(missing[j] == double.IsNaN(xr[j]), $"{what}: raw {type.ReadAsDouble(raw, j):R} missing {missing[j]}, xarray {xr[j]:R}");
                    }
                }
            }

            maskedSeen += count;
        }

        Assert.True(maskedSeen > 1000, $"only {maskedSeen} masked values seen");
    }

    /// <summary>An attribute as text (exact for int64 and NaN alike), typed by a numpy code or "json-int"/"json-float".</summary>
    private sealed record Attr(string Name, string Type, string[] Values)
    {
        public AttributeValue ToAttribute() => new(Name, Type switch
        {
            "json-int" or "i8" => Values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "json-float" or "f8" => Values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "f4" => Values.Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "i1" => Values.Select(v => sbyte.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "u1" => Values.Select(v => byte.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "i2" => Values.Select(v => short.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "u2" => Values.Select(v => ushort.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "i4" => Values.Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "u4" => Values.Select(v => uint.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            "u8" => Values.Select(v => ulong.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            _ => throw new ArgumentException(Type),
        });
    }

    private static IEnumerable<(ZarrDataType Type, Attr[] Attrs, double[] Specials)> Cases()
    {
        Attr A(string name, string type, params object[] v) =>
            new(name, type, v.Select(x => x is double d ? d.ToString("R", CultureInfo.InvariantCulture) : x is float f ? f.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(x, CultureInfo.InvariantCulture)!).ToArray());
        var i8 = ZarrDataType.Int8;
        var u8 = ZarrDataType.UInt8;
        var i16 = ZarrDataType.Int16;
        var u16 = ZarrDataType.UInt16;
        var f32 = ZarrDataType.Float32;
        var f64 = ZarrDataType.Float64;

        yield return (i8, [A("_FillValue", "i1", -128), A("scale_factor", "f8", 0.1), A("add_offset", "f8", 3.7)], [-128, -127, 127]);
        yield return (i8, [A("missing_value", "i1", -1, -2), A("scale_factor", "f8", 0.25)], [-1, -2, 0]);
        yield return (i8, [A("add_offset", "f4", 1.1f)], [0]);
        yield return (u8, [A("_FillValue", "u1", 255), A("scale_factor", "f4", 0.5f)], [255, 254, 0]);
        yield return (u8, [A("_FillValue", "json-int", 200)], [200, 255]);
        yield return (i16, [A("_FillValue", "i2", -32768), A("scale_factor", "json-float", 0.0015259254737998596), A("add_offset", "json-float", 0)], [-32768, -32767, 32767]);
        yield return (i16, [A("_FillValue", "i2", -32768), A("scale_factor", "f8", 1.3733329264198736e16), A("add_offset", "f8", 5.5e20)], [-32768, -32767, 32767]);
        yield return (i16, [A("scale_factor", "f8", 0.01), A("add_offset", "f8", 273.15)], [-32768, 32767]);
        yield return (i16, [A("scale_factor", "f4", 0.01f)], [-32768, 32767]);
        yield return (i16, [A("_FillValue", "i2", -9999), A("missing_value", "i2", -9998), A("scale_factor", "f4", 0.02f), A("add_offset", "f4", 250f)], [-9999, -9998]);
        yield return (i16, [A("_FillValue", "json-int", -32768), A("scale_factor", "json-int", 70000), A("add_offset", "json-int", 100000)], [-32768, 32767, 1]);
        yield return (i16, [A("_FillValue", "json-int", -32768), A("scale_factor", "json-int", 3), A("add_offset", "json-int", -7)], [-32768, 32767, 1]);
        yield return (i16, [A("_FillValue", "f8", double.NaN)], [0]);
        yield return (i16, [], [0]);
        yield return (u16, [A("_FillValue", "u2", 65535), A("missing_value", "u2", 0), A("scale_factor", "f8", 1e-3)], [65535, 0, 1]);
        yield return (ZarrDataType.Int32, [A("_FillValue", "i4", int.MinValue), A("scale_factor", "f8", 2.3283064376228985e-08), A("add_offset", "f8", 285.375)], [int.MinValue, int.MaxValue, -int.MaxValue]);
        yield return (ZarrDataType.UInt32, [A("_FillValue", "u4", uint.MaxValue), A("scale_factor", "f4", 0.1f)], [uint.MaxValue]);
        yield return (ZarrDataType.Int64, [A("_FillValue", "json-int", 9007199254740993L)], [9007199254740992, 9007199254740993, 9007199254740994]);
        yield return (ZarrDataType.UInt64, [A("missing_value", "u8", 12345)], [12345]);
        yield return (f32, [A("_FillValue", "f4", -9999), A("missing_value", "json-float", 1e20)], [-9999, 1e20, (float)1e20, double.NaN]);
        yield return (f32, [A("_FillValue", "json-float", 1e39)], [double.PositiveInfinity, float.MaxValue]);
        yield return (f32, [A("_FillValue", "json-int", 16777217), A("missing_value", "json-int", 16777218)], [16777216, 16777218, 16777220]);
        yield return (f32, [A("_FillValue", "f8", 0.1), A("scale_factor", "f8", 0.5), A("add_offset", "f8", 1e5)], [0.1, (float)0.1, double.NaN]);
        yield return (f32, [A("_FillValue", "f4", double.NaN), A("scale_factor", "f8", 2)], [double.NaN]);
        yield return (f64, [A("_FillValue", "f8", 9.969209968386869e36), A("scale_factor", "f8", 0.1), A("add_offset", "f8", -3)], [9.969209968386869e36, double.NaN]);
        yield return (f64, [A("missing_value", "f4", 0.1f)], [0.1, (float)0.1]);
    }

    private static byte[] RandomRaw(Random rng, ZarrDataType type, double[] specials, int n)
    {
        var raw = new byte[n * type.Size];
        var span = raw.AsSpan();
        for (int i = 0; i < n; i++)
        {
            bool special = rng.Next(4) == 0;
            double s = specials[rng.Next(specials.Length)];
            var at = span.Slice(i * type.Size, type.Size);
            switch (type.Kind, type.Size)
            {
                case (DataTypeKind.Int, 1): at[0] = (byte)(special ? (sbyte)s : (sbyte)rng.Next(-128, 128)); break;
                case (DataTypeKind.UInt, 1): at[0] = special ? (byte)s : (byte)rng.Next(256); break;
                case (DataTypeKind.Int, 2): MemoryMarshal.Write(at, special ? (short)s : (short)rng.Next(-32768, 32768)); break;
                case (DataTypeKind.UInt, 2): MemoryMarshal.Write(at, special ? (ushort)s : (ushort)rng.Next(65536)); break;
                case (DataTypeKind.Int, 4): MemoryMarshal.Write(at, special ? (int)s : rng.Next(int.MinValue, int.MaxValue)); break;
                case (DataTypeKind.UInt, 4): MemoryMarshal.Write(at, special ? (uint)s : (uint)rng.NextInt64(0, uint.MaxValue + 1L)); break;
                case (DataTypeKind.Int, 8): MemoryMarshal.Write(at, special ? (long)s : rng.NextInt64(long.MinValue, long.MaxValue)); break;
                case (DataTypeKind.UInt, 8): MemoryMarshal.Write(at, special ? (ulong)s : (ulong)rng.NextInt64(0, long.MaxValue)); break;
                case (DataTypeKind.Float, 4): MemoryMarshal.Write(at, special ? (float)s : (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-5, 8)))); break;
                default: MemoryMarshal.Write(at, special ? s : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-5, 8))); break;
            }
        }

        return raw;
    }
}

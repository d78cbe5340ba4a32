using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Cf;

/// <summary>
/// Packing against Debian's python3-xarray: xarray.conventions.encode_cf_variable packs the same values
/// with our scale_factor/add_offset/_FillValue and must give the same integers; decode_cf_variable reads
/// our integers back and must give the same floats, bit for bit, in the same dtype. One Python process
/// per test; data pass through raw little-endian files.
/// </summary>
public sealed class PackingInteropTests
{
    private const string Script = """
        import json, sys, warnings
        import numpy as np
        import xarray as xr
        from xarray.conventions import encode_cf_variable, decode_cf_variable
        warnings.simplefilter("ignore")
        cases = json.load(open(sys.argv[1]))
        out = []
        for c in cases:
            it = np.dtype(c["packed_dtype"])
            fill = it.type(c["fill"])
            # float attributes, as a store written with a decimal point gives them (json "70000" would be an int)
            scale, offset = float(c["scale"]), float(c["offset"])
            x = np.fromfile(c["values"], dtype=c["dtype"])
            enc = {"dtype": it.str, "scale_factor": scale, "add_offset": offset, "_FillValue": fill}
            e = encode_cf_variable(xr.Variable(("x",), x, encoding=enc), name="v")
            np.asarray(e.values).astype(it.newbyteorder("<")).tofile(c["encoded"])
            p = np.fromfile(c["packed"], dtype=it.newbyteorder("<"))
            attrs = {"scale_factor": scale, "add_offset": offset, "_FillValue": fill}
            d = np.asarray(decode_cf_variable("v", xr.Variable(("x",), p, attrs=attrs)).values)
            d.astype(d.dtype.newbyteorder("<")).tofile(c["decoded"])
            out.append({
                "encoded_dtype": str(e.dtype),
                "decoded_dtype": str(d.dtype),
                "scale_factor": float(e.attrs["scale_factor"]),
                "add_offset": float(e.attrs["add_offset"]),
                "fill": int(e.attrs["_FillValue"]),
            })
        json.dump(out, open(sys.argv[2], "w"))
        """;

    public static TheoryData<int> BitCounts => new() { 8, 16, 32 };

    [Theory]
    [MemberData(nameof(BitCounts))]
    public void EncodeAndDecodeMatchXarray(int bits)
    {
        var rng = new Random(7919 * bits);
        using var tmp = new TempDir();
        var cases = new List<Case>();
        foreach (var (lo, hi) in Ranges(rng, bits))
        {
            foreach (bool single in new[] { false, true })
            {
                double l = lo, h = hi;
                if (single)
                {
                    (l, h) = ((float)lo, (float)hi);
                    if (!(l < h) || !double.IsFinite(l) || !double.IsFinite(h))
                    {
                        continue;
                    }
                }

                var p = Packing.Create("v", bits, new PackingRange(l, h, PackingRangeSource.User));
                cases.Add(new Case(cases.Count, p, single, Values(rng, p, single), tmp));
            }
        }

        var manifest = new JsonArray(cases.Select(c => (JsonNode)c.Write()).ToArray());
        var input = tmp.Sub("cases.json");
        var output = tmp.Sub("out.json");
        File.WriteAllText(input, manifest.ToJsonString());
        ReferenceTools.RunPython(Script, input, output);
        var results = JsonNode.Parse(File.ReadAllText(output))!.AsArray();
        Assert.Equal(cases.Count, results.Count);

        int bitwiseFloat32 = 0, float32Cases = 0;
        long ties = 0, compared = 0;
        foreach (var c in cases)
        {
            var r = results[c.Index]!;
            var p = c.Packing;
            Assert.Equal(p.DataType.Name, (string)r["encoded_dtype"]!);
            Assert.Equal(p.ScaleFactor, (double)r["scale_factor"]!);
            Assert.Equal(p.AddOffset, (double)r["add_offset"]!);
            Assert.Equal(p.FillValue, (int)r["fill"]!);

            // encoding: ours and xarray's integers, exactly
            var theirs = ReadCodes(tmp.Sub($"enc{c.Index}.bin"), bits);
            if (!c.Single || p.EncodesFloat32InFloat32)
            {
                for (int i = 0; i < c.Codes.Length; i++)
                {
                    if (c.Codes[i] != theirs[i])
                    {
                        Assert.Fail($"{p} ({(c.Single ? "float32" : "float64")}): value {c.Value(i):R} at {i} encodes to {c.Codes[i]}, xarray {theirs[i]}.");
                    }
                }

                compared += c.Codes.Length;
                ties += c.Ties();
                bitwiseFloat32 += c.Single ? 1 : 0;
            }
            else
            {
                // deliberately not xarray's float32 arithmetic: codes must still be in range and within half a step
                for (int i = 0; i < c.Codes.Length; i++)
                {
                    double x = c.Value(i);
                    if (double.IsNaN(x))
                    {
                        Assert.Equal(p.FillValue, c.Codes[i]);
                        continue;
                    }

                    Assert.InRange(c.Codes[i], p.MinCode, p.MaxCode);
                    Assert.True(Math.Abs(c.Codes[i] * p.ScaleFactor + p.AddOffset - x) <= p.ScaleFactor * 0.5000001 + Math.Abs(x) * 1e-15, $"{p}: {x:R} → {c.Codes[i]}");
                }
            }

            float32Cases += c.Single ? 1 : 0;

            // decoding: xarray's floats and ours, bitwise, in xarray's dtype
            Assert.Equal(p.Decoder.DecodedType.Name, (string)r["decoded_dtype"]!);
            var decodedBytes = File.ReadAllBytes(tmp.Sub($"dec{c.Index}.bin"));
            var packed = File.ReadAllBytes(tmp.Sub($"packed{c.Index}.bin"));
            if (p.Decoder.DecodedType.Size == 4)
            {
                var ours = new float[packed.Length / (bits / 8)];
                p.Decode(packed, ours);
                var xr = MemoryMarshal.Cast<byte, float>(decodedBytes);
                Assert.Equal(ours.Length, xr.Length);
                for (int i = 0; i < ours.Length; i++)
                {
                    if (BitConverter.SingleToInt32Bits(ours[i]) != BitConverter.SingleToInt32Bits(xr[i]) && !(float.IsNaN(ours[i]) && float.IsNaN(xr[i])))
                    {
                        Assert.Fail($"{p}: code {p.DataType.ReadAsDouble(packed, i)} decodes to {ours[i]:R}, xarray {xr[i]:R}.");
                    }
                }
            }
            else
            {
                var ours = new double[packed.Length / (bits / 8)];
                p.Decode(packed, ours);
                var xr = MemoryMarshal.Cast<byte, double>(decodedBytes);
                Assert.Equal(ours.Length, xr.Length);
                for (int i = 0; i < ours.Length; i++)
                {
                    if (BitConverter.DoubleToInt64Bits(ours[i]) != BitConverter.DoubleToInt64Bits(xr[i]) && !(double.IsNaN(ours[i]) && double.IsNaN(xr[i])))
                    {
                        Assert.Fail($"{p}: code {p.DataType.ReadAsDouble(packed, i)} decodes to {ours[i]:R}, xarray {xr[i]:R}.");
                    }
                }
            }
        }

        // the comparison was not vacuous: float32 data went through xarray's float32 arithmetic, ties were hit
        Assert.True(compared > 10_000, $"only {compared} values compared");
        Assert.True(ties > 50, $"only {ties} exact half-code ties compared");
        if (bits < 32)
        {
            Assert.True(bitwiseFloat32 * 10 >= float32Cases * 8, $"{bitwiseFloat32} of {float32Cases} float32 cases compared bitwise");
        }
        else
        {
            Assert.Equal(0, bitwiseFloat32);
        }
    }

    /// <summary>Why int32 packing of float32 data does not copy xarray: xarray's float32 arithmetic turns vmin and vmax into the fill value.</summary>
    [Fact]
    public void XarrayPacksFloat32IntoInt32InFloat32AndHitsTheFill()
    {
        var p = Packing.Create("v", 32, new PackingRange(-1, 1, PackingRangeSource.User));
        Assert.False(p.EncodesFloat32InFloat32);
        using var tmp = new TempDir();
        var values = new float[] { -1, 1, 0.5f };
        var ours = new byte[values.Length * 4];
        p.Encode(values, ours, OutOfRangeAction.Error);
        File.WriteAllBytes(tmp.Sub("v.bin"), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        var output = ReferenceTools.RunPython(
            """
            import sys, warnings
            import numpy as np, xarray as xr
            from xarray.conventions import encode_cf_variable
            warnings.simplefilter("ignore")
            x = np.fromfile(sys.argv[1], dtype="<f4")
            e = encode_cf_variable(xr.Variable(("x",), x, encoding={"dtype": "int32", "scale_factor": float(sys.argv[2]), "add_offset": float(sys.argv[3]), "_FillValue": np.int32(-2**31)}))
            print(" ".join(str(int(v)) for v in e.values))
            """,
            tmp.Sub("v.bin"),
            p.ScaleFactor.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            p.AddOffset.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var xarray = output.Trim().Split(' ').Select(int.Parse).ToArray();
        var mine = MemoryMarshal.Cast<byte, int>(ours).ToArray();
        Assert.Equal([p.MinCode, p.MaxCode, 1073741824], mine);
        Assert.Equal(p.FillValue, xarray[1]); // vmax reads back as NaN in xarray's own packing
        Assert.NotEqual(mine[1], xarray[1]);
    }

    private static IEnumerable<(double Lo, double Hi)> Ranges(Random rng, int bits)
    {
        double m = (1L << (bits - 1)) - 1;
        var fixedRanges = new (double, double)[]
        {
            (-50, 50), (0, 1), (-1e5, -3e4), (1e-30, 3e-30), (-1e30, 1e30), (250.5, 320.25), (1e5, 1e5 + 10),
            (-1e-3, 7e-4), (50000, 110000), (-273.15, 60), (0, 0.001), (1e20, 1e21), (-7, -6.5),
        };
        foreach (var r in fixedRanges)
        {
            yield return r;
        }

        // dyadic ranges: scale and offset exact powers of two, so (k + 0.5) * scale is an exact tie
        for (int k = 0; k < 6; k++)
        {
            double s = Math.ScaleB(1, rng.Next(-12, 4));
            double a = Math.ScaleB(rng.Next(-64, 64), rng.Next(-6, 3));
            yield return (a - m * s, a + m * s);
        }

        for (int k = 0; k < 14; k++)
        {
            double mag = Math.Pow(10, rng.Next(-12, 13));
            double lo = (rng.NextDouble() * 2 - 1) * mag;
            double width = mag * Math.Pow(10, -rng.NextDouble() * 3) * (0.01 + rng.NextDouble());
            yield return (lo, lo + width);
        }
    }

    private static double[] Values(Random rng, Packing p, bool single)
    {
        double Cast(double x) => single ? (float)x : x;
        double Clamp(double x) => Math.Min(p.Max, Math.Max(p.Min, x));
        var v = new List<double> { p.Min, p.Max, double.NaN, p.AddOffset, Cast(p.AddOffset), double.NaN };
        for (int i = 0; i < 400; i++)
        {
            v.Add(Cast(p.Min + rng.NextDouble() * (p.Max - p.Min)));
        }

        for (int i = 0; i < 400; i++)
        {
            // near the half-codes: the exact tie (in the data's precision) and its neighbours
            long k = rng.NextInt64(p.MinCode, p.MaxCode);
            double x = Cast(Clamp(p.AddOffset + (k + 0.5) * p.ScaleFactor));
            v.Add(x);
            v.Add(Clamp(single ? MathF.BitIncrement((float)x) : Math.BitIncrement(x)));
            v.Add(Clamp(single ? MathF.BitDecrement((float)x) : Math.BitDecrement(x)));
        }

        for (int i = 0; i < 50; i++)
        {
            v.Insert(rng.Next(v.Count), double.NaN);
        }

        return v.Select(x => double.IsNaN(x) ? x : Clamp(Cast(x))).ToArray();
    }

    private static int[] ReadCodes(string path, int bits)
    {
        var b = File.ReadAllBytes(path);
        return bits switch
        {
            8 => MemoryMarshal.Cast<byte, sbyte>(b).ToArray().Select(x => (int)x).ToArray(),
            16 => MemoryMarshal.Cast<byte, short>(b).ToArray().Select(x => (int)x).ToArray(),
            _ => MemoryMarshal.Cast<byte, int>(b).ToArray(),
        };
    }

    private sealed class Case
    {
        private readonly double[] _values;
        private readonly TempDir _tmp;

        public Case(int index, Packing packing, bool single, double[] values, TempDir tmp)
        {
            Index = index;
            Packing = packing;
            Single = single;
            _values = values;
            _tmp = tmp;
            int size = packing.Bits / 8;
            var encoded = new byte[values.Length * size];
            if (single)
            {
                var f = values.Select(x => (float)x).ToArray();
                Assert.Equal(0, packing.Encode(f, encoded, OutOfRangeAction.Error));
                File.WriteAllBytes(tmp.Sub($"v{index}.bin"), MemoryMarshal.AsBytes(f.AsSpan()).ToArray());
            }
            else
            {
                Assert.Equal(0, packing.Encode(values, encoded, OutOfRangeAction.Error));
                File.WriteAllBytes(tmp.Sub($"v{index}.bin"), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            }

            Codes = Enumerable.Range(0, values.Length).Select(i => (int)packing.DataType.ReadAsDouble(encoded, i)).ToArray();

            // what xarray decodes: our codes, every special code, and a spread of others
            var rng = new Random(index);
            var packed = new List<long>(Codes.Select(c => (long)c)) { packing.FillValue, packing.MinCode, packing.MaxCode, 0, 1, -1, packing.MinCode + 1, packing.MaxCode - 1 };
            for (int i = 0; i < 300; i++)
            {
                packed.Add(rng.NextInt64(packing.FillValue, packing.MaxCode + 1L));
            }

            var bytes = new byte[packed.Count * size];
            for (int i = 0; i < packed.Count; i++)
            {
                switch (size)
                {
                    case 1: bytes[i] = (byte)(sbyte)packed[i]; break;
                    case 2: MemoryMarshal.Write(bytes.AsSpan(i * 2), (short)packed[i]); break;
                    default: MemoryMarshal.Write(bytes.AsSpan(i * 4), (int)packed[i]); break;
                }
            }

            File.WriteAllBytes(tmp.Sub($"packed{index}.bin"), bytes);
        }

        public int Index { get; }

        public Packing Packing { get; }

        public bool Single { get; }

        public int[] Codes { get; }

        public double Value(int i) => _values[i];

        /// <summary>How many values sit exactly on a half-code in the arithmetic used.</summary>
        public long Ties()
        {
            var p = Packing;
            long n = 0;
            foreach (var x in _values)
            {
                double q = Single && p.EncodesFloat32InFloat32
                    ? ((float)x - (float)p.AddOffset) / (float)p.ScaleFactor
                    : (x - p.AddOffset) / p.ScaleFactor;
                n += Math.Abs(q - Math.Floor(q)) == 0.5 ? 1 : 0;
            }

            return n;
        }

        public JsonObject Write() => new()
        {
            ["dtype"] = Single ? "<f4" : "<f8",
            ["packed_dtype"] = Packing.DataType.V2TypeString,
            ["scale"] = Packing.ScaleFactor,
            ["offset"] = Packing.AddOffset,
            ["fill"] = Packing.FillValue,
            ["values"] = _tmp.Sub($"v{Index}.bin"),
            ["encoded"] = _tmp.Sub($"enc{Index}.bin"),
            ["packed"] = _tmp.Sub($"packed{Index}.bin"),
            ["decoded"] = _tmp.Sub($"dec{Index}.bin"),
        };
    }
}

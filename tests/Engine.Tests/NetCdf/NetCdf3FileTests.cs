using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.NetCdf;

namespace ZarrPartition.Engine.Tests.NetCdf;

/// <summary>NetCdf3File against what Debian's netCDF4-python reads from the same files.</summary>
public class NetCdf3FileTests : IClassFixture<NetCdf3Fixture>
{
    private readonly NetCdf3Fixture _fx;

    public NetCdf3FileTests(NetCdf3Fixture fx) => _fx = fx;

    public static TheoryData<string> Names => new(NetCdf3Fixture.AllNames);

    [Theory]
    [MemberData(nameof(Names))]
    public void MetadataAndValuesMatchNetCdf4Python(string name)
    {
        var (format, expected) = _fx.Describe(name);
        using var file = NetCdf3File.Open(_fx.FilePath(name));
        Assert.Equal(format, file.Format);
        var root = file.Root;
        Assert.Equal("", root.Path);
        Assert.Empty(root.Groups);

        var dims = expected["dims"]!.AsObject();
        Assert.Equal(dims.Select(d => d.Key), root.Dimensions.Select(d => d.Name));
        foreach (var (dimName, value) in dims)
        {
            var dim = root.Dimension(dimName)!;
            Assert.Equal(value![0]!.GetValue<long>(), dim.Length);
            Assert.Equal(value[1]!.GetValue<bool>(), dim.IsUnlimited);
        }

        AssertAttributes("global", expected["attrs"]!.AsObject(), root.Attributes);

        var vars = expected["vars"]!.AsObject();
        Assert.Equal(vars.Select(v => v.Key), root.Variables.Select(v => v.Name));
        foreach (var (varName, node) in vars)
        {
            var ev = node!.AsObject();
            var v = root.Variable(varName)!;
            Assert.Equal(ev["dtype"]!.GetValue<string>(), v.DataType.V2TypeString);
            Assert.Equal(ev["dims"]!.AsArray().Select(x => x!.GetValue<string>()), v.Dimensions);
            Assert.Equal(ev["shape"]!.AsArray().Select(x => x!.GetValue<long>()), v.Shape);
            Assert.Null(v.ChunkShape);
            Assert.Empty(v.Filters);
            Assert.Equal(v.DataType.Kind == ZarrPartition.Engine.Zarr.DataTypeKind.FixedBytes ? VariableKind.Char : VariableKind.Numeric, v.Kind);
            Assert.NotNull(v.FillValue);
            Assert.Equal(v.DataType.Size, v.FillValue!.Length);
            AssertAttributes(varName, ev["attrs"]!.AsObject(), v.Attributes);

            var whole = ReadWhole(file, v);
            var want = _fx.Expected(ev["data"]!.GetValue<string>());
            Assert.True(want.AsSpan().SequenceEqual(whole), $"{name}/{varName}: values differ from netCDF4-python's");
        }
    }

    public static TheoryData<string, double> NamesAndStrategies()
    {
        var data = new TheoryData<string, double>();
        foreach (var name in NetCdf3Fixture.AllNames)
        {
            data.Add(name, 0); // every contiguous run read on its own
            data.Add(name, 8192); // the default trade-off
            data.Add(name, 1e12); // gathered from the largest blocks
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NamesAndStrategies))]
    public void HyperslabsMatchSlicesOfTheWholeArray(string name, double callCost)
    {
        var (_, expected) = _fx.Describe(name);
        using var file = NetCdf3File.Open(_fx.FilePath(name));
        var rng = new Random(name.Length * 7919 + 13);
        foreach (var v in file.Root.Variables)
        {
            var whole = _fx.Expected(expected["vars"]![v.Name]!["data"]!.GetValue<string>());
            int boxes = Elements(v.Shape) > 100_000 ? 15 : 150;
            for (int i = 0; i < boxes; i++)
            {
                var (start, count) = RandomBox(rng, v.Shape);
                var got = new byte[Elements(count) * v.DataType.Size];
                file.Read("", v, start, count, got, callCost);
                var want = Slice(whole, v.Shape, start, count, v.DataType.Size);
                Assert.True(want.AsSpan().SequenceEqual(got), $"{name}/{v.Name} [{string.Join(",", start)}] + [{string.Join(",", count)}] differs");
            }
        }
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("offset64")]
    [InlineData("cdf5")]
    [InlineData("lone_short_record")]
    [InlineData("lone_char_record")]
    [InlineData("lone_ubyte_record_cdf5")]
    [InlineData("scalar_records")]
    public void RecordVariablesReadRecordByRecordAndAcrossRecords(string name)
    {
        var (_, expected) = _fx.Describe(name);
        using var file = NetCdf3File.Open(_fx.FilePath(name));
        var record = file.Root.Dimensions.Single(d => d.IsUnlimited);
        Assert.True(record.Length >= 4, "the fixture should have several records");
        var recordVars = file.Root.Variables.Where(v => v.Rank > 0 && v.Dimensions[0] == record.Name).ToList();
        Assert.NotEmpty(recordVars);
        foreach (var v in recordVars)
        {
            var whole = _fx.Expected(expected["vars"]![v.Name]!["data"]!.GetValue<string>());
            long perRecord = whole.Length / v.Shape[0];
            for (long r = 0; r < v.Shape[0]; r++)
            {
                var count = (long[])v.Shape.Clone();
                count[0] = 1;
                var start = new long[v.Rank];
                start[0] = r;
                var got = new byte[perRecord];
                file.Read("", v, start, count, got);
                Assert.True(whole.AsSpan((int)(r * perRecord), (int)perRecord).SequenceEqual(got), $"{name}/{v.Name} record {r}");
            }

            var across = (long[])v.Shape.Clone();
            across[0] = v.Shape[0] - 2;
            var from = new long[v.Rank];
            from[0] = 1;
            var span = new byte[across[0] * perRecord];
            file.Read("", v, from, across, span);
            Assert.True(whole.AsSpan((int)perRecord, span.Length).SequenceEqual(span), $"{name}/{v.Name} records 1..{v.Shape[0] - 1}");
        }
    }

    [Fact]
    public void ParallelReadsEqualSequentialReads()
    {
        var files = new[] { "classic", "cdf5", "lone_short_record", "scalar_records" }.Select(n => NetCdf3File.Open(_fx.FilePath(n))).ToArray();
        try
        {
            var rng = new Random(42);
            var work = new List<(NetCdf3File File, Variable Var, long[] Start, long[] Count, byte[] Sequential)>();
            for (int i = 0; i < 2000; i++)
            {
                var f = files[rng.Next(files.Length)];
                var v = f.Root.Variables[rng.Next(f.Root.Variables.Count)];
                var (start, count) = RandomBox(rng, v.Shape);
                var bytes = new byte[Elements(count) * v.DataType.Size];
                f.Read("", v, start, count, bytes);
                work.Add((f, v, start, count, bytes));
            }

            var mismatches = 0;
            var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
            {
                for (int i = t; i < work.Count * 3; i += 8)
                {
                    var w = work[i % work.Count];
                    var bytes = new byte[w.Sequential.Length];
                    w.File.Read("", w.Var, w.Start, w.Count, bytes);
                    if (!bytes.AsSpan().SequenceEqual(w.Sequential))
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(0, mismatches);
        }
        finally
        {
            foreach (var f in files)
            {
                f.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("cdf5")]
    [InlineData("lone_short_record")]
    [InlineData("lone_ubyte_record_cdf5")]
    [InlineData("classic_norecords")]
    public void StreamingRecordCountComesFromTheFileSize(string name)
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(_fx.FilePath(name));
        int width = bytes[3] == 5 ? 8 : 4;
        bytes.AsSpan(4, width).Fill(0xFF);
        var path = dir.Sub(name + ".nc");
        File.WriteAllBytes(path, bytes);

        using var original = NetCdf3File.Open(_fx.FilePath(name));
        using var streaming = NetCdf3File.Open(path);
        Assert.Equal(original.Root.Dimensions, streaming.Root.Dimensions);
        foreach (var v in original.Root.Variables)
        {
            Assert.Equal(ReadWhole(original, v), ReadWhole(streaming, streaming.Root.Variable(v.Name)!));
        }
    }

    [Fact]
    public void FillValuesComeFromTheAttributeOrNetCdfDefaults()
    {
        using var classic = NetCdf3File.Open(_fx.FilePath("classic"));
        var root = classic.Root;
        Assert.Equal(-999f, BinaryPrimitives.ReadSingleLittleEndian(root.Variable("with_fill")!.FillValue));
        Assert.Equal((short)-32767, BinaryPrimitives.ReadInt16LittleEndian(root.Variable("t2m_packed")!.FillValue));
        Assert.Equal(9.9692099683868690e+36f, BinaryPrimitives.ReadSingleLittleEndian(root.Variable("v_f4")!.FillValue));
        Assert.Equal(9.9692099683868690e+36, BinaryPrimitives.ReadDoubleLittleEndian(root.Variable("v_f8")!.FillValue));
        Assert.Equal(new byte[] { 0x81 }, root.Variable("v_i1")!.FillValue);
        Assert.Equal(-32767, BinaryPrimitives.ReadInt16LittleEndian(root.Variable("v_i2")!.FillValue));
        Assert.Equal(-2147483647, BinaryPrimitives.ReadInt32LittleEndian(root.Variable("v_i4")!.FillValue));
        Assert.Equal(new byte[] { 0 }, root.Variable("station")!.FillValue);
        Assert.Equal(VariableKind.Char, root.Variable("station")!.Kind);

        using var cdf5 = NetCdf3File.Open(_fx.FilePath("cdf5"));
        root = cdf5.Root;
        Assert.Equal(new byte[] { 255 }, root.Variable("v_u1")!.FillValue);
        Assert.Equal((ushort)65535, BinaryPrimitives.ReadUInt16LittleEndian(root.Variable("v_u2")!.FillValue));
        Assert.Equal(4294967295u, BinaryPrimitives.ReadUInt32LittleEndian(root.Variable("v_u4")!.FillValue));
        Assert.Equal(-9223372036854775806L, BinaryPrimitives.ReadInt64LittleEndian(root.Variable("v_i8")!.FillValue));
        Assert.Equal(18446744073709551614UL, BinaryPrimitives.ReadUInt64LittleEndian(root.Variable("v_u8")!.FillValue));
    }

    [Fact]
    public void AttributesKeepTheirNetCdfTypes()
    {
        using var cdf5 = NetCdf3File.Open(_fx.FilePath("cdf5"));
        var root = cdf5.Root;
        AttributeValue Global(string name) => root.Attributes.Single(a => a.Name == name);
        Assert.Equal("ZarrPartition reader fixture", Global("title").Value);
        Assert.Equal(new[] { 42 }, Global("int_attr").Value);
        Assert.Equal(new short[] { 1, 2, 3 }, Global("short_attr").Value);
        var doubles = Assert.IsType<double[]>(Global("double_list").Value);
        Assert.Equal(new[] { 1.5, -2.25 }, doubles[..2]);
        Assert.True(double.IsNaN(doubles[2]));
        Assert.Equal(new short[] { -32767 }, root.Variable("t2m_packed")!.Attribute("_FillValue")!.Value);
        Assert.Equal(new[] { 0.01 }, root.Variable("t2m_packed")!.Attribute("scale_factor")!.Value);
    }

    [Theory]
    [InlineData(5, 6, -999.0, new byte[] { 0x00, 0xC0, 0x79, 0xC4 })] // float variable, double _FillValue that a float holds
    [InlineData(3, 6, 0.5, new byte[] { 0x01, 0x80 })] // short variable, double _FillValue it cannot hold: the default
    [InlineData(4, 3, -7.0, new byte[] { 0xF9, 0xFF, 0xFF, 0xFF })] // int variable, short _FillValue
    [InlineData(1, 6, 300.0, new byte[] { 0x81 })] // byte variable, out-of-range _FillValue: the default
    public void AFillValueOfAnotherTypeIsTakenWhenTheVariableHoldsIt(int varType, int attrType, double fill, byte[] expected)
    {
        using var dir = new TempDir();
        var attr = attrType == 6 ? BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(fill)))
            : [(byte)((short)fill >> 8), (byte)(short)fill, 0, 0];
        byte[] Build(int begin) => new HeaderBuilder(1).Int(0).Int(10).Int(1).Name("x").Int(2).Int(0).Int(0)
            .Int(11).Int(1).Name("v").Int(1).Int(0).Int(12).Int(1).Name("_FillValue").Int(attrType).Int(1).Bytes(attr)
            .Int(varType).Int(8).Int(begin).Bytes(new byte[8]).ToArray();
        var bytes = Build(Build(0).Length - 8);
        var path = dir.Sub("fill.nc");
        File.WriteAllBytes(path, bytes);
        using var file = NetCdf3File.Open(path);
        Assert.Equal(expected, file.Root.Variables.Single().FillValue);
    }

    [Fact]
    public void RegionsAreValidated()
    {
        using var file = NetCdf3File.Open(_fx.FilePath("classic"));
        var v = file.Root.Variable("v_f4")!;
        AssertError("RegionOutOfBounds", () => file.Read("", v, [0, 0, 5], [1, 1, 5], new byte[20]));
        AssertError("RegionOutOfBounds", () => file.Read("", v, [-1, 0, 0], [1, 1, 1], new byte[4]));
        AssertError("RegionOutOfBounds", () => file.Read("", v, [0, 0, 0], [6, 1, 1], new byte[24]));
        AssertError("RegionOutOfBounds", () => file.Read("", v, [0, 0, long.MaxValue], [1, 1, long.MaxValue], new byte[4]));
        AssertError("WrongRank", () => file.Read("", v, [0, 0], [1, 1], new byte[4]));
        AssertError("WrongBufferSize", () => file.Read("", v, [0, 0, 0], [1, 1, 2], new byte[4]));
        AssertError("GroupNotFound", () => file.Read("/forecast", v, [0, 0, 0], [1, 1, 1], new byte[4]));
        AssertError("VariableNotFound", () => file.Read("", v with { Name = "nope" }, [0, 0, 0], [1, 1, 1], new byte[4]));
        AssertError("VariableMismatch", () => file.Read("", v with { Shape = [9, 9, 9] }, [0, 0, 0], [1, 1, 1], new byte[4]));
        AssertError("NotAStringVariable", () => file.ReadStrings("", v, [0, 0, 0], [1, 1, 1]));

        // an empty region reads nothing, anywhere inside the bounds
        file.Read("", v, [5, 7, 9], [0, 0, 0], []);
        var scalar = file.Root.Variable("scalar")!;
        var one = new byte[8];
        file.Read("", scalar, [], [], one);
        Assert.Equal(3.14159, BinaryPrimitives.ReadDoubleLittleEndian(one));
    }

    [Fact]
    public void OpeningSomethingElseFailsWithTypedErrors()
    {
        using var dir = new TempDir();
        var missing = Assert.ThrowsAny<ZarrPartitionException>(() => NetCdf3File.Open(dir.Sub("missing.nc")));
        Assert.Equal("SourceNotFound", missing.ErrorId);

        File.WriteAllText(dir.Sub("text.nc"), "hello, world");
        var e = Assert.Throws<SourceFormatException>(() => NetCdf3File.Open(dir.Sub("text.nc")));
        Assert.Contains("not a NetCDF-3 file", e.Message);

        File.WriteAllBytes(dir.Sub("v3.nc"), [.. "CDF"u8, 3, 0, 0, 0, 0]);
        e = Assert.Throws<SourceFormatException>(() => NetCdf3File.Open(dir.Sub("v3.nc")));
        Assert.Contains("version 3", e.Message);

        File.WriteAllBytes(dir.Sub("empty.nc"), []);
        Assert.Throws<SourceFormatException>(() => NetCdf3File.Open(dir.Sub("empty.nc")));
    }

    [Fact]
    public void TheSmallestFileHasNothingInIt()
    {
        using var dir = new TempDir();
        var bytes = new byte[32];
        "CDF\u0001"u8.CopyTo(bytes);
        File.WriteAllBytes(dir.Sub("empty.nc"), bytes);
        using var file = NetCdf3File.Open(dir.Sub("empty.nc"));
        Assert.Equal("NETCDF3_CLASSIC", file.Format);
        Assert.Empty(file.Root.Dimensions);
        Assert.Empty(file.Root.Variables);
        Assert.Empty(file.Root.Attributes);
    }

    [Fact]
    public void DamagedHeadersNameWhatIsWrongAndWhere()
    {
        using var dir = new TempDir();

        // a dimension list that claims a billion entries in a 40-byte file
        var header = new HeaderBuilder(1).Int(0).Int(10).Int(1_000_000_000).Int(0).Int(0).Int(0).Int(0).Int(0).Int(0);
        var e = Open(dir, header.ToArray());
        Assert.Contains("dimension list", e.Message);
        Assert.Contains("byte 8", e.Message);

        // a variable that refers to dimension 7 of 1
        header = new HeaderBuilder(1).Int(0).Int(10).Int(1).Name("x").Int(4).Int(0).Int(0)
            .Int(11).Int(1).Name("v").Int(1).Int(7).Int(0).Int(0).Int(5).Int(16).Int(200);
        e = Open(dir, header.ToArray());
        Assert.Contains("dimension id 7", e.Message);

        // a variable of an unknown type
        header = new HeaderBuilder(1).Int(0).Int(0).Int(0).Int(0).Int(0)
            .Int(11).Int(1).Name("v").Int(0).Int(0).Int(0).Int(9).Int(4).Int(100);
        e = Open(dir, header.ToArray());
        Assert.Contains("type tag 9", e.Message);

        // data that begins inside the header
        header = new HeaderBuilder(1).Int(0).Int(0).Int(0).Int(0).Int(0)
            .Int(11).Int(1).Name("v").Int(0).Int(0).Int(0).Int(4).Int(4).Int(8);
        e = Open(dir, header.ToArray());
        Assert.Contains("inside the header", e.Message);

        // data beyond the end of the file
        header = new HeaderBuilder(1).Int(0).Int(10).Int(1).Name("x").Int(1000).Int(0).Int(0)
            .Int(11).Int(1).Name("v").Int(1).Int(0).Int(0).Int(0).Int(6).Int(8000).Int(80);
        e = Open(dir, header.ToArray());
        Assert.Contains("truncated", e.Message);

        // two record dimensions
        header = new HeaderBuilder(1).Int(0).Int(10).Int(2).Name("a").Int(0).Name("b").Int(0).Int(0).Int(0).Int(0).Int(0);
        e = Open(dir, header.ToArray());
        Assert.Contains("at most one", e.Message);

        // the record dimension in second place
        header = new HeaderBuilder(1).Int(0).Int(10).Int(2).Name("t").Int(0).Name("x").Int(2).Int(0).Int(0)
            .Int(11).Int(1).Name("v").Int(2).Int(1).Int(0).Int(0).Int(0).Int(4).Int(8).Int(200);
        e = Open(dir, header.ToArray());
        Assert.Contains("first dimension", e.Message);

        // a name with a control character in it
        header = new HeaderBuilder(1).Int(0).Int(10).Int(1).Name("a\u0001b").Int(3).Int(0).Int(0).Int(0).Int(0);
        e = Open(dir, header.ToArray());
        Assert.Contains("control characters", e.Message);
        Assert.Contains("a\\x01b", e.Message);

        // a CDF-5 attribute count that is negative
        header = new HeaderBuilder(5).Long(0).Int(0).Long(0).Int(12).Long(1).Name("a").Int(4).Long(-5);
        e = Open(dir, header.ToArray());
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void NamesThatAreNotUtf8KeepTheirBytesAsCharacters()
    {
        using var dir = new TempDir();
        var header = new HeaderBuilder(1).Int(0).Int(10).Int(1).Int(4).Bytes(0x63, 0x61, 0x66, 0xE9).Int(3).Int(0).Int(0).Int(0).Int(0);
        var path = dir.Sub("latin1.nc");
        File.WriteAllBytes(path, header.ToArray());
        using var file = NetCdf3File.Open(path);
        Assert.Equal("caf\u00e9", file.Root.Dimensions.Single().Name);
    }

    [Fact]
    public void ReadingAFileThatShrankAfterOpeningFailsAsTruncated()
    {
        using var dir = new TempDir();
        var path = dir.Sub("c.nc");
        File.Copy(_fx.FilePath("classic"), path);
        using var file = NetCdf3File.Open(path);
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            fs.SetLength(file.HeaderLength + 16);
        }

        var v = file.Root.Variable("v_f8")!;
        var e = Assert.Throws<SourceFormatException>(() => ReadWhole(file, v));
        Assert.Contains("beyond the end of the file", e.Message);
        Assert.Contains("v_f8", e.Message);
    }

    internal static byte[] ReadWhole(IDataset file, Variable v)
    {
        var bytes = new byte[Elements(v.Shape) * v.DataType.Size];
        file.Read("", v, new long[v.Rank], v.Shape, bytes);
        return bytes;
    }

    internal static long Elements(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    internal static (long[] Start, long[] Count) RandomBox(Random rng, long[] shape)
    {
        var start = new long[shape.Length];
        var count = new long[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 0)
            {
                continue;
            }

            // a third of the dimensions whole, so that runs merge across dimensions as well
            if (rng.Next(3) == 0)
            {
                count[d] = shape[d];
                continue;
            }

            start[d] = rng.NextInt64(shape[d]);
            count[d] = rng.NextInt64(shape[d] - start[d] + 1);
        }

        return (start, count);
    }

    /// <summary>The box [start, start+count) of a C-order array, element by element.</summary>
    private static byte[] Slice(byte[] whole, long[] shape, long[] start, long[] count, int size)
    {
        long n = Elements(count);
        var result = new byte[n * size];
        var index = new long[shape.Length];
        for (long i = 0; i < n; i++)
        {
            long rest = i;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = start[d] + (rest % count[d]);
                rest /= count[d];
            }

            long linear = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                linear = (linear * shape[d]) + index[d];
            }

            Array.Copy(whole, linear * size, result, i * size, size);
        }

        return result;
    }

    private static void AssertAttributes(string owner, JsonObject expected, IReadOnlyList<AttributeValue> actual)
    {
        Assert.Equal(expected.Select(a => a.Key), actual.Select(a => a.Name));
        foreach (var (name, value) in expected)
        {
            var a = actual.Single(x => x.Name == name);
            if (value is JsonValue text && text.TryGetValue<string>(out var s))
            {
                Assert.True(a.IsText, $"{owner}:{name} should be text");
                Assert.Equal(s, a.Text);
                continue;
            }

            var numbers = value!.AsArray().Select(x => x is JsonValue jv && jv.TryGetValue<string>(out var str) && str == "NaN" ? double.NaN : x!.GetValue<double>()).ToArray();
            var got = a.AsDoubles();
            Assert.False(a.IsText, $"{owner}:{name} should be numbers");
            Assert.Equal(numbers.Length, got.Length);
            for (int i = 0; i < got.Length; i++)
            {
                Assert.True(numbers[i].Equals(got[i]), $"{owner}:{name}[{i}] is {got[i]}, netCDF4-python says {numbers[i]}");
            }
        }
    }

    private static void AssertError(string errorId, Action action)
    {
        var e = Assert.ThrowsAny<ZarrPartitionException>(action);
        Assert.Equal(errorId, e.ErrorId);
    }

    private static SourceFormatException Open(TempDir dir, byte[] bytes)
    {
        var path = dir.Sub(Guid.NewGuid().ToString("N") + ".nc");
        File.WriteAllBytes(path, bytes);
        return Assert.Throws<SourceFormatException>(() => NetCdf3File.Open(path).Dispose());
    }

    /// <summary>Writes header fields big-endian, as the format has them.</summary>
    private sealed class HeaderBuilder
    {
        private readonly List<byte> _bytes = [];
        private readonly int _version;

        public HeaderBuilder(int version)
        {
            _version = version;
            _bytes.AddRange("CDF"u8.ToArray());
            _bytes.Add((byte)version);
        }

        public HeaderBuilder Int(int value)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(b, value);
            _bytes.AddRange(b);
            return this;
        }

        public HeaderBuilder Long(long value)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(b, value);
            _bytes.AddRange(b);
            return this;
        }

        public HeaderBuilder Name(string name)
        {
            var b = Encoding.UTF8.GetBytes(name);
            if (_version == 5)
            {
                Long(b.Length);
            }
            else
            {
                Int(b.Length);
            }

            _bytes.AddRange(b);
            _bytes.AddRange(new byte[(4 - (b.Length % 4)) % 4]);
            return this;
        }

        public HeaderBuilder Bytes(params byte[] bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];
    }
}

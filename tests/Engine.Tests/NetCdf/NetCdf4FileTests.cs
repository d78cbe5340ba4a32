using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.NetCdf;

namespace ZarrPartition.Engine.Tests.NetCdf;

/// <summary>The NetCDF-4 data model over our HDF5 reader, compared with what netCDF4-python reads.</summary>
public class NetCdf4FileTests : IClassFixture<NetCdf4Fixture>
{
    private readonly NetCdf4Fixture _fx;

    public NetCdf4FileTests(NetCdf4Fixture fx) => _fx = fx;

    [Theory]
    [InlineData("nc4")]
    [InlineData("nc4classic")]
    [InlineData("features")]
    public void TheModelAndEveryValueMatchNetCdf4Python(string name)
    {
        using var file = NetCdf4File.Open(_fx.FilePath(name));
        var expected = _fx.Expected(name);
        Assert.Equal(expected["format"]!.GetValue<string>(), file.Format);
        var problems = new StringBuilder();
        foreach (var (path, node) in expected["groups"]!.AsObject())
        {
            var group = Find(file.Root, path.Trim('/'));
            if (group is null)
            {
                problems.AppendLine($"group {path} missing");
                continue;
            }

            var g = node!.AsObject();
            foreach (var (dim, spec) in g["dims"]!.AsObject())
            {
                var d = group.Dimension(dim);
                if (d is null || d.Length != spec![0]!.GetValue<long>() || d.IsUnlimited != spec[1]!.GetValue<bool>())
                {
                    problems.AppendLine($"{path}: dimension {dim} is {d} but netCDF4 says {spec!.ToJsonString()}");
                }
            }

            CompareAttributes($"{path}", group.Attributes, g["attrs"]!.AsObject(), problems);
            var expectedVars = g["vars"]!.AsObject();
            var names = group.Variables.Select(v => v.Name).Order(StringComparer.Ordinal).ToArray();
            var wanted = expectedVars.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
            if (!names.SequenceEqual(wanted))
            {
                problems.AppendLine($"{path}: variables [{string.Join(",", names)}] but netCDF4 has [{string.Join(",", wanted)}]");
            }

            foreach (var (vname, vnode) in expectedVars)
            {
                var v = group.Variable(vname);
                if (v is null)
                {
                    continue;
                }

                var spec = vnode!.AsObject();
                var dims = spec["dims"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
                if (!v.Dimensions.SequenceEqual(dims))
                {
                    problems.AppendLine($"{path}{vname}: dims ({string.Join(",", v.Dimensions)}) but netCDF4 says ({string.Join(",", dims)})");
                }

                CompareAttributes($"{path}{vname}", v.Attributes, spec["attrs"]!.AsObject(), problems);
                if (spec["strings"] is JsonArray strings)
                {
                    var got = file.ReadStrings(group.Path, v, new long[v.Rank], v.Shape);
                    if (!got.SequenceEqual(strings.Select(s => s!.GetValue<string>())))
                    {
                        problems.AppendLine($"{path}{vname}: strings differ");
                    }
                }
                else if (spec["data"] is JsonValue data)
                {
                    var want = _fx.Data(data.GetValue<string>());
                    var got = new byte[want.Length];
                    file.Read(group.Path, v, new long[v.Rank], v.Shape, got);
                    if (!got.AsSpan().SequenceEqual(want))
                    {
                        problems.AppendLine($"{path}{vname}: values differ");
                    }
                }
            }
        }

        Assert.True(problems.Length == 0, problems.ToString());
    }

    [Fact]
    public void NetCdfPlumbingIsHiddenAndNamesAreRestored()
    {
        using var file = NetCdf4File.Open(_fx.FilePath("features"));
        var all = file.Root.Variables.SelectMany(v => v.Attributes).Concat(file.Root.Attributes).Select(a => a.Name).ToHashSet();
        foreach (var hidden in new[] { "_Netcdf4Dimid", "_Netcdf4Coordinates", "DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_NCProperties" })
        {
            Assert.DoesNotContain(hidden, all);
        }

        // 'x' is both a dimension and a variable on another dimension: HDF5 calls it _nc4_non_coord_x
        var x = file.Root.Variable("x")!;
        Assert.Equal(["y"], x.Dimensions);
        Assert.Equal(30, file.Root.Dimension("x")!.Length);
        var deflated = file.Root.Variable("deflated")!;
        Assert.Equal([2, 16, 16], deflated.ChunkShape!);
        Assert.Contains("deflate", deflated.Filters);
        Assert.Equal(1e20f, BitConverter.ToSingle(file.Root.Variable("sparse")!.FillValue!));
        Assert.Equal(new[] { "one", "two" }, (string[])file.Root.Attributes.First(a => a.Name == "string_attr").Value);
    }

    [Fact]
    public void PlainHdf5FilesGetPhonyDimensions()
    {
        using var file = NetCdf4File.Open(_fx.FilePath("h5_earliest"));
        Assert.Equal("HDF5", file.Format);
        var c = file.Root.Variable("contiguous")!;
        Assert.All(c.Dimensions, d => Assert.StartsWith("phony_dim_", d, StringComparison.Ordinal));
        Assert.Equal(c.Shape, c.Dimensions.Select(d => file.Root.Dimension(d)!.Length).ToArray());
        Assert.Equal(VariableKind.String, file.Root.Variable("vlen_str")!.Kind);
        Assert.Equal(new[] { "a", "bb", "ccc" }, file.ReadStrings("", file.Root.Variable("vlen_str")!, [0], [3]));
    }

    private static DatasetGroup? Find(DatasetGroup root, string path)
    {
        var g = root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            g = g.Groups.FirstOrDefault(x => x.Name == part);
            if (g is null)
            {
                return null;
            }
        }

        return g;
    }

    private static void CompareAttributes(string where, IReadOnlyList<AttributeValue> actual, JsonObject expected, StringBuilder problems)
    {
        foreach (var (name, want) in expected)
        {
            var a = actual.FirstOrDefault(x => x.Name == name);
            if (a is null)
            {
                problems.AppendLine($"{where}: attribute {name} missing");
                continue;
            }

            bool same = want!.GetValueKind() switch
            {
                JsonValueKind.String => a.Text == want.GetValue<string>(),
                JsonValueKind.Array when want.AsArray().All(x => x!.GetValueKind() == JsonValueKind.String && x.GetValue<string>() != "NaN")
                    => a.Value is string[] list ? list.SequenceEqual(want.AsArray().Select(x => x!.GetValue<string>())) : a.Text == want.AsArray()[0]!.GetValue<string>(),
                JsonValueKind.Array => a.AsDoubles().Select(Norm).SequenceEqual(want.AsArray().Select(x => x!.GetValueKind() == JsonValueKind.String ? "NaN" : Norm(x.GetValue<double>()))),
                _ => false,
            };
            if (!same)
            {
                problems.AppendLine($"{where}: attribute {name} = {a} but netCDF4 says {want.ToJsonString()}");
            }
        }

        var extra = actual.Select(a => a.Name).Except(expected.Select(kv => kv.Key)).ToList();
        if (extra.Count > 0)
        {
            problems.AppendLine($"{where}: attributes netCDF4 does not show: {string.Join(", ", extra)}");
        }

        static string Norm(double d) => double.IsNaN(d) ? "NaN" : ((float)d == d ? ((float)d).ToString("R", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture));
    }
}

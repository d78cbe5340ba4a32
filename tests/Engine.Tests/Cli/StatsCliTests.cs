using System.Text.Json.Nodes;
using ZarrPartition.Engine.Tests.Operations;

namespace ZarrPartition.Engine.Tests.Cli;

/// <summary>`zarrpartition stats` in a separate process: its JSON against numpy over xarray's decoded values, the text, errors.</summary>
public class StatsCliTests : IClassFixture<DecodedStoreFixture>
{
    private readonly DecodedStoreFixture _fx;

    public StatsCliTests(DecodedStoreFixture fx) => _fx = fx;

    [Fact]
    public void JsonMatchesNumpyOverXarraysDecodedValues()
    {
        var (code, stdout, stderr) = CliRunner.Run("stats", "--store", _fx.StorePath, "--json");
        Assert.True(code == 0, stderr);
        var doc = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(Path.GetFullPath(_fx.StorePath), doc["store"]!.GetValue<string>());
        var variables = doc["variables"]!.AsArray();
        Assert.Equal(_fx.Expected.Select(kv => kv.Key).Order(StringComparer.Ordinal), variables.Select(v => v!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var v in variables.Select(v => v!.AsObject()))
        {
            Assert.Equal(["name", "count", "missing", "min", "max", "mean", "std"], v.Select(kv => kv.Key));
            var name = v["name"]!.GetValue<string>();
            var want = _fx.Expected[name]!;
            Assert.Equal(want["count"]!.GetValue<long>(), v["count"]!.GetValue<long>());
            Assert.Equal(want["missing"]!.GetValue<long>(), v["missing"]!.GetValue<long>());
            Assert.Equal(want["min"]!.GetValue<double>(), v["min"]!.GetValue<double>());
            Assert.Equal(want["max"]!.GetValue<double>(), v["max"]!.GetValue<double>());
            MeasureArrayTests.AssertClose(want["mean"]!.GetValue<double>(), v["mean"]!.GetValue<double>(), name + " mean");
            MeasureArrayTests.AssertClose(want["std"]!.GetValue<double>(), v["std"]!.GetValue<double>(), name + " std");
        }

        // the thread count does not change a digit
        var (code1, one, _) = CliRunner.Run("stats", "--store", _fx.StorePath, "--json", "--threads", "1");
        Assert.Equal(0, code1);
        Assert.Equal(stdout, one);
    }

    [Fact]
    public void TextHasATablePerVariable()
    {
        var (code, stdout, stderr) = CliRunner.Run("stats", "--store", _fx.StorePath, "--variables", "tas,packed");
        Assert.True(code == 0, stderr);
        Assert.Contains("tas (time, lat, lon): float32 [10, 7, 9], units K", stdout);
        Assert.Contains("packed (time, lat, lon): float32 [10, 7, 9]", stdout);
        Assert.DoesNotContain("\ncount (", stdout);
        foreach (var row in new[] { "  count    ", "  missing  ", "  min      ", "  max      ", "  mean     ", "  std      " })
        {
            Assert.Equal(2, stdout.Split(row).Length - 1);
        }
    }

    [Fact]
    public void FailsWithTypedErrorsAndExitCodes()
    {
        var (code, _, stderr) = CliRunner.Run("stats", "--store", _fx.StorePath, "--variables", "tas,nope");
        Assert.Equal(2, code);
        Assert.Contains("error [UnknownVariable]", stderr);
        Assert.Contains("'nope'", stderr);

        using var dir = new TempDir();
        (code, _, stderr) = CliRunner.Run("stats", "--store", dir.Sub("none.zarr"));
        Assert.Equal(1, code);
        Assert.Contains("error [StoreNotFound]", stderr);
    }
}

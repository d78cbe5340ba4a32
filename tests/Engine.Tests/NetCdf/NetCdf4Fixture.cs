using System.Text.Json.Nodes;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.NetCdf;

/// <summary>The shared fixture script's files, written once per test class, with netCDF4-python's/h5py's view of each.</summary>
public sealed class NetCdf4Fixture : IDisposable
{
    private readonly TempDir _dir = new();

    public NetCdf4Fixture()
    {
        var script = File.ReadAllText(Path.Combine(ReferenceTools.RepositoryRoot, "tests", "interop", "python", "make_netcdf_fixtures.py"));
        ReferenceTools.RunPython(script, _dir.Path);
    }

    public string FilePath(string name) => Path.Combine(_dir.Path, name + (name.StartsWith("h5_", StringComparison.Ordinal) ? ".h5" : ".nc"));

    public JsonObject Expected(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, name + ".json")))!.AsObject();

    public byte[] Data(string file) => File.ReadAllBytes(Path.Combine(_dir.Path, "data", file));

    public void Dispose() => _dir.Dispose();
}

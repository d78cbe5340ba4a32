using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Tests.Interop;

/// <summary>Stores written once per test run by Debian's zarr-python 2.13 (tests/interop/python/make_zarr_fixtures.py).</summary>
public sealed class ZarrPythonFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public ZarrPythonFixture()
    {
        var script = File.ReadAllText(Path.Combine(ReferenceTools.RepositoryRoot, "tests", "interop", "python", "make_zarr_fixtures.py"));
        ReferenceTools.RunPython(script, _dir.Path);
        Manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, "manifest.json")))!.AsArray()
            .Select(e => (e!["name"]!.GetValue<string>(), e["dtype"]!.GetValue<string>()))
            .ToList();
    }

    public string StorePath => Path.Combine(_dir.Path, "store.zarr");

    public IReadOnlyList<(string Name, string DType)> Manifest { get; }

    public byte[] Expected(string name) => File.ReadAllBytes(Path.Combine(_dir.Path, "expected", name + ".bin"));

    public void Dispose() => _dir.Dispose();
}

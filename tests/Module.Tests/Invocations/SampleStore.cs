namespace ZarrPartition.Module.Tests.Invocations;

/// <summary>The shipped sample: four daily NetCDF-4 files of hourly 2 m temperature, copied to a temporary folder.</summary>
public sealed class SampleStore : IDisposable
{
    private readonly TempDir _dir = new();

    public SampleStore()
    {
        Directory.CreateDirectory(_dir["data"]);
        foreach (var f in Directory.GetFiles(Repository.File("examples", "data", "netcdf"), "*.nc").Order(StringComparer.Ordinal))
        {
            File.Copy(f, Path.Combine(_dir["data"], Path.GetFileName(f)));
        }

        Sources = Directory.GetFiles(_dir["data"], "*.nc").Order(StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<string> Sources { get; }

    public string Folder => _dir.Path;

    public string Store => _dir["t2m.zarr"];

    public string this[string name] => _dir[name];

    public void Dispose() => _dir.Dispose();
}

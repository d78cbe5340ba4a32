using System.Text.Json;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Hdf5;

/// <summary>
/// The NetCDF-4 and HDF5 fixtures of tests/interop/python/make_netcdf_fixtures.py, written once by
/// Debian's netCDF4-python and h5py into a temporary folder, with what those libraries read back.
/// </summary>
public sealed class Hdf5Fixtures : IDisposable
{
    public static readonly string[] HdfFiles = ["nc4classic.nc", "nc4.nc", "features.nc", "h5_earliest.h5", "h5_latest.h5"];

    private readonly TempDir dir = new();

    public Hdf5Fixtures()
    {
        var script = File.ReadAllText(Path.Combine(ReferenceTools.RepositoryRoot, "tests", "interop", "python", "make_netcdf_fixtures.py"));
        ReferenceTools.RunPython(script, dir.Path);
    }

    public string Folder => dir.Path;

    public string PathOf(string file) => Path.Combine(dir.Path, file);

    /// <summary>The description netCDF4-python or h5py wrote for a fixture file.</summary>
    public JsonDocument Description(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, Path.GetFileNameWithoutExtension(file) + ".json")));

    public byte[] Data(string dataFile) => File.ReadAllBytes(Path.Combine(dir.Path, "data", dataFile));

    public void Dispose() => dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class Hdf5FixtureCollection : ICollectionFixture<Hdf5Fixtures>
{
    public const string Name = "HDF5 fixtures";
}

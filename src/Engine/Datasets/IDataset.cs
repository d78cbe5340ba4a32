namespace ZarrPartition.Engine.Datasets;

/// <summary>
/// The neutral view of one source (a NetCDF-3 file, a NetCDF-4/HDF5 file, a Zarr store): its groups'
/// dimensions, variables and attributes, and hyperslab reads that touch and decode only the data a
/// selection needs. Reads are thread-safe and take no global lock.
/// </summary>
public interface IDataset : IDisposable
{
    /// <summary>Where it came from: a file path, a store location.</summary>
    string Location { get; }

    /// <summary>"NETCDF3_CLASSIC", "NETCDF3_64BIT_OFFSET", "NETCDF3_64BIT_DATA", "NETCDF4", "NETCDF4_CLASSIC", "HDF5", "ZARR".</summary>
    string Format { get; }

    /// <summary>The root group.</summary>
    DatasetGroup Root { get; }

    /// <summary>
    /// Reads the hyperslab [start, start+count) of <paramref name="variable"/> (a variable of this
    /// dataset, <paramref name="groupPath"/> "" for the root) into <paramref name="output"/> as
    /// little-endian C-order elements (exactly the slab's size). Unwritten data reads as the fill value.
    /// </summary>
    void Read(string groupPath, Variable variable, long[] start, long[] count, Span<byte> output);

    /// <summary>Reads a variable-length string variable's hyperslab (NC_STRING).</summary>
    string[] ReadStrings(string groupPath, Variable variable, long[] start, long[] count);
}

using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Datasets;

/// <summary>Opens a source by what it is, not by its name: NetCDF-3 magic, HDF5 signature, a Zarr store folder, or a JSON dataset spec ('{').</summary>
public static class SourceOpener
{
    public static IDataset Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return new ZarrDataset(full);
        }

        if (!File.Exists(full))
        {
            throw new ZarrPartitionException("SourceNotFound", ErrorKind.ObjectNotFound, full, $"Source '{full}' does not exist.");
        }

        var kind = Detect(full);
        return kind switch
        {
            SourceKind.NetCdf3 => OpenNetCdf3(full),
            SourceKind.Hdf5 => OpenHdf5(full),
            SourceKind.Spec => SpecDataset.Open(full),
            _ => throw new SourceFormatException(full, "is neither a NetCDF-3 file (CDF magic), an HDF5/NetCDF-4 file (HDF5 signature), a Zarr store folder, nor a JSON dataset spec."),
        };
    }

    private static IDataset OpenNetCdf3(string path) => NetCdf.NetCdf3File.Open(path);

    private static IDataset OpenHdf5(string path) => NetCdf.NetCdf4File.Open(path);

    private static ReadOnlySpan<byte> Hdf5Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    public static SourceKind Detect(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using var handle = File.OpenHandle(path);
        long length = RandomAccess.GetLength(handle);
        int n = RandomAccess.Read(handle, head, 0);
        if (n >= 4 && head[0] == 'C' && head[1] == 'D' && head[2] == 'F' && head[3] is 1 or 2 or 5)
        {
            return SourceKind.NetCdf3;
        }

        // the HDF5 signature sits at 0, 512, 1024, 2048, ... (after a user block)
        for (long offset = 0; offset + 8 <= length; offset = offset == 0 ? 512 : offset * 2)
        {
            if (RandomAccess.Read(handle, head, offset) == 8 && head.SequenceEqual(Hdf5Signature))
            {
                return SourceKind.Hdf5;
            }
        }

        return SpecDataset.LooksLikeSpec(path) ? SourceKind.Spec : SourceKind.Unknown;
    }
}

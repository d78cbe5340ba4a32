using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Where a conversion writes: checks that the destination may be (re)placed, builds the new store in a
/// hidden staging folder beside it, and moves it into place only when complete, so a failure or a kill
/// never leaves a half-written destination and never loses the store it replaces.
/// </summary>
public static class StoreDestination
{
    /// <summary>
    /// Refuses a destination that overlaps a source, is a file, exists without <paramref name="force"/>,
    /// or exists with it but is not a Zarr store (an arbitrary folder is never replaced).
    /// </summary>
    public static void Check(IEnumerable<string> sources, string dest, bool force)
    {
        static string Norm(string p) => p.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        foreach (var source in sources)
        {
            if (Norm(dest).StartsWith(Norm(source), StringComparison.Ordinal) || Norm(source).StartsWith(Norm(dest), StringComparison.Ordinal))
            {
                throw new ZarrPartitionException("DestinationOverlapsSource", ErrorKind.InvalidArgument, dest, $"The destination '{dest}' and the source '{source}' overlap; choose a destination outside the source.");
            }
        }

        if (File.Exists(dest))
        {
            throw new ZarrPartitionException("DestinationIsFile", ErrorKind.ResourceExists, dest, $"The destination '{dest}' is a file; choose a folder path for the store.");
        }

        if (!Directory.Exists(dest))
        {
            return;
        }

        if (!force)
        {
            throw new ZarrPartitionException("DestinationExists", ErrorKind.ResourceExists, dest, $"The destination '{dest}' already exists. Add --force to replace it (only an existing Zarr store can be replaced).");
        }

        bool empty = !Directory.EnumerateFileSystemEntries(dest).Any();
        if (!empty && !ZarrHierarchy.IsZarr(new FileSystemStore(dest)))
        {
            throw new ZarrPartitionException("DestinationNotZarr", ErrorKind.InvalidArgument, dest,
                $"The destination '{dest}' exists and is not a Zarr store (no zarr.json, .zgroup, .zarray or .zmetadata); refusing to replace an arbitrary folder. Choose another destination or remove it yourself.");
        }
    }

    /// <summary>A hidden staging folder beside the destination.</summary>
    public static string StagingPath(string dest) =>
        Path.Combine(Path.GetDirectoryName(dest)!, "." + Path.GetFileName(dest) + "." + Guid.NewGuid().ToString("N") + ".zptmp-convert");

    /// <summary>Moves the finished staging folder into place, replacing an old store only after the new one is complete.</summary>
    public static void Publish(string staging, string dest)
    {
        if (Directory.Exists(dest))
        {
            var old = Path.Combine(Path.GetDirectoryName(dest)!, "." + Path.GetFileName(dest) + "." + Guid.NewGuid().ToString("N") + ".zptmp-old");
            Directory.Move(dest, old);
            Directory.Move(staging, dest);
            TryDeleteFolder(old);
        }
        else
        {
            Directory.Move(staging, dest);
        }
    }

    public static void TryDeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left behind as a hidden *.zptmp-* folder; harmless to readers and safe to delete by hand
        }
    }
}

using System.Runtime.InteropServices;

namespace ZarrPartition.Engine.Storage;

/// <summary>
/// Whether a folder's file system takes a chunk's size in advance (fallocate, through
/// <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/>):
/// on ext2/3/4 and XFS a file whose blocks are reserved in one call is written with about a
/// quarter less kernel time than one that reserves each page as it is copied (delayed allocation),
/// and lands in one extent. Elsewhere (network, FUSE, copy-on-write file systems, tmpfs) the extra
/// call may cost a round trip or gain nothing, so it is not made.
/// </summary>
internal static partial class Preallocation
{
    /// <summary>Files smaller than this are written without a reservation: a few pages gain nothing from it.</summary>
    public const int MinimumBytes = 64 * 1024;

    private const long Ext2Ext3Ext4Magic = 0xEF53;
    private const long XfsMagic = 0x58465342;

    /// <summary>True when <paramref name="folder"/> is on ext2/3/4 or XFS (Linux only; false when it cannot be told).</summary>
    public static bool Helps(string folder)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("ZARRPARTITION_NO_PREALLOCATE") == "1")
        {
            return false;
        }

        long type = FileSystemType(folder);
        return type == Ext2Ext3Ext4Magic || type == XfsMagic;
    }

    /// <summary>The f_type of statfs(2) for <paramref name="path"/> (the first field of struct statfs on every Linux ABI), or -1.</summary>
    internal static unsafe long FileSystemType(string path)
    {
        // struct statfs is 120 bytes on 64-bit Linux and 84 on 32-bit; the buffer covers both
        byte* buffer = stackalloc byte[256];
        try
        {
            if (StatFs(path, buffer) != 0)
            {
                return -1;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }

        return IntPtr.Size == 8 ? *(long*)buffer : *(int*)buffer;
    }

    [LibraryImport("libc", EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatFs(string path, byte* buffer);
}

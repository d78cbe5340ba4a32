using System.Globalization;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Storage;

/// <summary>
/// Chunk files on ext2/3/4 and XFS reserve their size when created (one fallocate, fewer kernel
/// cycles per page than delayed allocation); elsewhere nothing changes. Checked against what the
/// kernel reports: statfs through coreutils' stat, and the file's extents through filefrag
/// (a reserved extent is "unwritten" until written back, one left to delayed allocation is "delalloc").
/// </summary>
public class PreallocationTests
{
    [Fact]
    public void TheFileSystemTypeIsTheOneStatReports()
    {
        using var dir = new TempDir();
        string hex = ReferenceTools.RunTool("stat", "coreutils", "-f", "-c", "%t", dir.Path).Trim();
        long expected = long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.Equal(expected, Preallocation.FileSystemType(dir.Path));
        Assert.Equal(-1, Preallocation.FileSystemType(dir.Sub("missing")));
        Assert.Equal(expected is 0xEF53 or 0x58465342, Preallocation.Helps(dir.Path));
    }

    [Fact]
    public void LargeValuesReserveExactlyTheirSizeWhereItHelpsAndSmallOnesNever()
    {
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Path);
        bool helps = Preallocation.Helps(dir.Path);
        var large = new byte[Preallocation.MinimumBytes + 12_345];
        new Random(3).NextBytes(large);
        var small = large.AsSpan(0, Preallocation.MinimumBytes - 1).ToArray();
        store.Set("g/0.0", large);
        store.Set("g/0.1", small);

        Assert.Equal(large, store.Get("g/0.0"));
        Assert.Equal(small, store.Get("g/0.1"));
        Assert.Equal(large.Length, new FileInfo(dir.Sub("g/0.0")).Length);

        // not yet written back (that waits 30 s or a sync), so the kernel still tells the two apart
        var (largeFlags, largeLastBlock) = Extents(dir.Sub("g/0.0"));
        var (smallFlags, _) = Extents(dir.Sub("g/0.1"));
        Assert.True(helps == largeFlags.Contains("unwritten"), $"file system type {Preallocation.FileSystemType(dir.Path):x}: the large value's extents are '{largeFlags}'");
        Assert.DoesNotContain("unwritten", smallFlags);
        if (helps)
        {
            // the reservation ends with the value: no blocks held past the end of the file
            Assert.Equal((large.Length - 1) / 4096, largeLastBlock);
        }
    }

    [Fact]
    public void TheEnvironmentSwitchTurnsReservationsOff()
    {
        using var dir = new TempDir();
        bool before = Preallocation.Helps(dir.Path);
        Environment.SetEnvironmentVariable("ZARRPARTITION_NO_PREALLOCATE", "1");
        try
        {
            Assert.False(Preallocation.Helps(dir.Path));
            var store = new FileSystemStore(dir.Path);
            store.Set("0", new byte[Preallocation.MinimumBytes * 2]);
            Assert.DoesNotContain("unwritten", Extents(dir.Sub("0")).Flags);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ZARRPARTITION_NO_PREALLOCATE", null);
        }

        Assert.Equal(before, Preallocation.Helps(dir.Path));
    }

    /// <summary>Every extent's flags (joined) and the last logical block, from filefrag -v.</summary>
    private static (string Flags, long LastBlock) Extents(string path)
    {
        string output = ReferenceTools.RunTool("filefrag", "e2fsprogs", "-v", path);
        var flags = new List<string>();
        long last = -1;
        foreach (var line in output.Split('\n'))
        {
            // "   0:        0..      48:   19957677..  19957725:     49:             last,unwritten,eof"
            var parts = line.Split(':');
            if (parts.Length >= 4 && int.TryParse(parts[0].Trim(), out _))
            {
                var logical = parts[1].Split("..");
                last = Math.Max(last, long.Parse(logical[1].Trim(), CultureInfo.InvariantCulture));
                flags.Add(parts[^1].Trim());
            }
        }

        Assert.True(flags.Count > 0, $"filefrag listed no extents for {path}:\n{output}");
        return (string.Join(";", flags), last);
    }
}

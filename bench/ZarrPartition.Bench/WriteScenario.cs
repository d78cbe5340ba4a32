using System.Diagnostics;
using System.Globalization;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Bench;

/// <summary>
/// Writes an in-memory float32 array (read from a raw little-endian file) into a v2 file store
/// with the given codec and chunks, and the same number of chunk-sized plain files, and prints
/// CSV lines: case,seconds,MB_per_s,stored_bytes.
/// Usage: write RAW SHAPE(a,b,c) CHUNKS(a,b,c) OUTDIR CODEC[,CODEC...] [REPEATS]
/// </summary>
public static partial class WriteScenario
{
    /// <summary>Flushes every dirty page to disk (libc sync), as the Python side's os.sync().</summary>
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();

    public static int Run(string[] args)
    {
        var raw = File.ReadAllBytes(args[0]);
        var shape = args[1].Split(',').Select(long.Parse).ToArray();
        var chunks = args[2].Split(',').Select(int.Parse).ToArray();
        var outDir = args[3];
        var codecs = args[4].Split(',');
        int repeats = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 3;
        double mb = raw.Length / 1e6;

        foreach (var codecText in codecs)
        {
            double best = double.MaxValue;
            long stored = 0;
            for (int r = 0; r < repeats; r++)
            {
                var path = Path.Combine(outDir, "ours-" + codecText.Replace(':', '_'));
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, true);
                }

                var store = new FileSystemStore(path, create: true);
                Sync(); // start without a backlog of dirty pages from the previous case
                var meta = ArrayMetadata.Create(2, shape, chunks, ZarrDataType.Float32, null, CodecSpec.Parse(codecText).Build(ZarrDataType.Float32), null, null);
                var self = System.Diagnostics.Process.GetCurrentProcess();
                var (user0, sys0) = (self.UserProcessorTime, self.PrivilegedProcessorTime);
                var sw = Stopwatch.StartNew();
                var array = ZarrArray.Create(store, "", meta);
                stored = array.WriteRegion(new long[shape.Length], shape, raw);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
                if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
                {
                    self.Refresh();
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {codecText} repeat {r}: {sw.Elapsed.TotalSeconds:0.000} s (cpu user {(self.UserProcessorTime - user0).TotalSeconds:0.000} s, system {(self.PrivilegedProcessorTime - sys0).TotalSeconds:0.000} s)"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours {codecText},{best:0.000},{mb / best:0.0},{stored}"));
        }

        // the floor: the same bytes as plain files of one chunk each, written in parallel the same way
        long chunkBytes = chunks.Aggregate(4L, (a, c) => a * c);
        int files = (int)(raw.Length / chunkBytes);
        double floor = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var path = Path.Combine(outDir, "plain");
            if (Directory.Exists(path))
            {
                Directory.Delete(path, true);
            }

            Directory.CreateDirectory(path);
            Sync();
            var sw = Stopwatch.StartNew();
            Parallel.For(0, files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                using var fs = new FileStream(Path.Combine(path, i.ToString(CultureInfo.InvariantCulture)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                fs.Write(raw, (int)(i * chunkBytes), (int)chunkBytes);
            });
            floor = Math.Min(floor, sw.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plain files,{floor:0.000},{mb / floor:0.0},{raw.Length}"));
        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;
using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Bench;

/// <summary>
/// Our side of bench/read-netcdf.sh. Prints CSV lines: case,seconds,rate.
/// Usage: read big FILE REPEATS  (t2m whole on one thread, slab by slab on one thread, slabs on two threads)
///        read many DIR REPEATS  (open each file, read variable x, close)
///        read decode DIR THREADS [VARIABLE] (open every *.nc file in DIR, decode the whole variable, default t2m,
///                                           close; THREADS files at once; the floor of bench/write-pipeline.sh)
/// </summary>
public static class ReadScenario
{
    public static int Run(string[] args)
    {
        var mode = args[0];
        var target = args[1];
        int repeats = int.Parse(args[2], CultureInfo.InvariantCulture);
        if (mode == "big")
        {
            // a fresh open per phase, so no phase profits from chunks another one decoded
            IDataset Fresh() => SourceOpener.Open(target);
            Variable v;
            using (var probe = Fresh())
            {
                v = probe.Root.Variable("t2m")!;
            }

            long slabSteps = v.ChunkShape?[0] ?? 24;
            long stepBytes = v.Shape.Skip(1).Aggregate((long)v.DataType.Size, (a, b) => a * b);
            var whole = new byte[v.Shape[0] * stepBytes];
            double mb = whole.Length / 1e6;
            double bestWhole = double.MaxValue, bestSlab = double.MaxValue, bestTwo = double.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                using (var ds = Fresh())
                {
                    var sw = Stopwatch.StartNew();
                    ds.Read("", v, new long[v.Rank], v.Shape, whole);
                    bestWhole = Math.Min(bestWhole, sw.Elapsed.TotalSeconds);
                }

                using (var ds = Fresh())
                {
                    var sw = Stopwatch.StartNew();
                    var slab = new byte[slabSteps * stepBytes];
                    for (long t0 = 0; t0 < v.Shape[0]; t0 += slabSteps)
                    {
                        long n = Math.Min(slabSteps, v.Shape[0] - t0);
                        ds.Read("", v, [t0, 0, 0], [n, v.Shape[1], v.Shape[2]], slab.AsSpan(0, (int)(n * stepBytes)));
                    }

                    bestSlab = Math.Min(bestSlab, sw.Elapsed.TotalSeconds);
                }

                using (var ds = Fresh())
                {
                    var sw = Stopwatch.StartNew();
                    long slabs = (v.Shape[0] + slabSteps - 1) / slabSteps;
                    Parallel.For(0, slabs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
                    {
                        long t0 = i * slabSteps;
                        long n = Math.Min(slabSteps, v.Shape[0] - t0);
                        ds.Read("", v, [t0, 0, 0], [n, v.Shape[1], v.Shape[2]], whole.AsSpan((int)(t0 * stepBytes), (int)(n * stepBytes)));
                    });
                    bestTwo = Math.Min(bestTwo, sw.Elapsed.TotalSeconds);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours whole,{bestWhole:0.000},{mb / bestWhole:0.0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours slabs,{bestSlab:0.000},{mb / bestSlab:0.0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours slabs 2 threads,{bestTwo:0.000},{mb / bestTwo:0.0}"));
            return 0;
        }

        if (mode == "decode")
        {
            return Decode(target, repeats, args.Length > 3 ? args[3] : "t2m");
        }

        var files = Directory.GetFiles(target, "*.nc").Order(StringComparer.Ordinal).ToArray();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            long total = 0;
            foreach (var f in files)
            {
                using var ds = SourceOpener.Open(f);
                var v = ds.Root.Variable("x")!;
                var buffer = new byte[v.Shape.Aggregate((long)v.DataType.Size, (a, b) => a * b)];
                ds.Read("", v, new long[v.Rank], v.Shape, buffer);
                total += buffer.Length;
            }

            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours many,{best:0.000},{files.Length / best:0.0} files/s"));
        return 0;
    }

    /// <summary>
    /// Decodes one variable of every file in a folder, <paramref name="threads"/> files at once, each file opened, read
    /// whole into its own buffer and closed, as a writer must; prints "ours decode THREADS threads,seconds,MB/s".
    /// </summary>
    private static int Decode(string dir, int threads, string name)
    {
        var files = Directory.GetFiles(dir, "*.nc").Order(StringComparer.Ordinal).ToArray();
        long total = 0;
        var sw = Stopwatch.StartNew();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = threads }, f =>
        {
            using var ds = SourceOpener.Open(f);
            var v = ds.Root.Variable(name) ?? throw new InvalidOperationException($"{f} has no variable {name}");
            var buffer = new byte[v.Shape.Aggregate((long)v.DataType.Size, (a, b) => a * b)];
            ds.Read("", v, new long[v.Rank], v.Shape, buffer);
            Interlocked.Add(ref total, buffer.Length);
        });
        double s = sw.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours decode {threads} threads,{s:0.000},{total / 1e6 / s:0.0}"));
        return 0;
    }
}

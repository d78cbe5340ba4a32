using System.Diagnostics;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Tests.NetCdf;

namespace ZarrPartition.Engine.Tests.Datasets;

/// <summary>
/// Damaged NetCDF-3, NetCDF-4 and HDF5 files through the whole stack a conversion uses (SourceOpener,
/// the NetCDF-4 layer, every variable read): each either reads or fails with SourceFormatException
/// naming the file — no other exception type, no hang.
/// </summary>
public class SourceRobustnessTests : IClassFixture<NetCdf4Fixture>
{
    private readonly NetCdf4Fixture _fx;

    public SourceRobustnessTests(NetCdf4Fixture fx) => _fx = fx;

    [Theory]
    [InlineData("features", 500)]
    [InlineData("nc4classic", 300)]
    [InlineData("h5_latest", 300)]
    [InlineData("classic", 300)]
    public async Task MutatedSourcesReadOrFailWithTheTypedFormatError(string name, int cases)
    {
        var original = File.ReadAllBytes(_fx.FilePath(name));
        using var dir = new TempDir();
        var r = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 12345);
        var clock = Stopwatch.StartNew();
        int failed = 0, read = 0;
        for (int i = 0; i < cases && clock.Elapsed < TimeSpan.FromSeconds(25); i++)
        {
            var bytes = Mutate(original, r, i);
            var path = dir.Sub($"{name}-{i}.bin");
            File.WriteAllBytes(path, bytes);
            var task = Task.Run(() => ReadEverything(path));
            var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(finished == task, $"case {i} of {name} did not finish in 10 s");
            if (await task is { } error)
            {
                Assert.True(error is SourceFormatException, $"case {i} of {name}: {error.GetType().Name}: {error.Message}\n{error.StackTrace}");
                Assert.Contains(path, error.Message);
                failed++;
            }
            else
            {
                read++;
            }

            File.Delete(path);
        }

        Assert.True(failed > 0, "no mutation was detected: the test did not exercise the error paths");
        Assert.True(read + failed > cases / 4, "too few cases ran in the time allowed");
    }

    private static Exception? ReadEverything(string path)
    {
        try
        {
            using var ds = SourceOpener.Open(path);
            Visit(ds, ds.Root);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static void Visit(IDataset ds, DatasetGroup g)
    {
        foreach (var v in g.Variables)
        {
            long n = v.Shape.Aggregate(1L, (a, b) => a * b);
            if (n > 50_000_000)
            {
                continue; // a mutated shape; the fixture variables are small
            }

            if (v.Kind == VariableKind.String)
            {
                ds.ReadStrings(g.Path, v, new long[v.Rank], v.Shape);
            }
            else
            {
                ds.Read(g.Path, v, new long[v.Rank], v.Shape, new byte[n * v.DataType.Size]);
            }
        }

        foreach (var sub in g.Groups)
        {
            Visit(ds, sub);
        }
    }

    private static byte[] Mutate(byte[] original, Random r, int i)
    {
        var b = (byte[])original.Clone();
        switch (i % 5)
        {
            case 0:
                return b[..r.Next(b.Length)]; // truncated
            case 1:
                for (int k = 0, n = r.Next(1, 8); k < n; k++)
                {
                    b[r.Next(Math.Min(b.Length, 4096))] ^= (byte)(1 << r.Next(8)); // header bit flips
                }

                return b;
            case 2:
                for (int k = 0, n = r.Next(1, 16); k < n; k++)
                {
                    b[r.Next(b.Length)] ^= (byte)(1 << r.Next(8)); // anywhere
                }

                return b;
            case 3:
                int at = r.Next(Math.Max(1, Math.Min(b.Length, 4096) - 8));
                BitConverter.TryWriteBytes(b.AsSpan(at), r.Next(2) == 0 ? long.MaxValue - r.Next(1000) : (long)r.Next()); // absurd sizes
                return b;
            default:
                var chunk = b.AsSpan(r.Next(b.Length / 2), Math.Min(64, b.Length / 4));
                r.NextBytes(chunk); // a block of garbage
                return b;
        }
    }
}

using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Hdf5;

namespace ZarrPartition.Engine.Tests.Hdf5;

/// <summary>
/// Damaged files: thousands of seeded mutations of the fixtures (bit flips in the metadata area
/// and anywhere, truncations, length and address fields overwritten with huge values). Opening and
/// reading everything must either succeed or throw <see cref="SourceFormatException"/> that does not
/// merely wrap a programming error (index out of range, null reference, overflow...), and never hang.
/// </summary>
[Collection(Hdf5FixtureCollection.Name)]
public sealed class Hdf5RobustnessTests(Hdf5Fixtures fixtures, ITestOutputHelper output)
{
    private const int MaxCases = 3000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);

    private static readonly byte[][] Signatures =
        ["OHDR"u8.ToArray(), "OCHK"u8.ToArray(), "TREE"u8.ToArray(), "HEAP"u8.ToArray(), "SNOD"u8.ToArray(), "GCOL"u8.ToArray(),
         "FRHP"u8.ToArray(), "FHDB"u8.ToArray(), "FHIB"u8.ToArray(), "BTHD"u8.ToArray(), "BTIN"u8.ToArray(), "BTLF"u8.ToArray(),
         "FAHD"u8.ToArray(), "FADB"u8.ToArray(), "EAHD"u8.ToArray(), "EAIB"u8.ToArray(), "EASB"u8.ToArray(), "EADB"u8.ToArray()];

    private static readonly Type[] BugTypes =
        [typeof(IndexOutOfRangeException), typeof(NullReferenceException), typeof(OverflowException), typeof(ArgumentException),
         typeof(InvalidCastException), typeof(OutOfMemoryException), typeof(DivideByZeroException), typeof(KeyNotFoundException),
         typeof(InvalidOperationException), typeof(StackOverflowException), typeof(InsufficientExecutionStackException)];

    [Fact]
    public async Task MutatedFilesOnlyEverFailWithSourceFormatException()
    {
        var originals = Hdf5Fixtures.HdfFiles.Select(f => File.ReadAllBytes(fixtures.PathOf(f))).ToArray();
        var dir = Path.Combine(fixtures.Folder, "mutations");
        Directory.CreateDirectory(dir);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int done = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        int workers = Math.Max(2, Environment.ProcessorCount);
        int next = -1;
        var running = new string?[workers];
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Factory.StartNew(() =>
        {
            string path = Path.Combine(dir, $"worker{w}.h5");
            while (clock.Elapsed < Budget)
            {
                int i = Interlocked.Increment(ref next);
                if (i >= MaxCases)
                {
                    return;
                }

                var rng = new Random(1000 + i);
                var source = originals[i % originals.Length];
                var (bytes, description) = Mutate(source, rng);
                bool verify = i % 2 == 0;
                string label = $"case {i} ({Hdf5Fixtures.HdfFiles[i % originals.Length]}: {description}{(verify ? "" : ", checksums not verified")})";
                running[w] = label;
                File.WriteAllBytes(path, bytes);
                try
                {
                    ReadEverything(path, verify);
                }
                catch (SourceFormatException e)
                {
                    Interlocked.Increment(ref rejected);
                    for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
                    {
                        if (BugTypes.Any(t => t.IsInstanceOfType(inner)))
                        {
                            failures.Enqueue($"{label}: SourceFormatException wraps {inner.GetType().Name}: {inner.Message}\n{inner.StackTrace}");
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{label}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }

                running[w] = null;
                Interlocked.Increment(ref done);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(Budget + HangLimit)) != all)
        {
            Assert.Fail("Reading a damaged file hangs: " + string.Join("; ", running.Where(r => r is not null)));
        }
        output.WriteLine($"{done} mutated files in {clock.Elapsed.TotalSeconds:F1} s, {rejected} rejected with SourceFormatException, {done - rejected} read without error.");
        Assert.True(failures.IsEmpty, $"{failures.Count} failures; first ones:\n" + string.Join("\n\n", failures.Take(5)));
        Assert.True(done >= 200, $"only {done} cases ran in the time budget");
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] original, Random rng)
    {
        var bytes = (byte[])original.Clone();
        int kind = rng.Next(6);
        switch (kind)
        {
            case 0:
            case 1:
                {
                    int limit = kind == 0 ? Math.Min(4096, bytes.Length) : bytes.Length;
                    int flips = 1 + rng.Next(8);
                    var sb = new StringBuilder(kind == 0 ? "bit flips in the first 4 KiB at" : "bit flips at");
                    for (int k = 0; k < flips; k++)
                    {
                        int at = rng.Next(limit);
                        bytes[at] ^= (byte)(1 << rng.Next(8));
                        sb.Append(' ').Append(at);
                    }

                    return (bytes, sb.ToString());
                }

            case 2:
                {
                    int length = rng.Next(bytes.Length);
                    return (bytes[..length], $"truncated to {length} bytes");
                }

            case 3:
            case 4:
                {
                    // a length, count or address field near a structure's signature set to a huge value
                    var positions = SignaturePositions(bytes);
                    int at = positions.Count > 0 && kind == 3 ? positions[rng.Next(positions.Count)] + 4 + rng.Next(40) : rng.Next(Math.Min(4096, bytes.Length));
                    int width = new[] { 1, 2, 4, 8 }[rng.Next(4)];
                    at = Math.Min(at, bytes.Length - width);
                    var pattern = rng.Next(3) switch
                    {
                        0 => Enumerable.Repeat((byte)0xFF, width).ToArray(),
                        1 => Enumerable.Repeat((byte)0xFF, width - 1).Append((byte)0x7F).ToArray(),
                        _ => Enumerable.Range(0, width).Select(_ => (byte)rng.Next(256)).ToArray(),
                    };
                    pattern.CopyTo(bytes, at);
                    return (bytes, $"{width} bytes at {at} set to {Convert.ToHexString(pattern)}");
                }

            default:
                {
                    int at = rng.Next(Math.Min(8192, bytes.Length));
                    int length = Math.Min(1 + rng.Next(32), bytes.Length - at);
                    rng.NextBytes(bytes.AsSpan(at, length));
                    return (bytes, $"{length} random bytes at {at}");
                }
        }
    }

    private static List<int> SignaturePositions(byte[] bytes)
    {
        var found = new List<int>();
        foreach (var sig in Signatures)
        {
            int from = 0;
            while (from < bytes.Length)
            {
                int at = bytes.AsSpan(from).IndexOf(sig);
                if (at < 0)
                {
                    break;
                }

                found.Add(from + at);
                from += at + 1;
            }
        }

        return found;
    }

    /// <summary>Opens a file (every other case without verifying metadata checksums, so the damage reaches the parsers behind them) and touches everything: groups, attribute values, dataset values (bounded), references.</summary>
    private static void ReadEverything(string path, bool verifyChecksums)
    {
        using var file = Hdf5File.Open(path, verifyChecksums);
        var queue = new Queue<Hdf5Group>();
        queue.Enqueue(file.Root);
        int groups = 0;
        while (queue.Count > 0 && groups++ < 200)
        {
            var g = queue.Dequeue();
            Touch(file, g.Attributes);
            foreach (var d in g.Datasets)
            {
                Touch(file, d.Attributes);
                _ = d.Type.ToZarrDataType();
                if (d.IsNull)
                {
                    continue;
                }

                // the whole dataset when it is small, else a corner of at most 3 elements per dimension
                double whole = d.Shape.Aggregate((double)d.Type.Size, (a, b) => a * b);
                var count = d.Shape.Select(n => whole <= 4 << 20 ? n : Math.Min(n, 3)).ToArray();
                double bytes = count.Aggregate((double)d.Type.Size, (a, b) => a * b);
                if (bytes > 16 << 20)
                {
                    continue;
                }

                if (d.Type.IsVariableLengthString || d.Type.Class == Hdf5TypeClass.String)
                {
                    d.ReadStrings(new long[count.Length], count);
                }
                else
                {
                    d.Read(new long[count.Length], count, new byte[(long)bytes]);
                }
            }

            foreach (var c in g.Groups)
            {
                queue.Enqueue(c);
            }
        }
    }

    private static void Touch(Hdf5File file, IReadOnlyList<Hdf5Attribute> attributes)
    {
        foreach (var a in attributes)
        {
            if (a.Value is long[][] references)
            {
                foreach (var r in references.SelectMany(x => x).Take(8))
                {
                    file.DatasetAt(r);
                }
            }
        }
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using ZarrPartition.Engine.Errors;
using Xunit.Abstractions;
using ZarrPartition.Engine.NetCdf;

namespace ZarrPartition.Engine.Tests.NetCdf;

/// <summary>
/// Damaged copies of the fixtures — bit flips (mostly in the header), truncations in every region, absurd
/// counts, sizes and offsets written over header fields — must open and read cleanly or fail with a
/// <see cref="SourceFormatException"/>, never anything else, and never hang.
/// </summary>
public class NetCdf3RobustnessTests : IClassFixture<NetCdf3Fixture>
{
    private const int MaxCases = 3000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    private static readonly string[] Files =
        ["classic", "offset64", "cdf5", "classic_norecords", "cdf5_norecords", "lone_short_record", "lone_char_record", "lone_ubyte_record_cdf5", "scalar_records"];

    private readonly NetCdf3Fixture _fx;
    private readonly ITestOutputHelper _output;

    public NetCdf3RobustnessTests(NetCdf3Fixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _output = output;
    }

    [Fact]
    public async Task MutatedFilesOpenAndReadOrFailWithSourceFormatException()
    {
        var originals = Files.Select(n =>
        {
            using var f = NetCdf3File.Open(_fx.FilePath(n));
            return (Name: n, Bytes: File.ReadAllBytes(_fx.FilePath(n)), Header: (int)f.HeaderLength);
        }).ToArray();

        using var dir = new TempDir();
        var outcome = new Outcome();
        var run = Task.Run(() =>
        {
            var rng = new Random(20260521);
            var clock = Stopwatch.StartNew();
            var cases = TruncationSweep(originals).Concat(RandomMutations(originals, rng));
            foreach (var (label, bytes) in cases)
            {
                if (outcome.Cases >= MaxCases || clock.Elapsed > Budget)
                {
                    break;
                }

                outcome.Cases++;
                Exercise(dir.Sub("case.nc"), label, bytes, rng, outcome);
            }
        });

        var first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(120)));
        Assert.True(first == run, $"the mutation run hung after {outcome.Cases} cases");
        await run;
        _output.WriteLine($"{outcome.Cases} cases: {outcome.Opened} opened and read, {outcome.Rejected} rejected with SourceFormatException.");
        Assert.True(outcome.Failures.Count == 0, $"{outcome.Failures.Count} of {outcome.Cases} cases threw something else:\n" + string.Join("\n\n", outcome.Failures.Take(10)));
        Assert.True(outcome.Cases >= 300, $"only {outcome.Cases} cases ran in the time budget");
        Assert.True(outcome.Opened > 0 && outcome.Rejected > 0, $"{outcome.Opened} opened, {outcome.Rejected} rejected: the mutations should produce both");
    }

    private static void Exercise(string path, string label, byte[] bytes, Random rng, Outcome outcome)
    {
        File.WriteAllBytes(path, bytes);
        try
        {
            using var file = NetCdf3File.Open(path);
            foreach (var v in file.Root.Variables)
            {
                long size = NetCdf3FileTests.Elements(v.Shape) * v.DataType.Size;
                if (size > bytes.Length)
                {
                    outcome.Failures.Add($"{label}: variable '{v.Name}' opened with {size} bytes of data in a file of {bytes.Length}");
                    continue;
                }

                NetCdf3FileTests.ReadWhole(file, v);
                for (int i = 0; i < 3; i++)
                {
                    var (start, count) = NetCdf3FileTests.RandomBox(rng, v.Shape);
                    file.Read("", v, start, count, new byte[NetCdf3FileTests.Elements(count) * v.DataType.Size]);
                }

                _ = v.Attributes.Select(a => a.ToString()).ToList();
            }

            _ = file.Root.Attributes.Select(a => a.ToString()).ToList();
            outcome.Opened++;
        }
        catch (Exception e) when (e.GetType() == typeof(SourceFormatException))
        {
            outcome.Rejected++;
            if (!e.Message.Contains(path, StringComparison.Ordinal))
            {
                outcome.Failures.Add($"{label}: the message does not name the file: {e.Message}");
            }
        }
        catch (Exception e)
        {
            outcome.Failures.Add($"{label}: {e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
        }
    }

    /// <summary>Every file cut short at points all through its header, at its end and just after.</summary>
    private static IEnumerable<(string, byte[])> TruncationSweep((string Name, byte[] Bytes, int Header)[] originals)
    {
        foreach (var (name, bytes, header) in originals)
        {
            int step = Math.Max(1, header / 40);
            var cuts = Enumerable.Range(0, (header / step) + 1).Select(i => i * step)
                .Concat([header - 1, header, header + 1, bytes.Length - 1, bytes.Length - 4, bytes.Length / 2])
                .Where(c => c >= 0 && c < bytes.Length).Distinct();
            foreach (int cut in cuts)
            {
                yield return ($"{name} cut to {cut} bytes", bytes[..cut]);
            }
        }
    }

    private static IEnumerable<(string, byte[])> RandomMutations((string Name, byte[] Bytes, int Header)[] originals, Random rng)
    {
        while (true)
        {
            var (name, original, header) = originals[rng.Next(originals.Length)];
            var bytes = (byte[])original.Clone();
            var label = new StringBuilder(name);
            int edits = rng.Next(4) == 0 ? 2 : 1;
            for (int e = 0; e < edits; e++)
            {
                bytes = Mutate(bytes, header, rng, label);
            }

            yield return (label.ToString(), bytes);
        }
    }

    private static byte[] Mutate(byte[] bytes, int header, Random rng, StringBuilder label)
    {
        switch (rng.Next(8))
        {
            case 0:
            case 1:
                // bit flips in the header
                for (int i = rng.Next(1, 4); i > 0; i--)
                {
                    int at = rng.Next(Math.Min(header, bytes.Length));
                    int bit = rng.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    label.Append($", flip bit {bit} of byte {at}");
                }

                return bytes;
            case 2:
                // bit flips anywhere
                for (int i = rng.Next(1, 8); i > 0; i--)
                {
                    int at = rng.Next(bytes.Length);
                    int bit = rng.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    label.Append($", flip bit {bit} of byte {at}");
                }

                return bytes;
            case 3:
                {
                    // truncation anywhere, data regions included
                    int cut = rng.Next(bytes.Length);
                    label.Append($", cut to {cut}");
                    return bytes[..cut];
                }

            case 4:
            case 5:
                {
                    // an absurd 32-bit value over an aligned header field: counts, lengths, tags, types, vsize, begin
                    int at = 4 * rng.Next(Math.Max(1, Math.Min(header, bytes.Length) / 4));
                    uint value = Absurd32(rng, bytes.Length, header);
                    if (at + 4 <= bytes.Length)
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
                    }

                    label.Append($", uint32 {value} at {at}");
                    return bytes;
                }

            case 6:
                {
                    // an absurd 64-bit value over an aligned header field (CDF-5 counts, CDF-2/5 begins)
                    int at = 4 * rng.Next(Math.Max(1, Math.Min(header, bytes.Length) / 4));
                    long value = Absurd64(rng, bytes.Length, header);
                    if (at + 8 <= bytes.Length)
                    {
                        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at), value);
                    }

                    label.Append($", int64 {value} at {at}");
                    return bytes;
                }

            default:
                {
                    // numrecs: absurd, or STREAMING over a file with junk appended
                    if (bytes.Length < 12)
                    {
                        return bytes;
                    }

                    int width = bytes[3] == 5 ? 8 : 4;
                    if (rng.Next(2) == 0)
                    {
                        bytes.AsSpan(4, width).Fill(0xFF);
                        var junk = new byte[rng.Next(0, 64)];
                        rng.NextBytes(junk);
                        label.Append($", streaming with {junk.Length} junk bytes");
                        return [.. bytes, .. junk];
                    }

                    long value = Absurd64(rng, bytes.Length, header);
                    if (width == 8)
                    {
                        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), value);
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)value);
                    }

                    label.Append($", numrecs {value}");
                    return bytes;
                }
        }
    }

    private static uint Absurd32(Random rng, int length, int header)
    {
        uint[] picks = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFC, 1 << 20, 1 << 30,
            (uint)length, (uint)length - 1, (uint)length + 4, (uint)header, (uint)header - 4, (uint)rng.Next()];
        return picks[rng.Next(picks.Length)];
    }

    private static long Absurd64(Random rng, int length, int header)
    {
        long[] picks = [0, 1, 4, 11, 12, -1, -2, long.MaxValue, long.MinValue, long.MaxValue - 3, 1L << 31, 1L << 32, 1L << 40, 1L << 62,
            length, length - 1, length + 8L, header, header - 8L, rng.NextInt64()];
        return picks[rng.Next(picks.Length)];
    }

    private sealed class Outcome
    {
        public int Cases { get; set; }

        public int Opened { get; set; }

        public int Rejected { get; set; }

        public List<string> Failures { get; } = [];
    }
}

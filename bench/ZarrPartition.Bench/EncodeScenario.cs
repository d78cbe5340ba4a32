using System.Diagnostics;
using System.Globalization;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Bench;

/// <summary>
/// Encodes every chunk of an in-memory float32 array (read from a raw little-endian file) with one
/// codec on one thread, no store, and prints CSV lines: case,seconds,MB_per_s,encoded_bytes (best of
/// the repeats). The codec alone, without the file system: bench/encode-throughput.sh.
/// Usage: encode RAW CHUNK_BYTES CODEC[,CODEC...] [REPEATS]
/// </summary>
public static class EncodeScenario
{
    public static int Run(string[] args)
    {
        var raw = File.ReadAllBytes(args[0]);
        int chunkBytes = int.Parse(args[1], CultureInfo.InvariantCulture);
        var codecs = args[2].Split(',');
        int repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        int chunks = raw.Length / chunkBytes;
        foreach (var codecText in codecs)
        {
            var codec = CodecSpec.Parse(codecText).Build(ZarrDataType.Float32) ?? throw new ArgumentException("no codec: " + codecText);
            var encoder = codec as ISpanEncoder;
            var output = new byte[encoder?.MaxEncodedLength(chunkBytes) ?? 0];
            double best = double.MaxValue;
            long total = 0;
            for (int r = 0; r < repeats; r++)
            {
                total = 0;
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < chunks; i++)
                {
                    var chunk = raw.AsSpan(i * chunkBytes, chunkBytes);
                    total += encoder is null ? codec.Encode(chunk).Length : encoder.Encode(chunk, output);
                }

                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }

            double mb = (double)chunks * chunkBytes / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours {codecText},{best:0.000},{mb / best:0.0},{total}"));
        }

        return 0;
    }
}

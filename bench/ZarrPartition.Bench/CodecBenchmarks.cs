using BenchmarkDotNet.Attributes;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Bench;

/// <summary>Single-thread encode/decode of one 4 MiB chunk of climate-like float32 values.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private byte[] _chunk = [];
    private byte[] _encoded = [];
    private IBytesCodec _codec = null!;

    [Params("blosc:lz4:5", "blosc:zstd:3", "zlib:1", "zstd:3", "lz4")]
    public string Codec { get; set; } = "blosc:lz4:5";

    [GlobalSetup]
    public void Setup()
    {
        var values = new float[1 << 20];
        var r = new Random(1);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = 250f + 30f * MathF.Sin(i / 4096f) + 5f * MathF.Cos(i % 1024 / 50f) + (float)r.NextDouble() * 0.1f;
        }

        _chunk = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, _chunk, 0, _chunk.Length);
        _codec = CodecSpec.Parse(Codec).Build(ZarrDataType.Float32)!;
        _encoded = _codec.Encode(_chunk);
    }

    [Benchmark]
    public int Encode() => _codec.Encode(_chunk).Length;

    [Benchmark]
    public int Decode() => _codec.Decode(_encoded).Length;
}

using System.Buffers.Binary;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Codecs;

/// <summary>Checks our codecs against numcodecs: it decodes frames we wrote (<see cref="Decodes"/>), and it encodes frames we decode (<see cref="RoundTrips"/>).</summary>
internal static class NumcodecsCheck
{
    public const int Blosc = 0;
    public const int Lz4 = 1;
    public const int Zstd = 2;

    private const string Script = """
        import struct, sys
        from numcodecs import blosc, LZ4, Zstd
        with open(sys.argv[1], 'rb') as f:
            buf = f.read()
        pos = checked = 0
        bad = []
        while pos < len(buf):
            kind = buf[pos]
            (n,) = struct.unpack_from('<I', buf, pos + 1)
            original = buf[pos + 5:pos + 5 + n]
            pos += 5 + n
            (m,) = struct.unpack_from('<I', buf, pos)
            frame = buf[pos + 4:pos + 4 + m]
            pos += 4 + m
            try:
                if kind == 0:
                    decoded = blosc.decompress(frame)
                elif kind == 1:
                    decoded = LZ4().decode(frame)
                else:
                    decoded = Zstd().decode(frame)
                if bytes(decoded) != original:
                    bad.append('%d: decoded bytes differ' % checked)
            except Exception as e:
                bad.append('%d: %r' % (checked, e))
            checked += 1
        print('checked', checked)
        for b in bad[:20]:
            print('FAIL', b)
        print('failures', len(bad))
        """;

    public static void Decodes(IReadOnlyList<(int Kind, byte[] Original, byte[] Frame)> records)
    {
        using var dir = new TempDir();
        using (var file = File.Create(dir.Sub("records.bin")))
        {
            Span<byte> u32 = stackalloc byte[4];
            foreach (var (kind, original, frame) in records)
            {
                file.WriteByte((byte)kind);
                BinaryPrimitives.WriteInt32LittleEndian(u32, original.Length);
                file.Write(u32);
                file.Write(original);
                BinaryPrimitives.WriteInt32LittleEndian(u32, frame.Length);
                file.Write(u32);
                file.Write(frame);
            }
        }

        string output = ReferenceTools.RunPython(Script, dir.Sub("records.bin"));
        Assert.Contains($"checked {records.Count}\n", output);
        Assert.True(output.Contains("failures 0\n", StringComparison.Ordinal), output);
    }

    /// <summary>
    /// Both directions against numcodecs' <paramref name="kind"/> codec (<see cref="Lz4"/> or <see cref="Zstd"/>), whose
    /// one setting is named <paramref name="settingName"/> in numcodecs: every sample (kinds x sizes x settings) is
    /// encoded by numcodecs and must decode with <paramref name="decoder"/>; then numcodecs must decode what
    /// <paramref name="encode"/> (setting, index among the non-empty samples, data) makes of every non-empty sample.
    /// </summary>
    public static void RoundTrips(int kind, string settingName, int[] settings, int[] sizes, IBytesCodec decoder, Func<int, int, byte[], byte[]> encode)
    {
        string pythonCodec = kind switch
        {
            Lz4 => "LZ4",
            Zstd => "Zstd",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "LZ4 or Zstd"),
        };
        string script = $$"""
            import struct, sys
            from numcodecs import {{pythonCodec}}
            with open(sys.argv[1], 'rb') as f:
                buf = f.read()
            pos = 0
            with open(sys.argv[2], 'wb') as out:
                while pos < len(buf):
                    setting, n = struct.unpack_from('<iI', buf, pos)
                    frame = {{pythonCodec}}({{settingName}}=setting).encode(buf[pos + 8:pos + 8 + n])
                    pos += 8 + n
                    out.write(struct.pack('<I', len(frame)))
                    out.write(frame)
            print('done')
            """;
        var inputs = new List<(int Setting, byte[] Data)>();
        foreach (string sample in CodecSamples.Kinds)
        {
            foreach (int n in sizes)
            {
                foreach (int setting in settings)
                {
                    inputs.Add((setting, CodecSamples.Make(sample, n, n + setting)));
                }
            }
        }

        using var dir = new TempDir();
        using (var file = File.Create(dir.Sub("in.bin")))
        {
            Span<byte> u32 = stackalloc byte[4];
            foreach (var (setting, data) in inputs)
            {
                BinaryPrimitives.WriteInt32LittleEndian(u32, setting);
                file.Write(u32);
                BinaryPrimitives.WriteInt32LittleEndian(u32, data.Length);
                file.Write(u32);
                file.Write(data);
            }
        }

        ReferenceTools.RunPython(script, dir.Sub("in.bin"), dir.Sub("out.bin"));
        byte[] frames = File.ReadAllBytes(dir.Sub("out.bin"));
        int at = 0;
        foreach (var (setting, data) in inputs)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(frames.AsSpan(at));
            Assert.True(data.AsSpan().SequenceEqual(decoder.Decode(frames.AsSpan(at + 4, length))), $"{data.Length} bytes, {settingName} {setting}");
            at += 4 + length;
        }

        Assert.Equal(frames.Length, at);

        // numcodecs 0.11 rejects even its own encoding of empty input, so the reverse check starts at 1 byte.
        Decodes(inputs
            .Where(i => i.Data.Length > 0)
            .Select((i, k) => (kind, i.Data, encode(i.Setting, k, i.Data)))
            .ToList());
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Undoes a dataset's filter pipeline for one chunk, last filter first, skipping the filters the
/// chunk's mask marks as not applied: deflate, shuffle, fletcher32 (verified), and through the
/// engine's codecs zstd and blosc. Any other filter is reported with its id and the dataset.
/// Buffers come from the shared array pool; the caller returns the result with <see cref="Return"/>.
/// </summary>
internal static class FilterPipeline
{
    // deflate expands at most ~1032:1; anything claiming more is damaged
    private const long MaxDeflateRatio = 1100;
    private const int Slack = 1024;

    // a Blosc frame says how it was encoded: any instance decodes every frame
    private static readonly BloscCodec BloscDecoder = new("lz4", 5, BloscShuffle.NoShuffle, 1);

    /// <summary>True when every filter can be decoded here.</summary>
    public static bool IsSupported(int id) => id is Hdf5Filter.Deflate or Hdf5Filter.Shuffle or Hdf5Filter.Fletcher32 or Hdf5Filter.Zstd or Hdf5Filter.Blosc;

    /// <summary>
    /// Decodes <paramref name="length"/> stored bytes of <paramref name="input"/> (a pooled buffer, which this method owns
    /// and returns) into a pooled buffer holding exactly <paramref name="expected"/> bytes of chunk data.
    /// </summary>
    public static byte[] Decode(Hdf5Storage storage, IReadOnlyList<Hdf5Filter> filters, uint mask, byte[] input, int length, int expected, int elementSize, string what) =>
        Decode(storage, filters, mask, input, length, expected, elementSize, what, first: 0);

    /// <summary>Undoes the filters from the last down to <paramref name="first"/> (those before it stay applied).</summary>
    private static byte[] Decode(Hdf5Storage storage, IReadOnlyList<Hdf5Filter> filters, uint mask, byte[] input, int length, int expected, int elementSize, string what, int first)
    {
        byte[] current = input;
        int size = length;
        try
        {
            for (int i = filters.Count - 1; i >= first; i--)
            {
                if (i < 32 && (mask & (1u << i)) != 0)
                {
                    continue;
                }

                var filter = filters[i];
                byte[] next;
                switch (filter.Id)
                {
                    case Hdf5Filter.Deflate:
                        (next, size) = Inflate(storage, current, size, expected, what);
                        break;
                    case Hdf5Filter.Shuffle:
                        {
                            int typesize = filter.ClientData.Length > 0 && filter.ClientData[0] > 0 ? filter.ClientData[0] : elementSize;
                            next = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
                            Codecs.Shuffle.ByteUnshuffle(typesize, current.AsSpan(0, size), next);
                            break;
                        }

                    case Hdf5Filter.Fletcher32:
                        {
                            if (size < 4)
                            {
                                throw storage.Error($"{what}: the chunk is too short to hold its Fletcher-32 checksum.");
                            }

                            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(current.AsSpan(size - 4, 4));
                            uint computed = Fletcher32.Compute(current.AsSpan(0, size - 4));
                            if (stored != computed && stored != BinaryPrimitives.ReverseEndianness(computed))
                            {
                                throw storage.Error($"{what}: Fletcher-32 checksum mismatch (stored 0x{stored:X8}, computed 0x{computed:X8}); the chunk is damaged.");
                            }

                            size -= 4;
                            continue;
                        }

                    case Hdf5Filter.Zstd:
                        next = Pooled(ZstdNative.Decompress(current.AsSpan(0, size)), out size);
                        break;
                    case Hdf5Filter.Blosc:
                        next = Pooled(BloscDecoder.Decode(current.AsSpan(0, size)), out size);
                        break;
                    default:
                        throw storage.Error($"{what}: filter {filter.Id} ({filter.Name}) is not supported; only deflate, shuffle, fletcher32, zstd (32015) and blosc (32001) can be decoded.");
                }

                ArrayPool<byte>.Shared.Return(current);
                current = next;
                if (size > expected + (long)Slack)
                {
                    throw storage.Error($"{what}: filter {filter.Name} produced {size} bytes for a {expected}-byte chunk.");
                }
            }
        }
        catch (CodecException e)
        {
            ArrayPool<byte>.Shared.Return(current);
            throw storage.Error($"{what}: {e.Message}", e);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(current);
            throw;
        }

        if (size != expected)
        {
            ArrayPool<byte>.Shared.Return(current);
            throw storage.Error($"{what}: the decoded chunk has {size} bytes where {expected} were expected.");
        }

        return current;
    }

    public static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    /// <summary>
    /// Decodes like <see cref="Decode"/> but writes the result into <paramref name="destination"/>
    /// (exactly the chunk's size). When the last step is a byte shuffle, it unshuffles straight into the
    /// destination instead of into another buffer that would then be copied: one pass less over the chunk.
    /// </summary>
    public static void DecodeInto(Hdf5Storage storage, IReadOnlyList<Hdf5Filter> filters, uint mask, byte[] input, int length, Span<byte> destination, int elementSize, string what)
    {
        int expected = destination.Length;
        bool lastIsShuffle = filters.Count > 1 && filters[0].Id == Hdf5Filter.Shuffle && (mask & 1u) == 0;
        if (!lastIsShuffle)
        {
            var decoded = Decode(storage, filters, mask, input, length, expected, elementSize, what);
            decoded.AsSpan(0, expected).CopyTo(destination);
            ArrayPool<byte>.Shared.Return(decoded);
            return;
        }

        // everything but the shuffle (filters[0]), then the shuffle into place
        var shuffle = filters[0];
        var inner = Decode(storage, filters, mask, input, length, expected, elementSize, what, first: 1);
        int typesize = shuffle.ClientData.Length > 0 && shuffle.ClientData[0] > 0 ? shuffle.ClientData[0] : elementSize;
        Codecs.Shuffle.ByteUnshuffle(typesize, inner.AsSpan(0, expected), destination);
        ArrayPool<byte>.Shared.Return(inner);
    }

    private static byte[] Pooled(byte[] data, out int size)
    {
        size = data.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        data.CopyTo(buffer, 0);
        return buffer;
    }

    private static (byte[] Buffer, int Size) Inflate(Hdf5Storage storage, byte[] input, int length, int expected, string what)
    {
        long limit = Math.Min((long)expected + Slack, length * MaxDeflateRatio + Slack);
        int capacity = (int)Math.Min(limit, Array.MaxLength - 1);
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(capacity + 1, 1));
        try
        {
            using var source = new MemoryStream(input, 0, length, writable: false);
            using var z = new ZLibStream(source, CompressionMode.Decompress);
            int total = 0;
            while (true)
            {
                int n = z.Read(output, total, output.Length - total);
                if (n == 0)
                {
                    break;
                }

                total += n;
                if (total > capacity)
                {
                    throw storage.Error($"{what}: deflate data expands beyond the {expected}-byte chunk; the chunk is damaged.");
                }
            }

            return (output, total);
        }
        catch (InvalidDataException e)
        {
            ArrayPool<byte>.Shared.Return(output);
            throw storage.Error($"{what}: deflate data is corrupt: {e.Message}", e);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
    }
}

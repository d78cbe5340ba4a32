using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using ZarrPartition.Engine.Errors;
using ShuffleKernels = ZarrPartition.Engine.Codecs.Shuffle;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The Blosc1 meta-codec (numcodecs <c>Blosc</c>, zarr v3 <c>blosc</c>) implemented in managed code.
/// Decoding reads every frame c-blosc 1.x writes: inner codecs blosclz, lz4, lz4hc, zlib and zstd,
/// byte or bit shuffle, split and unsplit blocks, raw streams and memcpyed frames. Encoding writes
/// lz4, zlib or zstd frames that c-blosc 1.x decodes.
/// </summary>
/// <remarks>
/// Frame layout (all integers little-endian): a 16-byte header (version 2, inner-format version 1,
/// flags, typesize, uncompressed size, block size, total frame size); then, unless the frame is
/// memcpyed (flag 0x02: the raw data follows the header), one i32 start offset per block; each block
/// is one stream, or <c>typesize</c> streams when it is split, each stream an i32 length followed by
/// that many bytes (stored raw when the length equals the stream's uncompressed size). A block is
/// split unless flag 0x10 is set, the typesize exceeds 16, the block has fewer than 128 elements,
/// or it is the short last block. Flags 0x01 and 0x04 select the byte and bit unshuffle applied after
/// a block is decompressed; bits 5-7 name the inner codec. Instances are immutable and thread-safe;
/// one call never uses more than one thread.
/// </remarks>
public sealed class BloscCodec : IBytesCodec, ISpanEncoder
{
    /// <summary>Size of the Blosc1 header, which is also the maximum overhead of a frame.</summary>
    public const int HeaderSize = 16;

    private const string CodecName = "blosc";
    private const byte FormatVersion = 2;
    private const byte InnerFormatVersion = 1;
    private const int FlagShuffle = 0x01;
    private const int FlagMemcpyed = 0x02;
    private const int FlagBitShuffle = 0x04;
    private const int FlagReserved = 0x08;
    private const int FlagDontSplit = 0x10;
    private const int MinBufferSize = 128;
    private const int MaxSplits = 16;
    private const int MaxTypesize = 255;
    private const int MaxBlocksize = (int.MaxValue - (MaxTypesize * sizeof(int))) / 3;

    private const int CodeBloscLz = 0;
    private const int CodeLz4 = 1;
    private const int CodeSnappy = 2;
    private const int CodeZlib = 3;
    private const int CodeZstd = 4;

    private static readonly string[] KnownNames = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];

    public BloscCodec(string cname, int clevel, BloscShuffle shuffle, int typesize, int blocksize = 0)
    {
        ArgumentNullException.ThrowIfNull(cname);
        if (Array.IndexOf(KnownNames, cname) < 0)
        {
            throw new ArgumentException($"Unknown Blosc cname '{cname}'; expected one of {string.Join(", ", KnownNames)}.", nameof(cname));
        }

        if (clevel < 0 || clevel > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(clevel), clevel, "Blosc clevel runs from 0 to 9.");
        }

        if (shuffle is not (BloscShuffle.NoShuffle or BloscShuffle.Shuffle or BloscShuffle.BitShuffle))
        {
            throw new ArgumentOutOfRangeException(nameof(shuffle), shuffle, "Unknown Blosc shuffle mode.");
        }

        if (typesize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(typesize), typesize, "Blosc typesize must be at least 1.");
        }

        if (blocksize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blocksize), blocksize, "Blosc blocksize must be 0 (automatic) or positive.");
        }

        Cname = cname;
        CLevel = clevel;
        Shuffle = shuffle;
        TypeSize = typesize;
        BlockSize = blocksize;
    }

    public string Name => CodecName;

    /// <summary>Inner codec: blosclz, lz4, lz4hc, snappy, zlib or zstd (only lz4, zlib and zstd can be written).</summary>
    public string Cname { get; }

    /// <summary>Compression level 0-9; 0 writes memcpyed (uncompressed) frames.</summary>
    public int CLevel { get; }

    public BloscShuffle Shuffle { get; }

    /// <summary>Element size in bytes used by the shuffle filters (values above 255 act as 1, as in c-blosc).</summary>
    public int TypeSize { get; }

    /// <summary>Requested block size in bytes; 0 chooses one from the level, codec and typesize.</summary>
    public int BlockSize { get; }

    // ------------------------------------------------------------------ decoding

    public byte[] Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
        {
            throw Corrupt($"the frame holds {data.Length} bytes, fewer than the {HeaderSize}-byte Blosc header (truncated?)");
        }

        int version = data[0];
        int innerVersion = data[1];
        int flags = data[2];
        int typesize = data[3];
        int nbytes = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        int blocksize = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        int cbytes = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);

        if (version != FormatVersion)
        {
            throw new CodecException(CodecName, "UnsupportedBloscVersion", ErrorKind.NotSupported,
                $"Blosc format version {version} is not supported; only version {FormatVersion} frames (written by c-blosc 1.x) can be read. Is this a Blosc frame?");
        }

        if (nbytes < 0)
        {
            throw Corrupt($"the header gives a negative uncompressed size ({nbytes})");
        }

        if (cbytes < HeaderSize || cbytes > data.Length)
        {
            throw Corrupt($"the header says the frame is {cbytes} bytes long but {data.Length} bytes are present (truncated?)");
        }

        if (nbytes == 0)
        {
            return [];
        }

        if ((flags & FlagReserved) != 0)
        {
            throw Corrupt("the reserved flag 0x08 is set");
        }

        if (typesize == 0)
        {
            throw Corrupt("the header gives a typesize of 0");
        }

        if (blocksize <= 0 || blocksize > nbytes || blocksize > MaxBlocksize)
        {
            throw Corrupt($"the block size {blocksize} is not within 1..{Math.Min(nbytes, MaxBlocksize)}");
        }

        if ((flags & FlagMemcpyed) != 0)
        {
            if ((long)nbytes + HeaderSize != cbytes)
            {
                throw Corrupt($"a memcpyed frame of {nbytes} bytes must be {(long)nbytes + HeaderSize} bytes long, not {cbytes}");
            }

            return data.Slice(HeaderSize, nbytes).ToArray();
        }

        int compressor = flags >> 5;
        if (compressor == CodeSnappy)
        {
            throw new CodecException(CodecName, "UnsupportedBloscCompressor", ErrorKind.NotSupported,
                "snappy is not supported: this frame's blocks are snappy-compressed. Re-encode the data with blosc lz4, zlib or zstd.");
        }

        if (compressor is not (CodeBloscLz or CodeLz4 or CodeZlib or CodeZstd))
        {
            throw Corrupt($"unknown inner compressor code {compressor}");
        }

        if (innerVersion != InnerFormatVersion)
        {
            throw new CodecException(CodecName, "UnsupportedBloscVersion", ErrorKind.NotSupported,
                $"inner format version {innerVersion} of {CompressorName(compressor)} is not supported (expected {InnerFormatVersion}).");
        }

        int leftover = nbytes % blocksize;
        int nblocks = (nbytes / blocksize) + (leftover > 0 ? 1 : 0);
        long tableEnd = HeaderSize + (4L * nblocks);
        if (tableEnd > cbytes)
        {
            throw Corrupt($"{nblocks} blocks need a {4L * nblocks}-byte offset table but the frame is only {cbytes} bytes long");
        }

        ReadOnlySpan<byte> frame = data[..cbytes];
        for (int j = 0; j < nblocks; j++)
        {
            int start = BinaryPrimitives.ReadInt32LittleEndian(frame[(HeaderSize + (4 * j))..]);
            if (start < tableEnd || start > cbytes - 4)
            {
                throw Corrupt($"block {j} starts at offset {start}, outside the frame's data ({tableEnd}..{cbytes - 4})");
            }
        }

        bool byteShuffled = (flags & FlagShuffle) != 0 && typesize > 1;
        bool bitShuffled = !byteShuffled && (flags & FlagBitShuffle) != 0;
        bool dontSplit = (flags & FlagDontSplit) != 0;
        byte[] result = GC.AllocateUninitializedArray<byte>(nbytes);
        byte[]? scratch = byteShuffled || bitShuffled ? ArrayPool<byte>.Shared.Rent(blocksize) : null;
        try
        {
            for (int j = 0; j < nblocks; j++)
            {
                bool isLeftover = j == nblocks - 1 && leftover > 0;
                int bsize = isLeftover ? leftover : blocksize;
                Span<byte> dest = result.AsSpan(j * blocksize, bsize);
                bool bitHere = bitShuffled && bsize >= typesize;
                Span<byte> target = byteShuffled || bitHere ? scratch.AsSpan(0, bsize) : dest;
                int start = BinaryPrimitives.ReadInt32LittleEndian(frame[(HeaderSize + (4 * j))..]);
                DecodeBlock(frame, start, target, typesize, dontSplit, isLeftover, compressor, j);
                if (byteShuffled)
                {
                    ShuffleKernels.ByteUnshuffle(typesize, target, dest);
                }
                else if (bitHere)
                {
                    ShuffleKernels.BitUnshuffle(typesize, target, dest);
                }
            }
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        return result;
    }

    private static void DecodeBlock(ReadOnlySpan<byte> frame, int offset, Span<byte> target, int typesize, bool dontSplit, bool isLeftover, int compressor, int block)
    {
        int bsize = target.Length;
        int nsplits = !dontSplit && typesize <= MaxSplits && bsize / typesize >= MinBufferSize && !isLeftover ? typesize : 1;
        if (bsize % nsplits != 0)
        {
            throw Corrupt($"block {block} of {bsize} bytes cannot be split into {nsplits} equal streams");
        }

        int neblock = bsize / nsplits;
        for (int k = 0; k < nsplits; k++)
        {
            if (offset > frame.Length - 4)
            {
                throw Corrupt($"block {block}, stream {k}: the stream header lies beyond the end of the frame (truncated?)");
            }

            int csize = BinaryPrimitives.ReadInt32LittleEndian(frame[offset..]);
            offset += 4;
            if (csize < 0 || csize > frame.Length - offset)
            {
                throw Corrupt($"block {block}, stream {k}: a {csize}-byte stream at offset {offset} runs past the end of the {frame.Length}-byte frame (truncated?)");
            }

            ReadOnlySpan<byte> stream = frame.Slice(offset, csize);
            Span<byte> piece = target.Slice(k * neblock, neblock);
            if (csize == neblock)
            {
                stream.CopyTo(piece);
            }
            else
            {
                int produced;
                try
                {
                    produced = compressor switch
                    {
                        CodeBloscLz => BloscLz.Decompress(stream, piece),
                        CodeLz4 => Lz4Block.Decompress(stream, piece),
                        CodeZlib => InflateZlib(stream, piece),
                        _ => ZstdNative.Decompress(stream, piece),
                    };
                }
                catch (CodecException e) when (e.Kind != ErrorKind.ResourceUnavailable)
                {
                    throw new CodecException(CodecName, "CorruptBloscFrame", ErrorKind.InvalidData,
                        $"block {block}, stream {k} ({CompressorName(compressor)}): {e.Message}", e);
                }

                if (produced != neblock)
                {
                    throw Corrupt($"block {block}, stream {k} ({CompressorName(compressor)}) decodes to {produced} bytes instead of {neblock}");
                }
            }

            offset += csize;
        }
    }

    private static unsafe int InflateZlib(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (src.IsEmpty)
        {
            throw new CodecException("zlib", "the stream is empty");
        }

        try
        {
            fixed (byte* p = src)
            {
                using var input = new UnmanagedMemoryStream(p, src.Length);
                using var inflater = new ZLibStream(input, CompressionMode.Decompress);
                int total = 0;
                while (total < dst.Length)
                {
                    int got = inflater.Read(dst[total..]);
                    if (got == 0)
                    {
                        return total;
                    }

                    total += got;
                }

                // Drive the inflater to the end of the stream so the Adler-32 trailer is checked,
                // and make sure nothing is left over.
                Span<byte> probe = stackalloc byte[1];
                if (inflater.Read(probe) != 0)
                {
                    throw new CodecException("zlib", $"the stream holds more than the expected {dst.Length} bytes");
                }

                return total;
            }
        }
        catch (InvalidDataException e)
        {
            throw new CodecException("zlib", $"corrupt zlib stream: {e.Message}", e);
        }
    }

    // ------------------------------------------------------------------ encoding

    public byte[] Encode(ReadOnlySpan<byte> data)
    {
        CheckEncodable(data.Length);
        byte[] output = ArrayPool<byte>.Shared.Rent(MaxEncodedLength(data.Length));
        try
        {
            int written = Encode(data, output);
            return output.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    public int MaxEncodedLength(int inputLength) => inputLength + HeaderSize;

    private void CheckEncodable(int length)
    {
        if (length > int.MaxValue - HeaderSize)
        {
            throw new CodecException(CodecName, "InputTooLarge", ErrorKind.InvalidArgument,
                $"{length} bytes exceed the largest Blosc1 buffer ({int.MaxValue - HeaderSize} bytes).");
        }
    }

    public int Encode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int code = Cname switch
        {
            "lz4" => CodeLz4,
            "zlib" => CodeZlib,
            "zstd" => CodeZstd,
            _ => throw new CodecException(CodecName, "UnsupportedBloscCompressor", ErrorKind.NotSupported,
                $"cannot write Blosc frames with cname '{Cname}': the engine writes lz4, zlib and zstd (and reads blosclz, lz4, lz4hc, zlib and zstd). Choose blosc with cname lz4, zlib or zstd."),
        };

        CheckEncodable(data.Length);
        int nbytes = data.Length;
        int capacity = nbytes + HeaderSize;
        if (destination.Length < capacity)
        {
            throw new ArgumentException($"destination must hold at least {capacity} bytes", nameof(destination));
        }

        int typesize = TypeSize > MaxTypesize ? 1 : TypeSize;
        int blocksize = ChooseBlocksize(code, CLevel, typesize, nbytes, BlockSize);
        bool split = code != CodeZstd && typesize <= MaxSplits && blocksize / typesize >= MinBufferSize;
        int shuffleFlag = Shuffle switch
        {
            BloscShuffle.Shuffle => FlagShuffle,
            BloscShuffle.BitShuffle => FlagBitShuffle,
            _ => 0,
        };
        int flags = (code << 5) | (split ? 0 : FlagDontSplit) | shuffleFlag;

        if (CLevel == 0 || nbytes < MinBufferSize)
        {
            return Memcpyed(data, destination, flags, typesize, blocksize);
        }

        // two blocks' worth for LZ4, which compresses blocks in pairs
        byte[]? scratch = Shuffle != BloscShuffle.NoShuffle ? WriteBuffers.Pool.Rent(code == CodeLz4 ? 2 * blocksize : blocksize) : null;
        try
        {
            int written = CompressBlocks(data, destination[..capacity], scratch, code, typesize, blocksize, split);
            if (written < 0)
            {
                return Memcpyed(data, destination, flags, typesize, blocksize);
            }

            WriteHeader(destination, flags, typesize, nbytes, blocksize, written);
            return written;
        }
        finally
        {
            if (scratch is not null)
            {
                WriteBuffers.Pool.Return(scratch);
            }
        }
    }

    /// <summary>Writes the offset table and every block after the header; returns the frame length or -1 when it would not beat a plain copy.</summary>
    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int CompressBlocks(ReadOnlySpan<byte> data, Span<byte> output, Span<byte> scratch, int code, int typesize, int blocksize, bool split)
    {
        int nbytes = data.Length;
        int leftover = nbytes % blocksize;
        int fullBlocks = nbytes / blocksize;
        int nblocks = fullBlocks + (leftover > 0 ? 1 : 0);
        long tableEnd = HeaderSize + (4L * nblocks);
        if (tableEnd >= output.Length)
        {
            return -1;
        }

        var levels = new StreamLevels(code, CLevel);
        Span<bool> storedRaw = stackalloc bool[MaxSplits];
        int pos = (int)tableEnd;
        int j = 0;
        while (j < nblocks)
        {
            BinaryPrimitives.WriteInt32LittleEndian(output[(HeaderSize + (4 * j))..], pos);
            bool isLeftover = j == nblocks - 1 && leftover > 0;
            int bsize = isLeftover ? leftover : blocksize;
            int nsplits = split && !isLeftover ? typesize : 1;

            // LZ4 compresses two whole blocks at once, stream k of one beside stream k of the
            // next (see Lz4Block.CompressPair); the second block's streams wait in a reserved
            // area past the first block's worst case, then move down behind it.
            long worstBlock = blocksize + (4L * nsplits);
            if (code == CodeLz4 && j + 1 < fullBlocks && pos + (2 * worstBlock) <= output.Length)
            {
                ReadOnlySpan<byte> first = ShuffleBlock(data.Slice(j * blocksize, blocksize), scratch, typesize);
                ReadOnlySpan<byte> second = ShuffleBlock(data.Slice((j + 1) * blocksize, blocksize), scratch.IsEmpty ? default : scratch[blocksize..], typesize);
                pos = CompressLz4Pair(first, second, output, pos, (int)(pos + worstBlock), nsplits, levels.Lz4Acceleration, storedRaw, (j / 2) % RecheckPairs == 0, out int secondStart);
                BinaryPrimitives.WriteInt32LittleEndian(output[(HeaderSize + (4 * (j + 1)))..], secondStart);
                j += 2;
                continue;
            }

            ReadOnlySpan<byte> block = ShuffleBlock(data.Slice(j * blocksize, bsize), scratch, typesize);
            int neblock = bsize / nsplits;
            for (int k = 0; k < nsplits; k++)
            {
                ReadOnlySpan<byte> piece = block.Slice(k * neblock, neblock);
                int room = Math.Min(neblock, output.Length - pos - 4);
                if (room <= 0)
                {
                    return -1;
                }

                Span<byte> target = output.Slice(pos + 4, room);
                int csize = code switch
                {
                    CodeLz4 => Lz4Block.Compress(piece, target, levels.Lz4Acceleration),
                    CodeZlib => DeflateZlib(piece, target, levels.Zlib),
                    _ => ZstdNative.TryCompress(piece, target, levels.Zstd),
                };

                if (csize <= 0 || csize >= neblock)
                {
                    // Store the stream raw; its length equal to neblock tells decoders so.
                    if (neblock > output.Length - pos - 4)
                    {
                        return -1;
                    }

                    piece.CopyTo(output[(pos + 4)..]);
                    csize = neblock;
                }

                BinaryPrimitives.WriteInt32LittleEndian(output[pos..], csize);
                pos += 4 + csize;
            }

            j++;
        }

        return pos;
    }

    /// <summary>The block as the streams are cut from it: shuffled into the start of <paramref name="scratch"/>, or itself.</summary>
    private ReadOnlySpan<byte> ShuffleBlock(ReadOnlySpan<byte> block, Span<byte> scratch, int typesize)
    {
        if (Shuffle == BloscShuffle.Shuffle && typesize > 1)
        {
            ShuffleKernels.ByteShuffle(typesize, block, scratch[..block.Length]);
            return scratch[..block.Length];
        }

        if (Shuffle == BloscShuffle.BitShuffle && block.Length >= typesize)
        {
            ShuffleKernels.BitShuffle(typesize, block, scratch[..block.Length]);
            return scratch[..block.Length];
        }

        return block;
    }

    /// <summary>
    /// Writes two equal blocks' streams at <paramref name="pos"/>, the first block's then the
    /// second's, exactly as two single-block passes would; returns the position after them.
    /// The second block's compressed streams go first to fixed slots from <paramref name="reserve"/>
    /// on, one per stream and each as large as a stored stream, so every move down is to a lower
    /// or equal address and never over a slot not yet moved; a stream stored raw is copied from
    /// its source instead.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int CompressLz4Pair(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> output, int pos, int reserve, int nsplits, int acceleration, Span<bool> storedRaw, bool recheck, out int secondStart)
    {
        int neblock = first.Length / nsplits;
        int slot = neblock + 4;
        Span<int> secondSizes = stackalloc int[nsplits];
        for (int k = 0; k < nsplits; k++)
        {
            ReadOnlySpan<byte> pieceA = first.Slice(k * neblock, neblock);
            ReadOnlySpan<byte> pieceB = second.Slice(k * neblock, neblock);
            bool wide = storedRaw[k] && !recheck;
            (int sizeA, int sizeB) = Lz4Block.CompressPair(
                pieceA, output.Slice(pos + 4, neblock), pieceB, output.Slice(reserve + (k * slot), neblock), wide ? Math.Max(acceleration, IncompressibleAcceleration) : acceleration);
            bool rawA = sizeA <= 0 || sizeA >= neblock;
            bool rawB = sizeB <= 0 || sizeB >= neblock;
            storedRaw[k] = rawA && rawB;
            if (rawA)
            {
                pieceA.CopyTo(output[(pos + 4)..]);
                sizeA = neblock;
            }

            BinaryPrimitives.WriteInt32LittleEndian(output[pos..], sizeA);
            pos += 4 + sizeA;
            secondSizes[k] = rawB ? -1 : sizeB; // -1: stored raw, copied from the source below
        }

        secondStart = pos;
        for (int k = 0; k < nsplits; k++)
        {
            int size = secondSizes[k];
            if (size < 0)
            {
                second.Slice(k * neblock, neblock).CopyTo(output[(pos + 4)..]);
                size = neblock;
            }
            else
            {
                output.Slice(reserve + (k * slot), size).CopyTo(output[(pos + 4)..]);
            }

            BinaryPrimitives.WriteInt32LittleEndian(output[pos..], size);
            pos += 4 + size;
        }

        return pos;
    }

    /// <summary>
    /// LZ4 acceleration for a stream whose counterpart in the previous block pair (the same byte
    /// plane, for shuffled data) did not compress at all. Such streams are nearly always noise (the
    /// low mantissa bytes of floating-point data), where the level's stride probes every few bytes
    /// and finds nothing. The wide stride still finds runs and repeats a few hundred bytes long
    /// (fill values, masked regions), and once a match is found LZ4 follows it as usual. A plane
    /// that compresses goes back to the level's acceleration with the next pair. The first pair of
    /// every frame, and every <see cref="RecheckPairs"/>th pair after it, tries all planes at the
    /// level's acceleration, so a plane that is only slightly compressible stays at the wide stride
    /// for at most <c>RecheckPairs - 1</c> pairs.
    /// </summary>
    private const int IncompressibleAcceleration = 256;

    /// <summary>How often (in block pairs) every stream is tried at the level's acceleration.</summary>
    private const int RecheckPairs = 8;

    /// <summary>The inner codecs' settings for a Blosc level.</summary>
    private readonly struct StreamLevels
    {
        public readonly int Lz4Acceleration;
        public readonly int Zstd;
        public readonly CompressionLevel Zlib;

        public StreamLevels(int code, int clevel)
        {
            Lz4Acceleration = 10 - clevel;
            Zstd = code != CodeZstd ? 0 : clevel switch
            {
                9 => ZstdNative.MaxLevel,
                8 => ZstdNative.MaxLevel - 2,
                _ => (clevel * 2) - 1,
            };
            Zlib = clevel switch
            {
                <= 5 => CompressionLevel.Fastest,
                <= 8 => CompressionLevel.Optimal,
                _ => CompressionLevel.SmallestSize,
            };
        }
    }

    private static int Memcpyed(ReadOnlySpan<byte> data, Span<byte> frame, int flags, int typesize, int blocksize)
    {
        int length = HeaderSize + data.Length;
        WriteHeader(frame, flags | FlagMemcpyed, typesize, data.Length, blocksize, length);
        data.CopyTo(frame[HeaderSize..]);
        return length;
    }

    private static void WriteHeader(Span<byte> frame, int flags, int typesize, int nbytes, int blocksize, int cbytes)
    {
        frame[0] = FormatVersion;
        frame[1] = InnerFormatVersion;
        frame[2] = (byte)flags;
        frame[3] = (byte)typesize;
        BinaryPrimitives.WriteInt32LittleEndian(frame[4..], nbytes);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], blocksize);
        BinaryPrimitives.WriteInt32LittleEndian(frame[12..], cbytes);
    }

    /// <summary>
    /// Block size heuristic in the spirit of c-blosc 1.x: 32 KiB (64 KiB for the ratio-oriented
    /// zlib/zstd) scaled up with the level; for split codecs one split stream may hold up to 256 KiB
    /// and a block 64 KiB..1 MiB. Never larger than the buffer, always a multiple of the typesize.
    /// </summary>
    internal static int ChooseBlocksize(int code, int clevel, int typesize, int nbytes, int requested)
    {
        if (nbytes < typesize)
        {
            return 1;
        }

        int blocksize;
        if (requested > 0)
        {
            blocksize = Math.Clamp(requested, MinBufferSize, MaxBlocksize);
        }
        else if (nbytes < 32 * 1024)
        {
            blocksize = nbytes;
        }
        else
        {
            bool ratioCodec = code is CodeZlib or CodeZstd;
            blocksize = ratioCodec ? 64 * 1024 : 32 * 1024;
            blocksize = clevel switch
            {
                0 => blocksize / 4,
                1 => blocksize / 2,
                2 => blocksize,
                3 => blocksize * 2,
                4 or 5 => blocksize * 4,
                6 or 7 or 8 => blocksize * 8,
                _ => blocksize * (ratioCodec ? 16 : 8),
            };

            bool splits = code != CodeZstd && typesize <= MaxSplits && blocksize / typesize >= MinBufferSize;
            if (clevel > 0 && splits)
            {
                blocksize = Math.Clamp(Math.Min(blocksize, 256 * 1024) * typesize, 64 * 1024, 1024 * 1024);
            }
        }

        blocksize = Math.Min(blocksize, nbytes);
        if (blocksize > typesize)
        {
            blocksize -= blocksize % typesize;
        }

        return Math.Max(blocksize, 1);
    }

    private static unsafe int DeflateZlib(ReadOnlySpan<byte> src, Span<byte> dst, CompressionLevel level)
    {
        fixed (byte* d = dst)
        {
            var sink = new BoundedSink(d, dst.Length);
            using (var deflater = new ZLibStream(sink, level, leaveOpen: true))
            {
                deflater.Write(src);
            }

            return sink.Overflowed ? 0 : sink.Count;
        }
    }

    private static string CompressorName(int code) => code switch
    {
        CodeBloscLz => "blosclz",
        CodeLz4 => "lz4",
        CodeSnappy => "snappy",
        CodeZlib => "zlib",
        CodeZstd => "zstd",
        _ => $"compressor {code}",
    };

    private static CodecException Corrupt(string what) =>
        new(CodecName, "CorruptBloscFrame", ErrorKind.InvalidData, $"corrupt Blosc frame: {what}.");

    /// <summary>A write-only stream over a fixed memory range that records, instead of throwing, when it overflows.</summary>
    private sealed unsafe class BoundedSink : Stream
    {
        private readonly byte* _start;
        private readonly int _capacity;

        public BoundedSink(byte* start, int capacity)
        {
            _start = start;
            _capacity = capacity;
        }

        public int Count { get; private set; }

        public bool Overflowed { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Overflowed || buffer.Length > _capacity - Count)
            {
                Overflowed = true;
                return;
            }

            buffer.CopyTo(new Span<byte>(_start + Count, _capacity - Count));
            Count += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// A data object header (format level 2A), version 1 or 2, with all its continuation blocks
/// followed. The messages are kept as raw bodies; the group, dataset and attribute code decodes
/// the ones it needs. Version 2 chunks are verified against their lookup3 checksums.
/// </summary>
internal sealed class ObjectHeader
{
    private const int MaxChunks = 4096;
    private const int SpeculativeRead = 512;

    private static ReadOnlySpan<byte> Ohdr => "OHDR"u8;

    private static ReadOnlySpan<byte> Ochk => "OCHK"u8;

    private ObjectHeader(long address, int version, byte flags, List<HeaderMessage> messages)
    {
        Address = address;
        Version = version;
        Flags = flags;
        Messages = messages;
    }

    public long Address { get; }

    public int Version { get; }

    /// <summary>Version-2 header flags (0 for version 1).</summary>
    public byte Flags { get; }

    public IReadOnlyList<HeaderMessage> Messages { get; }

    /// <summary>Attribute creation order is tracked (version-2 flag bit 2).</summary>
    public bool AttributeOrderTracked => (Flags & 0x04) != 0;

    public HeaderMessage? Find(int type)
    {
        foreach (var m in Messages)
        {
            if (m.Type == type)
            {
                return m;
            }
        }

        return null;
    }

    public bool Has(int type) => Find(type) is not null;

    public static ObjectHeader Read(Hdf5Storage storage, long address)
    {
        string what = $"object header at {Hdf5Storage.Hex(address)}";
        var first = storage.ReadUpTo(address, SpeculativeRead, what);
        if (first.Length >= 4 && first.AsSpan(0, 4).SequenceEqual(Ohdr))
        {
            return ReadVersion2(storage, address, first, what);
        }

        if (first.Length >= 1 && first[0] == 1)
        {
            return ReadVersion1(storage, address, first, what);
        }

        throw storage.Error($"{what}: not an object header (neither version 1 nor an 'OHDR' signature); the link or reference points to damaged data.");
    }

    private static ObjectHeader ReadVersion1(Hdf5Storage storage, long address, byte[] first, string what)
    {
        var r = new FieldReader(first, storage, what);
        r.Skip(2); // version, reserved
        r.U16(); // total number of messages (counted across all chunks; not needed)
        r.U32(); // reference count
        long size = r.U32();
        const int prefix = 16;
        var messages = new List<HeaderMessage>();
        var chunks = new Queue<(long Address, long Length)>();
        var seen = new HashSet<long>();
        byte[] chunk0 = prefix + size <= first.Length ? first.AsSpan(prefix, (int)size).ToArray() : storage.Read(address + prefix, size, what);
        seen.Add(address);
        ParseVersion1Chunk(storage, chunk0, what, messages, chunks);
        FollowContinuations(storage, what, messages, chunks, seen, version: 1, hdrFlags: 0);
        return new ObjectHeader(address, 1, 0, messages);
    }

    private static void ParseVersion1Chunk(Hdf5Storage storage, byte[] chunk, string what, List<HeaderMessage> messages, Queue<(long, long)> continuations)
    {
        var r = new FieldReader(chunk, storage, what);
        while (r.Remaining >= 8)
        {
            int type = r.U16();
            int size = r.U16();
            byte flags = r.U8();
            r.Skip(3);
            if (size > r.Remaining)
            {
                throw r.Error($"message of type 0x{type:X} claims {size} bytes but only {r.Remaining} remain in its chunk.");
            }

            var body = new ReadOnlyMemory<byte>(chunk, r.Position, size);
            r.Skip(size);
            Add(storage, what, messages, continuations, type, flags, -1, body);
        }
    }

    private static ObjectHeader ReadVersion2(Hdf5Storage storage, long address, byte[] first, string what)
    {
        var r = new FieldReader(first, storage, what);
        r.Skip(4);
        int version = r.U8();
        if (version != 2)
        {
            throw r.Error($"object header version {version} is not supported (expected 2).");
        }

        byte flags = r.U8();
        if ((flags & 0x20) != 0)
        {
            r.Skip(16); // access, modification, change and birth times
        }

        if ((flags & 0x10) != 0)
        {
            r.Skip(4); // attribute storage phase change values
        }

        long size = r.Count(1 << (flags & 0x03), "chunk size");
        int prefix = r.Position;
        long total = prefix + size + 4;
        storage.CheckRange(address, total, what);
        byte[] block = total <= first.Length ? first : storage.Read(address, total, what);
        if (!storage.ChecksumOk(block.AsSpan(0, (int)total)))
        {
            throw storage.Error($"{what}: the checksum does not match; the header is damaged.");
        }

        var messages = new List<HeaderMessage>();
        var chunks = new Queue<(long Address, long Length)>();
        var seen = new HashSet<long> { address };
        ParseVersion2Messages(storage, new ReadOnlyMemory<byte>(block, prefix, (int)size), what, flags, messages, chunks);
        FollowContinuations(storage, what, messages, chunks, seen, version: 2, hdrFlags: flags);
        return new ObjectHeader(address, 2, flags, messages);
    }

    private static void ParseVersion2Messages(Hdf5Storage storage, ReadOnlyMemory<byte> chunk, string what, byte hdrFlags, List<HeaderMessage> messages, Queue<(long, long)> continuations)
    {
        var r = new FieldReader(chunk.Span, storage, what);
        bool ordered = (hdrFlags & 0x04) != 0;
        int headerSize = ordered ? 6 : 4;
        while (r.Remaining >= headerSize)
        {
            int type = r.U8();
            int size = r.U16();
            byte flags = r.U8();
            int order = ordered ? r.U16() : -1;
            if (size > r.Remaining)
            {
                throw r.Error($"message of type 0x{type:X} claims {size} bytes but only {r.Remaining} remain in its chunk.");
            }

            var body = chunk.Slice(r.Position, size);
            r.Skip(size);
            Add(storage, what, messages, continuations, type, flags, order, body);
        }
    }

    private static void Add(Hdf5Storage storage, string what, List<HeaderMessage> messages, Queue<(long, long)> continuations, int type, byte flags, int order, ReadOnlyMemory<byte> body)
    {
        if (type == MessageType.Continuation)
        {
            var r = new FieldReader(body.Span, storage, what + ", continuation message");
            long at = r.Offset();
            long length = r.LengthField("continuation length");
            continuations.Enqueue((at, length));
            return;
        }

        if (type != MessageType.Nil)
        {
            messages.Add(new HeaderMessage(type, flags, order, body));
        }
    }

    private static void FollowContinuations(Hdf5Storage storage, string what, List<HeaderMessage> messages, Queue<(long Address, long Length)> chunks, HashSet<long> seen, int version, byte hdrFlags)
    {
        while (chunks.Count > 0)
        {
            var (at, length) = chunks.Dequeue();
            if (!seen.Add(at) || seen.Count > MaxChunks)
            {
                throw storage.Error($"{what}: continuation block at {Hdf5Storage.Hex(at)} is visited twice or there are too many; the header chain loops.");
            }

            string chunkWhat = $"{what}, continuation block at {Hdf5Storage.Hex(at)}";
            var block = storage.Read(at, length, chunkWhat);
            if (version == 1)
            {
                ParseVersion1Chunk(storage, block, chunkWhat, messages, chunks);
                continue;
            }

            if (block.Length < 8 || !block.AsSpan(0, 4).SequenceEqual(Ochk))
            {
                throw storage.Error($"{chunkWhat}: the 'OCHK' signature is missing.");
            }

            if (!storage.ChecksumOk(block))
            {
                throw storage.Error($"{chunkWhat}: the checksum does not match; the header is damaged.");
            }

            ParseVersion2Messages(storage, new ReadOnlyMemory<byte>(block, 4, block.Length - 8), chunkWhat, hdrFlags, messages, chunks);
        }
    }
}

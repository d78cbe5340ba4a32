using System.Collections.Concurrent;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The file's global heap collections (format III.E, "GCOL"), which hold variable-length data
/// (strings, sequences such as netCDF's DIMENSION_LIST). A collection is read whole the first time
/// one of its objects is needed and kept; safe for concurrent use.
/// </summary>
internal sealed class GlobalHeap
{
    private const int MaxCollections = 100_000;

    private readonly Hdf5Storage storage;
    private readonly ConcurrentDictionary<long, Lazy<Collection>> collections = new();

    public GlobalHeap(Hdf5Storage storage) => this.storage = storage;

    /// <summary>The bytes of object <paramref name="index"/> in the collection at <paramref name="address"/>.</summary>
    public ReadOnlyMemory<byte> Read(long address, uint index, string what)
    {
        if (index == 0)
        {
            throw storage.Error($"{what}: global heap object index 0 is not an object.");
        }

        if (collections.Count > MaxCollections)
        {
            collections.Clear();
        }

        var collection = collections.GetOrAdd(address, a => new Lazy<Collection>(() => Collection.Load(storage, a, what))).Value;
        if (!collection.Objects.TryGetValue(index, out var range))
        {
            throw storage.Error($"{what}: the global heap collection at {Hdf5Storage.Hex(address)} has no object {index}.");
        }

        return new ReadOnlyMemory<byte>(collection.Bytes, range.Offset, range.Length);
    }

    private sealed class Collection
    {
        private Collection(byte[] bytes, Dictionary<uint, (int, int)> objects)
        {
            Bytes = bytes;
            Objects = objects;
        }

        public byte[] Bytes { get; }

        public Dictionary<uint, (int Offset, int Length)> Objects { get; }

        public static Collection Load(Hdf5Storage storage, long address, string context)
        {
            string what = $"{context}, global heap collection at {Hdf5Storage.Hex(address)}";
            int l = storage.LengthSize;
            var head = storage.Read(address, 8 + l, what);
            var r = new FieldReader(head, storage, what);
            r.Expect("GCOL"u8, "GCOL");
            int version = r.U8();
            if (version != 1)
            {
                throw r.Error($"global heap version {version} is not supported.");
            }

            r.Skip(3);
            long size = r.LengthField("collection size");
            if (size < 8 + l)
            {
                throw r.Error($"collection size {size} is too small.");
            }

            var bytes = storage.Read(address, size, what);
            var objects = new Dictionary<uint, (int, int)>();
            var br = new FieldReader(bytes, storage, what);
            br.Skip(8 + l);
            while (br.Remaining >= 8 + l)
            {
                int index = br.U16();
                br.Skip(6); // reference count, reserved
                long length = br.LengthField("object size");
                if (index == 0)
                {
                    break; // free space runs to the end of the collection
                }

                int start = br.Position;
                int n = br.Bounded(length, br.Remaining, "object size");
                objects[(uint)index] = (start, n);
                long padded = (n + 7L) & ~7L;
                br.Skip((int)Math.Min(padded, br.Remaining));
            }

            return new Collection(bytes, objects);
        }
    }
}

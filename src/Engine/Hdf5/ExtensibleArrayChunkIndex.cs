using System.Numerics;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The extensible-array chunk index (layout 4, one unlimited dimension; "EAHD" header, "EAIB"
/// index block, "EASB" super blocks, "EADB" data blocks, optionally paged). Elements are numbered
/// over the maximum chunk grid with the unlimited dimension moved to the front. The first elements
/// live in the index block, then come data blocks whose sizes double every other super block.
/// </summary>
internal sealed class ExtensibleArrayChunkIndex : MappedChunkIndex
{
    private readonly bool filtered;
    private readonly int front;

    public ExtensibleArrayChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, bool filtered, int unlimitedDimension, string what)
        : base(storage, geometry, address, what)
    {
        this.filtered = filtered;
        front = unlimitedDimension;
    }

    public override string Name => "extensible-array";

    protected override void Load(Dictionary<long, ChunkLocation> map) => new Loader(this, map).Run();

    private sealed class Loader
    {
        private readonly ExtensibleArrayChunkIndex index;
        private readonly Dictionary<long, ChunkLocation> map;
        private readonly Hdf5Storage storage;
        private readonly string what;
        private readonly HashSet<long> seen = [];
        private readonly ReadBudget budget;
        private readonly (int[] Order, long[] Strides) numbering;
        private int elementSize;
        private ChunkEntry entry;
        private int offsetBytes;
        private long pageElements;
        private long maxIndexSet;

        public Loader(ExtensibleArrayChunkIndex index, Dictionary<long, ChunkLocation> map)
        {
            this.index = index;
            this.map = map;
            storage = index.Storage;
            what = $"{index.What}, extensible array at {Hdf5Storage.Hex(index.Address)}";
            numbering = index.Geometry.ArrayNumbering(index.front);
            budget = new ReadBudget(storage, what);
        }

        public void Run()
        {
            int o = storage.OffsetSize;
            int l = storage.LengthSize;
            var head = storage.Read(index.Address, 4 + 1 + 1 + 6 + 6 * l + o + 4, what);
            var r = new FieldReader(head, storage, what);
            r.Expect("EAHD"u8, "EAHD");
            int version = r.U8();
            int client = r.U8();
            elementSize = r.U8();
            int maxBits = r.U8();
            int indexElements = r.U8();
            int minDataElements = r.U8();
            int minPointers = r.U8();
            int pageBits = r.U8();
            for (int i = 0; i < 4; i++)
            {
                r.LengthField("array statistics");
            }

            maxIndexSet = r.LengthField("maximum index set");
            r.LengthField("realised elements");
            long indexBlock = r.Offset();
            if (!storage.ChecksumOk(head))
            {
                throw r.Error("the header checksum does not match; the index is damaged.");
            }

            if (version != 0 || client != (index.filtered ? 1 : 0)
                || !ChunkEntry.TryCreate(elementSize, index.filtered, storage, index.Geometry, out entry)
                || maxBits is 0 or > 64 || minDataElements == 0 || !BitOperations.IsPow2(minDataElements)
                || minPointers == 0 || !BitOperations.IsPow2(minPointers) || pageBits is 0 or > 32
                || BitOperations.Log2((uint)minDataElements) > maxBits)
            {
                throw r.Error("the array parameters are not valid for a chunk index.");
            }

            if (indexBlock == Hdf5Storage.Undefined || maxIndexSet == 0)
            {
                return;
            }

            offsetBytes = (maxBits + 7) / 8;
            pageElements = 1L << pageBits;

            // super block layout: ndblks = 2^(s/2) data blocks of minDataElements * 2^((s+1)/2) elements
            int superBlocks = 1 + maxBits - BitOperations.Log2((uint)minDataElements);
            var blocks = new long[superBlocks];
            var blockElements = new long[superBlocks];
            var startIndex = new long[superBlocks];
            var startBlock = new long[superBlocks];
            long si = 0, sb = 0;
            for (int s = 0; s < superBlocks; s++)
            {
                blocks[s] = 1L << Math.Min(s / 2, 62);
                blockElements[s] = (long)minDataElements << Math.Min((s + 1) / 2, 62 - 8);
                startIndex[s] = si;
                startBlock[s] = sb;
                si = Saturate(si, Saturate(blocks[s], blockElements[s], multiply: true), multiply: false);
                sb = Saturate(sb, blocks[s], multiply: false);
            }

            int directSuperBlocks = Math.Min(2 * BitOperations.Log2((uint)minPointers), superBlocks);
            int directBlocks = 2 * (minPointers - 1);
            int superAddresses = superBlocks - directSuperBlocks;

            string ibWhat = $"{what}, index block at {Hdf5Storage.Hex(indexBlock)}";
            long ibSize = 4 + 1 + 1 + o + (long)indexElements * elementSize + (long)directBlocks * o + (long)superAddresses * o + 4;
            var ib = storage.Read(indexBlock, ibSize, ibWhat);
            var ir = new FieldReader(ib, storage, ibWhat);
            CheckPrefix(ref ir, "EAIB"u8, "EAIB");
            if (!storage.ChecksumOk(ib))
            {
                throw ir.Error("the checksum does not match; the index is damaged.");
            }

            Elements(ib.AsSpan(ir.Position, indexElements * elementSize), 0, ibWhat);
            ir.Skip(indexElements * elementSize);
            var dataBlocks = new long[directBlocks];
            for (int i = 0; i < directBlocks; i++)
            {
                dataBlocks[i] = ir.Offset();
            }

            var superBlockAddresses = new long[superAddresses];
            for (int i = 0; i < superAddresses; i++)
            {
                superBlockAddresses[i] = ir.Offset();
            }

            for (int s = 0; s < directSuperBlocks; s++)
            {
                for (long b = 0; b < blocks[s]; b++)
                {
                    long first = indexElements + startIndex[s] + b * blockElements[s];
                    long slot = startBlock[s] + b;
                    if (first >= maxIndexSet || slot >= directBlocks)
                    {
                        break;
                    }

                    DataBlock(dataBlocks[slot], first, blockElements[s], null);
                }
            }

            for (int s = directSuperBlocks; s < superBlocks; s++)
            {
                long first = indexElements + startIndex[s];
                if (first >= maxIndexSet)
                {
                    break;
                }

                long at = superBlockAddresses[s - directSuperBlocks];
                if (at != Hdf5Storage.Undefined)
                {
                    SuperBlock(at, first, blocks[s], blockElements[s]);
                }
            }
        }

        private void SuperBlock(long at, long first, long count, long perBlock)
        {
            string sbWhat = $"{what}, super block at {Hdf5Storage.Hex(at)}";
            if (!seen.Add(at))
            {
                throw storage.Error($"{sbWhat}: the block is referenced twice.");
            }

            int o = storage.OffsetSize;
            bool paged = perBlock > pageElements;
            long pages = paged ? perBlock / pageElements : 0;
            long bitmapBytes = paged ? (pages + 7) / 8 : 0;
            if (count > storage.FileLength / o)
            {
                throw storage.Error($"{sbWhat}: {count} data blocks cannot fit in the file.");
            }

            long size = 4 + 1 + 1 + o + offsetBytes + count * bitmapBytes + count * o + 4;
            budget.Spend(size);
            var block = storage.Read(at, size, sbWhat);
            var r = new FieldReader(block, storage, sbWhat);
            CheckPrefix(ref r, "EASB"u8, "EASB");
            r.Skip(offsetBytes);
            if (!storage.ChecksumOk(block))
            {
                throw r.Error("the checksum does not match; the index is damaged.");
            }

            int bitmaps = r.Position;
            r.Skip((int)(count * bitmapBytes));
            for (long b = 0; b < count; b++)
            {
                long blockFirst = first + b * perBlock;
                long dataBlock = r.Offset();
                if (blockFirst >= maxIndexSet)
                {
                    break;
                }

                var bitmap = paged ? block.AsSpan(bitmaps + (int)(b * bitmapBytes), (int)bitmapBytes).ToArray() : null;
                DataBlock(dataBlock, blockFirst, perBlock, bitmap);
            }
        }

        private void DataBlock(long at, long first, long elements, byte[]? pageBitmap)
        {
            if (at == Hdf5Storage.Undefined)
            {
                return;
            }

            string dbWhat = $"{what}, data block at {Hdf5Storage.Hex(at)}";
            if (!seen.Add(at))
            {
                throw storage.Error($"{dbWhat}: the block is referenced twice.");
            }

            if (elements > storage.FileLength / elementSize)
            {
                throw storage.Error($"{dbWhat}: {elements} elements cannot fit in the file.");
            }

            int prefix = 4 + 1 + 1 + storage.OffsetSize + offsetBytes;
            bool paged = elements > pageElements;
            budget.Spend(prefix + elements * elementSize);
            if (!paged)
            {
                var block = storage.Read(at, prefix + elements * elementSize + 4, dbWhat);
                var r = new FieldReader(block, storage, dbWhat);
                CheckPrefix(ref r, "EADB"u8, "EADB");
                if (!storage.ChecksumOk(block))
                {
                    throw r.Error("the checksum does not match; the index is damaged.");
                }

                Elements(block.AsSpan(prefix, (int)(elements * elementSize)), first, dbWhat);
                return;
            }

            var head = storage.Read(at, prefix + 4, dbWhat);
            var hr = new FieldReader(head, storage, dbWhat);
            CheckPrefix(ref hr, "EADB"u8, "EADB");
            if (!storage.ChecksumOk(head))
            {
                throw hr.Error("the checksum does not match; the index is damaged.");
            }

            long pages = elements / pageElements;
            long pageBytes = pageElements * elementSize + 4;
            for (long p = 0; p < pages; p++)
            {
                long pageFirst = first + p * pageElements;
                if (pageFirst >= maxIndexSet)
                {
                    break;
                }

                if (pageBitmap is not null && (pageBitmap[(int)(p / 8)] & (0x80 >> (int)(p % 8))) == 0)
                {
                    continue;
                }

                string pageWhat = $"{dbWhat}, page {p}";
                var page = storage.Read(at + prefix + 4 + p * pageBytes, pageBytes, pageWhat);
                if (!storage.ChecksumOk(page))
                {
                    throw storage.Error($"{pageWhat}: the checksum does not match; the index is damaged.");
                }

                Elements(page.AsSpan(0, (int)(pageElements * elementSize)), pageFirst, pageWhat);
            }
        }

        private void CheckPrefix(ref FieldReader r, ReadOnlySpan<byte> signature, string name)
        {
            r.Expect(signature, name);
            int version = r.U8();
            int client = r.U8();
            long owner = r.Offset();
            if (version != 0 || client != (index.filtered ? 1 : 0) || owner != index.Address)
            {
                throw r.Error($"version {version}, client {client} or owner {Hdf5Storage.Hex(owner)} does not match the index header.");
            }
        }

        private void Elements(ReadOnlySpan<byte> bytes, long first, string blockWhat) =>
            index.AddElements(map, bytes, entry, first, maxIndexSet, numbering, blockWhat);

        private static long Saturate(long a, long b, bool multiply)
        {
            if (multiply)
            {
                return a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;
            }

            return a > long.MaxValue - b ? long.MaxValue : a + b;
        }
    }
}

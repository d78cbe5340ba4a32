namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The implicit index (layout 4, early allocation without filters): every chunk of the maximum
/// grid is allocated, in row-major order, starting at the index address.
/// </summary>
internal sealed class ImplicitChunkIndex : ChunkIndex
{
    private readonly long address;
    private readonly int[] order;
    private readonly long[] strides;

    public ImplicitChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, string what)
        : base(storage, geometry, what)
    {
        this.address = address;
        (order, strides) = geometry.ArrayNumbering(0);
    }

    public override string Name => "implicit";

    public override bool TryFind(ReadOnlySpan<long> scaled, out ChunkLocation location)
    {
        location = default;
        if (address == Hdf5Storage.Undefined || Geometry.CurrentLinear(scaled) < 0)
        {
            return false;
        }

        long index = ChunkGeometry.ToArrayIndex(scaled, order, strides);
        long bytes = Geometry.ChunkBytes;
        if (index > 0 && bytes > (long.MaxValue - address) / index)
        {
            throw Storage.Error($"{What}: chunk {index} of the implicit index lies beyond any file.");
        }

        location = new ChunkLocation(address + index * bytes, bytes, 0);
        return true;
    }
}

namespace ZarrPartition.Engine.Planning;

/// <summary>A source file placed on the store's time axis: its steps are the store's [StoreStart, StoreStart+Length).</summary>
public sealed record MappedSource(string Path, long StoreStart, long Length)
{
    public long StoreStop => StoreStart + Length;
}

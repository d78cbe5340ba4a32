namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Caps how many bytes one walk over a file structure (a B-tree, an array index, the strings of one
/// value) may read or produce. A valid file never needs more than a few times its own size; damaged
/// pointers that make nodes overlap or share objects would otherwise multiply reads and memory.
/// Used by one thread at a time.
/// </summary>
internal sealed class ReadBudget
{
    private const long Slack = 16L << 20;
    private readonly Hdf5Storage storage;
    private readonly string what;
    private long remaining;

    public ReadBudget(Hdf5Storage storage, string what, long multiple = 4)
    {
        this.storage = storage;
        this.what = what;
        remaining = storage.FileLength > (long.MaxValue - Slack) / multiple ? long.MaxValue : storage.FileLength * multiple + Slack;
    }

    /// <summary>Accounts for <paramref name="bytes"/>; throws once the structure has cost more than the file can justify.</summary>
    public void Spend(long bytes)
    {
        remaining -= Math.Max(bytes, 1);
        if (remaining < 0)
        {
            throw storage.Error($"{what}: the structure reads far more data than the file holds; its pointers overlap or repeat (damaged file).");
        }
    }
}

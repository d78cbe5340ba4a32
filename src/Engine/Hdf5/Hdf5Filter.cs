namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// One filter of a dataset's pipeline, in the order it was applied when writing: the registered
/// filter id (1 deflate, 2 shuffle, 3 fletcher32, 4 szip, 32001 blosc, 32015 zstd, ...), its name
/// as stored (or the well-known name) and its client data values.
/// </summary>
public sealed record Hdf5Filter(int Id, string Name, int[] ClientData)
{
    public const int Deflate = 1;
    public const int Shuffle = 2;
    public const int Fletcher32 = 3;
    public const int Szip = 4;
    public const int NBit = 5;
    public const int ScaleOffset = 6;
    public const int Blosc = 32001;
    public const int Zstd = 32015;

    /// <summary>The writer was allowed to skip this filter when it failed (the per-chunk mask says whether it did).</summary>
    public bool Optional { get; init; }

    public bool Equals(Hdf5Filter? other) =>
        other is not null && Id == other.Id && Name == other.Name && Optional == other.Optional && ClientData.AsSpan().SequenceEqual(other.ClientData);

    public override int GetHashCode() => HashCode.Combine(Id, Name, ClientData.Length);

    /// <summary>A readable name for a filter id.</summary>
    public static string WellKnownName(int id) => id switch
    {
        Deflate => "deflate",
        Shuffle => "shuffle",
        Fletcher32 => "fletcher32",
        Szip => "szip",
        NBit => "nbit",
        ScaleOffset => "scaleoffset",
        Blosc => "blosc",
        Zstd => "zstd",
        307 => "bzip2",
        32000 => "lzf",
        32004 => "lz4",
        32008 => "bitshuffle",
        _ => $"filter {id}",
    };
}

namespace ZarrPartition.Module;

/// <summary>What ConvertTo-Zarr wrote: the store, its Zarr format, arrays and chunks, bytes read and stored, seconds taken.</summary>
public sealed record ZarrConversion(
    string Store,
    int ZarrFormat,
    int Arrays,
    long Chunks,
    long BytesRead,
    long BytesWritten,
    double Seconds);

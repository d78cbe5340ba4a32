namespace ZarrPartition.Engine.Storage;

/// <summary>
/// A key/value store of Zarr documents and chunks. Keys are "/"-separated relative paths,
/// validated by <see cref="StoreKey"/>. Every <see cref="Set"/> is atomic: a reader sees the old
/// value or the new one, never a torn one. Implementations are thread-safe.
/// </summary>
public interface IStore
{
    /// <summary>A description for messages: a folder path, "memory".</summary>
    string Location { get; }

    /// <summary>The value, or null when the key does not exist.</summary>
    byte[]? Get(string key);

    void Set(string key, ReadOnlySpan<byte> value);

    bool Exists(string key);

    /// <summary>Deletes a key; missing keys are ignored.</summary>
    void Delete(string key);

    /// <summary>Every key under <paramref name="prefix"/> (a folder path ending in "/", or "" for all), recursively.</summary>
    IEnumerable<string> List(string prefix = "");

    /// <summary>Removes every key under a prefix (a whole array or group).</summary>
    void DeletePrefix(string prefix);

    /// <summary>Temporary files left by interrupted writes (older than <paramref name="minAge"/>).</summary>
    IReadOnlyList<string> ListStaleTemporaries(TimeSpan minAge);

    /// <summary>Removes the temporaries <see cref="ListStaleTemporaries"/> reports; returns how many.</summary>
    int RemoveStaleTemporaries(TimeSpan minAge);
}

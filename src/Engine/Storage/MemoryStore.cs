using System.Collections.Concurrent;

namespace ZarrPartition.Engine.Storage;

/// <summary>An in-memory store (tests, benchmarks, staging). Thread-safe.</summary>
public sealed class MemoryStore : IStore
{
    private readonly ConcurrentDictionary<string, byte[]> _items = new(StringComparer.Ordinal);

    public string Location => "memory";

    public int Count => _items.Count;

    public byte[]? Get(string key) => _items.TryGetValue(StoreKey.Validate(key), out var v) ? v : null;

    public void Set(string key, ReadOnlySpan<byte> value) => _items[StoreKey.Validate(key)] = value.ToArray();

    public bool Exists(string key) => _items.ContainsKey(StoreKey.Validate(key));

    public void Delete(string key) => _items.TryRemove(StoreKey.Validate(key), out _);

    public IEnumerable<string> List(string prefix = "") => _items.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();

    public void DeletePrefix(string prefix)
    {
        foreach (var k in List(prefix))
        {
            _items.TryRemove(k, out _);
        }
    }

    public IReadOnlyList<string> ListStaleTemporaries(TimeSpan minAge) => [];

    public int RemoveStaleTemporaries(TimeSpan minAge) => 0;
}

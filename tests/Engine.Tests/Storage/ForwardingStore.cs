using ZarrPartition.Engine.Storage;

namespace ZarrPartition.Engine.Tests.Storage;

/// <summary>A store that passes every call to another; tests override <see cref="Set"/> to inject faults or waits.</summary>
internal abstract class ForwardingStore(IStore inner) : IStore
{
    public string Location => inner.Location;

    public byte[]? Get(string key) => inner.Get(key);

    public virtual void Set(string key, ReadOnlySpan<byte> value) => inner.Set(key, value);

    public bool Exists(string key) => inner.Exists(key);

    public void Delete(string key) => inner.Delete(key);

    public IEnumerable<string> List(string prefix = "") => inner.List(prefix);

    public void DeletePrefix(string prefix) => inner.DeletePrefix(prefix);

    public IReadOnlyList<string> ListStaleTemporaries(TimeSpan minAge) => inner.ListStaleTemporaries(minAge);

    public int RemoveStaleTemporaries(TimeSpan minAge) => inner.RemoveStaleTemporaries(minAge);
}

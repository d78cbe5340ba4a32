using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;

namespace ZarrPartition.Engine.Tests.Storage;

public class FileSystemStoreTests
{
    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../b")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("./a")]
    [InlineData("C:x")]
    [InlineData("")]
    [InlineData("a/\u0001")]
    public void KeysThatLeaveTheStoreAreRefused(string key)
    {
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Path);
        var e = Assert.Throws<StoreException>(() => store.Set(key, [1]));
        Assert.Equal("InvalidStoreKey", e.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        Assert.Throws<StoreException>(() => store.Get(key));
    }

    [Fact]
    public void AWriteInterruptedBeforeTheRenameLeavesTheOldValue()
    {
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Path);
        store.Set("a/0.0", [1, 2, 3]);
        store.BeforeRename = _ => throw new IOException("simulated crash between temp file and rename");
        Assert.Throws<StoreException>(() => store.Set("a/0.0", [9, 9, 9, 9]));
        store.BeforeRename = null;
        Assert.Equal([1, 2, 3], store.Get("a/0.0"));
        Assert.Equal(["a/0.0"], store.List(""));
    }

    [Fact]
    public void AWriteInterruptedBeforeTheRenameOfANewKeyLeavesNoKey()
    {
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Path);
        string? tmp = null;
        store.BeforeRename = t =>
        {
            tmp = t;
            throw new OperationCanceledException("killed");
        };
        Assert.Throws<OperationCanceledException>(() => store.Set("a/1.0", [5, 6]));
        Assert.Null(store.Get("a/1.0"));
        Assert.NotNull(tmp);
        Assert.False(File.Exists(tmp));
    }

    [Fact]
    public void StaleTemporariesAreInvisibleListedAndRemoved()
    {
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Path);
        store.Set("arr/0.0", [1]);
        // what a killed writer leaves behind
        var stale = Path.Combine(dir.Path, "arr", ".0.1." + Guid.NewGuid().ToString("N") + FileSystemStore.TemporarySuffix);
        File.WriteAllBytes(stale, [1, 2]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));
        Assert.Equal(["arr/0.0"], store.List(""));
        Assert.Single(store.ListStaleTemporaries(TimeSpan.FromHours(1)));
        Assert.Empty(store.ListStaleTemporaries(TimeSpan.FromHours(3)));
        Assert.Equal(1, store.RemoveStaleTemporaries(TimeSpan.FromHours(1)));
        Assert.False(File.Exists(stale));
        Assert.Equal([1], store.Get("arr/0.0"));
    }

    [Fact]
    public void MissingStoreAndUnwritableFolderAreTypedErrors()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<StoreException>(() => new FileSystemStore(dir.Sub("nope")));
        Assert.Equal("StoreNotFound", e.ErrorId);
        var store = new FileSystemStore(dir.Path);
        File.WriteAllBytes(dir.Sub("file"), [0]);
        // a key whose parent is a file cannot be written
        var w = Assert.Throws<StoreException>(() => store.Set("file/0", [1]));
        Assert.Equal(ErrorKind.WriteError, w.Kind);
        Assert.Contains("file/0", w.Message);
    }
}

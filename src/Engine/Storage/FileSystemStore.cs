using System.Collections.Concurrent;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Storage;

/// <summary>
/// A store in a folder. Each write goes to a hidden temporary file in the key's own folder
/// (".&lt;name&gt;.&lt;guid&gt;.zptmp", which Zarr readers never look at) and is then renamed over the
/// key, so a crash leaves the old value or the new one, never a torn one. Thread-safe.
/// </summary>
public sealed class FileSystemStore : IStore
{
    public const string TemporarySuffix = ".zptmp";

    private readonly ConcurrentDictionary<string, bool> _knownDirectories = new(StringComparer.Ordinal);

    /// <summary>Whether values of <see cref="Preallocation.MinimumBytes"/> or more reserve their size when the temporary file is created.</summary>
    private readonly bool _preallocate;

    public FileSystemStore(string root, bool create = false)
    {
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root))
        {
            if (!create)
            {
                throw new StoreException("StoreNotFound", ErrorKind.ObjectNotFound, Root, $"Store folder '{Root}' does not exist.");
            }

            try
            {
                Directory.CreateDirectory(Root);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException("StoreNotWritable", ErrorKind.PermissionDenied, Root, $"Cannot create store folder '{Root}': {e.Message}", e);
            }
        }

        _preallocate = Preallocation.Helps(Root);
    }

    public string Root { get; }

    public string Location => Root;

    /// <summary>Test hook: runs after the temporary file is complete and before the rename.</summary>
    internal Action<string>? BeforeRename { get; set; }

    private string FullPath(string key) => Path.Combine(Root, StoreKey.Validate(key).Replace('/', Path.DirectorySeparatorChar));

    public byte[]? Get(string key)
    {
        var path = FullPath(key);
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            long len = fs.Length;
            if (len > Array.MaxLength)
            {
                throw new StoreException("ValueTooLarge", ErrorKind.ReadError, key, $"Key '{key}' in store '{Root}' is {len} bytes, too large to read in one piece.");
            }

            var buffer = GC.AllocateUninitializedArray<byte>((int)len);
            int read = 0;
            while (read < buffer.Length)
            {
                int n = fs.Read(buffer, read, buffer.Length - read);
                if (n == 0)
                {
                    Array.Resize(ref buffer, read);
                    break;
                }

                read += n;
            }

            return buffer;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            if (Directory.Exists(path))
            {
                return null;
            }

            throw new StoreException("StoreReadDenied", ErrorKind.PermissionDenied, key, $"Cannot read '{key}' in store '{Root}': {e.Message}", e);
        }
        catch (IOException) when (Directory.Exists(path))
        {
            return null;
        }
        catch (IOException e)
        {
            throw new StoreException("StoreReadFailed", ErrorKind.ReadError, key, $"Cannot read '{key}' in store '{Root}': {e.Message}", e);
        }
    }

    public void Set(string key, ReadOnlySpan<byte> value)
    {
        var path = FullPath(key);
        var dir = Path.GetDirectoryName(path)!;
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + TemporarySuffix);
        try
        {
            EnsureDirectory(dir);
            // a raw handle and one positional write: no FileStream buffering, no advisory lock, no flush to disk (as in zarr-python);
            // the blocks reserved up front where the file system gains from it (see Preallocation)
            long reserve = _preallocate && value.Length >= Preallocation.MinimumBytes ? value.Length : 0;
            using (var handle = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, FileOptions.None, reserve))
            {
                RandomAccess.Write(handle, value, 0);
            }

            BeforeRename?.Invoke(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            var kind = e is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.WriteError;
            throw new StoreException(kind == ErrorKind.PermissionDenied ? "StoreNotWritable" : "StoreWriteFailed", kind, key,
                $"Cannot write '{key}' in store '{Root}': {e.Message}" + (kind == ErrorKind.PermissionDenied ? " Check the folder's permissions." : " Check free space and the file system."), e);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    private void EnsureDirectory(string dir)
    {
        if (_knownDirectories.ContainsKey(dir))
        {
            return;
        }

        Directory.CreateDirectory(dir);
        _knownDirectories[dir] = true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the temporary stays behind; ListStaleTemporaries reports it and RemoveStaleTemporaries cleans it
        }
    }

    public bool Exists(string key) => File.Exists(FullPath(key));

    public void Delete(string key)
    {
        try
        {
            File.Delete(FullPath(key));
        }
        catch (DirectoryNotFoundException)
        {
            // nothing to delete
        }
    }

    public IEnumerable<string> List(string prefix = "")
    {
        var dir = prefix.Length == 0 ? Root : Path.Combine(Root, StoreKey.Validate(prefix.TrimEnd('/')).Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !IsTemporary(f))
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
    }

    public void DeletePrefix(string prefix)
    {
        var dir = prefix.Length == 0 ? Root : Path.Combine(Root, StoreKey.Validate(prefix.TrimEnd('/')).Replace('/', Path.DirectorySeparatorChar));
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        _knownDirectories.Clear();
    }

    public static bool IsTemporary(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith('.') && name.EndsWith(TemporarySuffix, StringComparison.Ordinal);
    }

    public IReadOnlyList<string> ListStaleTemporaries(TimeSpan minAge)
    {
        var cutoff = DateTime.UtcNow - minAge;
        return Directory.EnumerateFiles(Root, "*" + TemporarySuffix, SearchOption.AllDirectories)
            .Where(f => IsTemporary(f) && File.GetLastWriteTimeUtc(f) <= cutoff)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();
    }

    public int RemoveStaleTemporaries(TimeSpan minAge)
    {
        int n = 0;
        foreach (var rel in ListStaleTemporaries(minAge))
        {
            var full = Path.Combine(Root, rel.Replace('/', Path.DirectorySeparatorChar));
            try
            {
                File.Delete(full);
                n++;
            }
            catch (FileNotFoundException)
            {
                // removed by someone else meanwhile
            }
        }

        return n;
    }
}

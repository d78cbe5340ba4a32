using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Storage;

/// <summary>
/// Validation of store keys. Names come from files and users, so no key may reach outside the
/// store: no empty, "." or ".." segments, no absolute paths, no backslashes, no NUL or control characters.
/// </summary>
public static class StoreKey
{
    public static string Validate(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw Invalid(key ?? string.Empty, "the key is empty");
        }

        if (key[0] == '/' || key.Contains('\\') || (key.Length >= 2 && key[1] == ':'))
        {
            throw Invalid(key, "absolute paths and backslashes are not allowed");
        }

        foreach (var ch in key)
        {
            if (ch < 0x20 || ch == 0x7f)
            {
                throw Invalid(key, "control characters are not allowed");
            }
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw Invalid(key, $"segment '{segment}' is not allowed (empty, '.' or '..')");
            }
        }

        return key;
    }

    /// <summary>Validates one node name (an array or group name) from a source file.</summary>
    public static string ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name == "." || name == "..")
        {
            throw Invalid(name ?? string.Empty, "a node name must be non-empty, not '.' or '..', and contain no '/'");
        }

        Validate(name);
        if (name.StartsWith(".z", StringComparison.Ordinal) || name == "zarr.json")
        {
            throw Invalid(name, "the name collides with Zarr's reserved metadata keys");
        }

        return name;
    }

    /// <summary>Joins a node path and a relative key: Join("a/b", ".zarray") = "a/b/.zarray".</summary>
    public static string Join(string path, string key) => path.Length == 0 ? key : path + "/" + key;

    private static StoreException Invalid(string key, string why) =>
        new("InvalidStoreKey", ErrorKind.InvalidArgument, key, $"Store key '{key}' is not valid: {why}. Rename the variable or group so its name is a plain name.");
}

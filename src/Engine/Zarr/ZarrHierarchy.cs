using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// Every group and array of a store, read from consolidated metadata when present (one read),
/// otherwise by listing the store. Also writes groups and consolidated metadata.
/// </summary>
public sealed class ZarrHierarchy
{
    private ZarrHierarchy(IStore store, int zarrFormat, bool consolidated, SortedDictionary<string, GroupMetadata> groups, SortedDictionary<string, ArrayMetadata> arrays)
    {
        Store = store;
        ZarrFormat = zarrFormat;
        Consolidated = consolidated;
        Groups = groups;
        Arrays = arrays;
    }

    public IStore Store { get; }

    public int ZarrFormat { get; }

    /// <summary>True when the metadata came from consolidated metadata.</summary>
    public bool Consolidated { get; }

    /// <summary>Groups by path ("" is the root).</summary>
    public IReadOnlyDictionary<string, GroupMetadata> Groups { get; }

    /// <summary>Arrays by path.</summary>
    public IReadOnlyDictionary<string, ArrayMetadata> Arrays { get; }

    public ZarrArray OpenArray(string path) => Arrays.TryGetValue(path, out var m)
        ? new ZarrArray(Store, path, m)
        : throw new StoreException("ArrayNotFound", ErrorKind.ObjectNotFound, path, $"No array '{path}' in '{Store.Location}'. Arrays: {string.Join(", ", Arrays.Keys)}.");

    /// <summary>True when the store's root holds Zarr metadata (v2 or v3, group or array).</summary>
    public static bool IsZarr(IStore store) =>
        store.Exists("zarr.json") || store.Exists(".zgroup") || store.Exists(".zarray") || store.Exists(".zmetadata");

    public static ZarrHierarchy Open(IStore store, bool useConsolidated = true)
    {
        var groups = new SortedDictionary<string, GroupMetadata>(StringComparer.Ordinal);
        var arrays = new SortedDictionary<string, ArrayMetadata>(StringComparer.Ordinal);
        if (store.Get("zarr.json") is { } rootV3)
        {
            var doc = ZarrArray.ParseJson(rootV3, "zarr.json");
            if (doc["node_type"]?.ToString() == "array")
            {
                arrays[""] = ArrayMetadata.ParseV3(doc, "zarr.json");
                return new ZarrHierarchy(store, 3, false, groups, arrays);
            }

            groups[""] = GroupMetadata.ParseV3(doc, "zarr.json");
            if (useConsolidated && doc["consolidated_metadata"] is JsonObject cm && cm["metadata"] is JsonObject md)
            {
                foreach (var kv in md)
                {
                    var key = StoreKey.Join(StoreKey.Validate(kv.Key), "zarr.json");
                    if (kv.Value?["node_type"]?.ToString() == "array")
                    {
                        arrays[kv.Key] = ArrayMetadata.ParseV3(kv.Value, key);
                    }
                    else if (kv.Value is not null)
                    {
                        groups[kv.Key] = GroupMetadata.ParseV3(kv.Value, key);
                    }
                }

                return new ZarrHierarchy(store, 3, true, groups, arrays);
            }

            ScanV3(store, groups, arrays);
            return new ZarrHierarchy(store, 3, false, groups, arrays);
        }

        if (store.Exists(".zarray"))
        {
            arrays[""] = ZarrArray.Open(store, "").Metadata;
            return new ZarrHierarchy(store, 2, false, groups, arrays);
        }

        if (useConsolidated && store.Get(".zmetadata") is { } zmeta)
        {
            var doc = ZarrArray.ParseJson(zmeta, ".zmetadata");
            if (doc["metadata"] is not JsonObject md)
            {
                throw new MetadataException(".zmetadata", "has no \"metadata\" object.");
            }

            foreach (var kv in md)
            {
                if (kv.Key.EndsWith(".zarray", StringComparison.Ordinal))
                {
                    var path = Parent(kv.Key);
                    var attrs = md[StoreKey.Join(path, ".zattrs")];
                    arrays[path] = ArrayMetadata.ParseV2(kv.Value, attrs, kv.Key);
                }
                else if (kv.Key.EndsWith(".zgroup", StringComparison.Ordinal))
                {
                    var path = Parent(kv.Key);
                    groups[path] = GroupMetadata.ParseV2(kv.Value!, md[StoreKey.Join(path, ".zattrs")], kv.Key);
                }
            }

            return new ZarrHierarchy(store, 2, true, groups, arrays);
        }

        if (!store.Exists(".zgroup"))
        {
            throw new StoreException("NotAZarrStore", ErrorKind.InvalidData, store.Location,
                $"'{store.Location}' is not a Zarr store: it has no zarr.json, .zgroup, .zarray or .zmetadata at its root.");
        }

        foreach (var key in store.List(""))
        {
            var name = key[(key.LastIndexOf('/') + 1)..];
            var path = Parent(key);
            if (name == ".zgroup")
            {
                var attrs = store.Get(StoreKey.Join(path, ".zattrs"));
                groups[path] = GroupMetadata.ParseV2(ZarrArray.ParseJson(store.Get(key)!, key), attrs is null ? null : ZarrArray.ParseJson(attrs, key), key);
            }
            else if (name == ".zarray")
            {
                arrays[path] = ZarrArray.Open(store, path).Metadata;
            }
        }

        return new ZarrHierarchy(store, 2, false, groups, arrays);
    }

    private static void ScanV3(IStore store, SortedDictionary<string, GroupMetadata> groups, SortedDictionary<string, ArrayMetadata> arrays)
    {
        foreach (var key in store.List(""))
        {
            if (key == "zarr.json" || !key.EndsWith("/zarr.json", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Parent(key);
            var doc = ZarrArray.ParseJson(store.Get(key)!, key);
            if (doc["node_type"]?.ToString() == "array")
            {
                arrays[path] = ArrayMetadata.ParseV3(doc, key);
            }
            else
            {
                groups[path] = GroupMetadata.ParseV3(doc, key);
            }
        }
    }

    private static string Parent(string key)
    {
        int i = key.LastIndexOf('/');
        return i < 0 ? "" : key[..i];
    }

    public static void CreateGroup(IStore store, string path, GroupMetadata group)
    {
        if (path.Length > 0)
        {
            StoreKey.Validate(path);
        }

        if (group.ZarrFormat == 3)
        {
            store.Set(StoreKey.Join(path, "zarr.json"), JsonText.Serialize(group.ToV3Json()));
        }
        else
        {
            store.Set(StoreKey.Join(path, ".zgroup"), JsonText.Serialize(new JsonObject { ["zarr_format"] = 2 }));
            store.Set(StoreKey.Join(path, ".zattrs"), JsonText.Serialize(group.Attributes.DeepClone()));
        }
    }

    /// <summary>Writes consolidated metadata for the whole store (v2 .zmetadata, or inline in the v3 root zarr.json).</summary>
    public static void Consolidate(IStore store)
    {
        var h = Open(store, useConsolidated: false);
        if (!h.Groups.TryGetValue("", out var root))
        {
            throw new StoreException("ConsolidateNeedsGroup", ErrorKind.InvalidArgument, store.Location, "Only a store whose root is a group can hold consolidated metadata.");
        }

        if (h.ZarrFormat == 2)
        {
            var md = new JsonObject
            {
                [".zattrs"] = root.Attributes.DeepClone(),
                [".zgroup"] = new JsonObject { ["zarr_format"] = 2 },
            };
            foreach (var (path, g) in h.Groups)
            {
                if (path.Length > 0)
                {
                    md[path + "/.zattrs"] = g.Attributes.DeepClone();
                    md[path + "/.zgroup"] = new JsonObject { ["zarr_format"] = 2 };
                }
            }

            foreach (var (path, a) in h.Arrays)
            {
                md[path + "/.zarray"] = a.ToV2Json();
                md[path + "/.zattrs"] = a.ToV2Attributes();
            }

            var doc = new JsonObject { ["metadata"] = md, ["zarr_consolidated_format"] = 1 };
            store.Set(".zmetadata", JsonText.Serialize(doc));
        }
        else
        {
            var md = new JsonObject();
            foreach (var (path, g) in h.Groups)
            {
                if (path.Length > 0)
                {
                    md[path] = g.ToV3Json();
                }
            }

            foreach (var (path, a) in h.Arrays)
            {
                md[path] = a.ToV3Json();
            }

            var doc = root.ToV3Json();
            doc["consolidated_metadata"] = new JsonObject { ["kind"] = "inline", ["must_understand"] = false, ["metadata"] = md };
            store.Set("zarr.json", JsonText.Serialize(doc));
        }
    }
}

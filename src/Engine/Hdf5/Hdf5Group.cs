using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// A group: its child groups and datasets (in creation order when the file tracks it, else by
/// name) and its attributes. Children are read on first access. A link back to a group on the
/// path from the root (a cycle) is left out, so walking the tree always ends. Soft and external
/// links and committed datatypes are skipped.
/// </summary>
public sealed class Hdf5Group
{
    private readonly Hdf5File file;
    private readonly Hdf5Group? parent;
    private readonly Lazy<(IReadOnlyList<Hdf5Group> Groups, IReadOnlyList<Hdf5Dataset> Datasets)> children;
    private readonly Lazy<IReadOnlyList<Hdf5Attribute>> attributes;

    internal Hdf5Group(Hdf5File file, ObjectHeader header, string name, string path, Hdf5Group? parent)
    {
        this.file = file;
        this.parent = parent;
        Name = name;
        Path = path;
        Address = header.Address;
        string what = $"group '{path}' (object header {Hdf5Storage.Hex(header.Address)})";
        children = new(() => Hdf5File.Guard(file.Storage, what, () => LoadChildren(header, what)));
        attributes = new(() => Hdf5File.Guard(file.Storage, what, () => AttributeList.Read(file, header, what)));
    }

    /// <summary>The link name ("" for the root).</summary>
    public string Name { get; }

    /// <summary>Full path ("/" for the root, "/forecast/inner" below it).</summary>
    public string Path { get; }

    /// <summary>Address of the group's object header.</summary>
    public long Address { get; }

    public IReadOnlyList<Hdf5Group> Groups => children.Value.Groups;

    public IReadOnlyList<Hdf5Dataset> Datasets => children.Value.Datasets;

    public IReadOnlyList<Hdf5Attribute> Attributes => attributes.Value;

    public override string ToString() => Path;

    internal static bool IsGroup(ObjectHeader header) =>
        header.Has(MessageType.SymbolTable) || header.Has(MessageType.LinkInfo) || header.Has(MessageType.GroupInfo) || header.Has(MessageType.Link);

    internal static bool IsDataset(ObjectHeader header) =>
        header.Has(MessageType.Layout) && header.Has(MessageType.Dataspace) && header.Has(MessageType.Datatype);

    private (IReadOnlyList<Hdf5Group>, IReadOnlyList<Hdf5Dataset>) LoadChildren(ObjectHeader header, string what)
    {
        var links = GroupLinks.Read(file.Storage, header, what);
        var groups = new List<Hdf5Group>();
        var datasets = new List<Hdf5Dataset>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (!names.Add(link.Name))
            {
                throw file.Storage.Error($"{what}: the name '{link.Name}' is linked twice.");
            }

            if (link.Name.Contains('/', StringComparison.Ordinal) || link.Name is "." or "..")
            {
                throw file.Storage.Error($"{what}: '{link.Name}' is not a valid link name.");
            }

            if (OnPath(link.Address))
            {
                continue; // a link to this group or one of its ancestors
            }

            var child = file.Header(link.Address);
            string childPath = Path == "/" ? "/" + link.Name : Path + "/" + link.Name;
            if (IsDataset(child))
            {
                datasets.Add(new Hdf5Dataset(file, child, link.Name, childPath));
            }
            else if (IsGroup(child))
            {
                groups.Add(new Hdf5Group(file, child, link.Name, childPath, this));
            }
        }

        return (groups, datasets);
    }

    private bool OnPath(long address)
    {
        for (var g = this; g is not null; g = g.parent)
        {
            if (g.Address == address)
            {
                return true;
            }
        }

        return false;
    }
}

using System.Buffers.Binary;
using System.Globalization;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>
/// The header of a CDF-1, CDF-2 or CDF-5 file as it is written: magic, numrecs, dimensions, global
/// attributes, variables. Parsing checks the grammar, the type tags, the dimension ids and every count;
/// the data layout is checked by <see cref="NetCdf3File"/>.
/// </summary>
internal sealed class NetCdf3Header
{
    private const int TagDimension = 0x0A;
    private const int TagVariable = 0x0B;
    private const int TagAttribute = 0x0C;

    /// <summary>NetCDF's limit on a variable's rank (NC_MAX_VAR_DIMS).</summary>
    private const int MaxRank = 1024;

    public sealed record DimensionEntry(string Name, long Length);

    public sealed record AttributeEntry(string Name, NetCdf3Type Type, byte[] Raw);

    public sealed record VariableEntry(string Name, int[] DimensionIds, IReadOnlyList<AttributeEntry> Attributes, NetCdf3Type Type, long Begin);

    private NetCdf3Header(int version, long numRecs, bool streaming, List<DimensionEntry> dims, List<AttributeEntry> attrs, List<VariableEntry> vars, long length)
    {
        Version = version;
        NumRecs = numRecs;
        Streaming = streaming;
        Dimensions = dims;
        Attributes = attrs;
        Variables = vars;
        Length = length;
    }

    /// <summary>1 (classic), 2 (64-bit offset) or 5 (64-bit data).</summary>
    public int Version { get; }

    /// <summary>The record count as written; meaningless when <see cref="Streaming"/>.</summary>
    public long NumRecs { get; }

    /// <summary>numrecs holds the STREAMING marker: the record count follows from the file size.</summary>
    public bool Streaming { get; }

    public IReadOnlyList<DimensionEntry> Dimensions { get; }

    public IReadOnlyList<AttributeEntry> Attributes { get; }

    public IReadOnlyList<VariableEntry> Variables { get; }

    /// <summary>Bytes from the start of the file to the end of the variable list.</summary>
    public long Length { get; }

    /// <summary>Index of the dimension of length zero (the record dimension), or -1.</summary>
    public int RecordDimension { get; private set; } = -1;

    public static NetCdf3Header Parse(NetCdf3HeaderReader r)
    {
        var magic = r.Take(4, "the magic number");
        if (magic[0] != 'C' || magic[1] != 'D' || magic[2] != 'F')
        {
            throw r.Error("is not a NetCDF-3 file: it does not start with 'CDF'.");
        }

        int version = magic[3];
        if (version is not (1 or 2 or 5))
        {
            throw r.Error($"has NetCDF-3 format version {version} in its magic number; only 1 (classic), 2 (64-bit offset) and 5 (64-bit data) exist.");
        }

        r.WideCounts = version == 5;
        r.WideOffsets = version != 1;

        long numRecs;
        bool streaming;
        if (version == 5)
        {
            numRecs = BinaryPrimitives.ReadInt64BigEndian(r.Take(8, "numrecs"));
            streaming = numRecs == -1;
            if (numRecs < -1)
            {
                throw r.Error($"numrecs at byte 4 is negative ({numRecs}).");
            }
        }
        else
        {
            uint n = BinaryPrimitives.ReadUInt32BigEndian(r.Take(4, "numrecs"));
            streaming = n == uint.MaxValue;
            numRecs = n;
        }

        var dims = ReadDimensions(r, out int recordDim);
        var attrs = ReadAttributes(r, version, null);
        var vars = ReadVariables(r, version, dims.Count);
        return new NetCdf3Header(version, streaming ? 0 : numRecs, streaming, dims, attrs, vars, r.Position) { RecordDimension = recordDim };
    }

    /// <summary>Reads a list's tag and count; an ABSENT list (both zero) gives zero.</summary>
    private static long ReadListHead(NetCdf3HeaderReader r, int expectedTag, string what, int minEntryBytes)
    {
        long at = r.Position;
        int tag = r.ReadInt32($"the tag of {what}");
        long count = r.ReadCount($"the count of {what}");
        if (tag == 0)
        {
            if (count != 0)
            {
                throw r.Error($"{what} at byte {at} is marked absent (tag 0) but counts {count} entries.");
            }

            return 0;
        }

        if (tag != expectedTag)
        {
            throw r.Error($"{what} at byte {at} has tag {tag}; expected {expectedTag} or 0 (absent).");
        }

        r.CheckListFits(count, minEntryBytes, what, at);
        return count;
    }

    private static List<DimensionEntry> ReadDimensions(NetCdf3HeaderReader r, out int recordDim)
    {
        // a dimension is at least a name length, one padded name word and a length
        long count = ReadListHead(r, TagDimension, "the dimension list", (2 * r.CountSize) + 4);
        var dims = new List<DimensionEntry>((int)Math.Min(count, 4096));
        var names = new HashSet<string>(StringComparer.Ordinal);
        recordDim = -1;
        for (int i = 0; i < count; i++)
        {
            long at = r.Position;
            string name = r.ReadName($"the name of dimension {i}");
            string shown = NetCdf3HeaderReader.Shown(name);
            long length = r.ReadCount($"the length of dimension '{shown}'");
            if (!names.Add(name))
            {
                throw r.Error($"dimension {i} at byte {at} repeats the name '{shown}'.");
            }

            if (length == 0)
            {
                if (recordDim >= 0)
                {
                    throw r.Error($"dimension '{shown}' at byte {at} has length 0, but '{NetCdf3HeaderReader.Shown(dims[recordDim].Name)}' is already the record dimension; a file has at most one.");
                }

                recordDim = i;
            }

            dims.Add(new DimensionEntry(name, length));
        }

        return dims;
    }

    /// <summary>An attribute list; <paramref name="owner"/> is null for the global attributes, else the variable's name as shown.</summary>
    private static List<AttributeEntry> ReadAttributes(NetCdf3HeaderReader r, int version, string? owner)
    {
        string list = owner is null ? "the global attribute list" : $"the attribute list of variable '{owner}'";
        string Of(string attr) => owner is null ? $"global attribute '{attr}'" : $"attribute '{attr}' of variable '{owner}'";

        // an attribute is at least a name length, one padded name word, a type and a count
        long count = ReadListHead(r, TagAttribute, list, (2 * r.CountSize) + 8);
        var attrs = new List<AttributeEntry>((int)Math.Min(count, 4096));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            long at = r.Position;
            string name = r.ReadName(owner is null ? $"the name of global attribute {i}" : $"the name of attribute {i} of variable '{owner}'");
            string what = Of(NetCdf3HeaderReader.Shown(name));
            int tag = r.ReadInt32($"the type of {what}");
            if (!NetCdf3TypeInfo.IsValid(tag, version))
            {
                throw r.Error($"{what} (at byte {at}) has type tag {tag}, which is not a type of NetCDF-3 format version {version}.");
            }

            var type = (NetCdf3Type)tag;
            long n = r.ReadCount($"the value count of {what}");
            var raw = r.ReadValues(n, NetCdf3TypeInfo.Size(type), $"the values of {what}").ToArray();
            if (!names.Add(name))
            {
                throw r.Error($"{what} (at byte {at}) repeats the name of an earlier attribute.");
            }

            attrs.Add(new AttributeEntry(name, type, raw));
        }

        return attrs;
    }

    private static List<VariableEntry> ReadVariables(NetCdf3HeaderReader r, int version, int dimCount)
    {
        // a variable is at least a name, a rank, an absent attribute list, a type, a vsize and a begin
        int minBytes = (3 * r.CountSize) + 4 + 8 + 4 + (r.WideOffsets ? 8 : 4);
        long count = ReadListHead(r, TagVariable, "the variable list", minBytes);
        var vars = new List<VariableEntry>((int)Math.Min(count, 4096));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            long at = r.Position;
            string name = r.ReadName($"the name of variable {i}");
            string shown = NetCdf3HeaderReader.Shown(name);
            if (!names.Add(name))
            {
                throw r.Error($"variable {i} at byte {at} repeats the name '{shown}'.");
            }

            long rankAt = r.Position;
            long rank = r.ReadCount($"the rank of variable '{shown}'");
            if (rank > MaxRank)
            {
                throw r.Error($"variable '{shown}' claims {rank.ToString(CultureInfo.InvariantCulture)} dimensions (at byte {rankAt}); NetCDF allows at most {MaxRank}.");
            }

            r.CheckListFits(rank, r.CountSize, $"the dimension ids of variable '{shown}'", rankAt);
            var ids = new int[rank];
            for (int d = 0; d < rank; d++)
            {
                long idAt = r.Position;
                long id = r.ReadCount($"dimension id {d} of variable '{shown}'");
                if (id >= dimCount)
                {
                    throw r.Error($"variable '{shown}' refers to dimension id {id.ToString(CultureInfo.InvariantCulture)} (at byte {idAt}), but the file defines {dimCount} dimension(s).");
                }

                ids[d] = (int)id;
            }

            var attrs = ReadAttributes(r, version, shown);
            long typeAt = r.Position;
            int tag = r.ReadInt32($"the type of variable '{shown}'");
            if (!NetCdf3TypeInfo.IsValid(tag, version))
            {
                throw r.Error($"variable '{shown}' has type tag {tag} (at byte {typeAt}), which is not a type of NetCDF-3 format version {version}.");
            }

            // vsize is redundant (and saturates for big variables): sizes are computed from the shape
            r.SkipCount($"the vsize of variable '{shown}'");
            long begin = r.ReadOffset($"the begin offset of variable '{shown}'");
            vars.Add(new VariableEntry(name, ids, attrs, (NetCdf3Type)tag, begin));
        }

        return vars;
    }
}

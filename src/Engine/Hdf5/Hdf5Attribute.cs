using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// An attribute of a group or dataset. Its value is decoded on first access (and kept):
/// <list type="bullet">
/// <item>a scalar fixed or variable-length string: <see cref="string"/>; string arrays: <c>string[]</c>;</item>
/// <item>numbers: a typed array (<c>sbyte[]</c>, <c>byte[]</c>, <c>short[]</c>, <c>ushort[]</c>, <c>int[]</c>,
/// <c>uint[]</c>, <c>long[]</c>, <c>ulong[]</c>, <c>float[]</c>, <c>double[]</c>) even for one value, little-endian
/// conversion done; enumerations decode as their base integers; other sizes as raw bytes;</item>
/// <item>object references: <c>long[]</c> of object header addresses; a variable-length sequence of references
/// (netCDF's DIMENSION_LIST): <c>long[][]</c>; other sequences: <c>object?[]</c> of decoded items;</item>
/// <item>compound: <c>object[]</c> of <c>Dictionary&lt;string, object?&gt;</c> (member name to value; number members
/// as single boxed values, references as <see cref="long"/>, strings as <see cref="string"/>);</item>
/// <item>a null dataspace (netCDF's empty text attribute) and region references: null.</item>
/// </list>
/// A damaged value throws <see cref="SourceFormatException"/> from <see cref="Value"/>.
/// </summary>
public sealed class Hdf5Attribute
{
    private readonly Lazy<object?> value;

    internal Hdf5Attribute(Hdf5File file, string name, Hdf5Type type, long[] shape, bool isNull, byte[] data, long creationOrder, string what)
    {
        Name = name;
        Type = type;
        Shape = shape;
        IsNull = isNull;
        CreationOrder = creationOrder;
        RawData = data;
        value = new Lazy<object?>(() => Hdf5File.Guard(file.Storage, what, () => isNull ? null : ValueDecoder.Decode(file, type, data, ElementCount, shape.Length == 0, what)));
    }

    public string Name { get; }

    public Hdf5Type Type { get; }

    /// <summary>Dimensions of the value; empty for a scalar (and for a null dataspace).</summary>
    public long[] Shape { get; }

    /// <summary>The attribute has a null dataspace: it exists but holds no value.</summary>
    public bool IsNull { get; }

    /// <summary>The decoded value (see the class summary).</summary>
    public object? Value => value.Value;

    /// <summary>Creation order when the object tracks it, else -1.</summary>
    internal long CreationOrder { get; }

    /// <summary>The stored bytes (file byte order).</summary>
    internal byte[] RawData { get; }

    internal long ElementCount
    {
        get
        {
            if (IsNull)
            {
                return 0;
            }

            long n = 1;
            foreach (var d in Shape)
            {
                n *= d;
            }

            return n;
        }
    }

    public override string ToString() => $"{Name}: {Type}";
}

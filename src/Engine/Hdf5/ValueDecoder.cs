using System.Buffers.Binary;
using System.Text;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Turns raw element bytes (in the file's byte order) into .NET values: typed arrays for numbers,
/// strings for fixed and variable-length strings, addresses for object references, nested arrays
/// for variable-length sequences and dictionaries for compound elements.
/// </summary>
internal static class ValueDecoder
{
    /// <summary>Decodes <paramref name="count"/> elements as an attribute value (see <see cref="Hdf5Attribute.Value"/>).</summary>
    public static object? Decode(Hdf5File file, Hdf5Type type, ReadOnlySpan<byte> data, long count, bool scalar, string what, ReadBudget? budget = null)
    {
        budget ??= new ReadBudget(file.Storage, what, multiple: 2);
        int n = checked((int)count);
        switch (type.Class)
        {
            case Hdf5TypeClass.String:
                {
                    var strings = FixedStrings(type, data, n);
                    return scalar ? strings[0] : strings;
                }

            case Hdf5TypeClass.VariableLength when type.IsVariableLengthString:
                {
                    var strings = new string[n];
                    for (int i = 0; i < n; i++)
                    {
                        strings[i] = VariableString(file, type, data.Slice(i * type.Size, type.Size), what, budget);
                    }

                    return scalar ? strings[0] : strings;
                }

            case Hdf5TypeClass.VariableLength:
                {
                    var baseType = type.BaseType!;
                    if (baseType.Class == Hdf5TypeClass.Reference && !baseType.IsRegionReference)
                    {
                        var lists = new long[n][];
                        for (int i = 0; i < n; i++)
                        {
                            var (bytes, length) = Sequence(file, type, data.Slice(i * type.Size, type.Size), what, budget);
                            lists[i] = References(baseType, bytes.Span, length);
                        }

                        return lists;
                    }

                    var items = new object?[n];
                    for (int i = 0; i < n; i++)
                    {
                        var (bytes, length) = Sequence(file, type, data.Slice(i * type.Size, type.Size), what, budget);
                        items[i] = Decode(file, baseType, bytes.Span, length, false, what, budget);
                    }

                    return items;
                }

            case Hdf5TypeClass.Reference:
                return type.IsRegionReference ? null : References(type, data, n);

            case Hdf5TypeClass.Compound:
                {
                    var items = new object[n];
                    for (int i = 0; i < n; i++)
                    {
                        items[i] = Compound(file, type, data.Slice(i * type.Size, type.Size), what, budget);
                    }

                    return items;
                }

            case Hdf5TypeClass.Array:
                {
                    var baseType = type.BaseType!;
                    long perElement = type.Size / baseType.Size;
                    return Decode(file, baseType, data, perElement * n, false, what, budget);
                }

            case Hdf5TypeClass.Enum:
                return Numbers(type.BaseType!, data, n);

            default:
                return Numbers(type, data, n);
        }
    }

    /// <summary>Numbers as a typed array (sbyte[] ... double[]); other sizes and classes as raw bytes.</summary>
    public static Array Numbers(Hdf5Type type, ReadOnlySpan<byte> data, int n)
    {
        int size = type.Size;
        var bytes = data[..(n * size)].ToArray();
        bool big = type.BigEndian;
        switch (type.Class, size, type.Signed)
        {
            case (Hdf5TypeClass.FixedPoint, 1, true):
                return Build(n, i => (sbyte)bytes[i]);
            case (Hdf5TypeClass.FixedPoint, 1, false):
                return bytes;
            case (Hdf5TypeClass.FixedPoint, 2, true):
                return Build(n, i => (short)U16(bytes.AsSpan(2 * i, 2), big));
            case (Hdf5TypeClass.FixedPoint, 2, false):
                return Build(n, i => U16(bytes.AsSpan(2 * i, 2), big));
            case (Hdf5TypeClass.FixedPoint, 4, true):
                return Build(n, i => (int)U32(bytes.AsSpan(4 * i, 4), big));
            case (Hdf5TypeClass.FixedPoint, 4, false):
                return Build(n, i => U32(bytes.AsSpan(4 * i, 4), big));
            case (Hdf5TypeClass.FixedPoint, 8, true):
                return Build(n, i => (long)U64(bytes.AsSpan(8 * i, 8), big));
            case (Hdf5TypeClass.FixedPoint, 8, false):
                return Build(n, i => U64(bytes.AsSpan(8 * i, 8), big));
            case (Hdf5TypeClass.FloatingPoint, 2, _) when !type.IsVaxOrder:
                return Build(n, i => (float)BitConverter.UInt16BitsToHalf(U16(bytes.AsSpan(2 * i, 2), big)));
            case (Hdf5TypeClass.FloatingPoint, 4, _) when !type.IsVaxOrder:
                return Build(n, i => BitConverter.UInt32BitsToSingle(U32(bytes.AsSpan(4 * i, 4), big)));
            case (Hdf5TypeClass.FloatingPoint, 8, _) when !type.IsVaxOrder:
                return Build(n, i => BitConverter.UInt64BitsToDouble(U64(bytes.AsSpan(8 * i, 8), big)));
            default:
                return bytes;
        }
    }

    /// <summary>Numbers that <see cref="Numbers"/> decodes into a typed array (not raw bytes).</summary>
    public static bool IsStandardNumber(Hdf5Type type) => type.Class switch
    {
        Hdf5TypeClass.FixedPoint => type.Size is 1 or 2 or 4 or 8,
        Hdf5TypeClass.FloatingPoint => type.Size is 2 or 4 or 8 && !type.IsVaxOrder,
        Hdf5TypeClass.Enum => IsStandardNumber(type.BaseType!),
        _ => false,
    };

    public static string[] FixedStrings(Hdf5Type type, ReadOnlySpan<byte> data, int n)
    {
        var strings = new string[n];
        for (int i = 0; i < n; i++)
        {
            strings[i] = DatatypeParser.DecodeFixedString(data.Slice(i * type.Size, type.Size), type.Padding);
        }

        return strings;
    }

    /// <summary>A variable-length string element: u32 length, then a global heap ID.</summary>
    public static string VariableString(Hdf5File file, Hdf5Type type, ReadOnlySpan<byte> element, string what, ReadBudget budget)
    {
        var (bytes, length) = Sequence(file, type, element, what, budget);
        var span = bytes.Span[..(int)Math.Min(length, bytes.Length)];
        int nul = span.IndexOf((byte)0);
        if (nul >= 0)
        {
            span = span[..nul];
        }

        return Encoding.UTF8.GetString(span);
    }

    /// <summary>The heap bytes of one variable-length element and its declared length (in base elements).</summary>
    private static (ReadOnlyMemory<byte> Bytes, long Length) Sequence(Hdf5File file, Hdf5Type type, ReadOnlySpan<byte> element, string what, ReadBudget budget)
    {
        var storage = file.Storage;
        var r = new FieldReader(element, storage, what + ", variable-length element");
        long length = r.U32();
        long collection = r.Offset();
        uint index = r.U32();
        if (length == 0 || collection == Hdf5Storage.Undefined || collection == 0 && index == 0)
        {
            return (ReadOnlyMemory<byte>.Empty, 0);
        }

        var bytes = file.GlobalHeap.Read(collection, index, what);
        budget.Spend(bytes.Length);
        int baseSize = type.IsVariableLengthString ? 1 : type.BaseType!.Size;
        if (length * baseSize > bytes.Length)
        {
            throw storage.Error($"{what}: a variable-length element claims {length} items but its heap object holds {bytes.Length} bytes.");
        }

        return (bytes, length);
    }

    private static long[] References(Hdf5Type type, ReadOnlySpan<byte> data, long count)
    {
        int size = type.Size;
        var result = new long[count];
        for (int i = 0; i < count; i++)
        {
            var s = data.Slice(i * size, size);
            ulong v = size >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(s) : size >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(s) : 0;
            result[i] = v == ulong.MaxValue || v > long.MaxValue ? Hdf5Storage.Undefined : (long)v;
        }

        return result;
    }

    private static Dictionary<string, object?> Compound(Hdf5File file, Hdf5Type type, ReadOnlySpan<byte> element, string what, ReadBudget budget)
    {
        var result = new Dictionary<string, object?>(type.Members.Count, StringComparer.Ordinal);
        foreach (var m in type.Members)
        {
            result[m.Name] = Member(file, m.Type, element.Slice(m.Offset, m.Type.Size), what, budget);
        }

        return result;
    }

    /// <summary>One value of a compound member: scalars for numbers, strings and references; arrays for array members.</summary>
    private static object? Member(Hdf5File file, Hdf5Type type, ReadOnlySpan<byte> bytes, string what, ReadBudget budget)
    {
        switch (type.Class)
        {
            case Hdf5TypeClass.FixedPoint:
            case Hdf5TypeClass.FloatingPoint:
            case Hdf5TypeClass.Enum:
                {
                    var numberType = type.Class == Hdf5TypeClass.Enum ? type.BaseType! : type;
                    var arr = Numbers(numberType, bytes, 1);
                    return IsStandardNumber(numberType) ? arr.GetValue(0) : arr;
                }

            case Hdf5TypeClass.Reference:
                return type.IsRegionReference ? null : References(type, bytes, 1)[0];
            case Hdf5TypeClass.Compound:
                return Compound(file, type, bytes, what, budget);
            default:
                return Decode(file, type, bytes, 1, true, what, budget);
        }
    }

    private static T[] Build<T>(int n, Func<int, T> f)
    {
        var a = new T[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = f(i);
        }

        return a;
    }

    private static ushort U16(ReadOnlySpan<byte> s, bool big) => big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private static uint U32(ReadOnlySpan<byte> s, bool big) => big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private static ulong U64(ReadOnlySpan<byte> s, bool big) => big ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
}

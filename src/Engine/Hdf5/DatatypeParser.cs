using System.Text;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Decodes the datatype message (0x03, format IV.A.2.d), versions 1 to 3, into an
/// <see cref="Hdf5Type"/>; compound, enumeration, variable-length and array types nest. A shared
/// (committed) datatype is resolved through the object header it lives in.
/// </summary>
internal static class DatatypeParser
{
    private const int MaxDepth = 16;
    private const int MaxMembers = 65535;

    /// <summary>
    /// Decodes a datatype message body, resolving a shared message when <paramref name="shared"/> is set
    /// (the committed datatype's object header comes from the file's header cache, read once however many
    /// datasets and attributes use it).
    /// </summary>
    public static Hdf5Type FromMessage(Hdf5File file, ReadOnlySpan<byte> body, bool shared, string what, int depth = 0)
    {
        var storage = file.Storage;
        if (depth > 4)
        {
            throw storage.Error($"{what}: shared datatypes refer to each other in a loop.");
        }

        if (shared)
        {
            long at = SharedMessage.CommittedAddress(storage, body, what);
            var header = file.Header(at);
            var message = header.Find(MessageType.Datatype) ?? throw storage.Error($"{what}: the committed datatype at {Hdf5Storage.Hex(at)} has no datatype message.");
            return FromMessage(file, message.Body.Span, message.IsShared, what, depth + 1);
        }

        var r = new FieldReader(body, storage, what + ", datatype");
        return Parse(ref r, 0);
    }

    public static Hdf5Type Parse(ref FieldReader r, int depth)
    {
        if (depth > MaxDepth)
        {
            throw r.Error("datatypes are nested too deeply.");
        }

        byte classAndVersion = r.U8();
        int cls = classAndVersion & 0x0F;
        int version = classAndVersion >> 4;
        if (version is < 1 or > 3)
        {
            throw r.Error($"datatype version {version} is not supported (known: 1-3).");
        }

        uint flags = r.U8() | ((uint)r.U8() << 8) | ((uint)r.U8() << 16);
        uint size32 = r.U32();
        if (size32 == 0 || size32 > int.MaxValue)
        {
            throw r.Error($"datatype size {size32} is not valid.");
        }

        int size = (int)size32;
        bool bigEndian = (flags & 1) != 0;
        switch (cls)
        {
            case (int)Hdf5TypeClass.FixedPoint:
                r.Skip(4); // bit offset, bit precision
                return new Hdf5Type(Hdf5TypeClass.FixedPoint, size, bigEndian, (flags & 0x08) != 0);

            case (int)Hdf5TypeClass.FloatingPoint:
                r.Skip(12); // bit offset, precision, exponent and mantissa layout, bias
                bool vax = (flags & 0x41) == 0x41;
                return new Hdf5Type(Hdf5TypeClass.FloatingPoint, size, bigEndian && !vax, true) { IsVaxOrder = vax };

            case (int)Hdf5TypeClass.Time:
                r.Skip(2);
                return new Hdf5Type(Hdf5TypeClass.Time, size, bigEndian, false);

            case (int)Hdf5TypeClass.String:
                return new Hdf5Type(Hdf5TypeClass.String, size, false, false)
                {
                    Padding = Padding((int)(flags & 0x0F), ref r),
                    Utf8 = ((flags >> 4) & 0x0F) == 1,
                };

            case (int)Hdf5TypeClass.Bitfield:
                r.Skip(4);
                return new Hdf5Type(Hdf5TypeClass.Bitfield, size, bigEndian, false);

            case (int)Hdf5TypeClass.Opaque:
                r.Skip((int)(flags & 0xFF)); // ASCII tag, NUL-padded to a multiple of eight bytes
                return new Hdf5Type(Hdf5TypeClass.Opaque, size, false, false);

            case (int)Hdf5TypeClass.Compound:
                return Compound(ref r, version, size, (int)(flags & 0xFFFF), depth);

            case (int)Hdf5TypeClass.Reference:
                {
                    int kind = (int)(flags & 0x0F);
                    return new Hdf5Type(Hdf5TypeClass.Reference, size, false, false) { IsRegionReference = kind != 0 };
                }

            case (int)Hdf5TypeClass.Enum:
                return Enumeration(ref r, version, size, (int)(flags & 0xFFFF), depth);

            case (int)Hdf5TypeClass.VariableLength:
                {
                    bool isString = (flags & 0x0F) == 1;
                    var padding = Padding((int)((flags >> 4) & 0x0F), ref r);
                    bool utf8 = ((flags >> 8) & 0x0F) == 1;
                    var baseType = Parse(ref r, depth + 1);
                    return new Hdf5Type(Hdf5TypeClass.VariableLength, size, false, false)
                    {
                        IsVariableLengthString = isString,
                        Padding = padding,
                        Utf8 = utf8,
                        BaseType = baseType,
                    };
                }

            case (int)Hdf5TypeClass.Array:
                {
                    int rank = r.U8();
                    if (rank == 0 || rank > 32)
                    {
                        throw r.Error($"array datatype rank {rank} is not valid.");
                    }

                    if (version < 3)
                    {
                        r.Skip(3);
                    }

                    var dims = new int[rank];
                    for (int i = 0; i < rank; i++)
                    {
                        dims[i] = r.Bounded(r.U32(), int.MaxValue, "array dimension");
                    }

                    if (version < 3)
                    {
                        r.Skip(4 * rank); // permutation indices
                    }

                    var baseType = Parse(ref r, depth + 1);
                    return new Hdf5Type(Hdf5TypeClass.Array, size, baseType.BigEndian, baseType.Signed) { BaseType = baseType, ArrayDimensions = dims };
                }

            default:
                throw r.Error($"datatype class {cls} is not known.");
        }
    }

    private static Hdf5StringPadding Padding(int value, ref FieldReader r) => value switch
    {
        0 => Hdf5StringPadding.NullTerminate,
        1 => Hdf5StringPadding.NullPad,
        2 => Hdf5StringPadding.SpacePad,
        _ => throw r.Error($"string padding type {value} is not known."),
    };

    private static Hdf5Type Compound(ref FieldReader r, int version, int size, int count, int depth)
    {
        if (count > MaxMembers)
        {
            throw r.Error($"compound datatype claims {count} members.");
        }

        var members = new Hdf5CompoundMember[count];
        int offsetBytes = EncodedSize((ulong)size);
        for (int i = 0; i < count; i++)
        {
            string name = version < 3 ? r.PaddedCString() : r.CString();
            long offset = version < 3 ? r.U32() : r.Count(offsetBytes, "member offset");
            Hdf5Type type;
            if (version == 1)
            {
                int rank = r.U8();
                r.Skip(3 + 4 + 4); // reserved, permutation, reserved
                var dims = new int[4];
                for (int d = 0; d < 4; d++)
                {
                    dims[d] = r.Bounded(r.U32(), int.MaxValue, "member dimension");
                }

                type = Parse(ref r, depth + 1);
                if (rank > 0)
                {
                    if (rank > 4)
                    {
                        throw r.Error($"compound member '{name}' has rank {rank} (at most 4).");
                    }

                    long elements = 1;
                    var used = dims.AsSpan(0, rank).ToArray();
                    foreach (var d in used)
                    {
                        elements = checked(elements * d);
                    }

                    type = new Hdf5Type(Hdf5TypeClass.Array, r.Bounded(elements * type.Size, int.MaxValue, "member size"), type.BigEndian, type.Signed) { BaseType = type, ArrayDimensions = used };
                }
            }
            else
            {
                type = Parse(ref r, depth + 1);
            }

            if (offset < 0 || offset + (long)type.Size > size)
            {
                throw r.Error($"compound member '{name}' at offset {offset} with {type.Size} bytes does not fit in the {size}-byte element.");
            }

            members[i] = new Hdf5CompoundMember(name, (int)offset, type);
        }

        return new Hdf5Type(Hdf5TypeClass.Compound, size, false, false) { Members = members };
    }

    private static Hdf5Type Enumeration(ref FieldReader r, int version, int size, int count, int depth)
    {
        var baseType = Parse(ref r, depth + 1);
        if (baseType.Size != size)
        {
            throw r.Error($"enumeration of {size} bytes has a {baseType.Size}-byte base type.");
        }

        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = version < 3 ? r.PaddedCString() : r.CString();
        }

        var members = new KeyValuePair<string, byte[]>[count];
        for (int i = 0; i < count; i++)
        {
            members[i] = new(names[i], r.Bytes(size).ToArray());
        }

        return new Hdf5Type(Hdf5TypeClass.Enum, size, baseType.BigEndian, baseType.Signed) { BaseType = baseType, EnumMembers = members };
    }

    /// <summary>Bytes HDF5 uses to encode values up to <paramref name="limit"/> (log2(limit) / 8 + 1).</summary>
    public static int EncodedSize(ulong limit)
    {
        int log2 = limit == 0 ? 0 : 63 - System.Numerics.BitOperations.LeadingZeroCount(limit);
        return log2 / 8 + 1;
    }

    /// <summary>Decodes a fixed-length string field by its padding rule.</summary>
    public static string DecodeFixedString(ReadOnlySpan<byte> bytes, Hdf5StringPadding padding)
    {
        int end = bytes.Length;
        int nul = bytes.IndexOf((byte)0);
        if (padding == Hdf5StringPadding.SpacePad)
        {
            if (nul >= 0)
            {
                end = nul;
            }

            while (end > 0 && bytes[end - 1] == (byte)' ')
            {
                end--;
            }
        }
        else if (nul >= 0)
        {
            end = nul;
        }

        return Encoding.UTF8.GetString(bytes[..end]);
    }
}

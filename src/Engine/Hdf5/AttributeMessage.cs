namespace ZarrPartition.Engine.Hdf5;

/// <summary>The attribute message (0x0C), versions 1 to 3: name, datatype, dataspace and the value's bytes.</summary>
internal static class AttributeMessage
{
    public static Hdf5Attribute Parse(Hdf5File file, ReadOnlySpan<byte> body, long creationOrder, string context)
    {
        var storage = file.Storage;
        var r = new FieldReader(body, storage, context + ", attribute message");
        int version = r.U8();
        if (version is < 1 or > 3)
        {
            throw r.Error($"attribute message version {version} is not supported (known: 1-3).");
        }

        int flags = r.U8();
        int nameSize = r.U16();
        int typeSize = r.U16();
        int spaceSize = r.U16();
        if (version == 3)
        {
            r.U8(); // character set of the name
        }

        if (nameSize == 0)
        {
            throw r.Error("an attribute has no name.");
        }

        var nameBytes = r.Bytes(nameSize);
        Skip(ref r, version, nameSize);
        int nul = nameBytes.IndexOf((byte)0);
        string name = System.Text.Encoding.UTF8.GetString(nul >= 0 ? nameBytes[..nul] : nameBytes);
        string what = $"{context}, attribute '{name}'";

        var typeBytes = r.Bytes(typeSize);
        Skip(ref r, version, typeSize);
        var type = DatatypeParser.FromMessage(file, typeBytes, version >= 2 && (flags & 0x01) != 0, what);

        var spaceBytes = r.Bytes(spaceSize);
        Skip(ref r, version, spaceSize);
        if (version >= 2 && (flags & 0x02) != 0)
        {
            throw storage.Error($"{what}: shared dataspaces are not supported.");
        }

        var space = Dataspace.Parse(storage, spaceBytes, what);
        long count = space.ElementCount;
        long bytes = count > 0 ? count * type.Size : 0;
        if (count < 0 || count > r.Remaining || bytes > r.Remaining)
        {
            throw storage.Error($"{what}: the value needs {count} elements of {type.Size} bytes but the message holds {r.Remaining} bytes.");
        }

        var data = r.Bytes((int)bytes).ToArray();
        return new Hdf5Attribute(file, name, type, space.IsScalar || space.IsNull ? [] : space.Dims, space.IsNull, data, creationOrder, what);
    }

    private static void Skip(ref FieldReader r, int version, int size)
    {
        if (version == 1)
        {
            int padded = (size + 7) & ~7;
            r.Skip(Math.Min(padded - size, r.Remaining));
        }
    }
}

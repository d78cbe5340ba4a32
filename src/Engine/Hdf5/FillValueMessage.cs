namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The fill value messages: the old one (0x04, just a size and the value) and the new one (0x05)
/// in versions 1 to 3. Yields the stored value in the dataset's byte order, or null when the file
/// defines none (then unwritten data reads as zeros, as in HDF5's default).
/// </summary>
internal static class FillValueMessage
{
    public static byte[]? Parse(Hdf5Storage storage, ObjectHeader header, int elementSize, string what)
    {
        if (header.Find(MessageType.FillValue) is { } message)
        {
            var r = new FieldReader(message.Body.Span, storage, what + ", fill value message");
            int version = r.U8();
            switch (version)
            {
                case 1:
                case 2:
                    {
                        r.Skip(2); // allocation time, fill write time
                        bool defined = r.U8() != 0;
                        if (version == 1 || defined)
                        {
                            if (r.Remaining < 4)
                            {
                                return null;
                            }

                            return Value(ref r, elementSize);
                        }

                        return null;
                    }

                case 3:
                    {
                        int flags = r.U8();
                        return (flags & 0x20) != 0 ? Value(ref r, elementSize) : null;
                    }

                default:
                    throw r.Error($"fill value message version {version} is not supported (known: 1-3).");
            }
        }

        if (header.Find(MessageType.FillValueOld) is { } old)
        {
            var r = new FieldReader(old.Body.Span, storage, what + ", fill value message (old)");
            return Value(ref r, elementSize);
        }

        return null;
    }

    private static byte[]? Value(ref FieldReader r, int elementSize)
    {
        uint size = r.U32();
        if (size == 0)
        {
            return null;
        }

        if (size != elementSize)
        {
            throw r.Error($"the fill value has {size} bytes but an element has {elementSize}.");
        }

        return r.Bytes((int)size).ToArray();
    }
}

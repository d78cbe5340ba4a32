namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The body of a shared object header message (format IV.A.2, "shared message"): it points either
/// at another object header holding the real message (a committed datatype) or into the file's
/// shared-message heap, which this reader does not support.
/// </summary>
internal static class SharedMessage
{
    public static long CommittedAddress(Hdf5Storage storage, ReadOnlySpan<byte> body, string what)
    {
        var r = new FieldReader(body, storage, what + ", shared message");
        int version = r.U8();
        int type = r.U8();
        switch (version)
        {
            case 1:
                r.Skip(6);
                return r.Offset();
            case 2:
                return r.Offset();
            case 3 when type == 2:
                return r.Offset();
            case 3 when type == 1:
                throw storage.Error($"{what}: messages shared through the file's shared-message heap are not supported.");
            default:
                throw storage.Error($"{what}: shared message version {version}, type {type} is not supported.");
        }
    }
}

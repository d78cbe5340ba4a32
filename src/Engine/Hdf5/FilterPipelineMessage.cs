using System.Text;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>The filter pipeline message (0x0B): version 1 (names padded to eight bytes) and version 2.</summary>
internal static class FilterPipelineMessage
{
    private const int MaxFilters = 32;
    private const int MaxClientValues = 4096;

    public static Hdf5Filter[] Parse(Hdf5Storage storage, ReadOnlySpan<byte> body, string what)
    {
        var r = new FieldReader(body, storage, what + ", filter pipeline");
        int version = r.U8();
        int count = r.U8();
        if (version is not (1 or 2))
        {
            throw r.Error($"filter pipeline version {version} is not supported (known: 1, 2).");
        }

        if (count > MaxFilters)
        {
            throw r.Error($"{count} filters is more than the format allows ({MaxFilters}).");
        }

        if (version == 1)
        {
            r.Skip(6);
        }

        var filters = new Hdf5Filter[count];
        for (int i = 0; i < count; i++)
        {
            int id = r.U16();
            int nameLength = version == 1 || id >= 256 ? r.U16() : 0;
            int flags = r.U16();
            int values = r.U16();
            if (values > MaxClientValues)
            {
                throw r.Error($"filter {id} claims {values} client data values.");
            }

            string name = Hdf5Filter.WellKnownName(id);
            if (nameLength > 0)
            {
                var raw = r.Bytes(nameLength);
                int nul = raw.IndexOf((byte)0);
                var stored = Encoding.UTF8.GetString(nul >= 0 ? raw[..nul] : raw);
                if (stored.Length > 0)
                {
                    name = stored;
                }
            }

            var data = new int[values];
            for (int v = 0; v < values; v++)
            {
                data[v] = unchecked((int)r.U32());
            }

            if (version == 1 && values % 2 == 1)
            {
                r.Skip(Math.Min(4, r.Remaining));
            }

            filters[i] = new Hdf5Filter(id, name, data) { Optional = (flags & 1) != 0 };
        }

        return filters;
    }
}

namespace ZarrPartition.Engine.Hdf5;

/// <summary>The dataspace message (0x01), versions 1 and 2: scalar, simple (with optional maximum sizes) or null.</summary>
internal sealed class Dataspace
{
    public const int MaxRank = 32;

    private Dataspace(long[] dims, long[]? maxDims, bool isScalar, bool isNull)
    {
        Dims = dims;
        MaxDims = maxDims;
        IsScalar = isScalar;
        IsNull = isNull;
    }

    public long[] Dims { get; }

    /// <summary>Maximum sizes (-1 unlimited), or null when the file stores none (then equal to <see cref="Dims"/>).</summary>
    public long[]? MaxDims { get; }

    public bool IsScalar { get; }

    public bool IsNull { get; }

    /// <summary>Number of elements (1 for scalar, 0 for null).</summary>
    public long ElementCount
    {
        get
        {
            if (IsNull)
            {
                return 0;
            }

            long n = 1;
            foreach (var d in Dims)
            {
                n *= d;
            }

            return n;
        }
    }

    public static Dataspace Parse(Hdf5Storage storage, ReadOnlySpan<byte> body, string what)
    {
        var r = new FieldReader(body, storage, what + ", dataspace");
        int version = r.U8();
        int rank = r.U8();
        int flags = r.U8();
        bool isNull = false;
        bool isScalar;
        if (version == 1)
        {
            r.Skip(5);
            isScalar = rank == 0;
        }
        else if (version == 2)
        {
            int type = r.U8();
            switch (type)
            {
                case 0: isScalar = true; break;
                case 1: isScalar = false; break;
                case 2: isScalar = false; isNull = true; break;
                default: throw r.Error($"dataspace type {type} is not known.");
            }
        }
        else
        {
            throw r.Error($"dataspace version {version} is not supported (known: 1, 2).");
        }

        if (rank > MaxRank || (isScalar || isNull) && rank != 0)
        {
            throw r.Error($"dataspace rank {rank} is not valid.");
        }

        var dims = new long[rank];
        long product = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = r.LengthField("dimension size");
            if (dims[i] > 0 && product > 0)
            {
                product = product > long.MaxValue / dims[i] ? throw r.Error("the dataspace holds more than 2^63 elements.") : product * dims[i];
            }
        }

        long[]? max = null;
        if ((flags & 1) != 0 && rank > 0)
        {
            max = new long[rank];
            ulong unlimited = storage.LengthSize == 8 ? ulong.MaxValue : (1UL << (8 * storage.LengthSize)) - 1;
            for (int i = 0; i < rank; i++)
            {
                ulong v = r.UVar(storage.LengthSize);
                max[i] = v == unlimited ? -1 : v > long.MaxValue ? throw r.Error("maximum dimension size out of range.") : (long)v;
            }
        }

        return new Dataspace(dims, max, isScalar, isNull);
    }
}

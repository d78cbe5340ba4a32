using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>Where one variable's values lie in the file: its first byte and the byte step of each dimension.</summary>
internal sealed class NetCdf3VariableLayout
{
    public NetCdf3VariableLayout(Variable variable, NetCdf3Type type, long begin, bool isRecord, long slabBytes, long[] strides)
    {
        Variable = variable;
        Type = type;
        Begin = begin;
        IsRecord = isRecord;
        SlabBytes = slabBytes;
        Strides = strides;
    }

    public Variable Variable { get; }

    public NetCdf3Type Type { get; }

    public int ElementSize => NetCdf3TypeInfo.Size(Type);

    /// <summary>The file offset of the first value (of the first record, for a record variable).</summary>
    public long Begin { get; }

    /// <summary>The first dimension is the record dimension: records are interleaved with the other record variables.</summary>
    public bool IsRecord { get; }

    /// <summary>Unpadded bytes of the whole variable, or of one record of it.</summary>
    public long SlabBytes { get; }

    /// <summary>Bytes between neighbours along each dimension; the record size for a record variable's first.</summary>
    public long[] Strides { get; }
}

namespace ZarrPartition.Engine.Hdf5;

/// <summary>One message of an object header: its type, flags, creation order (-1 when not stored) and body.</summary>
internal readonly record struct HeaderMessage(int Type, byte Flags, int CreationOrder, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body is a reference to a message stored elsewhere (a committed datatype, the shared-message heap).</summary>
    public bool IsShared => (Flags & 0x02) != 0;
}

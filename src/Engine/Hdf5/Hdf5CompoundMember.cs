namespace ZarrPartition.Engine.Hdf5;

/// <summary>One member of a compound datatype: its name, byte offset inside the element, and type.</summary>
public sealed record Hdf5CompoundMember(string Name, int Offset, Hdf5Type Type);

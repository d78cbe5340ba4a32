namespace ZarrPartition.Engine.Hdf5;

/// <summary>A hard link from a group to an object header; <see cref="CreationOrder"/> is -1 when not tracked.</summary>
internal readonly record struct LinkEntry(string Name, long Address, long CreationOrder);

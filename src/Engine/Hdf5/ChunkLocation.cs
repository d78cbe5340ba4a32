namespace ZarrPartition.Engine.Hdf5;

/// <summary>Where one stored chunk lives: its address, stored (filtered) size, and the mask of filters skipped for it.</summary>
internal readonly record struct ChunkLocation(long Address, long Size, uint FilterMask);

namespace ZarrPartition.Engine.Datasets;

public enum SourceKind
{
    Unknown,
    NetCdf3,
    Hdf5,
    Zarr,
    Spec,
}

using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// One output array: the source variable it comes from (as the first source has it), its Zarr metadata,
/// the axis along which sources are joined (-1 if none), whether NetCDF characters become fixed-width
/// strings, and whether it is a coordinate the template writes (never a partition).
/// </summary>
public sealed record ArrayPlan(Variable Variable, ArrayMetadata Metadata, int ConcatAxis, bool Strings, bool IsCoordinate);

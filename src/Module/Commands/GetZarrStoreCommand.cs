using System.Management.Automation;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Describes a Zarr store, or a NetCDF/HDF5 file.</para>
/// <para type="description">For a Zarr store (a folder) Get-ZarrStore returns its format, groups, attributes and arrays: shape, chunks, shards, data type, codecs, fill value, dimension names, attributes and how many chunks are present. For a NetCDF/HDF5 file it returns what ncdump -hs tells: dimensions, variables with type, shape, chunking and filters, and attributes. It reads only.</para>
/// <para type="description">This is 'zarrpartition info'.</para>
/// </summary>
/// <example>
/// <code>Get-ZarrStore -Path ./t2m.zarr | Select-Object -ExpandProperty Arrays</code>
/// <para>Lists the store's arrays with their shapes, chunks and chunks present.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data -Filter *.nc | Get-ZarrStore | Select-Object -ExpandProperty Variables</code>
/// <para>Describes every NetCDF file of a folder and lists their variables.</para>
/// </example>
/// <example>
/// <code>Get-ZarrStore -LiteralPath ./big.zarr -SkipChunkCount</code>
/// <para>Describes a large store without listing its chunks.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ZarrStore", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ZarrStoreInfo), typeof(ZarrSourceInfo))]
public sealed class GetZarrStoreCommand : ZarrCmdlet
{
    /// <summary>A Zarr store (folder) or a NetCDF/HDF5 file. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The store or file, exactly as typed. Get-ChildItem output binds here by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "Store")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Does not count the chunks present (faster for stores with many chunks; ChunksPresent is -1).</summary>
    [Parameter]
    public SwitchParameter SkipChunkCount { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in ResolveInputs(Path, LiteralPath))
        {
            Invoke(new DescribeInvocation(path, !SkipChunkCount.IsPresent));
        }
    }
}

using System.Collections;
using System.Management.Automation;
using ZarrPartition.Module.Completion;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Converts NetCDF/HDF5 files, or a Zarr store, into one Zarr store in this process.</para>
/// <para type="description">ConvertTo-Zarr is the all-in-one for the interactive case: files (concatenated along -ConcatDimension, default the unlimited dimension, else time) go through template, plan, write and completion in this process; one Zarr store alone is copied rechunked, recompressed, v2 to v3 or back, sharded. Attributes, dimension names and CF encodings are kept as xarray reads them. The store is built in a staging folder and moved into place when complete, so a failure never leaves half a store and never loses the store it replaces.</para>
/// <para type="description">Sources come from -Path, -LiteralPath or the pipeline, and are converted together when the input ends. This is 'zarrpartition convert'. It supports -WhatIf and -Confirm; -Force replaces an existing Zarr store.</para>
/// </summary>
/// <example>
/// <code>ConvertTo-Zarr -Path ./data/*.nc -Destination ./t2m.zarr</code>
/// <para>Converts the daily files into one store.</para>
/// </example>
/// <example>
/// <code>ConvertTo-Zarr -LiteralPath ./t2m.zarr -Destination ./t2m-v3.zarr -ZarrFormat 3 -Chunks @{time=24} -Shards @{time=96} -Codec zstd:3</code>
/// <para>Copies a v2 store into a sharded v3 store.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data -Filter *.nc | ConvertTo-Zarr -Destination ./t2m.zarr -Force -MaxMemory 2GB -Verbose</code>
/// <para>Replaces an existing store, with at most 2 GiB of chunk buffers, saying what it decides.</para>
/// </example>
[Cmdlet(VerbsData.ConvertTo, "Zarr", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ZarrConversion))]
public sealed class ConvertToZarrCommand : ZarrCmdlet
{
    private readonly List<string> _sources = [];

    /// <summary>A Zarr store, or NetCDF/HDF5 files (or Zarr stores) to concatenate. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Sources taken exactly as typed. Get-ChildItem output binds here by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The store folder to write.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Store")]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>2 or 3 (default: a Zarr source's own format; 2 for files).</summary>
    [Parameter]
    [ValidateRange(2, 3)]
    public int? ZarrFormat { get; set; }

    /// <summary>The dimension to concatenate files along (default: the unlimited dimension, else time).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ZarrDimensionCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ConcatDimension { get; set; }

    /// <summary>Chunk sizes by dimension, e.g. @{time=24; lat=90} (others keep the source's).</summary>
    [Parameter]
    public Hashtable? Chunks { get; set; }

    /// <summary>Shard sizes by dimension (Zarr v3 only), whole multiples of the chunks.</summary>
    [Parameter]
    public Hashtable? Shards { get; set; }

    /// <summary>blosc:lz4:5, blosc:zstd:3, zstd:3, gzip:6, zlib:1, lz4 or none (default: a Zarr source's compressor; blosc:lz4:5 for files).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Codec { get; set; }

    /// <summary>Chunks encoded at once (default: all cores).</summary>
    [Parameter]
    [Alias("Threads")]
    [ValidateRange(1, 4096)]
    public int ThrottleLimit { get; set; }

    /// <summary>Memory for chunk buffers in bytes, e.g. 2GB (default 1GB).</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long MaxMemory { get; set; }

    /// <summary>Replaces an existing destination, if it is a Zarr store.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() =>
        _sources.AddRange(ResolveInputs(Path, LiteralPath));

    protected override void EndProcessing()
    {
        if (_sources.Count == 0)
        {
            return;
        }

        Invoke(new ConvertInvocation(_sources, ResolveLiteral(Destination), ZarrFormat, ConcatDimension, Chunks, Shards, Codec, ThrottleLimit, MaxMemory, Force.IsPresent));
    }
}

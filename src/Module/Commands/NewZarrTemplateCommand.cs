using System.Collections;
using System.Management.Automation;
using ZarrPartition.Module.Completion;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Writes a Zarr store's metadata and coordinates once, ready for partitions to fill.</para>
/// <para type="description">New-ZarrTemplate reads NetCDF/HDF5 files joined along time (or a Zarr store, or a JSON dataset spec) and writes the store every partition will fill: every array with its dimension names, attributes, CF encodings and fill values as xarray writes them, the coordinates' values, and consolidated metadata, but no data chunk. Chunk sizes not given are computed from -AccessPattern and -TargetChunkMB, aligned to the sources' file lengths.</para>
/// <para type="description">Sources come from -Path (wildcards) or -LiteralPath, or from the pipeline (Get-ChildItem output binds by its PSPath); all of them make one template, written when the input ends. -Append extends an existing store's time axis with the sources' new time steps instead. The template is written into a staging folder and moved into place, so a failure never leaves half a store.</para>
/// <para type="description">This is 'zarrpartition template'. It supports -WhatIf and -Confirm; -Force replaces an existing Zarr store (never another folder).</para>
/// </summary>
/// <example>
/// <code>New-ZarrTemplate -Path ./data/t2m_*.nc -Destination ./t2m.zarr -Chunks @{time=24}</code>
/// <para>Writes the template of the four daily files as one store with 24 time steps per chunk; the other dimensions' chunks are computed.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data -Filter *.nc | New-ZarrTemplate -Destination ./t2m.zarr -ZarrFormat 3 -Shards @{time=96} -Chunks @{time=24} -Codec zstd:3</code>
/// <para>Takes the sources from the pipeline and writes a Zarr v3 store with shards of four chunks each.</para>
/// </example>
/// <example>
/// <code>New-ZarrTemplate -Path ./data/*.nc -Destination ./t2m.zarr -Start 2020-01-01 -End 2020-12-31T23:00 -Frequency 1h -Pack @{t2m='16:180:340'}</code>
/// <para>Lays out a whole year of hourly steps (more than the files cover so far) and packs t2m into 16-bit integers over 180 to 340 K.</para>
/// </example>
/// <example>
/// <code>New-ZarrTemplate -Path ./data/t2m_2020-01-05.nc -Destination ./t2m.zarr -Append -WhatIf</code>
/// <para>Says which time steps would be appended to the existing store, and does nothing.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "ZarrTemplate", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ZarrTemplate))]
public sealed class NewZarrTemplateCommand : ZarrCmdlet
{
    private readonly List<string> _sources = [];

    /// <summary>NetCDF/HDF5 files joined along time, a Zarr store, or a JSON dataset spec. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Sources taken exactly as typed (no wildcards). Get-ChildItem output binds here by its PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The store folder to create (or to extend, with -Append).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Store")]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>The Zarr format: 2 (the default) or 3.</summary>
    [Parameter]
    [ValidateRange(2, 3)]
    public int ZarrFormat { get; set; } = 2;

    /// <summary>Chunk sizes by dimension, e.g. @{time=24; lat=90}; dimensions not named are computed.</summary>
    [Parameter]
    public Hashtable? Chunks { get; set; }

    /// <summary>Shard sizes by dimension (Zarr v3 only), whole multiples of the chunks, e.g. @{time=96}.</summary>
    [Parameter]
    public Hashtable? Shards { get; set; }

    /// <summary>The compressor: blosc:lz4:5 (the default), blosc:zstd:3, zstd:3, gzip:6, zlib:1, lz4 or none.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Codec { get; set; }

    /// <summary>The time dimension (default: the sources' unlimited dimension, else time).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ZarrDimensionCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TimeDimension { get; set; }

    /// <summary>The first time of the axis, e.g. 2000-01-01 (with -End): the axis becomes this range instead of the sources' union.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Start { get; set; }

    /// <summary>The last time of the axis, included when it is on the grid.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? End { get; set; }

    /// <summary>The step of a -Start/-End range: 1h, 6h, 1D, MS, PT1H, P1M ... (default: the sources' step).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Frequency { get; set; }

    /// <summary>The shape of computed chunks: temporal (long time series), spatial (whole maps) or balanced (the default).</summary>
    [Parameter]
    [ValidateSet("temporal", "spatial", "balanced")]
    public string? AccessPattern { get; set; }

    /// <summary>The target size of a computed chunk, in MiB (default 50).</summary>
    [Parameter]
    [ValidateRange(0.001, 65536.0)]
    public double TargetChunkMB { get; set; } = 50;

    /// <summary>Packs float variables into integers: variable = bits (8, 16 or 32), or 'bits:min:max' with the range, e.g. @{t2m=16; sp='16:50000:110000'}.</summary>
    [Parameter]
    public Hashtable? Pack { get; set; }

    /// <summary>Only these variables, with the coordinates they need.</summary>
    [Parameter]
    [Alias("Variables")]
    [ArgumentCompleter(typeof(ZarrVariableCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Variable { get; set; }

    /// <summary>Leaves these variables out.</summary>
    [Parameter]
    [Alias("DropVariables")]
    [ArgumentCompleter(typeof(ZarrVariableCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? DropVariable { get; set; }

    /// <summary>Replaces an existing Zarr store at the destination (never a folder that is not a Zarr store).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Extends the existing store's time axis with the sources' new time steps instead of creating a store.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    protected override void ProcessRecord() =>
        _sources.AddRange(ResolveInputs(Path, LiteralPath));

    protected override void EndProcessing()
    {
        if (_sources.Count == 0)
        {
            return; // every source was reported missing
        }

        Invoke(new NewTemplateInvocation(_sources, ResolveLiteral(Destination), ZarrFormat, Chunks, Shards, Codec, TimeDimension, Start, End, Frequency,
            AccessPattern, TargetChunkMB, Variable, DropVariable, Pack, Force.IsPresent, Append.IsPresent));
    }
}

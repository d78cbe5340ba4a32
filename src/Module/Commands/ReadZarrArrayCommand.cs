using System.Management.Automation;
using ZarrPartition.Module.Completion;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Reads a region of one array as xarray decodes it, with its coordinates.</para>
/// <para type="description">Read-ZarrArray returns the values of a region of one array, masked by _FillValue/missing_value (NaN) and unpacked by scale_factor/add_offset, in C order, with each dimension's coordinate values (CF times as ISO 8601 dates). -Region takes index ranges as text, "time=0:24,lat=10:20" or "time=5" (negative indices count from the end); dimensions not named are read whole. Without -Region the whole array is read, up to -MaxValues values.</para>
/// <para type="description">This is 'zarrpartition read'.</para>
/// </summary>
/// <example>
/// <code>Read-ZarrArray -Path ./t2m.zarr -Variable t2m -Region 'time=0,lat=0:3,lon=0:4'</code>
/// <para>Reads a 3 x 4 corner of the first time step.</para>
/// </example>
/// <example>
/// <code>$p = Get-ZarrPartitionPlan -LiteralPath ./t2m.zarr -WorkerCount 4 | Select-Object -First 1; Read-ZarrArray -LiteralPath $p.Store -Variable t2m -Region $p.Region -MaxValues 100000000</code>
/// <para>Reads back exactly the region a partition owns.</para>
/// </example>
[Cmdlet(VerbsCommunications.Read, "ZarrArray", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ZarrArrayValues))]
public sealed class ReadZarrArrayCommand : ZarrCmdlet
{
    /// <summary>The Zarr store to read from. Wildcards are expanded and must match one store.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The store, exactly as typed. Objects with a Store or PSPath property bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "Store")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>The array to read (its path in the store).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(ZarrVariableCompleter))]
    [ValidateNotNullOrEmpty]
    public string Variable { get; set; } = "";

    /// <summary>Index ranges by dimension, e.g. 'time=0:24,lat=10:20' or 'time=5'; dimensions not named are read whole.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    /// <summary>Chunks decoded at once (default: all cores).</summary>
    [Parameter]
    [Alias("Threads")]
    [ValidateRange(1, 4096)]
    public int ThrottleLimit { get; set; }

    /// <summary>The most values read without -Region (default 10,000,000); larger arrays need a region or a larger limit.</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long MaxValues { get; set; }

    protected override void ProcessRecord()
    {
        if (ResolveInput(Path, LiteralPath) is { } store)
        {
            Invoke(new ReadInvocation(store, Variable, Region, ThrottleLimit, MaxValues));
        }
    }
}

using System.Management.Automation;
using ZarrPartition.Module.Completion;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Computes count, missing values, minimum, maximum, mean and standard deviation of a store's arrays.</para>
/// <para type="description">Measure-ZarrArray reads every chunk of the arrays in parallel, under a thread and memory budget, and measures their values as xarray decodes them (masked by _FillValue/missing_value, unpacked by scale_factor/add_offset). A chunk absent from the store counts as fill value. The result does not depend on the number of threads. It emits one ZarrArrayStatistics per array.</para>
/// <para type="description">This is 'zarrpartition stats'.</para>
/// </summary>
/// <example>
/// <code>Measure-ZarrArray -Path ./t2m.zarr</code>
/// <para>Measures every data variable of the store.</para>
/// </example>
/// <example>
/// <code>Measure-ZarrArray -LiteralPath ./t2m.zarr -Variable t2m -MaxMemory 512MB | Format-List</code>
/// <para>Measures one array with at most 512 MiB of chunk buffers.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Measure, "ZarrArray", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ZarrArrayStatistics))]
public sealed class MeasureZarrArrayCommand : ZarrCmdlet
{
    /// <summary>The Zarr store to measure. Wildcards are expanded; every store found is measured.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The store, exactly as typed. Objects with a Store or PSPath property bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "Store")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Only these arrays (paths in the store; default: every numeric data variable).</summary>
    [Parameter(Position = 1)]
    [Alias("Variables")]
    [ArgumentCompleter(typeof(ZarrVariableCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Variable { get; set; }

    /// <summary>Chunks decoded at once (default: all cores).</summary>
    [Parameter]
    [Alias("Threads")]
    [ValidateRange(1, 4096)]
    public int ThrottleLimit { get; set; }

    /// <summary>Memory for chunk buffers in bytes, e.g. 2GB (default 1GB); limits the threads when chunks are large.</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long MaxMemory { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var store in ResolveInputs(Path, LiteralPath))
        {
            Invoke(new MeasureInvocation(store, Variable, ThrottleLimit, MaxMemory));
        }
    }
}

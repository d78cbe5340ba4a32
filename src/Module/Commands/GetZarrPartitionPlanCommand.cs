using System.Management.Automation;
using ZarrPartition.Module.Completion;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Splits a store's chunks into partitions that independent workers write with no locks, and emits one object per partition.</para>
/// <para type="description">Get-ZarrPartitionPlan plans the writes into a store made by New-ZarrTemplate: partitions that each own whole chunks, disjoint, together owning every chunk of every data variable exactly once. It writes the plan as JSON (the same file 'zarrpartition write' and SLURM tasks read) and emits one ZarrPlannedPartition per partition, whose properties are all primitive: pipe them to Write-ZarrPartition directly, through ForEach-Object -Parallel, or through ConvertTo-Json, Export-Clixml or Start-Job; they still bind by property name (PlanPath, Index, PartitionId).</para>
/// <para type="description">The plan file goes to -OutFile, else next to the store (STORE.plan.json; STORE.incomplete.plan.json with -Incomplete), where every worker of a fan-out can read it. Give -WorkerCount (the number of workers), -MaxMemory (partitions sized to fit a worker's memory), or both. The plan's advice is written as warnings.</para>
/// <para type="description">This is 'zarrpartition plan'.</para>
/// </summary>
/// <example>
/// <code>Get-ZarrPartitionPlan -Path ./t2m.zarr -WorkerCount 4 -Source ./data/*.nc | Write-ZarrPartition</code>
/// <para>Plans four partitions reading the daily files and writes them one after another in this session.</para>
/// </example>
/// <example>
/// <code>Get-ZarrPartitionPlan -LiteralPath ./t2m.zarr -MaxMemory 2GB -Source ./data/*.nc -OutFile ./t2m.plan.json | ForEach-Object -Parallel { $_ | Write-ZarrPartition } -ThrottleLimit 4</code>
/// <para>Sizes partitions for 2 GiB workers and writes them in four runspaces at once.</para>
/// </example>
/// <example>
/// <code>Get-ZarrPartitionPlan -LiteralPath ./t2m.zarr -WorkerCount 64 -Dimension 'time', 'lat' -Strategy xpartition | ConvertTo-Json | Set-Content ./partitions.json</code>
/// <para>Plans 64 partitions along time and latitude; the objects are saved as JSON, and ConvertFrom-Json gives objects that bind to Write-ZarrPartition again.</para>
/// </example>
/// <example>
/// <code>Get-ZarrPartitionPlan -LiteralPath ./t2m.zarr -WorkerCount 4 -Source ./data/*.nc -Incomplete | Write-ZarrPartition</code>
/// <para>After failures: plans only the partitions with chunks no journal records as written, and writes them.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "ZarrPartitionPlan", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ZarrPlannedPartition))]
public sealed class GetZarrPartitionPlanCommand : ZarrCmdlet
{
    private int _stores;

    /// <summary>The store (made by New-ZarrTemplate) to plan writes into. Wildcards are expanded and must match one store.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The store, exactly as typed. New-ZarrTemplate's output binds here by its Store property.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "Store")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>The number of workers: at most this many partitions per chunking.</summary>
    [Parameter]
    [Alias("Ranks")]
    [ValidateRange(1, 1000000)]
    public int WorkerCount { get; set; }

    /// <summary>A worker's memory in bytes (e.g. 2GB): sizes the partitions (without -WorkerCount) and each writer's threads.</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long MaxMemory { get; set; }

    /// <summary>Dimensions to split along, in order of preference (default: the time dimension).</summary>
    [Parameter]
    [Alias("Dims")]
    [ArgumentCompleter(typeof(ZarrDimensionCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Dimension { get; set; }

    /// <summary>Source files to place on the store's time axis; each partition lists the files and slabs it reads. Wildcards are expanded.</summary>
    [Parameter]
    [Alias("Sources")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Source { get; set; }

    /// <summary>balanced (the default: the split with the smallest largest partition) or xpartition (xpartition's regions).</summary>
    [Parameter]
    [ValidateSet("balanced", "xpartition")]
    public string? Strategy { get; set; }

    /// <summary>Only these data variables.</summary>
    [Parameter]
    [Alias("Variables")]
    [ArgumentCompleter(typeof(ZarrVariableCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Variable { get; set; }

    /// <summary>Threads per writer (default: all cores, or what -MaxMemory allows).</summary>
    [Parameter]
    [Alias("Threads")]
    [ValidateRange(1, 4096)]
    public int ThrottleLimit { get; set; }

    /// <summary>Plans only partitions with chunks the store's journals do not record as written (after failures).</summary>
    [Parameter]
    public SwitchParameter Incomplete { get; set; }

    /// <summary>Where to write the plan JSON (default: next to the store, STORE.plan.json).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    protected override void ProcessRecord()
    {
        if (ResolveInput(Path, LiteralPath) is not { } store)
        {
            return;
        }

        if (OutFile is not null && ++_stores > 1)
        {
            Report(new Runtime.ZarrErrorInfo(Runtime.ModuleErrors.OutFileForOneStore, "InvalidArgument", store,
                "-OutFile names one plan file, but more than one store came down the pipeline. Leave -OutFile out (each plan goes next to its store) or plan one store at a time.",
                new ArgumentException(OutFile), Terminating: true));
        }

        var sources = Source is null ? null : ResolveExisting(Source, literal: false);
        Invoke(new PlanInvocation(store, ResolveLiteral(OutFile), Dimension, WorkerCount, MaxMemory, sources, Strategy, Variable, ThrottleLimit, Incomplete.IsPresent));
    }
}

using System.Management.Automation;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Reports a store's partitions: complete, running (or whose writer is gone), failed, interrupted, never started.</para>
/// <para type="description">Test-ZarrStore reads the partition journals in a store and reports every partition's standing, the chunks still missing, the time steps no source covers, stale temporary files, and whether Complete-ZarrStore has run. With -PlanPath, partitions of the plan that never started are reported too, and the store counts as complete only when every partition of the plan is. With -Quiet it returns only $true or $false. It reads only.</para>
/// <para type="description">This is 'zarrpartition status'.</para>
/// </summary>
/// <example>
/// <code>Test-ZarrStore -LiteralPath ./t2m.zarr -PlanPath ./t2m.zarr.plan.json</code>
/// <para>Shows how many of the plan's partitions are complete and which are not.</para>
/// </example>
/// <example>
/// <code>if (-not (Test-ZarrStore -LiteralPath ./t2m.zarr -PlanPath ./t2m.zarr.plan.json -Quiet)) { Get-ZarrPartitionPlan -LiteralPath ./t2m.zarr -WorkerCount 4 -Incomplete | Write-ZarrPartition }</code>
/// <para>Writes again only what is missing when the store is not complete.</para>
/// </example>
/// <example>
/// <code>(Test-ZarrStore -Path ./t2m.zarr).PartitionStates | Where-Object State -eq 'Failed' | Format-Table -Property 'Index', 'ErrorId', 'Error'</code>
/// <para>Lists the failed partitions with the errors their journals recorded.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "ZarrStore", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ZarrStoreStatus), typeof(bool))]
public sealed class TestZarrStoreCommand : ZarrCmdlet
{
    /// <summary>The store being written. Wildcards are expanded; every store found is tested.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The store, exactly as typed. Objects with a Store or PSPath property bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "Store")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The plan: its partitions that never started are reported too.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? PlanPath { get; set; }

    /// <summary>Returns only whether the store is complete ($true or $false).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        var plan = ResolveLiteral(PlanPath);
        foreach (var store in ResolveInputs(Path, LiteralPath))
        {
            Invoke(new TestStoreInvocation(store, plan, Quiet.IsPresent));
        }
    }
}

using System.Management.Automation;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Finishes a written store: consolidates its metadata, removes stale temporary files and marks it complete.</para>
/// <para type="description">Complete-ZarrStore runs once every partition is complete. It refuses while partitions are incomplete (the error names them) unless -Force is given, in which case their chunks read as the fill value and a warning says so. With -PlanPath it checks every partition of the plan, including those never started.</para>
/// <para type="description">This is 'zarrpartition finalize'. It supports -WhatIf and -Confirm; it writes nothing to the pipeline unless -PassThru is given.</para>
/// </summary>
/// <example>
/// <code>Complete-ZarrStore -LiteralPath ./t2m.zarr -PlanPath ./t2m.zarr.plan.json -PassThru</code>
/// <para>Checks the plan's partitions, consolidates the metadata and reports what was done.</para>
/// </example>
/// <example>
/// <code>Complete-ZarrStore -Path ./t2m.zarr -Force -Confirm:$false</code>
/// <para>Finishes the store even though some partitions are incomplete, without asking.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Complete, "ZarrStore", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ZarrStoreCompletion))]
public sealed class CompleteZarrStoreCommand : ZarrCmdlet
{
    /// <summary>The store to finish. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The store, exactly as typed. Objects with a Store or PSPath property bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "Store")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The plan, to check that every partition of it is complete.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlanPath { get; set; }

    /// <summary>Finishes the store even with incomplete partitions.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emits a ZarrStoreCompletion for the finished store.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var plan = ResolveLiteral(PlanPath);
        foreach (var store in ResolveInputs(Path, LiteralPath))
        {
            Invoke(new CompleteStoreInvocation(store, plan, Force.IsPresent, PassThru.IsPresent));
        }
    }
}

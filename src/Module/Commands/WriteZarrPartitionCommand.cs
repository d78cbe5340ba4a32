using System.Management.Automation;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Module.Invocations;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// <para type="synopsis">Writes one partition of a plan: whole chunks, atomically, resumable, journaled in the store.</para>
/// <para type="description">Write-ZarrPartition writes every chunk a partition owns, assembled from the source slabs the plan lists, encoded, and written atomically (a temporary file, then a rename). Its journal in the store records each chunk, so a partition interrupted (Ctrl+C, a killed job) resumes where it stopped and ends with the same bytes as an uninterrupted run; a complete partition is not written again unless -Force is given. I/O errors are retried with exponential backoff.</para>
/// <para type="description">It takes the partitions Get-ZarrPartitionPlan emits, by property name (PlanPath, Index, PartitionId), also after ConvertTo-Json/ConvertFrom-Json, Export-Clixml/Import-Clixml or Start-Job/Receive-Job. Without -Index the partition is the array task's: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX. A partition that fails is a non-terminating error (the next one is written); a missing store or a damaged or replaced plan stops the command.</para>
/// <para type="description">This is 'zarrpartition write'. It supports -WhatIf and -Confirm; it writes nothing to the pipeline unless -PassThru is given.</para>
/// </summary>
/// <example>
/// <code>Get-ZarrPartitionPlan -LiteralPath ./t2m.zarr -WorkerCount 4 -Source ./data/*.nc | Write-ZarrPartition -PassThru</code>
/// <para>Writes the four partitions one after another and reports each.</para>
/// </example>
/// <example>
/// <code>Write-ZarrPartition -PlanPath ./t2m.zarr.plan.json -Index 2 -MaxMemory 4GB -Verify</code>
/// <para>Writes partition 2 with a 4 GiB memory budget and reads every chunk back to compare it.</para>
/// </example>
/// <example>
/// <code>Import-Clixml ./partitions.xml | Write-ZarrPartition -ErrorAction Stop</code>
/// <para>Writes partitions saved with Export-Clixml; the deserialized objects bind by property name.</para>
/// </example>
/// <example>
/// <code>pwsh -NonInteractive -Command 'Write-ZarrPartition -PlanPath /scratch/t2m.zarr.plan.json -ErrorAction Stop'</code>
/// <para>In a SLURM array task: the partition is SLURM_ARRAY_TASK_ID.</para>
/// </example>
[Cmdlet(VerbsCommunications.Write, "ZarrPartition", DefaultParameterSetName = PlanSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ZarrPartitionResult))]
public sealed class WriteZarrPartitionCommand : ZarrCmdlet
{
    private const string PlanSet = "Plan";

    private readonly PlanCache _plans = new();

    /// <summary>The plan file written by Get-ZarrPartitionPlan (or 'zarrpartition plan').</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PlanSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string PlanPath { get; set; } = "";

    /// <summary>The partition to write (default: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX).</summary>
    [Parameter(Position = 1, ParameterSetName = PlanSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Rank")]
    [ValidateRange(0, int.MaxValue)]
    public int? Index { get; set; }

    /// <summary>The partition's id as planned; when given (as it is from the pipeline), the plan file must still hold that partition, else the write is refused (PlanChanged).</summary>
    [Parameter(ParameterSetName = PlanSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? PartitionId { get; set; }

    /// <summary>Chunks encoded at once (default: the plan's, else all cores).</summary>
    [Parameter]
    [Alias("Threads")]
    [ValidateRange(1, 4096)]
    public int ThrottleLimit { get; set; }

    /// <summary>Keeps this writer's memory under this many bytes, e.g. 2GB (limits its threads).</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long MaxMemory { get; set; }

    /// <summary>Retries of a failed chunk write, with exponential backoff and jitter (default 3).</summary>
    [Parameter]
    [Alias("Retries")]
    [ValidateRange(0, 100)]
    public int RetryCount { get; set; } = 3;

    /// <summary>Reads every chunk back and compares it with what was written.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>Writes a complete partition again (otherwise it is left as it is).</summary>
    [Parameter]
    [Alias("Overwrite")]
    public SwitchParameter Force { get; set; }

    /// <summary>Also writes chunks that are entirely fill value (by default they are skipped; the journal still records them).</summary>
    [Parameter]
    public SwitchParameter WriteEmptyChunks { get; set; }

    /// <summary>For packed variables, values outside the packing range: Error (the default) or Clip (with a warning).</summary>
    [Parameter]
    public OutOfRangeAction OutOfRange { get; set; } = OutOfRangeAction.Error;

    /// <summary>Emits a ZarrPartitionResult for every partition written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() =>
        Invoke(new WriteInvocation(ResolveLiteral(PlanPath), Index, PartitionId, ThrottleLimit, MaxMemory, RetryCount, Verify.IsPresent, Force.IsPresent,
            WriteEmptyChunks.IsPresent, OutOfRange, PassThru.IsPresent) { Plans = _plans });
}

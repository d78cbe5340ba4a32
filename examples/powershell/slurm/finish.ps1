# SLURM step 3 (one task, after the array): checks every partition of the plan and finishes the store.
#   pwsh -NoProfile -NonInteractive -File finish.ps1 -Store /scratch/t2m.zarr
param(
    [Parameter(Mandatory)] [string] $Store,
    [string] $PlanPath = "$Store.plan.json"
)

$ErrorActionPreference = 'Stop'
Import-Module -Name ZarrPartition
$status = Test-ZarrStore -LiteralPath $Store -PlanPath $PlanPath
if (-not $status.Complete) {
    $status.PartitionStates | Where-Object -Property State -NE -Value 'Complete' | Format-Table
    Write-Host "incomplete partitions: $($status.IncompletePartitions -join ','); resubmit them with: sbatch --array=$($status.IncompletePartitions -join ',') write.sbatch"
    exit 1
}

Complete-ZarrStore -LiteralPath $Store -PlanPath $PlanPath -Confirm:$false -ErrorAction Stop
Measure-ZarrArray -LiteralPath $Store | Format-Table
exit 0

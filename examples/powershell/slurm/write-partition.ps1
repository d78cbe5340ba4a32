# SLURM step 2 (an array task per partition): writes partition SLURM_ARRAY_TASK_ID of the plan.
#   pwsh -NoProfile -NonInteractive -File write-partition.ps1 -PlanPath /scratch/t2m.zarr.plan.json
# A rerun of a failed or killed task resumes from the partition's journal.
param(
    [Parameter(Mandatory)] [string] $PlanPath,
    [long] $MaxMemory = 4294967296 # 4GB (tree-sitter-powershell 0.26 cannot parse size suffixes in parameter defaults)
)

$ErrorActionPreference = 'Stop'
Import-Module -Name ZarrPartition
try {
    # no -Index: the partition is SLURM_ARRAY_TASK_ID
    Write-ZarrPartition -PlanPath $PlanPath -MaxMemory $MaxMemory -RetryCount 5 -ErrorAction Stop -PassThru | Format-List
    exit 0
}
catch {
    Write-Host "partition $env:SLURM_ARRAY_TASK_ID failed [$($_.FullyQualifiedErrorId)]: $($_.Exception.Message)"
    exit 1
}

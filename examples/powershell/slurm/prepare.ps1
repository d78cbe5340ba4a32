# SLURM step 1 (one task): the template and the plan, next to the store on the shared file system.
#   pwsh -NoProfile -NonInteractive -File prepare.ps1 -Source /scratch/era5 -Store /scratch/t2m.zarr -Workers 64
param(
    [Parameter(Mandatory)] [string] $Source,
    [Parameter(Mandatory)] [string] $Store,
    [Parameter(Mandatory)] [int] $Workers,
    [long] $MaxMemory = 4294967296 # 4GB (tree-sitter-powershell 0.26 cannot parse size suffixes in parameter defaults)
)

$ErrorActionPreference = 'Stop'
Import-Module -Name ZarrPartition
$files = Join-Path $Source '*.nc'
New-ZarrTemplate -Path $files -Destination $Store -Chunks @{ time = 24 } -Force -ErrorAction Stop | Out-Null
$partitions = Get-ZarrPartitionPlan -LiteralPath $Store -WorkerCount $Workers -MaxMemory $MaxMemory -Source $files -ErrorAction Stop
# the array size for step 2
"$($partitions.Count)" | Set-Content -LiteralPath "$Store.partitions"

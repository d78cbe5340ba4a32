# Fan-out in one process: four runspaces of ForEach-Object -Parallel write four partitions of one
# store at once. Each partition owns whole chunks, so the writers need no locks; the module keeps no
# mutable state, so its one loaded copy serves every runspace.
param(
    [string] $OutDir = (Join-Path ([System.IO.Path]::GetTempPath()) 'zarrpartition-parallel'),
    [int] $ThrottleLimit = 4
)

. (Join-Path $PSScriptRoot 'Import-ZarrPartitionExample.ps1')
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$store = Join-Path $OutDir 't2m.zarr'
$sources = Join-Path $SampleData '*.nc'

New-ZarrTemplate -Path $sources -Destination $store -Chunks @{ time = 24 } -Force | Out-Null
$partitions = Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount $ThrottleLimit -Source $sources -OutFile (Join-Path $OutDir 'plan.json')

# each runspace imports the module (cheap: the assembly is loaded once per process)
$manifest = Join-Path (Get-Module -Name ZarrPartition).ModuleBase 'ZarrPartition.psd1'

# the partition objects are immutable and primitive-typed: safe to hand to other runspaces
$results = $partitions | ForEach-Object -Parallel {
    Import-Module -Name $using:manifest
    $_ | Write-ZarrPartition -ThrottleLimit 2 -PassThru
} -ThrottleLimit $ThrottleLimit

$results | Sort-Object -Property Index | Format-Table
Test-ZarrStore -LiteralPath $store -PlanPath (Join-Path $OutDir 'plan.json')
Complete-ZarrStore -LiteralPath $store -PlanPath (Join-Path $OutDir 'plan.json')
Get-ZarrStore -LiteralPath $store | Select-Object -ExpandProperty Arrays

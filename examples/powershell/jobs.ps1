# Fan-out over processes with Start-Job: the partitions travel serialised (Start-Job's arguments,
# Export-Clixml, ConvertTo-Json) and come back as Deserialized.ZarrPartition.Module.ZarrPlannedPartition
# property bags, which still bind to Write-ZarrPartition by property name (PlanPath, Index, PartitionId).
param(
    [string] $OutDir = (Join-Path ([System.IO.Path]::GetTempPath()) 'zarrpartition-jobs')
)

. (Join-Path $PSScriptRoot 'Import-ZarrPartitionExample.ps1')
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$store = Join-Path $OutDir 't2m.zarr'
$sources = Join-Path $SampleData '*.nc'
$manifest = Join-Path (Get-Module -Name ZarrPartition).ModuleBase 'ZarrPartition.psd1'

New-ZarrTemplate -Path $sources -Destination $store -Chunks @{ time = 24 } -Force | Out-Null
$partitions = Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount 4 -Source $sources

# 1. as job arguments: each job gets two partitions
$jobs = 0, 2 | ForEach-Object {
    Start-Job -ArgumentList $manifest, $partitions[$_], $partitions[$_ + 1] -ScriptBlock {
        param($Manifest, $First, $Second)
        Import-Module -Name $Manifest
        $First, $Second | Write-ZarrPartition -PassThru
    }
}
$jobs | Wait-Job | Receive-Job | Format-Table
$jobs | Remove-Job

# 2. through a file, as a later session or another machine would read them
$partitions | Export-Clixml -LiteralPath (Join-Path $OutDir 'partitions.xml')
Import-Clixml -LiteralPath (Join-Path $OutDir 'partitions.xml') | Write-ZarrPartition -PassThru | Format-Table # already complete: no-ops

# 3. as JSON (e.g. handed to another scheduler)
$partitions | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $OutDir 'partitions.json')
Get-Content -Raw -LiteralPath (Join-Path $OutDir 'partitions.json') | ConvertFrom-Json | Write-ZarrPartition -PassThru | Format-Table # no-ops too

Test-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath
Complete-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath -PassThru

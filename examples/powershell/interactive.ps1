# An interactive session on the sample data (four daily NetCDF-4 files of hourly 2 m temperature):
# look at the sources, write the store in four partitions, check it, finish it, read it back.
# Run it line by line, or as a whole: pwsh -File examples/powershell/interactive.ps1 [-OutDir ./out]
param(
    [string] $OutDir = (Join-Path ([System.IO.Path]::GetTempPath()) 'zarrpartition-interactive')
)

. (Join-Path $PSScriptRoot 'Import-ZarrPartitionExample.ps1')
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$store = Join-Path $OutDir 't2m.zarr'

# What is in the files? (Get-ZarrStore describes NetCDF/HDF5 files as well as Zarr stores)
Get-ChildItem -LiteralPath $SampleData -Filter '*.nc' | Get-ZarrStore | Select-Object -ExpandProperty Variables | Format-Table

# 1. The store's metadata and coordinates, once; -Chunks takes a hashtable
$template = New-ZarrTemplate -Path (Join-Path $SampleData '*.nc') -Destination $store -Chunks @{ time = 24 } -Force
$template

# 2. Four partitions, each owning whole chunks; the plan JSON goes next to the store
$partitions = $template | Get-ZarrPartitionPlan -WorkerCount 4 -Source (Join-Path $SampleData '*.nc')
$partitions | Format-Table

# 3. Write them (one after another here; see parallel.ps1 for runspaces)
$partitions | Write-ZarrPartition -PassThru | Format-Table

# 4. Complete? Then consolidate and mark the store finished
Test-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath
Complete-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath -PassThru

# 5. Read it back as xarray would: statistics, and the region one partition owns
Measure-ZarrArray -LiteralPath $store -Variable 't2m'
$values = Read-ZarrArray -LiteralPath $store -Variable 't2m' -Region $partitions[0].Region
'{0} values of {1}, first {2}' -f $values.Values.Count, $values.Variable, $values.Values[0]

# The same in one command, for small jobs
ConvertTo-Zarr -Path (Join-Path $SampleData '*.nc') -Destination (Join-Path $OutDir 't2m-oneshot.zarr') -Chunks @{ time = 48 } -Force -Verbose

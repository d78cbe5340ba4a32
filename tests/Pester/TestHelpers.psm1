# Shared by the Pester specs of ZarrPartition. The specs run in a fresh pwsh against the staged module
# (build.ps1 sets ZARRPARTITION_MODULE to out/ZarrPartition/ZarrPartition.psd1).

function Import-ZarrPartitionUnderTest {
    $manifest = if ($env:ZARRPARTITION_MODULE) { $env:ZARRPARTITION_MODULE } else { Join-Path $PSScriptRoot '..' '..' 'out' 'ZarrPartition' 'ZarrPartition.psd1' }
    Import-Module -Name $manifest -Force -ErrorAction Stop
    return $manifest
}

# Copies the four sample NetCDF files into a folder of the test drive and returns it.
function New-SampleData {
    param([Parameter(Mandatory)] [string] $Root)
    $data = Join-Path $Root 'data'
    New-Item -ItemType Directory -Force -Path $data | Out-Null
    Copy-Item -Path (Join-Path $PSScriptRoot '..' '..' 'examples' 'data' 'netcdf' '*.nc') -Destination $data
    return $data
}

# A template of the sample data, written and planned in four partitions; returns the partitions.
function New-PlannedStore {
    param([Parameter(Mandatory)] [string] $Root, [int] $Workers = 4)
    $data = New-SampleData -Root $Root
    $store = Join-Path $Root 't2m.zarr'
    New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination $store -Chunks @{ time = 24 } -Force | Out-Null
    Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount $Workers -Source (Join-Path $data '*.nc')
}

Export-ModuleMember -Function 'Import-ZarrPartitionUnderTest', 'New-SampleData', 'New-PlannedStore'

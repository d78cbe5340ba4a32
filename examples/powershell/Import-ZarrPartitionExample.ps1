# Dot-sourced by the examples: imports the staged module (dotnet publish src/Module -c Release)
# unless ZarrPartition is already loaded, and says where the sample data are.
# Set ZARRPARTITION_MODULE to a manifest to use another copy.
$ErrorActionPreference = 'Stop'
if (-not (Get-Module -Name ZarrPartition)) {
    $manifest = if ($env:ZARRPARTITION_MODULE) {
        $env:ZARRPARTITION_MODULE
    }
    else {
        Join-Path $PSScriptRoot '..' '..' 'out' 'ZarrPartition' 'ZarrPartition.psd1'
    }

    if (Test-Path -LiteralPath $manifest) {
        Import-Module -Name $manifest
    }
    else {
        Import-Module -Name ZarrPartition # installed in $env:PSModulePath
    }
}

$SampleData = Join-Path $PSScriptRoot '..' 'data' 'netcdf'

# Module manifest of ZarrPartition: binary cmdlets over the ZarrPartition engine.
# A restricted literal hashtable: tests/Module.Tests parse it and check every export against the
# cmdlet classes found in ZarrPartition.dll. The build takes its version from ModuleVersion.
@{
    RootModule           = 'ZarrPartition.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'f38c96e9-eab0-4092-a815-0060ca84aab0'
    Author               = 'ZarrPartition contributors'
    CompanyName          = 'ZarrPartition'
    Copyright            = '(c) ZarrPartition contributors. All rights reserved.'
    Description          = 'Turns collections of NetCDF/HDF5 files and Zarr stores into one Zarr store, written by independent partitions: New-ZarrTemplate, Get-ZarrPartitionPlan, Write-ZarrPartition, Test-ZarrStore, Complete-ZarrStore, and ConvertTo-Zarr for the one-process case.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    RequiredAssemblies   = @('ZarrPartition.Engine.dll')
    FormatsToProcess     = @('ZarrPartition.Format.ps1xml')
    CmdletsToExport      = @(
        'New-ZarrTemplate'
        'Get-ZarrPartitionPlan'
        'Write-ZarrPartition'
        'Test-ZarrStore'
        'Complete-ZarrStore'
        'Get-ZarrStore'
        'Read-ZarrArray'
        'Measure-ZarrArray'
        'ConvertTo-Zarr'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('Zarr', 'NetCDF', 'HDF5', 'xarray', 'HPC', 'SLURM', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
        }
    }
}

# A nightly job, for a scheduler (cron, systemd timer, Windows Task Scheduler):
#   pwsh -NoProfile -NonInteractive -File examples/powershell/scheduled-task.ps1 -Source /data/incoming -Store /data/t2m.zarr
# Nothing may prompt: ConfirmImpact is Medium (no prompt at the default $ConfirmPreference) and -Force
# replaces what must be replaced. -ErrorAction Stop turns every error into an exception, so the script
# ends with exit code 1 and the scheduler sees the failure; relative paths resolve against $PWD.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Source,
    [Parameter(Mandatory)] [string] $Store,
    [int] $Workers = 4,
    [long] $MaxMemory = 2147483648 # 2GB (tree-sitter-powershell 0.26 cannot parse size suffixes in parameter defaults)
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Import-ZarrPartitionExample.ps1')

try {
    $files = Join-Path $Source '*.nc'
    if (Test-Path -LiteralPath $Store) {
        # extend the time axis with the new days (a warning, and no output, when there is nothing new)
        New-ZarrTemplate -Path $files -Destination $Store -Append -ErrorAction Stop | Out-Null
    }
    else {
        New-ZarrTemplate -Path $files -Destination $Store -Chunks @{ time = 24 } -ErrorAction Stop | Out-Null
    }

    # write only what no journal records as written: a rerun after a failure resumes
    $plan = Get-ZarrPartitionPlan -LiteralPath $Store -WorkerCount $Workers -MaxMemory $MaxMemory -Source $files -Incomplete -ErrorAction Stop
    $manifest = Join-Path (Get-Module -Name ZarrPartition).ModuleBase 'ZarrPartition.psd1'
    $plan | ForEach-Object -Parallel {
        Import-Module -Name $using:manifest
        $_ | Write-ZarrPartition -ErrorAction Stop
    } -ThrottleLimit $Workers

    if (-not (Test-ZarrStore -LiteralPath $Store -Quiet)) {
        throw "Partitions of $Store are incomplete; see Test-ZarrStore -LiteralPath $Store."
    }

    Complete-ZarrStore -LiteralPath $Store -Confirm:$false -ErrorAction Stop
    Write-Host "done: $Store"
    exit 0
}
catch {
    # the error id says what went wrong (StoreNotFound, PartitionsIncomplete, WriteFailed, ...)
    Write-Error -ErrorRecord $_ -ErrorAction Continue
    Write-Host "failed [$($_.FullyQualifiedErrorId)]: $($_.Exception.Message)"
    exit 1
}

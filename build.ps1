#Requires -Version 7.4
<#
.SYNOPSIS
    Builds and stages the ZarrPartition module, runs the xunit tests, then the Pester suite in a fresh pwsh.

.DESCRIPTION
    For people who have PowerShell; the build machines have none and run only the dotnet steps (see
    .ci/run). Staging is the 'StageModule' target of src/Module, run by 'dotnet publish': it copies an
    explicit allow-list into out/ZarrPartition/. The Pester suite runs in a new pwsh process against the
    staged module, because a loaded binary module cannot be unloaded.

.EXAMPLE
    ./build.ps1
    Build, stage, run the xunit tests of the module and then the Pester suite.

.EXAMPLE
    ./build.ps1 -SkipTests
    Build and stage only; Import-Module ./out/ZarrPartition/ZarrPartition.psd1 to try it.

.EXAMPLE
    ./build.ps1 -Tag 'Unit', 'Parallel' -AllXunit
    Run every xunit project of the solution (minutes) and only the Pester specs tagged Unit or Parallel.
#>
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Stage only: no xunit, no Pester.
    [switch] $SkipTests,

    # Run the whole solution's xunit tests, not only tests/Module.Tests.
    [switch] $AllXunit,

    # Pester tags to run (default: all).
    [string[]] $Tag
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath exited with $LASTEXITCODE"
    }
}

Push-Location $root
try {
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', 'ZarrPartition.sln', '-c', $Configuration)
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('publish', 'src/Module', '-c', $Configuration)
    $staged = Join-Path $root 'out' 'ZarrPartition' 'ZarrPartition.psd1'
    Write-Host "Staged: $staged"
    if ($SkipTests) {
        return
    }

    if (-not (Test-Path -LiteralPath (Join-Path $root 'tests' 'interop' 'js' 'node_modules'))) {
        Invoke-Native -FilePath 'npm' -ArgumentList @('ci', '--prefix', 'tests/interop/js', '--no-audit', '--no-fund')
    }

    $xunit = if ($AllXunit) { 'ZarrPartition.sln' } else { 'tests/Module.Tests' }
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('test', $xunit, '-c', $Configuration, '--no-build')

    # Pester in a fresh process, against the staged module
    $pester = @"
`$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.5
`$env:ZARRPARTITION_MODULE = '$staged'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests' 'Pester')'
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $root 'out' 'pester.xml')'
$(if ($Tag) { "`$config.Filter.Tag = @('$($Tag -join "','")')" })
Invoke-Pester -Configuration `$config
"@
    Invoke-Native -FilePath 'pwsh' -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', $pester)
}
finally {
    Pop-Location
}

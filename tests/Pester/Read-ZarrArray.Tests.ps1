#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
    $data = New-SampleData -Root $TestDrive
    $store = Join-Path $TestDrive 't2m.zarr'
    ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination $store | Out-Null
}

Describe 'Read-ZarrArray' -Tag 'Unit' {
    It 'reads a region with its coordinates' {
        $v = Read-ZarrArray -LiteralPath $store -Variable 't2m' -Region 'time=0:2,lat=0:3,lon=5'
        $v | Should -BeOfType 'ZarrPartition.Module.ZarrArrayValues'
        $v.Shape | Should -Be @(2, 3, 1)
        $v.Values.Count | Should -Be 6
        $v.Coordinates[0].Times[0] | Should -BeLike '2020-01-01*'
    }

    It 'reads the region a planned partition owns' {
        $p = Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount 4 | Select-Object -First 1
        $v = Read-ZarrArray -LiteralPath $p.Store -Variable 't2m' -Region $p.Region -MaxValues 100000000
        $v.Start[0] | Should -Be 0
    }

    It 'rejects a malformed region (terminating, InvalidRegion)' {
        { Read-ZarrArray -Path $store -Variable 't2m' -Region 'time=' } | Should -Throw -ErrorId 'InvalidRegion'
    }

    It 'completes variable names' {
        $line = "Read-ZarrArray -LiteralPath '$store' -Variable t"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 't2m'
    }
}

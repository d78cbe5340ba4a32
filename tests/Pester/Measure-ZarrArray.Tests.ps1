#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
    $data = New-SampleData -Root $TestDrive
    $store = Join-Path $TestDrive 't2m.zarr'
    ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination $store | Out-Null
}

Describe 'Measure-ZarrArray' -Tag 'Unit' {
    It 'measures every data variable' {
        $s = Measure-ZarrArray -LiteralPath $store
        $s[0] | Should -BeOfType 'ZarrPartition.Module.ZarrArrayStatistics'
        ($s | Where-Object -Property Name -EQ -Value 't2m').Count | Should -BeGreaterThan 0
    }

    It 'measures one variable with the same result whatever the threads' {
        $one = Measure-ZarrArray -LiteralPath $store -Variable 't2m' -ThrottleLimit 1
        $four = Measure-ZarrArray -LiteralPath $store -Variable 't2m' -ThrottleLimit 4 -MaxMemory 64MB
        $four.Mean | Should -Be $one.Mean
        $four.Std | Should -Be $one.Std
    }

    It 'reports an unknown variable per store (non-terminating UnknownVariable)' {
        Measure-ZarrArray -LiteralPath $store -Variable 'nope' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownVariable*'
    }
}

#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
    $data = New-SampleData -Root $TestDrive
}

Describe 'ConvertTo-Zarr' -Tag 'Unit' {
    It 'converts files into one store' {
        $c = ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination (Join-Path $TestDrive 'a.zarr') -Chunks @{ time = 48 }
        $c | Should -BeOfType 'ZarrPartition.Module.ZarrConversion'
        $c.ZarrFormat | Should -Be 2
        ((Get-ZarrStore -LiteralPath $c.Store).Arrays | Where-Object -Property Name -EQ -Value 't2m').Chunks[0] | Should -Be 48
    }

    It 'copies a store into sharded v3' {
        $src = (ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination (Join-Path $TestDrive 'b.zarr')).Store
        $c = ConvertTo-Zarr -LiteralPath $src -Destination (Join-Path $TestDrive 'b3.zarr') -ZarrFormat 3 -Chunks @{ time = 24 } -Shards @{ time = 48 }
        $c.ZarrFormat | Should -Be 3
    }

    It 'writes nothing under -WhatIf' {
        ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination (Join-Path $TestDrive 'w.zarr') -WhatIf | Should -BeNullOrEmpty
        Join-Path $TestDrive 'w.zarr' | Should -Not -Exist
    }

    It 'refuses to replace a store without -Force' {
        $dest = Join-Path $TestDrive 'c.zarr'
        ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination $dest | Out-Null
        { ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination $dest } | Should -Throw -ErrorId 'DestinationExists'
        (ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination $dest -Force).Store | Should -Be $dest
    }
}

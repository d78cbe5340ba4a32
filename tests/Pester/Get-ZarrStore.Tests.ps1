#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
    $data = New-SampleData -Root $TestDrive
    $store = Join-Path $TestDrive 't2m.zarr'
    ConvertTo-Zarr -Path (Join-Path $data '*.nc') -Destination $store | Out-Null
}

Describe 'Get-ZarrStore' -Tag 'Unit' {
    It 'describes a store and its arrays' {
        $s = Get-ZarrStore -LiteralPath $store
        $s | Should -BeOfType 'ZarrPartition.Module.ZarrStoreInfo'
        $t2m = $s.Arrays | Where-Object -Property Name -EQ -Value 't2m'
        $t2m.Dimensions | Should -Be @('time', 'lat', 'lon')
        $t2m.ChunksPresent | Should -Be $t2m.ChunkCount
    }

    It 'describes NetCDF files from Get-ChildItem' {
        $files = Get-ChildItem -LiteralPath $data -Filter '*.nc' | Get-ZarrStore
        $files.Count | Should -Be 4
        $files[0] | Should -BeOfType 'ZarrPartition.Module.ZarrSourceInfo'
        $files[0].Variables.Name | Should -Contain 't2m'
    }

    It 'skips counting chunks with -SkipChunkCount' {
        (Get-ZarrStore -Path $store -SkipChunkCount).Arrays[0].ChunksPresent | Should -Be -1
    }

    It 'expands wildcards and reports what matches nothing' {
        @(Get-ZarrStore -Path (Join-Path $TestDrive '*.zarr')).Count | Should -Be 1
        Get-ZarrStore -Path (Join-Path $TestDrive 'nothing*') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
    }

    It 'rejects paths of other providers' {
        { Get-ZarrStore -LiteralPath 'Env:PATH' } | Should -Throw -ErrorId 'NotFileSystemPath'
    }
}

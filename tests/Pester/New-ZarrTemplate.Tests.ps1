#Requires -Modules Pester
# Specs of New-ZarrTemplate. Require pwsh 7.4 and Pester 5; run by build.ps1 against the staged module.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
    $data = New-SampleData -Root $TestDrive
}

Describe 'New-ZarrTemplate' -Tag 'Unit' {
    It 'writes a template from wildcard sources and emits a ZarrTemplate' {
        $t = New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination (Join-Path $TestDrive 'a.zarr') -Chunks @{ time = 24 }
        $t | Should -BeOfType 'ZarrPartition.Module.ZarrTemplate'
        $t.TimeSteps | Should -Be 96
        $t.Chunks | Should -Match 'time=24'
        Join-Path $TestDrive 'a.zarr' '.zmetadata' | Should -Exist
    }

    It 'takes sources from Get-ChildItem by PSPath and makes one template of all of them' {
        $t = Get-ChildItem -LiteralPath $data -Filter '*.nc' | New-ZarrTemplate -Destination (Join-Path $TestDrive 'b.zarr')
        @($t).Count | Should -Be 1
        $t.TimeSteps | Should -Be 96
    }

    It 'resolves relative paths against the current location, not the process directory' {
        Push-Location $TestDrive
        try {
            $t = New-ZarrTemplate -Path './data/*.nc' -Destination './relative.zarr'
            $t.Store | Should -Be (Join-Path $TestDrive 'relative.zarr')
        }
        finally {
            Pop-Location
        }
    }

    It 'writes nothing and emits nothing under -WhatIf' {
        $t = New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination (Join-Path $TestDrive 'whatif.zarr') -WhatIf
        $t | Should -BeNullOrEmpty
        Join-Path $TestDrive 'whatif.zarr' | Should -Not -Exist
    }

    It 'refuses an existing store without -Force (terminating, DestinationExists) and replaces it with -Force' {
        $dest = Join-Path $TestDrive 'c.zarr'
        New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination $dest | Out-Null
        { New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination $dest } | Should -Throw -ErrorId 'DestinationExists'
        (New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination $dest -Force).Store | Should -Be $dest
    }

    It 'rejects a bad -Chunks hashtable with InvalidDimensionSizes' {
        { New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination (Join-Path $TestDrive 'd.zarr') -Chunks @{ time = 0 } } | Should -Throw -ErrorId 'InvalidDimensionSizes'
    }

    It 'reports a missing source as PathNotFound' {
        New-ZarrTemplate -Path (Join-Path $TestDrive 'nothing-*.nc') -Destination (Join-Path $TestDrive 'e.zarr') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
    }

    It 'appends new time steps with -Append' {
        $dest = Join-Path $TestDrive 'f.zarr'
        New-ZarrTemplate -LiteralPath (Get-ChildItem -LiteralPath $data -Filter '*.nc' | Select-Object -First 2).FullName -Destination $dest | Out-Null
        $t = New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination $dest -Append
        $t.Appended | Should -BeTrue
        $t.TimeSteps | Should -Be 96
    }

    It 'completes variable names of the sources' {
        $line = "New-ZarrTemplate -Path '$(Join-Path $data 't2m_2020-01-01.nc')' -Destination x -Variable t"
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 't2m'
    }
}

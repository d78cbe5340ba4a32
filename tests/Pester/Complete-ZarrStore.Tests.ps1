#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
}

Describe 'Complete-ZarrStore' -Tag 'Unit' {
    BeforeEach {
        $partitions = New-PlannedStore -Root (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
        $store = $partitions[0].Store
        $plan = $partitions[0].PlanPath
    }

    It 'refuses while partitions are incomplete (PartitionsIncomplete names them)' {
        $partitions[0] | Write-ZarrPartition
        { Complete-ZarrStore -LiteralPath $store -PlanPath $plan -ErrorAction Stop } | Should -Throw -ErrorId 'PartitionsIncomplete'
    }

    It 'finishes a complete store and emits nothing without -PassThru' {
        $partitions | Write-ZarrPartition
        Complete-ZarrStore -LiteralPath $store -PlanPath $plan | Should -BeNullOrEmpty
        (Test-ZarrStore -LiteralPath $store).Finalized | Should -BeTrue
    }

    It 'reports what it did with -PassThru' {
        $partitions | Write-ZarrPartition
        $c = Complete-ZarrStore -Path $store -PlanPath $plan -PassThru
        $c | Should -BeOfType 'ZarrPartition.Module.ZarrStoreCompletion'
        $c.Partitions | Should -Be 4
        $c.Forced | Should -BeFalse
    }

    It 'finishes an incomplete store with -Force and a warning' {
        $partitions[0] | Write-ZarrPartition
        $c = Complete-ZarrStore -LiteralPath $store -PlanPath $plan -Force -PassThru -WarningVariable warn -WarningAction SilentlyContinue
        $c.Forced | Should -BeTrue
        $warn | Should -Not -BeNullOrEmpty
    }

    It 'does nothing under -WhatIf' {
        $partitions | Write-ZarrPartition
        Complete-ZarrStore -LiteralPath $store -PlanPath $plan -WhatIf
        (Test-ZarrStore -LiteralPath $store).Finalized | Should -BeFalse
    }
}

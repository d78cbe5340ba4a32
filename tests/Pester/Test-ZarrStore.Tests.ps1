#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
    $partitions = New-PlannedStore -Root $TestDrive
    $store = $partitions[0].Store
    $plan = $partitions[0].PlanPath
}

Describe 'Test-ZarrStore' -Tag 'Unit' {
    It 'reports never-started partitions of the plan' {
        $s = Test-ZarrStore -LiteralPath $store -PlanPath $plan
        $s | Should -BeOfType 'ZarrPartition.Module.ZarrStoreStatus'
        $s.Complete | Should -BeFalse
        $s.IncompletePartitions | Should -Be @(0, 1, 2, 3)
        $s.PartitionStates.State | Should -Be @('NotStarted', 'NotStarted', 'NotStarted', 'NotStarted')
    }

    It 'returns only a bool with -Quiet' {
        Test-ZarrStore -LiteralPath $store -PlanPath $plan -Quiet | Should -BeFalse
        $partitions | Write-ZarrPartition
        Test-ZarrStore -LiteralPath $store -PlanPath $plan -Quiet | Should -BeTrue
    }

    It 'takes stores from the pipeline by the Store property' {
        ($partitions[0] | Test-ZarrStore).Store | Should -Be $store
    }

    It 'reports a missing store as a non-terminating StoreNotFound and goes on with the next' {
        $r = Test-ZarrStore -LiteralPath (Join-Path $TestDrive 'none.zarr'), $store -ErrorVariable err -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotFound*'
        $err[0].TargetObject | Should -Be (Join-Path $TestDrive 'none.zarr')
    }
}

#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
    $data = New-SampleData -Root $TestDrive
    $store = Join-Path $TestDrive 't2m.zarr'
    New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination $store -Chunks @{ time = 24 } | Out-Null
}

Describe 'Get-ZarrPartitionPlan' -Tag 'Unit' {
    It 'emits one object per partition and writes the plan next to the store' {
        $p = Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount 4 -Source (Join-Path $data '*.nc')
        $p.Count | Should -Be 4
        $p[0] | Should -BeOfType 'ZarrPartition.Module.ZarrPlannedPartition'
        $p.Index | Should -Be @(0, 1, 2, 3)
        $p[0].PlanPath | Should -Be "$store.plan.json"
        $p[0].PlanPath | Should -Exist
        $p[0].Region | Should -Match '^time=0:'
    }

    It 'writes the plan to -OutFile' {
        $p = Get-ZarrPartitionPlan -Path $store -WorkerCount 2 -OutFile (Join-Path $TestDrive 'plan.json')
        $p[0].PlanPath | Should -Be (Join-Path $TestDrive 'plan.json')
    }

    It 'binds the Store property of New-ZarrTemplate output' {
        $p = New-ZarrTemplate -Path (Join-Path $data '*.nc') -Destination (Join-Path $TestDrive 'chain.zarr') | Get-ZarrPartitionPlan -WorkerCount 2
        $p.Count | Should -Be 2
    }

    It 'sizes partitions by -MaxMemory' {
        $p = Get-ZarrPartitionPlan -LiteralPath $store -MaxMemory 1MB
        $p.Count | Should -BeGreaterThan 1
        $p | ForEach-Object { $_.EstimatedBytes | Should -BeLessOrEqual 1MB }
    }

    It 'writes the advice as warnings' {
        Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount 64 -WarningVariable warn -WarningAction SilentlyContinue | Out-Null
        $warn | Should -Not -BeNullOrEmpty
    }

    It 'needs -WorkerCount or -MaxMemory (terminating, RanksOrMemory)' {
        { Get-ZarrPartitionPlan -LiteralPath $store } | Should -Throw -ErrorId 'RanksOrMemory'
    }

    It 'reports a path that is not a store (StoreNotFound)' {
        { Get-ZarrPartitionPlan -LiteralPath $TestDrive -WorkerCount 2 } | Should -Throw -ErrorId 'StoreNotFound'
    }

    It 'plans only what is missing with -Incomplete, into its own file' {
        $all = Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount 4 -Source (Join-Path $data '*.nc')
        $all[0], $all[3] | Write-ZarrPartition
        $rest = Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount 4 -Source (Join-Path $data '*.nc') -Incomplete
        $rest.Count | Should -Be 2
        $rest[0].PlanPath | Should -Be "$store.incomplete.plan.json"
    }

    It 'completes dimension names of the store' {
        $line = "Get-ZarrPartitionPlan -LiteralPath '$store' -Dimension l"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('lat', 'lon')
    }
}

#Requires -Modules Pester
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ZarrPartitionUnderTest | Out-Null
}

Describe 'Write-ZarrPartition' -Tag 'Unit' {
    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $partitions = New-PlannedStore -Root $root
        $store = $partitions[0].Store
    }

    It 'writes every partition from the pipeline and emits nothing without -PassThru' {
        $out = $partitions | Write-ZarrPartition
        $out | Should -BeNullOrEmpty
        (Test-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath).Complete | Should -BeTrue
    }

    It 'emits a ZarrPartitionResult per partition with -PassThru' {
        $r = $partitions | Write-ZarrPartition -PassThru
        $r.Count | Should -Be 4
        $r[0] | Should -BeOfType 'ZarrPartition.Module.ZarrPartitionResult'
        $r | ForEach-Object { $_.Written | Should -Be $_.Chunks }
    }

    It 'leaves a complete partition alone unless -Force' {
        $partitions[1] | Write-ZarrPartition
        ($partitions[1] | Write-ZarrPartition -PassThru).AlreadyComplete | Should -BeTrue
        ($partitions[1] | Write-ZarrPartition -Force -PassThru).AlreadyComplete | Should -BeFalse
    }

    It 'writes nothing under -WhatIf' {
        $partitions | Write-ZarrPartition -WhatIf
        (Test-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath).CompletePartitions | Should -Be 0
    }

    It 'takes -PlanPath and -Index by name, and the rank from SLURM_ARRAY_TASK_ID without -Index' {
        Write-ZarrPartition -PlanPath $partitions[0].PlanPath -Index 2
        $env:SLURM_ARRAY_TASK_ID = '3'
        try {
            (Write-ZarrPartition -PlanPath $partitions[0].PlanPath -PassThru).Index | Should -Be 3
        }
        finally {
            Remove-Item -Path Env:SLURM_ARRAY_TASK_ID
        }
    }

    It 'refuses a partition whose plan file was replaced (terminating, PlanChanged)' {
        Get-ZarrPartitionPlan -LiteralPath $store -WorkerCount 2 | Out-Null
        { $partitions[1] | Write-ZarrPartition -ErrorAction Stop } | Should -Throw -ErrorId 'PlanChanged'
    }

    It 'reports an index outside the plan as a non-terminating RankOutOfRange and goes on' {
        $r = Write-ZarrPartition -PlanPath $partitions[0].PlanPath -Index 9 -ErrorVariable err -ErrorAction SilentlyContinue -PassThru
        $r | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RankOutOfRange*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'fails one partition whose source is gone (non-terminating) and writes the others' {
        Remove-Item -LiteralPath $partitions[2].Sources[0]
        $r = $partitions | Write-ZarrPartition -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -BeGreaterOrEqual 1
        $r.Count | Should -BeGreaterOrEqual 2
        (Test-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath).PartitionStates.State | Should -Contain 'Failed'
    }

    It 'reports progress that completes' {
        $ProgressPreference = 'Continue'
        $partitions[0] | Write-ZarrPartition -Force
        # progress records go to the host; this only checks that writing progress does not fail off the pipeline thread
        $true | Should -BeTrue
    }
}

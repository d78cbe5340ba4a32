#Requires -Modules Pester
# The partition pipeline through serialisation, runspaces, jobs and a non-interactive process.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifest = Import-ZarrPartitionUnderTest
}

Describe 'Partitions through serialisation' -Tag 'Integration' {
    BeforeEach {
        $partitions = New-PlannedStore -Root (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
        $store = $partitions[0].Store
    }

    It 'binds after ConvertTo-Json and ConvertFrom-Json' {
        $partitions | ConvertTo-Json | ConvertFrom-Json | Write-ZarrPartition
        Test-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath -Quiet | Should -BeTrue
    }

    It 'binds after Export-Clixml and Import-Clixml' {
        $file = Join-Path $TestDrive 'p.xml'
        $partitions | Export-Clixml -LiteralPath $file
        $back = Import-Clixml -LiteralPath $file
        $back[0].PSTypeNames[0] | Should -Be 'Deserialized.ZarrPartition.Module.ZarrPlannedPartition'
        $back | Write-ZarrPartition
        Test-ZarrStore -LiteralPath $store -PlanPath $partitions[0].PlanPath -Quiet | Should -BeTrue
    }
}

Describe 'Fan-out' -Tag 'Parallel' {
    It 'writes one store from four ForEach-Object -Parallel runspaces' {
        $partitions = New-PlannedStore -Root (Join-Path $TestDrive 'parallel')
        $r = $partitions | ForEach-Object -Parallel {
            Import-Module -Name $using:manifest
            $_ | Write-ZarrPartition -PassThru
        } -ThrottleLimit 4
        $r.Count | Should -Be 4
        Test-ZarrStore -LiteralPath $partitions[0].Store -PlanPath $partitions[0].PlanPath -Quiet | Should -BeTrue
    }

    It 'writes partitions passed to Start-Job and back through Receive-Job' {
        $partitions = New-PlannedStore -Root (Join-Path $TestDrive 'jobs')
        $job = Start-Job -ArgumentList $manifest, $partitions -ScriptBlock {
            param($Manifest, $Partitions)
            Import-Module -Name $Manifest
            $Partitions | Select-Object -First 2 | Write-ZarrPartition -PassThru
        }
        $done = $job | Wait-Job | Receive-Job
        $job | Remove-Job
        $done.Count | Should -Be 2
        $done[0].PSTypeNames[0] | Should -Be 'Deserialized.ZarrPartition.Module.ZarrPartitionResult'
        # results and plans that came back from the job bind again
        $partitions | Select-Object -Skip 2 | Write-ZarrPartition
        Test-ZarrStore -LiteralPath $partitions[0].Store -PlanPath $partitions[0].PlanPath -Quiet | Should -BeTrue
    }

    It 'imports in many runspaces without state leaking between them' {
        $counts = 1..8 | ForEach-Object -Parallel {
            Import-Module -Name $using:manifest
            (Get-Command -Module ZarrPartition).Count
        } -ThrottleLimit 8
        $counts | Sort-Object -Unique | Should -Be 9
    }
}

Describe 'Non-interactive use' -Tag 'NonInteractive' {
    It 'runs the scheduled-task example with -NonInteractive and exits 0, then 1 on a bad store' {
        $root = Join-Path $TestDrive 'scheduled'
        $data = New-SampleData -Root $root
        $script = Join-Path $PSScriptRoot '..' '..' 'examples' 'powershell' 'scheduled-task.ps1'
        $env:ZARRPARTITION_MODULE = $manifest
        pwsh -NoProfile -NonInteractive -File $script -Source $data -Store (Join-Path $root 't2m.zarr') | Out-Null
        $LASTEXITCODE | Should -Be 0
        pwsh -NoProfile -NonInteractive -File $script -Source (Join-Path $root 'missing') -Store (Join-Path $root 'x.zarr') | Out-Null
        $LASTEXITCODE | Should -Be 1
    }

    It 'never prompts at the default confirmation preference' {
        $partitions = New-PlannedStore -Root (Join-Path $TestDrive 'noprompt')
        $cmd = "Import-Module '$manifest'; Write-ZarrPartition -PlanPath '$($partitions[0].PlanPath)' -Index 0 -ErrorAction Stop; exit 0"
        pwsh -NoProfile -NonInteractive -Command $cmd | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
}

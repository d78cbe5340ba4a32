namespace ZarrPartition.Module;

/// <summary>
/// One partition of a plan, as Get-ZarrPartitionPlan emits it: everything Write-ZarrPartition needs to
/// find it again (PlanPath, Index, PartitionId) and what it owns, all in primitive-typed properties so
/// that the object still binds by property name after ConvertTo-Json/ConvertFrom-Json,
/// Export-Clixml/Import-Clixml or Start-Job/Receive-Job. Region is half-open index ranges in the
/// form Read-ZarrArray's -Region takes ("time=0:96,lat=0:721").
/// </summary>
public sealed record ZarrPlannedPartition(
    string PlanPath,
    string Store,
    string PartitionId,
    int Index,
    int Count,
    string Region,
    string[] Variables,
    long Chunks,
    long EstimatedBytes,
    int Threads,
    long PeakMemoryBytes,
    string[] Sources,
    string Strategy);

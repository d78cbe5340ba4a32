namespace ZarrPartition.Module.Runtime;

/// <summary>What one call of a cmdlet's operation stands for, which decides whether its failure ends the cmdlet.</summary>
public enum ErrorScope
{
    /// <summary>The whole command (a template, a plan, a conversion): every failure is terminating.</summary>
    Whole,

    /// <summary>One store of several (Get-ZarrStore, Test-ZarrStore, ...): a failure is that store's; bad parameters end the cmdlet.</summary>
    Store,

    /// <summary>One partition of a plan (Write-ZarrPartition): a failure is that partition's; a bad store or plan, or bad parameters, end the cmdlet.</summary>
    Partition,
}

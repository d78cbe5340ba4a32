namespace ZarrPartition.Engine.Writing;

/// <summary>Where a partition stands, as its journal records it.</summary>
public enum PartitionState
{
    /// <summary>No journal: never started.</summary>
    NotStarted,

    /// <summary>A writer is (or was, if its process is gone) at work.</summary>
    Running,

    /// <summary>Every chunk written.</summary>
    Complete,

    /// <summary>Stopped by an error, which the journal names.</summary>
    Failed,

    /// <summary>Cancelled (Ctrl+C, SIGTERM) between chunks.</summary>
    Interrupted,
}

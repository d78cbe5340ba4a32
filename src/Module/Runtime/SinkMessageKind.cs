namespace ZarrPartition.Module.Runtime;

/// <summary>What a <see cref="SinkMessage"/> is.</summary>
internal enum SinkMessageKind
{
    Verbose,
    Warning,
    Progress,
    ShouldProcess,
}

using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Module.Runtime;

/// <summary>The module's own error ids (the engine's come with its exceptions), and the errors that carry them.</summary>
public static class ModuleErrors
{
    public const string InvalidDimensionSizes = "InvalidDimensionSizes";
    public const string InvalidPackTable = "InvalidPackTable";
    public const string NotFileSystemPath = "NotFileSystemPath";
    public const string OutFileForOneStore = "OutFileForOneStore";
    public const string PlanChanged = "PlanChanged";
    public const string PathNotFound = "PathNotFound";

    public static ZarrPartitionException Create(string errorId, ErrorKind kind, string? target, string message) => new(errorId, kind, target, message);
}

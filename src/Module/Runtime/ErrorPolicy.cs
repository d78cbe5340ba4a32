using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Module.Runtime;

/// <summary>
/// Maps what an operation threw onto an error record: the engine's error id and target, its kind as an
/// ErrorCategory name, and whether it terminates the cmdlet. Per-item failures (a partition, one of
/// several stores) go on; bad parameters, a bad store or plan under Write-ZarrPartition, and anything
/// in a whole-command cmdlet stop it. Unexpected exceptions stop it too, with an id that says so.
/// </summary>
public static class ErrorPolicy
{
    /// <summary>Errors in what the user typed: every input would fail the same way, so they stop the cmdlet.</summary>
    public static readonly IReadOnlySet<string> ParameterErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "InvalidRegion", "InvalidByteSize", "InvalidDimensionMap", "InvalidPackSpec", "InvalidStrategy", "InvalidRanks",
        "RanksOrMemory", "InvalidThreads", "InvalidZarrFormat", "InvalidOutOfRange", "NoRank", "InvalidRank",
        "InvalidAccessPattern", "InvalidTargetChunkSize", "InvalidTimeRange", "IncompleteTimeRange", "VariablesAndDrop",
        "ForceAndAppend", "RepeatedDimension", "ShardingNeedsV3", "RegionTooLarge",
        ModuleErrors.InvalidDimensionSizes, ModuleErrors.InvalidPackTable, ModuleErrors.NotFileSystemPath, ModuleErrors.OutFileForOneStore,
    };

    /// <summary>Errors of the store or the plan that every partition written into it shares: they stop Write-ZarrPartition.</summary>
    public static readonly IReadOnlySet<string> StoreErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "StoreNotFound", "NotAZarrStore", "InvalidMetadata", "UnsupportedDataType", "UnknownField", "UnsupportedCodec",
        "InvalidPlan", "PlanNotReadable", "ArrayNotInStore", "StoreNotWritable", "RegionNotAligned", ModuleErrors.PlanChanged,
    };

    /// <summary>ErrorKind → ErrorCategory name (every name is a member of System.Management.Automation.ErrorCategory).</summary>
    public static string Category(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => "InvalidArgument",
        ErrorKind.InvalidData => "InvalidData",
        ErrorKind.ObjectNotFound => "ObjectNotFound",
        ErrorKind.ResourceExists => "ResourceExists",
        ErrorKind.ReadError => "ReadError",
        ErrorKind.WriteError => "WriteError",
        ErrorKind.PermissionDenied => "PermissionDenied",
        ErrorKind.NotSupported => "NotImplemented",
        ErrorKind.OperationStopped => "OperationStopped",
        ErrorKind.ResourceUnavailable => "ResourceUnavailable",
        _ => "NotSpecified",
    };

    public static ZarrErrorInfo Map(Exception exception, ErrorScope scope)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var e = OperationPump.Unwrap(exception);
        switch (e)
        {
            case ZarrPartitionException z:
            {
                var category = z.ErrorId == "PartitionBusy" ? "ResourceBusy" : Category(z.Kind);
                bool terminating = scope == ErrorScope.Whole
                    || ParameterErrors.Contains(z.ErrorId)
                    || (scope == ErrorScope.Partition && StoreErrors.Contains(z.ErrorId));
                return new ZarrErrorInfo(z.ErrorId, category, z.Target, z.Message, z, terminating);
            }

            case UnauthorizedAccessException:
                return new ZarrErrorInfo("AccessDenied", "PermissionDenied", null, e.Message, e, scope == ErrorScope.Whole);
            case IOException:
                return new ZarrErrorInfo("IOError", "ResourceUnavailable", null, e.Message, e, scope == ErrorScope.Whole);
            case OperationCanceledException:
                return new ZarrErrorInfo("OperationStopped", "OperationStopped", null, "Stopped between chunks; every chunk written is complete.", e, true);
            default:
                return new ZarrErrorInfo("UnexpectedError", "NotSpecified", null,
                    $"{e.GetType().Name}: {e.Message} (this is a bug in ZarrPartition; please report it with the command that caused it).", e, true);
        }
    }
}

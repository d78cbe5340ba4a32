namespace ZarrPartition.Engine.Errors;

/// <summary>
/// What went wrong, in the coarse categories callers act on. The PowerShell module maps these
/// onto ErrorCategory; the CLI maps them onto exit codes.
/// </summary>
public enum ErrorKind
{
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ResourceExists,
    ReadError,
    WriteError,
    PermissionDenied,
    NotSupported,
    OperationStopped,
    ResourceUnavailable,
}

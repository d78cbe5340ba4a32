namespace ZarrPartition.Module.Runtime;

/// <summary>
/// An ErrorRecord before it is one: a stable error id, the name of its ErrorCategory, the target it
/// concerns, the message (which says what to do), the exception, and whether the cmdlet stops
/// (ThrowTerminatingError) or goes on with its next input (WriteError).
/// </summary>
public sealed record ZarrErrorInfo(string ErrorId, string Category, string? Target, string Message, Exception Exception, bool Terminating);

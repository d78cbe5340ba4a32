using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using ZarrPartition.Module.Invocations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Commands;

/// <summary>
/// What every ZarrPartition cmdlet shares, and the only code here that touches PowerShell beyond the
/// parameter declarations: provider path resolution (relative to the session's location, never the
/// process directory), running an <see cref="IInvocation"/> through <see cref="OperationPump"/> with
/// this cmdlet as the pipeline host, writing its objects, and turning failures into ErrorRecords as
/// <see cref="ErrorPolicy"/> says. StopProcessing cancels the running operation.
/// </summary>
public abstract class ZarrCmdlet : PSCmdlet, IDisposable
{
    /// <summary>The parameter set of -Path (wildcards).</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set of -LiteralPath.</summary>
    protected const string LiteralPathSet = "LiteralPath";

    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs one invocation and writes its objects (none when ShouldProcess said no).</summary>
    protected void Invoke(IInvocation invocation)
    {
        PumpResult<IReadOnlyList<object>> result;
        try
        {
            result = OperationPump.Run(invocation.Run, new PipelineHost(this), _stop.Token);
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (Exception e) when (_stop.IsCancellationRequested && OperationPump.Unwrap(e) is OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e)
        {
            Report(ErrorPolicy.Map(e, invocation.Scope));
            return;
        }

        if (result.Declined)
        {
            return;
        }

        foreach (var o in result.Value)
        {
            WriteObject(o);
        }
    }

    /// <summary>The existing items a cmdlet's -Path or -LiteralPath names, by the parameter set bound.</summary>
    protected IReadOnlyList<string> ResolveInputs(string[] path, string[] literalPath)
    {
        bool literal = ParameterSetName == LiteralPathSet;
        return ResolveExisting(literal ? literalPath : path, literal);
    }

    /// <summary>Existing file system items: -LiteralPath as typed, -Path with wildcards expanded. Missing ones are reported (PathNotFound) and left out.</summary>
    protected IReadOnlyList<string> ResolveExisting(IEnumerable<string> paths, bool literal)
    {
        var resolved = new List<string>();
        foreach (var path in paths)
        {
            if (literal)
            {
                resolved.Add(ResolveLiteral(path));
                continue;
            }

            try
            {
                var found = GetResolvedProviderPathFromPSPath(path, out var provider);
                RequireFileSystem(provider, path);
                if (found.Count == 0)
                {
                    Report(PathNotFound(path, null));
                }

                resolved.AddRange(found);
            }
            catch (ItemNotFoundException e)
            {
                Report(PathNotFound(path, e));
            }
        }

        return resolved;
    }

    /// <summary>A path taken literally (it may not exist yet: a destination, a plan file), as a file system path; null for an optional parameter not given.</summary>
    [return: NotNullIfNotNull(nameof(path))]
    protected string? ResolveLiteral(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        RequireFileSystem(provider, path);
        return full;
    }

    /// <summary>Exactly one existing item for a cmdlet that works on one store: its -Path or -LiteralPath, by the parameter set bound.</summary>
    protected string? ResolveInput(string path, string literalPath)
    {
        bool literal = ParameterSetName == LiteralPathSet;
        var given = literal ? literalPath : path;
        var found = ResolveExisting([given], literal);
        if (found.Count > 1)
        {
            Report(new ZarrErrorInfo("AmbiguousPath", "InvalidArgument", given,
                $"'{given}' matches {found.Count} items ({string.Join(", ", found.Take(3))}{(found.Count > 3 ? ", ..." : "")}); this command works on one store. Name it exactly, or use -LiteralPath.",
                new ArgumentException(given), Terminating: true));
        }

        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>Writes a non-terminating error, or stops the cmdlet with a terminating one.</summary>
    protected void Report(ZarrErrorInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var category = Enum.TryParse<ErrorCategory>(info.Category, out var c) ? c : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(info.Exception, info.ErrorId, category, info.Target);
        if (info.Terminating)
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    private void RequireFileSystem(ProviderInfo provider, string path)
    {
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            Report(new ZarrErrorInfo(ModuleErrors.NotFileSystemPath, "InvalidArgument", path,
                $"'{path}' is on the {provider.Name} provider; Zarr stores, sources and plans are files and folders of the FileSystem provider.",
                new ArgumentException(path), Terminating: true));
        }
    }

    private static ZarrErrorInfo PathNotFound(string path, Exception? inner) =>
        new(ModuleErrors.PathNotFound, "ObjectNotFound", path, $"Cannot find '{path}'.", inner ?? new ItemNotFoundException($"Cannot find '{path}'."), Terminating: false);

    /// <summary>The cmdlet as the pump sees it: Write* and ShouldProcess, on the pipeline thread.</summary>
    private sealed class PipelineHost(ZarrCmdlet cmdlet) : IPipelineHost
    {
        public void WriteVerbose(string message) => cmdlet.WriteVerbose(message);

        public void WriteWarning(string message) => cmdlet.WriteWarning(message);

        public void WriteProgress(ProgressUpdate progress) => cmdlet.WriteProgress(new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
        {
            PercentComplete = progress.PercentComplete,
            SecondsRemaining = progress.SecondsRemaining,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        });

        public bool ShouldProcess(string target, string action) => cmdlet.ShouldProcess(target, action);
    }
}

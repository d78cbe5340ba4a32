using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ZarrPartition.Module.Completion;

/// <summary>
/// The shared part of the completers: find the store or file the command line names (-LiteralPath,
/// -Path, -Destination), resolve it against the session's current location (never the process's), and
/// offer the names <see cref="Names"/> reads from it.
/// </summary>
public abstract class ZarrNameCompleter : IArgumentCompleter
{
    private static readonly string[] PathParameters = ["LiteralPath", "Path", "Destination"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var typed = PathParameters.Select(p => fakeBoundParameters?.Contains(p) == true ? DatasetNames.FirstPath(fakeBoundParameters[p]) : null).FirstOrDefault(p => p is not null);
            var path = Resolve(typed);
            return DatasetNames.Match(Names(path), wordToComplete).Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [];
        }
    }

    protected abstract IReadOnlyList<string> Names(string? path);

    private static string? Resolve(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Microsoft.PowerShell.Management\\Resolve-Path").AddParameter("Path", typed).AddParameter("ErrorAction", "Ignore");
        return ps.Invoke().Select(r => r.BaseObject is PathInfo info ? info.ProviderPath : r.ToString()).FirstOrDefault();
    }
}

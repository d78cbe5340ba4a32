using System.Diagnostics;
using System.Text.Json;

namespace ZarrPartition.Module.Tests.Scripts;

/// <summary>Runs scan-powershell.mjs (tree-sitter-powershell from npm, installed by .ci/run in tests/interop/js).</summary>
public static class ScriptScanner
{
    public static string NodeModules => Repository.File("tests", "interop", "js", "node_modules");

    public static IReadOnlyList<ScannedFile> Scan(IEnumerable<string> files)
    {
        if (!Directory.Exists(Path.Combine(NodeModules, "tree-sitter-powershell")))
        {
            throw new InvalidOperationException(
                $"Reference tool missing: tree-sitter-powershell is not installed in {NodeModules}. Run 'npm ci --prefix tests/interop/js' (see .ci/run).");
        }

        var list = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(list, files);
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Repository.File("tests", "Module.Tests", "Scripts", "scan-powershell.mjs"));
            psi.ArgumentList.Add(NodeModules);
            psi.ArgumentList.Add(list);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node (needed for the tree-sitter script check).");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"scan-powershell.mjs failed ({p.ExitCode}): {stderr.Result}");
            }

            var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
            return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<ScannedFile>(l, options)!).ToList();
        }
        finally
        {
            File.Delete(list);
        }
    }
}

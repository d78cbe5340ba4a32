using System.Diagnostics;
using System.Text;

namespace ZarrPartition.Engine.Tests.Interop;

/// <summary>
/// Runs the independent reference tools (Debian's python3-zarr/numcodecs/xarray, npm's zarrita).
/// A missing tool is a test failure that names the package to install — never a silent skip.
/// </summary>
public static class ReferenceTools
{
    /// <summary>Debian's interpreter, where python3-zarr and friends live (not a pyenv shim).</summary>
    public static string Python =>
        Environment.GetEnvironmentVariable("ZARRPARTITION_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Runs a Python script with arguments; fails the test with stderr when it exits non-zero.</summary>
    public static string RunPython(string script, params string[] args)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException(
                $"Reference tool missing: {Python} not found. Install Debian's python3-zarr python3-numcodecs python3-xarray (see .ci/run).");
        }

        var scriptFile = Path.Combine(Path.GetTempPath(), $"zp-ref-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptFile, script);
        try
        {
            return Run(Python, [scriptFile, .. args], "python3-zarr python3-numcodecs python3-xarray");
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }

    /// <summary>Runs a Node script from tests/interop/js (where zarrita is installed by .ci/run).</summary>
    public static string RunNode(string scriptName, params string[] args)
    {
        var dir = JsDirectory;
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "zarrita")))
        {
            throw new InvalidOperationException(
                $"Reference tool missing: zarrita is not installed in {dir}. Run 'npm ci --prefix tests/interop/js' (see .ci/run).");
        }

        return Run("node", [Path.Combine(dir, scriptName), .. args], "node + npm zarrita");
    }

    public static string JsDirectory => Path.Combine(RepositoryRoot, "tests", "interop", "js");

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ZarrPartition.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (ZarrPartition.sln) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Runs any other tool the tests check against (<paramref name="what"/> names its package); fails with stderr when it exits non-zero.</summary>
    public static string RunTool(string exe, string what, params string[] args) => Run(exe, args, what);

    private static string Run(string exe, string[] args, string what)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process? started;
        try
        {
            started = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Reference tool missing: '{exe}' was not found ({what}); install it (see .ci/run). {e.Message}", e);
        }

        using var p = started ?? throw new InvalidOperationException($"Could not start {exe} ({what}).");
        var stdout = new StringBuilder();
        var stderrTask = p.StandardError.ReadToEndAsync();
        stdout.Append(p.StandardOutput.ReadToEnd());
        if (!p.WaitForExit(300_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{exe} did not finish in 5 minutes.");
        }

        var stderr = stderrTask.Result;
        if (p.ExitCode != 0)
        {
            if (stderr.Contains("ModuleNotFoundError", StringComparison.Ordinal) || stderr.Contains("Cannot find module", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Reference tool missing ({what}); install it (see .ci/run).\n{stderr}");
            }

            throw new InvalidOperationException($"{exe} exited with {p.ExitCode}.\nstderr:\n{stderr}\nstdout:\n{stdout}");
        }

        return stdout.ToString();
    }
}

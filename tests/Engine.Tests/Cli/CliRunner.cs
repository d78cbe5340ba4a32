using System.Diagnostics;

namespace ZarrPartition.Engine.Tests.Cli;

/// <summary>Runs the zarrpartition CLI as a separate OS process.</summary>
public static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "zarrpartition.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(true);
            throw new TimeoutException("zarrpartition did not finish in 5 minutes: " + string.Join(' ', args));
        }

        return (p.ExitCode, output, err.Result);
    }
}

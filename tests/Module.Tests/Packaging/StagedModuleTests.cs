using System.Diagnostics;
using System.Text;

namespace ZarrPartition.Module.Tests.Packaging;

/// <summary>
/// 'dotnet publish src/Module -c Release' stages out/ZarrPartition/ with exactly the allow-list: the
/// manifest, the two assemblies, the format file and the help, and never the PowerShellStandard stub.
/// </summary>
public sealed class StagedModuleTests
{
    public static readonly string[] AllowList =
    [
        "ZarrPartition.psd1",
        "ZarrPartition.dll",
        "ZarrPartition.Engine.dll",
        "ZarrPartition.Format.ps1xml",
        "en-US/ZarrPartition.dll-Help.xml",
        "en-US/about_ZarrPartition.help.txt",
    ];

    private static readonly Lazy<(string Folder, string Log)> Published = new(Publish);

    [Fact]
    public void Publishing_stages_exactly_the_allow_list()
    {
        var (folder, log) = Published.Value;
        Assert.True(Directory.Exists(folder), log);
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(AllowList.Order(StringComparer.Ordinal), files);
        Assert.DoesNotContain(files, f => f.Contains("System.Management.Automation", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_staged_files_are_the_sources_and_the_built_assemblies()
    {
        var (folder, _) = Published.Value;
        Assert.Equal(File.ReadAllBytes(Repository.File("ZarrPartition.psd1")), File.ReadAllBytes(Path.Combine(folder, "ZarrPartition.psd1")));
        Assert.Equal(File.ReadAllBytes(Repository.File("src", "Module", "ZarrPartition.Format.ps1xml")), File.ReadAllBytes(Path.Combine(folder, "ZarrPartition.Format.ps1xml")));
        Assert.Equal(File.ReadAllBytes(Repository.File("src", "Module", "en-US", "ZarrPartition.dll-Help.xml")), File.ReadAllBytes(Path.Combine(folder, "en-US", "ZarrPartition.dll-Help.xml")));
        var name = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(folder, "ZarrPartition.dll"));
        Assert.Equal("ZarrPartition", name.Name);
        using var stream = File.OpenRead(Path.Combine(folder, "ZarrPartition.dll"));
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var framework = md.GetCustomAttributes(System.Reflection.Metadata.EntityHandle.AssemblyDefinition)
            .Select(h => md.GetCustomAttribute(h)).Select(a => Encoding.UTF8.GetString(md.GetBlobBytes(a.Value))).FirstOrDefault(v => v.Contains(".NETCoreApp", StringComparison.Ordinal));
        Assert.Contains(".NETCoreApp,Version=v8.0", framework, StringComparison.Ordinal); // PowerShell 7.4 runs on .NET 8
    }

    private static (string Folder, string Log) Publish()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "publish", "src/Module", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
        {
            psi.ArgumentList.Add(a);
        }

        // a build inside a test run: no MSBuild node or compiler server may outlive it holding our pipes
        foreach (var v in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            psi.Environment.Remove(v);
        }

        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish src/Module took more than 5 minutes");
        }

        var log = stdout.Result + stderr.Result;
        Assert.True(p.ExitCode == 0, "dotnet publish src/Module -c Release failed:\n" + log);
        return (Repository.File("out", "ZarrPartition"), log);
    }
}

using System.Xml.Linq;
using ZarrPartition.Module.Tests.Help;
using ZarrPartition.Module.Tests.Metadata;

namespace ZarrPartition.Module.Tests.Scripts;

/// <summary>
/// Every .ps1, .psm1 and .psd1 in the repository (and every help example) parses with
/// tree-sitter-powershell, and every call of a ZarrPartition cmdlet names only parameters (or aliases)
/// that exist on it, spelled out in full: no prefixes, which break when a parameter is added.
/// </summary>
public sealed class ScriptCheckTests
{
    private static readonly string[] Skipped = [".git", "bin", "obj", "node_modules", "out", "TestResults", "BenchmarkDotNet.Artifacts"];

    private static readonly string[] Common =
    [
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa", "ProgressAction", "proga",
        "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov", "OutBuffer", "ob", "PipelineVariable", "pv",
    ];

    private static readonly Lazy<IReadOnlyList<ScannedFile>> Repo = new(() => ScriptScanner.Scan(RepositoryScripts()));

    public static IReadOnlyList<string> RepositoryScripts()
    {
        var found = new List<string>();
        void Walk(string dir)
        {
            foreach (var sub in Directory.GetDirectories(dir).Where(d => !Skipped.Contains(Path.GetFileName(d))))
            {
                Walk(sub);
            }

            found.AddRange(Directory.GetFiles(dir).Where(f => Path.GetExtension(f).ToLowerInvariant() is ".ps1" or ".psm1" or ".psd1"));
        }

        Walk(Repository.Root);
        return found.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Calls of our cmdlets that name a parameter the cmdlet does not have: "file:line: Cmdlet -Param".</summary>
    public static IReadOnlyList<string> BadCalls(IEnumerable<ScannedFile> files)
    {
        var cmdlets = ModuleMetadata.Shared.Cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var bad = new List<string>();
        foreach (var f in files)
        {
            foreach (var call in f.Commands)
            {
                var name = call.Name.Contains('\\', StringComparison.Ordinal) ? call.Name[(call.Name.LastIndexOf('\\') + 1)..] : call.Name;
                if (!cmdlets.TryGetValue(name, out var cmdlet))
                {
                    continue;
                }

                var allowed = cmdlet.ParameterNames.Concat(Common).Concat(cmdlet.SupportsShouldProcess ? ["WhatIf", "wi", "Confirm", "cf"] : [])
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var p in call.Parameters)
                {
                    var given = p.TrimStart('-').TrimEnd(':');
                    if (!allowed.Contains(given))
                    {
                        bad.Add($"{Path.GetRelativePath(Repository.Root, f.File)}:{call.Line}: {name} {p}");
                    }
                }
            }
        }

        return bad;
    }

    [Fact]
    public void Every_PowerShell_file_in_the_repository_parses_without_errors()
    {
        var files = Repo.Value;
        Assert.Contains(files, f => f.File.EndsWith("ZarrPartition.psd1", StringComparison.Ordinal));
        Assert.Contains(files, f => f.File.EndsWith("build.ps1", StringComparison.Ordinal));
        var errors = files.SelectMany(f => f.Errors.Select(e => $"{Path.GetRelativePath(Repository.Root, f.File)}:{e.Line}:{e.Column}: {(e.Missing ? "missing token" : "syntax error")} near '{e.Text}'")).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Every_call_of_our_cmdlets_uses_existing_parameters_spelled_in_full()
    {
        var bad = BadCalls(Repo.Value);
        Assert.True(bad.Count == 0, "Parameters that do not exist (or are abbreviated):\n" + string.Join("\n", bad));
    }

    [Fact]
    public void Every_cmdlet_appears_in_the_examples_and_in_the_Pester_suite()
    {
        var names = CmdletMetadataTests.Expected;
        var calls = Repo.Value.SelectMany(f => f.Commands.Select(c => (File: Path.GetRelativePath(Repository.Root, f.File).Replace('\\', '/'), c.Name))).ToList();
        foreach (var folder in new[] { "examples/", "tests/Pester/" })
        {
            var used = calls.Where(c => c.File.StartsWith(folder, StringComparison.Ordinal)).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.True(names.All(used.Contains), $"{folder} never calls: {string.Join(", ", names.Where(n => !used.Contains(n)))}");
        }

        foreach (var name in names)
        {
            Assert.True(File.Exists(Repository.File("tests", "Pester", name + ".Tests.ps1")), $"tests/Pester/{name}.Tests.ps1 is missing");
        }
    }

    [Fact]
    public void Every_help_example_parses_and_uses_existing_parameters()
    {
        using var dir = new TempDir();
        var docs = XDocument.Load(Repository.ModuleDocumentation);
        var files = new List<string>();
        foreach (var c in ModuleMetadata.Shared.Cmdlets)
        {
            var help = MamlWriter.Read(c, docs);
            for (int i = 0; i < help.Examples.Count; i++)
            {
                var file = dir[$"{c.Name}-{i + 1}.ps1"];
                File.WriteAllText(file, help.Examples[i].Code + "\n");
                files.Add(file);
            }
        }

        var scanned = ScriptScanner.Scan(files);
        Assert.Equal(files.Count, scanned.Count);
        Assert.All(scanned, f => Assert.True(f.Errors.Count == 0, $"{Path.GetFileName(f.File)}: {string.Join("; ", f.Errors.Select(e => e.Text))}"));
        var bad = BadCalls(scanned);
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public void The_check_itself_catches_syntax_errors_unknown_and_abbreviated_parameters()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bad.ps1"], "Write-ZarrPartition -PlanP ./p.json -Index 1 -Bogus -WhatIf:$true @rest\nGet-ZarrStore -Path x -WhatIf\nif ($x) {\n");
        File.WriteAllText(dir["good.ps1"], "ZarrPartition\\Write-ZarrPartition -PlanPath ./p.json -Rank 1 -Confirm:$false -ErrorAction Stop -Verbose:$false\n");
        var scanned = ScriptScanner.Scan([dir["bad.ps1"], dir["good.ps1"]]);
        Assert.NotEmpty(scanned[0].Errors);
        Assert.Empty(scanned[1].Errors);
        var bad = BadCalls(scanned);
        Assert.Equal(3, bad.Count);
        Assert.Contains(bad, b => b.EndsWith("Write-ZarrPartition -PlanP", StringComparison.Ordinal));
        Assert.Contains(bad, b => b.EndsWith("Write-ZarrPartition -Bogus", StringComparison.Ordinal));
        Assert.Contains(bad, b => b.EndsWith("Get-ZarrStore -WhatIf", StringComparison.Ordinal)); // Get-ZarrStore does not support ShouldProcess
        Assert.True(scanned[0].Commands[0].Splat);
    }
}

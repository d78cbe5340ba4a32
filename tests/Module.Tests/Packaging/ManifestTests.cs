using ZarrPartition.Module.Tests.Metadata;

namespace ZarrPartition.Module.Tests.Packaging;

/// <summary>ZarrPartition.psd1 against the assembly it loads.</summary>
public sealed class ManifestTests
{
    /// <summary>The module's identity: changing it makes another module for PowerShellGet and for users' scripts.</summary>
    public const string Guid = "f38c96e9-eab0-4092-a815-0060ca84aab0";

    private static Dictionary<string, object?> Manifest => ManifestReader.Read(File.ReadAllText(Repository.File("ZarrPartition.psd1")));

    private static IReadOnlyList<string> Strings(object? value) => Assert.IsType<List<object?>>(value).Cast<string>().ToList();

    [Fact]
    public void The_manifest_is_a_literal_hashtable()
    {
        Assert.Throws<FormatException>(() => ManifestReader.Read("@{ A = $env:X }"));
        Assert.Throws<FormatException>(() => ManifestReader.Read("@{ A = \"$x\" }"));
        Assert.Throws<FormatException>(() => ManifestReader.Read("@{ A = (Get-Date) }"));
        Assert.Equal(["a", "b"], Strings(ManifestReader.Read("@{ # c\n A = @('a',\n 'b') }")["A"]));
        Assert.NotEmpty(Manifest);
    }

    [Fact]
    public void It_exports_exactly_the_cmdlets_found_in_the_assembly_and_nothing_else()
    {
        var m = Manifest;
        var exported = Strings(m["CmdletsToExport"]);
        Assert.DoesNotContain(exported, e => e.Contains('*', StringComparison.Ordinal));
        Assert.Equal(ModuleMetadata.Shared.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
        Assert.Equal(exported.Count, exported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
        {
            Assert.Empty(Strings(m[key])); // missing or $null means '*', which makes PowerShell analyse the module
        }
    }

    [Fact]
    public void It_loads_the_assembly_for_PowerShell_7_4_Core_with_its_version_and_identity()
    {
        var m = Manifest;
        Assert.Equal("ZarrPartition.dll", m["RootModule"]);
        Assert.Equal(["ZarrPartition.Engine.dll"], Strings(m["RequiredAssemblies"]));
        Assert.Equal(["Core"], Strings(m["CompatiblePSEditions"]));
        Assert.Equal("7.4", m["PowerShellVersion"]);
        Assert.Equal(Guid, m["GUID"]);
        var version = ModuleMetadata.Shared.Assembly.GetName().Version!;
        Assert.Equal((string)m["ModuleVersion"]!, $"{version.Major}.{version.Minor}.{version.Build}");
        var tags = Strings(((Dictionary<string, object?>)((Dictionary<string, object?>)m["PrivateData"]!)["PSData"]!)["Tags"]);
        Assert.Contains("PSEdition_Core", tags);
        Assert.DoesNotContain("PSEdition_Desktop", tags);
    }

    [Fact]
    public void Its_format_files_are_the_ones_staged()
    {
        var formats = Strings(Manifest["FormatsToProcess"]);
        Assert.Equal(["ZarrPartition.Format.ps1xml"], formats);
        Assert.True(File.Exists(Repository.File("src", "Module", formats[0])));
        Assert.False(Manifest.ContainsKey("TypesToProcess"));
        Assert.False(Manifest.ContainsKey("NestedModules"));
        Assert.False(Manifest.ContainsKey("ScriptsToProcess")); // nothing runs at import: importing in many runspaces costs little
    }
}

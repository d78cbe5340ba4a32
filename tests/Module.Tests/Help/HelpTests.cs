using System.Xml.Linq;
using ZarrPartition.Module.Tests.Metadata;

namespace ZarrPartition.Module.Tests.Help;

/// <summary>Help for every cmdlet and parameter, with examples, and the shipped MAML file in step with the code.</summary>
public sealed class HelpTests
{
    public static IReadOnlyList<CommandHelp> All()
    {
        var docs = XDocument.Load(Repository.ModuleDocumentation);
        return ModuleMetadata.Shared.Cmdlets.Select(c => MamlWriter.Read(c, docs)).ToList();
    }

    public static TheoryData<string> CmdletNames() => new(CmdletMetadataTests.Expected);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_has_a_synopsis_a_description_and_examples_that_use_it(string name)
    {
        var help = All().Single(h => h.Cmdlet.Name == name);
        Assert.False(string.IsNullOrWhiteSpace(help.Synopsis), $"{name} has no synopsis");
        Assert.EndsWith(".", help.Synopsis, StringComparison.Ordinal);
        Assert.NotEmpty(help.Description);
        Assert.True(help.Examples.Count >= 2, $"{name} has {help.Examples.Count} example(s)");
        Assert.All(help.Examples, e =>
        {
            Assert.Contains(name, e.Code, StringComparison.Ordinal);
            Assert.NotEmpty(e.Remarks);
        });
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_is_described(string name)
    {
        var help = All().Single(h => h.Cmdlet.Name == name);
        foreach (var p in help.Cmdlet.Parameters)
        {
            Assert.True(help.Parameters[p.Name].Length > 15, $"{name} -{p.Name} has no description");
        }
    }

    [Fact]
    public void The_shipped_MAML_file_is_what_the_code_and_its_documentation_say()
    {
        var expected = MamlWriter.Write(All());
        if (Environment.GetEnvironmentVariable("ZARRPARTITION_UPDATE_HELP") == "1")
        {
            File.WriteAllText(MamlWriter.HelpFile, expected);
        }

        Assert.True(File.Exists(MamlWriter.HelpFile), $"{MamlWriter.HelpFile} is missing: run the tests with ZARRPARTITION_UPDATE_HELP=1 to write it.");
        var actual = File.ReadAllText(MamlWriter.HelpFile);
        Assert.True(expected == actual,
            "src/Module/en-US/ZarrPartition.dll-Help.xml is out of date with the cmdlets or their XML documentation. Rewrite it with: ZARRPARTITION_UPDATE_HELP=1 dotnet test tests/Module.Tests -c Release --filter Shipped_MAML");
    }

    [Fact]
    public void The_MAML_file_is_well_formed_and_covers_every_cmdlet_and_parameter()
    {
        var doc = XDocument.Load(MamlWriter.HelpFile);
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
        var commands = doc.Root!.Elements(command + "command").ToList();
        Assert.Equal(CmdletMetadataTests.Expected.Order(StringComparer.Ordinal), commands.Select(c => c.Element(command + "details")!.Element(command + "name")!.Value));
        foreach (var c in commands)
        {
            var name = c.Element(command + "details")!.Element(command + "name")!.Value;
            var documented = c.Element(command + "parameters")!.Elements(command + "parameter").Select(p => p.Element(maml + "name")!.Value);
            Assert.Equal(ModuleMetadata.Shared.Cmdlet(name).Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), documented);
            Assert.NotEmpty(c.Element(command + "examples")!.Elements(command + "example"));
        }
    }
}

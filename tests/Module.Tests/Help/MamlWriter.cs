using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ZarrPartition.Module.Tests.Metadata;

namespace ZarrPartition.Module.Tests.Help;

/// <summary>
/// Writes the module's MAML help (en-US/ZarrPartition.dll-Help.xml) from two sources that cannot drift
/// apart: the cmdlets' metadata (names, sets, types, positions, pipeline input, aliases) and their XML
/// documentation comments (synopsis, description, parameter text, examples). The committed file must be
/// what this writes; set ZARRPARTITION_UPDATE_HELP=1 to rewrite it.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string HelpFile => Repository.File("src", "Module", "en-US", "ZarrPartition.dll-Help.xml");

    public static CommandHelp Read(CmdletModel cmdlet, XDocument docs)
    {
        var type = Member(docs, "T:" + cmdlet.Type.FullName);
        string Para(string kind) => string.Join("\n\n", type?.Element("summary")?.Elements("para").Where(p => (string?)p.Attribute("type") == kind).Select(p => Text(p)) ?? []);
        var synopsis = Para("synopsis");
        var description = type?.Element("summary")?.Elements("para").Where(p => (string?)p.Attribute("type") == "description").Select(p => Text(p)).ToList() ?? [];
        var examples = type?.Elements("example").Select(e => new ExampleHelp(Text(e.Element("code")), e.Elements("para").Select(p => Text(p)).ToList())).ToList() ?? [];
        var parameters = cmdlet.Parameters.ToDictionary(p => p.Name, p => Text(Member(docs, $"P:{cmdlet.Type.FullName}.{p.Name}")?.Element("summary")));
        return new CommandHelp(cmdlet, synopsis, description, parameters, examples);
    }

    public static string Write(IReadOnlyList<CommandHelp> commands)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (var c in commands.OrderBy(c => c.Cmdlet.Name, StringComparer.Ordinal))
        {
            root.Add(CommandElement(c, commands));
        }

        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(w);
        }

        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static XElement CommandElement(CommandHelp c, IReadOnlyList<CommandHelp> all)
    {
        var cmd = c.Cmdlet;
        var element = new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", cmd.Name),
                new XElement(Command + "verb", cmd.Verb),
                new XElement(Command + "noun", cmd.Noun),
                new XElement(Maml + "description", Paras([c.Synopsis]))),
            new XElement(Maml + "description", Paras(c.Description)),
            new XElement(Command + "syntax", cmd.Sets.Select(set => new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", cmd.Name),
                cmd.InSet(set).OrderBy(x => x.Use.Position ?? int.MaxValue).ThenBy(x => x.Use.Mandatory ? 0 : 1).ThenBy(x => x.Parameter.Name, StringComparer.Ordinal)
                    .Select(x => Parameter(c, x.Parameter, x.Use, inSyntax: true))))),
            new XElement(Command + "parameters", cmd.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => Parameter(c, p, p.Uses[0], inSyntax: false))),
            new XElement(Command + "inputTypes", InputTypes(cmd).Select(t => new XElement(Command + "inputType",
                new XElement(Dev + "type", new XElement(Maml + "name", t.Name)),
                new XElement(Maml + "description", Paras([t.Text]))))),
            new XElement(Command + "returnValues", cmd.OutputTypes.Select(t => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", t.FullName)),
                new XElement(Maml + "description", Paras([OutputText(t)]))))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras([Notes(cmd)]))),
            new XElement(Command + "examples", c.Examples.Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {i + 1} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", Paras(e.Remarks))))),
            new XElement(Command + "relatedLinks",
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "about_ZarrPartition"), new XElement(Maml + "uri")),
                all.Where(o => o.Cmdlet.Noun == cmd.Noun && o != c).Select(o => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", o.Cmdlet.Name), new XElement(Maml + "uri")))));
        return element;
    }

    private static XElement Parameter(CommandHelp c, ParameterModel p, ParameterUse use, bool inSyntax)
    {
        var typeName = TypeName(p.Type);
        var pipeline = use.FromPipeline && use.ByPropertyName ? "True (ByValue, ByPropertyName)" : use.FromPipeline ? "True (ByValue)" : use.ByPropertyName ? "True (ByPropertyName)" : "False";
        var e = new XElement(Command + "parameter",
            new XAttribute("required", use.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"),
            new XAttribute("globbing", p.SupportsWildcards ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", use.Position is { } pos ? pos.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named"),
            new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
            new XElement(Maml + "name", p.Name),
            new XElement(Maml + "description", Paras([c.Parameters[p.Name]])));
        if (p.IsSwitch)
        {
            if (!inSyntax)
            {
                e.Add(new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), "SwitchParameter"));
            }
        }
        else if (p.ValidateSet.Count > 0)
        {
            e.Add(new XElement(Command + "parameterValueGroup", p.ValidateSet.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }
        else
        {
            e.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"), typeName));
        }

        if (!inSyntax)
        {
            e.Add(new XElement(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri")));
            e.Add(new XElement(Dev + "defaultValue", p.IsSwitch ? "False" : "None"));
        }

        return e;
    }

    private static IEnumerable<(string Name, string Text)> InputTypes(CmdletModel cmd)
    {
        foreach (var p in cmd.Parameters.Where(p => p.FromPipeline))
        {
            yield return (TypeName(p.Type), $"-{p.Name} takes its value from the pipeline.");
        }

        var byName = cmd.Parameters.Where(p => p.ByPropertyName).ToList();
        if (byName.Count > 0)
        {
            yield return ("System.Management.Automation.PSObject",
                "Objects with the properties " + string.Join(", ", byName.Select(p => p.Aliases.Count == 0 ? p.Name : $"{p.Name} (or {string.Join(", ", p.Aliases)})")) + " bind to the parameters of the same names.");
        }
    }

    private static string OutputText(Type t) => t.FullName switch
    {
        "System.Boolean" => "With -Quiet: whether the store is complete.",
        _ => $"{t.Name} objects; every property is a primitive value or an array of them (or of other ZarrPartition objects), so they survive ConvertTo-Json, Export-Clixml and Start-Job.",
    };

    private static string Notes(CmdletModel cmd)
    {
        var notes = new List<string>
        {
            "Relative paths resolve against the session's current location ($PWD), not the process's.",
            "Errors carry stable ids (for example StoreNotFound, PartitionsIncomplete, PlanChanged) that scripts can match with $_.FullyQualifiedErrorId.",
        };
        if (cmd.SupportsShouldProcess)
        {
            notes.Add("Supports -WhatIf and -Confirm (ConfirmImpact Medium: nothing prompts at the default $ConfirmPreference, so -NonInteractive runs never block).");
        }

        return string.Join(" ", notes);
    }

    private static string TypeName(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? t.GetGenericArguments()[0].Name
        : t.FullName?.StartsWith("System.", StringComparison.Ordinal) == true ? t.Name
        : t.Name;

    private static IEnumerable<XElement> Paras(IEnumerable<string> texts) =>
        texts.SelectMany(t => t.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)).Select(t => new XElement(Maml + "para", t));

    private static XElement? Member(XDocument docs, string name) =>
        docs.Root!.Element("members")!.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == name);

    /// <summary>The text of a doc element, whitespace collapsed as the compiler's indentation leaves it.</summary>
    private static string Text(XElement? e) =>
        e is null ? "" : string.Join(" ", e.Value.Split((char[])['\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
}

using System.Reflection;

namespace ZarrPartition.Module.Tests.Metadata;

/// <summary>
/// Conformance of every cmdlet (after platyPS's Cmdlet.Tests.ps1 and the cmdlet development
/// guidelines), read from metadata only.
/// </summary>
public sealed class CmdletMetadataTests
{
    /// <summary>The approved verbs (Get-Verb of PowerShell 7.4), embedded so that the check needs no PowerShell.</summary>
    public static readonly IReadOnlySet<string> ApprovedVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        // common
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New", "Open", "Optimize",
        "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show", "Skip", "Split", "Step", "Switch",
        "Undo", "Unlock", "Watch",
        // communications
        "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
        // data
        "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand", "Export", "Group",
        "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync", "Unpublish", "Update",
        // diagnostic
        "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
        // lifecycle
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke", "Register", "Request",
        "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
        // security
        "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
        // other
        "Use",
    };

    /// <summary>The common parameters (and their aliases) that no cmdlet may declare itself.</summary>
    public static readonly IReadOnlySet<string> CommonParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa", "ProgressAction", "proga",
        "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov", "OutBuffer", "ob",
        "PipelineVariable", "pv", "WhatIf", "wi", "Confirm", "cf", "UseTransaction", "usetx",
    };

    public static readonly string[] Expected =
    [
        "New-ZarrTemplate", "Get-ZarrPartitionPlan", "Write-ZarrPartition", "Test-ZarrStore", "Complete-ZarrStore",
        "Get-ZarrStore", "Read-ZarrArray", "Measure-ZarrArray", "ConvertTo-Zarr",
    ];

    public static TheoryData<string> CmdletNames() => new(Expected);

    private static ModuleMetadata Meta => ModuleMetadata.Shared;

    [Fact]
    public void The_module_has_exactly_the_cmdlets_of_the_issue_each_with_a_Cmdlet_attribute()
    {
        Assert.All(Meta.Cmdlets, c => Assert.True(c.HasCmdletAttribute, $"{c.Type.Name} derives from PSCmdlet but has no [Cmdlet]"));
        Assert.Equal(Expected.Order(StringComparer.Ordinal), Meta.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_embedded_verb_list_agrees_with_the_Verbs_classes_of_the_reference_assembly()
    {
        // consts are real metadata even in the stub: GetRawConstantValue reads them without running anything
        var fromStub = new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsSecurity", "VerbsOther" }
            .SelectMany(n => Meta.SmaType(n).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var c in Meta.Cmdlets)
        {
            Assert.Contains(c.Verb, fromStub);
        }

        Assert.True(fromStub.Count > 80, $"the stub lists {fromStub.Count} verbs");
        Assert.Empty(fromStub.Except(ApprovedVerbs)); // 5.1's verbs are a subset of 7.4's
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Verb_is_approved_and_noun_is_a_singular_Zarr_noun(string name)
    {
        var c = Meta.Cmdlet(name);
        Assert.Contains(c.Verb, ApprovedVerbs);
        Assert.StartsWith("Zarr", c.Noun, StringComparison.Ordinal);
        Assert.False(c.Noun.EndsWith('s'), $"{c.Noun} reads as a plural");
        Assert.Equal(c.Verb + c.Noun.Replace("-", "", StringComparison.Ordinal) + "Command", c.Type.Name);
        Assert.True(File.Exists(Repository.File("src", "Module", "Commands", c.Type.Name + ".cs")), $"one cmdlet per file: src/Module/Commands/{c.Type.Name}.cs");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_declares_public_output_types_of_the_module(string name)
    {
        var c = Meta.Cmdlet(name);
        Assert.NotEmpty(c.OutputTypes);
        foreach (var t in c.OutputTypes)
        {
            Assert.True(t.FullName == "System.Boolean" || (t.IsPublic && t.Assembly == Meta.Assembly && t.Namespace == "ZarrPartition.Module"),
                $"{name} declares [OutputType({t.FullName})]");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void State_changing_cmdlets_support_ShouldProcess_at_medium_impact_and_the_others_do_not(string name)
    {
        var c = Meta.Cmdlet(name);
        bool changes = c.Verb is "New" or "Write" or "Complete" or "ConvertTo" or "Set" or "Remove";
        Assert.Equal(changes, c.SupportsShouldProcess);
        if (changes)
        {
            // High would prompt by default, which fails every -NonInteractive run
            Assert.Equal("Medium", c.ConfirmImpact);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Path_has_a_LiteralPath_twin_with_PSPath_alias_in_another_set(string name)
    {
        var c = Meta.Cmdlet(name);
        if (c.Parameter("Path") is not { } path)
        {
            Assert.Null(c.Parameter("LiteralPath"));
            return;
        }

        var literal = c.Parameter("LiteralPath");
        Assert.NotNull(literal);
        Assert.Contains("PSPath", literal!.Aliases);
        Assert.Contains("LP", literal.Aliases);
        Assert.True(path.SupportsWildcards, "-Path supports wildcards");
        Assert.False(literal.SupportsWildcards, "-LiteralPath takes no wildcards");
        Assert.True(literal.ByPropertyName, "-LiteralPath binds by property name (PSPath of Get-ChildItem output)");
        Assert.Equal(path.Type, literal.Type);
        var pathSets = path.Uses.Select(u => u.Set).ToHashSet();
        var literalSets = literal.Uses.Select(u => u.Set).ToHashSet();
        Assert.DoesNotContain(ModuleMetadata.AllSets, pathSets);
        Assert.Empty(pathSets.Intersect(literalSets));
        Assert.All(path.Uses.Concat(literal.Uses), u => Assert.True(u.Mandatory));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Parameter_sets_have_unique_positions_one_pipeline_parameter_and_an_existing_default(string name)
    {
        var c = Meta.Cmdlet(name);
        Assert.NotNull(c.DefaultParameterSetName);
        Assert.Contains(c.DefaultParameterSetName!, c.Sets.Append(ModuleMetadata.AllSets));
        foreach (var set in c.Sets)
        {
            var inSet = c.InSet(set).ToList();
            var positions = inSet.Where(x => x.Use.Position is not null).Select(x => x.Use.Position!.Value).ToList();
            Assert.True(positions.Count == positions.Distinct().Count(), $"{name} set {set}: positions {string.Join(",", positions)}");
            Assert.True(inSet.Count(x => x.Use.FromPipeline) <= 1, $"{name} set {set} takes more than one parameter from the pipeline by value");
            var names = inSet.Select(x => x.Parameter.Name).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Parameters_are_settable_and_no_name_or_alias_is_taken_twice_or_reserved(string name)
    {
        var c = Meta.Cmdlet(name);
        var all = c.Parameters.SelectMany(p => p.Aliases.Prepend(p.Name)).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var p in c.Parameters)
        {
            Assert.True(p.Settable, $"{name} -{p.Name} has no public setter");
            Assert.DoesNotContain(p.Name, CommonParameters);
            Assert.All(p.Aliases, a => Assert.DoesNotContain(a, CommonParameters));
            Assert.NotEqual("System.Boolean", p.Type.FullName); // switches are SwitchParameter
        }
    }

    [Fact]
    public void Every_by_property_name_parameter_of_Write_ZarrPartition_matches_a_property_of_the_planned_partition()
    {
        var write = Meta.Cmdlet("Write-ZarrPartition");
        var output = Assert.Single(Meta.Cmdlet("Get-ZarrPartitionPlan").OutputTypes);
        var properties = output.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var byName = write.Parameters.Where(p => p.ByPropertyName).ToList();
        Assert.Contains(byName, p => p.Name == "PlanPath");
        Assert.Contains(byName, p => p.Name == "Index");
        foreach (var p in byName)
        {
            var match = p.Aliases.Prepend(p.Name).Select(n => properties.GetValueOrDefault(n)).FirstOrDefault(x => x is not null);
            Assert.True(match is not null, $"-{p.Name} binds by property name but {output.Name} has no such property");
            Assert.True(Compatible(match!.PropertyType, p.Type), $"{output.Name}.{match.Name} is {match.PropertyType} but -{p.Name} is {p.Type}");
        }

        // and the mandatory ones are all there, so a partition object alone is enough
        Assert.All(write.Parameters.Where(p => p.Uses.Any(u => u.Mandatory)), p => Assert.True(p.ByPropertyName, $"-{p.Name} is mandatory but does not bind from the partition"));
    }

    [Fact]
    public void Planned_partitions_have_only_primitive_properties_so_they_survive_serialisation()
    {
        var output = Assert.Single(Meta.Cmdlet("Get-ZarrPartitionPlan").OutputTypes);
        foreach (var p in output.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var t = p.PropertyType.IsArray ? p.PropertyType.GetElementType()! : p.PropertyType;
            Assert.True(t.IsPrimitive || t.FullName is "System.String" or "System.Decimal", $"{output.Name}.{p.Name} is {p.PropertyType}");
        }
    }

    [Fact]
    public void The_stages_of_the_main_job_chain_by_property_name()
    {
        // New-ZarrTemplate | Get-ZarrPartitionPlan: the template's Store binds -LiteralPath (alias Store)
        var template = Assert.Single(Meta.Cmdlet("New-ZarrTemplate").OutputTypes);
        Assert.NotNull(template.GetProperty("Store"));
        foreach (var name in new[] { "Get-ZarrPartitionPlan", "Test-ZarrStore", "Complete-ZarrStore", "Measure-ZarrArray", "Read-ZarrArray", "Get-ZarrStore" })
        {
            var literal = Meta.Cmdlet(name).Parameter("LiteralPath")!;
            Assert.Contains("Store", literal.Aliases);
            Assert.True(literal.ByPropertyName);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Completers_implement_IArgumentCompleter_with_a_public_parameterless_constructor(string name)
    {
        var completer = Meta.SmaType("IArgumentCompleter");
        foreach (var p in Meta.Cmdlet(name).Parameters.Where(p => p.Completer is not null))
        {
            Assert.True(completer.IsAssignableFrom(p.Completer!), $"{p.Completer} is not an IArgumentCompleter");
            Assert.NotNull(p.Completer!.GetConstructor(Type.EmptyTypes));
            Assert.False(p.Completer.IsAbstract);
        }
    }

    [Fact]
    public void Variable_and_dimension_names_complete()
    {
        foreach (var c in Meta.Cmdlets)
        {
            foreach (var p in c.Parameters.Where(p => p.Name is "Variable" or "DropVariable" or "Dimension" or "TimeDimension" or "ConcatDimension"))
            {
                Assert.True(p.Completer is not null, $"{c.Name} -{p.Name} has no argument completer");
            }
        }
    }

    [Fact]
    public void The_module_keeps_no_mutable_static_state()
    {
        // a binary module is loaded once per process and shared by every runspace
        foreach (var t in Meta.Assembly.GetTypes().Where(t => !t.Name.StartsWith('<') && !t.GetCustomAttributesData().Any(a => a.AttributeType.Name == "CompilerGeneratedAttribute")))
        {
            foreach (var f in t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Assert.True(f.IsInitOnly || f.IsLiteral, $"{t.FullName}.{f.Name} is a mutable static field");
            }
        }
    }

    [Fact]
    public void Only_the_cmdlets_completers_and_their_base_touch_PowerShell_types()
    {
        // everything else is testable here: it must not even mention an SMA type in its signatures
        var allowed = new[] { "ZarrPartition.Module.Commands" };
        foreach (var t in Meta.Assembly.GetTypes().Where(t => !allowed.Contains(t.Namespace) && !t.Name.StartsWith('<')
            && t.Name is not ("ZarrNameCompleter" or "ZarrVariableCompleter" or "ZarrDimensionCompleter")))
        {
            var mentioned = new List<Type?> { t.BaseType };
            mentioned.AddRange(t.GetInterfaces());
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            mentioned.AddRange(t.GetFields(all).Select(f => f.FieldType));
            mentioned.AddRange(t.GetProperties(all).Select(p => p.PropertyType));
            mentioned.AddRange(t.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)));
            Assert.DoesNotContain(mentioned.OfType<Type>(), m => m.Assembly == Meta.StubSma);
        }
    }

    [Fact]
    public void The_engine_has_no_reference_to_PowerShell()
    {
        Assert.DoesNotContain(Meta.Engine.GetReferencedAssemblies(), a => a.Name == ModuleMetadata.Automation);
    }

    internal static bool Compatible(Type property, Type parameter)
    {
        static Type Strip(Type t) => t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? t.GetGenericArguments()[0] : t;
        var p = Strip(property);
        var q = Strip(parameter);
        return p == q || q.IsAssignableFrom(p) || (q.IsArray && p.IsArray && Compatible(p.GetElementType()!, q.GetElementType()!))
            || (q.FullName == "System.String" && p.IsPrimitive);
    }
}

using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ZarrPartition.Module.Tests.Metadata;

/// <summary>
/// The module's cmdlets as PowerShell would see them, read from the built ZarrPartition.dll with a
/// MetadataLoadContext: attributes only through CustomAttributeData, so no code of the
/// PowerShellStandard stub (whose methods are empty) ever runs.
/// </summary>
public sealed class ModuleMetadata : IDisposable
{
    public const string Automation = "System.Management.Automation";
    public const string AllSets = "__AllParameterSets";

    private static readonly Lazy<ModuleMetadata> SharedInstance = new(() => new ModuleMetadata());

    private readonly MetadataLoadContext _context;

    private ModuleMetadata()
    {
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(p => !Path.GetFileName(p).StartsWith(Automation, StringComparison.Ordinal))
            .Append(Repository.ModuleAssembly)
            .Append(Repository.EngineAssembly)
            .Append(Repository.StubAutomation);
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Assembly = _context.LoadFromAssemblyPath(Repository.ModuleAssembly);
        Engine = _context.LoadFromAssemblyPath(Repository.EngineAssembly);
        StubSma = _context.LoadFromAssemblyName(Automation);
        var psCmdlet = StubSma.GetType(Automation + ".PSCmdlet", throwOnError: true)!;
        Cmdlets = Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && psCmdlet.IsAssignableFrom(t))
            .Select(Read)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    public static ModuleMetadata Shared => SharedInstance.Value;

    public Assembly Assembly { get; }

    public Assembly Engine { get; }

    /// <summary>The PowerShellStandard reference assembly, as metadata.</summary>
    public Assembly StubSma { get; }

    public IReadOnlyList<CmdletModel> Cmdlets { get; }

    public CmdletModel Cmdlet(string name) => Cmdlets.Single(c => c.Name == name);

    public Type SmaType(string name) => StubSma.GetType(Automation + "." + name, throwOnError: true)!;

    /// <summary>The names of an enum's members, read from its fields' metadata.</summary>
    public static IReadOnlyList<string> EnumNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToList();

    public static CustomAttributeData? Find(MemberInfo member, string attribute) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Automation + "." + attribute);

    public static IEnumerable<CustomAttributeData> FindAll(MemberInfo member, string attribute) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Automation + "." + attribute);

    public static object? Named(CustomAttributeData a, string name)
    {
        foreach (var n in a.NamedArguments)
        {
            if (n.MemberName == name)
            {
                return n.TypedValue.Value;
            }
        }

        return null;
    }

    public void Dispose() => _context.Dispose();

    private static CmdletModel Read(Type type)
    {
        var cmdlet = Find(type, "CmdletAttribute");
        string verb = cmdlet?.ConstructorArguments[0].Value as string ?? "";
        string noun = cmdlet?.ConstructorArguments[1].Value as string ?? "";
        var impact = cmdlet is null ? null : Named(cmdlet, "ConfirmImpact");
        var impactName = impact is null ? null : EnumNames(cmdlet!.NamedArguments.First(n => n.MemberName == "ConfirmImpact").TypedValue.ArgumentType)
            .Zip(cmdlet.NamedArguments.First(n => n.MemberName == "ConfirmImpact").TypedValue.ArgumentType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetRawConstantValue()))
            .First(x => Equals(x.Second, impact)).First;
        var outputs = FindAll(type, "OutputTypeAttribute").SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(x => x.Value) : [arg.Value])
            .OfType<Type>().ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => Find(p, "ParameterAttribute") is not null)
            .Select(ReadParameter)
            .ToList();
        return new CmdletModel(type, cmdlet is not null, verb, noun, cmdlet is null ? null : Named(cmdlet, "DefaultParameterSetName") as string,
            cmdlet is not null && Named(cmdlet, "SupportsShouldProcess") is true, impactName, outputs, parameters);
    }

    private static ParameterModel ReadParameter(PropertyInfo p)
    {
        var uses = FindAll(p, "ParameterAttribute").Select(a => new ParameterUse(
            Named(a, "ParameterSetName") as string ?? AllSets,
            Named(a, "Mandatory") is true,
            Named(a, "Position") is int pos && pos != int.MinValue ? pos : null,
            Named(a, "ValueFromPipeline") is true,
            Named(a, "ValueFromPipelineByPropertyName") is true)).ToList();
        var aliases = FindAll(p, "AliasAttribute").SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(x => x.Value as string) : [arg.Value as string])
            .OfType<string>().ToList();
        var completer = Find(p, "ArgumentCompleterAttribute")?.ConstructorArguments.FirstOrDefault().Value as Type;
        var validateSet = Find(p, "ValidateSetAttribute")?.ConstructorArguments
            .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> list ? list.Select(x => x.Value as string) : [arg.Value as string])
            .OfType<string>().ToList() ?? [];
        return new ParameterModel(p.Name, p.PropertyType, aliases, uses, Find(p, "SupportsWildcardsAttribute") is not null, completer, validateSet, p.CanWrite && p.SetMethod!.IsPublic);
    }
}

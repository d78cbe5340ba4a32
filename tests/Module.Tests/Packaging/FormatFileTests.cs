using System.Reflection;
using System.Xml.Linq;
using ZarrPartition.Module.Tests.Metadata;

namespace ZarrPartition.Module.Tests.Packaging;

/// <summary>ZarrPartition.Format.ps1xml: a table view for every object the cmdlets emit, live and deserialized, naming only properties that exist.</summary>
public sealed class FormatFileTests
{
    private static readonly XDocument Format = XDocument.Load(Repository.File("src", "Module", "ZarrPartition.Format.ps1xml"));

    private static IEnumerable<XElement> Views => Format.Root!.Element("ViewDefinitions")!.Elements("View");

    /// <summary>The output types and the module types they hold in their properties.</summary>
    public static IReadOnlyList<Type> EmittedTypes
    {
        get
        {
            var seen = new List<Type>();
            var todo = new Queue<Type>(ModuleMetadata.Shared.Cmdlets.SelectMany(c => c.OutputTypes).Where(t => t.Assembly == ModuleMetadata.Shared.Assembly));
            while (todo.TryDequeue(out var t))
            {
                if (seen.Contains(t))
                {
                    continue;
                }

                seen.Add(t);
                foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    var e = p.PropertyType.IsArray ? p.PropertyType.GetElementType()! : p.PropertyType;
                    if (e.Assembly == ModuleMetadata.Shared.Assembly)
                    {
                        todo.Enqueue(e);
                    }
                }
            }

            return seen;
        }
    }

    [Fact]
    public void Every_emitted_type_has_a_table_view_for_itself_and_its_Deserialized_twin()
    {
        var selected = Views.SelectMany(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value)).ToList();
        var types = EmittedTypes;
        Assert.True(types.Count >= 9, $"{types.Count} emitted types");
        foreach (var t in types)
        {
            Assert.Contains(t.FullName!, selected);
            Assert.Contains("Deserialized." + t.FullName, selected);
        }
    }

    [Fact]
    public void Views_name_public_module_types_and_their_existing_properties()
    {
        var assembly = ModuleMetadata.Shared.Assembly;
        var names = Views.Select(v => v.Element("Name")!.Value).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var view in Views)
        {
            var typeNames = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value).ToList();
            var live = Assert.Single(typeNames, n => !n.StartsWith("Deserialized.", StringComparison.Ordinal));
            Assert.Equal(["Deserialized." + live], typeNames.Where(n => n != live));
            var type = assembly.GetType(live);
            Assert.True(type is { IsPublic: true }, $"{live} is not a public type of ZarrPartition.dll");
            var table = view.Element("TableControl");
            Assert.NotNull(table);
            var headers = table!.Element("TableHeaders")!.Elements("TableColumnHeader").ToList();
            var items = table.Descendants("TableColumnItem").ToList();
            Assert.Equal(headers.Count, items.Count);
            foreach (var item in items)
            {
                if (item.Element("PropertyName") is { } property)
                {
                    Assert.True(type!.GetProperty(property.Value) is not null, $"{live} has no property {property.Value}");
                }
                else
                {
                    var script = item.Element("ScriptBlock")!.Value;
                    foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(script, @"\$_\.([A-Za-z]+)"))
                    {
                        Assert.True(type!.GetProperty(m.Groups[1].Value) is not null, $"{live}: script column uses $_.{m.Groups[1].Value}");
                    }
                }
            }
        }
    }
}

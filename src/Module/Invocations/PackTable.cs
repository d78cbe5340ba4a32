using System.Collections;
using System.Globalization;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// Turns -Pack's hashtable into the engine's packing specs: <c>@{t2m=16; sp='16:50000:110000'}</c> means
/// the CLI's <c>--pack t2m=16,sp=16:50000:110000</c> (bits 8, 16 or 32, optionally with the range).
/// </summary>
public static class PackTable
{
    public static IReadOnlyList<PackSpec>? From(IDictionary? table)
    {
        if (table is null || table.Count == 0)
        {
            return null;
        }

        var entries = new List<string>();
        foreach (DictionaryEntry entry in table)
        {
            var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.Trim() ?? "";
            var value = Convert.ToString(entry.Value, CultureInfo.InvariantCulture)?.Trim() ?? "";
            if (name.Length == 0 || value.Length == 0 || name.Contains(',', StringComparison.Ordinal) || value.Contains(',', StringComparison.Ordinal))
            {
                throw ModuleErrors.Create(ModuleErrors.InvalidPackTable, ErrorKind.InvalidArgument, "Pack",
                    $"-Pack has '{entry.Key}' = '{entry.Value}'. Give variable = bits or 'bits:min:max', e.g. -Pack @{{t2m=16; sp='16:50000:110000'}}.");
            }

            entries.Add(name + "=" + value);
        }

        return PackSpec.ParseList(string.Join(",", entries));
    }
}

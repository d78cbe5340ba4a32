using System.Globalization;
using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Datasets;

/// <summary>
/// An attribute with NetCDF semantics: text is a string (NC_CHAR arrays and NC_STRING scalars),
/// a list of strings for NC_STRING arrays, otherwise a typed numeric array (sbyte[], byte[], short[],
/// ushort[], int[], uint[], long[], ulong[], float[], double[]) — even for a single number.
/// </summary>
public sealed record AttributeValue(string Name, object Value)
{
    public bool IsText => Value is string;

    public string? Text => Value as string;

    /// <summary>The values as doubles (empty for text).</summary>
    public double[] AsDoubles() => Value switch
    {
        // exact types first: the runtime lets a byte[] pass a test for sbyte[] (likewise ushort/short,
        // uint/int, ulong/long), so a pattern on the array type alone would read a uint8 255 as -1
        _ when Value.GetType() == typeof(byte[]) => ((byte[])Value).Select(x => (double)x).ToArray(),
        _ when Value.GetType() == typeof(ushort[]) => ((ushort[])Value).Select(x => (double)x).ToArray(),
        _ when Value.GetType() == typeof(uint[]) => ((uint[])Value).Select(x => (double)x).ToArray(),
        _ when Value.GetType() == typeof(ulong[]) => ((ulong[])Value).Select(x => (double)x).ToArray(),
        sbyte[] a => a.Select(x => (double)x).ToArray(),
        short[] a => a.Select(x => (double)x).ToArray(),
        int[] a => a.Select(x => (double)x).ToArray(),
        long[] a => a.Select(x => (double)x).ToArray(),
        float[] a => a.Select(x => (double)x).ToArray(),
        double[] a => a,
        _ => [],
    };

    /// <summary>JSON as xarray/zarr store it: a scalar for one number, a list for several, a string for text.</summary>
    public JsonNode? ToJson()
    {
        switch (Value)
        {
            case string s:
                return JsonValue.Create(s);
            case string[] list:
                return new JsonArray(list.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
        }

        var nodes = Value switch
        {
            _ when Value.GetType() == typeof(byte[]) => ((byte[])Value).Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            _ when Value.GetType() == typeof(ushort[]) => ((ushort[])Value).Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            _ when Value.GetType() == typeof(uint[]) => ((uint[])Value).Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            _ when Value.GetType() == typeof(ulong[]) => ((ulong[])Value).Select(x => (JsonNode)JsonValue.Create(x)).ToArray(),
            sbyte[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            short[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            int[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            long[] a => a.Select(x => (JsonNode)JsonValue.Create(x)).ToArray(),
            float[] a => a.Select(x => Number(x)).ToArray(),
            double[] a => a.Select(Number).ToArray(),
            _ => [],
        };
        return nodes.Length == 1 ? nodes[0] : new JsonArray(nodes);
    }

    /// <summary>
    /// A float attribute as JSON: NaN and infinities as zarr spells them, and whole numbers with a decimal
    /// point ("100.0", not "100"), so that readers keep them floats (xarray unpacks with the attribute's type).
    /// </summary>
    private static JsonNode Number(double d)
    {
        if (double.IsNaN(d))
        {
            return JsonValue.Create("NaN");
        }

        if (double.IsInfinity(d))
        {
            return JsonValue.Create(d > 0 ? "Infinity" : "-Infinity");
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? JsonValue.Create(d) : JsonNode.Parse(text + ".0")!;
    }

    public override string ToString() => Value switch
    {
        string s => $"{Name} = \"{s}\"",
        string[] l => $"{Name} = [{string.Join(", ", l.Select(x => "\"" + x + "\""))}]",
        _ => $"{Name} = {string.Join(", ", AsDoubles().Select(d => d.ToString("R", CultureInfo.InvariantCulture)))}",
    };
}

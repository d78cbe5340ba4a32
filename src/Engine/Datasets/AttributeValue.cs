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
        sbyte[] a => a.Select(x => (double)x).ToArray(),
        byte[] a => a.Select(x => (double)x).ToArray(),
        short[] a => a.Select(x => (double)x).ToArray(),
        ushort[] a => a.Select(x => (double)x).ToArray(),
        int[] a => a.Select(x => (double)x).ToArray(),
        uint[] a => a.Select(x => (double)x).ToArray(),
        long[] a => a.Select(x => (double)x).ToArray(),
        ulong[] a => a.Select(x => (double)x).ToArray(),
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
            sbyte[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            byte[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            short[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            ushort[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            int[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            uint[] a => a.Select(x => (JsonNode)JsonValue.Create((long)x)).ToArray(),
            long[] a => a.Select(x => (JsonNode)JsonValue.Create(x)).ToArray(),
            ulong[] a => a.Select(x => (JsonNode)JsonValue.Create(x)).ToArray(),
            float[] a => a.Select(x => Number(x)).ToArray(),
            double[] a => a.Select(Number).ToArray(),
            _ => [],
        };
        return nodes.Length == 1 ? nodes[0] : new JsonArray(nodes);
    }

    private static JsonNode Number(double d) => double.IsNaN(d) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(d) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(d) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(d);

    public override string ToString() => Value switch
    {
        string s => $"{Name} = \"{s}\"",
        string[] l => $"{Name} = [{string.Join(", ", l.Select(x => "\"" + x + "\""))}]",
        _ => $"{Name} = {string.Join(", ", AsDoubles().Select(d => d.ToString("R", CultureInfo.InvariantCulture)))}",
    };
}

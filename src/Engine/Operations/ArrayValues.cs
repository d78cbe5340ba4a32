using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// What <see cref="ReadArray"/> read: a region of one array's decoded values (masked and unpacked as
/// xarray shows them, NaN where missing) in C order, the region's shape, and each dimension's coordinate.
/// </summary>
/// <param name="Variable">The array's path in the store.</param>
/// <param name="DataType">The decoded type (float32 values are exact as doubles).</param>
/// <param name="Dimensions">Dimension names, one per axis.</param>
/// <param name="Shape">The region's shape.</param>
/// <param name="Start">The region's first index along each dimension.</param>
/// <param name="Units">The array's units attribute.</param>
/// <param name="Values">The values, C order.</param>
/// <param name="Coordinates">One per dimension.</param>
public sealed record ArrayValues(
    string Variable,
    string DataType,
    string[] Dimensions,
    long[] Shape,
    long[] Start,
    string? Units,
    double[] Values,
    CoordinateValues[] Coordinates)
{
    /// <summary>
    /// {"variable", "dataType", "dims", "shape", "region": {dim: [start, stop]}, "coords": {dim: [...]}
    /// (dimensions with a coordinate array: ISO dates for times), "values": nested lists}; NaN as null.
    /// </summary>
    public JsonObject ToJson()
    {
        var region = new JsonObject();
        var coords = new JsonObject();
        foreach (var c in Coordinates)
        {
            region[c.Dimension] = new JsonArray(c.Start, c.Stop);
            if (c.Times is { } times)
            {
                coords[c.Dimension] = new JsonArray(times.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
            }
            else if (c.Values is { } values)
            {
                coords[c.Dimension] = new JsonArray(values.Select(v => Number(v, c.DataType == "float32")).ToArray());
            }
        }

        bool float32 = DataType == "float32";
        int next = 0;
        return new JsonObject
        {
            ["variable"] = Variable,
            ["dataType"] = DataType,
            ["units"] = Units,
            ["dims"] = new JsonArray(Dimensions.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["shape"] = new JsonArray(Shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["region"] = region,
            ["coords"] = coords,
            ["values"] = Nest(0),
        };

        JsonNode? Nest(int axis)
        {
            if (axis == Shape.Length)
            {
                return Number(Values[next++], float32);
            }

            var list = new JsonArray();
            for (long i = 0; i < Shape[axis]; i++)
            {
                list.Add(Nest(axis + 1));
            }

            return list;
        }
    }

    /// <summary>A value as JSON: null for NaN and infinities; a float32 value in its shortest float32 form.</summary>
    internal static JsonNode? Number(double value, bool float32) =>
        !double.IsFinite(value) ? null : float32 ? JsonValue.Create((float)value) : JsonValue.Create(value);
}

using System.Text.Json;
using ZarrPartition.Engine.Hdf5;

namespace ZarrPartition.Engine.Tests.Hdf5;

/// <summary>Lookups and reference computations shared by the HDF5 reader tests.</summary>
internal static class Hdf5TestSupport
{
    public static Hdf5Group Group(Hdf5File file, string path)
    {
        var g = file.Root;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            g = g.Groups.Single(c => c.Name == part);
        }

        return g;
    }

    /// <summary>A dataset by its netCDF name (netCDF-C renames a variable that clashes with a dimension).</summary>
    public static Hdf5Dataset Dataset(Hdf5Group group, string name) =>
        group.Datasets.SingleOrDefault(d => d.Name == "_nc4_non_coord_" + name)
        ?? group.Datasets.SingleOrDefault(d => d.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"dataset '{name}' not found in '{group.Path}'");

    public static long Elements(long[] shape)
    {
        long n = 1;
        foreach (var s in shape)
        {
            n *= s;
        }

        return n;
    }

    public static byte[] ReadAll(Hdf5Dataset d)
    {
        var buffer = new byte[Elements(d.Shape) * d.Type.Size];
        d.Read(new long[d.Shape.Length], (long[])d.Shape.Clone(), buffer);
        return buffer;
    }

    /// <summary>The C-order sub-array [start, start+count) of a whole C-order array, element by element.</summary>
    public static byte[] Slice(byte[] whole, long[] shape, long[] start, long[] count, int elementSize)
    {
        int rank = shape.Length;
        var result = new byte[Elements(count) * elementSize];
        var idx = new long[rank];
        long n = Elements(count);
        for (long i = 0; i < n; i++)
        {
            long rem = i;
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d] = rem % count[d];
                rem /= count[d];
            }

            long src = 0;
            for (int d = 0; d < rank; d++)
            {
                src = src * shape[d] + start[d] + idx[d];
            }

            Array.Copy(whole, src * elementSize, result, i * elementSize, elementSize);
        }

        return result;
    }

    /// <summary>Asserts that an attribute value equals what netCDF4-python or h5py wrote to the JSON description.</summary>
    public static void AssertAttribute(JsonElement expected, object? actual, string where)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.String:
                Assert.True(actual is string, $"{where}: expected text, got {actual?.GetType().Name ?? "null"}");
                Assert.Equal(expected.GetString(), (string)actual!);
                return;
            case JsonValueKind.Array:
                {
                    var items = expected.EnumerateArray().ToArray();
                    if (items.Length > 0 && items.All(i => i.ValueKind == JsonValueKind.String && i.GetString() != "NaN"))
                    {
                        var strings = actual switch
                        {
                            string[] s => s,
                            string s => [s],
                            _ => throw new Xunit.Sdk.XunitException($"{where}: expected strings, got {actual?.GetType().Name ?? "null"}"),
                        };
                        Assert.Equal(items.Select(i => i.GetString()).ToArray(), strings);
                        return;
                    }

                    var array = Assert.IsAssignableFrom<Array>(actual);
                    Assert.Equal(items.Length, array.Length);
                    for (int k = 0; k < items.Length; k++)
                    {
                        var value = array.GetValue(k)!;
                        var item = items[k];
                        if (item.ValueKind == JsonValueKind.String)
                        {
                            Assert.True(double.IsNaN(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)), $"{where}[{k}] should be NaN");
                        }
                        else if (value is float or double)
                        {
                            Assert.Equal(item.GetDouble(), Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                        }
                        else if (value is ulong u)
                        {
                            Assert.Equal(item.GetUInt64(), u);
                        }
                        else
                        {
                            Assert.Equal(item.GetInt64(), Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }

                    return;
                }

            default:
                throw new Xunit.Sdk.XunitException($"{where}: unexpected JSON {expected.ValueKind}");
        }
    }
}

using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// The numbers of an attribute, by its exact array type. (Pattern matching on the value cannot tell
/// them apart: the runtime lets a byte[] pass as sbyte[], ushort[] as short[] and so on, so a uint8
/// fill value of 255 would come out as −1.)
/// </summary>
internal static class CfAttributeNumbers
{
    /// <summary>The values as doubles; empty for text.</summary>
    public static double[] Of(AttributeValue attribute)
    {
        var v = attribute.Value;
        var t = v.GetType();
        return t == typeof(double[]) ? (double[])v
            : t == typeof(float[]) ? Array.ConvertAll((float[])v, x => (double)x)
            : t == typeof(sbyte[]) ? Array.ConvertAll((sbyte[])v, x => (double)x)
            : t == typeof(byte[]) ? Array.ConvertAll((byte[])v, x => (double)x)
            : t == typeof(short[]) ? Array.ConvertAll((short[])v, x => (double)x)
            : t == typeof(ushort[]) ? Array.ConvertAll((ushort[])v, x => (double)x)
            : t == typeof(int[]) ? Array.ConvertAll((int[])v, x => (double)x)
            : t == typeof(uint[]) ? Array.ConvertAll((uint[])v, x => (double)x)
            : t == typeof(long[]) ? Array.ConvertAll((long[])v, x => (double)x)
            : t == typeof(ulong[]) ? Array.ConvertAll((ulong[])v, x => (double)x)
            : [];
    }

    /// <summary>Whether the attribute holds integers (numpy treats integer scalars differently from float ones).</summary>
    public static bool IsInteger(AttributeValue attribute) =>
        attribute.Value is Array && attribute.Value.GetType() != typeof(float[]) && attribute.Value.GetType() != typeof(double[]) && attribute.Value is not string[];
}

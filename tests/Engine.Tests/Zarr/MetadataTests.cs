using System.Text;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Zarr;

public class MetadataTests
{
    private const string V2 = """{"zarr_format":2,"shape":[4],"chunks":[2],"dtype":"<f4","compressor":null,"fill_value":FILL,"order":"C","filters":null}""";

    [Theory]
    [InlineData("\"NaN\"", 0x7FC00000u)]
    [InlineData("\"Infinity\"", 0x7F800000u)]
    [InlineData("\"-Infinity\"", 0xFF800000u)]
    [InlineData("1.5", 0x3FC00000u)]
    [InlineData("0", 0u)]
    public void ParsesEveryV2FloatFillForm(string fill, uint bits)
    {
        var m = ArrayMetadata.ParseV2(JsonNode.Parse(V2.Replace("FILL", fill)), null, "a/.zarray");
        Assert.Equal(bits, BitConverter.ToUInt32(m.FillValue!));
        Assert.Equal(fill.Replace("1.5", "1.5"), m.ToV2Json()["fill_value"]!.ToJsonString());
    }

    [Fact]
    public void ParsesV3HexAndIntegerFillValues()
    {
        string doc(string dt, string fill) => $$$"""{"zarr_format":3,"node_type":"array","shape":[2],"data_type":"{{{dt}}}","chunk_grid":{"name":"regular","configuration":{"chunk_shape":[2]}},"chunk_key_encoding":{"name":"default","configuration":{"separator":"/"}},"fill_value":{{{fill}}},"codecs":[{"name":"bytes","configuration":{"endian":"little"}}]}""";
        Assert.Equal(0x7FC00001u, BitConverter.ToUInt32(ArrayMetadata.ParseV3(JsonNode.Parse(doc("float32", "\"0x7fc00001\"")), "k").FillValue!));
        Assert.Equal(-7L, BitConverter.ToInt64(ArrayMetadata.ParseV3(JsonNode.Parse(doc("int64", "-7")), "k").FillValue!));
        Assert.Equal(ulong.MaxValue, BitConverter.ToUInt64(ArrayMetadata.ParseV3(JsonNode.Parse(doc("uint64", "18446744073709551615")), "k").FillValue!));
        Assert.Equal(1, ArrayMetadata.ParseV3(JsonNode.Parse(doc("bool", "true")), "k").FillValue![0]);
        var e = Assert.Throws<MetadataException>(() => ArrayMetadata.ParseV3(JsonNode.Parse(doc("int8", "300")), "k"));
        Assert.Contains("300", e.Message);
    }

    [Fact]
    public void UnknownFieldsAndCodecsAreRefusedByName()
    {
        var e1 = Assert.Throws<MetadataException>(() => ArrayMetadata.ParseV2(JsonNode.Parse(V2.Replace("FILL", "0").Replace("\"order\"", "\"weird\":1,\"order\"")), null, "a/.zarray"));
        Assert.Contains("weird", e1.Message);
        var e2 = Assert.Throws<MetadataException>(() => ArrayMetadata.ParseV2(JsonNode.Parse(V2.Replace("FILL", "0").Replace("\"compressor\":null", "\"compressor\":{\"id\":\"bz2\",\"level\":1}")), null, "a/.zarray"));
        Assert.Contains("bz2", e2.Message);
        Assert.Equal("UnsupportedCodec", e2.ErrorId);
        var e3 = Assert.Throws<MetadataException>(() => ArrayMetadata.ParseV2(JsonNode.Parse(V2.Replace("FILL", "0").Replace("\"filters\":null", "\"filters\":[{\"id\":\"delta\",\"dtype\":\"<f4\"}]")), null, "a/.zarray"));
        Assert.Contains("delta", e3.Message);

        var v3 = """{"zarr_format":3,"node_type":"array","shape":[2],"data_type":"int8","chunk_grid":{"name":"regular","configuration":{"chunk_shape":[2]}},"chunk_key_encoding":{"name":"default"},"fill_value":0,"codecs":[{"name":"bytes"},{"name":"mystery"}]EXTRA}""";
        var e4 = Assert.Throws<MetadataException>(() => ArrayMetadata.ParseV3(JsonNode.Parse(v3.Replace("EXTRA", "")), "k"));
        Assert.Contains("mystery", e4.Message);
        var ok = v3.Replace(",{\"name\":\"mystery\"}", "");
        var e5 = Assert.Throws<MetadataException>(() => ArrayMetadata.ParseV3(JsonNode.Parse(ok.Replace("EXTRA", ",\"ext\":{\"x\":1}")), "k"));
        Assert.Contains("ext", e5.Message);
        // an extension that says it need not be understood is accepted
        Assert.NotNull(ArrayMetadata.ParseV3(JsonNode.Parse(ok.Replace("EXTRA", ",\"ext\":{\"must_understand\":false}")), "k"));
    }

    [Fact]
    public void MalformedJsonIsATypedErrorNamingTheKey()
    {
        var store = new MemoryStore();
        store.Set("bad/.zarray", Encoding.UTF8.GetBytes("{\"zarr_format\": 2, \"shape\": [1"));
        var e = Assert.Throws<MetadataException>(() => ZarrArray.Open(store, "bad"));
        Assert.Equal("MalformedJson", e.ErrorId);
        Assert.Contains("bad/.zarray", e.Message);
    }

    [Fact]
    public void V2DimensionNamesTravelAsArrayDimensions()
    {
        var m = ArrayMetadata.Create(2, [3, 4], [3, 4], ZarrDataType.Float64, null, null, ["y", "x"], new JsonObject { ["long_name"] = "t" });
        var attrs = m.ToV2Attributes();
        Assert.Equal("[\"y\",\"x\"]", attrs["_ARRAY_DIMENSIONS"]!.ToJsonString());
        var back = ArrayMetadata.ParseV2(m.ToV2Json(), attrs, "k");
        Assert.Equal(new string?[] { "y", "x" }, back.DimensionNames!);
        Assert.False(back.Attributes.ContainsKey("_ARRAY_DIMENSIONS"));
    }

    [Fact]
    public void ConsolidatedMetadataIsWrittenAndPreferred()
    {
        foreach (var format in new[] { 2, 3 })
        {
            var store = new MemoryStore();
            ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(format, new JsonObject { ["title"] = "t" }));
            ZarrArray.Create(store, "a", ArrayMetadata.Create(format, [4], [2], ZarrDataType.Int8, null, null, ["x"], null));
            ZarrArray.Create(store, "g/b", ArrayMetadata.Create(format, [4], [2], ZarrDataType.Int8, null, null, ["x"], null));
            ZarrHierarchy.CreateGroup(store, "g", new GroupMetadata(format, new JsonObject()));
            ZarrHierarchy.Consolidate(store);
            var h = ZarrHierarchy.Open(store);
            Assert.True(h.Consolidated);
            Assert.Equal(["a", "g/b"], h.Arrays.Keys.ToArray());
            Assert.Equal("t", h.Groups[""].Attributes["title"]!.GetValue<string>());
            var scanned = ZarrHierarchy.Open(store, useConsolidated: false);
            Assert.False(scanned.Consolidated);
            Assert.Equal(h.Arrays.Keys, scanned.Arrays.Keys);
        }
    }
}

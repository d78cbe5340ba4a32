using System.Text.Json.Nodes;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Operations;

/// <summary>
/// A store written by Debian's xarray (Zarr v2, consolidated) that exercises CF decoding: float32 with
/// NaN (tas), float64 with a _FillValue (pr), float64 packed into int16 with scale_factor, add_offset and
/// _FillValue (packed), int32 without a fill value (count), a 2-D variable (elev), coordinates time
/// (int64 hours since …), lat (float32) and lon (float64). Chunks [4, 3, 4] over [10, 7, 9] leave uneven
/// edge chunks; three chunk files are deleted afterwards (one of them an edge chunk), so xarray reads them
/// as the fill value. <see cref="Expected"/> holds xarray's statistics of every data variable.
/// </summary>
public sealed class DecodedStoreFixture : IDisposable
{
    public const string MakeStore = """
        import sys, os, json, numpy as np, pandas as pd, xarray as xr
        out = sys.argv[1]
        rng = np.random.default_rng(42)
        nt, ny, nx = 10, 7, 9
        time = pd.date_range("2000-01-01", periods=nt, freq="6H")
        lat = np.linspace(-30, 30, ny).astype("float32") + np.float32(0.1)
        lon = np.arange(nx, dtype="float64") * 2.5
        tas = rng.normal(280, 10, (nt, ny, nx)).astype("float32")
        tas[0, 0, 0] = np.nan; tas[3, 2, :] = np.nan
        pr = rng.gamma(2.0, 1e-5, (nt, ny, nx))
        pr[5, :, 4] = np.nan
        packed = rng.uniform(250, 300, (nt, ny, nx))
        packed[7, 1, 1] = np.nan
        count = rng.integers(-5, 100, (nt, ny, nx)).astype("int32")
        ds = xr.Dataset(
            {"tas": (("time", "lat", "lon"), tas, {"units": "K"}),
             "pr": (("time", "lat", "lon"), pr),
             "packed": (("time", "lat", "lon"), packed),
             "count": (("time", "lat", "lon"), count),
             "elev": (("lat", "lon"), rng.normal(0, 1, (ny, nx)))},
            coords={"time": time, "lat": lat, "lon": lon})
        enc = {v: {"chunks": (4, 3, 4)} for v in ["tas", "pr", "packed", "count"]}
        enc["pr"]["_FillValue"] = -9999.0
        enc["packed"].update(dtype="int16", scale_factor=0.01, add_offset=275.0, _FillValue=-32767)
        enc["elev"] = {"chunks": (3, 4)}
        ds.to_zarr(out, encoding=enc, consolidated=True)
        for key in ["tas/1.1.1", "packed/0.0.0", "pr/2.2.2"]:
            os.remove(os.path.join(out, key))

        ds = xr.open_zarr(out)
        stats = {}
        for n in ds.data_vars:
            v = ds[n].values.astype("float64")
            stats[n] = {"dtype": str(ds[n].dtype), "count": int(np.count_nonzero(~np.isnan(v))), "missing": int(ds[n].isnull().sum()),
                        "min": float(np.nanmin(v)), "max": float(np.nanmax(v)), "mean": float(np.nanmean(v)), "std": float(np.nanstd(v))}
        print(json.dumps(stats))
        """;

    private readonly TempDir _dir = new();

    public DecodedStoreFixture()
    {
        StorePath = _dir.Sub("decoded.zarr");
        var json = ReferenceTools.RunPython(MakeStore, StorePath);
        Expected = JsonNode.Parse(json)!.AsObject();
    }

    public string StorePath { get; }

    /// <summary>By data variable: dtype, count, missing, min, max, mean, std, as numpy computes them from xarray's decoded values (in float64).</summary>
    public JsonObject Expected { get; }

    public void Dispose() => _dir.Dispose();
}

// Reads arrays of a Zarr store with zarrita and writes each one's values (little-endian, C order)
// to OUTDIR/<name>.bin; prints one JSON line of metadata per array.
// Usage: node read.mjs STORE OUTDIR ARRAY_PATH...
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const typed = {
  int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
  float32: Float32Array, float64: Float64Array,
};
function scalarArray(dtype, value) {
  if (dtype === "bool") return Uint8Array.of(value ? 1 : 0);
  const T = typed[dtype];
  if (!T) throw new Error(`no typed array for ${dtype}`);
  return T.of(value);
}

const [storePath, outDir, ...arrays] = process.argv.slice(2);
const store = new FileSystemStore(storePath);
const root = zarr.root(store);
for (const path of arrays) {
  const location = path === "/" ? root : root.resolve(path);
  const arr = await zarr.open(location, { kind: "array" });
  const chunk = await zarr.get(arr);
  // a 0-d array comes back as a bare scalar
  const data = arr.shape.length === 0 ? scalarArray(arr.dtype, chunk) : chunk.data;
  let bytes;
  if (data && data.buffer && typeof data.byteLength === "number") {
    // typed arrays, and zarrita's BoolArray (one byte per element)
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } else {
    throw new Error(`unexpected data container for ${path}: ${data?.constructor?.name}`);
  }
  writeFileSync(join(outDir, path.replaceAll("/", "_") + ".bin"), bytes);
  const dims = arr.attrs?._ARRAY_DIMENSIONS ?? arr.dimensionNames ?? null;
  console.log(JSON.stringify({ path, shape: arr.shape, chunks: arr.chunks, dtype: arr.dtype, attrs: arr.attrs, dims },
    (k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

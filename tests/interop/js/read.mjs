// Reads arrays of a Zarr store with zarrita and writes each one's values (little-endian, C order)
// to OUTDIR/<name>.bin; prints one JSON line of metadata per array.
// Usage: node read.mjs STORE OUTDIR ARRAY_PATH...
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const [storePath, outDir, ...arrays] = process.argv.slice(2);
const store = new FileSystemStore(storePath);
const root = zarr.root(store);
for (const path of arrays) {
  const location = path === "/" ? root : root.resolve(path);
  const arr = await zarr.open(location, { kind: "array" });
  const chunk = await zarr.get(arr);
  const data = chunk.data;
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

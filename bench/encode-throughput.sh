#!/usr/bin/env bash
# Encode-only benchmark: every 4 MiB chunk of the 1 GiB climate-like float32 array through one codec,
# no store, with ZarrPartition's engine on one thread and with numcodecs (C: c-blosc, liblz4, zlib) on
# one thread and, for blosc, on two (c-blosc's own threads, as zarr-python uses it). Separates codec
# speed from the file system, which bench/write-throughput.sh includes.
# Usage: bench/encode-throughput.sh [WORKDIR] [T]   CODECS=blosc:lz4:5 REPEATS=3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
t=${2:-256}
codecs=${CODECS:-blosc:lz4:5}
repeats=${REPEATS:-3}
py=${ZARRPARTITION_PYTHON:-/usr/bin/python3}
mkdir -p "$work"
raw="$work/climate-$t.f32"
[ -f "$raw" ] || "$py" "$here/make_climate.py" "$raw" "$t,1024,1024"
dotnet build "$here/ZarrPartition.Bench" -c Release -v q -nologo >/dev/null
chunk=$((4 * 1024 * 1024))
echo "case,seconds,MB_per_s,encoded_bytes"
"$py" "$here/encode_python.py" "$raw" "$chunk" "$codecs" "$repeats" 1
blosc=$(tr ',' '\n' <<<"$codecs" | grep '^blosc' | paste -sd, - || true)
[ -z "$blosc" ] || "$py" "$here/encode_python.py" "$raw" "$chunk" "$blosc" "$repeats" 2
dotnet "$here/ZarrPartition.Bench/bin/Release/net10.0/ZarrPartition.Bench.dll" encode "$raw" "$chunk" "$codecs" "$repeats"

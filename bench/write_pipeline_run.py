"""One timed case of bench/write-pipeline.sh: the whole partition-write pipeline of one side, with P writer processes
started at once. Every process runs under /usr/bin/time -v (peak RSS, user and system CPU). The store is removed and
`sync` run before the clock starts; nothing else is dropped (sources stay in the page cache, as for both sides).

ours:   zarrpartition template SOURCES --store S --chunks time=24 --codec blosc:lz4:5 --force
        zarrpartition plan --store S --ranks P --sources SOURCES --output plan.json
        P x zarrpartition write --plan plan.json --rank K [--threads T]      (all at once)
        zarrpartition finalize --store S --plan plan.json
xarray: python3 write_pipeline_xarray.py template S SOURCES                 (open_mfdataset + to_zarr(compute=False))
        P x python3 write_pipeline_xarray.py region S K P SOURCES           (all at once)
floor:  ZarrPartition.Bench read decode SRCDIR P                            (our reader alone, P threads, in-process clock)

Prints one CSV line: side,P,threads,wall_s,MB_per_s,template_s,plan_s,write_s,finalize_s,writer_rss_max_MB,
writer_rss_mean_MB,template_rss_MB,cpu_s,stored_bytes
Usage: python3 write_pipeline_run.py ours|xarray|floor P THREADS WORK SRCDIR CLI_DLL BENCH_DLL
       (THREADS: a number for --threads, or "default" for none)"""
import glob
import os
import shutil
import subprocess
import sys
import time

side, parts, threads, work, srcdir, cli, bench = sys.argv[1], int(sys.argv[2]), sys.argv[3], *sys.argv[4:8]
here = os.path.dirname(os.path.abspath(__file__))
py = os.environ.get("ZARRPARTITION_PYTHON", "/usr/bin/python3")
sources = sorted(glob.glob(os.path.join(srcdir, "*.nc")))
logs = os.path.join(work, "logs")
os.makedirs(logs, exist_ok=True)


def source_bytes():
    # 24 x 181 x 360 float32 per file, as make_daily_files.py writes them
    return len(sources) * 24 * 181 * 360 * 4


def parse_time(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("Maximum resident set size"):
            out["rss"] = int(line.rsplit(":", 1)[1]) / 1024
        elif line.startswith("User time"):
            out["user"] = float(line.rsplit(":", 1)[1])
        elif line.startswith("System time"):
            out["sys"] = float(line.rsplit(":", 1)[1])
        elif line.startswith("Exit status"):
            out["status"] = int(line.rsplit(":", 1)[1])
    return out


def timed(name, argv):
    """Starts argv under /usr/bin/time -v; returns (Popen, time log path)."""
    log = os.path.join(logs, f"{side}-{parts}-{name}.time")
    out = open(os.path.join(logs, f"{side}-{parts}-{name}.out"), "w")
    return subprocess.Popen(["/usr/bin/time", "-v", "-o", log, *argv], stdout=out, stderr=subprocess.STDOUT), log


def run(name, argv):
    t = time.perf_counter()
    p, log = timed(name, argv)
    if p.wait() != 0:
        sys.exit(f"{side} P={parts}: {name} failed (exit {p.returncode}); see {log[:-5]}.out")
    return time.perf_counter() - t, parse_time(log)


def run_all(name, argvs):
    t = time.perf_counter()
    started = [timed(f"{name}{k}", a) for k, a in enumerate(argvs)]
    for k, (p, log) in enumerate(started):
        if p.wait() != 0:
            sys.exit(f"{side} P={parts}: {name}{k} failed (exit {p.returncode}); see {log[:-5]}.out")
    return time.perf_counter() - t, [parse_time(log) for _, log in started]


def stored(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


if side == "floor":
    out = subprocess.run(["dotnet", bench, "read", "decode", srcdir, str(parts)], check=True, capture_output=True, text=True).stdout
    _, seconds, rate = out.strip().splitlines()[-1].split(",")
    print(f"floor,{parts},{parts},{float(seconds):.3f},{float(rate):.1f},,,,,,,,,")
    sys.exit(0)

store = os.path.join(work, f"{side}.zarr")
plan = os.path.join(work, f"{side}-plan.json")
shutil.rmtree(store, ignore_errors=True)
os.sync()
t0 = time.perf_counter()
plan_s = finalize_s = 0.0
if side == "ours":
    dotnet = ["dotnet", cli]
    template_s, tt = run("template", [*dotnet, "template", *sources, "--store", store, "--chunks", "time=24", "--codec", "blosc:lz4:5", "--force"])
    plan_s, pt = run("plan", [*dotnet, "plan", "--store", store, "--ranks", str(parts), "--sources", *sources, "--output", plan])
    extra = [] if threads == "default" else ["--threads", threads]
    write_s, wt = run_all("write", [[*dotnet, "write", "--plan", plan, "--rank", str(k), *extra] for k in range(parts)])
    finalize_s, ft = run("finalize", [*dotnet, "finalize", "--store", store, "--plan", plan])
    steps = [tt, pt, *wt, ft]
else:
    script = os.path.join(here, "write_pipeline_xarray.py")
    template_s, tt = run("template", [py, script, "template", store, *sources])
    write_s, wt = run_all("write", [[py, script, "region", store, str(k), str(parts), *sources] for k in range(parts)])
    steps = [tt, *wt]
wall = time.perf_counter() - t0
cpu = sum(s["user"] + s["sys"] for s in steps)
rss = [s["rss"] for s in wt]
print(f"{side},{parts},{threads},{wall:.3f},{source_bytes() / 1e6 / wall:.1f},{template_s:.3f},{plan_s:.3f},{write_s:.3f},{finalize_s:.3f},"
      f"{max(rss):.1f},{sum(rss) / len(rss):.1f},{tt['rss']:.1f},{cpu:.2f},{stored(store)}")

"""Measure dutycheck against its baselines, side by side in the same run (not a test).

    python benchmarks/generate.py                 # once: writes benchmarks/data/
    python benchmarks/run.py [--runs 5] [--only R1,R2,R3,R4,R5,custody,curve] [--sizes ...]

Every figure is the median of ``--runs`` timed runs after one warm-up, each run a fresh
process; dutycheck and its baseline alternate (A B A B ...), so load on the machine falls on
both alike and the *ratio* is what is reported and compared with its target. Peak memory is
the child's maximum resident set (``wait4``). Prints a table and writes JSON
(default benchmarks/results.json), replacing only the benchmarks this run measured.

``custody`` needs no generated data: it checks the Kent sample's custody area (27,550
synthetic detention records, issue 3) against DuckDB merely reading the detention file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "samples" / "kent-2024-25"
PY = sys.executable
DEPS = "duckdb, click, rich, ruamel.yaml, jsonschema, referencing, pluggy, jinja2, openpyxl"


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system, including worker
    processes it waited for) of one fresh process; fails loudly if it fails."""
    with tempfile.TemporaryFile() as errfile:  # a pipe would block a chatty child
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errfile,
                                env={**os.environ, **env} if env else None)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        errfile.seek(0)
        err = errfile.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def compare(a: list[str], b: list[str], runs: int, env_a: dict[str, str] | None = None) -> dict:
    """Medians of ``runs`` alternating runs of ``a`` (with ``env_a`` added to its
    environment) and ``b`` after one warm-up of each."""
    load_before = os.getloadavg()[0]
    timed(a, env_a)
    timed(b)
    ta, tb, ma, mb, ca, cb = [], [], [], [], [], []
    for _ in range(runs):
        w, m, c = timed(a, env_a)
        ta.append(w)
        ma.append(m)
        ca.append(c)
        w, m, c = timed(b)
        tb.append(w)
        mb.append(m)
        cb.append(c)
    med_a, med_b = statistics.median(ta), statistics.median(tb)
    return {"seconds": round(med_a, 3), "baseline_seconds": round(med_b, 3),
            "ratio": round(med_a / med_b, 2), "peak_mb": round(max(ma)),
            "baseline_peak_mb": round(max(mb)), "runs": runs,
            "cpu_seconds": round(statistics.median(ca), 3),
            "baseline_cpu_seconds": round(statistics.median(cb), 3),
            "load_average_before": round(load_before, 2),
            "load_average_after": round(os.getloadavg()[0], 2),
            "all_seconds": [round(x, 3) for x in ta],
            "all_baseline_seconds": [round(x, 3) for x in tb]}


def dutycheck() -> list[str]:
    exe = shutil.which("dutycheck")
    return [exe] if exe else [PY, "-m", "dutycheck"]


def run_cmd(bundle: Path, out: Path, *formats: str, extra: tuple[str, ...] = ()) -> list[str]:
    cmd = dutycheck() + ["run", str(bundle), "--as-of", "2025-11-01", "--fail-on", "never",
                         "--output", str(out)]
    for f in formats:
        cmd += ["--format", f]
    return cmd + list(extra)


def count_csv(csv: Path) -> list[str]:
    return [PY, "-c", "import duckdb, sys; duckdb.sql(\"SELECT count(*) FROM read_csv('\" + "
            "sys.argv[1] + \"')\").fetchall()", str(csv)]


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import duckdb

    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem,
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "platform": platform.platform()}


def detention_csv(bundle: Path) -> Path:
    return bundle / "custody" / "detention-records.csv"


def detention_only(sample: Path, folder: Path) -> Path:
    """A bundle of the sample's manifest with only its detention records item, so the
    time is that of checking the 27,550-row file, not the sample's other evidence."""
    from ruamel.yaml import YAML

    yaml = YAML()
    manifest = yaml.load((sample / "bundle.yaml").read_text(encoding="utf-8"))
    manifest["items"] = [i for i in manifest["items"]
                         if i["kind"] == "custody_detention_record"]
    (folder / "custody").mkdir(parents=True)
    shutil.copy(detention_csv(sample), detention_csv(folder))
    with open(folder / "bundle.yaml", "w", encoding="utf-8") as fh:
        yaml.dump(manifest, fh)
    return folder


def _rows(csv: Path) -> int:
    with open(csv, "rb") as fh:
        return sum(1 for _ in fh) - 1


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="dutycheck benchmarks (ratios, side by side)")
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="R1,R2,R3,R4,R5,custody,curve")
    ap.add_argument("--sizes", default="250000,500000,1000000,2000000")
    ap.add_argument("--curve-runs", type=int, default=3,
                    help="runs per cost-curve point (the curve has no baseline ratio)")
    ap.add_argument("--json", type=Path, default=HERE / "results.json")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    data: Path = args.data
    results: dict = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M"),
                     "runs": args.runs}
    rows: list[tuple[str, str, str, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="dutycheck-bench-"))
    try:
        if "R1" in only:
            r = compare(dutycheck() + ["--version"], [PY, "-c", "pass"], args.runs)
            results["R1"] = {**r, "target": "<= 3"}
            rows.append(("R1 start-up: --version / python -c pass", f"{r['ratio']:.2f}",
                         "<= 3", f"{r['seconds']:.3f}s vs {r['baseline_seconds']:.3f}s"))
        if "R2" in only:
            out = tmp / "r2"
            out.mkdir()
            r = compare(run_cmd(data / "kent", out, "json", "html"),
                        [PY, "-c", f"import {DEPS}"], args.runs)
            results["R2"] = {**r, "target": "<= 2"}
            rows.append(("R2 Kent, every duty, JSON+HTML / import deps", f"{r['ratio']:.2f}",
                         "<= 2", f"{r['seconds']:.3f}s vs {r['baseline_seconds']:.3f}s"))
            # The same with the duty-file parse cache off: a first run, or DUTYCHECK_NO_CACHE.
            r = compare(run_cmd(data / "kent", out, "json", "html"),
                        [PY, "-c", f"import {DEPS}"], args.runs,
                        env_a={"DUTYCHECK_NO_CACHE": "1"})
            results["R2_no_cache"] = {**r, "target": "<= 2 (informative)"}
            rows.append(("R2 the same, parse cache off (DUTYCHECK_NO_CACHE=1)",
                         f"{r['ratio']:.2f}", "(informative)",
                         f"{r['seconds']:.3f}s vs {r['baseline_seconds']:.3f}s"))
        if "custody" in only:
            alone = detention_only(SAMPLE, tmp / "detention-only")
            for key, bundle, what in (
                    ("custody", alone, "the detention file alone"),
                    ("custody_area", SAMPLE, "the whole sample, --area custody")):
                r = compare(run_cmd(bundle, tmp / f"{key}.json", "json",
                                    extra=("--area", "custody")),
                            count_csv(detention_csv(SAMPLE)), args.runs)
                results[key] = {**r, "target": "(reported: issue 3)", "bundle": what,
                                "rows": _rows(detention_csv(SAMPLE))}
                rows.append((f"custody: {what} / DuckDB read", f"{r['ratio']:.2f}",
                             "(reported)", f"{r['seconds']:.3f}s vs "
                             f"{r['baseline_seconds']:.3f}s, peak {r['peak_mb']} MB vs "
                             f"{r['baseline_peak_mb']} MB"))
        one = data / "national-one"
        if "R3" in only:
            r = compare(run_cmd(one, tmp / "r3.json", "json"),
                        count_csv(detention_csv(one)), args.runs)
            results["R3"] = {**r, "target": "<= 2.5"}
            rows.append(("R3 1.1M rows: run / DuckDB count(*) read_csv", f"{r['ratio']:.2f}",
                         "<= 2.5", f"{r['seconds']:.3f}s vs {r['baseline_seconds']:.3f}s"))
        if "R4" in only:
            r = compare(run_cmd(one, tmp / "r4.json", "json"),
                        [PY, str(HERE / "baselines" / "custody_pandas.py"),
                         str(detention_csv(one))], args.runs)
            results["R4"] = {**r, "target": "<= 0.5", "speedup": round(1 / r["ratio"], 2)}
            rows.append(("R4 1.1M rows: run / pandas script", f"{r['ratio']:.2f}",
                         "<= 0.5 (2x faster)",
                         f"{r['seconds']:.3f}s vs {r['baseline_seconds']:.3f}s"))
        if "R5" in only:
            forces = sorted((data / "national").glob("force-*"))
            if len(forces) != 43:
                raise SystemExit(f"R5 needs the 43 national bundles in {data / 'national'}; "
                                 "run benchmarks/generate.py --sets national")

            def many(jobs: int) -> list[str]:
                out = tmp / f"r5-jobs{jobs}"
                return dutycheck() + ["run", *map(str, forces), "--as-of", "2025-11-01",
                                      "--fail-on", "never", "--format", "json", "--output",
                                      str(out), "--jobs", str(jobs)]

            r = compare(many(2), many(1), args.runs)
            results["R5"] = {**r, "target": ">= 1.7 (throughput)", "bundles": len(forces),
                             "throughput": round(1 / r["ratio"], 2)}
            rows.append(("R5 43 bundles: --jobs 1 / --jobs 2 (throughput)",
                         f"{1 / r['ratio']:.2f}", ">= 1.7",
                         f"{r['seconds']:.3f}s (jobs 2) vs {r['baseline_seconds']:.3f}s "
                         "(jobs 1)"))
        if "curve" in only:
            curve = []
            for n in (int(s) for s in args.sizes.split(",") if s):
                bundle = data / f"scale-{n}"
                if not bundle.is_dir():
                    print(f"skipping {bundle}: not generated", file=sys.stderr)
                    continue
                r = compare(run_cmd(bundle, tmp / f"c{n}.json", "json"),
                            count_csv(detention_csv(bundle)), args.curve_runs)
                curve.append({"rows": n, **r,
                              "seconds_per_million": round(r["seconds"] / n * 1e6, 3)})
                rows.append((f"curve {n:>9,} rows", f"{r['ratio']:.2f}",
                             "linear; RSS <= 1536 MB",
                             f"{r['seconds']:.3f}s, {r['seconds'] / n * 1e6:.2f}s/M rows, "
                             f"peak {r['peak_mb']} MB"))
            results["curve"] = curve
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    m = results["machine"]
    print(f"\n{m['nproc']} CPUs ({m['cpu']}), {m['memory']}; Python {m['python']}, "
          f"DuckDB {m['duckdb']}; medians of {args.runs} runs after a warm-up\n")
    w = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'benchmark':<{w}}  {'ratio':>6}  {'target':<22}  measured")
    for name, ratio, target, note in rows:
        print(f"{name:<{w}}  {ratio:>6}  {target:<22}  {note}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    # Keep the figures of benchmarks not run this time; each says when it was measured.
    stamp = {"when": results["when"], "machine": results["machine"]}
    merged = json.loads(args.json.read_text(encoding="utf-8")) if args.json.is_file() else {}
    merged.update({k: ({**v, **stamp} if isinstance(v, dict) and "ratio" in v else v)
                   for k, v in results.items()})
    args.json.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()

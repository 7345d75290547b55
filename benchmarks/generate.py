"""Write the SYNTHETIC evidence bundles the benchmarks run on (fixed seeds, reproducible).

    python benchmarks/generate.py [FOLDER] [--sets kent,national,national-one,scale]
                                  [--sizes 250000,500000,1000000,2000000]

FOLDER defaults to benchmarks/data/ (git-ignored). It receives:

    kent/               the Kent 2024/25 sample bundle (every area; 27,550 detention rows)
    national/force-NN/  43 custody bundles sized by a plausible force-size distribution
                        (detentions in proportion to rounded force-area population; about
                        1.1 million detention rows in all)
    national-one/       one custody bundle holding all the national detentions in one file
    scale-<rows>/       the cost-curve series, one custody bundle per size

A custody bundle is the Kent sample's custody evidence (suite list, ICV logs, DSI log,
returns) with a generated detention-record file in the Kent sample's format. Detentions
are drawn column-wise with NumPy (PCG64, fixed seed per bundle) and written by DuckDB, so a
two-million-row file takes seconds. Every value is invented; a small share of rows carry
planted problems (late reviews, long detentions, charged children held overnight, records
with impossible times) so the checks have work to do.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
KENT = ROOT / "samples" / "kent-2024-25"
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
SEED = 20250331
NATIONAL_ROWS = 1_100_000
SCALE = (250_000, 500_000, 1_000_000, 2_000_000)
KENT_ROWS = 27_550

# Rounded resident population (millions) of the 43 police force areas of England and Wales;
# detentions are drawn in proportion (City of London weighted for its daytime population).
FORCES = {
    "metropolitan": 8.9, "west-midlands": 2.9, "greater-manchester": 2.9,
    "thames-valley": 2.5, "west-yorkshire": 2.4, "hampshire": 2.0, "kent": 1.9,
    "essex": 1.9, "devon-and-cornwall": 1.8, "avon-and-somerset": 1.7, "sussex": 1.7,
    "lancashire": 1.5, "northumbria": 1.5, "merseyside": 1.4, "south-yorkshire": 1.4,
    "west-mercia": 1.3, "south-wales": 1.3, "hertfordshire": 1.2, "surrey": 1.2,
    "nottinghamshire": 1.2, "staffordshire": 1.1, "leicestershire": 1.1, "derbyshire": 1.1,
    "cheshire": 1.1, "humberside": 0.95, "cambridgeshire": 0.9, "norfolk": 0.9,
    "north-yorkshire": 0.83, "dorset": 0.8, "northamptonshire": 0.8, "suffolk": 0.77,
    "lincolnshire": 0.77, "wiltshire": 0.75, "bedfordshire": 0.7, "north-wales": 0.7,
    "gloucestershire": 0.65, "durham": 0.64, "warwickshire": 0.6, "gwent": 0.6,
    "cleveland": 0.57, "dyfed-powys": 0.52, "cumbria": 0.5, "city-of-london": 0.15,
}
assert len(FORCES) == 43

SUITES = ["Suite A", "Suite B", "Suite C", "Suite D", "Suite E"]
SUITE_P = [0.24, 0.22, 0.20, 0.19, 0.15]
ETHNIC = ["W", "B", "A", "M", "O"]
ETHNIC_P = [0.82, 0.06, 0.055, 0.04, 0.025]
STRIP = np.array([0.020, 0.036, 0.021, 0.024, 0.020])
ADULT_BANDS = ["18-24", "25-34", "35-49", "50-64", "65+"]
CHILD_BANDS = ["10-13", "14-15", "16-17"]
MAX_REVIEWS = 12
MINUTE = np.timedelta64(1, "m")


def force_sizes(total: int = NATIONAL_ROWS) -> dict[str, int]:
    weight = sum(FORCES.values())
    sizes = {f: int(round(total * p / weight)) for f, p in FORCES.items()}
    sizes["metropolitan"] += total - sum(sizes.values())
    return sizes


def _hours(h: np.ndarray) -> np.ndarray:
    return np.round(h * 60).astype("int64") * MINUTE


def detentions(n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` detention records as NumPy columns (times are datetime64[m], NaT when blank)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-04-01T00:00", "m")
    span = int((np.datetime64("2025-03-31T20:00", "m") - start) / MINUTE)
    arrival = start + rng.integers(0, span, n) * MINUTE
    child = rng.random(n) < 0.045
    eth = rng.choice(len(ETHNIC), n, p=ETHNIC_P)
    u = rng.random(n)
    leg = np.where(u < 0.00015, "tact", np.where(u < 0.02, "other", "pace"))
    pace = leg == "pace"
    hours = np.minimum(rng.lognormal(2.2, 0.6, n), 23.5)
    long = rng.random(n)
    ext = pace & (long < 0.03)
    warr = pace & (long >= 0.03) & (long < 0.033)
    hours = np.where(ext, rng.uniform(24.5, 35.5, n), hours)
    hours = np.where(warr, rng.uniform(37, 60, n), hours)
    supt = np.where(ext | warr, arrival + _hours(rng.uniform(18, 23.5, n)),
                    np.datetime64("NaT", "m"))
    warrant = np.where(warr, arrival + _hours(rng.uniform(30, 35.5, n)),
                       np.datetime64("NaT", "m"))
    auth = arrival + rng.integers(5, 41, n) * MINUTE
    release = arrival + _hours(hours)
    short = release <= auth
    release = np.where(short, auth + rng.integers(20, 91, n) * MINUTE, release)
    charged = rng.random(n) < 0.35
    charge = np.where(charged, release - _hours(rng.uniform(0.1, 1.5, n)),
                      np.datetime64("NaT", "m"))
    charge = np.where(charged & (charge < auth), auth, charge)
    bail_refused = charged & ~child & (rng.random(n) < 0.10)
    next_morning = (charge.astype("datetime64[D]") + np.timedelta64(1, "D")).astype(
        "datetime64[m]") + 510 * MINUTE
    release = np.where(bail_refused, np.maximum(release, next_morning), release)
    # charged children refused bail and held overnight (s.38(6))
    kid = child & pace & (rng.random(n) < 0.04)
    evening = arrival.astype("datetime64[D]").astype("datetime64[m]") + 21 * 60 * MINUTE
    k_charge = evening + _hours(rng.uniform(0, 2, n))
    k_arrival = k_charge - _hours(rng.uniform(4, 8, n))
    arrival = np.where(kid, k_arrival, arrival)
    auth = np.where(kid, k_arrival + 15 * MINUTE, auth)
    charge = np.where(kid, k_charge, charge)
    k_release = (k_charge.astype("datetime64[D]") + np.timedelta64(1, "D")).astype(
        "datetime64[m]") + 420 * MINUTE + _hours(rng.uniform(0, 3, n))
    release = np.where(kid, k_release, release)
    charged = charged | kid
    bail_refused = bail_refused | kid
    supt = np.where(kid, np.datetime64("NaT", "m"), supt)
    warrant = np.where(kid, np.datetime64("NaT", "m"), warrant)
    moved = kid & (rng.random(n) < 0.45)
    certificate = kid & ~moved & (rng.random(n) < 0.95)

    # s.40 reviews: first within 6 hours of authorisation (0.3% late), then every 6-8.9
    # hours (0.1% of gaps late) while the person is held; TACT every 10-11.9 hours.
    first_late = rng.random(n) < 0.003
    tact = leg == "tact"
    release = np.where(first_late & ~tact,
                       np.maximum(release, auth + _hours(rng.uniform(8, 14, n))), release)
    first = auth + _hours(np.where(first_late, rng.uniform(6.2, 7.5, n),
                                   rng.uniform(2.0, 5.9, n)))
    first = np.where(tact, auth + _hours(rng.uniform(10, 11.9, n)), first)
    due = np.where(tact, release > auth + 12 * 60 * MINUTE, release > auth + 360 * MINUTE)
    due |= first_late & ~tact
    reviews = np.full((MAX_REVIEWS, n), np.datetime64("NaT", "m"))
    t = first
    live = due.copy()
    for k in range(MAX_REVIEWS):
        reviews[k] = np.where(live, t, np.datetime64("NaT", "m"))
        gap = np.where(tact, rng.uniform(10, 11.9, n),
                       np.where(rng.random(n) < 0.001, rng.uniform(9.2, 10.0, n),
                                rng.uniform(6, 8.9, n)))
        limit = np.where(tact, 12 * 60, 9 * 60) * MINUTE
        live = live & (release > t + limit)
        t = t + _hours(gap)
    postponed = first_late & (rng.random(n) < 0.15)

    # impossible records (about 3 in 10,000): a review before authorisation, release
    # before authorisation, authorisation before arrival, charged with no charge time
    bad = rng.random(n)
    adult = pace & ~child & ~bail_refused
    r0 = adult & (bad < 0.0001)
    reviews[0] = np.where(r0, auth - 30 * MINUTE, reviews[0])
    r1 = adult & (bad >= 0.0001) & (bad < 0.00015)
    release = np.where(r1, auth - 120 * MINUTE, release)
    r2 = adult & (bad >= 0.00015) & (bad < 0.0002)
    auth = np.where(r2, arrival - 60 * MINUTE, auth)
    r3 = adult & (bad >= 0.0002) & (bad < 0.0003)
    charged = charged | r3
    charge = np.where(r3, np.datetime64("NaT", "m"), charge)

    age = np.where(child, np.array(CHILD_BANDS)[rng.integers(0, 3, n)],
                   np.array(ADULT_BANDS)[rng.integers(0, 5, n)])
    ethnicity = np.array(ETHNIC)[eth]
    ethnicity = np.where(rng.random(n) < 0.035, "", ethnicity)
    strip = rng.random(n) < STRIP[eth]
    aa_missing = child & (rng.random(n) < 0.005)
    cols = {
        "custody_ref": np.char.add("CR", np.char.zfill(np.arange(1, n + 1).astype(str), 7)),
        "suite": np.array(SUITES)[rng.choice(5, n, p=SUITE_P)],
        "legislation": leg, "age_band": age, "ethnicity": ethnicity,
        "arrival_time": arrival, "detention_authorised_time": auth,
        "review_postponement_recorded": np.where(postponed, "true", ""),
        "superintendent_extension_time": supt, "warrant_time": warrant,
        "charged": np.where(charged, "true", "false"), "charge_time": charge,
        "bail_refused": np.where(bail_refused, "true", "false"),
        "transfer_requested": np.where(kid, "true", ""),
        "transfer_completed": np.where(kid, np.where(moved, "true", "false"), ""),
        "impracticability_certificate": np.where(kid, np.where(certificate, "true",
                                                               "false"), ""),
        "release_time": release,
        "appropriate_adult_present": np.where(child, np.where(aa_missing, "false", "true"),
                                              ""),
        "strip_searched": np.where(strip, "true", "false"),
    }
    for k in range(MAX_REVIEWS):
        cols[f"r{k}"] = reviews[k]
    return cols


ORDER = ["custody_ref", "suite", "legislation", "age_band", "ethnicity", "arrival_time",
         "detention_authorised_time", "review_times", "review_postponement_recorded",
         "superintendent_extension_time", "warrant_time", "charged", "charge_time",
         "bail_refused", "transfer_requested", "transfer_completed",
         "impracticability_certificate", "release_time", "appropriate_adult_present",
         "strip_searched"]
TIMES = {"arrival_time", "detention_authorised_time", "superintendent_extension_time",
         "warrant_time", "charge_time", "release_time"}
FMT = "'%Y-%m-%d %H:%M'"


def write_detentions(path: Path, n: int, seed: int) -> None:
    """Write ``n`` detention rows to ``path`` (the Kent sample's CSV format)."""
    import duckdb
    import pandas as pd

    frame = pd.DataFrame(detentions(n, seed))  # noqa: F841 (scanned by DuckDB below)
    reviews = ", ".join(f"strftime(r{k}, {FMT})" for k in range(MAX_REVIEWS))
    select = []
    for c in ORDER:
        if c == "review_times":
            select.append(f"nullif(concat_ws(';', {reviews}), '') AS review_times")
        elif c in TIMES:
            select.append(f"strftime({c}, {FMT}) AS {c}")
        else:  # NULL is written as an empty field ('' would be written as "")
            select.append(f"nullif({c}, '') AS {c}")
    con = duckdb.connect()
    con.execute("SET threads = 1")  # one writer: the file's bytes never depend on timing
    con.execute(f"COPY (SELECT {', '.join(select)} FROM frame) TO '{path}' "
                "(HEADER, DELIMITER ',', QUOTE '\"')")
    con.close()


def custody_bundle(folder: Path, rows: int, seed: int, organisation: str) -> None:
    """A bundle of the Kent sample's custody evidence with ``rows`` generated detentions."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False

    if folder.exists():
        shutil.rmtree(folder)
    (folder / "custody").mkdir(parents=True)
    manifest = yaml.load((KENT / "bundle.yaml").read_text(encoding="utf-8"))
    items = [i for i in manifest["items"] if str(i["file"]).startswith("custody/")]
    for item in items:
        if item["kind"] != "custody_detention_record":
            shutil.copy2(KENT / item["file"], folder / item["file"])
        else:
            item["title"] = f"Detention records ({rows:,} rows, SYNTHETIC benchmark data)"
            item["synthetic"] = True
            item["source"] = {"document": f"benchmarks/generate.py (seed {seed})"}
    write_detentions(folder / "custody" / "detention-records.csv", rows, seed)
    manifest["items"] = items
    manifest["organisation"] = organisation
    manifest["prepared_by"] = {"role": "dutycheck benchmark (synthetic)"}
    (folder / "bundle.yaml").write_text(_dump(yaml, manifest), encoding="utf-8")


def kent_bundle(folder: Path) -> None:
    """The Kent sample as it stands, with manifest items whose files are absent left out."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False

    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(KENT, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    manifest = yaml.load((folder / "bundle.yaml").read_text(encoding="utf-8"))
    missing = [i["file"] for i in manifest["items"] if not (folder / i["file"]).is_file()]
    if missing:
        print(f"kent: leaving out {len(missing)} manifest item(s) whose file is absent",
              file=sys.stderr)
        manifest["items"] = [i for i in manifest["items"] if (folder / i["file"]).is_file()]
        (folder / "bundle.yaml").write_text(_dump(yaml, manifest), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--sets", default="kent,national,national-one,scale")
    ap.add_argument("--sizes", default=",".join(str(s) for s in SCALE),
                    help="rows in each scale-<rows> bundle")
    args = ap.parse_args(argv)
    out: Path = args.folder
    out.mkdir(parents=True, exist_ok=True)
    sets = set(args.sets.split(","))
    if "kent" in sets:
        kent_bundle(out / "kent")
        print(f"wrote {out / 'kent'}")
    if "national" in sets:
        for i, (force, rows) in enumerate(force_sizes().items(), 1):
            custody_bundle(out / "national" / f"force-{i:02d}", rows, SEED + i,
                           f"Synthetic OPCC {i:02d} ({force})")
        print(f"wrote {out / 'national'} (43 bundles, {NATIONAL_ROWS:,} rows)")
    if "national-one" in sets:
        custody_bundle(out / "national-one", NATIONAL_ROWS, SEED, "Synthetic national set")
        print(f"wrote {out / 'national-one'} ({NATIONAL_ROWS:,} rows)")
    if "scale" in sets:
        for rows in (int(s) for s in args.sizes.split(",") if s):
            custody_bundle(out / f"scale-{rows}", rows, SEED + rows, f"Synthetic {rows:,}")
            print(f"wrote {out / f'scale-{rows}'}")


def _dump(yaml, data) -> str:
    """YAML text from ruamel (the project's own YAML library; no PyYAML needed)."""
    import io

    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


if __name__ == "__main__":
    main()

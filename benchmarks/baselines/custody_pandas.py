"""What an analyst writes instead of dutycheck: the headline custody checks as a plain pandas
script over a detention-record CSV (the benchmark's R4 baseline).

    python benchmarks/baselines/custody_pandas.py DETENTION_CSV

PACE s.40 review intervals (first within 6 hours of authorisation, then within 9 hours of
the previous), PACE detentions beyond 24 hours without a superintendent's authority,
charged children refused bail and held overnight (share transferred), and the strip-search
relative rate by ethnicity against W with a 95% CI. No validation, no hashing, no report:
it prints the figures. On the benchmark data it agrees with dutycheck's figures.
"""

from __future__ import annotations

import math
import sys

import pandas as pd

TIMES = ["arrival_time", "detention_authorised_time", "superintendent_extension_time",
         "warrant_time", "charge_time", "release_time"]
CHILD = {"10-13", "14-15", "16-17"}
H = pd.Timedelta(hours=1)


def main(path: str) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in TIMES:
        df[c] = pd.to_datetime(df[c].where(df[c] != ""), format="%Y-%m-%d %H:%M",
                               errors="coerce")
    for c in ("charged", "bail_refused", "strip_searched", "transfer_completed",
              "review_postponement_recorded"):
        df[c] = df[c].str.lower().isin(["true", "yes", "y", "1"])

    reviews = df["review_times"].str.split(";").explode()
    reviews = pd.to_datetime(reviews[reviews.notna() & (reviews != "")],
                             format="%Y-%m-%d %H:%M", errors="coerce")
    first = reviews.groupby(level=0).min()
    last = reviews.groupby(level=0).max()
    df["first_review"], df["last_review"] = first, last

    bad = ((df["detention_authorised_time"] < df["arrival_time"])
           | (df["release_time"] < df["detention_authorised_time"])
           | (df["release_time"] > df["arrival_time"] + 336 * H)
           | (df["first_review"] < df["detention_authorised_time"])
           | (df["last_review"] > df["release_time"])
           | (df["charged"] & df["charge_time"].isna())
           | (df["charge_time"].notna() & ((df["charge_time"] < df["arrival_time"])
                                           | (df["charge_time"] > df["release_time"]))))
    print(f"records with an impossible time: {int(bad.sum())}")
    ok = df[~bad]
    pace = ok[ok["legislation"] == "pace"]

    # PACE s.40: first review within 6 hours of authorisation
    due = pace[pace["release_time"] > pace["detention_authorised_time"] + 6 * H]
    on_time = due["first_review"] <= due["detention_authorised_time"] + 6 * H
    good = on_time | due["review_postponement_recorded"]
    print(f"first reviews on time: {int(good.sum())} of {len(due)}")

    # later reviews: within 9 hours of the previous one
    r = reviews[reviews.index.isin(pace.index)].rename("t").reset_index()
    r = r.sort_values(["index", "t"])
    r["nxt"] = r.groupby("index")["t"].shift(-1)
    r = r.merge(pace[["release_time", "review_postponement_recorded"]], left_on="index",
                right_index=True)
    later_due = r[r["release_time"] > r["t"] + 9 * H]
    later_ok = (later_due["nxt"].notna() & (later_due["nxt"] <= later_due["t"] + 9 * H)) \
        | later_due["review_postponement_recorded"]
    print(f"later reviews on time: {int(later_ok.sum())} of {len(later_due)}")

    # beyond 24 hours without a superintendent's authority
    clock_end = pace["charge_time"].fillna(pace["release_time"])
    limit = pace["arrival_time"] + 24 * H
    over = (clock_end > limit) & (pace["superintendent_extension_time"].isna()
                                  | (pace["superintendent_extension_time"] > limit))
    print(f"beyond 24 hours without authority: {int(over.sum())}")

    # charged children refused bail and held overnight
    kids = ok[ok["age_band"].isin(CHILD) & ok["charged"] & ok["bail_refused"]
              & (ok["release_time"].dt.normalize() > ok["charge_time"].dt.normalize())]
    print(f"charged children held overnight transferred: "
          f"{int(kids['transfer_completed'].sum())} of {len(kids)}")

    # strip-search relative rate by ethnicity (reference W), 95% CI, log method
    g = df[df["ethnicity"] != ""].groupby("ethnicity")["strip_searched"].agg(["size", "sum"])
    n0, e0 = g.loc["W", "size"], g.loc["W", "sum"]
    for eth, (n, e) in g.drop(index="W").iterrows():
        if n < 30 or e == 0:
            continue
        rr = (e / n) / (e0 / n0)
        se = math.sqrt(1 / e - 1 / n + 1 / e0 - 1 / n0)
        lo, hi = math.exp(math.log(rr) - 1.96 * se), math.exp(math.log(rr) + 1.96 * se)
        print(f"strip-search relative rate {eth}: {rr:.2f} ({lo:.2f}-{hi:.2f})")


if __name__ == "__main__":
    main(sys.argv[1])

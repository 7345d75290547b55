"""A longer fuzz run than CI's: ``python tests/fuzz/run_fuzz.py --examples 2000``.

Runs the property of ``tests/test_fuzz.py`` on many generated scenarios, recording every
crash instead of stopping at the first, and prints the figures: cases tried, outcomes, and
each distinct crash with the example that caused it. Exit 1 when anything crashed.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from fuzz.harness import Crash, check_scenario, scenario  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20251101)
    parser.add_argument("--minutes", type=float, default=0,
                        help="stop generating after this long (0: no limit)")
    args = parser.parse_args()
    outcomes: collections.Counter[str] = collections.Counter()
    crashes: dict[str, tuple[int, dict[str, str], str]] = {}
    stop = time.monotonic() + args.minutes * 60 if args.minutes else None

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(scenario())
    def probe(files):
        if stop is not None and time.monotonic() > stop:
            outcomes["skipped (time limit)"] += 1
            return
        try:
            outcomes[check_scenario(files)] += 1
        except Crash as exc:
            outcomes["CRASH"] += 1
            key = str(exc).split("\n")[0][:160]
            count = crashes[key][0] + 1 if key in crashes else 1
            cause = "".join(traceback.format_exception(exc.__cause__))[-1500:]
            crashes[key] = (count, files, cause)

    import random

    random.seed(args.seed)
    started = time.monotonic()
    probe()
    tried = sum(v for k, v in outcomes.items() if not k.startswith("skipped"))
    print(f"cases tried: {tried} in {time.monotonic() - started:.0f} s")
    for outcome, n in sorted(outcomes.items()):
        print(f"  {outcome}: {n}")
    print(f"distinct crashes: {len(crashes)}")
    for key, (count, files, cause) in crashes.items():
        print(f"\n== {count} x {key}\n{cause}")
        for name, text in files.items():
            print(f"--- {name}\n{text[:800]}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate the SYNTHETIC complaint review register for the Kent 2024/25 sample.

No case-level review data is published, so this register is made up, reproducibly
(fixed seed), to agree with the totals Kent OPCC did publish for 2024/25 (Annual Report
2024/25, seed 000 lines 423-430; Panel report, seed 001 lines 399-404): 255 requests;
28 upheld, 174 not upheld, 11 passed to the IOPC, 42 invalid; mean 30 days to complete
a review. Everything else (dates, acknowledgements, recommendations, force responses)
is invented and must not be read as Kent's performance.

    python samples/kent-2024-25/generate_register.py   # rewrites complaint-review-register.csv
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

SEED = 20250331
OUT = Path(__file__).with_name("complaint-review-register.csv")
START, END = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
COUNTS = {"upheld": 28, "not_upheld": 174, "passed_to_iopc": 11, "invalid": 42}
MEAN_DAYS = 30
COLUMNS = ["case_ref", "received_date", "outcome_letter_date", "acknowledged_date",
           "review_body", "reg32_screened", "forwarded_date", "applicant_notified_date",
           "outcome", "decision_date", "recommendation_made", "force_response_date"]


def add_working_days(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def decided_durations(rng: random.Random, n: int) -> list[int]:
    """Calendar days to decision, right-skewed, adjusted so the mean is exactly MEAN_DAYS."""
    days = [max(7, min(120, round(rng.gammavariate(3.0, MEAN_DAYS / 3.0)))) for _ in range(n)]
    target = MEAN_DAYS * n
    while sum(days) != target:
        i = rng.randrange(n)
        step = 1 if sum(days) < target else -1
        if 7 <= days[i] + step <= 120:
            days[i] += step
    return days


def generate() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    outcomes = [o for o, n in COUNTS.items() for _ in range(n)]
    rng.shuffle(outcomes)
    span = (END - START).days
    received = sorted(START + dt.timedelta(days=rng.randrange(span + 1)) for _ in outcomes)
    decided_idx = [i for i, o in enumerate(outcomes) if o in ("upheld", "not_upheld")]
    durations = dict(zip(decided_idx, decided_durations(rng, len(decided_idx)), strict=True))
    late_decided = set(rng.sample(decided_idx, 2))
    upheld_idx = [i for i, o in enumerate(outcomes) if o == "upheld"]
    no_recommendation = set(rng.sample(upheld_idx, 1))
    rows = []
    for i, (outcome, rec) in enumerate(zip(outcomes, received, strict=True)):
        late = (outcome == "invalid" and rng.random() < 0.4) or i in late_decided
        letter = rec - dt.timedelta(days=rng.randint(29, 60) if late else rng.randint(2, 26))
        ack_wd = rng.randint(6, 9) if rng.random() < 0.07 else rng.randint(1, 4)
        row = {
            "case_ref": f"SYN-{i + 1:04d}",
            "received_date": rec.isoformat(),
            "outcome_letter_date": letter.isoformat(),
            "acknowledged_date": add_working_days(rec, ack_wd).isoformat(),
            "review_body": "iopc" if outcome == "passed_to_iopc" else "pcc",
            "reg32_screened": "yes",
            "forwarded_date": "", "applicant_notified_date": "",
            "outcome": outcome, "decision_date": "", "recommendation_made": "",
            "force_response_date": "",
        }
        if outcome == "passed_to_iopc":
            fwd = add_working_days(rec, rng.randint(1, 7))
            row["forwarded_date"] = row["applicant_notified_date"] = fwd.isoformat()
        elif outcome == "invalid":
            row["decision_date"] = (rec + dt.timedelta(days=rng.randint(1, 5))).isoformat()
        else:
            decision = rec + dt.timedelta(days=durations[i])
            row["decision_date"] = decision.isoformat()
            made = outcome == "upheld" and i not in no_recommendation
            row["recommendation_made"] = "yes" if made else "no"
            if made:
                wait = rng.randint(20, 52) if rng.random() < 0.85 else rng.randint(60, 90)
                row["force_response_date"] = (decision + dt.timedelta(days=wait)).isoformat()
        rows.append(row)
    return rows


def main() -> None:
    rows = generate()
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} rows, seed {SEED})")


if __name__ == "__main__":
    main()

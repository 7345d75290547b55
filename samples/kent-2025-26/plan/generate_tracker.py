"""Write the SYNTHETIC delivery tracker, milestones and spend-publication log for the samples.

Neither Kent's delivery tracker, its delivery-plan milestones nor its spend-publication log
is published, so all three are generated here with fixed seeds and labelled
``synthetic: true`` in each bundle.yaml. The tracker and milestones (the 2025-29 plan, as at
31 March 2026, the end of the 2025/26 reporting year) belong to the 2025/26 bundle and are
written next to this script (``samples/kent-2025-26/plan/``); the spend log covers the months
of 2024/25 and is written to ``samples/kent-2024-25/plan/``. Each file has its own random
stream, so changing one leaves the others byte-identical.

Where the published seeds give narrative progress on a commitment (the Performance and
Delivery Board notes of 16 September 2025, the Panel minutes of 14 October 2025 and the
Panel pack of 16 December 2025 in seed 001, and the 2024/25 annual report, seed 000), the
row's evidence reference cites that source, its date and its line. The seeds end before the
tracker's date, so the owner's update on such a row is a synthetic Q4 2025/26 update citing
that latest published evidence; its status is an illustration, not the owner's own report.
Two seed-backed rows are left at the date of their evidence on purpose, so they are stale at
31 March 2026: the Retail Crime Board (last evidenced meeting 5 December 2024) and the Rural
Crime Board (1 July 2025). Every other row is invented ("Synthetic update") to give a
realistic mix: some at risk, some stale, delivered rows with and without evidence, and two
commitments with no row at all. The milestones file lists several dated milestones for a
few commitments (the plan's one dated commitment, 1.2.4, "beyond March 2026", seed 002
L137, and invented ones), some past due and not met.

Run from anywhere: ``python samples/kent-2025-26/plan/generate_tracker.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEND_DIR = HERE.parents[1] / "kent-2024-25" / "plan"  # the 2024/25 governance evidence
TRACKER_SEED = 20260331
MILESTONE_SEED = 20260401
SPEND_SEED = 20251031
AS_AT = dt.date(2026, 3, 31)
PLAN = HERE.parents[2] / "duties" / "plan" / "kent-2025-29.yaml"
S001 = "seed 001_c162a11e71c0f1d3.txt"
S000 = "seed 000_fd78121912d858c7.txt"

# commitment -> (status, rag, date of the evidence, evidence reference citing the seed line)
FROM_SEEDS = {
    "1.1.1": ("on-track", "green", "2025-10-14",
              f"Annual Report 2024/25, Operation Soteria adopted across Kent ({S000} L1092-L1098)"),
    "1.2.4": ("at-risk", "amber", "2025-10-14",
              f"Annual Report 2024/25: funding streams cease 31 March 2026 ({S000} L797, L865)"),
    "1.3.1": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, VAWG reductions ({S001} L790-L792)"),
    "1.4.2": ("at-risk", "amber", "2025-09-16",
              f"P&DB notes 16 Sep 2025, knife crime up 3.3% in the quarter ({S001} L796-L797)"),
    "1.4.4": ("on-track", "green", "2025-10-14",
              f"Annual Report 2024/25, Serious Violence Duty ({S000} L513-L527)"),
    "1.5.3": ("delivered", "green", "2025-10-14",
              f"Panel minutes 14 Oct 2025, services commissioned for male victims ({S001} L95)"),
    "1.6.3": ("on-track", "green", "2025-10-14",
              f"Annual Report 2024/25, complaint reviews 30 days vs 46/48 ({S000} L423-L430)"),
    "1.6.4": ("on-track", "green", "2025-10-14",
              f"Annual Report 2024/25, ICV scheme ({S000} L829-L846)"),
    "2.1.2": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, 90% of 999 calls in under 10 seconds ({S001} L829)"),
    "2.2.1": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, neighbourhood strength 314.44 ({S001} L954)"),
    "2.3.1": ("at-risk", "amber", "2025-09-16",
              f"P&DB notes 16 Sep 2025, ASB up 7.5% in the quarter ({S001} L820-L822)"),
    "2.3.2": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, nuisance vehicle arrests and seizures ({S001} L886)"),
    "2.4.4": ("on-track", "green", "2025-07-01",
              f"P&DB notes: Rural Crime Board of 1 July 2025 ({S001} L770)"),
    "2.5.1": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, nine fewer KSIs in the quarter ({S001} L826)"),
    "3.1.1": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, residential burglary down ~19% ({S001} L839)"),
    "3.1.2": ("at-risk", "amber", "2025-09-16",
              f"P&DB notes 16 Sep 2025, burglary solved rate decreased ({S001} L839)"),
    "3.1.3": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, ~99% burglary attendance ({S001} L839)"),
    "3.2.1": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, Retail Crime Action Plan ({S001} L843-L848)"),
    "3.2.4": ("on-track", "green", "2024-12-05",
              f"Annual Report 2024/25: Retail Crime Board met 5 Dec 2024 ({S000} L545)"),
    "3.4.1": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, personal robbery down ({S001} L841)"),
    "4.1.1": ("at-risk", "amber", "2025-10-14",
              f"Panel minutes 14 Oct 2025, court capacity and judge shortage ({S001} L99-L103)"),
    "4.1.6": ("on-track", "green", "2025-10-14",
              f"Annual Report 2024/25, Appropriate Adult Service ({S000} L1054-L1068)"),
    "4.4.1": ("on-track", "green", "2025-09-16",
              f"P&DB notes 16 Sep 2025, Right Care Right Person ({S001} L853)"),
    "X2": ("on-track", "green", "2025-09-16",
           f"P&DB notes 16 Sep 2025, the Chief Constable held to account ({S001} L743-L745)"),
    "X4": ("on-track", "green", "2025-12-16",
           f"Panel pack 16 Dec 2025 publishes the P&DB notes of 16 Sep 2025 ({S001} L51)"),
    "X5": ("on-track", "green", "2025-10-14",
           f"Panel minutes 14 Oct 2025, Annual Report 2024/25 considered ({S001} L65, L89)"),
    "X14": ("on-track", "green", "2025-12-16",
            f"Panel pack 16 Dec 2025, 'Holding the Chief Constable to Account' ({S001} L44)"),
}
# Seed-backed rows whose owner has not updated since the cited evidence: stale on purpose.
STALE_SINCE_EVIDENCE = ("3.2.4", "2.4.4")
# The plan's only dated commitment: interventions "beyond March 2026" (seed 002 L137).
REAL_MILESTONE = ("1.2.4", "Perpetrator interventions funded beyond March 2026", "2026-03-31")
NO_ROW = ("2.3.3", "4.7.1")  # commitments left without a row, for the coverage matrix


def commitments() -> list[tuple[str, str]]:
    """(commitment ref, owner) in plan order, read from the catalogue's tags."""
    text = PLAN.read_text(encoding="utf-8")
    return re.findall(r'"commitment:([\w.]+)".*?"owner:([a-z-]+)"', text)


def tracker(rng: random.Random) -> list[dict[str, str]]:
    rows = []
    synthetic = ["on-track"] * 30 + ["at-risk"] * 6 + ["off-track"] * 2 + \
        ["not-started"] * 3 + ["delivered"] * 3
    for ref, owner in commitments():
        if ref in NO_ROW:
            continue
        row = {"commitment_id": ref, "owner": owner}
        if ref in FROM_SEEDS:
            status, rag, dated, evidence = FROM_SEEDS[ref]
            if ref in STALE_SINCE_EVIDENCE:
                updated = dated
                text = "Progress as reported in the cited source (status illustrative)."
            else:
                updated = (AS_AT - dt.timedelta(days=rng.randint(5, 80))).isoformat()
                text = ("Synthetic Q4 update citing the latest published progress "
                        "(status illustrative).")
        else:
            status = rng.choice(synthetic)
            rag = {"on-track": "green", "delivered": "green", "at-risk": "amber",
                   "not-started": "amber", "off-track": "red"}[status]
            stale = rng.random() < 0.08
            updated = (AS_AT - dt.timedelta(days=rng.randint(100, 200) if stale
                                            else rng.randint(5, 80))).isoformat()
            evidence = "" if status == "delivered" and rng.random() < 0.5 else \
                f"Synthetic evidence pack SYN-{rng.randint(100, 999)}"
            text = "Synthetic update for the sample bundle."
        row.update(status=status, rag=rag, last_update=updated, update_text=text,
                   evidence_ref=evidence)
        rows.append(row)
    return rows


def milestones(rng: random.Random, tracker_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Two or three milestones for some current commitments, due from September 2025 to
    September 2026; about a third of those already due are not met."""
    ref, name, due = REAL_MILESTONE
    rows = [{"commitment_id": ref, "milestone": name, "due": due, "done": "",
             "evidence_ref": "Draft Police and Crime Plan 2025-2029 (seed 002 L137)"}]
    live = [r["commitment_id"] for r in tracker_rows
            if r["status"] in ("on-track", "not-started") and r["commitment_id"] != ref]
    for ref in sorted(rng.sample(live, 8), key=live.index):
        dues = sorted(dt.date(2025, 9, 30) + dt.timedelta(days=rng.randint(0, 365))
                      for _ in range(rng.randint(2, 3)))
        for k, when in enumerate(dues):
            done = when <= AS_AT and rng.random() > 0.34
            rows.append({"commitment_id": ref, "milestone": f"Synthetic milestone {k + 1}",
                         "due": when.isoformat(), "done": "true" if done else "false",
                         "evidence_ref": f"Synthetic delivery plan DP-{rng.randint(10, 99)}"
                         if done else ""})
    return rows


def spend_log(rng: random.Random) -> list[dict[str, str]]:
    rows = []
    late = ("pcc", 2024, 12)  # one month published late, to show the finding
    for body in ("pcc", "force"):
        for i in range(12):
            y, m = (2024, 4 + i) if i < 9 else (2025, i - 8)
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            days = 45 if (body, y, m) == late else rng.randint(8, 28)
            rows.append({"body": body, "month": dt.date(y, m, 1).isoformat(),
                         "published_on": (nxt - dt.timedelta(days=1)
                                          + dt.timedelta(days=days)).isoformat(),
                         "url": f"https://example.invalid/{body}-spend-{y}-{m:02d}.csv"})
    return rows


def write(path: Path, rows: list[dict[str, str]], fields: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main() -> None:
    rows = tracker(random.Random(TRACKER_SEED))
    write(HERE / "delivery-tracker.csv", rows,
          ["commitment_id", "status", "rag", "last_update", "owner", "update_text",
           "evidence_ref"])
    write(HERE / "milestones.csv", milestones(random.Random(MILESTONE_SEED), rows),
          ["commitment_id", "milestone", "due", "done", "evidence_ref"])
    write(SPEND_DIR / "spend-publication-log.csv", spend_log(random.Random(SPEND_SEED)),
          ["body", "month", "published_on", "url"])


if __name__ == "__main__":
    main()

"""Generate the SYNTHETIC ASB case review register in sample-bundle/ (fixed seed), and the
XLSX fixture a behaviour case reads (cases/fixtures/register.xlsx).

No case-level ASB case review data is published, so every row here is invented,
reproducibly, and must not be read as any area's performance. The published-figures
return in the bundle is computed from the same rows, so it reconciles.

    python samples/dutycheck-plugin-example/generate_sample_bundle.py
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

SEED = 20250331
HERE = Path(__file__).parent / "sample-bundle"
FIXTURE = Path(__file__).parent / "src" / "dutycheck_asb_case_review" / "cases" / "fixtures" \
    / "register.xlsx"
START, END = dt.date(2024, 4, 1), dt.date(2025, 3, 31)
AREAS = ("Area A", "Area B", "Area C", "Area D")
COLUMNS = ["application_ref", "local_authority_area", "received_date", "qualifying_complaints",
           "threshold_decision", "threshold_decision_date", "review_completed_date",
           "recommendations_made"]


def add_working_days(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def rows(rng: random.Random, n: int = 24) -> list[dict[str, object]]:
    out = []
    for i in range(n):
        received = START + dt.timedelta(days=rng.randrange((END - START).days - 40))
        while received.weekday() >= 5:
            received += dt.timedelta(days=1)
        complaints = rng.choice([1, 2, 3, 3, 4, 5, 6])
        decision = "met" if complaints >= 3 else "not_met"
        if i == 23:
            decision = "withdrawn"
        decided = add_working_days(received, rng.choice([5, 8, 10, 12, 14, 18]))
        row: dict[str, object] = {
            "application_ref": f"ACR-{i + 1:04d}",
            "local_authority_area": rng.choice(AREAS),
            "received_date": received.isoformat(),
            "qualifying_complaints": complaints,
            "threshold_decision": decision,
            "threshold_decision_date": "" if decision == "withdrawn" else decided.isoformat(),
            "review_completed_date": "",
            "recommendations_made": "",
        }
        if decision == "met":
            done = add_working_days(decided, rng.choice([10, 15, 18, 20, 25]))
            row["review_completed_date"] = done.isoformat()
            row["recommendations_made"] = "yes" if rng.random() < 0.7 else "no"
        out.append(row)
    return sorted(out, key=lambda r: (str(r["received_date"]), str(r["application_ref"])))


def main() -> None:
    data = rows(random.Random(SEED))
    with (HERE / "asb-case-review-register.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    figures = {
        "period_label": "2024/25",
        "applications": len(data),
        "threshold_not_met": sum(r["threshold_decision"] == "not_met" for r in data),
        "reviews_carried_out": sum(bool(r["review_completed_date"]) for r in data),
        "reviews_with_recommendations": sum(r["recommendations_made"] == "yes" for r in data),
        "local_threshold_complaints": 3,
        "published_on": "2025-05-15",
        "url": "https://example.org/asb-case-review-figures-2024-25",
    }
    text = "# SYNTHETIC: computed from asb-case-review-register.csv by generate_sample_bundle.py\n"
    (HERE / "asb-case-review-return.yaml").write_text(text + json.dumps(figures, indent=2)
                                                      + "\n", encoding="utf-8")
    spreadsheet_fixture()


def spreadsheet_fixture() -> None:
    """The register as a council's workbook might hold it: a notes sheet first, then the
    register with real Excel date cells. Four applications, one review late (20 working
    days is the local limit)."""
    from openpyxl import Workbook

    received, decided = dt.date(2025, 1, 6), dt.date(2025, 1, 20)
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "SYNTHETIC register for a behaviour case; every row is invented."
    sheet = wb.create_sheet("Register")
    sheet.append(COLUMNS)
    for i, done in enumerate([dt.date(2025, 2, 10)] * 3 + [dt.date(2025, 3, 17)], 1):
        sheet.append([f"X{i}", "Area A", received, 3, "met", decided, done, "no"])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    wb.properties.created = wb.properties.modified = dt.datetime(2025, 4, 1)
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    wb.save(FIXTURE)


if __name__ == "__main__":
    main()

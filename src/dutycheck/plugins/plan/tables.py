"""The plan's coverage at a glance: one row per priority (commitments, and how many are
Green, Amber, Red or Not evidenced on the delivery tracker), at the head of the plan area
in every report format. Built from the coverage requirements' ``details`` in the report,
so a re-rendered report shows the same table."""

from __future__ import annotations

from typing import Any

from dutycheck import ReportTable

_COUNTS = ("Green", "Amber", "Red", "Not evidenced")


def _priority(requirement_id: str) -> str:
    text = requirement_id.replace("-", " ")
    return text[:1].upper() + text[1:]


def tables(report: dict[str, Any]) -> list[ReportTable]:
    """A table per coverage duty in the report (one per plan); none if no plan ran."""
    out = []
    for duty in report.get("duties", []):
        if "plan-coverage" not in duty.get("tags", ()):
            continue
        rows = []
        for req in duty["requirements"]:
            details = req.get("details") or {}
            matrix = details.get("matrix") or {}
            counts = [str(matrix[c]) if c in matrix else "-" for c in _COUNTS]
            total = str(sum(matrix.values())) if matrix else "-"
            missing = ", ".join(details.get("no_tracker_row") or ()) or "-"
            rows.append((_priority(req["ref"].rsplit("/", 1)[1]), req["rating"], total,
                         *counts, missing))
        if rows:
            out.append(ReportTable(
                area=duty["area"], title="Plan delivery: commitments by priority",
                columns=("Priority", "Coverage rating", "Commitments", *_COUNTS,
                         "No tracker row"),
                rows=rows, rating_column=1,
                note="Each commitment is rated from its latest tracker row; the coverage "
                     "rating is the share with current, usable evidence (see each "
                     "priority's requirement below for the band and its basis)."))
    return out

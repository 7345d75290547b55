"""The generic commitment rule: one tracker row in, one rating and a sentence out.

Kept apart from the check classes so the per-commitment check, the coverage matrix and
the tracker-quality check all rate a commitment the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dutycheck import Evidence, NotEvidenced, Rating, rows_note

TRACKER = "plan_delivery_tracker"
_COLUMNS = ("__row", "commitment_id", "status", "rag", "last_update", "evidence_ref",
            "milestone", "milestone_due", "milestone_done")
_RAG = {"green": Rating.GREEN, "amber": Rating.AMBER, "red": Rating.RED}


@dataclass(frozen=True)
class Outcome:
    """How one commitment stands on the tracker."""

    rating: Rating
    reason: str
    rows: tuple[int, ...] = ()
    status: str | None = None


def tracker_rows(evidence: Evidence) -> tuple[Any, list[dict[str, Any]], dt.date]:
    """The tracker item, its rows as dicts (only the columns the rule needs; optional
    columns the file leaves out read as blank) and the date it is "as at"."""
    item = evidence.item(TRACKER)
    table = item.table
    present = set(table.columns) | {"__row"}
    cols = ", ".join(c if c in present else f"NULL AS {c}" for c in _COLUMNS)
    rows = [dict(zip(_COLUMNS, r, strict=True))
            for r in table.query(f"SELECT {cols} FROM {{table}} ORDER BY __row")]
    return item, rows, item.effective_date


def group(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(str(r["commitment_id"]).strip(), []).append(r)
    return out


def rate(ref: str, rows: list[dict[str, Any]], *, as_of: dt.date, tracker_date: dt.date,
         within_days: int) -> Outcome:
    """Rate commitment ``ref`` from its tracker rows.

    Not evidenced: no row, a repeated row, an update after the assessment date, or no
    update within ``within_days`` of the tracker's date. Otherwise the status decides
    (delivered needs an evidence reference; on track with an overdue milestone is Amber),
    and an owner's RAG worse than the status takes precedence.
    """
    if not rows:
        return Outcome(Rating.NOT_EVIDENCED, f"the tracker has no row for commitment {ref}")
    nums = tuple(int(r["__row"]) for r in rows)
    if len(rows) > 1:
        return Outcome(Rating.NOT_EVIDENCED, f"commitment {ref} appears {len(rows)} times in "
                       f"the tracker{rows_note(nums)}, so its status is "
                       "ambiguous", nums)
    row = rows[0]
    n = nums[0]
    updated: dt.date = row["last_update"]
    reference = min(as_of, tracker_date)
    if updated > as_of:
        return Outcome(Rating.NOT_EVIDENCED, f"row {n} is dated {updated}, after the "
                       f"assessment date {as_of}", nums)
    age = (reference - updated).days
    if age > within_days:
        return Outcome(Rating.NOT_EVIDENCED, f"the latest update (row {n}) is dated {updated}, "
                       f"{age} days before the tracker's date {reference}; updates are due "
                       f"every {within_days} days", nums)
    status = str(row["status"])
    due: dt.date | None = row["milestone_due"]
    overdue = due is not None and due < reference and not row["milestone_done"]
    late = (f"its milestone{_named(row['milestone'])} was due on {due} and is not recorded "
            "as met") if overdue else ""
    evidence = (row["evidence_ref"] or "").strip()
    if status == "delivered":
        if not evidence:
            rating, why = Rating.AMBER, ("reported delivered, but the row gives no evidence "
                                         "reference; a claim of delivery needs evidence")
        else:
            rating, why = Rating.GREEN, f"reported delivered, evidenced by {evidence}"
    elif status == "on-track":
        rating, why = ((Rating.AMBER, f"reported on track, but {late}") if overdue
                       else (Rating.GREEN, "reported on track"))
    elif status == "at-risk":
        rating, why = Rating.AMBER, "reported at risk" + (f"; {late}" if overdue else "")
    elif status == "off-track":
        rating, why = Rating.RED, "reported off track" + (f"; {late}" if overdue else "")
    elif status == "not-started":
        rating, why = ((Rating.RED, f"not started, and {late}") if overdue
                       else (Rating.AMBER, "not started"))
    else:  # the kind's choices make this unreachable for loaded evidence
        raise NotEvidenced(f"row {n} has status {status!r}, which is not a tracker status")
    owner = _RAG.get(str(row["rag"] or "").strip().lower())
    if owner is not None and owner.severity > rating.severity:
        why += f"; the owner's own RAG is {owner.value}, which is worse and is used"
        rating = owner
    elif owner is not None and owner.severity < rating.severity:
        why += f" (the owner's own RAG, {owner.value}, is more favourable than this rating)"
    when = f"last updated {updated}"
    return Outcome(rating, f"{why} ({when}, row {n})", nums, status)


def _named(text: Any) -> str:
    text = str(text or "").strip()
    return f" '{text}'" if text else ""

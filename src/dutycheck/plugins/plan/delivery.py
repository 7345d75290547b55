"""The generic commitment rule: a commitment's tracker row and milestones in, one rating
and a sentence out.

Kept apart from the check classes so the per-commitment check, the coverage matrix and
the tracker-quality check all rate a commitment the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dutycheck import Context, Evidence, NotEvidenced, Rating, rows_note

TRACKER = "plan_delivery_tracker"
MILESTONES = "plan_milestones"
_COLUMNS = ("__row", "commitment_id", "status", "rag", "last_update", "evidence_ref",
            "milestone", "milestone_due", "milestone_done")
_MILESTONE_COLUMNS = ("__row", "commitment_id", "milestone", "due", "done")
_RAG = {"green": Rating.GREEN, "amber": Rating.AMBER, "red": Rating.RED}


@dataclass(frozen=True)
class Outcome:
    """How one commitment stands on the tracker."""

    rating: Rating
    reason: str
    rows: tuple[int, ...] = ()
    status: str | None = None


@dataclass(frozen=True)
class Milestone:
    """A dated milestone and the date its ``done`` flag was last known (the file's)."""

    name: str
    due: dt.date
    done: bool
    known_on: dt.date
    where: str = ""     # "milestones.csv row 7"; blank for the tracker row's own

    def overdue(self, as_of: dt.date) -> bool:
        return not self.done and self.due < min(as_of, self.known_on)

    def describe(self) -> str:
        name = f"'{self.name}'" if self.name else "milestone"
        return f"{name} (due {self.due}" + (f", {self.where})" if self.where else ")")


@dataclass
class Milestones:
    """Milestones by commitment from the usable ``plan_milestones`` items, and why any
    item was left out (stale or dated after the run)."""

    by_ref: dict[str, list[Milestone]]
    items: list[Any]
    rows: list[tuple[Any, dict[str, Any]]]   # (item, row)
    unused: list[str]

    def rows_of(self, item: Any, refs: set[str] | None = None,
                known: set[str] | None = None) -> list[int]:
        """Row numbers in ``item`` naming one of ``refs``, or (with ``known``) none of
        ``known``."""
        out = []
        for i, r in self.rows:
            ref = str(r["commitment_id"]).strip()
            if i is item and (ref in refs if refs is not None else ref not in (known or ())):
                out.append(int(r["__row"]))
        return out


def _select(table: Any, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows as dicts with the named columns; optional columns the file leaves out read
    as blank."""
    present = set(table.columns) | {"__row"}
    cols = ", ".join(c if c in present else f"NULL AS {c}" for c in columns)
    return [dict(zip(columns, r, strict=True))
            for r in table.query(f"SELECT {cols} FROM {{table}} ORDER BY __row")]


def tracker_rows(item: Any) -> list[dict[str, Any]]:
    """The tracker's rows, with only the columns the rule needs."""
    return _select(item.table, _COLUMNS)


def milestones(evidence: Evidence, context: Context) -> Milestones:
    """Every milestone of every usable ``plan_milestones`` item (several milestones per
    commitment, one row each). An item the engine would call stale is left out and
    named, so a rating never rests on an old ``done`` flag without saying so."""
    out = Milestones({}, [], [], [])
    for item in evidence.items(MILESTONES):
        why = context.stale(item)
        if why:
            out.unused.append(why)
            continue
        out.items.append(item)
        for r in _select(item.table, _MILESTONE_COLUMNS):
            out.rows.append((item, r))
            out.by_ref.setdefault(str(r["commitment_id"]).strip(), []).append(Milestone(
                str(r["milestone"] or "").strip(), r["due"], bool(r["done"]),
                item.effective_date, f"{item.file} row {r['__row']}"))
    return out


def group(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(str(r["commitment_id"]).strip(), []).append(r)
    return out


def _late(overdue: list[Milestone]) -> str:
    if len(overdue) == 1:
        m = overdue[0]
        name = f" '{m.name}'" if m.name else ""
        at = f" ({m.where})" if m.where else ""
        return f"its milestone{name} was due on {m.due} and is not recorded as met{at}"
    return (f"{len(overdue)} of its milestones are past due and not recorded as met: "
            + ", ".join(m.describe() for m in overdue))


def rate(ref: str, rows: list[dict[str, Any]], *, as_of: dt.date, tracker_date: dt.date,
         within_days: int, window: str = "",
         planned: list[Milestone] | None = None) -> Outcome:
    """Rate commitment ``ref`` from its tracker rows and its milestones.

    Not evidenced: no row, a repeated row, an update after the assessment date, or no
    update within ``within_days`` of the tracker's date. Otherwise the status decides
    (delivered needs an evidence reference; on track with an overdue milestone is Amber,
    not started with one is Red), and an owner's RAG worse than the status takes
    precedence. ``planned`` are the commitment's milestones from ``plan_milestones``;
    the row's own milestone columns count as one more.
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
                       f"{age} days before the tracker's date {reference}; "
                       + (window or f"updates are due every {within_days} days"), nums)
    status = str(row["status"])
    stones = list(planned or [])
    if row["milestone_due"] is not None:
        stones.insert(0, Milestone(str(row["milestone"] or "").strip(), row["milestone_due"],
                                   bool(row["milestone_done"]), tracker_date))
    overdue = [m for m in stones if m.overdue(as_of)]
    late = _late(overdue) if overdue else ""
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

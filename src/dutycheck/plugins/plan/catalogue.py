"""What the plan rule needs to know about plan duties: which plan a duty belongs to, its
role (a commitment, the coverage matrix, tracker quality or a governance duty) and the
tags the rule is keyed on (docs/plan-catalogue.md). Duties come from the run
(``context.duties``), so a partner's plan YAML is covered without any code."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

COVERAGE_TAG = "plan-coverage"
QUALITY_TAG = "plan-tracker-quality"
GOVERNANCE_TAG = "governance"
MECHANISM_TAG = "delivery-mechanism"
COMMITMENT = "commitment"

#: When a commitment's requirement gives no ``update_within_days``, updates are due within
#: the duty's cadence: the same windows the engine applies to evidence freshness
#: (docs/writing-duties.md, "Evidence freshness"). A one-off duty has no window.
CADENCE_WINDOW = {"monthly": 31, "quarterly": 92, "annual": 366}


class PlanCatalogueError(ValueError):
    """A plan duty the rule cannot use as written (a missing or misspelt tag, a coverage
    requirement naming no priority). A catalogue defect, not an evidence gap, so it is an
    Error naming the duty's file and line rather than Not evidenced."""


@dataclass(frozen=True)
class Commitment:
    duty_id: str
    ref: str            # the plan's own reference, e.g. "1.1.1" (the `commitment:` tag)
    priority: str       # `priority:` tag
    requirements: tuple[str, ...]
    #: False for a delivery mechanism (tagged `delivery-mechanism`): how the plan is
    #: monitored, rated like any commitment but not a police and crime objective (GOV-06).
    objective: bool = True


@dataclass
class PlanCatalogue:
    """The commitments of one plan, one per ``commitment:`` reference."""

    key: str
    commitments: list[Commitment] = field(default_factory=list)

    def refs(self) -> set[str]:
        return {c.ref for c in self.commitments}

    def priorities(self) -> dict[str, list[Commitment]]:
        out: dict[str, list[Commitment]] = {}
        for c in self.commitments:
            out.setdefault(c.priority, []).append(c)
        return out


def tag(tags: Iterable[str], name: str) -> str | None:
    """The value of a ``name:value`` tag, if the duty has one."""
    prefix = name + ":"
    return next((t[len(prefix):] for t in tags if t.startswith(prefix)), None)


def plan_key(duty: Any) -> str:
    """Which plan a duty belongs to: its ``plan:`` tag, else the file that defines it."""
    return tag(duty.tags, "plan") or duty.file


def role(duty: Any) -> str:
    """``coverage``, ``quality``, ``governance`` (e.g. the Performance and Delivery Board),
    ``commitment`` (has a ``commitment:`` tag) or ``untagged``: a plan-commitment duty
    with none of these, which the rule cannot key to a tracker row."""
    if COVERAGE_TAG in duty.tags:
        return "coverage"
    if QUALITY_TAG in duty.tags:
        return "quality"
    if GOVERNANCE_TAG in duty.tags:
        return "governance"
    return COMMITMENT if tag(duty.tags, COMMITMENT) else "untagged"


def where(duty_or_requirement: Any) -> str:
    """``file:line`` of a duty or requirement, for catalogue errors."""
    line = getattr(duty_or_requirement, "line", None)
    return f"{duty_or_requirement.file}:{line}" if line else str(duty_or_requirement.file)


def commitment_ref(duty: Any) -> str:
    """The key a tracker row uses for this commitment: its ``commitment:`` tag. Without
    one the rule cannot tell which row is meant, so it says so (naming a tag that looks
    like a misspelling) instead of guessing from the duty id."""
    ref = tag(duty.tags, COMMITMENT)
    if ref:
        return ref
    close = [t for t in duty.tags if ":" in t and difflib.SequenceMatcher(
        None, t.split(":", 1)[0].lower(), COMMITMENT).ratio() >= 0.75]
    hint = (f"; did you mean 'commitment:{close[0].split(':', 1)[1]}' instead of "
            f"'{close[0]}'?") if close else ""
    raise PlanCatalogueError(
        f"{where(duty)}: duty {duty.id} is a plan-commitment with no 'commitment:<ref>' tag "
        "naming its tracker row, and none of the tags plan-coverage, plan-tracker-quality "
        f"or governance{hint} (docs/plan-catalogue.md)")


def unknown_priority(requirement_id: str, plan: str, priorities: Iterable[str]) -> str | None:
    """Why a coverage requirement's id names no priority of its plan (with the nearest
    one), or None when it names one or is ``all-priorities``. One sentence for both
    ``dutycheck validate`` and a run, so the two never say it differently."""
    known = sorted(priorities)
    if requirement_id == "all-priorities" or requirement_id in known:
        return None
    close = difflib.get_close_matches(requirement_id, known, n=1)
    return (f"coverage requirement names priority '{requirement_id}', which no commitment "
            f"of plan '{plan}' is tagged with"
            + (f"; did you mean '{close[0]}'?" if close else "")
            + f" (the plan's priorities: {', '.join(known) or 'none'}; use all-priorities "
              f"for the whole plan; a {COVERAGE_TAG} duty has one requirement per priority)")


def update_window(requirement: Any, duty: Any) -> tuple[int, str]:
    """Days within which an update is due, and where that number comes from: the
    requirement's ``update_within_days``, else the duty's cadence window."""
    params = requirement.spec.get("params") or {}
    if "update_within_days" in params:
        days = int(requirement.param("update_within_days"))
        return days, f"updates are due every {days} days"
    days = CADENCE_WINDOW.get(duty.cadence)
    if days is None:
        raise PlanCatalogueError(
            f"{where(requirement)}: requirement {requirement.ref} gives no "
            f"update_within_days and its duty's cadence ({duty.cadence}) sets no window; "
            "add params: {update_within_days: {value: N, basis: ...}}")
    return days, (f"updates are due every {days} days (the duty's {duty.cadence} cadence; "
                  "the requirement gives no update_within_days)")


def in_force(duty: Any, period_end: dt.date) -> bool:
    start = duty.effective_from
    return not start or dt.date.fromisoformat(str(start)) <= period_end


def plan_commitments(duties: Iterable[Any], key: str | None = None,
                     organisation: str | None = None,
                     period_end: dt.date | None = None) -> dict[str, PlanCatalogue]:
    """Plans by key, each holding its commitments once per ``commitment:`` reference.

    Only duties tagged ``commitment:`` count (a governance duty or a partner plugin's
    duty with no such tag is not a commitment). Two duties with the same reference (the
    example ASB plugin's duty tags commitment 2.3.4 too) are one commitment, whose
    priority is the first one tagged. ``key``, ``organisation`` and ``period_end`` narrow
    to one plan, the plans that bind an organisation and those in force by a date."""
    found: dict[str, dict[str, Commitment]] = {}
    for duty in sorted(duties, key=lambda d: d.id):
        if duty.kind != "plan-commitment" or role(duty) != COMMITMENT:
            continue
        mine = plan_key(duty)
        if key is not None and mine != key:
            continue
        if organisation is not None and not duty.applies_to(organisation):
            continue
        if period_end is not None and not in_force(duty, period_end):
            continue
        ref = str(tag(duty.tags, COMMITMENT))
        plan = found.setdefault(mine, {})
        old = plan.get(ref)
        priority = tag(duty.tags, "priority")
        reqs = tuple(r.id for r in duty.requirements)
        if old is None:
            plan[ref] = Commitment(duty.id, ref, priority or "unassigned", reqs,
                                   MECHANISM_TAG not in duty.tags)
        elif old.priority == "unassigned" and priority:
            plan[ref] = Commitment(old.duty_id, ref, priority, old.requirements,
                                   MECHANISM_TAG not in duty.tags)
    return {k: PlanCatalogue(k, list(v.values())) for k, v in found.items()}

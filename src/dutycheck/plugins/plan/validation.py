"""Catalogue checks the duty schema cannot make, run by ``dutycheck validate`` (and every
command that loads duties) through ``dutycheck_validate_catalogue``: a plan duty the rule
could not use as written is reported at its file and line before any bundle is involved,
rather than as an Error in the middle of a run."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from dutycheck import DutyProblem

from .catalogue import (
    COMMITMENT,
    PlanCatalogueError,
    commitment_ref,
    plan_commitments,
    plan_key,
    role,
    unknown_priority,
    update_window,
)


def _said(exc: PlanCatalogueError) -> str:
    """The error's sentence without its ``file:line:`` prefix (the core adds the place)."""
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def _plan_like(duty: Any) -> bool:
    keys = {t.split(":", 1)[0].lower() for t in duty.tags if ":" in t}
    return bool(keys & {"plan", "priority", "sub-priority", "owner"}) or any(
        difflib.SequenceMatcher(None, k, COMMITMENT).ratio() >= 0.75 for k in keys)


def catalogue_problems(duties: Mapping[str, Any]) -> list[DutyProblem]:
    """Plan-commitment duties with no usable tag, rule requirements with no update window,
    and coverage requirements naming a priority no commitment of their plan has."""
    problems: list[DutyProblem] = []
    plans = plan_commitments(duties.values())
    for duty in sorted(duties.values(), key=lambda d: d.id):
        if duty.kind != "plan-commitment":
            continue
        kind = role(duty)
        if kind == "untagged":
            # Only a duty that is evidently part of a plan (a plan's own tags, or a tag
            # that looks like a misspelt `commitment:`): another plugin's check may cover
            # a plan-commitment duty of its own, which the rule then never claims.
            if _plan_like(duty):
                try:
                    commitment_ref(duty)
                except PlanCatalogueError as exc:
                    problems.append(DutyProblem(duty.id, _said(exc)))
            continue
        ruled = [r for r in duty.requirements
                 if kind == "coverage" or (kind == COMMITMENT and r.kind == "check")]
        for req in ruled:
            try:
                update_window(req, duty)
            except PlanCatalogueError as exc:
                problems.append(DutyProblem(duty.id, _said(exc), req.id))
        if kind != "coverage":
            continue
        plan = plans.get(plan_key(duty))
        priorities = plan.priorities() if plan else {}
        for req in duty.requirements:
            wrong = unknown_priority(req.id, plan_key(duty), priorities)
            if wrong:
                problems.append(DutyProblem(duty.id, wrong, req.id))
    return problems

"""The declarative requirement kinds, evaluated by the core so most duties need no Python.

Each is a :class:`Check` run through the same ``dutycheck_check`` hook as plugin checks,
so wrappers (timing, logging, redaction) see every evaluation alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .catalogue import Requirement
from .checks import CADENCE_DAYS, Check, Context, Evidence, NotEvidenced, Verdict
from .expressions import describe, evaluate, format_number, kinds_used
from .rating import rate_measure
from .ratings import Rating


class _Rule(Check):
    """Titles of structured-evidence fields, so reasons read "Most Similar Group mean"
    rather than a dotted path; set by the engine from the registered kinds."""

    field_titles: dict[str, str] = {}

    def __init__(self, titles: dict[str, str]) -> None:
        self.field_titles = titles


class MeasureRule(_Rule):
    id = "dutycheck.measure"
    title = "A number from the evidence, rated against RAG bands"

    def run(self, requirement: Requirement, evidence: Evidence, context: Context) -> Verdict:
        v = evaluate(requirement.spec["value"], evidence)
        refs = v.refs + declared_refs(requirement, evidence)
        return rate_measure(requirement, v.number, refs, evidence, self.field_titles)


class ReconcileRule(_Rule):
    id = "dutycheck.reconcile"
    title = "Figures that must agree, within a tolerance"

    def run(self, requirement: Requirement, evidence: Evidence, context: Context) -> Verdict:
        spec = requirement.spec
        stated = evaluate(spec["stated"], evidence)
        computed = evaluate(spec["computed"], evidence)
        s, c = _num(stated.number, spec["stated"]), _num(computed.number, spec["computed"])
        tol = spec.get("tolerance", {"absolute": 0})
        if "relative" in tol:
            limit = abs(c) * tol["relative"]
            tol_text = f"{tol['relative']:.1%} of the computed value"
        else:
            limit = tol["absolute"]
            tol_text = f"{limit:g}"
        diff = s - c
        refs = stated.refs + [r for r in computed.refs + declared_refs(requirement, evidence)
                              if r not in stated.refs]
        what = (f"stated {format_number(s)} ({describe(spec['stated'], self.field_titles)}); "
                f"computed {format_number(round(c, 4))} "
                f"({describe(spec['computed'], self.field_titles)})")
        if abs(diff) <= limit + 1e-9:
            return Verdict(Rating.GREEN, f"{requirement.title}: the figures agree within "
                           f"{tol_text}: {what}.", value=s, evidence=refs,
                           details={"stated": s, "computed": c, "difference": diff})
        rating = Rating.AMBER if spec.get("on_mismatch") == "amber" else Rating.RED
        side = "above" if diff > 0 else "below"
        return Verdict(rating, f"{requirement.title}: the figures disagree: the stated figure "
                       f"is {format_number(round(abs(diff), 4))} {side} the computed one "
                       f"(tolerance {tol_text}): {what}.",
                       value=s, evidence=refs,
                       details={"stated": s, "computed": c, "difference": diff})


class GradeRule(_Rule):
    id = "dutycheck.grade"
    title = "An external grade mapped to RAG"

    def run(self, requirement: Requirement, evidence: Evidence, context: Context) -> Verdict:
        spec = requirement.spec
        v = evaluate(spec["grade"], evidence)
        grade = str(v.number)
        scale = {k.strip().lower(): r for k, r in spec["scale"].items()}
        colour = scale.get(grade.strip().lower())
        if colour is None:
            raise NotEvidenced(f"grade {grade!r} is not on the configured scale ("
                               + ", ".join(spec["scale"]) + ")")
        rating = Rating.parse(colour)
        return Verdict(rating, f"{requirement.title}: graded {grade!r}, which the scale maps to "
                       f"{rating.value}.", value=grade, evidence=v.refs)


class DocumentRule(_Rule):
    id = "dutycheck.document"
    title = "A document exists, is dated and is fresh"

    def run(self, requirement: Requirement, evidence: Evidence, context: Context) -> Verdict:
        spec = requirement.spec
        doc_type = spec["document"]["type"]
        found = [i for i in evidence.items("document") if i.data.get("type") == doc_type]
        if not found:
            msg = f"{requirement.title}: no {doc_type} document is in the bundle."
            if spec.get("when_missing") == "red":
                return Verdict(Rating.RED, msg)
            raise NotEvidenced(f"no {doc_type} document is in the bundle")
        latest = max(found, key=lambda i: i.data["date"])
        date = dt.date.fromisoformat(latest.data["date"])
        max_age = spec["document"].get("max_age_days", CADENCE_DAYS.get(context.duty.cadence))
        ref = latest.ref()
        title = latest.data["title"]
        if date > context.as_of:
            raise NotEvidenced(f"{title} is dated {date}, after the assessment date")
        reference = min(context.as_of, context.period_end)
        if max_age is not None and (reference - date).days > max_age:
            rating = Rating.RED if spec.get("when_stale") == "red" else Rating.AMBER
            return Verdict(rating, f"{requirement.title}: the latest, {title!r}, is dated "
                           f"{date}, more than {max_age} days before {reference}.",
                           value=date.isoformat(), evidence=[ref])
        return Verdict(Rating.GREEN, f"{requirement.title}: {title!r}, dated {date}.",
                       value=date.isoformat(), evidence=[ref])


class AttestationRule(_Rule):
    id = "dutycheck.attestation"
    title = "A signed statement; capped at Amber unless the duty allows Green"

    def run(self, requirement: Requirement, evidence: Evidence, context: Context) -> Verdict:
        spec = requirement.spec["attestation"]
        roles = {r.lower() for r in spec["by"]}
        topic = spec.get("topic")
        found = [i for i in evidence.items("attestation")
                 if i.data["signed_by"]["role"].lower() in roles
                 and (topic is None or i.data["topic"] == topic)]
        if not found:
            raise NotEvidenced("no attestation signed by " + " or ".join(spec["by"])
                               + (f" on {topic}" if topic else ""))
        latest = max(found, key=lambda i: i.data["signed_on"])
        signed = latest.data["signed_on"]
        who = latest.data["signed_by"]["role"]
        signed_day = dt.date.fromisoformat(signed)
        if signed_day > context.as_of:
            raise NotEvidenced(f"the attestation is signed on {signed}, after the assessment "
                               f"date {context.as_of}")
        max_age = CADENCE_DAYS.get(context.duty.cadence)
        reference = min(context.as_of, context.period_end)
        if max_age is not None and (reference - signed_day).days > max_age:
            raise NotEvidenced(f"the latest attestation, signed on {signed}, is more than "
                               f"{max_age} days before {reference}")
        if requirement.spec.get("cap", "amber") == "green":
            return Verdict(Rating.GREEN, f"{requirement.title}: signed by the {who} on {signed}.",
                           value=signed, evidence=[latest.ref()])
        return Verdict(Rating.AMBER, f"{requirement.title}: signed by the {who} on {signed}; "
                       "an attestation alone is capped at Amber (assertion is not evidence).",
                       value=signed, evidence=[latest.ref()])


RULES: dict[str, type[_Rule]] = {
    "measure": MeasureRule,
    "reconcile": ReconcileRule,
    "grade": GradeRule,
    "document": DocumentRule,
    "attestation": AttestationRule,
}


def rule_for(req: Requirement) -> type[_Rule] | None:
    """The core rule that evaluates ``req``, if its kind is declarative and complete
    (a measure without ``value`` needs a plugin check to compute it)."""
    if req.kind == "measure" and "value" not in req.spec:
        return None
    return RULES.get(req.kind)


def kinds_read(req: Requirement) -> set[str]:
    spec = req.spec
    kinds = set(spec.get("evidence", []))
    for key in ("value", "stated", "computed", "grade"):
        if key in spec:
            kinds |= kinds_used(spec[key])
    for band in req.bands:
        for bound in (band.lower, band.upper):
            if bound is not None:
                kinds |= kinds_used(bound.expr)
    if req.kind == "document":
        kinds.add("document")
    if req.kind == "attestation":
        kinds.add("attestation")
    return kinds


def declared_refs(req: Requirement, evidence: Evidence) -> list[dict[str, Any]]:
    """References for the kinds a requirement declares under ``evidence:`` (SQL reads
    them, so the finding must cite the files and hashes)."""
    return [item.ref() for kind in req.spec.get("evidence", []) for item in evidence.items(kind)]


def _num(value: Any, expr: Any) -> float:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool) or not isinstance(value, int | float) \
            or value != value or value in (float("inf"), float("-inf")):
        raise NotEvidenced(f"{describe(expr)} is {value!r}, not a finite number")
    return value

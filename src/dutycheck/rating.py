"""Turning numbers into ratings, and ratings into an assurance opinion."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import bands as bandlib
from .catalogue import BASIS_LABELS, Requirement
from .checks import Evidence, NotEvidenced, Verdict
from .expressions import describe, evaluate, format_number, is_literal, quantity
from .ratings import Rating


def rate_measure(req: Requirement, number: Any, refs: list[dict[str, Any]],
                 evidence: Evidence, titles: dict[str, str], detail: str = "") -> Verdict:
    """Rate ``number`` against the requirement's bands, resolving comparator limits from
    the evidence. The reason names the value, the band it fell in, the comparator values
    and the basis of the threshold."""
    if isinstance(number, Decimal):
        number = float(number)
    if number is None:
        raise NotEvidenced("no value could be computed" + (f" ({detail})" if detail else ""))
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise NotEvidenced(f"the value {number!r} is not a number")
    if not math.isfinite(number):
        raise NotEvidenced(f"the value {number!r} is not a finite number")
    bands = req.bands
    resolved: dict[int, tuple[float | None, float | None]] = {}
    comparators: dict[str, dict[str, Any]] = {}
    all_refs = list(refs)
    for band in bands:
        lims: list[float | None] = []
        for bound in (band.lower, band.upper):
            if bound is None:
                lims.append(None)
                continue
            v = evaluate(bound.expr, evidence)
            num = float(v.number) if isinstance(v.number, int | float | Decimal) else None
            if num is None or not math.isfinite(num):
                raise NotEvidenced(f"comparator {describe(bound.expr, titles)} has no numeric "
                                   "value")
            lims.append(num)
            if not is_literal(bound.expr):
                key = describe(bound.expr)
                comparators[key] = {"name": describe(bound.expr, titles), "expr": key,
                                    "value": num}
                all_refs.extend(r for r in v.refs if r not in all_refs)
        resolved[id(band)] = (lims[0], lims[1])
    band, matched = bandlib.rate(bands, float(number), resolved)
    if band is None:  # cannot happen for bands validated at load; kept for overrides
        raise ValueError(f"{req.ref}: value {number} falls in no band")

    unit = req.spec.get("unit", "")
    shown = quantity(number, unit)

    def fmt(expr: Any) -> str:
        if is_literal(expr):
            return format_number(expr)
        key = describe(expr)
        c = comparators.get(key)
        return f"{format_number(c['value'])} ({c['name']})" if c else describe(expr, titles)

    rule = band.describe(fmt)
    if band.otherwise:
        others = [b for b in bands if not b.otherwise]
        rule = "outside " + "; ".join(f"{b.rating.value.lower()} ({b.describe(fmt)})"
                                      for b in others)
    basis = req.basis or "inference"
    reason = (f"{req.title}: {shown}, which is {band.rating.value} ({rule}); threshold basis: "
              f"{BASIS_LABELS.get(basis, basis).lower()}.")
    if detail:
        reason = f"{reason} {detail}"
    if comparators:
        reason += " Comparators: " + "; ".join(
            f"{c['name']} {format_number(c['value'])}"
            for c in sorted(comparators.values(), key=lambda c: c["expr"])) + "."
    if len(matched) > 1:
        reason += (" Note: the comparators resolved out of order, so more than one band "
                   "matched; the better band was used.")
    rating = band.rating
    if req.spec.get("monitoring") and rating is Rating.RED:
        rating = Rating.AMBER
        reason += (" This is a monitoring measure, so a value in the red band is flagged "
                   "Amber for attention rather than rated as a failure.")
    return Verdict(rating, reason, value=number, unit=unit, evidence=all_refs,
                   details={"band": band.rating.value.lower(), "comparators":
                            sorted(comparators.values(), key=lambda c: c["expr"])})


# -- assurance opinion -----------------------------------------------------------------

#: "No opinion" is not a fifth grade: it is given only when no duty fell due, so there is
#: nothing to form an opinion on (an audit committee reads "No assurance" as failings found).
OPINIONS = ("Substantial", "Reasonable", "Limited", "No assurance", "No opinion")

DEFAULT_OPINION_RULE = {
    "no_assurance_red_share": 0.5,
    # Nothing evidenced is no assurance, not the Limited a partly evidenced area gets.
    "no_assurance_gap_share": 1.0,
    "limited_red_share": 0.25,
    "limited_gap_share": 0.25,
    "statutory_red_caps_at": "limited",
}

GAPS = (Rating.NOT_EVIDENCED, Rating.NOT_ASSESSED, Rating.ERROR)


@dataclass
class Opinion:
    level: str
    reasons: list[str]


def opinion(duties: list[tuple[str, Rating]], rule: dict[str, Any] | None = None,
            inferred_reds: int = 0) -> Opinion:
    """An assurance opinion over ``(duty kind, duty rating)`` pairs (docs/ratings.md).

    ``inferred_reds`` counts the statutory duties that are Red only against thresholds
    whose basis is inference: the cap still applies, but the reason says so, so a reader
    does not take a Red against our inferred tolerance for a finding of breach of statute.

    Duties not yet due are left out; if none is left, "No opinion". In order:
    * No assurance — at least ``no_assurance_red_share`` of duties are Red, or at least
      ``no_assurance_gap_share`` (by default all) are not evidenced, not assessed or in
      error: nothing could be rated against the evidence, so none is given.
    * Limited — any Red on a statutory duty (cap configurable), or at least
      ``limited_red_share`` Red, or at least ``limited_gap_share`` not evidenced,
      not assessed or in error.
    * Reasonable — anything short of all Green.
    * Substantial — every duty Green.
    """
    r = {**DEFAULT_OPINION_RULE, **(rule or {})}
    rated = [(k, x) for k, x in duties if x is not Rating.NOT_DUE]
    if not rated:
        return Opinion("No opinion", ["no duty fell due by the assessment date, so there is "
                                      "nothing to give an opinion on"])
    n = len(rated)
    reds = [k for k, x in rated if x is Rating.RED]
    gaps = [x for _, x in rated if x in GAPS]
    ambers = [x for _, x in rated if x is Rating.AMBER]
    red_share, gap_share = len(reds) / n, len(gaps) / n
    none: list[str] = []
    if red_share >= r["no_assurance_red_share"]:
        none.append(f"{len(reds)} of {_duties(n)} {_are(reds)} Red (No assurance at "
                    f"{r['no_assurance_red_share']:.0%} or more)")
    if gap_share >= r["no_assurance_gap_share"]:
        share = r["no_assurance_gap_share"]
        every = len(gaps) == n
        what = ("the one duty is" if n == 1 else f"all {n} duties are") if every \
            else f"{len(gaps)} of {_duties(n)} {_are(gaps)}"
        none.append(f"{what} not evidenced, not assessed or in error"
                    + (", so nothing was rated against the evidence" if every else "")
                    + " (No assurance at "
                    + ("100%" if share >= 1 else f"{share:.0%} or more") + ")")
    if none:
        return Opinion("No assurance", none)
    limited: list[str] = []
    statutory_reds = sum(1 for k in reds if k == "statutory")
    if statutory_reds and r["statutory_red_caps_at"] == "limited":
        duty_s = "duty" if statutory_reds == 1 else "duties"
        reason = (f"{statutory_reds} statutory {duty_s} rated Red (any Red on a statutory "
                  "duty caps the opinion at Limited)")
        inferred = min(inferred_reds, statutory_reds)
        if inferred:
            reason += (f"; {'it is' if statutory_reds == 1 else f'{inferred} of them are'} Red "
                       "against thresholds that no law or guidance states (basis: inference)")
        limited.append(reason)
    if red_share >= r["limited_red_share"]:
        limited.append(f"{len(reds)} of {_duties(n)} {_are(reds)} Red (Limited at "
                       f"{r['limited_red_share']:.0%} or more)")
    if gap_share >= r["limited_gap_share"]:
        limited.append(f"{len(gaps)} of {_duties(n)} {_are(gaps)} not evidenced, not assessed "
                       "or in error "
                       f"(Limited at {r['limited_gap_share']:.0%} or more)")
    if limited:
        return Opinion("Limited", limited)
    if reds or gaps or ambers:
        parts = []
        if reds:
            parts.append(f"{len(reds)} Red")
        if ambers:
            parts.append(f"{len(ambers)} Amber")
        if gaps:
            parts.append(f"{len(gaps)} not evidenced, not assessed or in error")
        return Opinion("Reasonable", [f"of {_duties(n)}: " + ", ".join(parts)])
    return Opinion("Substantial", ["the one duty is Green" if n == 1
                                   else f"all {n} duties are Green"])


def _duties(n: int) -> str:
    return f"{n} duty" if n == 1 else f"{n} duties"


def _are(items: list[Any]) -> str:
    return "is" if len(items) == 1 else "are"

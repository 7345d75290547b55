"""Checks for the SPR duties that need more than a declarative rule: per-threat evidence
coverage (the 7-row matrix), the PCC's assurance statement capped by that coverage, the
plan's references to the threats, and the scrutiny trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dutycheck import Check, Measurement, NotEvidenced, Rating, Verdict

from . import model
from .model import EXPECTED, GAP_LABELS, LABELS, ThreatEvidence
from .threats import IDS, names_spr, threats_named, title

PLAN = "spr_plan_reference"
CAPABILITY_DUTY = "spr.threat-capability"
PCC_ROLES = ("police and crime commissioner", "police, fire and crime commissioner",
             "police fire and crime commissioner", "pcc", "pfcc")


class ThreatCapability(Check):
    """SPR-02/SPR-06: one row per threat. Green needs an outcome measure and a statement
    of capability (the narrative or another item); a narrative alone is an assertion and
    is capped at Amber; a threat the evidence never addresses is Red."""

    id = "spr.threat-capability"
    title = "Evidence of capacity and capability for each SPR threat"
    covers = tuple(f"{CAPABILITY_DUTY}/{t}" for t in IDS)
    # Either form will do; the engine needs at least one usable item, and model.collect
    # leaves out (and names) any single item that is stale.
    reads_any = (model.ASSESSMENT, model.TABLE)

    def run(self, requirement, evidence, context):
        spr = model.collect(evidence, context)
        model.require_any(spr)
        te = spr.threats[requirement.id]
        return rate_threat(requirement.title, te,
                           int(requirement.param("outcome_measures_for_green")))


def rate_threat(req_title: str, te: ThreatEvidence, min_outcomes: int) -> Verdict:
    """The matrix row for one threat (shared by the check and the assurance statement)."""
    supporting = te.supporting
    outcomes = [r for r in supporting if r.type == "outcome-measure"]
    capability = [r for r in te.records if r.type != "outcome-measure"]
    missing = [t for t in EXPECTED if t not in te.types]
    gap = _gap(te, missing)
    strongest = _strongest(te)
    refs = [r.ref for r in te.records] + [r.ref for r, _ in te.excluded]
    details: dict[str, Any] = {
        "threat": te.threat, "threat_title": te.title, "strongest_evidence": strongest,
        "gap": gap, "supporting_items": len(supporting), "evidence_types": te.types,
        "narrative_only": bool(te.narrative) and not supporting,
        "force_rating": te.force_rating, "data_quality": te.quality_notes(),
    }
    if te.addressed and not te.records:
        raise NotEvidenced("none of its evidence can be counted: "
                           + "; ".join(te.quality_notes()))
    if not te.addressed:
        rating, what = Rating.RED, "not addressed by any SPR evidence item"
    elif outcomes and len(outcomes) >= min_outcomes and capability:
        rating, what = Rating.GREEN, "outcome measures and a statement of capability"
    elif not supporting and te.narrative:
        rating, what = Rating.AMBER, ("narrative only, with no supporting evidence item; "
                                      "capped at Amber (assertion is not evidence)")
    elif outcomes and not capability:
        rating, what = Rating.AMBER, "outcome measures but no statement of capability"
    elif outcomes:
        rating, what = Rating.AMBER, (f"{len(outcomes)} outcome-measure item(s), fewer than "
                                      f"the {min_outcomes} needed for Green")
    else:  # supporting items without an outcome measure
        rating, what = Rating.AMBER, ("supporting evidence (" + ", ".join(
            LABELS[t] for t in te.types) + ") but no outcome measure")
    if te.duplicated and rating is Rating.GREEN:
        rating = Rating.AMBER
        what += "; capped at Amber because the threat is assessed more than once"
    reason = f"{req_title}: {what}. Strongest evidence: {strongest}. Gap: {gap}."
    notes = te.quality_notes()
    if notes:
        reason += " Data quality: " + "; ".join(notes) + "."
    return Verdict(rating, reason, value=len(supporting), unit="supporting items",
                   evidence=refs, details=details)


def _strongest(te: ThreatEvidence) -> str:
    for kind in model.STRENGTH:
        recs = [r for r in te.supporting if r.type == kind]
        if recs:
            return f"{LABELS[kind]}: " + "; ".join(model.describe_record(r) for r in recs)
    if te.narrative:
        src = te.narrative[0].source
        return "narrative only" + (f" ({src})" if src else "")
    return "none"


def _gap(te: ThreatEvidence, missing: list[str]) -> str:
    if not te.addressed:
        return "the threat is not addressed at all"
    if not missing:
        return "none of the expected headings is missing"
    return "no " + _join([GAP_LABELS[t] for t in missing], "or")


def _join(parts: list[str], conj: str = "and") -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {conj} " + parts[-1]


class AssuranceStatement(Check):
    """SPR 2023 and APCC guidance expect an annual SPR assurance statement by the PCC. A
    statement is an attestation; it may be Green only when every threat it vouches for has
    at least one supporting evidence item, and is capped at Amber otherwise."""

    id = "spr.assurance-statement"
    title = "The PCC's annual SPR assurance statement, capped by per-threat evidence"
    covers = ("spr.pcc-assurance-statement/statement-signed",)
    reads = ("attestation",)

    def run(self, requirement, evidence, context):
        topic = requirement.param("topic")
        found = [i for i in evidence.items("attestation")
                 if i.data["topic"] == topic
                 and i.data["signed_by"]["role"].strip().lower() in PCC_ROLES]
        if not found:
            raise NotEvidenced(f"no attestation on {topic} signed by the Police and Crime "
                               "Commissioner")
        latest = max(found, key=lambda i: i.data["signed_on"])
        signed = dt.date.fromisoformat(latest.data["signed_on"])
        if signed > context.as_of:
            raise NotEvidenced(f"the statement is signed on {signed}, after the assessment "
                               f"date {context.as_of}")
        oldest = context.period_end - dt.timedelta(days=int(requirement.param("max_age_days")))
        if signed < oldest:
            raise NotEvidenced(f"the latest statement, signed on {signed}, is older than "
                               f"{oldest} and cannot speak for the period ending "
                               f"{context.period_end}")
        spr = model.collect(evidence, context)
        unsupported = [t for t in IDS if not spr.threats[t].supporting]
        refs = [latest.ref()] + spr.refs()
        who = latest.data["signed_by"]["role"]
        details = {"unsupported_threats": unsupported,
                   "supported_threats": [t for t in IDS if t not in unsupported]}
        head = f"{requirement.title}: signed by the {who} on {signed}"
        if not unsupported:
            return Verdict(Rating.GREEN, f"{head}; each of the {len(IDS)} threats has at least "
                           "one supporting evidence item.", value=str(signed), evidence=refs,
                           details=details)
        names = _join([title(t).split(" (")[0].lower() for t in unsupported])
        return Verdict(Rating.AMBER, f"{head}; capped at Amber because {len(unsupported)} of "
                       f"{len(IDS)} threats have no supporting evidence item ({names}): "
                       "the statement is an assertion for those threats.",
                       value=str(signed), evidence=refs, details=details)


class PlanRegard(Check):
    """PRSRA 2011 s.5(5): regard to the SPR when issuing or varying the plan; SPR 2023 asks
    for "more distinct references to SPR in police and crime plans" (SPR-01, SPR-05)."""

    id = "spr.plan-regard"
    title = "The police and crime plan names the SPR threats and post-dates the SPR"
    covers = ("spr.plan-regard/threats-referenced", "spr.plan-regard/plan-after-spr")
    reads = (PLAN,)

    def run(self, requirement, evidence, context):
        item = evidence.item(PLAN)
        data = item.data
        if requirement.id == "plan-after-spr":
            return _plan_currency(requirement, item, context)
        text = data.get("text", "")
        if "threats_named" in data:
            named, how = [t for t in IDS if t in data["threats_named"]], "as listed"
        else:
            named, how = threats_named(text), "found in its text"
        spr_named = names_spr(text) or "threats_named" in data
        need = int(requirement.param("threats_required"))
        missing = [t for t in IDS if t not in named]
        plan = data["plan_title"]
        listed = _join([title(t) for t in named]) if named else "none"
        details = {"threats_named": named, "threats_missing": missing, "method": how,
                   "spr_referenced": spr_named}
        ref = [item.ref("threats_named" if "threats_named" in data else "text")]
        if len(named) >= need:
            return Verdict(Rating.GREEN, f"{requirement.title}: {plan!r} names all "
                           f"{len(named)} threats ({how}).", value=len(named), unit="threats",
                           evidence=ref, details=details)
        if named or spr_named:
            general = "refers to the SPR in general terms" if spr_named else \
                "does not name the SPR itself"
            return Verdict(Rating.AMBER, f"{requirement.title}: {plan!r} {general} and names "
                           f"{len(named)} of {len(IDS)} threats ({how}: {listed}); not named: "
                           + _join([title(t) for t in missing]) + ".", value=len(named),
                           unit="threats", evidence=ref, details=details)
        return Verdict(Rating.RED, f"{requirement.title}: {plan!r} neither refers to the SPR "
                       "nor names any of its threats.", value=0, unit="threats", evidence=ref,
                       details=details)


def _plan_currency(requirement, item, context) -> Verdict:
    data = item.data
    spr_issued = dt.date.fromisoformat(str(requirement.param("spr_issued")))
    dates = {k: dt.date.fromisoformat(data[k]) for k in ("issued_on", "varied_on", "reviewed_on")
             if k in data}
    future = [f"{k} {d}" for k, d in dates.items() if d > context.as_of]
    if future:
        raise NotEvidenced(f"the plan record is dated after the assessment date "
                           f"{context.as_of} ({', '.join(future)})")
    made = max(d for k, d in dates.items() if k != "reviewed_on")
    plan = data["plan_title"]
    ref = [item.ref()]
    if made >= spr_issued:
        word = "varied" if "varied_on" in data and dates["varied_on"] == made else "issued"
        return Verdict(Rating.GREEN, f"{requirement.title}: {plan!r} was {word} on {made}, "
                       f"after the current SPR was issued ({spr_issued}).",
                       value=made.isoformat(), evidence=ref)
    reviewed = dates.get("reviewed_on")
    if reviewed and reviewed >= spr_issued:
        return Verdict(Rating.AMBER, f"{requirement.title}: {plan!r} dates from {made}, before "
                       f"the current SPR ({spr_issued}); a review on {reviewed} is documented "
                       "but the plan was not varied.", value=made.isoformat(), evidence=ref)
    return Verdict(Rating.RED, f"{requirement.title}: {plan!r} dates from {made}, before the "
                   f"current SPR ({spr_issued}), and no later variation or review is recorded.",
                   value=made.isoformat(), evidence=ref)


class ThreatScrutiny(Check):
    """SPR-04: the PCC holds the Chief Constable to account for regard to the SPR; counts
    the threats with a PCC scrutiny record (an accountability-meeting item) in the period."""

    id = "spr.threat-scrutiny"
    title = "Threats scrutinised at a PCC accountability meeting in the period"
    covers = ("spr.holding-to-account/threats-scrutinised",)
    reads_any = (model.ASSESSMENT, model.TABLE)  # either form; see ThreatCapability

    def run(self, requirement, evidence, context):
        spr = model.collect(evidence, context)
        if not spr.any:
            model.require_any(spr)
        counted = [t for t in IDS if any(r.type == "scrutiny" for r in spr.threats[t].records)]
        excluded = [t for t in IDS
                    if any(r.type == "scrutiny" for r, _ in spr.threats[t].excluded)]
        if not counted and not excluded:
            raise NotEvidenced("no PCC scrutiny record (evidence type 'scrutiny') is in the "
                               "SPR evidence for any threat")
        names = _join([title(t) for t in counted]) if counted else "none"
        detail = f"Threats with a scrutiny record in the period: {names}."
        only_outside = [t for t in excluded if t not in counted]
        if only_outside:
            detail += (" Scrutiny records dated outside the period were not counted for: "
                       + _join([title(t) for t in only_outside]) + ".")
        return Measurement(len(counted), detail, spr.refs(),
                           details={"scrutinised": counted})


CHECKS = (ThreatCapability, AssuranceStatement, PlanRegard, ThreatScrutiny)

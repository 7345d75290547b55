"""Checks for the SPR duties that need more than a declarative rule: per-threat evidence
coverage (the 7-row matrix), the PCC's assurance statement capped by that coverage, the
plan's references to the threats, and the scrutiny trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dutycheck import Check, Measurement, NotEvidenced, Rating, Verdict

from . import model
from .model import EXPECTED, GAP_LABELS, LABELS, ThreatEvidence
from .threats import IDS, names_spr, threats_named, title

PLAN = "spr_plan_reference"
CAPABILITY_DUTY = "spr.threat-capability"
# Plan-catalogue duties that summarise a plan rather than state a commitment
# (docs/plan-catalogue.md: the coverage matrix and tracker-quality duties).
NOT_COMMITMENTS = {"plan-coverage", "plan-tracker-quality"}
PCC_ROLES = ("police and crime commissioner", "police, fire and crime commissioner",
             "police fire and crime commissioner", "pcc", "pfcc")


class ThreatCapability(Check):
    """SPR-02/SPR-06: one row per threat. Green needs outcome measures (not proxies only,
    none fallen on the previous year beyond what is allowed), enough kinds of supporting
    evidence, and a statement of capability (the narrative or another item); a narrative
    alone is an assertion and is capped at Amber; a threat the evidence never addresses is
    Red. Every number Green needs is a requirement parameter (basis: inference)."""

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
        need = GreenNeeds(int(requirement.param("outcome_measures_for_green")),
                          int(requirement.param("evidence_kinds_for_green")),
                          int(requirement.param("falls_allowed_for_green")))
        return rate_threat(requirement.title, te, need)


@dataclass(frozen=True)
class GreenNeeds:
    """What Green needs for one threat (the requirement's parameters)."""

    outcomes: int = 1  # outcome-measure items that are not proxies only
    kinds: int = 1  # kinds of supporting (non-narrative) evidence
    falls: int = 0  # outcome measures allowed to fall on the previous year


def rate_threat(req_title: str, te: ThreatEvidence, need: GreenNeeds) -> Verdict:
    """The matrix row for one threat (shared by the check and the assurance statement)."""
    supporting = te.supporting
    outcomes = [r for r in supporting if r.type == "outcome-measure"]
    real = [r for r in outcomes if not r.proxy_only]
    capability = [r for r in te.records if r.type != "outcome-measure"]
    falls = [m for r in outcomes for m in r.measures if model.fell(m)]
    judged = [m for r in outcomes for m in r.measures
              if m.get("previous_value") is not None and m.get("direction")]
    kinds = te.types
    missing = [t for t in EXPECTED if t not in kinds]
    gap = _gap(te, missing)
    strongest = _strongest(te)
    refs = [r.ref for r in te.records] + [r.ref for r, _ in te.excluded]
    details: dict[str, Any] = {
        "threat": te.threat, "threat_title": te.title, "strongest_evidence": strongest,
        "gap": gap, "supporting_items": len(supporting), "evidence_types": kinds,
        "narrative_only": bool(te.narrative) and not supporting,
        "proxy_only": bool(outcomes) and not real,
        "measures_fallen": [model.describe_measure(m) for m in falls],
        "force_rating": te.force_rating, "data_quality": te.quality_notes(),
    }
    if te.addressed and not te.records:
        raise NotEvidenced("none of its evidence can be counted: "
                           + "; ".join(te.quality_notes()))
    if not te.addressed:
        rating = Rating.RED
        what = ("not addressed: " + _join([r["item"] for r in te.empty])
                + " names the threat but gives no narrative and no evidence item"
                ) if te.empty else "not addressed by any SPR evidence item"
    elif not supporting:
        rating, what = Rating.AMBER, ("narrative only, with no supporting evidence item; "
                                      "capped at Amber (assertion is not evidence)")
    elif not outcomes:
        rating, what = Rating.AMBER, ("supporting evidence (" + ", ".join(
            LABELS[t] for t in kinds) + ") but no outcome measure")
    else:
        short = _short_of_green(te, need, real, capability, falls)
        if short:
            rating, what = Rating.AMBER, "outcome measures, but " + "; ".join(short)
        else:
            rating = Rating.GREEN
            what = (f"outcome measures and a statement of capability; {len(kinds)} kind(s) "
                    f"of supporting evidence ({need.kinds} needed); "
                    + (f"none of the {len(judged)} measure(s) with a previous-year figure "
                       "and a stated direction fell" if judged else
                       "no measure states a previous-year figure and which way is better, "
                       "so none is judged against the previous year"))
    if te.duplicated and rating is Rating.GREEN:
        rating = Rating.AMBER
        what += "; capped at Amber because the threat is assessed more than once"
    reason = f"{req_title}: {what}. Strongest evidence: {strongest}. Gap: {gap}."
    notes = te.quality_notes()
    if notes:
        reason += " Data quality: " + "; ".join(notes) + "."
    return Verdict(rating, reason, value=len(supporting), unit="supporting items",
                   evidence=refs, details=details)


def _short_of_green(te: ThreatEvidence, need: GreenNeeds, real: list[model.Record],
                    capability: list[model.Record], falls: list[dict[str, Any]]) -> list[str]:
    """What keeps a threat with outcome measures from Green, in words."""
    short = []
    if not capability:
        short.append("no statement of capability")
    if not real:
        short.append("they are proxies only (the source says the figures stand in for what "
                     "it cannot measure)")
    elif len(real) < need.outcomes:
        short.append(f"{len(real)} outcome-measure item(s), fewer than the {need.outcomes} "
                     "needed for Green")
    if len(te.types) < need.kinds:
        short.append(f"{len(te.types)} kind(s) of supporting evidence ("
                     + ", ".join(LABELS[t] for t in te.types)
                     + f"), fewer than the {need.kinds} needed for Green")
    if len(falls) > need.falls:
        short.append(f"{len(falls)} measure(s) moved the wrong way on the previous year ("
                     + "; ".join(model.describe_measure(m) for m in falls)
                     + f"), more than the {need.falls} Green allows")
    return short


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
    for "more distinct references to SPR in police and crime plans" (SPR-01, SPR-05). The
    threats are read from the plan reference item (its text or explicit list) and from the
    plan catalogue: the plan-commitment duties in force for the period, whose commitments
    are the plan's objectives."""

    id = "spr.plan-regard"
    title = "The police and crime plan names the SPR threats and post-dates the SPR"
    covers = ("spr.plan-regard/threats-referenced", "spr.plan-regard/plan-after-spr")
    # Neither source is needed alone: the plan reference item or the plan catalogue will do,
    # so run() says what is missing.

    def run(self, requirement, evidence, context):
        item, stale = _plan_item(evidence, context)
        if requirement.id == "plan-after-spr":
            if item is None:
                raise NotEvidenced(stale or f"the bundle has no {PLAN} item giving the "
                                            "plan's issue date")
            return _plan_currency(requirement, item, context)
        commitments = plan_commitments(context)
        if item is None and not commitments:
            raise NotEvidenced((stale + "; and" if stale else f"the bundle has no {PLAN} "
                                "item, and") + " no plan-commitment duty (the plan "
                               "catalogue) is in force for the period")
        data = item.data if item is not None else {}
        named: set[str] = set()
        how = []
        if "threats_named" in data:
            named |= set(data["threats_named"])
            how.append("as listed")
        elif item is not None:
            named |= set(threats_named(data["text"]))
            how.append("found in its text")
        linked: dict[str, list[str]] = {}
        for duty in commitments:
            for t in threats_named(f"{duty.title}\n{duty.summary or ''}"):
                linked.setdefault(t, []).append(duty.id)
        if commitments:
            named |= set(linked)
            naming = sum(1 for d in commitments if _names_any(d))
            some = "the one plan commitment" if len(commitments) == 1 else \
                f"the {len(commitments)} plan commitments"
            how.append(f"named in {naming} of {some} in the catalogue" if naming
                       else f"{some} in the catalogue "
                       + ("names" if len(commitments) == 1 else "name") + " none")
        named_ids = [t for t in IDS if t in named]
        spr_named = (item is not None and ("threats_named" in data
                                           or names_spr(data.get("text", ""))))
        need = int(requirement.param("threats_required"))
        missing = [t for t in IDS if t not in named]
        plan = data["plan_title"] if item is not None else commitments[0].source.title
        how_text = "; ".join(how)
        details = {"threats_named": named_ids, "threats_missing": missing, "method": how_text,
                   "spr_referenced": spr_named,
                   "threats_in_commitments": {t: linked[t] for t in IDS if t in linked}}
        ref = [item.ref("threats_named" if "threats_named" in data else "text")] \
            if item is not None else []
        links = ""
        if commitments:
            links = (" Named in plan commitments (the plan's objectives): " + _join(
                [f"{title(t)} ({_count(len(linked[t]), 'commitment')})" for t in IDS
                 if t in linked]) + ".") if linked else ""
        if item is None and not named_ids:
            # The catalogue lists commitments only; the plan's text may still name the SPR
            # and its threats, so silence there is a gap in evidence, not a Red.
            raise NotEvidenced(f"the bundle has no {PLAN} item giving the plan's text, and "
                               f"{how_text}; commitments alone cannot show that the plan "
                               "leaves the threats out")
        if len(named_ids) >= need:
            return Verdict(Rating.GREEN, f"{requirement.title}: {plan!r} names all "
                           f"{len(named_ids)} threats ({how_text}).{links}",
                           value=len(named_ids), unit="threats", evidence=ref,
                           details=details)
        if named_ids or spr_named:
            general = ("refers to the SPR in general terms" if spr_named
                       else "does not name the SPR itself" if item is not None
                       else f"(no {PLAN} item gives its text)")
            listed = _join([title(t) for t in named_ids]) if named_ids else "none"
            return Verdict(Rating.AMBER, f"{requirement.title}: {plan!r} {general} and names "
                           f"{len(named_ids)} of {len(IDS)} threats: {listed} ({how_text}); "
                           "not named: " + _join([title(t) for t in missing]) + f".{links}",
                           value=len(named_ids), unit="threats", evidence=ref,
                           details=details)
        return Verdict(Rating.RED, f"{requirement.title}: {plan!r} neither refers to the SPR "
                       f"nor names any of its threats ({how_text}).", value=0, unit="threats",
                       evidence=ref, details=details)


def _plan_item(evidence, context) -> tuple[Any, str | None]:
    """The single plan reference item, or None and why it cannot be used."""
    items = evidence.items(PLAN)
    if not items:
        return None, None
    item = evidence.item(PLAN)  # NotEvidenced if there are several
    why = context.stale(item)
    return (None, why) if why else (item, None)


def plan_commitments(context) -> list:
    """The plan catalogue: plan-commitment duties loaded for the run that bind this
    organisation and are in force by the end of the period (docs/plugin-hooks.md,
    Context.duties)."""
    out = []
    for duty in context.duties.values():
        if duty.kind != "plan-commitment" or not duty.applies_to(context.organisation) \
                or set(duty.tags) & NOT_COMMITMENTS:
            continue
        start = duty.effective_from
        if start and dt.date.fromisoformat(str(start)) > context.period_end:
            continue
        out.append(duty)
    return sorted(out, key=lambda d: d.id)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _names_any(duty) -> bool:
    return bool(threats_named(f"{duty.title}\n{duty.summary or ''}"))


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


class EvidenceQuality(Check):
    """Evidence the matrix cannot count is itself a finding, so it is not seen only inside
    one threat's reason: items dated outside the period or after the assessment date,
    outcome-measure items without figures, figures that cannot be read, assessments that
    name only the threat, and a threat with more than one published narrative."""

    id = "spr.evidence-quality"
    title = "SPR threat evidence that cannot be counted as given"
    covers = ("spr.evidence-quality/countable-evidence",)
    reads_any = (model.ASSESSMENT, model.TABLE)  # either form; see ThreatCapability

    def run(self, requirement, evidence, context):
        spr = model.collect(evidence, context)
        by_threat = {t: spr.threats[t].quality_notes() for t in IDS}
        count = sum(spr.threats[t].problems() for t in IDS)
        if not count:
            model.require_any(spr)
            return Measurement(0, "Every SPR evidence item and row can be counted.",
                               spr.refs(), details={"problems": {}})
        notes = [f"{title(t)}: " + "; ".join(n) for t, n in by_threat.items() if n]
        return Measurement(count, "; ".join(notes) + ".", spr.refs(flagged=True),
                           details={"problems": {t: n for t, n in by_threat.items() if n}})


CHECKS = (ThreatCapability, AssuranceStatement, PlanRegard, ThreatScrutiny, EvidenceQuality)

"""Checks for the Serious Violence Duty that a declarative rule cannot express: who signed
up, which areas a strategy covers, how old an assessment or review is, outcome measures
validated before the engine rates them against their comparators, and sources that
disagree about the same thing.

Thresholds stay in the duty YAML (bands and params) with their basis; these checks only
compute numbers or judge coverage.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dutycheck import Check, Measurement, NotEvidenced, Rating, Verdict

from .kinds import CONSULTEE_TYPES

PARTNERSHIP = "sv_partnership"
SNA = "sv_needs_assessment"
STRATEGY = "sv_strategy"
CONSULTATION = "sv_consultation_record"
OUTCOMES = "sv_outcome_measures"
SPLIT = "vru_grant_split"
ISA = "sv_information_sharing_agreement"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _reference(context: Any) -> dt.date:
    """The day ages are measured to: the period end, or the as-of date if earlier."""
    return min(context.as_of, context.period_end)


def _types(requirement: Any) -> list[str]:
    return [t.strip() for t in str(requirement.param("required_types")).split(",")
            if t.strip()]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- who signed up ------------------------------------------------------------------------

class _SignatoryCoverage(Check):
    """Green when every required type of specified authority has signed, Amber when some
    have, Red when none has. Shared by the partnership and the information-sharing
    agreement, which differ only in the evidence they read."""

    kind: str = ""
    members_field: str = ""
    what: str = ""

    def run(self, requirement, evidence, context):
        item = evidence.item(self.kind)
        members = item.data.get(self.members_field, [])
        required = _types(requirement)
        signed: dict[str, list[str]] = {}
        for m in members:
            when = _date(m.get("signed_on"))
            if when is not None and when <= context.as_of:
                signed.setdefault(m["type"], []).append(m["authority"])
        have = [t for t in required if t in signed]
        missing = [t for t in required if t not in signed]
        unsigned = sum(1 for m in members if not m.get("signed_on"))
        detail = (f"{len(have)} of {len(required)} types of specified authority have signed "
                  f"the {self.what}")
        extra = f"; {_plural(unsigned, 'named member')} without a sign-up date" \
            if unsigned else ""
        refs = [item.ref(self.members_field)]
        if not missing:
            return Verdict(Rating.GREEN, f"{requirement.title}: {detail} ({', '.join(have)})"
                           f"{extra}.", value=len(have), evidence=refs)
        rating = Rating.RED if not have else Rating.AMBER
        return Verdict(rating, f"{requirement.title}: {detail}; not signed: "
                       f"{', '.join(missing)}{extra}.", value=len(have), evidence=refs,
                       details={"missing_types": missing})


class PartnershipSignatories(_SignatoryCoverage):
    id = "serious-violence.partnership-signatories"
    title = "Every type of specified authority has signed up to the partnership"
    covers = ("serious-violence.partnership/specified-authorities-signed-up",)
    reads = (PARTNERSHIP,)
    kind, members_field, what = PARTNERSHIP, "members", "partnership agreement"


class IsaSignatories(_SignatoryCoverage):
    id = "serious-violence.isa-signatories"
    title = "Every type of specified authority has signed the information-sharing agreement"
    covers = ("serious-violence.information-sharing/isa-signed",)
    reads = (ISA,)
    kind, members_field, what = ISA, "signatories", "information-sharing agreement"


class LocalDefinition(Check):
    """A partnership with no agreed local definition cannot say what it is counting."""

    id = "serious-violence.local-definition"
    title = "The partnership has agreed a local definition of serious violence"
    covers = ("serious-violence.partnership/local-definition",)
    reads = (PARTNERSHIP,)

    def run(self, requirement, evidence, context):
        item = evidence.item(PARTNERSHIP)
        definition = item.data.get("definition")
        if not definition:
            return Verdict(Rating.AMBER, f"{requirement.title}: the partnership record gives "
                           "no local definition.", evidence=[item.ref()])
        agreed = definition.get("agreed_on")
        when = f", agreed on {agreed}" if agreed else " (no date of agreement recorded)"
        rating = Rating.GREEN if agreed else Rating.AMBER
        return Verdict(rating, f"{requirement.title}: a definition is recorded{when}.",
                       value=agreed, evidence=[item.ref("definition")])


# -- needs assessment and strategy ----------------------------------------------------------

class NeedsAssessmentAge(Check):
    id = "serious-violence.needs-assessment-age"
    title = "Days from the strategic needs assessment to the end of the period"
    covers = ("serious-violence.needs-assessment/assessment-age",)
    reads = (SNA,)

    def run(self, requirement, evidence, context):
        item = evidence.item(SNA)
        date = _date(item.data["date"])
        if date > context.as_of:
            raise NotEvidenced(f"the needs assessment is dated {date}, after the assessment "
                               f"date {context.as_of}")
        ref = _reference(context)
        note = f" ({item.data['date_note']})" if item.data.get("date_note") else ""
        return Measurement(max(0, (ref - date).days), f"{item.data['title']!r} is dated "
                           f"{date}{note}; age measured to {ref}"
                           + (" (it postdates the period, so counts as new)." if date > ref
                              else "."), [item.ref("date")])


class NeedsAssessmentScope(Check):
    """s.8(3): identify the kinds of serious violence and, so far as possible, the causes."""

    id = "serious-violence.needs-assessment-scope"
    title = "The needs assessment identifies the kinds and the causes of serious violence"
    covers = ("serious-violence.needs-assessment/kinds-and-causes",)
    reads = (SNA,)

    def run(self, requirement, evidence, context):
        item = evidence.item(SNA)
        kinds, causes = item.data.get("covers_kinds"), item.data.get("covers_causes")
        if kinds is None or causes is None:
            raise NotEvidenced("the needs assessment record does not say whether it covers "
                               "the kinds and the causes of serious violence")
        sources = item.data.get("data_sources", [])
        src = f" Data sources: {', '.join(sources)}." if sources else ""
        ref = [item.ref("covers_kinds, covers_causes")]
        if not kinds:
            return Verdict(Rating.RED, f"{requirement.title}: it does not identify the kinds "
                           f"of serious violence in the area.{src}", evidence=ref)
        if not causes:
            return Verdict(Rating.AMBER, f"{requirement.title}: it identifies the kinds but "
                           f"not the causes of serious violence.{src}", evidence=ref)
        return Verdict(Rating.GREEN, f"{requirement.title}: it covers both.{src}",
                       evidence=ref)


def _published(strategies: list[dict[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    return [s for s in strategies if _date(s["published_on"]) <= as_of]


class StrategyCoverage(Check):
    """s.8(3)(c) and s.8(7)(a): a published strategy for every local government area, or
    an area-wide (s.9) strategy covering them all. A strategy naming an area the record
    does not list is a data-quality problem, shown rather than guessed at."""

    id = "serious-violence.strategy-coverage"
    title = "Every local government area has a published serious violence strategy"
    covers = ("serious-violence.strategy/published-for-every-area",)
    reads = (STRATEGY,)

    def run(self, requirement, evidence, context):
        item = evidence.item(STRATEGY)
        areas = list(item.data["areas"])
        published = _published(item.data["strategies"], context.as_of)
        unknown = sorted({a for s in item.data["strategies"] for a in s.get("areas", [])
                          if a not in areas})
        covered: set[str] = set()
        for s in published:
            covered |= set(areas) if s["scope"] == "area-wide" else set(s.get("areas", []))
        missing = [a for a in areas if a not in covered]
        no_url = [s["title"] for s in published if not s.get("url")]
        titles = "; ".join(f"{s['title']!r} ({s['scope']}, published {s['published_on']})"
                           for s in published) or "none"
        refs = [item.ref("strategies")]
        details = {"areas": len(areas), "covered": len(covered & set(areas)),
                   "missing": missing, "unknown_areas": unknown}
        n_covered = len(covered & set(areas))
        head = (f"{requirement.title}: {n_covered} of {len(areas)} areas "
                f"covered by a published strategy ({titles})")
        if missing:
            return Verdict(Rating.RED, f"{head}; no published strategy for "
                           f"{', '.join(missing)}.", value=n_covered, unit="areas covered",
                           evidence=refs, details=details)
        problems = []
        if unknown:
            problems.append("a strategy names area(s) the record does not list ("
                            + ", ".join(unknown) + "): check the area list")
        if no_url and requirement.param("require_url"):
            problems.append("no published address is recorded for " + ", ".join(
                repr(t) for t in no_url) + ", so publication cannot be verified")
        if problems:
            return Verdict(Rating.AMBER, f"{head}; but " + "; ".join(problems) + ".",
                           value=n_covered, unit="areas covered", evidence=refs,
                           details=details)
        return Verdict(Rating.GREEN, f"{head}.", value=n_covered, unit="areas covered",
                       evidence=refs, details=details)


class StrategyReviewAge(Check):
    """s.8(7)(b): keep the strategy under review. The age of the stalest strategy since its
    last review (or publication, if never reviewed) is rated against the YAML bands."""

    id = "serious-violence.strategy-review-age"
    title = "Days since each strategy was last reviewed (or published)"
    covers = ("serious-violence.strategy-review/days-since-review",)
    reads = (STRATEGY,)

    def run(self, requirement, evidence, context):
        item = evidence.item(STRATEGY)
        published = _published(item.data["strategies"], context.as_of)
        if not published:
            raise NotEvidenced("no strategy was published by the assessment date")
        ref = _reference(context)
        worst: tuple[int, str] | None = None
        for s in published:
            dates = [_date(s["published_on"])] + [
                _date(r["date"]) for r in s.get("reviews", [])
                if _date(r["date"]) <= context.as_of]
            last = max(d for d in dates if d <= ref) if any(d <= ref for d in dates) \
                else min(dates)
            reviewed = any(_date(r["date"]) == last for r in s.get("reviews", []))
            how = f"last reviewed {last}" if reviewed else \
                f"published {last} with no review recorded"
            age = max(0, (ref - last).days)  # published after the period end: new
            if worst is None or age > worst[0]:
                worst = (age, f"{s['title']!r}: {how}")
        return Measurement(worst[0], f"{worst[1]}; age measured to {ref}.",
                           [item.ref("strategies")])


class ConsultationCoverage(Check):
    """s.8(4): each educational, prison and youth custody authority must be consulted."""

    id = "serious-violence.consultation-coverage"
    title = "Educational, prison and youth custody authorities were consulted"
    covers = ("serious-violence.consultation/statutory-consultees",)
    reads = (CONSULTATION,)

    def run(self, requirement, evidence, context):
        item = evidence.item(CONSULTATION)
        none_in_area = set(item.data.get("none_in_area", []))
        wanted = [t for t in CONSULTEE_TYPES if t not in none_in_area]
        listed = item.data["consultees"]
        done = [c for c in listed if c.get("consulted_on")
                and _date(c["consulted_on"]) <= context.as_of]
        types_done = [t for t in wanted if any(c["type"] == t for c in done)]
        not_done = [c for c in listed if c not in done]
        refs = [item.ref("consultees")]
        head = (f"{requirement.title}: {len(done)} of {len(listed)} listed authorities "
                f"consulted, covering {len(types_done)} of {len(wanted)} required types")
        skip = f" (no {', '.join(sorted(none_in_area))} authority in the area)" \
            if none_in_area else ""
        if not done:
            return Verdict(Rating.RED, f"{head}; no consultation is recorded{skip}.",
                           value=0, evidence=refs)
        gaps = [t for t in wanted if t not in types_done]
        if gaps or not_done:
            parts = []
            if gaps:
                parts.append("no " + ", ".join(gaps) + " authority consulted")
            if not_done:
                parts.append(f"{_plural(len(not_done), 'listed authority')} "
                             "without a consultation date")
            return Verdict(Rating.AMBER, f"{head}; " + "; ".join(parts) + f"{skip}.",
                           value=len(done), evidence=refs)
        return Verdict(Rating.GREEN, f"{head}{skip}.", value=len(done), evidence=refs)


# -- performance framework and outcome measures --------------------------------------------

def _measures(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in data.items() if isinstance(v, dict) and "unit" in v}


class FrameworkReporting(Check):
    """A framework is measures with a comparator, reported more than once a year."""

    id = "serious-violence.framework-reporting"
    title = "Times the outcome measures were reported in the year"
    covers = ("serious-violence.performance-framework/reporting-points",)
    reads = (OUTCOMES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OUTCOMES)
        measures = _measures(item.data)
        compared = [k for k, m in measures.items() if m.get("baseline") or m.get("previous")
                    or "stated_change_vs_previous_percent" in m]
        if not compared:
            raise NotEvidenced("the outcome measures have no baseline or previous-year "
                               "comparator, so there is no performance framework to rate")
        reports = item.data.get("reports")
        if not reports:
            raise NotEvidenced("the outcome measures record lists no dates on which they "
                               "were reported")
        counted = sorted({r["date"] for r in reports
                          if context.period_start <= _date(r["date"]) <= context.as_of})
        return Measurement(len(counted), f"{_plural(len(compared), 'measure')} with a "
                           f"comparator; reported on {', '.join(counted) or 'no date'} "
                           f"between {context.period_start} and {context.as_of}.",
                           [item.ref("reports")])


def _change(m: dict[str, Any]) -> float | None:
    """Change on the previous year in percent: from the numbers when both are given,
    otherwise as published."""
    cur, prev = (m.get("current") or {}).get("value"), (m.get("previous") or {}).get("value")
    if cur is not None and prev:
        return 100.0 * (cur - prev) / prev
    return m.get("stated_change_vs_previous_percent")


class OutcomeMeasure(Check):
    """Validate one outcome measure before the engine rates it against the comparator its
    bands name: units agree, the comparator period ends before the reporting period starts,
    and the value exists. Which measure and which value come from the requirement's params,
    so a partner adds a measure with YAML alone."""

    id = "serious-violence.outcome-measure"
    title = "An outcome measure, checked for units and comparator periods"
    covers = ("serious-violence.outcome-measures/homicides-vs-previous-year",
              "serious-violence.outcome-measures/sharp-admissions-u25-vs-baseline",
              "serious-violence.outcome-measures/knife-sv-under-18-vs-previous-year",
              "serious-violence.outcome-measures/knife-sv-18-24-vs-previous-year")
    reads = (OUTCOMES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OUTCOMES)
        key = requirement.param("measure")
        m = _measures(item.data).get(key)
        if m is None:
            raise NotEvidenced(f"the outcome measures have no {key!r} measure")
        name = m.get("title") or key.replace("_", " ")
        unit = m["unit"]
        mixed = sorted({f"{which} in {p['unit']!r}" for which in ("current", "previous",
                        "baseline") if (p := m.get(which)) and p.get("unit")
                        and p["unit"] != unit})
        if mixed:
            raise NotEvidenced(f"{name} mixes units: the measure is in {unit!r} but "
                               + ", ".join(mixed) + "; figures in different units cannot be "
                               "compared")
        comparator = requirement.param("comparator")
        point = m.get(comparator)
        if point is not None:
            end = _date(point["end"])
            if end >= context.period_start:
                where = "after the reporting period" if end > context.period_end else \
                    "inside the reporting period"
                raise NotEvidenced(f"the {comparator} for {name} ({point['period']}) ends on "
                                   f"{end}, {where}; a comparator must end before the period "
                                   f"starts ({context.period_start})")
        src = f" Source: {m['source']}." if m.get("source") else ""
        refs = [item.ref(key)]
        if requirement.param("value") == "change_vs_previous_percent":
            change = m.get("stated_change_vs_previous_percent")
            if change is None:
                change = _change(m)
            if change is None:
                raise NotEvidenced(f"no change on the previous year is given for {name}")
            return Measurement(round(change, 2), f"{name}: change on the previous year as "
                               f"published.{src}", refs)
        current = m.get("current") or {}
        if current.get("value") is None:
            raise NotEvidenced(f"no value for the period is given for {name}")
        if point is None or point.get("value") is None:
            raise NotEvidenced(f"no {comparator} value is given for {name}")
        cur, base = current["value"], point["value"]
        pct = f"{100.0 * (cur - base) / base:+.1f}%" if base else "n/a"
        return Measurement(cur, f"{name}: {cur:g} in {current['period']} against {base:g} in "
                           f"{point['period']} ({comparator}), a change of {pct}.{src}", refs)


class SourcesAgree(Check):
    """Measures of the same thing (one `family`) from different sources must move the same
    way. When they do not, the finding shows every figure and says they conflict; it does
    not pick one. Divergence is a question to ask, so it is Amber, never Red."""

    id = "serious-violence.sources-agree"
    title = "Measures of the same thing from different sources move the same way"
    covers = ("serious-violence.outcome-measures/sources-agree",)
    reads = (OUTCOMES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OUTCOMES)
        families: dict[str, list[tuple[str, float, dict[str, Any]]]] = {}
        for key, m in sorted(_measures(item.data).items()):
            change = _change(m)
            if m.get("family") and change is not None:
                families.setdefault(m["family"], []).append((key, change, m))
        checked = {f: ms for f, ms in families.items() if len(ms) > 1}
        if not checked:
            raise NotEvidenced("no family has two or more measures compared with the previous "
                               "year, so there is nothing to cross-check")
        conflicts, agree = [], []
        for family, ms in sorted(checked.items()):
            ups = [x for x in ms if x[1] > 0]
            downs = [x for x in ms if x[1] < 0]
            listing = "; ".join(_describe(key, change, m) for key, change, m in ms)
            if ups and downs:
                conflicts.append(f"{family}: {len(downs)} down and {len(ups)} up — "
                                 f"{listing}")
            else:
                agree.append(f"{family} ({len(ms)} measures agree)")
        refs = [item.ref(", ".join(k for ms in checked.values() for k, _, _ in ms))]
        if conflicts:
            return Verdict(Rating.AMBER, f"{requirement.title}: the sources conflict, so "
                           "neither figure is taken as the answer: " + " | ".join(conflicts)
                           + ".", value=len(conflicts), unit="conflicts", evidence=refs,
                           details={"conflicts": conflicts})
        return Verdict(Rating.GREEN, f"{requirement.title}: no conflict; "
                       + "; ".join(agree) + ".", value=0, unit="conflicts", evidence=refs)


def _describe(key: str, change: float, m: dict[str, Any]) -> str:
    name = m.get("title") or key.replace("_", " ")
    cur, prev = (m.get("current") or {}).get("value"), (m.get("previous") or {}).get("value")
    nums = f" ({cur:g} against {prev:g})" if cur is not None and prev else ""
    src = f" [{m['source']}]" if m.get("source") else ""
    return f"{name} {change:+.1f}%{nums}{src}"


# -- grant ---------------------------------------------------------------------------------

class YefShare(Check):
    """The share of the VRU core grant spent on interventions the Youth Endowment Fund
    Toolkit rates high or moderate impact. Computed from the amounts when both are given
    (and compared with any stated share); otherwise the stated share is used."""

    id = "serious-violence.yef-share"
    title = "Share of the VRU core grant on YEF high or moderate impact interventions"
    covers = ("serious-violence.vru-grant-evidence/yef-share",)
    reads = (SPLIT,)

    def run(self, requirement, evidence, context):
        item = evidence.item(SPLIT)
        d = item.data
        grant, spend, stated = (d.get("core_grant"), d.get("yef_high_moderate_spend"),
                                d.get("stated_share_percent"))
        notes = []
        if grant and spend is not None:
            value = 100.0 * spend / grant
            how = f"£{spend:,.0f} of a £{grant:,.0f} core grant"
            if stated is not None and abs(stated - value) > 0.5:
                notes.append(f"the stated share, {stated:g}%, disagrees with the amounts")
        elif stated is not None:
            value = float(stated)
            how = "the stated share" + (" (published as a lower bound, \"not less than\")"
                                        if d.get("stated_as_minimum") else "")
        else:
            raise NotEvidenced("the grant split gives neither the amounts nor a share")
        end = _date(d["period_end"])
        if end < context.period_start:
            notes.append(f"the figure is for {d['period_label']}, the latest published, not "
                         "the reporting period")
        detail = f"{d['period_label']}: {how}." + (" Note: " + "; ".join(notes) + "."
                                                    if notes else "")
        return Measurement(round(value, 2), detail, [item.ref()])


CHECKS = (PartnershipSignatories, LocalDefinition, NeedsAssessmentAge, NeedsAssessmentScope,
          StrategyCoverage, StrategyReviewAge, ConsultationCoverage, FrameworkReporting,
          OutcomeMeasure, SourcesAgree, YefShare, IsaSignatories)

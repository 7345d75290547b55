"""Checks for the Serious Violence Duty that a declarative rule cannot express: who signed
up, which areas a strategy covers, how old an assessment or review is, outcome measures
validated before the engine rates them against their comparators, and sources that
disagree about the same thing.

Thresholds stay in the duty YAML (bands and params) with their basis; these checks only
compute numbers or judge coverage.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from dutycheck import Check, Measurement, NotEvidenced, Rating, Verdict

from .kinds import CONSULTEE_TYPES, NAMED_MEASURES

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
        odd = ("a strategy names area(s) the record does not list (" + ", ".join(unknown)
               + "): check the area list") if unknown else ""
        if missing:
            return Verdict(Rating.RED, f"{head}; no published strategy for "
                           f"{', '.join(missing)}" + (f"; also {odd}" if odd else "") + ".",
                           value=n_covered, unit="areas covered", evidence=refs,
                           details=details)
        problems = [odd] if odd else []
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


def _strategy_for(evidence: Any, context: Any, title: str | None
                  ) -> tuple[dict[str, Any], Any] | None:
    """The strategy a consultation record is about, with its evidence item: the one its
    ``strategy_title`` names, or the only strategy recorded. None when the bundle has no
    usable strategy record or cannot say which strategy is meant."""
    items = [i for i in evidence.items(STRATEGY) if not context.stale(i)]
    if len(items) != 1:
        return None
    strategies = items[0].data["strategies"]
    named = [s for s in strategies if title and s["title"].strip().lower()
             == title.strip().lower()]
    if len(named) == 1:
        return named[0], items[0]
    return (strategies[0], items[0]) if len(strategies) == 1 and not title else None


class ConsultationCoverage(Check):
    """s.8(4): "in preparing a strategy" each educational, prison and youth custody
    authority must be consulted. When the bundle also holds the strategy, a consultation
    dated after the strategy was published was not part of preparing it, so it does not
    count (it may have informed a revision, which the record should then say)."""

    id = "serious-violence.consultation-coverage"
    title = "Educational, prison and youth custody authorities were consulted"
    covers = ("serious-violence.consultation/statutory-consultees",)
    reads = (CONSULTATION,)

    def run(self, requirement, evidence, context):
        item = evidence.item(CONSULTATION)
        none_in_area = set(item.data.get("none_in_area", []))
        wanted = [t for t in CONSULTEE_TYPES if t not in none_in_area]
        listed = item.data["consultees"]
        dated = [c for c in listed if c.get("consulted_on")
                 and _date(c["consulted_on"]) <= context.as_of]
        found = _strategy_for(evidence, context, item.data.get("strategy_title"))
        published = _date(found[0]["published_on"]) if found else None
        late = [c for c in dated if published and _date(c["consulted_on"]) > published]
        done = [c for c in dated if c not in late]
        types_done = [t for t in wanted if any(c["type"] == t for c in done)]
        not_done = [c for c in listed if c not in dated]
        refs = [item.ref("consultees")] + ([found[1].ref("strategies")] if found else [])
        head = (f"{requirement.title}: {len(done)} of {len(listed)} listed authorities "
                f"consulted, covering {len(types_done)} of {len(wanted)} required types")
        if found:
            head += (f" (in preparing {found[0]['title']!r}, published "
                     f"{found[0]['published_on']})")
        skip = f" (no {', '.join(sorted(none_in_area))} authority in the area)" \
            if none_in_area else ""
        after = ("consulted only after the strategy was published, so not in preparing "
                 "it (s.8(4)): " + ", ".join(f"{c['authority']} ({c['consulted_on']})"
                                            for c in late)) if late else ""
        if not done:
            return Verdict(Rating.RED, f"{head}; no consultation in preparing the strategy "
                           "is recorded" + (f"; {after}" if after else "") + f"{skip}.",
                           value=0, evidence=refs)
        gaps = [t for t in wanted if t not in types_done]
        parts = []
        if gaps:
            parts.append("no " + ", ".join(gaps) + " authority consulted")
        if not_done:
            parts.append(f"{_plural(len(not_done), 'listed authority')} "
                         "without a consultation date")
        if after:
            parts.append(after)
        if parts:
            return Verdict(Rating.AMBER, f"{head}; " + "; ".join(parts) + f"{skip}.",
                           value=len(done), evidence=refs)
        return Verdict(Rating.GREEN, f"{head}{skip}.", value=len(done), evidence=refs)


# -- performance framework and outcome measures --------------------------------------------

#: How each comparator is named in reasons.
COMPARATORS = {"previous": "previous year", "baseline": "baseline"}


def _measures(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in data.items() if isinstance(v, dict) and "unit" in v}


def _name(key: str, m: dict[str, Any]) -> str:
    return m.get("title") or NAMED_MEASURES.get(key) or key.replace("_", " ")


def _spec_param(requirement: Any, name: str, default: Any = None) -> Any:
    """A param the YAML may leave out (``requirement.param`` raises for a missing one)."""
    spec = requirement.spec.get("params", {}).get(name)
    return default if spec is None else spec["value"]


def _carries(m: dict[str, Any], comparator: str) -> bool:
    return bool(m.get(comparator)) or f"stated_change_vs_{comparator}_percent" in m


def _period_problem(m: dict[str, Any], name: str, context: Any) -> str | None:
    """Why the measure's figure cannot rate this reporting period, or None: it must say
    which period it is for, and that period must end inside the reporting period."""
    current = m.get("current")
    if not current:
        return (f"{name} does not say which period its figure is for (give `current` with "
                "its period and end date)")
    end = _date(current["end"])
    if not context.period_start <= end <= context.period_end:
        return (f"{name} is for {current['period']} (ending {end}), not the reporting period "
                f"({context.period_start} to {context.period_end}); a figure for another "
                "period cannot rate this one")
    return None


def _change(m: dict[str, Any], comparator: str = "previous") -> float | None:
    """Change on the comparator in percent: from the counts when both are given, otherwise
    as published."""
    cur = (m.get("current") or {}).get("value")
    base = (m.get(comparator) or {}).get("value")
    if cur is not None and base:
        return 100.0 * (cur - base) / base
    return m.get(f"stated_change_vs_{comparator}_percent")


def _stated_mismatch(m: dict[str, Any], comparator: str) -> str | None:
    """A published percentage change that the counts do not bear out, allowing for its
    rounding (half a unit in the last decimal place it is published to)."""
    stated = m.get(f"stated_change_vs_{comparator}_percent")
    cur = (m.get("current") or {}).get("value")
    base = (m.get(comparator) or {}).get("value")
    if stated is None or cur is None or not base:
        return None
    computed = 100.0 * (cur - base) / base
    places = max(0, -Decimal(str(stated)).as_tuple().exponent)
    if abs(stated - computed) <= 0.5 * 10 ** -places + 1e-9:
        return None
    return (f"the published change, {stated:+g}%, does not match the counts "
            f"({cur:g} against {base:g} is {computed:+.2f}%): the counts are used")


def _amount(x: float, unit: str) -> str:
    text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{text} points" if unit == "%" else f"{text} {unit}"


def _direction(change: float, materiality: float | None, lower_is_better: bool,
               unit: str) -> tuple[str, str]:
    """improving / stable / worsening: a change no larger than the requirement's
    materiality (in the value's unit; percentage points for a % change) is stable."""
    limit = materiality or 0
    if abs(change) <= limit:
        return "stable", (f"stable (a change of {_amount(abs(change), unit)}, within the "
                          f"materiality of {_amount(limit, unit)})")
    better = change < 0 if lower_is_better else change > 0
    word = "improving" if better else "worsening"
    return word, (f"{word} (a {'fall' if change < 0 else 'rise'} of "
                  f"{_amount(abs(change), unit)}, more than the materiality of "
                  f"{_amount(limit, unit)})")


class FrameworkReporting(Check):
    """Reporting points inside the period: a report after the period ends (the year-end
    paper) reports on the year but is not a point at which it was managed, so it is named
    but not counted."""

    id = "serious-violence.framework-reporting"
    title = "Times the outcome measures were reported in the period"
    covers = ("serious-violence.performance-framework/reporting-points",)
    reads = (OUTCOMES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OUTCOMES)
        reports = item.data.get("reports")
        if reports is None:
            raise NotEvidenced("the outcome measures record does not list the dates on which "
                               "they were reported")
        last = min(context.period_end, context.as_of)
        dates = sorted({r["date"] for r in reports})
        counted = [d for d in dates if context.period_start <= _date(d) <= last]
        later = [d for d in dates if _date(d) > context.period_end
                 and _date(d) <= context.as_of]
        note = (f" Not counted, because after the period ended: {', '.join(later)}."
                if later else "")
        return Measurement(len(counted), f"Reported on {', '.join(counted) or 'no date'} "
                           f"between {context.period_start} and {last}.{note}",
                           [item.ref("reports")])


class FrameworkBaseline(Check):
    """Research SVD-06: a framework is outcome measures with a baseline. Green when at least
    one measure is compared with a baseline, Amber when only with the previous year, Red
    when no measure has any comparator (there is no framework to report)."""

    id = "serious-violence.framework-baseline"
    title = "The outcome measures are compared with a baseline"
    covers = ("serious-violence.performance-framework/measures-with-baseline",)
    reads = (OUTCOMES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OUTCOMES)
        measures = _measures(item.data)
        if not measures:
            raise NotEvidenced("the outcome measures record holds no measure")
        based = [_name(k, m) for k, m in measures.items() if _carries(m, "baseline")]
        previous = [_name(k, m) for k, m in measures.items() if _carries(m, "previous")]
        refs = [item.ref()]
        head = f"{requirement.title}: {len(based)} of {_plural(len(measures), 'measure')}"
        if based:
            return Verdict(Rating.GREEN, f"{head} against a baseline ({'; '.join(based)}).",
                           value=len(based), unit="measures", evidence=refs)
        if previous:
            return Verdict(Rating.AMBER, f"{head} against a baseline; "
                           f"{len(previous)} only against the previous year.",
                           value=0, unit="measures", evidence=refs)
        return Verdict(Rating.RED, f"{requirement.title}: no measure (of "
                       f"{len(measures)}) has a baseline or previous-year "
                       "comparator, so there is no framework against which to report "
                       "progress.", value=0, unit="measures", evidence=refs)


#: Requirement ids of the outcome measures, one per measure and comparator.
_OUTCOME_REQUIREMENTS = tuple(
    f"serious-violence.outcome-measures/{m}-vs-{c}"
    for m in ("homicides", "sharp-admissions-u25", "firearms-offences", "knife-sv-under-18",
              "knife-sv-18-24", "knife-sv-all-ages", "knife-sharp-offences")
    for c in ("previous-year", "baseline"))


class OutcomeMeasure(Check):
    """Validate one outcome measure against one comparator before the engine rates it
    against the bands: units agree, the figure is for the reporting period, the comparator
    ends before the period starts. A comparator the measure does not carry is not
    applicable (it may carry the other); a measure the record lacks is a gap unless the
    requirement says it is rated only where given. Which measure, comparator and value come
    from params, so a partner adds a measure with YAML alone."""

    id = "serious-violence.outcome-measure"
    title = "An outcome measure against one comparator, checked for units and periods"
    covers = _OUTCOME_REQUIREMENTS
    reads = (OUTCOMES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OUTCOMES)
        key = requirement.param("measure")
        comparator = requirement.param("comparator")
        label = COMPARATORS[comparator]
        m = _measures(item.data).get(key)
        if m is None:
            if _spec_param(requirement, "required", True):
                raise NotEvidenced(f"the outcome measures have no {key!r} measure")
            return Verdict(Rating.NOT_DUE, f"{requirement.title}: not applicable; the record "
                           f"has no {key!r} measure, which is rated only where given.",
                           evidence=[item.ref()])
        name = _name(key, m)
        unit = m["unit"]
        mixed = sorted({f"{which} in {p['unit']!r}" for which in ("current", "previous",
                        "baseline") if (p := m.get(which)) and p.get("unit")
                        and p["unit"] != unit})
        if mixed:
            raise NotEvidenced(f"{name} mixes units: the measure is in {unit!r} but "
                               + ", ".join(mixed) + "; figures in different units cannot be "
                               "compared")
        problem = _period_problem(m, name, context)
        if problem:
            raise NotEvidenced(problem)
        refs = [item.ref(key)]
        if not _carries(m, comparator):
            others = [COMPARATORS[c] for c in COMPARATORS if c != comparator and _carries(m, c)]
            if not others:
                raise NotEvidenced(f"no previous-year or baseline comparator is given for "
                                   f"{name}")
            return Verdict(Rating.NOT_DUE, f"{requirement.title}: not applicable; {name} is "
                           f"published against the {others[0]} only, with no {label}.",
                           evidence=refs)
        point = m.get(comparator)
        if point is not None:
            end = _date(point["end"])
            if end >= context.period_start:
                where = "after the reporting period" if end > context.period_end else \
                    "inside the reporting period"
                raise NotEvidenced(f"the {label} for {name} ({point['period']}) ends on "
                                   f"{end}, {where}; a comparator must end before the period "
                                   f"starts ({context.period_start})")
        src = f" Source: {m['source']}." if m.get("source") else ""
        lower = requirement.spec.get("direction") != "higher-is-better"
        materiality = requirement.spec.get("materiality")
        mismatch = _stated_mismatch(m, comparator)
        flag = f" Note: {mismatch}." if mismatch else ""
        details = {"comparator": comparator, "stated_disagrees": bool(mismatch)}
        current = m["current"]
        if requirement.param("value") == "change_percent":
            change = _change(m, comparator)
            if change is None:
                raise NotEvidenced(f"no change on the {label} is given for {name}")
            how = "from the counts" if (current.get("value") is not None
                                       and (point or {}).get("value")) else "as published"
            word, call = _direction(change, materiality, lower, "%")
            details |= {"direction": word, "change": change}
            return Measurement(change, f"{name}, {current['period']}: change on the {label} "
                               f"{how}: {call}.{flag}{src}", refs, details)
        if current.get("value") is None:
            raise NotEvidenced(f"no value for the period is given for {name}")
        if point is None or point.get("value") is None:
            raise NotEvidenced(f"no {label} value is given for {name} (only a published "
                               "percentage change)")
        cur, base = current["value"], point["value"]
        pct = f" ({100.0 * (cur - base) / base:+.1f}%)" if base else ""
        word, call = _direction(cur - base, materiality, lower, unit)
        details |= {"direction": word, "change": cur - base}
        return Measurement(cur, f"{name}: {cur:g} in {current['period']} against {base:g} in "
                           f"{point['period']} ({label}), a change of {cur - base:+g}{pct}: "
                           f"{call}.{flag}{src}", refs, details)


class SourcesAgree(Check):
    """Two publishers reporting the same measure (one `family`, the same `scope`) for the
    reporting period must move the same way against the previous year. When they do not,
    the finding shows every figure and says they conflict; it does not pick one.
    Divergence is a question to ask, so it is Amber, never Red. Age bands of one source are
    different scopes, not rival sources, so they are never compared with each other."""

    id = "serious-violence.sources-agree"
    title = "Different publishers' figures for the same measure move the same way"
    covers = ("serious-violence.outcome-sources/sources-agree",)
    reads = (OUTCOMES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OUTCOMES)
        groups: dict[tuple[str, str], list[tuple[str, float, dict[str, Any]]]] = {}
        left_out = []
        for key, m in sorted(_measures(item.data).items()):
            if not m.get("family"):
                continue
            change = _change(m, "previous")
            if change is None:
                continue
            if not (m.get("publisher") and m.get("scope")):
                left_out.append(f"{_name(key, m)} (no publisher or scope given)")
                continue
            if _period_problem(m, key, context):
                left_out.append(f"{_name(key, m)} (not for the reporting period)")
                continue
            scope = " ".join(m["scope"].lower().split())
            groups.setdefault((m["family"], scope), []).append((key, change, m))
        checked = {g: ms for g, ms in groups.items()
                   if len({m["publisher"].strip().lower() for _, _, m in ms}) > 1}
        skipped = f" Left out: {'; '.join(left_out)}." if left_out else ""
        if not checked:
            return Verdict(Rating.NOT_DUE, f"{requirement.title}: not applicable; no two "
                           "publishers report the same measure (family and scope) against "
                           f"the previous year for the period, so there is nothing to "
                           f"cross-check.{skipped}", evidence=[item.ref()])
        conflicts, agree = [], []
        for (family, scope), ms in sorted(checked.items()):
            ups = [x for x in ms if x[1] > 0]
            downs = [x for x in ms if x[1] < 0]
            listing = "; ".join(f"{m['publisher']}: {_describe(key, change, m)}"
                                for key, change, m in ms)
            if ups and downs:
                conflicts.append(f"{family} ({scope}): {len(downs)} down and {len(ups)} up — "
                                 f"{listing}")
            else:
                agree.append(f"{family} ({scope}): {len(ms)} measures agree — {listing}")
        refs = [item.ref(", ".join(k for ms in checked.values() for k, _, _ in ms))]
        if conflicts:
            return Verdict(Rating.AMBER, f"{requirement.title}: the sources conflict, so "
                           "neither figure is taken as the answer: " + " | ".join(conflicts)
                           + "." + (" Agree: " + " | ".join(agree) + "." if agree else "")
                           + skipped, value=len(conflicts), unit="conflicts", evidence=refs,
                           details={"conflicts": conflicts})
        return Verdict(Rating.GREEN, f"{requirement.title}: no conflict; "
                       + " | ".join(agree) + "." + skipped, value=0, unit="conflicts",
                       evidence=refs)


def _describe(key: str, change: float, m: dict[str, Any]) -> str:
    cur, prev = (m.get("current") or {}).get("value"), (m.get("previous") or {}).get("value")
    nums = f" ({cur:g} against {prev:g})" if cur is not None and prev else ""
    src = f" [{m['source']}]" if m.get("source") else ""
    return f"{_name(key, m)} {change:+.1f}%{nums}{src}"


# -- grant ---------------------------------------------------------------------------------

def _share_text(share: Fraction, limit: Fraction) -> str:
    """The share to one decimal place, or to as many more as it takes not to print a
    figure on the other side of (or equal to) the limit: 29.996% is never shown as 30%."""
    for places in range(1, 7):
        text = f"{float(share):.{places}f}"
        shown = Fraction(Decimal(text))
        if (shown >= limit) == (share >= limit) and (shown != limit or share == limit):
            break
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return f"{text}%"


class YefShare(Check):
    """The share of the VRU core grant spent on interventions the Youth Endowment Fund
    Toolkit rates high or moderate impact, against the minimum in the YAML. Computed from
    the amounts when both are given (and compared with any stated share), otherwise the
    stated share. Compared exactly and shown with enough decimals that a share just short
    of the minimum never reads as meeting it. A figure for an earlier year shows what was
    done then, not in the reporting period, so it is Amber at best."""

    id = "serious-violence.yef-share"
    title = "Share of the VRU core grant on YEF high or moderate impact interventions"
    covers = ("serious-violence.vru-grant-evidence/yef-share",)
    reads = (SPLIT,)

    def run(self, requirement, evidence, context):
        item = evidence.item(SPLIT)
        d = item.data
        limit = Fraction(Decimal(str(requirement.param("minimum_share_percent"))))
        grant, spend, stated = (d.get("core_grant"), d.get("yef_high_moderate_spend"),
                                d.get("stated_share_percent"))
        notes = []
        if grant and spend is not None:
            share = Fraction(Decimal(str(spend))) * 100 / Fraction(Decimal(str(grant)))
            how = f"£{spend:,.0f} of a £{grant:,.0f} core grant"
            if stated is not None and abs(Fraction(Decimal(str(stated))) - share) > \
                    Fraction(1, 2):
                notes.append(f"the stated share, {stated:g}%, disagrees with the amounts")
        elif stated is not None:
            share = Fraction(Decimal(str(stated)))
            how = "the stated share" + (", published as a lower bound: \"not less than\""
                                        if d.get("stated_as_minimum") else "")
        else:
            raise NotEvidenced("the grant split gives neither the amounts nor a share")
        end = _date(d["period_end"])
        if end > context.period_end:
            raise NotEvidenced(f"the grant split is for {d['period_label']} (ending {end}), "
                               "after the reporting period")
        shown, lim = _share_text(share, limit), _share_text(limit, limit)
        met = share >= limit
        refs = [item.ref()]
        value = round(float(share), 6)
        head = (f"{requirement.title}: {shown} in {d['period_label']} ({how}), "
                + (f"at least the minimum of {lim}" if met else f"below the minimum of {lim}"))
        tail = (" Note: " + "; ".join(notes) + ".") if notes else ""
        if end < context.period_start:
            return Verdict(Rating.AMBER, f"{head}; but {d['period_label']} is the latest "
                           "figure, not the reporting period, so it shows what was done then, "
                           f"not this year.{tail}", value=value, unit="%", evidence=refs,
                           details={"for_reporting_period": False, "met": met})
        rating = Rating.GREEN if met else Rating.RED
        return Verdict(rating, f"{head}.{tail}", value=value, unit="%", evidence=refs,
                       details={"for_reporting_period": True, "met": met})


CHECKS = (PartnershipSignatories, LocalDefinition, NeedsAssessmentAge, NeedsAssessmentScope,
          StrategyCoverage, StrategyReviewAge, ConsultationCoverage, FrameworkReporting,
          FrameworkBaseline, OutcomeMeasure, SourcesAgree, YefShare, IsaSignatories)

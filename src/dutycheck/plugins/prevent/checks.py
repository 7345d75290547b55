"""Checks for the Prevent duty that need more than a declarative rule: counting meetings in
the reporting period, grading by a scale the bundle declares, comparing grades with the
previous year, and setting declared staffing beside the work a report describes.

Thresholds stay in the duty YAML (bands, params, ``scale``) with their basis; these
classes only compute values and apply the rules the YAML names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dutycheck import Check, Measurement, NotEvidenced, Rating, Verdict, rows_note

from .kinds import BENCHMARKS
from .vocabulary import prevent_term

RETURN = "prevent_assurance_return"
GRADES = "prevent_assurance_grades"
CAPACITY = "prevent_capacity"
RISK = "prevent_risk_assessment"
CONTEXT = "prevent_referral_context"
POLICIES = "prevent_permissive_policies"
MEETINGS = "prevent_partnership_meetings"
CHANNEL = "channel_panel_meetings"
TRAINING = "prevent_training_records"
ENGAGEMENT = "prevent_engagement_log"
OVERSIGHT = "prevent_oversight_meetings"

IN_PERIOD = "{col} BETWEEN ? AND ?"
SECTORS = ("local_authority", "police", "health", "education", "probation")


def _period(context: Any) -> list[dt.date]:
    return [context.period_start, context.period_end]


def year_label(start: dt.date) -> str:
    """The financial-year label of a period starting ``start``, e.g. ``2024/25``."""
    return f"{start.year}/{(start.year + 1) % 100:02d}"


def _year_note(what: str, year: str | None, context: Any) -> str:
    """A sentence noting that evidence speaks for another year than the bundle's period
    (e.g. staffing for the year ahead inside a year-end bundle), or ``""``."""
    period = year_label(context.period_start)
    if not year or year == period:
        return ""
    return f" Note: {what} for {year}; this bundle's period is {period}."


def _month_or_date(text: str) -> dt.date:
    """``YYYY-MM`` is read as the first of the month: the oldest it can be, so an age
    computed from it never flatters the evidence."""
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")


class PartnershipGroup(Check):
    """PRV-01: the multi-agency group meets, with the core partners present."""

    id = "prevent.partnership-group"
    title = "Multi-agency Prevent group meetings in the period and who attended"
    covers = ("prevent.partnership-group/meetings-held",
              "prevent.partnership-group/core-partners-present")
    reads = (MEETINGS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(MEETINGS)
        t = item.table
        where = IN_PERIOD.format(col="meeting_date")
        n = t.count(where, _period(context))
        if requirement.id == "meetings-held":
            return Measurement(n, f"{n} meeting(s) between {context.period_start} and "
                               f"{context.period_end}.", [item.ref()])
        if n == 0:
            return Measurement(None, "no group meeting in the period, so attendance cannot "
                               "be judged")
        full = " AND ".join(f"{s}_present" for s in SECTORS)
        ok = t.count(f"{where} AND {full}", _period(context))
        short = t.matching(f"{where} AND NOT coalesce({full}, false)", _period(context))
        return Measurement(100.0 * ok / n, f"{ok} of {n} meetings had the local authority, "
                           "police, health, education and probation present"
                           + short.note("not all present") + ".",
                           [item.ref(rows=short)])


class RiskAssessment(Check):
    """PRV-02: the Counter Terrorism Local Profile / local risk assessment is recent, and
    the Counter Terrorism Situational Risk Assessment is briefed when due."""

    id = "prevent.risk-assessment"
    title = "Age of the latest CTLP or local risk assessment; CTSRA briefed when due"
    covers = ("prevent.risk-assessment/months-since-refresh",
              "prevent.risk-assessment/ctsra-briefed")
    reads = (RISK,)

    def run(self, requirement, evidence, context):
        item = evidence.item(RISK)
        data = item.data
        if requirement.id == "months-since-refresh":
            dated = []
            if "ctlp" in data:
                dated.append((_month_or_date(data["ctlp"]["released"]),
                              data["ctlp"].get("title", "Counter Terrorism Local Profile")))
            if "local_risk_assessment" in data:
                lra = data["local_risk_assessment"]
                dated.append((_month_or_date(lra["date"]),
                              lra.get("title", "local risk assessment")))
            usable = [d for d in dated if d[0] <= context.as_of]
            if not usable:
                raise NotEvidenced("the risk assessment is dated after the assessment date "
                                   f"{context.as_of}")
            date, title = max(usable)
            months = round((context.as_of - date).days / 30.4375, 1)
            return Measurement(months, f"The latest is {title!r}, released {date:%B %Y}, "
                               f"{months} months before {context.as_of}.",
                               [item.ref("ctlp" if "ctlp" in data else
                                         "local_risk_assessment")])
        ctsra = data.get("ctsra")
        if not ctsra:
            raise NotEvidenced(f"{item.file} records no CTSRA due date")
        due = dt.date.fromisoformat(ctsra["due_to_brief"])
        briefed = ctsra.get("briefed_on")
        ref = [item.ref("ctsra")]
        if briefed:
            on = dt.date.fromisoformat(briefed)
            if on <= due:
                return Verdict(Rating.GREEN, f"{requirement.title}: briefed on {on}, by the "
                               f"due date {due}.", value=briefed, evidence=ref)
            return Verdict(Rating.AMBER, f"{requirement.title}: briefed on {on}, after the "
                           f"due date {due}.", value=briefed, evidence=ref)
        if context.as_of < due:
            return Verdict(Rating.NOT_DUE, f"{requirement.title}: not due; the CTSRA is due "
                           f"to be briefed to statutory partners on {due}, after the "
                           f"assessment date {context.as_of}.", evidence=ref)
        if item.effective_date < due:
            # Evidence written before the due date cannot record a briefing on or after
            # it: a gap in assurance, not a missed briefing.
            raise NotEvidenced(f"the CTSRA was due to be briefed on {due}, but {item.file} is "
                               f"dated {item.effective_date}, before the due date, so it cannot "
                               "show whether the briefing took place; add evidence dated on or "
                               "after the due date (a `briefed_on` date, or none if it was not "
                               "briefed)")
        return Verdict(Rating.RED, f"{requirement.title}: due to be briefed on {due}, and no "
                       f"briefing is recorded by {context.as_of} in evidence dated "
                       f"{item.effective_date}.", evidence=ref)


class ChannelPanel(Check):
    """PRV-05: a Channel panel meets, chaired by the local authority, attendance recorded.
    Reads aggregate counts only; national and regional figures are shown as context, also
    when the local records are missing (so the check runs on either kind, and rates only
    the panel's own records)."""

    id = "prevent.channel-panel"
    title = "Channel panel meetings: held, local-authority chair, attendance recorded"
    covers = ("prevent.channel-panel/panel-functioning",)
    reads_any = (CHANNEL, CONTEXT)

    def run(self, requirement, evidence, context):
        details = _context_details(evidence, context)
        suffix = details.pop("_sentence", "")
        item = _usable_item(evidence, context, CHANNEL, suffix)
        t = item.table
        where = IN_PERIOD.format(col="meeting_date")
        period = _period(context)
        bad = t.rows_where("cases_adopted > cases_discussed OR cases_adopted < 0 "
                           "OR cases_discussed < 0")
        if bad:
            raise NotEvidenced(f"data quality: {item.file} gives more cases adopted than "
                               "discussed, or a negative count" + rows_note(bad))
        n = t.count(where, period)
        if n == 0:
            return Verdict(Rating.RED, f"{requirement.title}: no Channel panel meeting is "
                           f"recorded between {context.period_start} and {context.period_end}."
                           + suffix, value=0, evidence=[item.ref()], details=details)
        discussed, adopted = t.query("SELECT sum(cases_discussed), sum(cases_adopted) FROM "
                                     f"{{table}} WHERE {where}", period)[0]
        totals = f"{n} meeting(s); {discussed} case(s) discussed, {adopted} adopted"
        details.update({"meetings": n, "cases_discussed": int(discussed),
                        "cases_adopted": int(adopted)})
        other_chair = t.matching(f"{where} AND chair <> 'local_authority'", period)
        if other_chair:
            return Verdict(Rating.RED, f"{requirement.title}: {totals}; {other_chair.count} "
                           "meeting(s) not chaired by the local authority" + other_chair.note()
                           + "." + suffix, value=n, details=details,
                           evidence=[item.ref(rows=other_chair)])
        unrecorded = t.matching(f"{where} AND NOT attendance_recorded", period)
        if unrecorded:
            return Verdict(Rating.AMBER, f"{requirement.title}: {totals}; attendance not "
                           "recorded" + unrecorded.note() + "." + suffix, value=n,
                           details=details,
                           evidence=[item.ref(rows=unrecorded)])
        return Verdict(Rating.GREEN, f"{requirement.title}: {totals}, all chaired by the "
                       "local authority with attendance recorded." + suffix, value=n,
                       evidence=[item.ref()], details=details)


def _usable_item(evidence: Any, context: Any, kind: str, suffix: str = "") -> Any:
    """The one item of ``kind`` that can be relied on, or Not evidenced saying why, with
    ``suffix`` (the context sentence) kept in the reason."""
    items = evidence.items(kind)
    usable = [i for i in items if not context.stale(i)]
    if len(usable) == 1:
        return usable[0]
    if not items:
        why = f"the bundle has no {kind} item, so no local figure is rated"
    elif not usable:
        why = str(context.stale(items[0]))
    else:
        why = f"the bundle has {len(usable)} {kind} items; this check needs exactly one"
    raise NotEvidenced(why + ("." + suffix.rstrip(".") if suffix else ""))


def _context_details(evidence: Any, context: Any) -> dict[str, Any]:
    """National/regional referral figures, labelled as context: never rated. An item dated
    after the assessment date is left out, as the engine leaves out any such evidence."""
    items = [i for i in evidence.items(CONTEXT) if i.effective_date <= context.as_of]
    if len(items) != 1:
        return {}
    data = dict(items[0].data)
    parts = []
    if "national_referrals" in data:
        parts.append(f"{data['national_referrals']:,} Prevent referrals nationally")
    if "national_discussed_at_channel_percent" in data:
        parts.append(f"{data['national_discussed_at_channel_percent']:g}% discussed at Channel")
    if "national_adopted_percent" in data:
        parts.append(f"{data['national_adopted_percent']:g}% adopted")
    if "regional_referrals" in data:
        parts.append(f"about {data['regional_referrals']:,} referrals in "
                     f"{data.get('region', 'the region')}")
    sentence = (f" Context only, not local evidence ({data.get('year', 'year not stated')}): "
                + "; ".join(parts) + ".") if parts else ""
    return {"context_only": data, "_sentence": sentence}


class Training(Check):
    """PRV-06: staff trained in the last three years against target, and whether
    compliance is monitored (HMICFRS 2023 found some forces did not monitor it)."""

    id = "prevent.training"
    title = "Prevent training coverage against target, and compliance monitoring"
    covers = ("prevent.training/coverage", "prevent.training/compliance-monitored")
    reads = (TRAINING,)

    def run(self, requirement, evidence, context):
        item = evidence.item(TRAINING)
        t = item.table
        over = t.rows_where("trained_last_3_years > target_staff OR percent_trained > 100 "
                            "OR trained_last_3_years < 0 OR target_staff < 0")
        if over:
            raise NotEvidenced(f"data quality: {item.file} gives more staff trained than the "
                               "target, or a percentage over 100%" + rows_note(over))
        if requirement.id == "coverage":
            target, trained = t.query("SELECT sum(target_staff), sum(trained_last_3_years) "
                                      "FROM {table}")[0]
            if not target:
                return Measurement(None, "no staff group has a training target")
            groups = len(t)
            return Measurement(100.0 * trained / target, f"{trained} of {target} target staff "
                               f"across {groups} staff group(s) trained in the last three "
                               "years.", [item.ref()])
        unmonitored = t.matching("NOT compliance_monitored")
        if unmonitored:
            k = unmonitored.count
            return Verdict(Rating.AMBER, f"{requirement.title}: compliance is not monitored "
                           f"for {k} staff group(s)" + unmonitored.note() + ".", value=k,
                           evidence=[item.ref(rows=unmonitored)])
        return Verdict(Rating.GREEN, f"{requirement.title}: compliance is monitored for all "
                       f"{len(t)} staff group(s).", value=0, evidence=[item.ref()])


class PermissiveEnvironments(Check):
    """PRV-07: venue-hire and IT filtering policies that reference Prevent are current.
    Green both; Amber one (or undated, stale, or silent on Prevent); Red none in place."""

    id = "prevent.permissive-environments"
    title = "Venue-hire and IT filtering policies referencing Prevent are current"
    covers = ("prevent.permissive-environments/policies-current",)
    reads = (POLICIES,)
    AREAS = {"venue_hire": "venue-hire policy", "it_filtering": "IT filtering policy"}

    def run(self, requirement, evidence, context):
        item = evidence.item(POLICIES)
        max_age = int(requirement.param("max_age_days"))
        reference = min(context.as_of, context.period_end)
        status: dict[str, str] = {}
        notes = []
        for key, name in self.AREAS.items():
            pol = item.data.get(key)
            if pol is None:
                status[key] = "missing"
                notes.append(f"no {name} is in the evidence")
                continue
            label = f"{name} ({pol['title']!r})" if pol.get("title") else name
            if not pol["in_place"]:
                status[key] = "absent"
                notes.append(f"the evidence says there is no {name}")
            elif "date" not in pol:
                status[key] = "undated"
                notes.append(f"the {label} is undated, so its currency cannot be judged")
            elif (reference - dt.date.fromisoformat(pol["date"])).days > max_age:
                status[key] = "stale"
                notes.append(f"the {label} is dated {pol['date']}, more than {max_age} days "
                             f"before {reference}")
            elif pol.get("references_prevent") is False:
                status[key] = "silent"
                notes.append(f"the {label} does not reference Prevent")
            else:
                status[key] = "current"
                notes.append(f"the {label} is current (dated {pol['date']})")
        values = set(status.values())
        text = "; ".join(notes)
        ref = [item.ref()]
        current = sum(v == "current" for v in status.values())
        if values == {"missing"}:
            raise NotEvidenced(text)
        if current == len(self.AREAS):
            return Verdict(Rating.GREEN, f"{requirement.title}: {text}.", value=current,
                           evidence=ref, details={"status": status})
        if values <= {"absent", "missing"}:
            return Verdict(Rating.RED, f"{requirement.title}: {text}.", value=0, evidence=ref,
                           details={"status": status})
        return Verdict(Rating.AMBER, f"{requirement.title}: {text}.", value=current,
                       evidence=ref, details={"status": status})


class EngagementActivities(Check):
    """PRV-08: engagement activities in the period (by date, or by the year label a
    source gives when it names an activity without a date)."""

    id = "prevent.engagement-activities"
    title = "Prevent engagement activities logged in the period"
    covers = ("prevent.communications/engagement-activities",)
    reads = (ENGAGEMENT,)

    def run(self, requirement, evidence, context):
        item = evidence.item(ENGAGEMENT)
        label = year_label(context.period_start)
        where = "(date BETWEEN ? AND ?) OR (date IS NULL AND year = ?)"
        n = item.table.count(where, [*_period(context), label])
        undated = item.table.count("date IS NULL AND year = ?", [label])
        detail = f"{n} activit{'y' if n == 1 else 'ies'} in {label}"
        if undated:
            detail += (f" ({undated} named by year only; the log holds only activities the "
                       "source names, so this is a lower bound)")
        return Measurement(n, detail + ".", [item.ref()])


def _grades(block: dict[str, Any]) -> dict[str, str]:
    if "benchmarks" in block:
        return {BENCHMARKS[k]: v["grade"] for k, v in block["benchmarks"].items()}
    if "all_benchmarks_grade" in block:
        return {"all benchmarked areas": block["all_benchmarks_grade"]}
    return {}


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _check_declared(file: str, grades: dict[str, str], scale: list[str] | None,
                    which: str) -> None:
    if scale is None:
        return
    declared = {_norm(s) for s in scale}
    for area, grade in grades.items():
        if _norm(grade) not in declared:
            raise NotEvidenced(f"data quality: {file}: {which} grade {grade!r} for "
                               f"{area} is not on the scale the return declares ("
                               + ", ".join(scale) + ")")


def _table_grades(item: Any) -> tuple[dict[str, dict[str, str]], str | None]:
    """This year's grades from a one-row-per-benchmark table, in the shape of the YAML
    return's ``benchmarks``, and the assessment year the rows give (if any). A benchmark
    listed twice, or rows that disagree on the year, is a data-quality finding citing the
    rows (an unknown benchmark is refused when the bundle loads, naming the row)."""
    rows = item.table.query("SELECT __row, benchmark, grade, self_assessed_grade, "
                            "evidence_summary, actions, assessment_year FROM {table} "
                            "ORDER BY __row")
    if not rows:
        raise NotEvidenced(f"{item.file} has no benchmark rows")
    seen: dict[str, list[int]] = {}
    for row, key, *_ in rows:
        seen.setdefault(key, []).append(row)
    twice = {k: r for k, r in seen.items() if len(r) > 1}
    if twice:
        raise NotEvidenced(f"data quality: {item.file} lists a benchmark more than once: "
                           + "; ".join(f"{BENCHMARKS[k]} ({k!r})" + rows_note(r)
                                       for k, r in sorted(twice.items())))
    years: dict[str, list[int]] = {}
    for row, *_, year in rows:
        if year:
            years.setdefault(year, []).append(row)
    if len(years) > 1:
        raise NotEvidenced(f"data quality: {item.file} gives more than one assessment year: "
                           + "; ".join(y + rows_note(r) for y, r in sorted(years.items())))
    names = ("grade", "self_assessed_grade", "evidence_summary", "actions")
    benchmarks = {key: {n: v for n, v in zip(names, rest[:4], strict=True)
                        if v not in (None, "")}
                  for _, key, *rest in rows}
    return benchmarks, next(iter(years), None)


def _assurance(evidence: Any, context: Any) -> tuple[dict[str, Any], list[Any]]:
    """The annual return as one mapping, whichever form the bundle gives it in: the YAML
    return, or a table of one row per benchmark (with, optionally, a YAML return beside it
    for the scale, previous year and context). Also the items read, for the references."""
    found = {}
    for kind in (RETURN, GRADES):
        usable = [i for i in evidence.items(kind) if not context.stale(i)]
        if len(usable) > 1:
            raise NotEvidenced(f"the bundle has {len(usable)} {kind} items; this check "
                               "needs at most one")
        found[kind] = usable[0] if usable else None
    doc, table = found[RETURN], found[GRADES]
    data: dict[str, Any] = dict(doc.data) if doc else {}
    items = [doc] if doc else []
    if table is not None:
        if doc is not None and _grades(data):
            raise NotEvidenced(f"data quality: both {doc.file} and {table.file} give this "
                               "year's grades; give them in one place")
        data["benchmarks"], year = _table_grades(table)
        if year and data.get("assessment_year", year) != year:
            raise NotEvidenced(f"data quality: {table.file} gives the assessment year {year}, "
                               f"{doc.file} {data['assessment_year']}")
        data.setdefault("assessment_year", year)
        items.append(table)
    if not _grades(data):
        raise NotEvidenced(f"{items[0].file} gives no grade for this year: add `benchmarks` "
                           f"or `all_benchmarks_grade`, or a {GRADES} table")
    return data, items


_ORDER = {Rating.GREEN: 0, Rating.AMBER: 1, Rating.RED: 2}


class BenchmarkGrades(Check):
    """PRV-09: the Home Office grade per benchmark, mapped to RAG by the requirement's
    ``scale`` (configuration: the official scale was NOT FOUND). The worst benchmark
    sets the rating; a return's own declared scale is checked for stray labels, and a
    per-benchmark return that leaves toolkit benchmarks out is capped (ungraded is not
    assured). Reads the YAML return or the one-row-per-benchmark table alike."""

    id = "prevent.benchmark-grades"
    title = "Home Office Prevent benchmark grades mapped to RAG by the configured scale"
    covers = ("prevent.home-office-assurance/benchmark-grades",)
    reads_any = (RETURN, GRADES)

    def run(self, requirement, evidence, context):
        data, items = _assurance(evidence, context)
        grades = _grades(data)
        scale = data.get("scale")
        _check_declared(items[-1].file, grades, scale, "the")
        # The configured mapping, in its declared order (highest grade first): with no
        # declared scale in the return, that order says which grade is the lowest.
        mapping = {_norm(k): Rating.parse(v) for k, v in requirement.spec["scale"].items()}
        position = {k: i for i, k in enumerate(mapping)}
        unmapped = sorted({g for g in grades.values() if _norm(g) not in mapping})
        if unmapped:
            raise NotEvidenced(f"grade(s) {', '.join(map(repr, unmapped))} are not mapped to "
                               f"RAG; add them under `scale:` in a --config override of "
                               f"{requirement.ref}")
        worst = max((mapping[_norm(g)] for g in grades.values()), key=_ORDER.__getitem__)
        if scale:
            lowest = min(grades.values(), key=lambda g: [_norm(s) for s in scale].index(_norm(g)))
        else:
            lowest = max(grades.values(),
                         key=lambda g: (_ORDER[mapping[_norm(g)]], position[_norm(g)]))
        per_benchmark = "benchmarks" in data
        if len(grades) == 1:
            (area, grade), = grades.items()
            what = f"{grade!r} in {area}"
        else:
            below = sorted(a for a, g in grades.items() if mapping[_norm(g)] is worst)
            n = len(grades)
            among = (f"all {n} toolkit" if n == len(BENCHMARKS) else
                     f"{n} of the {len(BENCHMARKS)} toolkit") if per_benchmark else str(n)
            what = (f"lowest grade {lowest!r} across {among} benchmarks"
                    + ("" if worst is Rating.GREEN else f" ({', '.join(below)})"))
        by = data.get("graded_by", "the grading body")
        year = data.get("assessment_year") or "assessment year not stated"
        reason = (f"{requirement.title}: {what} ({year}, graded by {by}), "
                  f"which the configured scale maps to {worst.value}. The Home Office grading "
                  "scale was not found in published sources, so the grade-to-RAG mapping is "
                  f"configuration (basis: {requirement.basis}), not a published standard.")
        rating = worst
        absent = ([name for key, name in BENCHMARKS.items() if key not in data["benchmarks"]]
                  if per_benchmark else [])
        if absent:
            cap = Rating.parse(str(requirement.param("absent_benchmark_cap")))
            basis = requirement.spec["params"]["absent_benchmark_cap"]["basis"]
            rating = max(worst, cap, key=_ORDER.__getitem__)
            reason += (f" {len(absent)} of the {len(BENCHMARKS)} toolkit benchmarks have no "
                       f"grade in the return ({', '.join(absent)}); a benchmark without a "
                       f"grade is not assured, so the rating is at best {cap.value} (basis: "
                       f"{basis}).")
        reason += _year_note("the grades are", data.get("assessment_year"), context)
        area = data.get("priority_area")
        if area and area.get("designated_since"):
            since = _month_or_date(area["designated_since"])
            when = (f"{since:%B %Y}" if len(area["designated_since"]) == 7
                    else f"{since.day} {since:%B %Y}")
            reason += (f" Context: a Home Office-designated Prevent priority area since {when}"
                       + (f", continuing for {area['continues_for']}"
                          if area.get("continues_for") else "") + ".")
        differs = {BENCHMARKS[k]: (v["self_assessed_grade"], v["grade"])
                   for k, v in data.get("benchmarks", {}).items()
                   if v.get("self_assessed_grade")
                   and _norm(v["self_assessed_grade"]) != _norm(v["grade"])}
        if differs:
            reason += " Self-assessment differs from the Home Office grade for: " + "; ".join(
                f"{a} (self {s!r}, Home Office {g!r})" for a, (s, g) in sorted(differs.items())
            ) + "."
        details: dict[str, Any] = {"grades": grades, "declared_scale": scale}
        if absent:
            details["benchmarks_without_grade"] = absent
        if area:
            details["priority_area"] = area
        return Verdict(rating, reason, value=lowest, evidence=[i.ref() for i in items],
                       details=details)


class GradeChange(Check):
    """Change since last year: any benchmark grade falling is at least Amber; an uplift
    is shown as improving. Comparing needs the return's declared ordinal scale; a change
    the source states without the grades is rated as stated and labelled so."""

    id = "prevent.grade-change"
    title = "Benchmark grades compared with the previous year's"
    covers = ("prevent.home-office-assurance/change-since-last-year",)
    reads_any = (RETURN, GRADES)

    def run(self, requirement, evidence, context):
        data, items = _assurance(evidence, context)
        prev = data.get("previous_year")
        if not prev:
            raise NotEvidenced("the bundle carries no previous year's grades (`previous_year` "
                               f"in a {RETURN} item)")
        item = items[0]  # previous_year is only ever in the YAML return
        before, now = _grades(prev), _grades(data)
        fall = Rating.parse(str(requirement.param("fall_rating")))
        ref = [item.ref("previous_year")]
        if not before:
            stated = prev.get("stated_change")
            quote = f" ({prev['stated_as']!r})" if prev.get("stated_as") else ""
            if stated == "fall":
                return Verdict(fall, f"{requirement.title}: the source states a fall{quote}, "
                               "without the previous grades.", value="fall", evidence=ref,
                               details={"direction": "worsening"})
            if stated in ("uplift", "no-change"):
                # Rated as stated (param stated_change_rating), and labelled so: the
                # grades were not seen, so nothing was compared benchmark by benchmark.
                direction = "improving" if stated == "uplift" else "stable"
                rating = Rating.parse(str(requirement.param("stated_change_rating")))
                return Verdict(rating, f"{requirement.title}: {direction}, as the source "
                               f"states it{quote}. The previous year's grades are not in the "
                               "bundle, so no benchmark was compared: this rests on the "
                               "source's statement, not on the grades.",
                               value=f"{direction} (stated; previous grades not given)",
                               evidence=ref, details={"direction": direction,
                                                      "compared": False})
            raise NotEvidenced("the previous year's grades are not in the bundle and the "
                               "source states no change, so no fall can be ruled out")
        scale = data.get("scale")
        if not scale:
            raise NotEvidenced("the return declares no ordinal `scale`, so grades cannot be "
                               "compared across years")
        _check_declared(items[-1].file, now, scale, "the")
        _check_declared(item.file, before, scale, "the previous year's")
        rank = {_norm(s): i for i, s in enumerate(scale)}
        if set(before) != set(now):
            if "all benchmarked areas" in before:
                before = dict.fromkeys(now, before["all benchmarked areas"])
            elif "all benchmarked areas" in now:
                now = dict.fromkeys(before, now["all benchmarked areas"])
        common = sorted(set(before) & set(now))
        if not common:
            raise NotEvidenced("this year's and last year's benchmarks do not overlap")
        falls = [a for a in common if rank[_norm(now[a])] < rank[_norm(before[a])]]
        rises = [a for a in common if rank[_norm(now[a])] > rank[_norm(before[a])]]
        def show(areas: list[str]) -> str:
            return "; ".join(f"{a}: {before[a]!r} to {now[a]!r}" for a in areas)
        if falls:
            return Verdict(fall, f"{requirement.title}: worsening; a grade fell for "
                           f"{show(falls)}.", value="worsening", evidence=ref,
                           details={"direction": "worsening", "fell": falls, "rose": rises})
        if rises:
            return Verdict(Rating.GREEN, f"{requirement.title}: improving; no grade fell, and "
                           f"a grade rose for {show(rises)}.", value="improving", evidence=ref,
                           details={"direction": "improving", "rose": rises})
        return Verdict(Rating.GREEN, f"{requirement.title}: stable; all {len(common)} "
                       "grade(s) unchanged.", value="stable", evidence=ref,
                       details={"direction": "stable"})


def _post_key(name: str) -> str:
    words = _norm(name).split()
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)


class PostsFilled(Check):
    """Capacity signal: posts in post against the posts the funding provided for, over
    posts whose staffing the evidence states; the funding change is reported beside it."""

    id = "prevent.posts-filled"
    title = "Funded Prevent posts that are in post"
    covers = ("prevent.delivery-capacity/funded-posts-filled",)
    reads = (CAPACITY,)

    def run(self, requirement, evidence, context):
        item = evidence.item(CAPACITY)
        data = item.data
        known = [p for p in data["posts"] if "in_post" in p]
        unknown = [p["post"] for p in data["posts"] if "in_post" not in p]
        funded = sum(p["posts_funded"] for p in known)
        if not known or funded == 0:
            return Measurement(None, "the evidence states no post's staffing"
                               + (f" ({', '.join(unknown)})" if unknown else ""))
        filled = sum(min(p["in_post"], p["posts_funded"]) for p in known)
        parts = [f"{p['post']}: {p['in_post']} of {p['posts_funded']}" for p in known]
        detail = f"{filled} of {funded} funded post(s) in post ({'; '.join(parts)})"
        if unknown:
            detail += f"; staffing not stated for {', '.join(unknown)}"
        if "funding_change_percent" in data:
            scope = data.get("funding_change_scope", "")
            detail += (f"; {scope + ' ' if scope else ''}change in Home Office Prevent funding "
                       f"{data['funding_change_percent']:+g}%")
        if data.get("year"):
            detail += f" ({data['year']})"
        detail += "." + _year_note("the staffing is", data.get("year"), context)
        return Measurement(100.0 * filled / funded, detail, [item.ref("posts")],
                           details={"posts_unknown": unknown})


class StaffingVsDescribedWork(Check):
    """Surface, not paper over, a report that describes work by posts it also says were
    lost: each described activity whose post has none in post is flagged."""

    id = "prevent.staffing-vs-described-work"
    title = "Work the report describes is by posts the capacity record says are filled"
    covers = ("prevent.delivery-capacity/described-work-staffed",)
    reads = (CAPACITY,)

    def run(self, requirement, evidence, context):
        item = evidence.item(CAPACITY)
        data = item.data
        work = data.get("described_work") or []
        if not work:
            raise NotEvidenced(f"{item.file} lists no described delivery work to compare")
        staffing = {_post_key(p["post"]): p for p in data["posts"]}
        conflicts, unknown = [], []
        for w in work:
            post = staffing.get(_post_key(w["delivered_by"]))
            if post is None or "in_post" not in post:
                unknown.append(w["delivered_by"])
            elif post["in_post"] == 0:
                where = f" ({w['source']})" if w.get("source") else ""
                lost = f" ({post['source']})" if post.get("source") else ""
                conflicts.append(f"{w['activity']!r} by {w['delivered_by']}{where}, while "
                                 f"0 of {post['posts_funded']} {post['post']} post(s) are in "
                                 f"post{lost}")
        ref = [item.ref("described_work")]
        if conflicts:
            rating = Rating.parse(str(requirement.param("when_unstaffed")))
            return Verdict(rating, f"{requirement.title}: the report describes "
                           + "; ".join(conflicts) + ". Confirm whether this work continues "
                           "and who now delivers it."
                           + _year_note("the staffing is", data.get("year"), context),
                           value=len(conflicts), evidence=ref,
                           details={"conflicts": len(conflicts)})
        if len(unknown) == len(work):
            raise NotEvidenced("the staffing of the posts doing the described work is not "
                               "stated: " + ", ".join(sorted(set(unknown))))
        note = (f" Staffing not stated for: {', '.join(sorted(set(unknown)))}."
                if unknown else "")
        return Verdict(Rating.GREEN, f"{requirement.title}: every described activity with "
                       "known staffing is by a post that is filled." + note, value=0,
                       evidence=ref)


class OversightReported(Check):
    """PRV-10: meetings of the PCC's or CSP's boards where Prevent was reported, counted
    only when an item uses the defined Prevent vocabulary."""

    id = "prevent.oversight-reported"
    title = "PCC or CSP meetings in the period with a Prevent item"
    covers = ("prevent.opcc-oversight/prevent-reported",)
    reads = (OVERSIGHT,)

    def run(self, requirement, evidence, context):
        item = evidence.item(OVERSIGHT)
        extra = str(requirement.param("extra_terms"))
        rows = item.table.query("SELECT __row, meeting_date, body, item FROM {table} "
                                "WHERE meeting_date BETWEEN ? AND ? ORDER BY __row",
                                _period(context))
        meetings: set[tuple[Any, str]] = set()
        counted, ignored = [], []
        for row, date, body, text in rows:
            if prevent_term(text, extra):
                meetings.add((date, body))
                counted.append(row)
            elif "prevent" in text.lower():
                ignored.append(row)
        detail = f"{len(meetings)} meeting(s) with a Prevent item"
        detail += rows_note(counted)
        if ignored:
            detail += (f"; {len(ignored)} item(s) mention prevention but not the Prevent duty, "
                       "so are not counted" + rows_note(ignored))
        return Measurement(len(meetings), detail + ".", [item.ref()])


CHECKS = (PartnershipGroup, RiskAssessment, ChannelPanel, Training, PermissiveEnvironments,
          EngagementActivities, BenchmarkGrades, GradeChange, PostsFilled,
          StaffingVsDescribedWork, OversightReported)

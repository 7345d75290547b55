"""Custody checks. Record-level work is SQL over the evidence tables through the Table API
(``count``/``scalar``/``query``/``rows_where``), never a Python loop over rows: the same
checks must run on a million detentions. Python only arranges a handful of aggregates.

Reports carry counts, per-suite aggregates and row numbers; never a custody reference.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from dutycheck import (
    Check,
    Measurement,
    NotEvidenced,
    Rating,
    Verdict,
    cite_rows,
    rows_note,
)

from .kinds import CHILD_BANDS

SUITES = "custody_suites"
VISITS = "icv_visit_log"
ISSUES = "icv_issues_log"
REGISTER = "icv_appointments"
SCHEME = "icv_scheme_record"
CDSP = "cdsp_record"
INSPECTION = "custody_inspection_actions"
DETENTIONS = "custody_detention_record"
TRACKER = "custody_angiolini_tracker"
DSI = "dsi_log"
DOCUMENT = "document"
#: The requirement whose ``maximum_plausible_hours`` every detention check uses, so a
#: run's --config override of it changes record quality, reviews and time limits alike.
PLAUSIBLE = ("custody.detention-record-quality", "inconsistent-records")

CHILD = "age_band IN (" + ", ".join(f"'{b}'" for b in CHILD_BANDS) + ")"


# --------------------------------------------------------------------------- helpers

def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole


def _minutes(hours: Any) -> int:
    """A param in hours as whole minutes, for an SQL INTERVAL (never user text in SQL)."""
    value = float(hours)
    if not math.isfinite(value) or value < 0:
        raise NotEvidenced(f"a time limit of {hours!r} hours is not usable")
    return int(round(value * 60))


def _reference(context: Any, item: Any = None) -> dt.date:
    """The date statuses are judged at: the period end, the assessment date or the date
    the evidence was recorded, whichever is earliest."""
    ref = min(context.as_of, context.period_end)
    if item is not None:
        ref = min(ref, item.effective_date)
    return ref


def _age(on: str, what: str, context: Any) -> tuple[int, dt.date, dt.date]:
    """Days from a recorded date to the period end (or the assessment date, if earlier);
    a date after the assessment date cannot be relied on."""
    when = dt.date.fromisoformat(on)
    if when > context.as_of:
        raise NotEvidenced(f"the {what} is dated {when}, after the assessment date")
    ref = min(context.as_of, context.period_end)
    return max((ref - when).days, 0), when, ref


def _latest_document(evidence: Any, doc_type: str, context: Any) -> Any:
    """The latest ``document`` record of a type dated by the assessment date, or None."""
    found = [i for i in evidence.items(DOCUMENT) if i.data.get("type") == doc_type]
    usable = [i for i in found if dt.date.fromisoformat(i.data["date"]) <= context.as_of]
    if found and not usable:
        raise NotEvidenced(f"every {doc_type} document is dated after the assessment date")
    return max(usable, key=lambda i: i.data["date"]) if usable else None


def _suite_names(evidence: Any) -> list[str] | None:
    """Every suite on the list (active or not), or None when the bundle has no single
    suite list: then suites cannot be checked, and the reasons say so."""
    items = evidence.items(SUITES)
    if len(items) != 1:
        return None
    return [s["name"] for s in items[0].data.get("suites", [])]


def _active_suites(evidence: Any) -> list[str]:
    suites = [s["name"] for s in evidence.value(f"{SUITES}.suites") if s.get("active", True)]
    if not suites:
        raise NotEvidenced("the suite list has no active suite")
    return suites


def _per_suite(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return {str(r[0]): list(r[1:]) if len(r) > 2 else r[1] for r in rows}


def _by_reason(rel: Any) -> tuple[int, str, Any]:
    """How many rows have a ``problem``, the count of each as one clause ("a negative
    count 2; a negative access delay 1"), and the matches to cite."""
    by = rel.query("SELECT problem, count(*) FROM {table} WHERE problem IS NOT NULL "
                   "GROUP BY problem ORDER BY 2 DESC, 1")
    found = rel.matching("problem IS NOT NULL")
    return found.count, "; ".join(f"{p} {k}" for p, k in by), found


# ------------------------------------------------------------------ ICV scheme checks

class ArrangementsReviewed(Check):
    """s.51(1)(b): the arrangements must be kept under review; the age of the last review
    is measured so the 12/24-month windows stay in YAML with their basis."""

    id = "custody.icv-arrangements-reviewed"
    title = "Days since the ICV arrangements were last reviewed"
    covers = ("custody.icv-arrangements/arrangements-reviewed",)
    reads = (SCHEME,)

    def run(self, requirement, evidence, context):
        item = evidence.item(SCHEME)
        days, reviewed, ref = _age(evidence.value(f"{SCHEME}.arrangements_reviewed_on"),
                                   "review", context)
        return Measurement(days, f"Last reviewed on {reviewed}; counted to {ref}.",
                           [item.ref("arrangements_reviewed_on")])


class PublishedInformation(Check):
    """CUS-08: SIO para 8 publication. The core's document rule has one freshness window;
    the research grades it in two (12 months Green, 12-18 Amber, older Red), so the second
    limit is a param. A missing record stays Not evidenced: a document left out of a bundle
    is a gap in the evidence, not proof that nothing was published."""

    id = "custody.icv-information-published"
    title = "Age of the latest published information on the ICV scheme"
    covers = ("custody.icv-publication/information-published",)
    reads = (DOCUMENT,)

    def run(self, requirement, evidence, context):
        doc_type = requirement.spec["document"]["type"]
        latest = _latest_document(evidence, doc_type, context)
        if latest is None:
            raise NotEvidenced(f"no {doc_type} document is in the bundle")
        green = int(requirement.spec["document"]["max_age_days"])
        red = int(requirement.param("red_after_days"))
        days, date, ref = _age(latest.data["date"], doc_type, context)
        title = latest.data["title"]
        if days <= green:
            return Verdict(Rating.GREEN, f"{requirement.title}: {title!r}, dated {date}.",
                           value=date.isoformat(), evidence=[latest.ref()])
        rating = Rating.AMBER if days <= red else Rating.RED
        return Verdict(rating, f"{requirement.title}: the latest, {title!r}, is dated {date}, "
                       f"{days} days before {ref} (Green to {green} days, Amber to {red}).",
                       value=date.isoformat(), evidence=[latest.ref()],
                       details={"age_days": days})


class IcvRegister(Check):
    """s.51(2) independence, interview before appointment, training before visiting —
    counted over active visitors in the appointment register."""

    id = "custody.icv-register"
    title = "Independence declarations, conflicts, interviews and training of active ICVs"
    covers = ("custody.icv-independence/declarations-complete",
              "custody.icv-independence/non-independent-appointees",
              "custody.icv-independence/interviewed-and-trained")
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        t = item.table
        active = "status = 'active'"
        n = t.count(active)
        if n == 0:
            return Measurement(None, "the register has no active visitors")
        if requirement.id == "declarations-complete":
            bad = t.matching(f"{active} AND NOT coalesce(independence_declared, false)")
            ok = n - bad.count
            return Measurement(_pct(ok, n), f"{ok} of {n} active ICVs have a signed "
                               "declaration" + bad.note("missing") + ".", [item.ref(rows=bad)])
        if requirement.id == "non-independent-appointees":
            bad = t.matching(f"{active} AND coalesce(conflict_identified, false)")
            return Measurement(bad.count, f"{bad.count} of {n} active ICVs have a recorded "
                               "police or OPCC connection" + bad.note() + ".",
                               [item.ref(rows=bad)])
        bad = t.matching(f"{active} AND NOT (coalesce(interviewed, false) AND "
                         "initial_training_on IS NOT NULL AND (first_visit_on IS NULL OR "
                         "initial_training_on <= first_visit_on))")
        ok = n - bad.count
        untrained = t.count(f"{active} AND initial_training_on IS NULL")
        late = t.count(f"{active} AND initial_training_on > first_visit_on")
        return Measurement(_pct(ok, n), f"{ok} of {n} active ICVs were interviewed and trained "
                           f"before visiting; {late} trained after their first visit, "
                           f"{untrained} with no training date"
                           + bad.note() + ".",
                           [item.ref(rows=bad)])


# -------------------------------------------------------------------- ICV visit checks

def _visits(t: Any, context: Any) -> Any:
    """The visit log with why a visit cannot be used (``problem``): dated outside the
    period, or a count, delay or report date that cannot be true. The kinds cannot declare
    a minimum, so impossible numbers are caught here; each check judges the usable visits
    and says how many it left out, and the visit-log quality finding counts them by
    reason, so nothing is dropped silently."""
    start, end = context.period_start.isoformat(), context.period_end.isoformat()
    problem = (
        "CASE "
        f"WHEN visit_date NOT BETWEEN DATE '{start}' AND DATE '{end}' "
        "  THEN 'dated outside the period' "
        "WHEN visitors < 1 THEN 'fewer than one visitor' "
        "WHEN least(detainees_present, detainees_offered, detainees_accepted, "
        "  coalesce(issues_raised, 0)) < 0 THEN 'a negative count' "
        "WHEN detainees_offered > detainees_present "
        "  THEN 'more detainees offered a visit than were present' "
        "WHEN detainees_accepted > detainees_offered "
        "  THEN 'more detainees seen than were offered a visit' "
        "WHEN access_delay_minutes < 0 THEN 'a negative access delay' "
        "WHEN tact_report_to_pcc_date < visit_date OR tact_report_to_irtl_date < visit_date "
        "  THEN 'a terrorist-detainee report dated before the visit' "
        "ELSE NULL END")
    return t.derive("visits_" + (start + end).replace("-", ""),
                    f"SELECT *, {problem} AS problem FROM {{table}}", materialize=False)


def _left_out(v: Any, where: str = "problem IS NOT NULL") -> str:
    k = v.count(where)
    return (f" {k} visit{'' if k == 1 else 's'} dated outside the period or with an "
            f"impossible value {'was' if k == 1 else 'were'} left out (see visit-log "
            "quality)." if k else "")


class VisitCoverage(Check):
    """Weekly coverage and monthly gaps per active suite, plus visits naming a suite not on
    the list (counted as a data-quality finding, left out of the coverage figures)."""

    id = "custody.icv-visit-coverage"
    title = "Weeks and months in which each active suite was visited"
    covers = ("custody.icv-visit-coverage/weekly-coverage",
              "custody.icv-visit-coverage/months-without-visit",
              "custody.icv-visit-coverage/unknown-suites")
    reads = (VISITS, SUITES)

    def run(self, requirement, evidence, context):
        item = evidence.item(VISITS)
        t = item.table
        suites = _active_suites(evidence)
        known = [s["name"] for s in evidence.value(f"{SUITES}.suites")]
        start, end = context.period_start, context.period_end
        unknown_where = "suite NOT IN (SELECT unnest(?::VARCHAR[]))"
        unknown = t.matching(unknown_where, [known])
        refs = [item.ref(), evidence.item(SUITES).ref("suites")]
        if requirement.id == "unknown-suites":
            if len(t) == 0:
                return Measurement(None, "the visit log has no visits")
            return Measurement(unknown.count, f"{unknown.count} of {len(t)} visits name a "
                               "suite not on the suite list" + unknown.note() + ".",
                               [item.ref(rows=unknown), refs[1]])
        note = (f" {unknown.count} visit(s) naming an unknown suite were left out"
                + unknown.note() + ".") if unknown else ""
        if requirement.id == "weekly-coverage":
            weeks = max(((end - start).days + 1) // 7, 1)
            per_week = max(int(requirement.param("visits_per_week")), 1)
            rows = t.query(
                "WITH s AS (SELECT unnest(?::VARCHAR[]) AS suite), "
                "w AS (SELECT suite, least((visit_date - ?::DATE) // 7, ?) AS wk, count(*) AS n "
                "FROM {table} WHERE visit_date BETWEEN ? AND ? GROUP BY ALL) "
                "SELECT s.suite, count(w.wk) FILTER (WHERE w.n >= ?) FROM s "
                "LEFT JOIN w USING (suite) GROUP BY s.suite ORDER BY s.suite",
                [suites, start, weeks - 1, start, end, per_week])
            shares = {s: round(_pct(k, weeks), 1) for s, k in rows}
            worst = min(shares, key=lambda s: (shares[s], s))
            listing = "; ".join(f"{s} {k} of {weeks} weeks" for s, k in rows)
            return Measurement(shares[worst], f"Least-visited active suite: {worst}. "
                               f"Weeks with at least {per_week} visit(s): {listing}.{note}",
                               refs, {"weeks": weeks, "per_suite_percent": shares,
                                      "per_suite_weeks": dict(rows)})
        rows = t.query(
            "WITH s AS (SELECT unnest(?::VARCHAR[]) AS suite), "
            "m AS (SELECT CAST(unnest(range(date_trunc('month', ?::DATE), ?::DATE + 1, "
            "INTERVAL 1 MONTH)) AS DATE) AS month), "
            "v AS (SELECT DISTINCT suite, CAST(date_trunc('month', visit_date) AS DATE) AS month "
            "FROM {table} WHERE visit_date BETWEEN ? AND ?) "
            "SELECT s.suite, strftime(m.month, '%Y-%m') FROM s CROSS JOIN m "
            "LEFT JOIN v ON v.suite = s.suite AND v.month = m.month WHERE v.suite IS NULL "
            "ORDER BY 1, 2", [suites, start, end, start, end])
        gaps: dict[str, list[str]] = {}
        for suite, month in rows:  # one row per unvisited suite-month: an aggregate
            gaps.setdefault(suite, []).append(month)
        listing = "; ".join(f"{s}: {', '.join(m)}" for s, m in gaps.items())
        return Measurement(len(rows), (f"Months with no visit: {listing}." if rows else
                                       f"Every active suite ({len(suites)}) was visited in "
                                       "every month.") + note, refs, {"gaps": gaps})


class VisitLogQuality(Check):
    """Visits the other checks cannot use, counted by reason: a data-quality finding (at
    most Amber), so an impossible row is never dropped without being reported."""

    id = "custody.icv-visit-log-quality"
    title = "Visits dated outside the period or with an impossible count, delay or date"
    covers = ("custody.icv-visit-coverage/visit-log-quality",)
    reads = (VISITS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(VISITS)
        n = len(item.table)
        if n == 0:
            return Measurement(None, "the visit log has no visits")
        bad, listing, found = _by_reason(_visits(item.table, context))
        detail = (f"{bad} of {n} visits: {listing}{found.note()}." if bad
                  else f"All {n} visits are dated in the period, with possible values.")
        return Measurement(bad, detail, [item.ref(rows=found)])


class PublishedVisitFigures(Check):
    """The published visits and detainees engaged against the log, counting only visits in
    the period. (A duty's SQL cannot see the bundle's period, so this is a check rather
    than a YAML reconcile.)"""

    id = "custody.icv-published-figures"
    title = "Published ICV visits and detainees engaged against the visit log"
    covers = ("custody.icv-publication/visits-reconcile",
              "custody.icv-publication/detainees-reconcile")
    reads = (VISITS, "icv_annual_return")

    def run(self, requirement, evidence, context):
        item = evidence.item(VISITS)
        v = _visits(item.table, context)
        in_period = "problem IS DISTINCT FROM 'dated outside the period'"
        if requirement.id == "visits-reconcile":
            field, what = "visits", "visits"
            computed = v.count(in_period)
            note = _left_out(v, "problem = 'dated outside the period'")
        else:
            field, what = "detainees_engaged", "detainees who accepted a visit"
            computed = int(v.scalar("SELECT coalesce(sum(detainees_accepted), 0) FROM "
                                    "{table} WHERE problem IS NULL"))
            note = _left_out(v)
        stated = evidence.value(f"icv_annual_return.{field}")
        tolerance = float(requirement.param("tolerance"))
        diff = stated - computed
        refs = [evidence.item("icv_annual_return").ref(field), item.ref()]
        details = {"stated": stated, "computed": computed, "difference": diff}
        what = (f"stated {stated}; {computed} {what} in the log for "
                f"{context.period_start} to {context.period_end}.")
        if abs(diff) <= tolerance:
            return Verdict(Rating.GREEN, f"{requirement.title}: the figures agree: {what}"
                           + note, value=stated, evidence=refs, details=details)
        return Verdict(Rating.RED, f"{requirement.title}: the figures disagree by {diff:g}: "
                       f"{what}" + note, value=stated, evidence=refs, details=details)


class VisitPattern(Check):
    """Pairs, out-of-hours starts and weekend visits per suite and quarter."""

    id = "custody.icv-visit-pattern"
    title = "Visits in pairs, outside office hours and at weekends"
    covers = ("custody.icv-visit-pattern/visits-in-pairs",
              "custody.icv-visit-pattern/out-of-hours-share",
              "custody.icv-visit-pattern/weekend-gaps")
    reads = (VISITS, SUITES)

    def run(self, requirement, evidence, context):
        item = evidence.item(VISITS)
        v = _visits(item.table, context)
        usable = "problem IS NULL"
        n = v.count(usable)
        if n == 0:
            return Measurement(None, "the visit log has no usable visit in the period."
                               + _left_out(v))
        if requirement.id == "visits-in-pairs":
            single = v.matching(f"{usable} AND visitors < 2")
            k = n - single.count
            return Measurement(_pct(k, n), f"{k} of {n} visits were made by two or more "
                               "visitors" + single.note("single-visitor visits") + "."
                               + _left_out(v), [item.ref(rows=single)])
        if requirement.id == "out-of-hours-share":
            start_h = str(requirement.param("office_hours_start"))
            end_h = str(requirement.param("office_hours_end"))
            parsed = "TRY_CAST(trim(start_time) AS TIME)"
            unreadable = v.matching(f"{usable} AND {parsed} IS NULL")
            readable = n - unreadable.count
            if readable == 0:
                return Measurement(None, "no visit has a readable start time")
            k = v.count(f"{usable} AND ({parsed} < CAST(? AS TIME) OR {parsed} >= "
                        "CAST(? AS TIME))", [start_h, end_h])
            return Measurement(_pct(k, readable), f"{k} of {readable} visits started before "
                               f"{start_h} or from {end_h}"
                               + (f"; {unreadable.count} with an unreadable start time"
                                  + unreadable.note() if unreadable else "") + "."
                               + _left_out(v), [item.ref(rows=unreadable)])
        suites = _active_suites(evidence)
        start = context.period_start
        last = _reference(context)
        quarters = max(((last.year - start.year) * 12 + last.month - start.month) // 3 + 1, 1)
        rows = item.table.query(
            "WITH s AS (SELECT unnest(?::VARCHAR[]) AS suite), q AS (SELECT range AS q FROM "
            "range(?)), v AS (SELECT DISTINCT suite, datediff('month', ?::DATE, visit_date) // 3 "
            "AS q FROM {table} WHERE isodow(visit_date) >= 6 AND visit_date BETWEEN ? AND ?) "
            "SELECT s.suite, q.q + 1 FROM s CROSS JOIN q LEFT JOIN v ON v.suite = s.suite AND "
            "v.q = q.q WHERE v.suite IS NULL ORDER BY 1, 2",
            [suites, quarters, start, start, last])
        listing = "; ".join(f"{s} quarter {q}" for s, q in rows)
        return Measurement(len(rows), (f"No weekend visit: {listing}." if rows else
                                       f"Every active suite had a weekend visit in each of "
                                       f"{quarters} quarters."), [item.ref()],
                           {"gaps": [[s, q] for s, q in rows]})


class AccessDelays(Check):
    """Code para 53 as restated by OPCCs: immediate admission; a delay needs a reason and
    Inspector-or-above authority. A delay without both is Red."""

    id = "custody.icv-access-delays"
    title = "Delays in admitting custody visitors, and whether each was explained and authorised"
    covers = ("custody.icv-access/access-delays",)
    reads = (VISITS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(VISITS)
        v = _visits(item.table, context)
        usable = "problem IS NULL"
        n = v.count(usable)
        if n == 0:
            raise NotEvidenced("the visit log has no usable visit in the period, so no "
                               "admission can be judged." + _left_out(v))
        tol = int(requirement.param("delay_tolerance_minutes"))
        delayed = f"{usable} AND coalesce(access_delay_minutes, 0) > {tol}"
        unexplained = (f"{delayed} AND (nullif(trim(delay_reason), '') IS NULL OR "
                       "delay_authorised_rank IS NULL OR delay_authorised_rank IN "
                       "('sergeant', 'none'))")
        d = v.count(delayed)
        found = v.matching(unexplained)
        bad = found.count
        longest = v.scalar(f"SELECT max(access_delay_minutes) FROM {{table}} WHERE {delayed}")
        head = f"{requirement.title}: of {n} visits, {d} were delayed more than {tol} minutes"
        left = _left_out(v)
        if bad:
            return Verdict(Rating.RED, f"{head}; {bad} without a recorded reason and Inspector "
                           "(or above) authority" + found.note() + "." + left, value=d,
                           evidence=[item.ref(rows=found)],
                           details={"delayed": d, "unexplained": bad, "longest_minutes": longest})
        if d:
            return Verdict(Rating.AMBER, f"{head} (longest {longest} minutes); each has a "
                           "recorded reason and Inspector (or above) authority." + left,
                           value=d, evidence=[item.ref()],
                           details={"delayed": d, "longest_minutes": longest})
        return Verdict(Rating.GREEN, f"{head}: none." + left, value=0, evidence=[item.ref()])


class TerroristDetaineeReports(Check):
    """s.51(1A): every visit to a suspected terrorist detainee is reported to the PCC and
    the report copied to the Independent Reviewer of Terrorism Legislation. A report dated
    before the visit cannot be the report of it, so it counts as missing."""

    id = "custody.icv-tact-reports"
    title = "Visits to terrorist suspects reported to the PCC and copied to the Reviewer"
    covers = ("custody.icv-terrorist-detainee-reports/reports-copied",)
    reads = (VISITS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(VISITS)
        v = _visits(item.table, context)
        in_period = "problem IS DISTINCT FROM 'dated outside the period'"
        visits = v.count(in_period)
        if visits == 0:
            raise NotEvidenced("the visit log has no visit in the period, so it cannot show "
                               "whether a terrorist suspect was visited")
        tact = f"{in_period} AND coalesce(tact_detainee_visited, false)"
        n = v.count(tact)
        if n == 0:
            return Verdict(Rating.GREEN, f"{requirement.title}: none of the {visits} visits in "
                           "the period was to a suspected terrorist detainee, so no report "
                           "was due.", value=0, evidence=[item.ref()])
        no_pcc = v.matching(f"{tact} AND coalesce(tact_report_to_pcc_date < visit_date, true)")
        no_irtl = v.matching(f"{tact} AND coalesce(tact_report_to_irtl_date < visit_date, "
                             "true)")
        if no_pcc or no_irtl:
            parts = []
            if no_pcc:
                parts.append(f"{no_pcc.count} not reported to the PCC" + no_pcc.note())
            if no_irtl:
                parts.append(f"{no_irtl.count} not copied to the Independent Reviewer"
                             + no_irtl.note())
            return Verdict(Rating.RED, f"{requirement.title}: of {n} such visits, "
                           + "; ".join(parts) + " (a report dated before the visit counts as "
                           "missing).", value=n,
                           evidence=[item.ref(rows=no_pcc.rows + no_irtl.rows)])
        return Verdict(Rating.GREEN, f"{requirement.title}: all {n} visits were reported to "
                       "the PCC and copied to the Independent Reviewer.", value=n,
                       evidence=[item.ref()])


class IssueResponses(Check):
    """Force responses to ICV issues, judged at the date the issues log was recorded. A
    response dated before its issue was raised cannot be judged, so it is left out of the
    response times and counted by the issues-log quality finding."""

    id = "custody.icv-issue-responses"
    title = "Force responses to issues raised by custody visitors"
    covers = ("custody.icv-issues/answered-in-time", "custody.icv-issues/open-safety-issues",
              "custody.icv-issues/issues-log-quality")
    reads = (ISSUES,)

    def run(self, requirement, evidence, context):
        item = evidence.item(ISSUES)
        t = item.table
        ref = _reference(context, item)
        if len(t) == 0:
            return Measurement(None, "the issues log has no issues")
        impossible = "coalesce(force_response_date < raised_date, false)"
        if requirement.id == "issues-log-quality":
            return self._quality(t, item, evidence, impossible)
        if requirement.id == "answered-in-time":
            days = int(requirement.param("response_days"))
            valid = f"NOT {impossible}"
            due = f"{valid} AND (force_response_date IS NOT NULL OR raised_date + {days} <= ?)"
            n = t.count(due, [ref])
            skipped = t.count(impossible)
            left = (f"; {skipped} with a response dated before the issue was raised left out"
                    if skipped else "")
            if n == 0:
                return Measurement(None, f"no issue was due a response by {ref}{left}")
            ok = t.count(f"{valid} AND force_response_date IS NOT NULL AND "
                         f"force_response_date <= raised_date + {days}")
            late = t.rows_where(f"{due} AND NOT coalesce(force_response_date <= raised_date "
                                f"+ {days}, false)", [ref])
            unanswered = t.count(f"force_response_date IS NULL AND raised_date + {days} <= ?",
                                 [ref])
            pending = len(t) - n - skipped
            return Measurement(_pct(ok, n), f"{ok} of {n} issues due by {ref} were answered "
                               f"within {days} days; {unanswered} still unanswered"
                               + (f"; {pending} not yet due" if pending else "") + left
                               + rows_note(late, "late or unanswered", total=n - ok)
                               + ".", [item.ref(rows=late)])
        days = int(requirement.param("safety_open_days"))
        where = f"category = 'safety' AND status = 'open' AND raised_date + {days} < ?"
        open_ = t.matching(where, [ref])
        return Measurement(open_.count, f"{open_.count} safety issue(s) open more than "
                           f"{days} days at {ref}" + open_.note() + ".", [item.ref(rows=open_)])

    @staticmethod
    def _quality(t: Any, item: Any, evidence: Any, impossible: str) -> Measurement:
        known = _suite_names(evidence)
        unknown = ("suite NOT IN (SELECT unnest(?::VARCHAR[]))" if known is not None
                   else "false")
        params = [known] if known is not None else []
        early = t.matching(impossible)
        stray = t.matching(f"{unknown} AND NOT {impossible}", params)
        bad = early.count + stray.count
        n = len(t)
        parts = [f"a response dated before the issue was raised {early.count}"] \
            if early else []
        if stray:
            parts.append(f"a suite not on the suite list {stray.count}")
        rows = sorted(early.rows + stray.rows)[:20]
        detail = (f"{bad} of {n} issues: " + "; ".join(parts) + rows_note(rows, total=bad)
                  + "." if bad else f"All {n} issues have possible dates"
                  + (" and a known suite." if known is not None else "."))
        if known is None:
            detail += " The bundle has no single suite list, so suites were not checked."
        return Measurement(bad, detail, [item.ref(rows=rows, total=bad)])


# ----------------------------------------------------------------- scrutiny and DSI

def _in_period(on: str | None, context: Any) -> bool:
    return on is not None and context.period_start.isoformat() <= on <= \
        context.period_end.isoformat()


class CdspActivity(Check):
    """Meetings held in the period, the age of the terms of reference, and the share of
    required themes sampled in the period (blind to ethnicity where recorded, with any
    recommendations tracked). A theme with no sampling date is not counted: nothing shows
    it was sampled in the period."""

    id = "custody.cdsp-activity"
    title = "Custody Detention Scrutiny Panel meetings, terms of reference and themes sampled"
    covers = ("custody.detention-scrutiny-panel/meetings-held",
              "custody.detention-scrutiny-panel/terms-of-reference-reviewed",
              "custody.detention-scrutiny-panel/themes-sampled")
    reads = (CDSP,)

    def run(self, requirement, evidence, context):
        item = evidence.item(CDSP)
        if requirement.id == "meetings-held":
            held = sorted(d for d in evidence.value(f"{CDSP}.meetings")
                          if _in_period(d, context))
            return Measurement(len(held), f"Met {len(held)} time(s) in the period"
                               + (f" ({', '.join(held)})" if held else "") + ".",
                               [item.ref("meetings")])
        if requirement.id == "terms-of-reference-reviewed":
            days, on, ref = _age(evidence.value(f"{CDSP}.terms_of_reference_date"),
                                 "terms of reference", context)
            return Measurement(days, f"Terms of reference dated {on}; counted to {ref}.",
                               [item.ref("terms_of_reference_date")])
        wanted = [w.strip() for w in str(requirement.param("themes")).split(",") if w.strip()]
        if not wanted:
            return Measurement(None, "the themes param names no theme")
        covered: set[str] = set()
        undated, outside, not_blind, untracked = set(), set(), set(), set()
        for th in evidence.value(f"{CDSP}.themes"):  # a handful of themes, not table rows
            name = th["theme"]
            if "sampled_on" not in th:
                undated.add(name)
            elif not _in_period(th["sampled_on"], context):
                outside.add(name)
            elif th.get("blind_to_ethnicity") is False and name != "disproportionality":
                not_blind.add(name)
            elif th.get("recommendations_made") and th.get("recommendations_tracked") \
                    is not True:
                untracked.add(name)
            else:
                covered.add(name)
        hit = [w for w in wanted if w in covered]
        missing = [w for w in wanted if w not in covered]

        def clause(label: str, names: set[str]) -> str:
            names = names - covered
            return f"; {label}: {', '.join(sorted(names))}" if names else ""

        detail = (f"Sampled {len(hit)} of {len(wanted)} themes"
                  + (f" ({', '.join(hit)})" if hit else "")
                  + (f"; not counted: {', '.join(missing)}" if missing else "")
                  + clause("no sampling date", undated)
                  + clause("sampled outside the period", outside)
                  + clause("not blind to ethnicity", not_blind)
                  + clause("recommendations not tracked", untracked) + ".")
        return Measurement(_pct(len(hit), len(wanted)), detail, [item.ref("themes")],
                           {"sampled": hit, "not_counted": missing})


class CdspAnnualReport(Check):
    """CUS-11: the panel's public annual report. The research grades a panel that met but
    has not reported as Amber, so a missing report is Amber when the panel's record shows
    meetings in the period, and a gap in the evidence (Not evidenced) otherwise."""

    id = "custody.cdsp-annual-report"
    title = "The Custody Detention Scrutiny Panel's annual report, or meetings without one"
    covers = ("custody.detention-scrutiny-panel/annual-report",)
    reads_any = (DOCUMENT, CDSP)

    def run(self, requirement, evidence, context):
        doc_type = requirement.spec["document"]["type"]
        latest = _latest_document(evidence, doc_type, context)
        if latest is not None:
            max_age = int(requirement.spec["document"]["max_age_days"])
            days, date, ref = _age(latest.data["date"], doc_type, context)
            title = latest.data["title"]
            if days <= max_age:
                return Verdict(Rating.GREEN, f"{requirement.title}: {title!r}, dated {date}.",
                               value=date.isoformat(), evidence=[latest.ref()])
            return Verdict(Rating.AMBER, f"{requirement.title}: the latest, {title!r}, is "
                           f"dated {date}, more than {max_age} days before {ref}.",
                           value=date.isoformat(), evidence=[latest.ref()])
        records = evidence.items(CDSP)
        held = [d for d in (records[0].data.get("meetings") or []) if _in_period(d, context)] \
            if len(records) == 1 else []
        if not held:
            raise NotEvidenced(f"no {doc_type} document is in the bundle")
        return Verdict(Rating.AMBER, f"{requirement.title}: the panel met {len(held)} time(s) "
                       f"in the period but no {doc_type} document is in the bundle (met but "
                       "no report: Amber, research CUS-11).", value=None,
                       evidence=[records[0].ref("meetings")])


class AngioliniTracker(Check):
    """CUS-18: the share of the recommendations that apply to the force which the tracker
    assesses with an owner and a status; partial is Amber, by the bands in the YAML."""

    id = "custody.angiolini-tracker"
    title = "Applicable Angiolini recommendations with an owner and a status"
    covers = ("custody.angiolini-actions/recommendations-assessed",)
    reads = (TRACKER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(TRACKER)
        t = item.table
        bad_number = t.matching("recommendation NOT BETWEEN 1 AND 110")
        if bad_number:
            raise NotEvidenced(f"{bad_number.count} row(s) name a recommendation outside 1 to "
                               f"110{bad_number.note()}; the review made 110")
        applies = "applies_to_force"
        n = t.count(applies)
        if n == 0:
            return Measurement(None, f"the tracker lists {len(t)} recommendation(s) and none "
                               "applies to the force")
        gaps = t.matching(f"{applies} AND (nullif(trim(owner_role), '') IS NULL OR "
                          "status IS NULL)")
        done = t.count(f"{applies} AND status = 'complete'")
        k = n - gaps.count
        return Measurement(_pct(k, n), f"{k} of {n} applicable recommendations have an owner "
                           f"and a status ({done} complete)"
                           + gaps.note("no owner or status") + ".", [item.ref(rows=gaps)],
                           {"applicable": n, "assessed": k, "complete": done})


class DsiLog(Check):
    """CUS-17 from the DSI log: referral to the IOPC and learning actions, over the
    incidents the log records. A referral dated before its incident cannot be judged: it is
    left out of the referral share and counted by the log-quality finding."""

    id = "custody.dsi-log"
    title = "Deaths and serious injuries referred to the IOPC and learned from"
    covers = ("custody.deaths-serious-injuries/referred-to-iopc",
              "custody.deaths-serious-injuries/learning-actions",
              "custody.deaths-serious-injuries/dsi-log-quality")
    reads = (DSI,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DSI)
        t = item.table
        n = len(t)
        if n == 0:
            return Measurement(None, "the DSI log records no death or serious injury, so "
                               "there is nothing to refer or learn from (the reported totals "
                               "are checked by the reconcile requirements)")
        early = t.matching("iopc_referral_date < incident_date")
        if requirement.id == "dsi-log-quality":
            return Measurement(early.count, f"{early.count} of {n} incidents have an IOPC "
                               "referral dated before the incident" + early.note() + ".",
                               [item.ref(rows=early)])
        if requirement.id == "referred-to-iopc":
            judged = n - early.count
            if judged == 0:
                return Measurement(None, "every referral is dated before its incident")
            missing = t.matching("iopc_referral_date IS NULL")
            k = judged - missing.count
            return Measurement(_pct(k, judged), f"{k} of {judged} incidents were referred to "
                               "the IOPC" + missing.note("no referral date")
                               + (f"; {early.count} with a referral dated before the "
                                  "incident left out" if early else "") + ".",
                               [item.ref(rows=missing)], {"incidents": n, "referred": k})
        none = t.matching("coalesce(learning_actions, 0) <= 0")
        k = n - none.count
        return Measurement(_pct(k, n), f"{k} of {n} incidents have learning actions recorded"
                           + none.note("none recorded") + ".", [item.ref(rows=none)],
                           {"incidents": n, "with_learning": k})


class InspectionActions(Check):
    """CUS-19: causes of concern and recommendations past due; a cause of concern open long
    after it fell due is Red."""

    id = "custody.inspection-actions"
    title = "Custody inspection causes of concern and recommendations past due"
    covers = ("custody.custody-inspection/overdue-actions",)
    reads = (INSPECTION,)

    def run(self, requirement, evidence, context):
        item = evidence.item(INSPECTION)
        t = item.table
        ref = _reference(context, item)
        months = int(requirement.param("long_overdue_months"))
        n = len(t)
        if n == 0:
            raise NotEvidenced("the inspection action plan lists no cause of concern or "
                               "recommendation")
        overdue = "status <> 'closed' AND due_date < ?"
        long_overdue = (f"type = 'cause-of-concern' AND status <> 'closed' AND "
                        f"coalesce(due_date, published_on) + INTERVAL {months} MONTH < ?")
        past_due = t.matching(overdue, [ref])
        long_open = t.matching(long_overdue, [ref])
        o = past_due.count
        head = f"{requirement.title}: of {n} actions, {o} past due at {ref}"
        if long_open:
            return Verdict(Rating.RED, f"{head}; {long_open.count} cause(s) of concern open "
                           f"more than {months} months after falling due" + long_open.note()
                           + ".", value=o,
                           evidence=[item.ref(rows=long_open.rows + past_due.rows)])
        if o:
            return Verdict(Rating.AMBER, f"{head}{past_due.note()}.", value=o,
                           evidence=[item.ref(rows=past_due)])
        return Verdict(Rating.GREEN, f"{head}: none.", value=0, evidence=[item.ref()])


# ------------------------------------------------------------- detention analytics

def _detentions(t: Any, max_minutes: int) -> Any:
    """The detention table as the time-based checks read it, derived once per run and
    shared by every requirement (``Table.derive``): the times under short names, the
    s.40 reviews parsed and sorted, and why a row cannot be used (``problem``). The times
    are ``datetime`` columns, parsed when the bundle was loaded; only the review list is
    text, so it is the one thing parsed here. ``max_minutes`` is the longest plausible
    detention (``_max_minutes``), the same in every check."""
    # the review list split on ';' and cast as one list (no per-element lambda: an entry
    # that does not parse becomes NULL); doubled or outer separators are tidied only in
    # the rare rows that have them
    text = ("CASE WHEN contains(review_times, ';;') OR ends_with(review_times, ';') OR "
            "starts_with(review_times, ';') THEN nullif(trim(replace(replace(review_times, "
            "';;', ';'), ';;', ';'), ' ;'), '') ELSE review_times END")
    raw = f"coalesce(string_split({text}, ';'), []::VARCHAR[])"
    inner = (
        "SELECT * EXCLUDE (custody_ref, review_times, arrival_time, "
        "detention_authorised_time, release_time, charge_time, superintendent_extension_time, "
        "warrant_time, review_postponement_recorded), arrival_time AS arrival, "
        "detention_authorised_time AS authorised, release_time AS released, "
        "charge_time AS charged_at, superintendent_extension_time AS supt_at, "
        "warrant_time AS warrant_at, "
        "coalesce(review_postponement_recorded, false) AS postponed, "
        f"len({raw}) AS n_raw_reviews, "
        f"list_sort(TRY_CAST({raw} AS TIMESTAMP[])) AS reviews "
        "FROM {table}"
    )
    problem = (
        "CASE "
        "WHEN list_count(reviews) <> n_raw_reviews THEN 'a review time is unreadable' "
        "WHEN authorised < arrival THEN 'detention authorised before arrival' "
        "WHEN released < authorised THEN 'release before detention was authorised' "
        f"WHEN released > arrival + INTERVAL {int(max_minutes)} MINUTE "
        "  THEN 'detention longer than is plausible' "
        "WHEN n_raw_reviews > 0 AND (list_min(reviews) < authorised "
        "  OR list_max(reviews) > released) THEN 'a review outside the detention' "
        "WHEN charged AND charged_at IS NULL THEN 'charged with no charge time' "
        "WHEN charged_at IS NOT NULL AND (charged_at < arrival OR charged_at > released) "
        "  THEN 'charge time outside the detention' "
        "ELSE NULL END"
    )
    return t.derive(f"parsed_{int(max_minutes)}",
                    f"SELECT *, {problem} AS problem FROM ({inner})")


def _usable_pace(t: Any, max_minutes: int) -> Any:
    """PACE detentions with no problem: the rows the review and time-limit checks judge."""
    return _detentions(t, max_minutes).derive(
        f"usable_pace_{int(max_minutes)}", "SELECT *, coalesce(charged_at, released) AS "
        "clock_end FROM {table} WHERE problem IS NULL AND legislation = 'pace'",
        materialize=False)


def _max_minutes(context: Any) -> int:
    """The longest plausible detention, read from the record-quality requirement's param
    (with any --config override) so that every check leaves out the same rows."""
    duty_id, req_id = PLAUSIBLE
    duty = context.duties.get(duty_id)
    req = next((r for r in duty.requirements if r.id == req_id), None) if duty else None
    if req is None:
        raise NotEvidenced(f"{duty_id}/{req_id}, which sets the longest plausible detention, "
                           "is not loaded")
    return _minutes(req.param("maximum_plausible_hours"))


def _excluded(t: Any, max_minutes: int) -> str:
    """A sentence saying how many rows the time-based checks leave out."""
    bad = _detentions(t, max_minutes).count("problem IS NOT NULL")
    return (f" {bad} record(s) with an unreadable review time or an impossible time "
            "were left out (see detention-record quality)." if bad else "")


class DetentionRecordQuality(Check):
    """Rows with impossible times are counted by reason, never silently dropped; a suite
    not on the suite list is counted too (such rows keep their place in the time checks,
    whose figures do not depend on the suite). Missing ethnicity codes are counted."""

    id = "custody.detention-record-quality"
    title = "Detention records with impossible times, an unknown suite or no ethnicity code"
    covers = ("custody.detention-record-quality/inconsistent-records",
              "custody.detention-record-quality/ethnicity-recorded")
    reads = (DETENTIONS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DETENTIONS)
        t = item.table
        n = len(t)
        if n == 0:
            return Measurement(None, "the detention file has no records")
        if requirement.id == "ethnicity-recorded":
            missing = t.matching("ethnicity IS NULL")
            k = n - missing.count
            return Measurement(_pct(k, n), f"{k:,} of {n:,} records have an ethnicity code; "
                               f"{missing.count:,} have none" + missing.note() + ".",
                               [item.ref(rows=missing)], {"records": n,
                                                          "missing": missing.count})
        rel = _detentions(t, _minutes(requirement.param("maximum_plausible_hours")))
        known = _suite_names(evidence)
        # a suite off the list is labelled only when the times are fine (one reason a row)
        label, params = "problem", []
        if known is not None:
            label = ("coalesce(problem, CASE WHEN suite NOT IN (SELECT unnest(?::VARCHAR[])) "
                     "THEN 'a suite not on the suite list' END)")
            params = [known]
        by = rel.query(f"SELECT {label} AS p, count(*) FROM {{table}} GROUP BY p "
                       "HAVING p IS NOT NULL ORDER BY 2 DESC, 1", params)
        found = rel.matching(f"{label} IS NOT NULL", params)
        bad = found.count
        detail = (f"{bad:,} of {n:,} records: " + "; ".join(f"{p} {k}" for p, k in by)
                  + found.note() + "." if bad else f"All {n:,} records are consistent.")
        if known is None:
            detail += " The bundle has no single suite list, so suites were not checked."
        return Measurement(bad, detail, [item.ref(rows=found)],
                           {"problems": {p: k for p, k in by}, "records": n})


class PaceReviews(Check):
    """PACE s.40(3): first review within 6 hours of authorisation, then within 9 hours of
    the previous review, for as long as the person is held. PACE detentions only."""

    id = "custody.pace-reviews"
    title = "PACE s.40 reviews of detention held on time"
    covers = ("custody.pace-reviews/first-review-on-time",
              "custody.pace-reviews/later-reviews-on-time")
    reads = (DETENTIONS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DETENTIONS)
        t = item.table
        limit = _max_minutes(context)
        base = _usable_pace(t, limit)
        excluded = _excluded(t, limit)
        if requirement.id == "first-review-on-time":
            lim = _minutes(requirement.param("first_review_hours"))
            rel = base
            due = f"released > authorised + INTERVAL {lim} MINUTE"
            on_time = (f"len(reviews) > 0 AND list_min(reviews) <= authorised + "
                       f"INTERVAL {lim} MINUTE")
            hours = float(requirement.param("first_review_hours"))
            what = f"first reviews due within {hours:g} hours"
        else:
            lim = _minutes(requirement.param("later_review_hours"))
            # one row per review with the next one beside it, made once per run
            rel = base.derive("review_gaps", "SELECT __row, suite, released, postponed, t, "
                              "lead(t) OVER (PARTITION BY __row ORDER BY t) AS nxt FROM "
                              "(SELECT __row, suite, released, postponed, unnest(reviews) AS t "
                              "FROM {table})")
            due = f"released > t + INTERVAL {lim} MINUTE"
            on_time = f"nxt IS NOT NULL AND nxt <= t + INTERVAL {lim} MINUTE"
            what = (f"later reviews due within "
                    f"{float(requirement.param('later_review_hours')):g} hours of the previous")
        sql = (f"SELECT suite, count(*) FILTER (WHERE {due}), "
               f"count(*) FILTER (WHERE {due} AND ({on_time} OR postponed)), "
               f"count(*) FILTER (WHERE {due} AND NOT ({on_time}) AND postponed) "
               "FROM {table} GROUP BY suite ORDER BY suite")
        late_sql = (f"SELECT DISTINCT __row FROM {{table}} WHERE {due} AND NOT ({on_time}) "
                    "AND NOT postponed ORDER BY __row LIMIT 20")
        per = rel.query(sql)
        due_n = sum(r[1] for r in per)
        ok_n = sum(r[2] for r in per)
        post_n = sum(r[3] for r in per)
        late_rows = [r for (r,) in rel.query(late_sql)]
        if due_n == 0:
            return Measurement(None, f"no PACE detention lasted long enough for {what}.")
        detail = (f"{ok_n:,} of {due_n:,} {what} were on time"
                  + (f", {post_n} of them after a recorded s.40(4) postponement" if post_n else "")
                  + f"; {due_n - ok_n:,} late"
                  + rows_note(late_rows)
                  + ". By suite: " + "; ".join(f"{s} {o}/{d}" for s, d, o, _ in per if d)
                  + "." + excluded)
        return Measurement(_pct(ok_n, due_n), detail, [item.ref(rows=late_rows)],
                           {"due": due_n, "on_time": ok_n, "postponed": post_n,
                            "late": due_n - ok_n,
                            "per_suite": {s: {"due": d, "on_time": o} for s, d, o, _ in per}})


class DetentionTimeLimits(Check):
    """PACE ss.41-44: the clock runs from arrival (the relevant time) to charge or release;
    beyond 24 hours needs a superintendent's authority given within 24 hours, beyond 36
    hours a warrant, and 96 hours is the absolute maximum."""

    id = "custody.detention-time-limits"
    title = "PACE detentions without charge beyond 24, 36 or 96 hours without authority"
    covers = ("custody.detention-time-limits/beyond-24h-without-authority",
              "custody.detention-time-limits/beyond-36h-without-warrant",
              "custody.detention-time-limits/beyond-96h")
    reads = (DETENTIONS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DETENTIONS)
        t = item.table
        limit = _max_minutes(context)
        base = _usable_pace(t, limit)
        excluded = _excluded(t, limit)
        if requirement.id == "beyond-24h-without-authority":
            hours = requirement.param("basic_limit_hours")
            lim = _minutes(hours)
            cond = (f"clock_end > arrival + INTERVAL {lim} MINUTE AND (supt_at IS NULL OR "
                    f"supt_at > arrival + INTERVAL {lim} MINUTE)")
            what = f"beyond {float(hours):g} hours without a superintendent's authority"
        elif requirement.id == "beyond-36h-without-warrant":
            hours = requirement.param("extended_limit_hours")
            lim = _minutes(hours)
            cond = (f"clock_end > arrival + INTERVAL {lim} MINUTE AND (warrant_at IS NULL OR "
                    f"warrant_at > arrival + INTERVAL {lim} MINUTE)")
            what = f"beyond {float(hours):g} hours without a warrant of further detention"
        else:
            hours = requirement.param("maximum_hours")
            lim = _minutes(hours)
            cond = f"clock_end > arrival + INTERVAL {lim} MINUTE"
            what = f"beyond {float(hours):g} hours"
        total = len(base)
        if total == 0:
            return Measurement(None, "the records hold no usable PACE detention, so no time "
                               "limit can be judged." + excluded)
        over = base.count(f"clock_end > arrival + INTERVAL {lim} MINUTE")
        per = base.query(f"SELECT suite, count(*) FROM {{table}} WHERE {cond} GROUP BY suite "
                         "ORDER BY suite")
        rows = base.rows_where(cond)
        k = sum(n for _, n in per)
        detail = (f"{k:,} of {total:,} PACE detentions were held without charge {what}"
                  + (f" (rows {cite_rows(rows, total=k)}; by suite: "
                     + "; ".join(f"{s} {n}" for s, n in per) + ")" if k else "")
                  + f"; {over} in all went past {float(hours):g} hours before charge or release."
                  + excluded)
        return Measurement(k, detail, [item.ref(rows=rows)], {"per_suite": _per_suite(per)})


class ChargedChildren(Check):
    """s.38(6): charged children refused bail and still held past midnight should be
    transferred to local authority accommodation, or the officer certifies why not."""

    id = "custody.charged-children"
    title = "Charged children held overnight: transfers and s.38(6) certificates"
    covers = ("custody.charged-children/transferred-share",
              "custody.charged-children/without-certificate")
    reads = (DETENTIONS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DETENTIONS)
        t = item.table
        limit = _max_minutes(context)
        base = _detentions(t, limit).derive(
            f"charged_children_overnight_{limit}", "SELECT * FROM {table} WHERE problem IS "
            f"NULL AND {CHILD} AND charged AND coalesce(bail_refused, false) AND "
            "CAST(released AS DATE) > CAST(charged_at AS DATE)")
        excluded = _excluded(t, limit)
        n = len(base)
        if requirement.id == "transferred-share":
            if n == 0:
                return Measurement(None, "no charged child was refused bail and held "
                                   "overnight in the period." + excluded)
            moved = base.count("coalesce(transfer_completed, false)")
            requested = base.count("coalesce(transfer_requested, false)")
            return Measurement(_pct(moved, n), f"{moved} of {n} charged children held "
                               f"overnight were transferred ({requested} transfers "
                               "requested)." + excluded, [item.ref()],
                               {"eligible": n, "transferred": moved, "requested": requested})
        if n == 0:
            return Measurement(None, "no charged child was refused bail and held overnight "
                               "in the period, so no certificate was needed." + excluded)
        cond = ("NOT coalesce(transfer_completed, false) AND "
                "NOT coalesce(impracticability_certificate, false)")
        held = base.matching(cond)
        return Measurement(held.count, f"{held.count} of {n} charged children held overnight "
                           "were neither transferred nor covered by a certificate"
                           + held.note() + "." + excluded, [item.ref(rows=held)])


class ChildSafeguards(Check):
    """Code C: an appropriate adult for every child in custody and at any strip search."""

    id = "custody.child-safeguards"
    title = "Appropriate adults for children in custody and at strip searches"
    covers = ("custody.children-safeguards/appropriate-adult",
              "custody.children-safeguards/strip-search-appropriate-adult")
    reads = (DETENTIONS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DETENTIONS)
        t = item.table
        scope = CHILD if requirement.id == "appropriate-adult" else f"{CHILD} AND strip_searched"
        what = ("child detentions" if requirement.id == "appropriate-adult"
                else "strip searches of children")
        n = t.count(scope)
        if n == 0:
            return Measurement(None, f"no {what} in the records")
        missing = t.matching(f"{scope} AND NOT coalesce(appropriate_adult_present, false)")
        k = missing.count
        return Measurement(_pct(n - k, n), f"{n - k} of {n} {what} had an appropriate adult "
                           "recorded" + missing.note("none recorded") + ".",
                           [item.ref(rows=missing)], {"total": n, "without": k})


class Disproportionality(Check):
    """Relative rate against the reference group with a 95% confidence interval (log
    method, Katz). Group counts come from one SQL aggregate; the arithmetic is on those
    few numbers, never on rows."""

    id = "custody.disproportionality"
    title = "Relative rates of strip search and long detention by ethnicity, with 95% CIs"
    covers = ("custody.disproportionality/strip-search-relative-rate",
              "custody.disproportionality/long-detention-relative-rate")
    reads = (DETENTIONS,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DETENTIONS)
        t = item.table
        minimum = int(requirement.param("min_group_detentions"))
        reference = str(requirement.param("reference_group"))
        if requirement.id == "strip-search-relative-rate":
            rel, event, what = t, "strip_searched", "strip searched"
        else:
            lim = _minutes(requirement.param("long_detention_hours"))
            rel = _usable_pace(t, _max_minutes(context))
            event = f"clock_end > arrival + INTERVAL {lim} MINUTE"
            what = (f"held over {float(requirement.param('long_detention_hours')):g} hours "
                    "without charge")
        groups = rel.query(f"SELECT ethnicity, count(*), count(*) FILTER (WHERE {event}) "
                           "FROM {table} WHERE ethnicity IS NOT NULL GROUP BY ethnicity "
                           "ORDER BY ethnicity")
        blank = t.count("ethnicity IS NULL")
        counts = {g: (n, e) for g, n, e in groups}
        if reference not in counts or counts[reference][1] == 0:
            return Measurement(None, f"the reference group {reference!r} has no detainees "
                               f"{what}, so no relative rate can be computed")
        n0, e0 = counts[reference]
        rates: dict[str, dict[str, float]] = {}
        for g, (n, e) in counts.items():
            if g == reference or n < minimum:
                continue
            rates[g] = _relative_rate(e, n, e0, n0)
        skipped = sorted(g for g, (n, _) in counts.items() if g != reference and n < minimum)
        if not rates:
            return Measurement(None, f"no group other than {reference!r} has {minimum} or more "
                               "detentions")
        worst = max(rates, key=lambda g: (rates[g]["lower"], g))
        listing = "; ".join(f"{g} {r['rr']:.2f} (95% CI {r['lower']:.2f}-{r['upper']:.2f})"
                            for g, r in sorted(rates.items()))
        detail = (f"Share {what}: {reference} {100.0 * e0 / n0:.1f}% of {n0}. Relative rates: "
                  f"{listing}. Highest lower limit: {worst}."
                  + (f" Groups under {minimum} detentions not rated: {', '.join(skipped)}."
                     if skipped else "")
                  + (f" {blank} record(s) with no ethnicity code left out." if blank else ""))
        return Measurement(round(rates[worst]["lower"], 2), detail, [item.ref()],
                           {"relative_rates": rates, "reference": reference,
                            "no_ethnicity": blank})


def _relative_rate(e1: int, n1: int, e0: int, n0: int) -> dict[str, float]:
    """Relative rate e1/n1 over e0/n0 with its 95% CI on the log scale; a zero numerator
    uses a half-count correction so the interval is still defined."""
    a = e1 if e1 > 0 else 0.5
    rr = (a / n1) / (e0 / n0)
    se = math.sqrt(max(1 / a - 1 / n1 + 1 / e0 - 1 / n0, 0.0))
    return {"rr": round(rr if e1 > 0 else 0.0, 4),
            "lower": round(math.exp(math.log(rr) - 1.96 * se) if e1 > 0 else 0.0, 4),
            "upper": round(math.exp(math.log(rr) + 1.96 * se), 4),
            "events": e1, "detentions": n1}


CHECKS = (ArrangementsReviewed, PublishedInformation, IcvRegister, VisitCoverage,
          VisitLogQuality, PublishedVisitFigures, VisitPattern, AccessDelays,
          TerroristDetaineeReports, IssueResponses, CdspActivity, CdspAnnualReport,
          AngioliniTracker, DsiLog, InspectionActions, DetentionRecordQuality, PaceReviews,
          DetentionTimeLimits, ChargedChildren, ChildSafeguards, Disproportionality)

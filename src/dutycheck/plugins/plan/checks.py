"""Checks for plan commitments and the PCC's own governance duties.

Plan commitments are data: three checks claim, by rule, the requirements of every
``plan-commitment`` duty loaded (the built-in Kent plan or a partner's own plan YAML), all
driven by the one rule in :mod:`.delivery`. Governance checks cover fixed requirements in
``duties/plan/governance.yaml`` and do only what the declarative kinds cannot: date
arithmetic, counting, and matching the annual report against the plan catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from dutycheck import Check, Measurement, NotEvidenced, Rating, Verdict, rows_note

from .catalogue import (
    COMMITMENT,
    PlanCatalogue,
    PlanCatalogueError,
    commitment_ref,
    plan_commitments,
    plan_key,
    role,
    unknown_priority,
    update_window,
    where,
)
from .delivery import TRACKER, Milestones, group, milestones, rate, tracker_rows
from .kinds import S7_ELEMENTS

RETURN = "pcc_governance_return"
SPEND = "pcc_spend_publication_log"
_ORDER = (Rating.GREEN, Rating.AMBER, Rating.RED, Rating.NOT_EVIDENCED)


def _plan(context: Any) -> PlanCatalogue:
    """The commitments of the plan the current duty belongs to (same ``plan:`` tag, or
    the same file when a partner's plan has no tag), one per ``commitment:`` tag."""
    mine = plan_key(context.duty)
    return plan_commitments(context.duties.values(), key=mine).get(mine, PlanCatalogue(mine))


def _tracker(evidence: Any, context: Any) -> tuple[Any, str | None]:
    """The one usable tracker item, or why there is none (missing, several, or stale by
    the engine's own rule). Plan checks weigh this themselves rather than list the tracker
    in ``reads``, so a catalogue defect and the coverage counts show even without it."""
    items = evidence.items(TRACKER)
    if not items:
        return None, f"the bundle has no {TRACKER} item"
    if len(items) > 1:
        return None, f"the bundle has {len(items)} {TRACKER} items; the rule needs exactly one"
    gap = context.stale(items[0])
    return (None, gap) if gap else (items[0], None)


def _unused(found: Milestones) -> str:
    return ("; milestones not used: " + "; ".join(found.unused)) if found.unused else ""


class CommitmentDelivery(Check):
    """One rule for every commitment of every plan loaded, keyed on the duty's
    ``commitment:`` tag: a partner's plan YAML needs no code (docs/plan-catalogue.md).
    It also claims plan-commitment duties with no such tag, to say so (an Error naming
    the file and line) rather than leave them silently unassessed."""

    id = "plan.commitment-delivery"
    title = "A plan commitment rated from its delivery tracker row"

    @classmethod
    def claims(cls, requirement, duty):
        return duty.kind == "plan-commitment" and role(duty) in (COMMITMENT, "untagged")

    def run(self, requirement, evidence, context):
        ref = commitment_ref(context.duty)
        within, window = update_window(requirement, context.duty)
        item, gap = _tracker(evidence, context)
        if item is None:
            raise NotEvidenced(str(gap))
        rows = tracker_rows(item)
        found = milestones(evidence, context)
        out = rate(ref, group(rows).get(ref, []), as_of=context.as_of,
                   tracker_date=item.effective_date, within_days=within, window=window,
                   planned=found.by_ref.get(ref))
        if out.rating is Rating.NOT_EVIDENCED:
            raise NotEvidenced(out.reason)
        stones = [m.ref(rows=nums) for m in found.items
                  if (nums := found.rows_of(m, refs={ref}))]
        return Verdict(out.rating, f"Commitment {ref}: {out.reason}{_unused(found)}.",
                       value=out.status, evidence=[item.ref(rows=list(out.rows)), *stones],
                       details={"commitment": ref})


class DeliveryCoverage(Check):
    """The coverage matrix: for a priority (the requirement id), the count of its
    commitments in each rating and those with no tracker row at all.

    When the tracker is missing or stale the check still runs (see :func:`_tracker`) and
    lists every commitment, all Not evidenced, with the reason, so the Panel sees the
    counts rather than nothing."""

    id = "plan.delivery-coverage"
    title = "Share of a priority's commitments with current tracker evidence"

    @classmethod
    def claims(cls, requirement, duty):
        return duty.kind == "plan-commitment" and role(duty) == "coverage"

    def run(self, requirement, evidence, context):
        priorities = _plan(context).priorities()
        wrong = unknown_priority(requirement.id, plan_key(context.duty), priorities)
        if wrong:
            raise PlanCatalogueError(f"{where(requirement)}: {requirement.ref}: {wrong}")
        chosen = (priorities[requirement.id] if requirement.id != "all-priorities"
                  else [c for cs in priorities.values() for c in cs])
        within, window = update_window(requirement, context.duty)
        item, gap = _tracker(evidence, context)
        by_ref = group(tracker_rows(item)) if item else {}
        found = milestones(evidence, context)
        counts = {r.value: 0 for r in _ORDER}
        lists: dict[str, list[str]] = {r.value: [] for r in _ORDER}
        no_row: list[str] = []
        for c in chosen:
            rows = by_ref.get(c.ref, [])
            rating = Rating.NOT_EVIDENCED if item is None else rate(
                c.ref, rows, as_of=context.as_of, tracker_date=item.effective_date,
                within_days=within, window=window, planned=found.by_ref.get(c.ref)).rating
            counts[rating.value] += 1
            lists[rating.value].append(c.ref)
            if item is not None and not rows:
                no_row.append(c.ref)
        total = len(chosen)
        matrix = ", ".join(f"{counts[r.value]} {r.value}" for r in _ORDER)
        if item is None:
            raise NotEvidenced(f"{gap}; so all {total} commitments are Not evidenced "
                               f"({matrix})")
        evidenced = total - counts[Rating.NOT_EVIDENCED.value]
        detail = (f"{total} commitments: {matrix}; "
                  + (f"no tracker row at all: {', '.join(no_row)}" if no_row
                     else "every commitment has a tracker row"))
        stale = [r for r in lists[Rating.NOT_EVIDENCED.value] if r not in no_row]
        if stale:
            detail += f"; stale or unusable: {', '.join(stale)}"
        detail += _unused(found)
        return Measurement(round(100 * evidenced / total, 1) if total else None, detail,
                           [item.ref(), *(m.ref() for m in found.items)],
                           details={"matrix": counts, "commitments": lists,
                                    "no_tracker_row": no_row})


class TrackerQuality(Check):
    """Rows the rule cannot use: unknown commitment ids, repeats, future dates, and
    milestones of commitments the plan does not have. The rest of the tracker stays
    usable, so this is a data-quality finding (Amber)."""

    id = "plan.tracker-quality"
    title = "Tracker rows name plan commitments, once each, dated no later than the run"
    reads = (TRACKER,)

    @classmethod
    def claims(cls, requirement, duty):
        return duty.kind == "plan-commitment" and role(duty) == "quality"

    def run(self, requirement, evidence, context):
        item = evidence.item(TRACKER)
        rows = tracker_rows(item)
        known = _plan(context).refs()
        unknown = [r["__row"] for r in rows if str(r["commitment_id"]).strip() not in known]
        repeated = sorted(n for ref, rs in group(rows).items() if len(rs) > 1
                          and ref in known for n in (r["__row"] for r in rs))
        future = [r["__row"] for r in rows if r["last_update"] > context.as_of]
        found = milestones(evidence, context)
        stray = {m.file: nums for m in found.items if (nums := found.rows_of(m, known=known))}
        problems = []
        if unknown:
            problems.append(f"{len(unknown)} row(s) name a commitment not in the plan"
                            + rows_note(unknown))
        if repeated:
            problems.append(f"{len(repeated)} rows repeat a commitment" + rows_note(repeated))
        if future:
            problems.append(f"{len(future)} row(s) are dated after the assessment date "
                            f"{context.as_of}" + rows_note(future))
        for file, nums in stray.items():
            problems.append(f"{len(nums)} milestone(s) in {file} name a commitment not in "
                            "the plan" + rows_note(nums))
        refs = [m.ref(rows=stray[m.file]) for m in found.items if m.file in stray]
        if problems:
            bad = sorted(set(unknown + repeated + future))
            after = (" Those commitments are Not evidenced; the other rows are used."
                     if bad else "") + (" Those milestones are not used." if stray else "")
            return Verdict(Rating.AMBER, f"{requirement.title}: " + "; ".join(problems)
                           + "." + after, value=len(bad) + sum(map(len, stray.values())),
                           evidence=[item.ref(rows=bad), *refs])
        return Verdict(Rating.GREEN, f"{requirement.title}: all {len(rows)} rows name a "
                       f"plan commitment once, dated on or before {context.as_of}"
                       + (f", and all {len(found.rows)} milestones name one" if found.rows
                          else "") + ".",
                       value=0, evidence=[item.ref(), *(m.ref() for m in found.items)])


PLAN_CHECKS = (CommitmentDelivery, DeliveryCoverage, TrackerQuality)


# -- governance --------------------------------------------------------------------------


def _date(text: Any) -> dt.date:
    return text if isinstance(text, dt.date) else dt.date.fromisoformat(str(text))


class PlanIssued(Check):
    """PRSRA 2011 s.5(1): the plan is issued within the financial year of the election."""

    id = "plan.gov-plan-issued"
    title = "Police and crime plan issued by the end of the election financial year"
    covers = ("plan.gov-01-plan-issued/issued-in-election-year",)
    reads = (RETURN,)

    def run(self, requirement, evidence, context):
        item = evidence.item(RETURN)
        year_end = _date(evidence.value(f"{RETURN}.plan.election_financial_year_end"))
        issued = _date(evidence.value(f"{RETURN}.plan.issued_on"))
        refs = [item.ref("plan")]
        if issued > context.as_of:
            raise NotEvidenced(f"the plan's issue date {issued} is after the assessment date")
        if issued <= year_end:
            return Verdict(Rating.GREEN, f"{requirement.title}: issued on {issued}, within the "
                           f"election financial year ending {year_end}.",
                           value=issued.isoformat(), evidence=refs)
        return Verdict(Rating.RED, f"{requirement.title}: issued on {issued}, "
                       f"{(issued - year_end).days} days after the election financial year "
                       f"ended on {year_end}.", value=issued.isoformat(), evidence=refs)


class PlanContents(Check):
    """PRSRA 2011 s.7: count the six content elements the plan is recorded as covering."""

    id = "plan.gov-plan-contents"
    title = "Police and crime plan covers the six s.7 elements"
    covers = ("plan.gov-02-plan-contents/s7-elements",)
    reads = (RETURN,)

    def run(self, requirement, evidence, context):
        item = evidence.item(RETURN)
        elements = evidence.value(f"{RETURN}.plan.s7_elements")
        unknown = [e for e in S7_ELEMENTS if e not in elements]
        if unknown:
            raise NotEvidenced("the return does not say whether the plan covers "
                               + ", ".join(e.replace("_", " ") for e in unknown))
        missing = [e.replace("_", " ") for e in S7_ELEMENTS if not elements[e]["present"]]
        present = len(S7_ELEMENTS) - len(missing)
        detail = (f"{present} of {len(S7_ELEMENTS)} s.7 elements present"
                  + (f"; missing: {', '.join(missing)}" if missing else ""))
        return Measurement(present, detail, [item.ref("plan.s7_elements")])


class DocumentTiming(Check):
    """Days between a dated document and a fixed point of the period (params say which):
    annual report after year end, budget before the year starts, a register's age."""

    id = "plan.gov-document-timing"
    title = "Days between a governance document's date and the period (or run) date"
    covers = (
        "plan.gov-05-annual-report/published-after-year-end",
        "plan.gov-11-budget-published/before-financial-year",
        "plan.gov-14-registers-current/register-of-interests-age",
        "plan.gov-14-registers-current/gifts-and-hospitality-age",
        "plan.gov-20-accounts-published/unaudited-accounts-after-year-end",
    )
    reads = ("document",)

    def run(self, requirement, evidence, context):
        doc_type = str(requirement.param("document_type"))
        anchor = str(requirement.param("anchor"))
        found = [i for i in evidence.items("document") if i.data.get("type") == doc_type
                 and _date(i.data["date"]) <= context.as_of]
        if not found:
            raise NotEvidenced(f"no {doc_type} document dated on or before {context.as_of} "
                               "is in the bundle")
        latest = max(found, key=lambda i: i.data["date"])
        date = _date(latest.data["date"])
        title = latest.data["title"]
        if anchor == "as-of":
            days = (context.as_of - date).days
            detail = f"{title!r} is dated {date}, {days} days before {context.as_of}"
        else:
            point = context.period_end if anchor == "period-end" else context.period_start
            days = (date - point).days
            side = "after" if days >= 0 else "before"
            detail = f"{title!r} is dated {date}, {abs(days)} days {side} {anchor} {point}"
        return Measurement(days, detail, [latest.ref()])


class SpendPublication(Check):
    """SIO para 3(f)-(g): each month's spend over £500 is published "as soon as
    practicable after the end of the month". The measure is the worst month's delay; an
    unpublished month counts as late up to the assessment date and is named."""

    id = "plan.gov-spend-publication"
    title = "Worst delay in publishing a month's spend over £500"
    covers = ("plan.gov-10-spend-published/pcc-months",
              "plan.gov-10-spend-published/force-months")
    reads = (SPEND,)

    def run(self, requirement, evidence, context):
        body = str(requirement.param("body"))
        item = evidence.item(SPEND)
        rows = item.table.query("SELECT __row, month, published_on FROM {table} "
                                "WHERE body = ? ORDER BY month", [body])
        published = {(m.year, m.month): (n, p) for n, m, p in rows}
        worst, worst_month, unpublished, late = -1, None, [], []
        month = dt.date(context.period_start.year, context.period_start.month, 1)
        while month <= context.period_end:
            end = _month_end(month)
            if end >= context.as_of:
                break
            n, pub = published.get((month.year, month.month), (None, None))
            if pub is None or pub > context.as_of:
                days = (context.as_of - end).days
                unpublished.append(month.strftime("%b %Y"))
            else:
                days = (pub - end).days
                if days > 31:
                    late.append(f"{month.strftime('%b %Y')} ({days} days, row {n})")
            if days > worst:
                worst, worst_month = days, month
            month = end + dt.timedelta(days=1)
        if worst_month is None:
            raise NotEvidenced(f"no month of the period has ended by {context.as_of}")
        detail = (f"{body} spend files: worst delay {worst} days after month end "
                  f"({worst_month.strftime('%b %Y')})")
        if unpublished:
            detail += f"; not published by {context.as_of}: {', '.join(unpublished)}"
        if late:
            detail += f"; published more than 31 days after month end: {', '.join(late)}"
        return Measurement(worst, detail, [item.ref(f"body {body}")],
                           details={"unpublished": unpublished})


class AnnualReportCoverage(Check):
    """PRSRA 2011 s.12(1)(b): the annual report reports progress on the objectives of the
    plan. The objectives are the priorities of the plan in force, read from the loaded
    catalogue (``context.duties``), not a number typed into the return; each entry of
    ``annual_report.objectives`` names one."""

    id = "plan.gov-annual-report-coverage"
    title = "Share of the plan's priorities the annual report reports progress on"
    covers = ("plan.gov-06-annual-report-coverage/objectives-covered",)
    reads = (RETURN,)

    def run(self, requirement, evidence, context):
        item = evidence.item(RETURN)
        listed = [str(o) for o in evidence.value(f"{RETURN}.annual_report.objectives")]
        plans = plan_commitments(context.duties.values(), organisation=context.organisation,
                                 period_end=context.period_end)
        priorities = sorted({c.priority for p in plans.values() for c in p.commitments
                             if c.objective and c.priority != "unassigned"})
        if not priorities:
            raise NotEvidenced(
                f"no plan catalogue loaded for {context.organisation} is in force by "
                f"{context.period_end}, so its objectives are not known; the return lists "
                f"{len(listed)} objective(s), which cannot be checked against a plan")
        named = {_slug(o): o for o in listed}
        covered = [p for p in priorities if p in named]
        missing = [p for p in priorities if p not in named]
        other = [o for k, o in named.items() if k not in priorities]
        detail = (f"{len(covered)} of the {len(priorities)} priorities of plan "
                  f"{', '.join(sorted(plans))} have a section")
        if missing:
            detail += f"; no section on: {', '.join(missing)}"
        if other:
            detail += f"; listed but not a priority of the plan: {'; '.join(other)}"
        stated = item.data["annual_report"]
        if "objectives_covered" in stated and "objectives_total" in stated and \
                (stated["objectives_covered"], stated["objectives_total"]) != \
                (len(covered), len(priorities)):
            detail += (f"; the return states {stated['objectives_covered']} of "
                       f"{stated['objectives_total']}, which does not match")
        return Measurement(round(100 * len(covered) / len(priorities), 1), detail,
                           [item.ref("annual_report.objectives")])


def _slug(text: str) -> str:
    """'Protecting People (000 L113)' -> 'protecting-people': the name, not its citation."""
    name = text.split(" (", 1)[0]
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class MeetingsHeld(Check):
    """Meetings of a body (params: body) held in the reporting period. Scheduled meetings
    are not evidence that a meeting took place; with no dated meeting in the period the
    requirement is Not evidenced rather than Red. Where the body needs a quorum
    (params: quorum_required), a held meeting with no quorum recorded is unknown, never
    assumed quorate: if any is, the count is Not evidenced and names them."""

    id = "plan.gov-meetings-held"
    title = "Quorate meetings of a governance body held in the period"
    covers = ("plan.gov-16-jac-meetings/meetings-held",
              "plan.gov-performance-board/meetings-held")
    reads = (RETURN,)

    def run(self, requirement, evidence, context):
        body = str(requirement.param("body"))
        item = evidence.item(RETURN)
        meetings = [m for m in (item.data.get("meetings") or []) if m["body"] == body]
        inside = [m for m in meetings
                  if context.period_start <= _date(m["date"]) <= context.period_end]
        if not inside:
            later = sorted(m["date"] for m in meetings)
            raise NotEvidenced(f"the return records no {body} meeting dated in the period "
                               f"{context.period_start} to {context.period_end}"
                               + (f" (it records {', '.join(later)}, outside the period)"
                                  if later else ""))
        quorum = bool(requirement.param("quorum_required")) if "quorum_required" in (
            requirement.spec.get("params") or {}) else True
        past = [m for m in inside if m["status"] == "held"
                and _date(m["date"]) <= context.as_of]
        held = [m for m in past if not quorum or m.get("quorate") is True]
        unknown = [m for m in past if quorum and "quorate" not in m]
        other = [f"{m['date']} ({m['status']}"
                 + (", not quorate)" if m.get("quorate") is False and quorum else ")")
                 for m in inside if m not in held and m not in unknown]
        dates = ", ".join(sorted(m["date"] for m in held)) or "none"
        what = "quorate " if quorum else ""
        detail = f"{len(held)} {what}{body} meeting(s) held in the period: {dates}"
        if other:
            detail += f"; not counted: {', '.join(other)}"
        if unknown:
            raise NotEvidenced(
                f"{detail}; {len(unknown)} held meeting(s) have no quorum recorded "
                f"({', '.join(sorted(m['date'] for m in unknown))}), and a meeting is never "
                "assumed quorate: record quorate: true or false for each")
        return Measurement(len(held), detail, [item.ref("meetings")])


def _month_end(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


GOVERNANCE_CHECKS = (PlanIssued, PlanContents, DocumentTiming, SpendPublication,
                     AnnualReportCoverage, MeetingsHeld)

"""Checks that need more than a declarative rule: working-day and calendar-month
arithmetic, the statutory forwarding test and row-level consistency. Each reads its
evidence through the Table API and cites rows by number, never by value."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from dutycheck import Check, Measurement, Rating, Verdict, rows_note

REGISTER = "complaint_review_register"
DELAY_LOG = "investigation_delay_log"
DECIDED = "outcome IN ('upheld', 'not_upheld')"


class IopcCasesHandled(Check):
    """Sch.3 para 32: where the IOPC is the review body the PCC must forward the
    application and tell the applicant; it must not decide the review itself."""

    id = "complaints.iopc-cases-handled"
    title = "Applications for which the IOPC is the review body are forwarded, not decided"
    covers = ("complaints.review-body-allocation/iopc-cases-forwarded",)
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        t = item.table
        total = t.count("review_body = 'iopc'")
        problems, cited = [], []
        for what, where in (("decided by the OPCC", DECIDED),
                            ("not forwarded", "forwarded_date IS NULL"),
                            ("without the applicant told", "applicant_notified_date IS NULL")):
            where = f"review_body = 'iopc' AND {where}"
            found = t.matching(where)
            if found:
                problems.append(f"{found.count} {what}" + found.note())
                cited += found.rows
        refs = [item.ref()]
        if problems:
            return Verdict(Rating.RED, f"{requirement.title}: of {total} IOPC-review-body "
                           "applications, " + "; ".join(problems) + ".", value=total,
                           evidence=[item.ref(rows=cited)])
        if total == 0:
            return Verdict(Rating.GREEN, f"{requirement.title}: no application in the period "
                           "had the IOPC as review body.", value=0, evidence=refs)
        return Verdict(Rating.GREEN, f"{requirement.title}: all {total} were forwarded to the "
                       "IOPC with the applicant told, and none was decided by the OPCC.",
                       value=total, evidence=refs)


class LateApplicationsAccepted(Check):
    """Reg 29: an application must be made within 28 days of the outcome information;
    a late application the OPCC still decided needs a recorded reason."""

    id = "complaints.late-applications"
    title = "Reviews decided although applied for after the 28-day window"
    covers = ("complaints.application-in-time/late-applications-decided",)
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        window = int(requirement.param("application_window_days"))
        where = (f"{DECIDED} AND outcome_letter_date IS NOT NULL AND "
                 f"received_date > outcome_letter_date + {window}")
        late = item.table.matching(where)
        detail = (f"{late.count} decided review(s) were applied for more than {window} days "
                  "after the outcome letter" + late.note() + ".")
        return Measurement(late.count, detail, [item.ref(rows=late)])


class AcknowledgementTimeliness(Check):
    id = "complaints.acknowledgement-timeliness"
    title = "Share of applications acknowledged within the target in working days"
    covers = ("complaints.acknowledgement/acknowledged-within-target",)
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        days = int(requirement.param("target_working_days"))
        total = item.table.count()
        if total == 0:
            return Measurement(None, "the register has no applications")
        on_time = item.table.count("acknowledged_date IS NOT NULL AND "
                                   f"working_days(received_date, acknowledged_date) <= {days}")
        missing = item.table.count("acknowledged_date IS NULL")
        return Measurement(100.0 * on_time / total,
                           f"{on_time} of {total} acknowledged within {days} working days; "
                           f"{missing} with no acknowledgement date.", [item.ref()])


class CompletionTime(Check):
    id = "complaints.completion-time"
    title = "Working days from application to review decision"
    covers = ("complaints.review-timeliness/median-working-days",
              "complaints.review-timeliness/long-running-share")
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        t = item.table
        decided = f"{DECIDED} AND decision_date IS NOT NULL"
        n = t.count(decided)
        if n == 0:
            return Measurement(None, "no decided reviews in the register")
        if requirement.id == "median-working-days":
            median = t.scalar("SELECT median(working_days(received_date, decision_date)) "
                              f"FROM {{table}} WHERE {decided}")
            return Measurement(float(median), f"Median over {n} decided reviews.",
                               [item.ref()])
        limit = int(requirement.param("long_running_working_days"))
        over = t.count(f"{decided} AND working_days(received_date, decision_date) > {limit}")
        return Measurement(100.0 * over / n, f"{over} of {n} decided reviews took more than "
                           f"{limit} working days.", [item.ref()])


class ForceResponse(Check):
    id = "complaints.force-response"
    title = "Recommendations answered by the force within the response period"
    covers = ("complaints.force-responses/responded-in-time",)
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        days = int(requirement.param("response_days"))
        t = item.table
        made = t.count("recommendation_made")
        if made == 0:
            return Measurement(None, "no recommendations were made in the period")
        # A recommendation counts once it is answered or its response period has ended.
        considered = t.count(f"recommendation_made AND (force_response_date IS NOT NULL OR "
                             f"decision_date + {days} <= ?)", [context.as_of])
        if considered == 0:
            return Measurement(None, f"none of the {made} recommendations is due a response "
                               "yet")
        in_time = t.count(f"recommendation_made AND force_response_date IS NOT NULL AND "
                          f"force_response_date <= decision_date + {days}")
        pending = made - considered
        return Measurement(100.0 * in_time / considered,
                           f"{in_time} of {considered} recommendations answered within {days} "
                           "days" + (f"; {pending} not yet due" if pending else "") + ".",
                           [item.ref()])


class BodyAndOutcomeAgree(Check):
    """A row whose outcome and review body contradict each other makes the register's
    counts untrustworthy whichever field is wrong, so it is a data-quality finding: an
    application passed to the IOPC must have the IOPC as review body, and one with the IOPC
    as review body can only be passed to it, still open, or withdrawn."""

    id = "complaints.body-and-outcome-agree"
    title = "Review body and outcome agree on every application"
    covers = ("complaints.review-body-allocation/register-body-and-outcome-agree",)
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        t = item.table
        rules = (("passed to the IOPC but with the PCC as review body",
                  "outcome = 'passed_to_iopc' AND review_body <> 'iopc'"),
                 ("with the IOPC as review body but an outcome other than passed to the "
                  "IOPC, open or withdrawn",
                  "review_body = 'iopc' AND outcome NOT IN ('passed_to_iopc', 'open', "
                  "'withdrawn')"))
        problems, cited, n = [], [], 0
        for what, where in rules:
            found = t.matching(where)
            if found:
                problems.append(f"{found.count} {what}" + found.note())
                cited += found.rows
                n += found.count
        if not n:
            return Measurement(0, f"All {t.count()} applications record a review body that "
                               "fits their outcome.", [item.ref()])
        return Measurement(n, "Data quality: " + "; ".join(problems) + ". Either the review "
                           "body or the outcome is wrong on each, so the counts by outcome "
                           "cannot be relied on until they are corrected.",
                           [item.ref(rows=sorted(cited), total=n)])


class LongRunningUnexplained(Check):
    """CMP-05's Red trigger: a review running longer than the limit (six calendar months by
    default) with no reason recorded. An open review counts once the limit has passed by
    the register's own date, the last day it speaks for."""

    id = "complaints.long-running-unexplained"
    title = "Reviews running past the limit without a recorded reason"
    covers = ("complaints.review-timeliness/over-limit-without-reason",)
    reads = (REGISTER,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REGISTER)
        t = item.table
        months = int(requirement.param("limit_months"))
        until = min(item.effective_date, context.as_of)
        limit = f"received_date + INTERVAL {months} MONTH"
        over = (f"(({DECIDED} AND decision_date > {limit}) OR "
                f"(outcome = 'open' AND decision_date IS NULL AND ? > {limit}))")
        unexplained = t.matching(f"{over} AND nullif(trim(delay_reason), '') IS NULL", [until])
        explained = t.count(f"{over} AND nullif(trim(delay_reason), '') IS NOT NULL", [until])
        detail = (f"{unexplained.count} decided or open review(s) ran over {months} months "
                  "with no reason recorded" + unexplained.note()
                  + (f"; {explained} more ran over with a reason recorded" if explained else "")
                  + f" (open reviews judged at the register's date, {until}).")
        return Measurement(unexplained.count, detail, [item.ref(rows=unexplained)])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or that month's last day."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DelayNotifications(Check):
    """Reg 13 (and Conduct Regs reg 19): for an investigation not completed within 12
    months, and each further six months, the force must give the PCC written information
    "as soon as practicable after the end of that period". Each such period ending in the
    reporting period is matched to the first notification received on or after its end and
    before the next period ends; then whether it came in time, and was discussed."""

    id = "complaints.delay-notifications"
    title = "Delay notifications due in the period: received in time, and discussed"
    covers = ("complaints.overdue-investigations/notifications-received",
              "complaints.overdue-investigations/notifications-discussed")
    reads = (DELAY_LOG,)

    def run(self, requirement, evidence, context):
        item = evidence.item(DELAY_LOG)
        first = int(requirement.param("first_period_months"))
        then = int(requirement.param("further_period_months"))
        rows = item.table.query("SELECT __row, investigation_ref, started_date, "
                                "completed_date, notification_date, discussed_date "
                                "FROM {table} ORDER BY __row")
        matched = self._match(rows, first, then, context)
        if requirement.id == "notifications-received":
            return self._received(requirement, item, matched, context)
        return self._discussed(requirement, item, matched, context)

    @staticmethod
    def _match(rows: list[Any], first: int, then: int, context) -> list[dict[str, Any]]:
        """Every period end in the reporting period, with its notification row (or None)."""
        by_ref: dict[str, list[Any]] = {}
        for row in rows:
            by_ref.setdefault(str(row[1]).strip(), []).append(row)
        found = []
        for group in by_ref.values():
            start = min(r[2] for r in group)
            done = max((r[3] for r in group if r[3] is not None), default=None)
            notes = sorted((r[4], r[0], r[5]) for r in group
                           if r[4] is not None and r[4] <= context.as_of)
            k = 0
            while True:
                end = add_months(start, first + then * k)
                if end > min(context.period_end, context.as_of) or (done and done < end):
                    break
                nxt = add_months(start, first + then * (k + 1))
                note = next((n for n in notes if end <= n[0] < nxt), None)
                if end >= context.period_start:
                    found.append({"end": end, "first_row": group[0][0], "note": note})
                k += 1
        return found

    @staticmethod
    def _received(requirement, item, matched, context) -> Measurement:
        days = int(requirement.param("practicable_days"))
        due = [m for m in matched if m["end"] + dt.timedelta(days=days) <= context.as_of]
        if not due:
            return Measurement(0, "No investigation reached 12 months, or a further six "
                               f"months, in the period more than {days} days before the "
                               "assessment date.", [item.ref()])
        missing = [m["first_row"] for m in due if m["note"] is None]
        late = [m["note"][1] for m in due
                if m["note"] is not None and m["note"][0] > m["end"] + dt.timedelta(days=days)]
        detail = (f"Of {len(due)} notification(s) due, {len(missing)} not received"
                  + rows_note(sorted(set(missing)), "investigations") + f" and {len(late)} "
                  f"received more than {days} days after the period ended"
                  + rows_note(sorted(late)) + ".")
        return Measurement(len(missing) + len(late), detail,
                           [item.ref(rows=sorted(set(missing + late)))])

    @staticmethod
    def _discussed(requirement, item, matched, context) -> Measurement:
        days = int(requirement.param("discussion_days"))
        received = [m["note"] for m in matched if m["note"] is not None
                    and m["note"][0] + dt.timedelta(days=days) <= context.as_of]
        if not received:
            return Measurement(0, "No notification received for the period was due for "
                               "discussion by the assessment date.", [item.ref()])
        undiscussed = sorted(n[1] for n in received if n[2] is None
                             or not n[0] <= n[2] <= n[0] + dt.timedelta(days=days))
        return Measurement(len(undiscussed), f"{len(received) - len(undiscussed)} of "
                           f"{len(received)} notification(s) were discussed at an "
                           f"accountability meeting within {days} days"
                           + rows_note(undiscussed, "not discussed in time") + ".",
                           [item.ref(rows=undiscussed)])


CHECKS = (IopcCasesHandled, LateApplicationsAccepted, AcknowledgementTimeliness,
          CompletionTime, ForceResponse, BodyAndOutcomeAgree, LongRunningUnexplained,
          DelayNotifications)

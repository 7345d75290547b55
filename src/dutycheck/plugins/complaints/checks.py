"""Checks that need more than a declarative rule: working-day arithmetic, the
statutory forwarding test and row-level consistency. Each reads its
evidence through the Table API and cites rows by number, never by value."""

from __future__ import annotations

from dutycheck import Check, Measurement, Rating, Verdict

REGISTER = "complaint_review_register"
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


CHECKS = (IopcCasesHandled, LateApplicationsAccepted, AcknowledgementTimeliness,
          CompletionTime, ForceResponse, BodyAndOutcomeAgree)

"""Checks the declarative requirement kinds cannot express: the statutory threshold test,
reviews owed against reviews carried out, and working-day timeliness."""

from __future__ import annotations

from dutycheck import Check, Measurement, Rating, Verdict, rows_note

from .kinds import REGISTER

R = REGISTER.name
DECIDED = "threshold_decision IN ('met', 'not_met') AND threshold_decision_date IS NOT NULL"


class ThresholdApplied(Check):
    """s.104(4): where an application is made and at least three (or the locally
    specified number of) qualifying complaints have been made, the relevant bodies
    *must* decide that the threshold is met."""

    id = "asb.threshold-applied"
    title = "No application with enough qualifying complaints was refused a review"
    covers = ("asb.case-reviews/threshold-applied",)
    reads = (R,)

    def run(self, requirement, evidence, context):
        item = evidence.item(R)
        t = item.table
        n = int(requirement.param("qualifying_complaints"))
        decided = t.count("threshold_decision IN ('met', 'not_met')")
        where = "threshold_decision = 'not_met' AND qualifying_complaints >= ?"
        k = t.count(where, [n])
        if k:
            refused = t.rows_where(where, [n])  # the first rows, cited by number only
            return Verdict(Rating.RED, f"{requirement.title}: {k} of {decided} decided "
                           f"applications had at least {n} qualifying complaints but were "
                           "decided as not meeting the threshold"
                           + rows_note(refused, total=k) + ".",
                           value=k, evidence=[item.ref(rows=refused, total=k)])
        return Verdict(Rating.GREEN, f"{requirement.title}: every one of the {decided} decided "
                       f"applications with at least {n} qualifying complaints was decided as "
                       "meeting the threshold.", value=0, evidence=[item.ref()])


class ReviewsCarriedOut(Check):
    """s.104(1): once the threshold is met the relevant bodies must carry out the review."""

    id = "asb.reviews-carried-out"
    title = "Applications meeting the threshold whose review has been carried out"
    covers = ("asb.case-reviews/reviews-carried-out",)
    reads = (R,)

    def run(self, requirement, evidence, context):
        item = evidence.item(R)
        t = item.table
        days = int(requirement.param("allow_open_working_days"))
        met = t.count("threshold_decision = 'met'")
        if met == 0:
            return Measurement(None, "no application met the threshold in the period")
        done = t.count("threshold_decision = 'met' AND review_completed_date IS NOT NULL")
        not_due = t.count("threshold_decision = 'met' AND review_completed_date IS NULL AND "
                          "working_days(threshold_decision_date, ?) <= ?",
                          [context.as_of, days])
        considered = met - not_due
        if considered == 0:
            return Measurement(None, f"all {met} reviews owed are still within {days} working "
                               "days of the threshold decision (not yet due)")
        late = ("threshold_decision = 'met' AND review_completed_date IS NULL AND "
                "(threshold_decision_date IS NULL OR "
                "working_days(threshold_decision_date, ?) > ?)")
        overdue = t.rows_where(late, [context.as_of, days])
        outstanding = t.count(late, [context.as_of, days]) if overdue else 0
        detail = f"{done} of {considered} reviews owed have been carried out"
        if not_due:
            detail += f"; {not_due} not yet due"
        detail += rows_note(overdue, "outstanding", total=outstanding)
        return Measurement(100.0 * done / considered, detail + ".",
                           [item.ref(rows=overdue, total=outstanding)])


class ThresholdDecisionTime(Check):
    id = "asb.threshold-decision-time"
    title = "Threshold decisions made within the local limit in working days"
    covers = ("asb.review-timeliness/threshold-decision-time",)
    reads = (R,)

    def run(self, requirement, evidence, context):
        item = evidence.item(R)
        t = item.table
        days = int(requirement.param("decision_working_days"))
        decided = t.count(DECIDED)
        if decided == 0:
            return Measurement(None, "no threshold decision has a date recorded")
        on_time = t.count(f"{DECIDED} AND working_days(received_date, "
                          "threshold_decision_date) <= ?", [days])
        return Measurement(100.0 * on_time / decided,
                           f"{on_time} of {decided} threshold decisions within {days} working "
                           "days of the application.", [item.ref()])


class ReviewCompletionTime(Check):
    id = "asb.review-completion-time"
    title = "Reviews carried out within the local limit after the threshold decision"
    covers = ("asb.review-timeliness/review-completion-time",)
    reads = (R,)

    def run(self, requirement, evidence, context):
        item = evidence.item(R)
        t = item.table
        days = int(requirement.param("review_working_days"))
        done = ("threshold_decision = 'met' AND review_completed_date IS NOT NULL AND "
                "threshold_decision_date IS NOT NULL")
        n = t.count(done)
        if n == 0:
            return Measurement(None, "no review has been carried out in the period")
        on_time = t.count(f"{done} AND working_days(threshold_decision_date, "
                          "review_completed_date) <= ?", [days])
        return Measurement(100.0 * on_time / n,
                           f"{on_time} of {n} reviews carried out within {days} working days "
                           "of the threshold decision.", [item.ref()])


CHECKS = (ThresholdApplied, ReviewsCarriedOut, ThresholdDecisionTime, ReviewCompletionTime)

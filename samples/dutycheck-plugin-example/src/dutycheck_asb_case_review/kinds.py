"""The evidence the ASB case review duties read: a case-level register of applications
and the annual figures the relevant bodies publish."""

from __future__ import annotations

from dutycheck import Column, StructuredKind, TabularKind

REGISTER = TabularKind(
    name="asb_case_review_register",
    title="ASB case review register (one row per application)",
    description="Every application for an ASB case review received in the period, from the "
                "single point of contact (s.104(3)); dates as YYYY-MM-DD.",
    columns=(
        Column("application_ref", "string", personal=True,
               description="The point of contact's reference for the application."),
        Column("local_authority_area", "string",
               description="The local government area whose relevant bodies received it."),
        Column("received_date", "date", description="Date the application was received."),
        Column("qualifying_complaints", "integer",
               description="Qualifying complaints made about the behaviour (s.104(4))."),
        Column("threshold_decision", "string", choices=("met", "not_met", "pending",
                                                        "withdrawn"),
               description="The relevant bodies' decision whether the threshold is met."),
        Column("threshold_decision_date", "date", required=False),
        Column("review_completed_date", "date", required=False,
               description="Date the ASB case review was carried out (its outcome sent)."),
        Column("recommendations_made", "boolean", required=False,
               description="Whether the review resulted in recommendations."),
    ),
    example_rows=({"application_ref": "ACR-0001", "local_authority_area": "Area A",
                   "received_date": "2025-01-06", "qualifying_complaints": 3,
                   "threshold_decision": "met", "threshold_decision_date": "2025-01-20",
                   "review_completed_date": "2025-02-10", "recommendations_made": "yes"},),
)


def _count(title: str) -> dict:
    return {"type": "integer", "minimum": 0, "title": title}


RETURN = StructuredKind(
    name="asb_case_review_return",
    title="ASB case review figures for the period, as published",
    description="The four figures the relevant bodies publish about ASB case reviews.",
    schema={
        "type": "object",
        "required": ["applications", "threshold_not_met", "reviews_carried_out",
                     "reviews_with_recommendations"],
        "additionalProperties": False,
        "properties": {
            "period_label": {"type": "string"},
            "applications": _count("applications for ASB case reviews"),
            "threshold_not_met": _count("times the threshold for a review was not met"),
            "reviews_carried_out": _count("ASB case reviews carried out"),
            "reviews_with_recommendations": _count("reviews that resulted in "
                                                   "recommendations"),
            "local_threshold_complaints": _count("qualifying complaints in the local "
                                                 "threshold"),
            "published_on": {"type": "string", "format": "date",
                             "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "url": {"type": "string"},
        },
    },
    example={"period_label": "2024/25", "applications": 0, "threshold_not_met": 0,
             "reviews_carried_out": 0, "reviews_with_recommendations": 0},
)

KINDS = (REGISTER, RETURN)

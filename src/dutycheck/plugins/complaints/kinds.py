"""The evidence the complaint review duties read."""

from __future__ import annotations

from dutycheck import Column, StructuredKind, TabularKind


def _n(title: str, description: str = "") -> dict:
    return {"type": "number", "minimum": 0, "title": title,
            **({"description": description} if description else {})}


REVIEW_RETURN = StructuredKind(
    name="complaint_review_return",
    title="Complaint review return (aggregate figures as stated to the Panel)",
    description="The figures the OPCC publishes about its reviews for the period, and the "
                "peer comparators it quotes. Optionally, period_label names the period as "
                "the publication does.",
    schema={
        "type": "object",
        "required": ["received", "upheld", "not_upheld", "passed_to_iopc", "invalid"],
        "additionalProperties": False,
        "properties": {
            "period_label": {"type": "string"},
            "received": {"type": "integer", "minimum": 0, "title": "review requests received"},
            "upheld": {"type": "integer", "minimum": 0, "title": "reviews upheld"},
            "not_upheld": {"type": "integer", "minimum": 0, "title": "reviews not upheld"},
            "passed_to_iopc": {"type": "integer", "minimum": 0,
                               "title": "requests passed to the IOPC as review body"},
            "invalid": {"type": "integer", "minimum": 0, "title": "invalid requests"},
            "upheld_rate_percent": _n("stated upheld rate (% of valid reviews)"),
            "msg_upheld_rate_percent": _n("Most Similar Group upheld rate (%)",
                                          "The peer OPCCs' rate, for the CMP-06 signal."),
            "mean_days": _n("stated mean days to complete a review"),
            "msg_mean_days": _n("Most Similar Group mean days"),
            "national_mean_days": _n("national mean days"),
            "days_basis": {"enum": ["calendar", "working"],
                           "description": "Whether the stated day counts are calendar or "
                                          "working days."},
            "previous_year": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "received": {"type": "integer", "minimum": 0,
                                 "title": "previous year's requests received"},
                    "upheld_rate_percent": _n("previous year's upheld rate (%)"),
                },
            },
        },
    },
    # No period_label: `dutycheck init` writes this verbatim into a bundle of any year, and
    # the bundle's own period.label already names the period.
    example={"received": 0, "upheld": 0, "not_upheld": 0, "passed_to_iopc": 0, "invalid": 0,
             "upheld_rate_percent": 0, "msg_upheld_rate_percent": 0, "mean_days": 0,
             "msg_mean_days": 0, "national_mean_days": 0, "days_basis": "calendar"},
)

REVIEW_REGISTER = TabularKind(
    name="complaint_review_register",
    title="Complaint review register (one row per review application)",
    description="Case-level record of review applications; dates as YYYY-MM-DD.",
    columns=(
        Column("case_ref", "string", description="The OPCC's case reference.", personal=True),
        Column("received_date", "date", description="Date the application was received."),
        Column("outcome_letter_date", "date", required=False,
               description="Date the force gave the complainant the complaint outcome "
                           "(starts the 28-day application window, reg 29)."),
        Column("acknowledged_date", "date", required=False),
        Column("review_body", "string", choices=("pcc", "iopc"),
               description="Relevant review body under reg 32."),
        Column("reg32_screened", "boolean",
               description="Whether the reg 32 (a)-(f) test was recorded."),
        Column("forwarded_date", "date", required=False,
               description="IOPC cases: date forwarded to the IOPC (Sch.3 para 32)."),
        Column("applicant_notified_date", "date", required=False,
               description="IOPC cases: date the applicant was told (Sch.3 para 32)."),
        Column("outcome", "string",
               choices=("upheld", "not_upheld", "passed_to_iopc", "invalid", "withdrawn",
                        "open")),
        Column("decision_date", "date", required=False),
        Column("recommendation_made", "boolean", required=False),
        Column("force_response_date", "date", required=False),
        Column("delay_reason", "string", required=False, personal=True,
               description="Why a review ran past the long-running limit (six months by "
                           "default, CMP-05), if it did. Free text: counted, never reported."),
    ),
)

DELAY_LOG = TabularKind(
    name="investigation_delay_log",
    title="Investigation delay notifications (one row per notification received, or per "
          "investigation with none)",
    description="Investigations not completed within 12 months, and the written information "
                "the force gave the PCC for each 12-month and further six-month period "
                "(Complaints and Misconduct Regs 2020 reg 13; Conduct Regs 2020 reg 19). "
                "Dates as YYYY-MM-DD.",
    columns=(
        Column("investigation_ref", "string", personal=True,
               description="The force's investigation reference; repeat it on each "
                           "notification's row."),
        Column("started_date", "date",
               description="Date the investigation began; the 12 months run from here."),
        Column("completed_date", "date", required=False,
               description="Date the investigation was completed, if it has been."),
        Column("notification_date", "date", required=False,
               description="Date the PCC received the written information for one period; "
                           "blank on an investigation's only row if none was received."),
        Column("discussed_date", "date", required=False,
               description="Date the notification was discussed at a PCC accountability "
                           "meeting."),
    ),
)

KINDS = (REVIEW_RETURN, REVIEW_REGISTER, DELAY_LOG)

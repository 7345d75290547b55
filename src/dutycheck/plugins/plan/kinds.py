"""The evidence the plan and governance duties read.

The delivery tracker is what OPCCs keep (one row per plan commitment); the governance
return collects the dated facts about the plan, the annual report, the Joint Audit
Committee and the boards that a governance officer already has to hand. Publication logs
are tabular because they grow by a row per month or decision.
"""

from __future__ import annotations

from dutycheck import Column, StructuredKind, TabularKind

STATUSES = ("not-started", "on-track", "at-risk", "off-track", "delivered")

DELIVERY_TRACKER = TabularKind(
    name="plan_delivery_tracker",
    title="Police and Crime Plan delivery tracker (one row per commitment)",
    description="As the OPCC keeps it (CSV or XLSX): the commitment's reference as the plan "
                "catalogue tags it (commitment:1.1.1), the owner's status and RAG, the date of "
                "the latest update, the evidence it rests on, and the next milestone.",
    columns=(
        Column("commitment_id", "string",
               description="The plan's commitment reference, e.g. 1.1.1 (the duty's "
                           "`commitment:` tag)."),
        Column("status", "string", choices=STATUSES,
               description="Delivery status as reported by the owner."),
        Column("last_update", "date", description="Date of the owner's latest update."),
        Column("rag", "string", required=False, choices=("green", "amber", "red"),
               description="RAG as reported by the owner (self-assessment)."),
        Column("owner", "string", required=False, description="Owner as the tracker records "
                                                              "it (PCC, force, joint)."),
        Column("update_text", "string", required=False,
               description="The owner's update. Never quoted in reports."),
        Column("evidence_ref", "string", required=False,
               description="Where the evidence for the update can be read (paper, minute, "
                           "page)."),
        Column("milestone", "string", required=False,
               description="The next milestone (for several, use plan_milestones)."),
        Column("milestone_due", "date", required=False, description="When it is due."),
        Column("milestone_done", "boolean", required=False,
               description="Whether the milestone has been met."),
    ),
    example_rows=(
        {"commitment_id": "1.1.1", "status": "on-track", "last_update": "2025-09-16",
         "rag": "green", "owner": "joint", "update_text": "Update presented to the board.",
         "evidence_ref": "Performance and Delivery Board notes, 16 September 2025",
         "milestone": "", "milestone_due": "", "milestone_done": ""},
    ),
)


MILESTONE_LOG = TabularKind(
    name="plan_milestones",
    title="Police and Crime Plan delivery milestones (one row per milestone)",
    description="Any number of dated milestones per commitment, as a delivery plan lists "
                "them (CSV, or a sheet of the tracker's workbook). A milestone past its due "
                "date on the file's effective date and not marked done makes an on-track "
                "commitment Amber and a not-started one Red.",
    columns=(
        Column("commitment_id", "string",
               description="The plan's commitment reference (the duty's `commitment:` tag)."),
        Column("milestone", "string", description="What is to be delivered."),
        Column("due", "date", description="When it is due."),
        Column("done", "boolean", required=False,
               description="Whether it has been met; blank is not recorded as met."),
        Column("evidence_ref", "string", required=False,
               description="Where its completion can be read."),
    ),
    example_rows=(
        {"commitment_id": "1.2.4", "milestone": "Interventions funded beyond March 2026",
         "due": "2026-03-31", "done": "", "evidence_ref": ""},
    ),
)


def _date(title: str) -> dict:
    return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "title": title}


def _count(title: str) -> dict:
    return {"type": "integer", "minimum": 0, "title": title}


S7_ELEMENTS = ("police_and_crime_objectives", "policing_to_be_provided", "resources_provided",
               "chief_constable_reporting", "performance_measurement",
               "crime_and_disorder_grants")

_S7_ELEMENT = {
    "type": "object", "required": ["present"], "additionalProperties": False,
    "properties": {"present": {"type": "boolean"},
                   "where": {"type": "string", "description": "Where the plan covers it."}},
}

_MEETING = {
    "type": "object", "required": ["body", "date", "status"], "additionalProperties": False,
    "properties": {
        "body": {"enum": ["joint-audit-committee", "performance-and-delivery-board"]},
        "date": _date("meeting date"),
        "status": {"enum": ["held", "scheduled", "cancelled"]},
        "quorate": {"type": "boolean",
                    "description": "Omit if not known: a meeting with no quorum recorded "
                                   "is not counted as quorate."},
        "source": {"type": "string"},
    },
}

GOVERNANCE_RETURN = StructuredKind(
    name="pcc_governance_return",
    title="PCC governance return (plan, annual report, Joint Audit Committee, boards)",
    description="Dated facts about the PCC's own statutory governance, each citing where it "
                "can be checked. Omit what is not known: a missing field is Not evidenced, "
                "never assumed.",
    schema={
        "type": "object", "additionalProperties": False,
        "properties": {
            "plan": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "title": {"type": "string"},
                    "election_date": _date("PCC election date"),
                    "election_financial_year_end": _date(
                        "end of the financial year in which the PCC was elected"),
                    "issued_on": _date("date the plan was issued"),
                    "s7_elements": {
                        "type": "object", "additionalProperties": False,
                        "properties": {k: _S7_ELEMENT for k in S7_ELEMENTS},
                    },
                },
            },
            "annual_report": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    # Stated counts, kept so older returns load; GOV-06 is computed from
                    # `objectives` against the plan catalogue, and says if they disagree.
                    "objectives_total": _count("plan objectives in the year (stated)"),
                    "objectives_covered": _count("plan objectives the annual report reports "
                                                 "progress on (stated)"),
                    "panel_recommendations_made": _count("Panel recommendations on the "
                                                         "annual report"),
                    "panel_recommendations_answered": _count("Panel recommendations the PCC "
                                                             "answered publicly"),
                    "objectives": {
                        "type": "array", "items": {"type": "string"},
                        "description": "The plan priorities the report has a section on, "
                                       "by the catalogue's priority tag or name "
                                       "('protecting-people' or 'Protecting People'); a "
                                       "citation in brackets after it is ignored."},
                },
            },
            "jac": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "arrangement": {"enum": ["combined-independent", "separate-independent",
                                             "not-independent", "none"],
                                    "title": "audit committee arrangement"},
                    "members": _count("audit committee members"),
                    "independent_members": _count("independent audit committee members"),
                    "stated_frequency": {"type": "string"},
                },
            },
            "meetings": {"type": "array", "items": _MEETING},
            "sio": {
                "type": "object", "additionalProperties": False,
                "properties": {"prominence_clicks": _count(
                    "clicks from the home page to the 7A-7C information")},
            },
            "internal_audit": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "high_priority_open": _count("high-priority audit actions open"),
                    "high_priority_overdue": _count("high-priority audit actions overdue"),
                },
            },
            "sources": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    example={"plan": {"election_date": "2024-05-02", "election_financial_year_end":
                      "2025-03-31", "issued_on": "2025-03-31"},
             "jac": {"arrangement": "combined-independent", "members": 5,
                     "independent_members": 5},
             "meetings": [{"body": "joint-audit-committee", "date": "2024-06-12",
                           "status": "held", "quorate": True}]},
)

SPEND_LOG = TabularKind(
    name="pcc_spend_publication_log",
    title="Publication log of monthly spend over £500 (PCC and force)",
    description="One row per body and month: when the month's file of expenditure over £500 "
                "was published (blank if not yet).",
    columns=(
        Column("body", "string", choices=("pcc", "force")),
        Column("month", "date", description="First day of the month the file covers."),
        Column("published_on", "date", required=False),
        Column("url", "string", required=False),
    ),
    example_rows=({"body": "pcc", "month": "2024-04-01", "published_on": "2024-05-20",
                   "url": "https://example.org/spend-2024-04.csv"},),
)

SIO_LOG = TabularKind(
    name="pcc_sio_publication_log",
    title="Specified Information Order items found on the PCC's website",
    description="One row per item of the Elected Local Policing Bodies (Specified "
                "Information) Order 2011 Schedule (e.g. 1a, 3f, 7A, 7B, 7C): found or not.",
    columns=(
        Column("item", "string", description="The Order's paragraph, e.g. 3f or 7C."),
        Column("title", "string", required=False),
        Column("published", "boolean"),
        Column("url", "string", required=False),
        Column("checked_on", "date", required=False),
    ),
    example_rows=({"item": "7C", "title": "Complaints information", "published": "true",
                   "url": "https://example.org/complaints", "checked_on": "2025-10-01"},),
)

DECISION_LOG = TabularKind(
    name="pcc_decision_log",
    title="PCC decision log (decisions taken and when each record was published)",
    description="One row per significant decision (SIO para 5).",
    columns=(
        Column("decision_ref", "string"),
        Column("decision_date", "date"),
        Column("published_on", "date", required=False),
        Column("title", "string", required=False),
    ),
    example_rows=({"decision_ref": "001/2025", "decision_date": "2025-04-10",
                   "published_on": "2025-04-20", "title": "Example decision"},),
)

KINDS = (DELIVERY_TRACKER, MILESTONE_LOG, GOVERNANCE_RETURN, SPEND_LOG, SIO_LOG, DECISION_LOG)

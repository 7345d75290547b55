"""The evidence the Prevent duties read.

The eight benchmark names are the sections of the Home Office *Prevent duty toolkit for
local authorities* (research domain-addendum P7, basis official). Seed 004 L977 says the
toolkit's benchmarks "form the basis of the Home Office annual assurance process", but the
benchmark list and the grading scale themselves were NOT FOUND, so a return declares its own
ordinal scale and the duty maps labels to RAG through configuration.
"""

from __future__ import annotations

from typing import Any

from dutycheck import Column, StructuredKind, TabularKind

# Toolkit sections (research addendum P7): the only benchmark names a return may use.
BENCHMARKS: dict[str, str] = {
    "partnership-group": "Multi-agency partnership group",
    "risk-assessment": "Local risk assessment process",
    "partnership-plan": "Partnership plan",
    "referral-pathway": "Referral pathway",
    "channel-panel": "Channel panel",
    "training": "Training programme",
    "permissive-environments": "Reducing permissive environments",
    "communications-engagement": "Communications and engagement",
}

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_MONTH_OR_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
                  "description": "YYYY-MM-DD, or YYYY-MM where the source gives only a month"}
_YEAR = {"type": "string", "pattern": r"^\d{4}/\d{2}$", "description": "e.g. 2025/26"}


_GRADE = {
    "type": "object", "required": ["grade"], "additionalProperties": False,
    "properties": {
        "grade": {"type": "string", "minLength": 1,
                  "description": "The grade the Home Office gave."},
        "self_assessed_grade": {"type": "string", "minLength": 1},
        "evidence_summary": {"type": "string"},
        "actions": {"type": "array", "items": {"type": "string"}},
    },
}


def _grades(title: str) -> dict[str, Any]:
    # Each toolkit benchmark is a named property and any other key is refused, so a
    # benchmark not in the toolkit is reported at its own line ("unknown key").
    return {
        "type": "object", "title": title,
        "properties": {key: {**_GRADE, "title": name} for key, name in BENCHMARKS.items()},
        "additionalProperties": False,
    }


ASSURANCE_RETURN = StructuredKind(
    name="prevent_assurance_return",
    title="Prevent annual assurance: the Home Office grade per toolkit benchmark",
    description="The local authority's benchmark self-assessment as graded by the Home "
                "Office. `scale` lists the grades lowest first, as the return declares "
                "them; `benchmarks` is keyed by toolkit section (" + ", ".join(BENCHMARKS)
                + "); `all_benchmarks_grade` is for a source that states one grade for "
                "every benchmarked area without listing them. When the grades come as a "
                "prevent_assurance_grades table instead, leave both out: this return then "
                "gives only the year, scale, previous year and context.",
    schema={
        "type": "object",
        "required": ["assessment_year"],
        "additionalProperties": False,
        "not": {"required": ["benchmarks", "all_benchmarks_grade"]},
        "properties": {
            "assessment_year": {**_YEAR, "title": "assessment year"},
            "graded_by": {"type": "string"},
            "completed_by": {"type": "string", "description": "Role, never a name."},
            "graded_on": _DATE,
            "scale": {"type": "array", "minItems": 2, "uniqueItems": True,
                      "items": {"type": "string", "minLength": 1},
                      "description": "The ordinal grades, lowest first."},
            "all_benchmarks_grade": {"type": "string", "minLength": 1},
            "benchmarks": _grades("grade per benchmark"),
            "previous_year": {
                "type": "object", "additionalProperties": False,
                "properties": {
                    "assessment_year": _YEAR,
                    "all_benchmarks_grade": {"type": "string", "minLength": 1},
                    "benchmarks": _grades("previous year's grade per benchmark"),
                    "stated_change": {"enum": ["uplift", "no-change", "fall"],
                                      "description": "What the source says happened, when "
                                                     "it gives no previous grades."},
                    "stated_as": {"type": "string"},
                },
            },
            "outcome_notified_to": {"type": "array", "items": {"type": "string"}},
            "share_required_with": {"type": "array", "items": {"type": "string"}},
            "priority_area": {
                "type": "object", "additionalProperties": False,
                "properties": {"designated_since": _MONTH_OR_DATE,
                               "continues_for": _YEAR},
            },
        },
    },
    example={"assessment_year": "2025/26", "graded_by": "Home Office",
             "scale": ["Not meeting", "Partially meeting", "Meeting", "Exceeding"],
             "benchmarks": {"partnership-group": {"grade": "Meeting",
                                                  "self_assessed_grade": "Meeting"}}},
)

ASSURANCE_GRADES = TabularKind(
    name="prevent_assurance_grades",
    title="Prevent annual assurance as a table: one row per toolkit benchmark (CSV or XLSX)",
    description="The same grades as a prevent_assurance_return's `benchmarks`, as a "
                "spreadsheet. `benchmark` is the toolkit key (" + ", ".join(BENCHMARKS)
                + "); a benchmark listed twice is a data-quality finding citing the rows. "
                "Put the declared scale, the previous year and the priority-area context in "
                "a prevent_assurance_return beside it (without `benchmarks`).",
    columns=(
        Column("benchmark", "string", choices=tuple(BENCHMARKS),
               description="Toolkit section key, e.g. partnership-group."),
        Column("grade", "string", description="The grade the Home Office gave."),
        Column("self_assessed_grade", "string", required=False),
        Column("evidence_summary", "string", required=False),
        Column("actions", "string", required=False),
        Column("assessment_year", "string", required=False,
               description="e.g. 2025/26; the same on every row."),
    ),
)

CAPACITY = StructuredKind(
    name="prevent_capacity",
    title="Prevent delivery capacity: funded posts, posts in post, and work described",
    description="Posts the Prevent funding provides for against posts filled, the funding "
                "change, and the delivery work a report describes with the post that does "
                "it, so a capacity loss can be set beside the grade and the narrative.",
    schema={
        "type": "object", "required": ["posts"], "additionalProperties": False,
        "properties": {
            "year": {**_YEAR, "title": "year the staffing applies to"},
            "funding_change_percent": {"type": "number", "minimum": -100,
                                       "title": "change in Home Office Prevent funding (%)"},
            "funding_change_scope": {"enum": ["national", "local"]},
            "posts": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object", "required": ["post", "posts_funded"],
                    "additionalProperties": False,
                    "properties": {
                        "post": {"type": "string", "minLength": 1},
                        "posts_funded": {"type": "integer", "minimum": 0,
                                         "description": "Posts the funding provided for "
                                                        "before any change."},
                        "in_post": {"type": "integer", "minimum": 0,
                                    "description": "Omit when the source does not say."},
                        "source": {"type": "string"},
                    },
                },
            },
            "described_work": {
                "type": "array",
                "items": {
                    "type": "object", "required": ["activity", "delivered_by"],
                    "additionalProperties": False,
                    "properties": {
                        "activity": {"type": "string", "minLength": 1},
                        "delivered_by": {"type": "string", "minLength": 1},
                        "source": {"type": "string"},
                    },
                },
            },
        },
    },
    example={"year": "2026/27", "funding_change_percent": 0,
             "posts": [{"post": "Prevent Coordinator", "posts_funded": 1, "in_post": 1}],
             "described_work": [{"activity": "Channel case management",
                                 "delivered_by": "Prevent Coordinator"}]},
)

RISK_ASSESSMENT = StructuredKind(
    name="prevent_risk_assessment",
    title="Counter Terrorism Local Profile and local risk assessment dates",
    schema={
        "type": "object", "additionalProperties": False,
        "anyOf": [{"required": ["ctlp"]}, {"required": ["local_risk_assessment"]}],
        "properties": {
            "ctlp": {"type": "object", "required": ["released"], "additionalProperties": False,
                     "properties": {"title": {"type": "string"}, "covers": {"type": "string"},
                                    "released": _MONTH_OR_DATE,
                                    "priorities": {"type": "array",
                                                   "items": {"type": "string"}}}},
            "local_risk_assessment": {"type": "object", "required": ["date"],
                                      "additionalProperties": False,
                                      "properties": {"title": {"type": "string"},
                                                     "date": _MONTH_OR_DATE}},
            "ctsra": {"type": "object", "required": ["due_to_brief"],
                      "additionalProperties": False,
                      "properties": {"due_to_brief": _DATE, "briefed_on": _DATE}},
        },
    },
    example={"ctlp": {"title": "Counter Terrorism Local Profile 2025", "released": "2026-04"},
             "ctsra": {"due_to_brief": "2026-07-01"}},
)

REFERRAL_CONTEXT = StructuredKind(
    name="prevent_referral_context",
    title="National and regional Prevent referral figures (context only, never rated)",
    schema={
        "type": "object", "additionalProperties": False,
        "properties": {
            "year": _YEAR,
            "national_referrals": {"type": "integer", "minimum": 0},
            "national_discussed_at_channel_percent": {"type": "number", "minimum": 0,
                                                      "maximum": 100},
            "national_adopted_percent": {"type": "number", "minimum": 0, "maximum": 100},
            "regional_referrals": {"type": "integer", "minimum": 0},
            "region": {"type": "string"},
        },
    },
    example={"year": "2024/25", "national_referrals": 0,
             "national_discussed_at_channel_percent": 0, "national_adopted_percent": 0},
)

_POLICY = {
    "type": "object", "required": ["in_place"], "additionalProperties": False,
    "properties": {"title": {"type": "string"}, "in_place": {"type": "boolean"},
                   "date": _DATE, "references_prevent": {"type": "boolean"},
                   "source": {"type": "string"}},
}

PERMISSIVE_POLICIES = StructuredKind(
    name="prevent_permissive_policies",
    title="Venue-hire and IT filtering policies (reducing permissive environments)",
    description="Omit a policy the evidence does not mention; say `in_place: false` only "
                "when the evidence says there is none.",
    schema={"type": "object", "additionalProperties": False, "minProperties": 1,
            "properties": {"venue_hire": _POLICY, "it_filtering": _POLICY}},
    example={"venue_hire": {"title": "Premises hire policy", "in_place": True,
                            "date": "2025-01-01", "references_prevent": True}},
)

PARTNERSHIP_MEETINGS = TabularKind(
    name="prevent_partnership_meetings",
    title="Multi-agency Prevent partnership group meetings",
    columns=(
        Column("meeting_date", "date"),
        Column("group_name", "string", description="e.g. Prevent Duty Delivery Board"),
        Column("local_authority_present", "boolean"),
        Column("police_present", "boolean"),
        Column("health_present", "boolean"),
        Column("education_present", "boolean"),
        Column("probation_present", "boolean"),
    ),
)

PARTNERSHIP_PLAN = TabularKind(
    name="prevent_partnership_plan",
    title="Prevent partnership plan actions (one row per action)",
    columns=(
        Column("action", "string"),
        Column("owner", "string", description="An organisation or role, never a name."),
        Column("due_date", "date"),
        Column("status", "string",
               choices=("complete", "on_track", "at_risk", "off_track", "not_started")),
    ),
)

CHANNEL_MEETINGS = TabularKind(
    name="channel_panel_meetings",
    title="Channel panel meetings with aggregate case counts (no case-level data)",
    columns=(
        Column("meeting_date", "date"),
        Column("chair", "string", choices=("local_authority", "police", "other"),
               description="Channel panels are chaired by the local authority (Channel duty "
                           "guidance; Home Office Prevent statistics)."),
        Column("cases_discussed", "integer"),
        Column("cases_adopted", "integer"),
        Column("attendance_recorded", "boolean"),
    ),
)

TRAINING = TabularKind(
    name="prevent_training_records",
    title="Prevent training coverage by staff group",
    columns=(
        Column("staff_group", "string"),
        Column("organisation", "string", required=False),
        Column("target_staff", "integer", description="Staff in the group who need training."),
        Column("trained_last_3_years", "integer"),
        Column("percent_trained", "number", required=False,
               description="As stated by the source, if it states one."),
        Column("compliance_monitored", "boolean"),
    ),
)

ENGAGEMENT_LOG = TabularKind(
    name="prevent_engagement_log",
    title="Prevent communications and community engagement activities",
    description="One row per activity. Give `date` where known; otherwise `year` (e.g. "
                "2025/26) when the source names the activity only by year.",
    columns=(
        Column("activity", "string"),
        Column("activity_type", "string",
               choices=("community-event", "partner-session", "briefing", "forum",
                        "newsletter", "awareness-campaign", "learning-event")),
        Column("date", "date", required=False),
        Column("year", "string", required=False),
        Column("source", "string", required=False),
    ),
)

OVERSIGHT_MEETINGS = TabularKind(
    name="prevent_oversight_meetings",
    title="PCC or Community Safety Partnership meetings and their agenda items",
    description="One row per agenda item; an item counts for Prevent only if it uses the "
                "defined Prevent vocabulary (\"Fraud Prevention Team\" does not).",
    columns=(
        Column("meeting_date", "date"),
        Column("body", "string", description="e.g. PCC Performance and Delivery Board"),
        Column("item", "string", description="Agenda item or minute heading."),
    ),
)

KINDS = (ASSURANCE_RETURN, ASSURANCE_GRADES, CAPACITY, RISK_ASSESSMENT, REFERRAL_CONTEXT,
         PERMISSIVE_POLICIES, PARTNERSHIP_MEETINGS, PARTNERSHIP_PLAN, CHANNEL_MEETINGS,
         TRAINING, ENGAGEMENT_LOG, OVERSIGHT_MEETINGS)

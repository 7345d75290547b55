"""The evidence the SPR duties read.

A force keeps its evidence of capacity and capability per threat either as one YAML
assessment per threat (``spr_threat_assessment``) or as one spreadsheet row per evidence
item (``spr_threats``, CSV or XLSX). The checks read both into the same model, so the
ratings do not depend on the form.
"""

from __future__ import annotations

from dutycheck import Column, StructuredKind, TabularKind

from .model import DIRECTIONS
from .threats import IDS

# What an evidence item may be. `narrative` is the published text only: an assertion,
# not a supporting evidence item.
EVIDENCE_TYPES = ("outcome-measure", "inspection", "exercise", "self-assessment", "scrutiny",
                  "governance", "resources", "collaboration", "named-lead")
TABLE_TYPES = EVIDENCE_TYPES + ("narrative",)
RAG = ("green", "amber", "red")

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

THREAT_ASSESSMENT = StructuredKind(
    name="spr_threat_assessment",
    title="SPR threat assessment (one per national threat)",
    description="The force's evidence of capacity and capability against one SPR 2023 "
                "threat: the published narrative, and each supporting evidence item (named "
                "lead, governance forum and its meetings, resources, regional or national "
                "collaboration, exercises, inspections, outcome measures).",
    schema={
        "type": "object",
        "required": ["threat"],
        "additionalProperties": False,
        "properties": {
            "threat": {"enum": list(IDS), "title": "SPR threat",
                       "description": "One of: " + ", ".join(IDS)},
            "period_label": {"type": "string"},
            "narrative": {"type": "string",
                          "description": "The published text about this threat (an "
                                         "assertion: it does not count as a supporting "
                                         "evidence item)."},
            "source": {"type": "string", "description": "Where the narrative is published."},
            "force_rating": {"enum": list(RAG),
                             "description": "The force's own RAG, if it gives one. Recorded "
                                            "for comparison; never used to rate."},
            "evidence": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "title"],
                    "additionalProperties": False,
                    # An outcome measure without figures is only a title. (Figures on
                    # any other item are named by the checks as not read.)
                    "if": {"properties": {"type": {"const": "outcome-measure"}}},
                    "then": {"required": ["measures"]},
                    "properties": {
                        "type": {"enum": list(EVIDENCE_TYPES)},
                        "title": {"type": "string", "minLength": 1},
                        "date": _DATE,
                        "source": {"type": "string"},
                        "measures": {
                            "type": "array",
                            "minItems": 1,
                            "description": "The figures of an outcome-measure item (at "
                                           "least one); other items' figures are not "
                                           "read.",
                            "items": {
                                "type": "object",
                                "required": ["name", "value"],
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string", "minLength": 1},
                                    "value": {"type": "number"},
                                    "previous_value": {"type": "number"},
                                    "unit": {"type": "string"},
                                    "direction": {
                                        "enum": list(DIRECTIONS),
                                        "description": "Which way is better; with a "
                                                       "previous_value, a move the other "
                                                       "way keeps the threat from Green."},
                                    "proxy": {
                                        "type": "boolean",
                                        "description": "The source calls the figure a "
                                                       "proxy for what it cannot measure."},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    example={"threat": "serious-organised-crime", "period_label": "2024/25",
             "narrative": "What the annual report says about this threat.",
             "source": "Annual report, page and line",
             "evidence": [{"type": "outcome-measure", "title": "SOC unit results",
                           "measures": [{"name": "arrests", "value": 0,
                                         "previous_value": 0,
                                         "direction": "higher-is-better"}]}]},
)

THREAT_TABLE = TabularKind(
    name="spr_threats",
    title="SPR threats register (one row per evidence item)",
    description="The same evidence as the threat assessments, kept as a spreadsheet: one "
                "row per evidence item; evidence_type 'narrative' for the published text.",
    columns=(
        Column("threat", "string", choices=IDS, description="SPR threat id."),
        Column("evidence_type", "string", choices=TABLE_TYPES),
        Column("title", "string", description="What the item is (a role, not a person's "
                                              "name, for a lead)."),
        Column("date", "date", required=False,
               description="When it happened (meeting, exercise, inspection)."),
        Column("measure", "string", required=False,
               description="Outcome measures: what is counted."),
        Column("value", "number", required=False),
        Column("previous_value", "number", required=False,
               description="The same measure for the previous year."),
        Column("unit", "string", required=False),
        Column("direction", "string", required=False, choices=DIRECTIONS,
               description="Which way is better for the measure; with a previous_value, a "
                           "move the other way keeps the threat from Green."),
        Column("proxy", "boolean", required=False,
               description="The source calls the figure a proxy for what it cannot "
                           "measure; proxies alone do not make a threat Green."),
        Column("force_rating", "string", required=False, choices=RAG,
               description="The force's own RAG; recorded, never used to rate."),
        Column("source", "string", required=False),
    ),
    example_rows=({"threat": "serious-organised-crime", "evidence_type": "outcome-measure",
                   "title": "SOC unit results", "measure": "arrests", "value": 0,
                   "previous_value": 0, "direction": "higher-is-better"},),
)

PLAN_REFERENCE = StructuredKind(
    name="spr_plan_reference",
    title="Police and crime plan: its references to the SPR",
    description="The plan in force, when it was issued, varied or reviewed, and its text "
                "about priorities and the SPR (or an explicit list of the threats it names "
                "and links to objectives).",
    schema={
        "type": "object",
        "required": ["plan_title", "issued_on"],
        "anyOf": [{"required": ["text"]}, {"required": ["threats_named"]}],
        "additionalProperties": False,
        "properties": {
            "plan_title": {"type": "string", "minLength": 1},
            "issued_on": {**_DATE, "title": "date the plan was issued"},
            "varied_on": {**_DATE, "title": "date the plan was last varied or refreshed"},
            "reviewed_on": {**_DATE, "title": "date of a documented review against the SPR "
                                              "without variation"},
            "text": {"type": "string", "minLength": 1,
                     "description": "The plan's text about its priorities and the SPR."},
            "threats_named": {"type": "array", "uniqueItems": True,
                              "items": {"enum": list(IDS)},
                              "description": "The threats the plan names and links to "
                                             "objectives (instead of searching its text)."},
            "source": {"type": "string"},
        },
    },
    example={"plan_title": "Police and Crime Plan", "issued_on": "2024-04-01",
             "text": "The Strategic Policing Requirement names ..."},
)

_GRADE = {"enum": ["Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate"]}
PEEL_AREAS = ("preventing_crime", "police_powers_and_public_treatment",
              "responding_to_the_public", "investigating_crime", "protecting_vulnerable_people",
              "managing_offenders", "disrupting_serious_organised_crime",
              "tackling_workforce_corruption", "developing_a_positive_workplace",
              "leadership_and_force_management")

PEEL_GRADES = StructuredKind(
    name="spr_peel_grades",
    title="HMICFRS PEEL graded judgements in force",
    description="The force's current PEEL graded judgements (five-point HMICFRS scale). "
                "PEEL does not grade the SPR itself; the SPR duties read the areas that "
                "touch a threat.",
    schema={
        "type": "object",
        "required": ["report", "published", "grades"],
        "additionalProperties": False,
        "properties": {
            "report": {"type": "string"},
            "published": _DATE,
            "url": {"type": "string"},
            "grades": {"type": "object", "additionalProperties": False,
                       "properties": {a: {**_GRADE, "title": "PEEL grade: "
                                          + a.replace("_", " ")} for a in PEEL_AREAS}},
        },
    },
    example={"report": "PEEL 2023-25: an inspection of ...", "published": "2023-11-17",
             "grades": {"disrupting_serious_organised_crime": "Good"}},
)

KINDS = (THREAT_ASSESSMENT, THREAT_TABLE, PLAN_REFERENCE, PEEL_GRADES)

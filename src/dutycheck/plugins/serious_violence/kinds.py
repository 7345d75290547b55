"""The evidence the Serious Violence Duty checks read.

Structured kinds carry JSON Schemas so a bundle is rejected (exit 4) before any check runs
when, for example, a percentage is given as a string. Field ``title``s are what reports
show in place of dotted paths, so every value a band can compare against has one.
"""

from __future__ import annotations

from typing import Any

from dutycheck import Column, StructuredKind, TabularKind

DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
#: A published address a reader can open: a javascript: or file: "address" proves nothing
#: was published (and must never become a link in a paper).
WEB_ADDRESS = {"type": "string", "pattern": "^https?://[^\\s]+$"}
NULLABLE_DATE = {"oneOf": [DATE, {"type": "null"}]}

#: Specified authorities (PCSC Act 2022 s.11 and Sch.1), by type. Justice = probation.
AUTHORITY_TYPES = ("police", "probation", "fire-and-rescue", "integrated-care-board",
                   "local-authority", "youth-offending-team")
#: Authorities that must be consulted on a strategy (s.8(4)).
CONSULTEE_TYPES = ("educational", "prison", "youth-custody")


def _signatory(types: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "object", "required": ["authority", "type"], "additionalProperties": False,
        "properties": {
            "authority": {"type": "string", "minLength": 1},
            "type": {"enum": list(types)},
            "signed_on": NULLABLE_DATE,
        },
    }


PARTNERSHIP = StructuredKind(
    name="sv_partnership",
    title="Serious violence partnership agreement with the specified authorities",
    description="The local partnership arrangement under PCSC Act 2022 s.8: who signed up "
                "and when, and the local definition of serious violence.",
    schema={
        "type": "object", "required": ["name", "members"], "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "agreed_on": DATE,
            "definition": {
                "type": "object", "required": ["text"], "additionalProperties": False,
                "properties": {"text": {"type": "string", "minLength": 1},
                               "agreed_on": DATE},
            },
            "members": {"type": "array", "items": _signatory(AUTHORITY_TYPES)},
        },
    },
    example={"name": "Serious Violence Board", "agreed_on": "2023-04-28",
             "definition": {"text": "Homicide, violence with injury and ...",
                            "agreed_on": "2023-04-28"},
             "members": [{"authority": "Example Police", "type": "police",
                          "signed_on": "2023-04-28"}]},
)

NEEDS_ASSESSMENT = StructuredKind(
    name="sv_needs_assessment",
    title="Serious violence strategic needs assessment (record of it)",
    description="Date and scope of the latest strategic needs assessment: whether it "
                "identifies the kinds and the causes of serious violence (s.8(3)(a)-(b)).",
    schema={
        "type": "object", "required": ["title", "date"], "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1},
            "date": DATE,
            "date_note": {"type": "string"},
            "covers_kinds": {"type": "boolean"},
            "covers_causes": {"type": "boolean"},
            "data_sources": {"type": "array", "items": {"type": "string"}},
            "url": WEB_ADDRESS,
        },
    },
    example={"title": "Serious Violence Strategic Needs Assessment", "date": "2024-01-01",
             "covers_kinds": True, "covers_causes": True,
             "data_sources": ["police recorded crime", "hospital admissions"]},
)

STRATEGY = StructuredKind(
    name="sv_strategy",
    title="Serious violence strategies for the local government areas",
    description="The local government areas the partnership covers and each published "
                "strategy: one per area (s.8) or one area-wide strategy (s.9), with its "
                "publication date, address and reviews.",
    schema={
        "type": "object", "required": ["areas", "strategies"], "additionalProperties": False,
        "properties": {
            "areas": {"type": "array", "minItems": 1, "uniqueItems": True,
                      "items": {"type": "string", "minLength": 1}},
            "strategies": {"type": "array", "items": {
                "type": "object", "required": ["title", "scope", "published_on"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "scope": {"enum": ["area-wide", "local"]},
                    "areas": {"type": "array", "items": {"type": "string"}},
                    "published_on": DATE,
                    "date_note": {"type": "string"},
                    "url": WEB_ADDRESS,
                    "reviews": {"type": "array", "items": {
                        "type": "object", "required": ["date"], "additionalProperties": False,
                        "properties": {"date": DATE, "by": {"type": "string"},
                                      "note": {"type": "string"}}}},
                },
            }},
        },
    },
    example={"areas": ["Example District"], "strategies": [
        {"title": "Serious Violence Strategy", "scope": "area-wide",
         "published_on": "2024-01-31", "url": "https://example.org/sv-strategy",
         "reviews": [{"date": "2025-01-20", "by": "Serious Violence Board"}]}]},
)

CONSULTATION = StructuredKind(
    name="sv_consultation_record",
    title="Record of consultation on the serious violence strategy (s.8(4))",
    description="Each educational, prison and youth custody authority for the area and the "
                "date it was consulted; types with no such authority in the area are listed "
                "under none_in_area.",
    schema={
        "type": "object", "required": ["consultees"], "additionalProperties": False,
        "properties": {
            "strategy_title": {"type": "string"},
            "consultees": {"type": "array", "items": {
                "type": "object", "required": ["authority", "type"],
                "additionalProperties": False,
                "properties": {"authority": {"type": "string", "minLength": 1},
                               "type": {"enum": list(CONSULTEE_TYPES)},
                               "consulted_on": NULLABLE_DATE}}},
            "none_in_area": {"type": "array", "items": {"enum": list(CONSULTEE_TYPES)}},
        },
    },
    example={"strategy_title": "Serious Violence Strategy", "consultees": [
        {"authority": "Example Academy Trust", "type": "educational",
         "consulted_on": "2023-11-01"}]},
)


def _point(measure: str, which: str) -> dict[str, Any]:
    return {
        "type": "object", "required": ["period", "end"], "additionalProperties": False,
        "properties": {
            "period": {"type": "string", "minLength": 1},
            "end": DATE,
            "value": {"type": "number", "minimum": 0, "title": f"{measure}, {which}"},
            "unit": {"type": "string"},
        },
    }


def _measure(title: str) -> dict[str, Any]:
    """One outcome measure: the period's value (``current`` also says which period a
    published change is for, so its value may be left out), the previous year's and the
    baseline's, and any percentage changes as published (checked against the numbers)."""
    return {
        "type": "object", "required": ["unit"], "additionalProperties": False,
        "title": title,
        "properties": {
            "title": {"type": "string"},
            "unit": {"type": "string", "minLength": 1},
            "family": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
                       "description": "Measures of the same thing share a family."},
            "publisher": {"type": "string", "minLength": 1,
                          "description": "Who publishes the figure (e.g. the force, the VRU, "
                                         "the NHS); only different publishers are "
                                         "cross-checked."},
            "scope": {"type": "string", "minLength": 1,
                      "description": "Who or what the figure covers (e.g. all ages, under "
                                     "18); only like-for-like scopes are cross-checked."},
            "source": {"type": "string"},
            "current": _point(title, "this period"),
            "previous": _point(title, "previous year"),
            "baseline": _point(title, "baseline"),
            "stated_change_vs_previous_percent": {
                "type": "number", "title": f"{title}: stated change on the previous year (%)"},
            "stated_change_vs_baseline_percent": {
                "type": "number", "title": f"{title}: stated change on the baseline (%)"},
        },
    }


#: Measures the built-in duties name (the VRU success measures, seed 003 L1959-L1962, the
#: sources that also report knife crime, and the national firearms measure, seed 000 L1158);
#: partners may add others under their own keys.
NAMED_MEASURES = {
    "homicides": "murders and other homicides",
    "sharp_object_admissions_u25": "under-25 hospital admissions for assault with a sharp "
                                   "object",
    "knife_sv_under_18": "knife-enabled serious violence, victims under 18",
    "knife_sv_18_24": "knife-enabled serious violence, victims aged 18-24",
    "knife_sv_all_ages": "knife-enabled serious violence, all ages",
    "knife_sharp_offences": "offences involving a knife or sharp instrument",
    "firearms_offences": "firearms offences",
}

OUTCOME_MEASURES = StructuredKind(
    name="sv_outcome_measures",
    title="Serious violence performance framework: outcome measures with comparators",
    description="Each measure's value for the period with the previous year and a baseline "
                "(e.g. year ending December 2019), as published; `family`, `scope` and "
                "`publisher` let figures for the same thing from different publishers be "
                "cross-checked. "
                "`reports` lists the dates the measures were reported to a board or panel.",
    schema={
        "type": "object", "additionalProperties": _measure("outcome measure"),
        "properties": {
            "period_label": {"type": "string"},
            "reports": {"type": "array", "items": {
                "type": "object", "required": ["title", "date"], "additionalProperties": False,
                "properties": {"title": {"type": "string"}, "date": DATE,
                               "to": {"type": "string"}}}},
            **{key: _measure(title) for key, title in NAMED_MEASURES.items()},
        },
    },
    example={"period_label": "2024/25",
             "reports": [{"title": "VRU performance report", "date": "2024-10-15",
                          "to": "Serious Violence Board"}],
             "homicides": {"unit": "homicides", "family": "homicide",
                           "publisher": "Example Police", "scope": "all ages",
                           "current": {"period": "2024/25", "end": "2025-03-31", "value": 0},
                           "previous": {"period": "2023/24", "end": "2024-03-31",
                                        "value": 0}}},
)

GRANT_SPLIT = StructuredKind(
    name="vru_grant_split",
    title="VRU core grant: share spent on Youth Endowment Fund high or moderate impact "
          "interventions",
    description="The year's core grant, the spend on interventions the YEF Toolkit rates "
                "high or moderate impact, and the share as stated.",
    schema={
        "type": "object", "required": ["period_label", "period_end"],
        "additionalProperties": False,
        "properties": {
            "period_label": {"type": "string"},
            "period_end": DATE,
            "core_grant": {"type": "number", "minimum": 0, "title": "VRU core grant (GBP)"},
            "yef_high_moderate_spend": {"type": "number", "minimum": 0,
                                        "title": "spend on YEF high/moderate impact "
                                                 "interventions (GBP)"},
            "stated_share_percent": {"type": "number", "minimum": 0, "maximum": 100,
                                     "title": "stated share of the core grant on YEF "
                                              "high/moderate impact interventions (%)"},
            "stated_as_minimum": {"type": "boolean",
                                  "description": "The share was published as a lower bound "
                                                 "(\"not less than\")."},
            "note": {"type": "string"},
        },
    },
    example={"period_label": "2024/25", "period_end": "2025-03-31", "core_grant": 0,
             "yef_high_moderate_spend": 0, "stated_share_percent": 0},
)

GRANT_DECISIONS = TabularKind(
    name="sv_grant_decisions",
    title="PCC decisions allocating serious violence (SVD and VRU) grant, with spend",
    description="One row per decision; amounts in pounds; dates as YYYY-MM-DD.",
    columns=(
        Column("decision_ref", "string", description="The PCC's decision reference."),
        Column("decision_date", "date"),
        Column("grant", "string", choices=("svd", "vru-core", "other")),
        Column("allocation", "number", description="Amount allocated (GBP)."),
        Column("spend", "number", required=False, description="Amount spent (GBP)."),
        Column("published_url", "string", required=False,
               description="Where the decision record is published."),
    ),
)

INFORMATION_SHARING = StructuredKind(
    name="sv_information_sharing_agreement",
    title="Serious violence information-sharing agreement (s.16) and its signatories",
    schema={
        "type": "object", "required": ["title", "signatories"], "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1},
            "date": DATE,
            "signatories": {"type": "array", "items": _signatory(AUTHORITY_TYPES)},
        },
    },
    example={"title": "Serious violence information-sharing agreement", "date": "2024-01-01",
             "signatories": [{"authority": "Example Police", "type": "police",
                              "signed_on": "2024-01-01"}]},
)

KINDS = (PARTNERSHIP, NEEDS_ASSESSMENT, STRATEGY, CONSULTATION, OUTCOME_MEASURES,
         GRANT_SPLIT, GRANT_DECISIONS, INFORMATION_SHARING)

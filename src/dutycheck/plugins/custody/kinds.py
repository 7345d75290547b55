"""The evidence the custody duties read.

Detention times are ``datetime`` columns (``YYYY-MM-DD HH:MM``), parsed once when the bundle
is loaded: a time that does not parse is invalid input (file, row and column), like any
other typed value. Two columns stay text: ``review_times`` (a ';'-separated list, parsed by
the checks, which count an unreadable entry as a data-quality finding, never silently) and
a visit's ``start_time`` (a time of day, ``HH:MM``).
"""

from __future__ import annotations

from dutycheck import Column, StructuredKind, TabularKind

AGE_BANDS = ("10-13", "14-15", "16-17", "18-24", "25-34", "35-49", "50-64", "65+")
CHILD_BANDS = AGE_BANDS[:3]
ETHNICITY = ("W", "M", "A", "B", "O")

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _ts(name: str, description: str, required: bool = False) -> Column:
    return Column(name, "datetime", required=required,
                  description=description + " As YYYY-MM-DD HH:MM.")


CUSTODY_SUITES = StructuredKind(
    name="custody_suites",
    title="Designated custody suites (the list visits and detentions are checked against)",
    description="Each suite the force runs in the period, and whether it was open to detainees "
                "(an active suite must be visited by ICVs).",
    schema={
        "type": "object", "required": ["suites"], "additionalProperties": False,
        "properties": {
            "suites": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object", "required": ["name"], "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string", "minLength": 1},
                        "active": {"type": "boolean", "default": True},
                        "note": {"type": "string"},
                    },
                },
            },
        },
    },
    example={"suites": [{"name": "Suite A", "active": True}]},
)

ICV_VISIT_LOG = TabularKind(
    name="icv_visit_log",
    title="Independent custody visit log (one row per visit)",
    description="Each ICV visit: suite, when, how many visitors, detainees present, offered "
                "and seen, any delay in admission, and visits to terrorist suspects.",
    columns=(
        Column("suite", "string", description="Custody suite, as named in custody_suites."),
        Column("visit_date", "date"),
        Column("start_time", "string", description="Time of arrival at the suite, HH:MM."),
        Column("visitors", "integer", description="Number of ICVs on the visit."),
        Column("detainees_present", "integer"),
        Column("detainees_offered", "integer"),
        Column("detainees_accepted", "integer",
               description="Detainees who accepted a visit (the 'engaged' figure)."),
        Column("access_delay_minutes", "integer", required=False,
               description="Minutes the visitors waited to be admitted."),
        Column("delay_reason", "string", required=False),
        Column("delay_authorised_rank", "string", required=False,
               choices=("sergeant", "inspector", "chief inspector", "superintendent",
                        "none"),
               description="Rank that authorised a delay (the Code expects Inspector+)."),
        Column("tact_detainee_visited", "boolean", required=False,
               description="A suspected terrorist detainee was visited (PRA 2002 s.51(1A))."),
        Column("tact_report_to_pcc_date", "date", required=False),
        Column("tact_report_to_irtl_date", "date", required=False,
               description="Date the report was copied to the Independent Reviewer of "
                           "Terrorism Legislation."),
        Column("issues_raised", "integer", required=False),
    ),
)

ICV_ISSUES_LOG = TabularKind(
    name="icv_issues_log",
    title="Issues raised by ICVs and the force's responses",
    description="One row per issue raised with the force; status as at the item's "
                "effective date.",
    columns=(
        Column("issue_id", "string"),
        Column("suite", "string"),
        Column("raised_date", "date"),
        Column("category", "string",
               choices=("safety", "welfare", "healthcare", "facilities", "staffing",
                        "rights", "other")),
        Column("force_response_date", "date", required=False),
        Column("status", "string", choices=("open", "closed")),
    ),
)

ICV_APPOINTMENTS = TabularKind(
    name="icv_appointments",
    title="ICV appointment register (one row per visitor; no names)",
    description="Appointment, interview, independence declaration and training of each ICV.",
    columns=(
        Column("icv_ref", "string", personal=True, description="Scheme reference, not a name."),
        Column("appointed_on", "date"),
        Column("status", "string", choices=("active", "left")),
        Column("interviewed", "boolean"),
        Column("independence_declared", "boolean",
               description="Signed declaration of no police/OPCC connection (s.51(2))."),
        Column("conflict_identified", "boolean", required=False,
               description="Serving officer or staff, or PCC office holder."),
        Column("initial_training_on", "date", required=False),
        Column("first_visit_on", "date", required=False),
    ),
)

ICV_SCHEME = StructuredKind(
    name="icv_scheme_record",
    title="ICV scheme record: review of arrangements, panel meetings, QAF level",
    schema={
        "type": "object", "additionalProperties": False,
        "properties": {
            "arrangements_reviewed_on": {**_DATE, "title": "date the arrangements were last "
                                         "reviewed"},
            "panel_meetings_held": {"type": "integer", "minimum": 0,
                                    "title": "ICV panel meetings held in the period"},
            "qaf_level": {"type": "string", "title": "ICVA Quality Assurance Framework level"},
            "qaf_awarded_on": _DATE,
            "note": {"type": "string"},
        },
    },
    example={"arrangements_reviewed_on": "2025-01-15", "panel_meetings_held": 3,
             "qaf_level": "Silver", "qaf_awarded_on": "2024-06-01"},
)

ICV_RETURN = StructuredKind(
    name="icv_annual_return",
    title="ICV figures as published (visitors, visits, detainees engaged)",
    schema={
        "type": "object", "required": ["visits", "detainees_engaged"],
        "additionalProperties": False,
        "properties": {
            "icvs": {"type": "integer", "minimum": 0, "title": "ICVs stated"},
            "visits": {"type": "integer", "minimum": 0, "title": "visits stated"},
            "detainees_engaged": {"type": "integer", "minimum": 0,
                                  "title": "detainees engaged stated"},
        },
    },
    example={"icvs": 0, "visits": 0, "detainees_engaged": 0},
)

THEMES = ("strip-search", "use-of-force", "children", "anti-rip-clothing", "disproportionality")

CDSP_RECORD = StructuredKind(
    name="cdsp_record",
    title="Custody Detention Scrutiny Panel: terms of reference, meetings, themes sampled",
    schema={
        "type": "object", "additionalProperties": False,
        "properties": {
            "terms_of_reference_date": _DATE,
            "meetings": {"type": "array", "items": _DATE, "title": "meeting dates"},
            "themes": {
                "type": "array",
                "items": {
                    "type": "object", "required": ["theme"], "additionalProperties": False,
                    "properties": {
                        "theme": {"enum": list(THEMES)},
                        "sampled_on": _DATE,
                        "records_sampled": {"type": "integer", "minimum": 0},
                        "blind_to_ethnicity": {"type": "boolean"},
                        "recommendations_made": {"type": "integer", "minimum": 0},
                        "recommendations_tracked": {"type": "boolean"},
                        "source": {"type": "string"},
                    },
                },
            },
            "note": {"type": "string"},
        },
    },
    example={"terms_of_reference_date": "2024-04-01", "meetings": ["2024-06-01"],
             "themes": [{"theme": "strip-search", "sampled_on": "2024-06-01",
                         "records_sampled": 20, "blind_to_ethnicity": True,
                         "recommendations_made": 1, "recommendations_tracked": True}]},
)

DSI_RETURN = StructuredKind(
    name="dsi_return",
    title="Deaths and serious injuries in custody as reported (Angiolini rec 53)",
    schema={
        "type": "object", "required": ["people_processed", "deaths", "serious_injuries"],
        "additionalProperties": False,
        "properties": {
            "people_processed": {"type": "integer", "minimum": 0,
                                 "title": "people processed through custody stated"},
            "deaths": {"type": "integer", "minimum": 0, "title": "deaths in custody stated"},
            "serious_injuries": {"type": "integer", "minimum": 0,
                                 "title": "serious injuries stated"},
            "apparent_suicides_following_custody": {"type": "integer", "minimum": 0},
        },
    },
    example={"people_processed": 0, "deaths": 0, "serious_injuries": 0},
)

DSI_LOG = TabularKind(
    name="dsi_log",
    title="Deaths and serious injuries (DSI) log (one row per incident)",
    columns=(
        Column("incident_ref", "string", personal=True),
        Column("incident_date", "date"),
        Column("suite", "string"),
        Column("category", "string",
               choices=("death", "serious-injury", "apparent-suicide-following-custody")),
        Column("iopc_referral_date", "date", required=False),
        Column("learning_actions", "integer", required=False,
               description="Learning actions recorded for the incident."),
    ),
)

INSPECTION_PLAN = TabularKind(
    name="custody_inspection_actions",
    title="HMICFRS/HMIP custody inspection: causes of concern and recommendations, with status",
    columns=(
        Column("ref", "string"),
        Column("type", "string", choices=("cause-of-concern", "recommendation",
                                           "area-for-improvement")),
        Column("published_on", "date", description="Date of the inspection report."),
        Column("due_date", "date", required=False),
        Column("status", "string", choices=("open", "on-track", "closed")),
    ),
)

DETENTIONS = TabularKind(
    name="custody_detention_record",
    title="Custody detention records (one row per detention; force custody-system extract)",
    description="Times as YYYY-MM-DD HH:MM; review_times is every s.40 review, separated by "
                "';'. Only aggregates and row numbers ever reach a report.",
    columns=(
        Column("custody_ref", "string", personal=True),
        Column("suite", "string"),
        Column("legislation", "string", choices=("pace", "tact", "other"),
               description="Power of detention; PACE review and time-limit checks read 'pace'."),
        Column("age_band", "string", choices=AGE_BANDS),
        Column("ethnicity", "string", required=False, choices=ETHNICITY,
               description="Self- or officer-defined five-group code (W, M, A, B, O); blank "
                           "when not recorded."),
        _ts("arrival_time", "Arrival at the station (the 'relevant time' for s.41).",
            required=True),
        _ts("detention_authorised_time", "Detention authorised by the custody officer.",
            required=True),
        Column("review_times", "string", required=False,
               description="Each s.40 review, YYYY-MM-DD HH:MM, separated by ';'."),
        Column("review_postponement_recorded", "boolean", required=False,
               description="A s.40(4) postponement was recorded with its reason."),
        _ts("superintendent_extension_time", "s.42 authority to detain beyond 24 hours."),
        _ts("warrant_time", "s.43 warrant of further detention (or s.44 extension)."),
        Column("charged", "boolean"),
        _ts("charge_time", "Time of charge."),
        Column("bail_refused", "boolean", required=False,
               description="Detained after charge (s.38)."),
        Column("transfer_requested", "boolean", required=False,
               description="Child: local authority accommodation requested (s.38(6))."),
        Column("transfer_completed", "boolean", required=False),
        Column("impracticability_certificate", "boolean", required=False,
               description="Child not transferred: s.38(6) certificate completed."),
        _ts("release_time", "Release, transfer or departure from the suite.", required=True),
        Column("appropriate_adult_present", "boolean", required=False),
        Column("strip_searched", "boolean"),
    ),
)

ANGIOLINI_TRACKER = TabularKind(
    name="custody_angiolini_tracker",
    title="Angiolini review (2017): the force's tracker of the recommendations, with owner "
          "and status",
    description="One row per recommendation of the 110: whether it applies to the force, the "
                "role that owns it (a role, never a name) and its status.",
    columns=(
        Column("recommendation", "integer", description="Recommendation number, 1 to 110."),
        Column("applies_to_force", "boolean",
               description="Assessed as applying to the force (or the PCC)."),
        Column("owner_role", "string", required=False,
               description="The role that owns the response, e.g. Head of Custody."),
        Column("status", "string", required=False,
               choices=("not-started", "in-progress", "complete"),
               description="Delivery status of an applicable recommendation; blank while it "
                           "is not yet assessed."),
    ),
)

KINDS = (CUSTODY_SUITES, ICV_VISIT_LOG, ICV_ISSUES_LOG, ICV_APPOINTMENTS, ICV_SCHEME,
         ICV_RETURN, CDSP_RECORD, DSI_RETURN, DSI_LOG, INSPECTION_PLAN, DETENTIONS,
         ANGIOLINI_TRACKER)

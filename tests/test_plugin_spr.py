"""The Strategic Policing Requirement plugin: behaviour cases, plugin validity, the word
traps, bad input, and the real Kent 2024/25 sample."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import dutycheck.plugins.spr as spr
from dutycheck.plugins.spr import matrix, threats
from dutycheck.testing import (
    assert_plugin_valid,
    assess,
    load_test_cases,
    run_test_case,
    write_bundle,
)

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(spr.__file__).parent / "cases"
SAMPLE = ROOT / "samples" / "kent-2024-25"
SPR_DUTIES = ["spr.chief-constable-regard", "spr.evidence-quality", "spr.hmicfrs-findings",
              "spr.holding-to-account", "spr.pcc-assurance-statement", "spr.plan-regard",
              "spr.threat-capability"]


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[spr], entry_points=False)


def test_plugin_is_valid():
    assert_plugin_valid(spr, cases=CASES)


# --- words: the threat vocabulary is not fooled ------------------------------------------

# Each trap sits beside one real threat phrase, so the test fails both if the trap word is
# taken for a threat and if matching stops finding anything at all.
@pytest.mark.parametrize("trap", [
    "Work with residents to prevent crime and anti-social behaviour",
    "Prevent road danger and support Vision Zero",
    "The Strategic Prevention Command leads on crime prevention",
    "The Channel Tunnel Policing Unit responds to underground incidents",
    "Red Traffic Light cameras were installed",
    "cybernetics; soccer; disorderly; emergency services",
])
def test_traps_name_no_threat(trap):
    assert threats.threats_named(trap) == []
    assert threats.threats_named(f"{trap}. The ROCU leads.") == ["serious-organised-crime"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Kent Prevent referrals rose", ["terrorism"]),
    ("Counter Terrorism Policing Borders", ["terrorism"]),
    ("a partnership with the ROCU", ["serious-organised-crime"]),
    ("Tackle violence against women and girls", ["vawg"]),
    ("Child SA is a priority", ["child-sexual-abuse"]),
    ("Kent and Medway Resilience Forum (KMRF)", ["civil-emergencies"]),
    ("public order and public safety mutual aid", ["public-disorder"]),
    ("cyber enabled crime investigations", ["cyber"]),
    # Hyphenated and wrapped forms, as published text writes them.
    ("Tackle cyber-crime", ["cyber"]),
    ("more resistant to cyber-attack", ["cyber"]),
    ("an anti-terrorism hotline", ["terrorism"]),
    ("organised-crime groups", ["serious-organised-crime"]),
    ("Serious and\nOrganised Crime", ["serious-organised-crime"]),
    ("large-scale disorder", ["public-disorder"]),
])
def test_vocabulary_finds_threats(text, expected):
    assert threats.threats_named(text) == expected


@pytest.mark.parametrize(("seed", "line", "expected"), [
    ("000_fd78121912d858c7.txt", 1196, ["cyber"]),  # "Tackle cyber-crime"
    ("001_c162a11e71c0f1d3.txt", 443, ["cyber"]),  # "... resistant to cyber-attack."
    # "manages serious organised crime in relation to fraud, ... and cyber-crime"
    ("003_be6a4fa3204ccbc1.txt", 1239, ["serious-organised-crime", "cyber"]),
])
def test_hyphenated_threat_words_in_the_seed_documents(seed, line, expected):
    text = (ROOT / "samples" / "sources" / seed).read_text(encoding="utf-8").splitlines()
    assert threats.threats_named(text[line - 1]) == expected


def test_soc_acronym_is_case_sensitive():
    assert threats.threats_named("SOC unit") == ["serious-organised-crime"]
    assert threats.threats_named("soc unit") == []


# --- bad input: a clear error or a data-quality finding, never a crash --------------------

def _invalid(tmp_path, items):
    folder = write_bundle(tmp_path / "b", items)
    with pytest.raises(Exception) as exc:  # noqa: PT011 - assess() raises InvalidInput (exit 4)
        assess(folder, plugins=[spr], entry_points=False)
    assert type(exc.value).__name__ == "InvalidInput"
    return str(exc.value)


def test_unknown_threat_name_is_a_clear_error(tmp_path):
    message = _invalid(tmp_path, [{"kind": "spr_threat_assessment",
                                   "data": {"threat": "Serious and Organised Crime"}}])
    assert "Serious and Organised Crime" in message and "serious-organised-crime" in message


def test_unknown_threat_in_the_spreadsheet_names_the_row(tmp_path):
    message = _invalid(tmp_path, [{"kind": "spr_threats", "rows": [
        {"threat": "vawg", "evidence_type": "narrative", "title": "ok"},
        {"threat": "fraud", "evidence_type": "narrative", "title": "not an SPR threat"}]}])
    assert "row 2" in message and "'fraud'" in message


def test_threat_listed_twice_in_a_plan_is_a_clear_error(tmp_path):
    message = _invalid(tmp_path, [{"kind": "spr_plan_reference", "data": {
        "plan_title": "Plan", "issued_on": "2024-04-01", "threats_named": ["vawg", "vawg"]}}])
    assert "threats_named" in message


@pytest.mark.parametrize("missing", ["signed_on", "signed_by"])
def test_statement_without_date_or_signatory_is_a_clear_error(tmp_path, missing):
    data = {"topic": "spr-assurance", "statement": "I am assured.",
            "signed_by": {"role": "Police and Crime Commissioner"}, "signed_on": "2025-10-14"}
    del data[missing]
    message = _invalid(tmp_path, [{"kind": "attestation", "data": data}])
    assert missing in message


def test_evidence_outside_the_period_is_a_data_quality_finding(tmp_path):
    folder = write_bundle(tmp_path / "b", [{"kind": "spr_threats", "rows": [
        {"threat": "cyber", "evidence_type": "exercise", "title": "Cyber exercise",
         "date": "2025-06-01"}]}])
    a = assess(folder, plugins=[spr], entry_points=False)
    finding = a.finding("spr.threat-capability/cyber")
    assert finding["rating"] == "Not evidenced"
    assert "outside the period" in finding["reason"]
    quality = a.finding("spr.evidence-quality/countable-evidence")
    assert (quality["rating"], quality["value"]) == ("Amber", 1)
    assert "'Cyber exercise' (spr_threats.csv row 1) was not counted: dated 2025-06-01" \
        in quality["reason"]


@pytest.mark.parametrize("measures", [None, []])
def test_yaml_outcome_measure_without_figures_is_refused_with_its_place(tmp_path, measures):
    item = {"type": "outcome-measure", "title": "Results"}
    if measures is not None:
        item["measures"] = measures
    message = _invalid(tmp_path, [{"kind": "spr_threat_assessment", "file": "soc.yaml",
                                   "data": {"threat": "serious-organised-crime",
                                            "narrative": "4P.", "evidence": [item]}}])
    lines = (tmp_path / "b" / "soc.yaml").read_text(encoding="utf-8").splitlines()
    # The error points at the item (the line after "evidence": [) or at its empty measures.
    line = (lines.index('  "evidence": [') + 2 if measures is None
            else next(n for n, t in enumerate(lines, 1) if '"measures"' in t))
    assert f"soc.yaml:{line}:" in message and "$.evidence[0]" in message, message
    assert ("'measures' is required" if measures is None else "non-empty") in message


# --- one evidence set, as YAML and as XLSX, gives the same matrix -------------------------

# (threat, narrative or None, [(type, title, date, [measure dicts])]) covering every rule:
# narrative only, figures that rose, fell or are proxies, out-of-period and unreadable
# figures, a duplicate narrative, and a threat not addressed at all.
EVIDENCE = [
    ("vawg", "VAWG is a Control Strategy priority.", [
        ("outcome-measure", "Satisfaction surveys", None, [
            {"name": "of DA victims satisfied", "value": 93.4, "previous_value": 90.9,
             "unit": "%", "direction": "higher-is-better"},
            {"name": "of rape victims treated with dignity", "value": 96.6,
             "previous_value": 98.4, "unit": "%", "direction": "higher-is-better"}]),
        ("governance", "VAWG strategic board", "2024-09-12", [])]),
    ("terrorism", "Counter Terrorism Policing Borders at the port.", []),
    ("serious-organised-crime", "The 4P strategy.", [
        ("outcome-measure", "SOC unit results", None, [
            {"name": "arrests", "value": 188, "previous_value": 111,
             "direction": "higher-is-better"},
            {"name": "charges", "value": 186, "previous_value": 137,
             "direction": "higher-is-better"}]),
        ("collaboration", "ROCU partnership", None, [])]),
    ("cyber", "The Cyber Crime Unit.", [
        ("outcome-measure", "Online offences against organisations", None, [
            {"name": "offences", "value": 87, "previous_value": 70, "proxy": True}]),
        ("exercise", "Cyber exercise", "2023-06-01", [])]),
    ("child-sexual-abuse", "Child SA is a priority.", [
        ("named-lead", "Head of Public Protection", None, []),
        ("inspection", "Child protection inspection", "2024-11-20", [])]),
    ("public-disorder", "Public Order teams.", []),
    ("public-disorder", "A second account of public order.", []),
]


def _as_yaml() -> list[dict]:
    items = []
    for n, (threat, narrative, evidence) in enumerate(EVIDENCE):
        data: dict = {"threat": threat}
        if narrative:
            data["narrative"] = narrative
        if evidence:
            data["evidence"] = []
            for etype, ttl, date, measures in evidence:
                ev: dict = {"type": etype, "title": ttl}
                if date:
                    ev["date"] = date
                if measures:
                    ev["measures"] = measures
                data["evidence"].append(ev)
        items.append({"kind": "spr_threat_assessment", "id": f"a{n}", "data": data})
    return items


def _as_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    columns = ["threat", "evidence_type", "title", "date", "measure", "value",
               "previous_value", "unit", "direction", "proxy"]
    wb = Workbook()
    ws = wb.active
    ws.append(columns)
    for threat, narrative, evidence in EVIDENCE:
        if narrative:
            ws.append([threat, "narrative", "Annual report narrative"])
        for etype, ttl, date, measures in evidence:
            day = dt.date.fromisoformat(date) if date else None
            for m in measures or [{}]:
                ws.append([threat, etype, ttl, day, m.get("name"), m.get("value"),
                           m.get("previous_value"), m.get("unit"), m.get("direction"),
                           m.get("proxy")])
    wb.save(path)


def _matrix(a) -> dict:
    out = {}
    for f in a.duty("spr.threat-capability")["requirements"]:
        d = f["details"] or {}
        out[f["ref"]] = (f["rating"], f["value"], d.get("strongest_evidence"), d.get("gap"),
                         d.get("measures_fallen"), d.get("proxy_only"))
    q = a.finding("spr.evidence-quality/countable-evidence")
    out[q["ref"]] = (q["rating"], q["value"])
    return out


def test_yaml_and_xlsx_forms_give_identical_verdicts(tmp_path):
    yaml_bundle = write_bundle(tmp_path / "yaml", _as_yaml())
    xlsx_bundle = write_bundle(tmp_path / "xlsx", [{"kind": "spr_threats", "text": "",
                                                    "file": "spr-threats.xlsx"}])
    _as_xlsx(xlsx_bundle / "spr-threats.xlsx")
    from_yaml = _matrix(assess(yaml_bundle, plugins=[spr], entry_points=False))
    from_xlsx = _matrix(assess(xlsx_bundle, plugins=[spr], entry_points=False))
    assert from_yaml == from_xlsx
    ratings = {ref.split("/")[1]: row[0] for ref, row in from_yaml.items()}
    # Every rule is exercised, so agreement is not agreement on one easy case.
    assert ratings == {
        "vawg": "Amber",  # a satisfaction figure fell
        "terrorism": "Amber",  # narrative only
        "serious-organised-crime": "Green",
        "cyber": "Amber",  # proxy only; the exercise is out of period
        "child-sexual-abuse": "Amber",  # no outcome measure
        "public-disorder": "Amber",  # two narratives, narrative only
        "civil-emergencies": "Red",  # not addressed
        "countable-evidence": "Amber",  # the old exercise and the second narrative
    }
    assert from_yaml["spr.evidence-quality/countable-evidence"] == ("Amber", 2)


# --- the plan catalogue: commitments that name threats ------------------------------------

PLAN_YAML = """\
area: {id: plan, title: Police and Crime Plan}
duties:
"""
COMMITMENT = """\
  - id: plan.test-{n}
    title: "{text}"
    kind: plan-commitment
    holder: PCC
    tags: ["plan:test", "commitment:{n}"]
    source: {{title: Test Police and Crime Plan 2024-2028, basis: local-practice}}
    cadence: quarterly
    effective_from: {start}
    requirements:
      - {{id: delivery, kind: check, title: Delivery is reported, basis: inference}}
"""


def _plan(tmp_path, commitments, start="2024-04-01") -> Path:
    text = PLAN_YAML + "".join(COMMITMENT.format(n=n, text=t, start=start)
                               for n, t in enumerate(commitments, start=1))
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _plan_regard(tmp_path, items, plan: Path):
    folder = write_bundle(tmp_path / "b", items or [
        {"kind": "document", "data": {"type": "annual-report", "title": "Annual report",
                                      "date": "2025-06-30"}}])
    a = assess(folder, plugins=[spr], entry_points=False, duties=[plan],
               only=["spr.plan-regard"])
    return a.finding("spr.plan-regard/threats-referenced")


def test_plan_commitments_in_the_catalogue_name_threats_without_a_plan_item(tmp_path):
    plan = _plan(tmp_path, ["I will tackle violence against women and girls.",
                            "Kent Police will disrupt organised-crime groups.",
                            "We will keep a specialist capability to tackle cybercrime.",
                            "Prevent road danger and support Vision Zero."])
    f = _plan_regard(tmp_path, [], plan)
    assert (f["rating"], f["value"]) == ("Amber", 3)
    assert "'Test Police and Crime Plan 2024-2028' (no spr_plan_reference item gives its " \
        "text) and names 3 of 7 threats" in f["reason"]
    assert "named in 3 of the 4 plan commitments in the catalogue" in f["reason"]
    assert f["details"]["threats_in_commitments"] == {
        "vawg": ["plan.test-1"], "serious-organised-crime": ["plan.test-2"],
        "cyber": ["plan.test-3"]}


def test_plan_item_and_catalogue_together_name_all_seven_threats(tmp_path):
    plan = _plan(tmp_path, ["Tackle terrorism with Counter Terrorism Policing.",
                            "Prepare for civil emergencies with the resilience forum.",
                            "Police public order events and mutual aid."])
    item = {"kind": "spr_plan_reference", "data": {
        "plan_title": "Plan", "issued_on": "2024-04-01",
        "threats_named": ["vawg", "serious-organised-crime", "cyber", "child-sexual-abuse"]}}
    f = _plan_regard(tmp_path, [item], plan)
    assert (f["rating"], f["value"]) == ("Green", 7)
    assert "names all 7 threats (as listed; named in 3 of the 3 plan commitments" in f["reason"]
    assert "Named in plan commitments (the plan's objectives): Terrorism (1 commitment)" \
        in f["reason"]


def test_commitments_that_name_no_threat_are_a_gap_not_a_red(tmp_path):
    plan = _plan(tmp_path, ["Prevent road danger and support Vision Zero."])
    f = _plan_regard(tmp_path, [], plan)
    assert f["rating"] == "Not evidenced"
    assert "the one plan commitment in the catalogue names none" in f["reason"]


def test_a_plan_not_yet_in_force_is_not_read(tmp_path):
    plan = _plan(tmp_path, ["I will tackle violence against women and girls."],
                 start="2025-04-01")
    f = _plan_regard(tmp_path, [], plan)
    assert f["rating"] == "Not evidenced"
    assert "no plan-commitment duty (the plan catalogue) is in force" in f["reason"]


# --- the real sample ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def kent():
    return assess(SAMPLE, as_of="2025-11-01", only=SPR_DUTIES)


def test_kent_matrix_follows_the_published_figures(kent):
    rows = {r["threat"]: r for r in matrix.rows(kent.report)}
    assert len(rows) == 7
    soc = rows["Serious and organised crime"]
    assert soc["rating"] == "Green"
    # 000 L1102: 188 arrests (up 77), 120 warrants (up 60), 186 charges (up 49).
    for figure in ("188 arrests (previous year 111, +77)",
                   "120 warrants executed (previous year 60, +60)",
                   "186 charges (previous year 137, +49)"):
        assert figure in soc["strongest_evidence"]
    # VAWG has figures (000 L156-L157, L1206-L1210), but rape victims treated with dignity
    # and respect fell 1.8 points (L1209), so it is not Green.
    vawg = kent.finding("spr.threat-capability/vawg")
    assert (vawg["rating"], vawg["value"]) == ("Amber", 2)
    assert vawg["details"]["measures_fallen"] == [
        "96.6% of rape victims who felt treated with dignity and respect (previous year "
        "98.4, -1.8)"]
    assert "28,129 domestic abuse offences recorded (previous year 30,134, -2,005)" \
        in vawg["details"]["strongest_evidence"]
    # Cyber: one proxy figure (000 L1198-L1200), so Amber.
    cyber = kent.finding("spr.threat-capability/cyber")
    assert cyber["rating"] == "Amber" and cyber["details"]["proxy_only"] is True
    assert "87 online offences where the victim was an organisation (previous year 70, " \
        "+17) [proxy]" in cyber["details"]["strongest_evidence"]
    for name in ("Terrorism", "Child sexual abuse", "Public disorder", "Civil emergencies"):
        assert rows[name]["rating"] == "Amber"
        assert rows[name]["strongest_evidence"].startswith("narrative only")
    assert kent.rating("spr.threat-capability").value == "Amber"
    finding = kent.finding("spr.threat-capability/public-disorder")
    assert finding["basis"] == "inference"
    params = finding["threshold"]["params"]
    assert {k: (v["value"], v["basis"]) for k, v in params.items()} == {
        "outcome_measures_for_green": (1, "inference"),
        "evidence_kinds_for_green": (1, "inference"),
        "falls_allowed_for_green": (0, "inference")}
    assert "000 L1128-L1134" in finding["reason"]


def test_kent_evidence_can_all_be_counted(kent):
    f = kent.finding("spr.evidence-quality/countable-evidence")
    assert (f["rating"], f["value"], f["basis"]) == ("Green", 0, "inference")


def test_kent_assurance_statement_capped_at_amber(kent):
    f = kent.finding("spr.pcc-assurance-statement/statement-signed")
    assert f["rating"] == "Amber"
    assert f["value"] == "2025-10-14"  # presented to the Panel, 001 L65, L89
    assert "4 of 7 threats have no supporting evidence item" in f["reason"]
    assert f["details"]["supported_threats"] == ["vawg", "serious-organised-crime", "cyber"]
    assert kent.finding("spr.pcc-assurance-statement/published-in-annual-report")[
        "rating"] == "Green"


def test_kent_plan_names_two_threats_and_postdates_the_spr(kent):
    f = kent.finding("spr.plan-regard/threats-referenced")
    assert (f["rating"], f["value"]) == ("Amber", 2)  # 000 L114, L116; SPR at L132
    assert f["details"]["threats_named"] == ["vawg", "serious-organised-crime"]
    g = kent.finding("spr.plan-regard/plan-after-spr")
    assert (g["rating"], g["value"]) == ("Green", "2024-04-01")  # 000 L79
    assert g["threshold"]["params"]["spr_issued"] == {"value": "2023-02-20",
                                                       "basis": "official"}


def test_kent_gaps_are_not_evidenced_not_red(kent):
    for ref in ("spr.chief-constable-regard/statement-of-regard",
                "spr.chief-constable-regard/force-self-assessment",
                "spr.holding-to-account/threats-scrutinised"):
        assert kent.finding(ref)["rating"] == "Not evidenced", ref


def test_kent_peel_grades(kent):
    # 001 L329-L332 (column assignment per research seed-001.md 5.6): both Good.
    for ref in ("spr.hmicfrs-findings/soc-peel-grade",
                "spr.hmicfrs-findings/vulnerable-people-peel-grade"):
        f = kent.finding(ref)
        assert (f["rating"], f["value"], f["basis"]) == ("Green", "Good", "inference")


def test_every_spr_duty_names_its_source(kent):
    for duty_id in SPR_DUTIES:
        d = kent.duty(duty_id)
        assert d["source"]["title"] and d["source"]["basis"]
        for f in d["requirements"]:
            assert f["basis"], f["ref"]


def test_matrix_format_renders(kent):
    text = matrix.render(kent.report)
    assert text.count("\n| ") == 9  # header, rule and 7 rows
    assert "Resting on narrative only (4 of 7)" in text
    json.dumps(kent.report)  # details stay JSON-ready

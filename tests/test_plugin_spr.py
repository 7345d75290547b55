"""The Strategic Policing Requirement plugin: behaviour cases, plugin validity, the word
traps, bad input, and the real Kent 2024/25 sample."""

from __future__ import annotations

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
SPR_DUTIES = ["spr.chief-constable-regard", "spr.hmicfrs-findings", "spr.holding-to-account",
              "spr.pcc-assurance-statement", "spr.plan-regard", "spr.threat-capability"]


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[spr], entry_points=False)


def test_plugin_is_valid():
    assert_plugin_valid(spr, cases=CASES)


# --- words: the threat vocabulary is not fooled ------------------------------------------

@pytest.mark.parametrize("text", [
    "Work with residents to prevent crime and anti-social behaviour",
    "Prevent road danger and support Vision Zero",
    "The Strategic Prevention Command leads on crime prevention",
    "The Channel Tunnel Policing Unit responds to underground incidents",
    "Red Traffic Light cameras were installed",
    "cybernetics; soccer; disorderly; emergency services",
])
def test_traps_name_no_threat(text):
    assert threats.threats_named(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Kent Prevent referrals rose", ["terrorism"]),
    ("Counter Terrorism Policing Borders", ["terrorism"]),
    ("a partnership with the ROCU", ["serious-organised-crime"]),
    ("Tackle violence against women and girls", ["vawg"]),
    ("Child SA is a priority", ["child-sexual-abuse"]),
    ("Kent and Medway Resilience Forum (KMRF)", ["civil-emergencies"]),
    ("public order and public safety mutual aid", ["public-disorder"]),
    ("cyber enabled crime investigations", ["cyber"]),
])
def test_vocabulary_finds_threats(text, expected):
    assert threats.threats_named(text) == expected


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


# --- the real sample ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def kent():
    return assess(SAMPLE, as_of="2025-11-01", only=SPR_DUTIES)


def test_kent_matrix_soc_best_evidenced_others_narrative_only(kent):
    rows = {r["threat"]: r for r in matrix.rows(kent.report)}
    assert len(rows) == 7
    soc = rows["Serious and organised crime"]
    assert soc["rating"] == "Green"
    # 000 L1102: 188 arrests (up 77), 120 warrants (up 60), 186 charges (up 49).
    for figure in ("188 arrests (previous year 111, +77)",
                   "120 warrants executed (previous year 60, +60)",
                   "186 charges (previous year 137, +49)"):
        assert figure in soc["strongest_evidence"]
    for name in ("Violence against women and girls", "Terrorism",
                 "Cyber (a national cyber event)", "Child sexual abuse", "Public disorder",
                 "Civil emergencies"):
        assert rows[name]["rating"] == "Amber"
        assert rows[name]["strongest_evidence"].startswith("narrative only")
    assert kent.rating("spr.threat-capability").value == "Amber"
    finding = kent.finding("spr.threat-capability/public-disorder")
    assert finding["basis"] == "inference"
    assert finding["threshold"]["params"]["outcome_measures_for_green"]["value"] == 1
    assert "000 L1128-L1134" in finding["reason"]


def test_kent_assurance_statement_capped_at_amber(kent):
    f = kent.finding("spr.pcc-assurance-statement/statement-signed")
    assert f["rating"] == "Amber"
    assert f["value"] == "2025-10-14"  # presented to the Panel, 001 L65, L89
    assert "6 of 7 threats have no supporting evidence item" in f["reason"]
    assert f["details"]["supported_threats"] == ["serious-organised-crime"]
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
    assert "Resting on narrative only (6 of 7)" in text
    json.dumps(kent.report)  # details stay JSON-ready

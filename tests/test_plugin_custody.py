"""The custody plugin, tested as a partner tests theirs: behaviour cases, plugin validity,
the real published Kent figures, and the problems the synthetic generator planted."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import dutycheck.plugins.custody as custody
from dutycheck import Rating
from dutycheck.testing import assert_plugin_valid, assess, load_test_cases, run_test_case

CASES = Path(custody.__file__).parent / "cases"
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "kent-2024-25"


def _planted() -> dict:
    spec = importlib.util.spec_from_file_location("custody_generate",
                                                  SAMPLE / "custody" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PLANTED


PLANTED = _planted()


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[custody], entry_points=False)


def test_plugin_is_valid_and_every_check_and_band_has_a_case():
    assert_plugin_valid(custody, cases=CASES)


@pytest.fixture(scope="module")
def kent():
    return assess(SAMPLE, as_of="2025-11-01", only=[d for d in _custody_duties()])


def _custody_duties() -> list[str]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    ids = []
    for f in sorted((SAMPLE.parent.parent / "duties" / "custody").glob("*.yaml")):
        ids += [d["id"] for d in yaml.load(f.read_text())["duties"]]
    return ids


def test_every_custody_duty_is_rated(kent):
    duties = {d["id"] for d in kent.report["duties"]}
    assert duties == set(_custody_duties())
    unrated = [f["ref"] for duty in duties for f in kent.duty(duty)["requirements"]
               if f["rating"] not in ("Green", "Amber", "Red")]
    assert unrated == []


def test_published_icv_and_dsi_figures_reconcile(kent):
    # 38 ICVs, 227 visits, 660 detainees engaged: seed 000 line 831 (001 line 384)
    for ref, value in (("visits-reconcile", 227), ("detainees-reconcile", 660),
                       ("visitors-reconcile", 38)):
        f = kent.finding(f"custody.icv-publication/{ref}")
        assert (f["rating"], f["value"]) == ("Green", value)
    # 27,550 people processed, no deaths, 36 serious injuries: seed 000 line 1252
    for ref, value in (("throughput-reconcile", 27550), ("deaths-reconcile", 0),
                       ("serious-injuries-reconcile", 36)):
        f = kent.finding(f"custody.deaths-serious-injuries/{ref}")
        assert (f["rating"], f["value"]) == ("Green", value), ref
    assert kent.rating("custody.deaths-serious-injuries/annual-report") is Rating.GREEN
    assert kent.rating("custody.icv-publication/information-published") is Rating.GREEN


def test_invented_scheme_records_are_labelled_and_their_planted_ratings_found(kent):
    """The seeds publish no scheme record, CDSP dates, Angiolini tracker or custody
    inspection, so the generator invents them (synthetic: true) with planted values."""
    for ref in ("custody.icv-arrangements/arrangements-reviewed",
                "custody.icv-quality-assurance/qaf-level",
                "custody.angiolini-actions/recommendations-assessed",
                "custody.custody-inspection/overdue-actions",
                "custody.detention-scrutiny-panel/meetings-held"):
        assert all(e.get("synthetic") for e in kent.finding(ref)["evidence"]), ref
    f = kent.finding("custody.icv-arrangements/arrangements-reviewed")
    assert (f["rating"], f["value"]) == ("Amber", PLANTED["arrangements_reviewed_days"])
    f = kent.finding("custody.icv-arrangements/panel-meetings")
    assert (f["rating"], f["value"]) == ("Green", PLANTED["icv_panel_meetings"])
    f = kent.finding("custody.icv-quality-assurance/qaf-level")
    assert (f["rating"], f["value"]) == ("Green", PLANTED["qaf_level"])
    f = kent.finding("custody.angiolini-actions/recommendations-assessed")
    n, gaps = PLANTED["angiolini_applicable"], PLANTED["angiolini_without_owner"]
    assert f["rating"] == "Amber"
    assert (f["details"]["applicable"], f["details"]["assessed"],
            f["details"]["complete"]) == (n, n - gaps, PLANTED["angiolini_complete"])
    assert kent.rating("custody.angiolini-actions/tracker-current") is Rating.GREEN
    f = kent.finding("custody.custody-inspection/overdue-actions")
    assert (f["rating"], f["value"]) == ("Amber", PLANTED["inspection_past_due"])
    f = kent.finding("custody.detention-scrutiny-panel/meetings-held")
    assert (f["rating"], f["value"]) == ("Green", PLANTED["cdsp_meetings"])
    f = kent.finding("custody.detention-scrutiny-panel/terms-of-reference-reviewed")
    assert (f["rating"], f["value"]) == ("Green", PLANTED["cdsp_terms_of_reference_days"])
    # CDSP: annual report produced (000 L446); two of five themes evidenced (children,
    # disproportionality: 000 L439-L446), dated only to 2024/25 so the period end is used.
    assert kent.rating("custody.detention-scrutiny-panel/annual-report") is Rating.GREEN
    themes = kent.finding("custody.detention-scrutiny-panel/themes-sampled")
    assert (themes["rating"], themes["value"]) == ("Amber", 40)
    assert themes["details"]["sampled"] == ["children", "disproportionality"]
    assert themes["threshold"]["basis"] == "inference"


def test_planted_visit_problems_are_found(kent):
    f = kent.finding("custody.icv-visit-coverage/weekly-coverage")
    weeks = PLANTED["weeks_visited"]["Suite E"]
    assert (f["rating"], f["value"]) == ("Red", round(100 * weeks / 52, 1))
    assert "Least-visited active suite: Suite E" in f["reason"]
    assert f["details"]["weeks"] == 52
    assert f["details"]["per_suite_weeks"] == PLANTED["weeks_visited"]
    assert f["details"]["per_suite_percent"] == {
        s: round(100 * k / 52, 1) for s, k in PLANTED["weeks_visited"].items()}
    f = kent.finding("custody.icv-visit-coverage/months-without-visit")
    assert f["value"] == sum(len(m) for m in PLANTED["unvisited_months"].values())
    assert f["rating"] == "Red"
    pairs = kent.finding("custody.icv-visit-pattern/visits-in-pairs")
    assert pairs["rating"] == "Amber"
    assert f"{227 - PLANTED['single_visitor_visits']} of 227" in pairs["reason"]
    ooh = kent.finding("custody.icv-visit-pattern/out-of-hours-share")
    assert f"{PLANTED['out_of_hours_visits']} of 227" in ooh["reason"]
    assert kent.finding("custody.icv-visit-pattern/weekend-gaps")["value"] == \
        len(PLANTED["weekend_gaps"])
    delays = kent.finding("custody.icv-access/access-delays")
    assert (delays["rating"], delays["value"]) == ("Amber", PLANTED["access_delays"])
    tact = kent.finding("custody.icv-terrorist-detainee-reports/reports-copied")
    assert (tact["rating"], tact["value"]) == ("Green", PLANTED["tact_visits"])
    answered = kent.finding("custody.icv-issues/answered-in-time")
    assert f"{PLANTED['issues_answered_in_time']} of {PLANTED['issues_due']}" in \
        answered["reason"]
    assert kent.finding("custody.icv-issues/open-safety-issues")["value"] == \
        PLANTED["open_safety_issues"]
    trained = kent.finding("custody.icv-independence/interviewed-and-trained")
    assert trained["rating"] == "Red"
    assert f"{PLANTED['trained_after_first_visit']} trained after" in trained["reason"]


def test_planted_detention_problems_are_found(kent):
    first = kent.finding("custody.pace-reviews/first-review-on-time")
    assert first["rating"] == "Amber"
    assert first["details"]["late"] == PLANTED["first_review_late"]
    assert first["details"]["postponed"] == PLANTED["first_review_postponed"]
    later = kent.finding("custody.pace-reviews/later-reviews-on-time")
    assert (later["rating"], later["details"]["late"]) == ("Amber",
                                                           PLANTED["later_review_late"])
    for req, key in (("beyond-24h-without-authority", "beyond_24h_without_authority"),
                     ("beyond-36h-without-warrant", "beyond_36h_without_warrant"),
                     ("beyond-96h", "beyond_96h")):
        f = kent.finding(f"custody.detention-time-limits/{req}")
        assert f["value"] == PLANTED[key], req
        assert f["rating"] == ("Red" if PLANTED[key] else "Green")
    share = kent.finding("custody.charged-children/transferred-share")
    n, moved = PLANTED["children_overnight_after_charge"], PLANTED["children_transferred"]
    assert (n, moved) == (48, 21)
    assert (share["details"]["eligible"], share["details"]["transferred"]) == (n, moved)
    assert (share["rating"], round(share["value"], 2)) == ("Red", round(100 * moved / n, 2))
    cert = kent.finding("custody.charged-children/without-certificate")
    assert (cert["rating"], cert["value"]) == ("Red", PLANTED["children_without_certificate"])
    aa = kent.finding("custody.children-safeguards/appropriate-adult")
    assert aa["rating"] == "Red" and "(none recorded: rows " in aa["reason"]
    assert aa["details"]["without"] == PLANTED["children_without_aa"] == 7
    strip = kent.finding("custody.children-safeguards/strip-search-appropriate-adult")
    assert strip["rating"] == "Red"
    assert strip["details"]["without"] == PLANTED["child_strip_searches_without_aa"] == 2
    learning = kent.finding("custody.deaths-serious-injuries/learning-actions")
    assert (learning["details"]["incidents"], learning["details"]["with_learning"]) == \
        (36, PLANTED["dsi_with_learning"])
    assert PLANTED["dsi_with_learning"] == 34 and learning["rating"] == "Amber"
    quality = kent.finding("custody.detention-record-quality/inconsistent-records")
    assert (quality["rating"], quality["value"]) == ("Amber", PLANTED["inconsistent"])
    eth = kent.finding("custody.detention-record-quality/ethnicity-recorded")
    assert eth["rating"] == "Amber"
    assert round(eth["value"], 2) == round(100 * (1 - PLANTED["no_ethnicity"] / 27550), 2)
    assert eth["details"]["missing"] == PLANTED["no_ethnicity"]
    # a monitored signal: flagged Amber, never Red
    disp = kent.finding("custody.disproportionality/strip-search-relative-rate")
    assert disp["rating"] in ("Green", "Amber")
    assert "95% CI" in disp["reason"]


def test_no_custody_reference_reaches_the_report(kent):
    import json

    text = json.dumps(kent.report)
    assert "CR000001" not in text and "CR0" not in text
    assert "V001" not in text and "DSI-0" not in text


def _run(folder: Path) -> int:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "dutycheck", "run", str(folder), "--as-of",
                           "2025-11-01", "--area", "custody", "--fail-on", "never"],
                          capture_output=True, text=True).returncode


def test_bad_visit_log_value_is_invalid_input(tmp_path):
    from dutycheck.testing import write_bundle

    folder = write_bundle(tmp_path / "b", [{"kind": "icv_visit_log", "rows": [
        {"suite": "S1", "visit_date": "2024-06-31", "start_time": "10:00", "visitors": "two",
         "detainees_present": 1, "detainees_offered": 1, "detainees_accepted": 1}]}])
    assert _run(folder) == 4


def test_xlsx_with_merged_header_cells_is_invalid_input(tmp_path):
    """A header cell merged over two columns leaves the second one unnamed: refused with
    its file, row and column, before any check runs."""
    import json
    import subprocess
    import sys

    from openpyxl import Workbook

    from dutycheck.testing import write_bundle

    folder = write_bundle(tmp_path / "b", [{"kind": "custody_suites",
                                            "data": {"suites": [{"name": "S1"}]}}])
    wb = Workbook()
    ws = wb.active
    ws.append(["suite", "visit_date", "", "visitors", "detainees_present",
               "detainees_offered", "detainees_accepted"])
    ws.merge_cells("B1:C1")
    ws.append(["S1", "2024-06-04", "10:00", 2, 1, 1, 1])
    wb.save(folder / "visits.xlsx")
    manifest = json.loads((folder / "bundle.yaml").read_text())  # write_bundle writes JSON
    manifest["items"].append({"kind": "icv_visit_log", "file": "visits.xlsx",
                              "effective_date": "2025-03-31", "source": {"document": "test"}})
    (folder / "bundle.yaml").write_text(json.dumps(manifest, indent=2))
    result = subprocess.run([sys.executable, "-m", "dutycheck", "run", str(folder),
                             "--as-of", "2025-11-01", "--area", "custody"],
                            capture_output=True, text=True)
    assert result.returncode == 4
    assert "visits.xlsx:1:3: sheet 'Sheet', header has an empty column name" in result.stderr
    assert "Traceback" not in result.stderr


def test_generator_is_reproducible(tmp_path):
    spec = importlib.util.spec_from_file_location("custody_generate_again",
                                                  SAMPLE / "custody" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = tmp_path
    module.main()
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(module.GENERATED)
    for name in module.GENERATED:
        assert (tmp_path / name).read_bytes() == (SAMPLE / "custody" / name).read_bytes(), name


def _detention_row(**over) -> dict:
    row = {"custody_ref": "C1", "suite": "S1", "legislation": "pace", "age_band": "25-34",
           "ethnicity": "W", "arrival_time": "2024-06-01 10:00",
           "detention_authorised_time": "2024-06-01 10:10", "charged": "no",
           "strip_searched": "no", "release_time": "2024-06-01 15:00"}
    return {**row, **over}


def test_unreadable_detention_time_is_invalid_input_at_load(tmp_path):
    """Detention times are datetime columns: an unreadable one is refused at load with its
    file, row and column (it used to be a data-quality finding parsed in every query)."""
    import subprocess
    import sys

    from dutycheck.testing import write_bundle

    folder = write_bundle(tmp_path / "b", [{"kind": "custody_detention_record", "rows": [
        _detention_row(), _detention_row(arrival_time="01/06/2024 10.00")]}])
    result = subprocess.run([sys.executable, "-m", "dutycheck", "run", str(folder),
                             "--as-of", "2025-11-01", "--area", "custody"],
                            capture_output=True, text=True)
    assert result.returncode == 4
    # arrival_time is the sixth column; data row 2 is file line 3
    assert "custody_detention_record.csv:3:6" in result.stderr
    assert "row 2, column 'arrival_time': expected a date and time" in result.stderr
    assert "'01/06/2024 10.00'" in result.stderr


def test_charge_and_release_times_are_parsed_once_at_load(tmp_path):
    from dutycheck.testing import assess, write_bundle

    folder = write_bundle(tmp_path / "b", [{"kind": "custody_detention_record", "rows": [
        _detention_row(charged="yes", charge_time="2024-06-01T14:30"),
        _detention_row(release_time="2024-06-01 15:00:30")]}])
    result = assess(folder, as_of="2025-11-01", plugins=[custody], entry_points=False,
                    only=["custody.detention-record-quality"])
    f = result.finding("custody.detention-record-quality/inconsistent-records")
    assert (f["rating"], f["value"]) == ("Green", 0)


def test_one_plausible_maximum_for_every_detention_check():
    """A --config override of maximum_plausible_hours changes which rows record quality
    counts and which rows the review, time-limit and child checks leave out, alike."""
    config = {"overrides": {"custody.detention-record-quality/inconsistent-records": {
        "basis": "local-practice", "reason": "test", "params": {"maximum_plausible_hours": 30}}}}
    result = assess(SAMPLE, as_of="2025-11-01", config=config,
                    only=["custody.detention-record-quality", "custody.pace-reviews",
                          "custody.detention-time-limits", "custody.charged-children"])
    bad = result.finding("custody.detention-record-quality/inconsistent-records")["value"]
    assert bad > PLANTED["inconsistent"]
    for ref in ("custody.pace-reviews/first-review-on-time",
                "custody.detention-time-limits/beyond-24h-without-authority",
                "custody.charged-children/without-certificate"):
        assert f" {bad} record(s) with an unreadable review time or an impossible time were " \
            "left out" in result.finding(ref)["reason"], ref

"""The Serious Violence Duty plugin, tested as a partner tests theirs: behaviour cases,
plugin validity, bad input, and the real published Kent 2024/25 figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import dutycheck.plugins.serious_violence as serious_violence
from dutycheck import Rating
from dutycheck.testing import (
    assert_plugin_valid,
    assess,
    load_test_cases,
    run_test_case,
    write_bundle,
)

CASES = Path(serious_violence.__file__).parent / "cases"
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "kent-2024-25"
SV = "serious-violence"


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[serious_violence], entry_points=False)


def test_plugin_is_valid_and_every_check_and_band_has_a_case():
    assert_plugin_valid(serious_violence, cases=CASES)


# -- bad input ------------------------------------------------------------------------------

def _run(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dutycheck", "run", str(folder), "--as-of",
                           "2025-11-01", "--area", SV], capture_output=True, text=True)


def test_percentage_given_as_a_string_is_rejected_with_exit_4(tmp_path):
    folder = write_bundle(tmp_path / "b", [{"kind": "sv_outcome_measures", "data": {
        "sharp_object_admissions_u25": {"unit": "admissions",
                                        "stated_change_vs_baseline_percent": "-57%"}}}])
    done = _run(folder)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "stated_change_vs_baseline_percent" in done.stderr
    assert "Traceback" not in done.stderr


def test_share_given_as_a_string_is_rejected_with_exit_4(tmp_path):
    folder = write_bundle(tmp_path / "b", [{"kind": "vru_grant_split", "data": {
        "period_label": "2024/25", "period_end": "2025-03-31",
        "stated_share_percent": "30%"}}])
    done = _run(folder)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "stated_share_percent" in done.stderr


def test_a_strategy_address_that_is_not_a_web_address_is_rejected_with_exit_4(tmp_path):
    """A javascript: or file: "address" proves nothing was published (and must never become
    a link in a paper), so it is refused, not taken as publication."""
    folder = write_bundle(tmp_path / "b", [{"kind": "sv_strategy", "data": {
        "areas": ["North"], "strategies": [{
            "title": "Test Strategy", "scope": "area-wide", "published_on": "2024-01-31",
            "url": "javascript:alert(3)"}]}}])
    done = _run(folder)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "$.strategies[0].url: 'javascript:alert(3)' does not have the expected form" \
        in done.stderr
    assert "Traceback" not in done.stderr


# -- the real Kent 2024/25 figures ----------------------------------------------------------

@pytest.fixture(scope="module")
def kent():
    return assess(SAMPLE, as_of="2025-11-01")


def test_every_serious_violence_duty_is_rated(kent):
    duties = {d["id"]: d for d in kent.report["duties"] if d["id"].startswith(SV + ".")}
    assert set(duties) == {f"{SV}.{n}" for n in (
        "partnership", "consultation", "information-sharing", "needs-assessment", "strategy",
        "strategy-review", "performance-framework", "outcome-measures", "outcome-sources",
        "pcc-monitoring", "grant-governance", "vru-grant-evidence")}
    # Every duty and requirement has a check or rule that ran: none is Not assessed or Error.
    unrated = [(r["ref"], r["rating"]) for d in duties.values() for r in d["requirements"]
               if r["rating"] in ("Not assessed", "Error")]
    unrated += [(d["id"], d["rating"]) for d in duties.values()
                if d["rating"] in ("Not assessed", "Error")]
    assert unrated == []


def test_a_green_duty_with_requirements_not_applicable_does_not_claim_all_met(kent):
    duty = next(d for d in kent.report["duties"] if d["id"] == f"{SV}.outcome-measures")
    ratings = [r["rating"] for r in duty["requirements"]]
    met, not_due = ratings.count("Green"), ratings.count("Not due")
    assert duty["rating"] == "Green" and met + not_due == len(ratings) and not_due > 0
    assert duty["reason"] == (f"All {met} requirements that fell due met; the other "
                              f"{not_due} are not due.")


def test_outcome_measures_against_every_comparator_they_carry(kent):
    # 000 L1154: 15 homicides, "a reduction of 16.7% (or 3)" -> previous year 18.
    f = kent.finding(f"{SV}.outcome-measures/homicides-vs-previous-year")
    assert (f["rating"], f["value"]) == ("Green", 15)
    assert f["threshold"]["basis"] == "inference"
    assert {c["name"]: c["value"] for c in f["comparators"]}[
        "murders and other homicides, previous year"] == 18
    assert "improving (a fall of 3 homicides, more than the materiality of 2 homicides)" \
        in f["reason"]
    # Homicides are published against the previous year only: no baseline to rate against.
    f = kent.finding(f"{SV}.outcome-measures/homicides-vs-baseline")
    assert f["rating"] == "Not due" and "not applicable" in f["reason"]
    # 000 L1164: under-25 sharp-object admissions 35 (2019 baseline) -> 15.
    f = kent.finding(f"{SV}.outcome-measures/sharp-admissions-u25-vs-baseline")
    assert (f["rating"], f["value"]) == ("Green", 15)
    assert {c["name"]: c["value"] for c in f["comparators"]}[
        "under-25 hospital admissions for assault with a sharp object, baseline"] == 35
    # 000 L1160: 90 firearms offences, "a decrease of 18.2% (or 20) on the 2019 baseline".
    f = kent.finding(f"{SV}.outcome-measures/firearms-offences-vs-baseline")
    assert (f["rating"], f["value"]) == ("Green", 90)
    assert "90 in 2024/25 against 110 in year ending December 2019" in f["reason"]
    # 000 L1165: knife-enabled serious violence -34.6% (under 18), -9.6% (18-24).
    assert kent.finding(f"{SV}.outcome-measures/knife-sv-under-18-vs-previous-year")[
        "value"] == -34.6
    assert kent.finding(f"{SV}.outcome-measures/knife-sv-18-24-vs-previous-year")[
        "value"] == -9.6
    assert kent.rating(f"{SV}.outcome-measures") is Rating.GREEN
    # No two publishers report the same measure in 2024/25: nothing to cross-check.
    assert kent.rating(f"{SV}.outcome-sources") is Rating.NOT_DUE


def test_published_percentage_changes_reconcile(kent):
    f = kent.finding(f"{SV}.outcome-measures/sharp-admissions-change-reconciles")
    assert f["rating"] == "Green"
    assert f["details"]["stated"] == -57
    assert round(f["details"]["computed"], 1) == -57.1  # (15 - 35) / 35
    f = kent.finding(f"{SV}.outcome-measures/homicides-change-reconciles")
    assert round(f["details"]["computed"], 2) == -16.67  # (15 - 18) / 18


def test_yef_share_for_an_earlier_year_is_amber(kent):
    # 003 L1998: "not less than 30% of the core grant" (2023/24, the latest published): it
    # met the rule then, but says nothing about 2024/25.
    f = kent.finding(f"{SV}.vru-grant-evidence/yef-share")
    assert (f["rating"], f["value"]) == ("Amber", 30)
    assert f["threshold"]["params"]["minimum_share_percent"] == {
        "value": 30, "basis": "local-practice", "unit": "%"}
    assert "2023/24 is the latest figure, not the reporting period" in f["reason"]
    assert "lower bound" in f["reason"]


def test_strategy_and_assessment_are_published_but_not_refreshed(kent):
    # 000 L521: both "finalised and published in January 2024"; no review reported.
    review = kent.finding(f"{SV}.strategy-review/days-since-review")
    assert (review["rating"], review["value"]) == ("Amber", 455)
    assert review["threshold"]["basis"] == "inference"
    age = kent.finding(f"{SV}.needs-assessment/assessment-age")
    assert (age["rating"], age["value"]) == ("Amber", 455)
    cover = kent.finding(f"{SV}.strategy/published-for-every-area")
    assert (cover["rating"], cover["value"]) == ("Amber", 13)
    assert "cannot be verified" in cover["reason"]


def test_unpublished_evidence_is_a_gap_not_a_failure(kent):
    for duty in ("partnership", "consultation", "information-sharing", "pcc-monitoring",
                 "grant-governance", "performance-framework", "needs-assessment"):
        assert kent.rating(f"{SV}.{duty}") is Rating.NOT_EVIDENCED, duty
    # The framework has a baseline (000 L1148); only its reporting dates are unpublished.
    assert kent.finding(f"{SV}.performance-framework/measures-with-baseline")[
        "rating"] == "Green"

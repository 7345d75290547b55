"""The complaint reviews plugin, tested as a partner tests theirs: behaviour cases,
plugin validity, and the real published Kent figures."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from pathlib import Path

import pytest

import dutycheck.plugins.complaints as complaints
from dutycheck import Rating
from dutycheck.testing import (
    assert_plugin_valid,
    assess,
    load_test_cases,
    run_test_case,
    write_bundle,
)

CASES = Path(complaints.__file__).parent / "cases"
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "kent-2024-25"


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[complaints], entry_points=False)


def test_plugin_is_valid_and_every_check_and_band_has_a_case():
    assert_plugin_valid(complaints, cases=CASES)


@pytest.fixture(scope="module")
def kent():
    return assess(SAMPLE, as_of="2025-11-01")


def test_published_figures_add_up(kent):
    assert kent.rating("complaints.review-body-allocation/published-parts-sum") is Rating.GREEN
    stated = kent.finding("complaints.upheld-rate/stated-rate-reconciles")
    assert stated["rating"] == "Green"
    assert stated["details"]["stated"] == 14
    assert round(stated["details"]["computed"], 2) == 13.86  # 28 / (28 + 174)


def test_published_timeliness_beats_both_comparators(kent):
    f = kent.finding("complaints.review-timeliness/mean-days-vs-peers")
    assert (f["rating"], f["value"]) == ("Green", 30)
    assert {c["name"]: c["value"] for c in f["comparators"]} == {
        "Most Similar Group mean days": 46, "national mean days": 48}
    assert f["threshold"]["basis"] == "inference"


def test_duties_without_published_evidence_are_gaps_not_failures(kent):
    for duty in ("complaints.sio-7c-publication", "complaints.overdue-investigations",
                 "complaints.review-quality-assurance", "complaints.learning-loop"):
        assert kent.rating(duty) is Rating.NOT_EVIDENCED, duty
    # The previous year's upheld rate is not published, so the change cannot be judged.
    change = kent.finding("complaints.upheld-rate/rate-change")
    assert change["rating"] == "Not evidenced"
    assert "previous_year.upheld_rate_percent" in change["reason"]


def test_many_problem_rows_are_counted_and_cited_in_full(tmp_path):
    rows = [{"case_ref": f"T{i}", "received_date": "2025-01-06",
             "outcome_letter_date": "2024-12-27", "review_body": "iopc",
             "reg32_screened": "yes", "outcome": "not_upheld", "decision_date": "2025-01-26"}
            for i in range(1, 26)]
    bundle = write_bundle(tmp_path / "b", [{"kind": "complaint_review_register", "rows": rows}])
    f = assess(bundle, plugins=[complaints], entry_points=False,
               only=["complaints.review-body-allocation"]).finding(
        "complaints.review-body-allocation/iopc-cases-forwarded")
    # rows_where stops at 20 rows; the count and "and N more" still cover all 25
    assert "25 decided by the OPCC (rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 15 more)" in f["reason"]


def test_register_reconciles_every_stated_count(kent):
    """Each published count (received, upheld, not upheld, passed to the IOPC, invalid) is
    checked against the synthetic register, which the generator makes agree with them."""
    for ref, stated in (("review-body-allocation/register-count-matches", 255),
                        ("upheld-rate/register-upheld-matches", 28),
                        ("upheld-rate/register-not-upheld-matches", 174),
                        ("review-body-allocation/register-passed-to-iopc-matches", 11),
                        ("review-body-allocation/register-invalid-matches", 42)):
        f = kent.finding(f"complaints.{ref}")
        assert (f["rating"], f["details"]["stated"], f["details"]["computed"]) == (
            "Green", stated, stated), ref
    assert kent.rating("complaints.review-body-allocation/register-body-and-outcome-agree") \
        is Rating.GREEN


def test_invalid_applications_recorded_as_passed_to_the_iopc_are_caught(tmp_path):
    """The audit's test: five invalid rows of the sample re-recorded as passed to the IOPC
    (16 against the stated 11, 37 against 42) used to change no rating."""
    bundle = tmp_path / "kent"
    shutil.copytree(SAMPLE, bundle)
    register = bundle / "complaint-review-register.csv"
    with open(register, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    changed = [n for n, row in enumerate(rows, 1) if row["outcome"] == "invalid"][:5]
    for n in changed:
        rows[n - 1]["outcome"] = "passed_to_iopc"
    with open(register, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = assess(bundle, as_of="2025-11-01", only=["complaints.review-body-allocation"])
    passed = result.finding("complaints.review-body-allocation/register-passed-to-iopc-matches")
    invalid = result.finding("complaints.review-body-allocation/register-invalid-matches")
    assert (passed["rating"], passed["details"]["computed"]) == ("Red", 16)
    assert (invalid["rating"], invalid["details"]["computed"]) == ("Red", 37)
    agree = result.finding("complaints.review-body-allocation/register-body-and-outcome-agree")
    assert (agree["rating"], agree["value"]) == ("Amber", 5)
    assert "rows " + ", ".join(map(str, changed)) in agree["reason"]
    assert result.rating("complaints.review-body-allocation") is Rating.RED


def test_register_generator_is_reproducible(tmp_path):
    spec = importlib.util.spec_from_file_location("complaints_generate",
                                                  SAMPLE / "generate_register.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = tmp_path / "register.csv"
    module.main()
    assert module.OUT.read_bytes() == (SAMPLE / "complaint-review-register.csv").read_bytes()


def test_init_template_for_the_return_names_no_period(dutycheck_cli, tmp_path):
    """`dutycheck init` writes the return's example verbatim into a bundle of any year, so
    it must not carry a year of its own; the bundle's period.label names the period."""
    dutycheck_cli("init", str(tmp_path / "new"), "--organisation", "Test OPCC")
    template = (tmp_path / "new" / "complaint_review_return.yaml").read_text(encoding="utf-8")
    assert "period_label:" not in template and "2024/25" not in template
    assert "received: 0" in template

"""The ASB case review plugin, tested exactly as docs/writing-plugins.md describes."""

from __future__ import annotations

import json
from pathlib import Path

import dutycheck_asb_case_review as plugin
import pytest

from dutycheck import Rating
from dutycheck.testing import assert_plugin_valid, assess, load_test_cases, run_test_case

CASES = Path(plugin.__file__).parent / "cases"
SAMPLE = Path(__file__).resolve().parent.parent / "sample-bundle"


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[plugin], entry_points=False)


def test_plugin_is_valid_and_every_check_and_band_has_a_case():
    assert_plugin_valid(plugin, cases=CASES)


def test_sample_bundle_rates_every_asb_duty():
    result = assess(SAMPLE, plugins=[plugin], entry_points=False, as_of="2025-11-01")
    ratings = {d["id"]: d["rating"] for d in result.report["duties"]}
    assert ratings == {
        "asb.case-reviews": "Green",
        "asb.published-figures": "Green",
        "asb.review-procedures": "Amber",          # the PCC's attestation is capped at Amber
        "asb.review-timeliness": "Amber",
        "asb.case-review-awareness": "Not evidenced",  # deliberately no leaflet in the sample
    }


def test_personal_references_never_reach_the_report():
    result = assess(SAMPLE, plugins=[plugin], entry_points=False, as_of="2025-11-01")
    assert "ACR-00" not in json.dumps(result.report)


def test_fixtures_rate_a_refused_eligible_application_red(dutycheck_bundle, dutycheck_assess):
    bundle = dutycheck_bundle([{"kind": "asb_case_review_register", "rows": [
        {"application_ref": "X1", "local_authority_area": "Area A",
         "received_date": "2025-01-06", "qualifying_complaints": 3,
         "threshold_decision": "not_met", "threshold_decision_date": "2025-01-10"},
    ]}])
    result = dutycheck_assess(bundle, plugins=[plugin], entry_points=False,
                              only=["asb.case-reviews"])
    assert result.rating("asb.case-reviews/threshold-applied") is Rating.RED

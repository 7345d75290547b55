"""The example partner plugin (samples/dutycheck-plugin-example): valid, its own cases
pass, and `dutycheck run` over its sample bundle rates the ASB duties.

Works whether or not CI has `pip install -e`'d the example: if it is not installed, its
src folder is put on sys.path and it is registered for the test only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dutycheck.testing import assert_plugin_valid, load_test_cases, run_test_case

EXAMPLE = Path(__file__).resolve().parents[1] / "samples" / "dutycheck-plugin-example"
SAMPLE = EXAMPLE / "sample-bundle"

try:
    import dutycheck_asb_case_review as plugin
except ImportError:
    sys.path.insert(0, str(EXAMPLE / "src"))
    import dutycheck_asb_case_review as plugin

CASES = Path(plugin.__file__).parent / "cases"


def test_example_plugin_is_valid_with_every_check_and_band_covered():
    assert_plugin_valid(plugin, cases=CASES)


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_example_behaviour_case(case):
    run_test_case(case, plugins=[plugin], entry_points=False)


def test_example_imports_only_the_public_api():
    src = Path(plugin.__file__).parent
    for path in src.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("import dutycheck", "from dutycheck")):
                assert line.split()[1] in ("dutycheck", "dutycheck.testing"), (path, line)


def test_dutycheck_run_over_the_sample_bundle_rates_the_asb_duties(dutycheck_register,
                                                                   dutycheck_cli):
    # Registered for this test whether or not it is installed (the suite disables the
    # autoloading of third-party plugins; see tests/conftest.py).
    dutycheck_register(plugin)
    result = dutycheck_cli("run", str(SAMPLE), "--as-of", "2025-11-01", "--area", "asb",
                           "--format", "json")
    report = json.loads(result.output)
    ratings = {d["id"]: d["rating"] for d in report["duties"]}
    assert ratings == {
        "asb.case-reviews": "Green",
        "asb.published-figures": "Green",
        "asb.review-procedures": "Amber",
        "asb.review-timeliness": "Amber",
        "asb.case-review-awareness": "Not evidenced",
    }
    assert "ACR-00" not in result.output  # personal column never reported


def test_validate_checks_the_examples_cases_and_duties(dutycheck_register, dutycheck_cli):
    # Before, every case file here was read as a duty file ("'due' is required", exit 4).
    dutycheck_register(plugin)
    folder = Path(plugin.__file__).parent
    result = dutycheck_cli("validate", str(folder / "cases"), str(folder))
    count = len(load_test_cases(CASES))
    assert f"ok: {folder / 'cases'} ({count} behaviour cases)" in result.stdout
    assert f"ok: {folder} (5 duties, {count} behaviour cases)" in result.stdout

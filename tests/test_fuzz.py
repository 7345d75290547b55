"""Fuzzing (issue 11): generated and damaged duty files, bundles and workbooks. Every
assessment ends in a report (rendered in every built-in format) or in a ``DutycheckError``
with exit 3 or 4, never another exception; a refused workbook is named in the message,
which quotes no personal value. The example counts are modest for CI;
``tests/fuzz/run_fuzz.py`` runs the same properties for much longer."""

from __future__ import annotations

from fuzz.harness import (
    XLSX_FILE,
    check_scenario,
    damaged_workbook_scenario,
    scenario,
    workbook_scenario,
)
from hypothesis import HealthCheck, given, settings

OK = ("report", "exit 3", "exit 4")
CI = settings(deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(CI, max_examples=30)
@given(scenario())
def test_every_run_ends_in_a_report_or_a_typed_error(files):
    assert check_scenario(files) in OK


@settings(CI, max_examples=25)
@given(workbook_scenario())
def test_every_generated_workbook_ends_in_a_report_or_a_refusal_naming_it(files):
    assert check_scenario(files, names=XLSX_FILE, timeout=60) in OK


@settings(CI, max_examples=25)
@given(damaged_workbook_scenario())
def test_every_damaged_workbook_ends_in_a_report_or_a_refusal_naming_it(files):
    assert check_scenario(files, names=XLSX_FILE, timeout=60) in OK

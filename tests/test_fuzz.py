"""Fuzzing (issue 11): generated and damaged duty files and bundles. Every assessment ends
in a report (rendered in every built-in format) or in a ``DutycheckError`` with exit 3 or
4, never another exception. The example count is modest for CI; ``tests/fuzz/run_fuzz.py``
runs the same property for much longer."""

from __future__ import annotations

from fuzz.harness import check_scenario, scenario
from hypothesis import HealthCheck, given, settings


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario())
def test_every_run_ends_in_a_report_or_a_typed_error(files):
    assert check_scenario(files) in ("report", "exit 3", "exit 4")

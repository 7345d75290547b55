"""dutycheck.testing catches what a reviewer would: the harness itself under test."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest

from dutycheck import Check, Measurement, Rating, StructuredKind, hookimpl
from dutycheck.errors import UsageError
from dutycheck.testing import assert_plugin_valid, load_test_cases, run_test_case

DUTY = """\
id: demo.timeliness
title: Demo duty
kind: statutory
holder: PCC
source: {title: Demo Act 2000 s.1, basis: statute}
cadence: annual
requirements:
  - id: days
    kind: measure
    title: Days taken
    unit: days
    direction: lower-is-better
    bands:
      green: {at_most: 10}
      amber: {above: 10, at_most: 20}
      red: {above: 20}
    basis: inference
"""

CASES = """\
duty: demo.timeliness
cases:
  - name: quick
    evidence:
      - kind: demo_return
        data: {days: 5}
    expect:
      days: {rating: Green, value: 5}
  - name: slow
    evidence:
      - kind: demo_return
        data: {days: 15}
    expect:
      days: {rating: Amber}
"""


def make_plugin(tmp_path: Path, covers: tuple[str, ...] = ("demo.timeliness/days",),
                duty: str = DUTY) -> types.ModuleType:
    duties = tmp_path / "duties"
    duties.mkdir(exist_ok=True)
    (duties / "demo.yaml").write_text(duty)

    class Days(Check):
        id = "demo.days"
        title = "Days from the return"
        reads = ("demo_return",)

        def run(self, requirement, evidence, context):
            return Measurement(evidence.value("demo_return.days"), "", [])

    Days.covers = covers
    module = types.ModuleType(f"demo_plugin_{abs(hash(tmp_path))}")
    module.dutycheck_register_duties = hookimpl(lambda: [duties])
    module.dutycheck_register_checks = hookimpl(lambda: [Days])
    module.dutycheck_register_evidence_kinds = hookimpl(lambda: [StructuredKind(
        "demo_return", "Demo return", {"type": "object", "properties": {
            "days": {"type": "number"}}})])
    return module


def write_cases(tmp_path: Path, text: str = CASES) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    (folder / "demo.yaml").write_text(text)
    return folder


def test_a_missing_band_case_is_reported(tmp_path):
    plugin = make_plugin(tmp_path)
    with pytest.raises(AssertionError, match=r"demo.timeliness/days: no case reaches the red"):
        assert_plugin_valid(plugin, cases=write_cases(tmp_path))


def test_a_complete_plugin_passes(tmp_path):
    plugin = make_plugin(tmp_path)
    text = CASES + """\
  - name: very slow
    evidence:
      - kind: demo_return
        data: {days: 30}
    expect:
      days: {rating: Red}
"""
    assert_plugin_valid(plugin, cases=write_cases(tmp_path, text))


def test_a_check_claiming_a_missing_requirement_is_reported(tmp_path):
    plugin = make_plugin(tmp_path, covers=("demo.timeliness/days", "demo.timeliness/nope"))
    with pytest.raises(AssertionError, match="covers demo.timeliness/nope, which no duty"):
        assert_plugin_valid(plugin)


def test_an_uncovered_requirement_is_reported(tmp_path):
    duty = DUTY + """\
  - id: manual
    kind: check
    title: Something only a check could judge
    basis: statute
"""
    plugin = make_plugin(tmp_path, duty=duty)
    with pytest.raises(AssertionError, match="demo.timeliness/manual .* is covered by no check"):
        assert_plugin_valid(plugin)


def test_a_failing_case_names_the_file_line_and_the_difference(tmp_path):
    plugin = make_plugin(tmp_path)
    text = CASES.replace("days: {rating: Amber}", "days: {rating: Red}")
    case = [p.values[0] for p in load_test_cases(write_cases(tmp_path, text))][1]
    with pytest.raises(AssertionError) as err:
        run_test_case(case, plugins=[plugin], entry_points=False)
    message = str(err.value)
    assert "demo.yaml:" in message and "'slow'" in message
    assert "expected Red, got Amber" in message


def test_fixtures_build_a_bundle_and_assess_it(tmp_path, dutycheck_register, dutycheck_bundle,
                                              dutycheck_assess):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 12}}])
    result = dutycheck_assess(bundle, entry_points=False)
    assert result.rating("demo.timeliness/days") is Rating.AMBER


def test_cli_fixture_runs_in_process_with_the_registered_plugin(tmp_path, dutycheck_register,
                                                               dutycheck_bundle, dutycheck_cli):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 25}}])
    result = dutycheck_cli("run", str(bundle), "--as-of", "2025-11-01", "--area", "demo",
                           exit_code=1)
    assert "demo.timeliness" in result.output


def test_assess_gives_the_same_report_as_dutycheck_run(tmp_path, dutycheck_register,
                                                        dutycheck_bundle, dutycheck_assess,
                                                        dutycheck_cli):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 12}}])
    result = dutycheck_assess(bundle)
    run = dutycheck_cli("run", str(bundle), "--as-of", "2025-11-01", "--format", "json",
                        exit_code=None)
    assert json.loads(run.stdout) == result.report


def test_only_names_a_duty_that_does_not_exist(tmp_path, dutycheck_register, dutycheck_bundle,
                                               dutycheck_assess):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 12}}])
    assert dutycheck_assess(bundle, entry_points=False,
                            only=["demo.timeliness"]).rating("demo.timeliness") is Rating.AMBER
    with pytest.raises(UsageError, match=r"no duty 'demo\.late'; duties: demo\.timeliness"):
        dutycheck_assess(bundle, entry_points=False, only=["demo.late"])

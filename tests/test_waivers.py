"""waivers.yaml and actions.yaml: bad input is exit 4 with file:line:col, like every
other input (DESIGN.md sections 5 and 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import run_cli
from test_report_support import AS_OF, make_bundle

from dutycheck.waivers import add_months

GOOD = """\
waivers:
  - id: W-1
    target: complaints.acknowledgement
    reason: Accepted while the new register beds in.
    approved_by: OPCC Chief Executive
    approved_on: 2025-06-01
    expires: {expires}
"""


def _run(bundle, *extra):
    return run_cli("run", bundle, "--as-of", AS_OF, "--area", "complaints", "--format", "json",
                   "--fail-on", "never", *extra)


def _assert_exit_4_at(result, file_name: str, line: int, col: int | None, words: str):
    assert result.code == 4, result.err
    assert "Traceback" not in result.err
    pattern = rf"{re.escape(file_name)}:{line}:" + (rf"{col}:" if col else "")
    assert re.search(pattern, result.err), result.err
    assert words in result.err, result.err
    assert "Traceback" not in result.out


def test_waiver_without_expiry_is_rejected(tmp_path):
    text = GOOD.format(expires="x").replace("    expires: x\n", "")
    b = make_bundle(tmp_path / "b", waivers=text)
    _assert_exit_4_at(_run(b), "waivers.yaml", 2, 5, "'expires' is required")


def test_waiver_longer_than_twelve_months_is_rejected(tmp_path):
    b = make_bundle(tmp_path / "b", waivers=GOOD.format(expires="2026-06-02"))
    _assert_exit_4_at(_run(b), "waivers.yaml", 7, 5, "more than 12 months after approval")


def test_waiver_of_exactly_twelve_months_is_accepted(tmp_path):
    b = make_bundle(tmp_path / "b", waivers=GOOD.format(expires="2026-06-01"))
    result = _run(b)
    assert result.code == 0, result.err


def test_waiver_expiring_before_approval_or_with_impossible_date_is_rejected(tmp_path):
    b = make_bundle(tmp_path / "b", waivers=GOOD.format(expires="2025-05-01"))
    _assert_exit_4_at(_run(b), "waivers.yaml", 7, 5, "before approved_on")
    b = make_bundle(tmp_path / "c", waivers=GOOD.format(expires="2026-02-30"))
    _assert_exit_4_at(_run(b), "waivers.yaml", 7, 5, "2026-02-30")


def test_waiver_for_an_unknown_duty_is_rejected(tmp_path):
    text = GOOD.format(expires="2026-01-01").replace("complaints.acknowledgement",
                                                     "complaints.no-such-duty")
    b = make_bundle(tmp_path / "b", waivers=text)
    _assert_exit_4_at(_run(b), "waivers.yaml", 3, 5, "unknown duty 'complaints.no-such-duty'")


def test_action_with_bad_status_is_rejected(tmp_path):
    text = """\
actions:
  - id: A-1
    target: complaints.acknowledgement
    response: Fix it.
    owner: OPCC Head of Complaints
    due: 2025-12-31
    status: nearly-done
"""
    b = make_bundle(tmp_path / "b", actions=text)
    _assert_exit_4_at(_run(b), "actions.yaml", 7, 5, "'nearly-done' is not one of")


def test_validate_accepts_the_sample_waivers_schema_file(tmp_path):
    b = make_bundle(tmp_path / "b")
    result = _run(b)
    assert result.code == 0, result.err


@pytest.mark.parametrize("start,months,end", [
    ((2025, 4, 1), 12, (2026, 4, 1)), ((2024, 2, 29), 12, (2025, 2, 28)),
    ((2025, 1, 31), 1, (2025, 2, 28)), ((2025, 12, 15), 12, (2026, 12, 15)),
])
def test_add_months(start, months, end):
    assert add_months(dt.date(*start), months) == dt.date(*end)


def test_validate_checks_the_bundle_waivers_and_actions(tmp_path):
    good = make_bundle(tmp_path / "good")
    result = run_cli("validate", good, good / "waivers.yaml")
    assert result.code == 0, result.err
    assert "2 waivers, 2 actions" in result.out
    bad = make_bundle(tmp_path / "bad", waivers=GOOD.format(expires="2027-01-01"))
    result = run_cli("validate", bad)
    _assert_exit_4_at(result, "waivers.yaml", 7, 5, "more than 12 months")

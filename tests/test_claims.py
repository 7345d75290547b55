"""Checks that cover requirements by rule (``Check.claims``), e.g. every commitment of
whatever plan a partner loads, without naming each requirement."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from dutycheck import Check, Column, Rating, TabularKind, Verdict, hookimpl
from dutycheck.errors import PluginError
from dutycheck.testing import assess, write_bundle

PLAN = """\
duties:
  - id: demo.commit-1
    title: Open a new front counter
    kind: plan-commitment
    holder: PCC
    source: {title: Demo plan 2025-29, basis: local-practice}
    cadence: annual
    requirements:
      - {id: delivery, kind: check, title: Delivered as planned}
  - id: demo.commit-2
    title: Publish a rural crime strategy
    kind: plan-commitment
    holder: PCC
    source: {title: Demo plan 2025-29, basis: local-practice}
    cadence: annual
    requirements:
      - {id: delivery, kind: check, title: Delivered as planned}
"""


class Delivery(Check):
    id = "demo.delivery"
    title = "A commitment rated from its tracker row"
    reads = ("demo_tracker",)

    @classmethod
    def claims(cls, requirement, duty):
        return duty.kind == "plan-commitment" and requirement.id == "delivery"

    def run(self, requirement, evidence, context):
        rows = evidence.table("demo_tracker").query(
            "SELECT status FROM {table} WHERE commitment = ?", [context.duty.id])
        if not rows:
            return Verdict(Rating.RED, f"{context.duty.id}: no tracker row")
        ok = rows[0][0] == "done"
        n = sum(1 for d in context.duties.values() if d.kind == "plan-commitment")
        return Verdict(Rating.GREEN if ok else Rating.AMBER,
                       f"{context.duty.id}: {rows[0][0]} (one of {n} commitments)")


def plugin(tmp_path: Path, *checks: type[Check]) -> types.ModuleType:
    folder = tmp_path / "duties"
    folder.mkdir(exist_ok=True)
    (folder / "plan.yaml").write_text(PLAN)
    module = types.ModuleType(f"claims_demo_{len(checks)}")
    module.dutycheck_register_duties = hookimpl(lambda: [folder])
    module.dutycheck_register_checks = hookimpl(lambda: list(checks))
    module.dutycheck_register_evidence_kinds = hookimpl(lambda: [TabularKind(
        "demo_tracker", "Tracker", (Column("commitment"), Column("status")))])
    return module


def bundle(tmp_path: Path) -> Path:
    return write_bundle(tmp_path / "b", [{"kind": "demo_tracker", "rows": [
        {"commitment": "demo.commit-1", "status": "done"},
        {"commitment": "demo.commit-2", "status": "late"}]}])


def test_a_claiming_check_rates_every_matching_requirement(tmp_path):
    result = assess(bundle(tmp_path), plugins=[plugin(tmp_path, Delivery)], entry_points=False)
    assert result.rating("demo.commit-1/delivery") is Rating.GREEN
    assert result.rating("demo.commit-2/delivery") is Rating.AMBER
    assert "one of 2 commitments" in result.finding("demo.commit-2/delivery")["reason"]
    assert result.finding("demo.commit-1/delivery")["check"]["id"] == "demo.delivery"


def test_two_checks_claiming_one_requirement_is_an_error_naming_both(tmp_path):
    class Rival(Delivery):
        id = "demo.rival"

    with pytest.raises(PluginError, match="claimed by both check 'demo.delivery'.*demo.rival"):
        assess(bundle(tmp_path), plugins=[plugin(tmp_path, Delivery, Rival)],
               entry_points=False)

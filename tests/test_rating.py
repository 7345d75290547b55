"""Behaviour of every requirement kind and every rating state, through the engine, with
small duties and bundles built in tmp_path; the roll-up; the assurance opinion; and the
Kent 2024/25 sample's published figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dutycheck import (
    Check,
    Column,
    Measurement,
    NotEvidenced,
    StructuredKind,
    TabularKind,
    Verdict,
    hookimpl,
)
from dutycheck.rating import DEFAULT_OPINION_RULE, opinion
from dutycheck.ratings import Rating, worst
from dutycheck.testing import Assessment, write_bundle
from dutycheck.testing import assess as assess_bundle

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "kent-2024-25"
AS_OF = "2025-11-01"
PERIOD = ("2024-04-01", "2025-03-31")


# -- helpers: a test plugin, duties and bundles ----------------------------------------

FIGURES = StructuredKind(
    name="figures",
    title="Test figures",
    schema={"type": "object", "properties": {
        "msg_mean_days": {"type": "number", "title": "Most Similar Group mean days"},
        "national_mean_days": {"type": "number", "title": "national mean days"},
    }},
)
CASES = TabularKind(
    name="cases",
    title="Test cases",
    columns=(Column("case_ref", "string", personal=True), Column("days", "integer")),
)


class KindsPlugin:
    """Declares the evidence kinds the tests' duties read."""

    @hookimpl
    def dutycheck_register_evidence_kinds(self):
        return [FIGURES, CASES]


class ChecksPlugin:
    """Registers the given Check classes under a plugin name of the test's choosing."""

    __version__ = "9.9.9"

    def __init__(self, *checks: type[Check]) -> None:
        self._checks = list(checks)

    @hookimpl
    def dutycheck_register_checks(self):
        return self._checks


def duty(duty_id: str, *requirements: dict[str, Any], kind: str = "statutory",
         cadence: str = "annual", **extra: Any) -> dict[str, Any]:
    return {"id": duty_id, "title": f"Duty {duty_id}", "kind": kind, "holder": "PCC",
            "source": {"title": "Test Act 2024", "basis": "statute"}, "cadence": cadence,
            "requirements": list(requirements), **extra}


def measure(req_id: str, value: Any, bands: dict[str, Any], **extra: Any) -> dict[str, Any]:
    out = {"id": req_id, "kind": "measure", "title": f"Measure {req_id}", "unit": "days",
           "direction": "lower-is-better", "bands": bands, "basis": "inference", **extra}
    if value is not None:
        out["value"] = value
    return out


def item(kind: str, file: str, data: Any, effective_date: str = "2025-03-31",
         **extra: Any) -> dict[str, Any]:
    """A bundle item for ``write_bundle``: ``data`` as a document, or text written verbatim."""
    body = {"text": data} if isinstance(data, str) else {"data": data}
    return {"kind": kind, "file": file, "effective_date": effective_date, **body, **extra}


def figures(effective_date: str = "2025-03-31", **values: Any) -> dict[str, Any]:
    return item("figures", "figures.yaml", values, effective_date)


def document(doc_type: str, date: str, file: str | None = None) -> dict[str, Any]:
    return item("document", file or f"{doc_type}-{date}.yaml",
                {"type": doc_type, "title": f"The {doc_type}", "date": date}, date,
                id=f"doc-{doc_type}-{date}".replace("_", "-"))


def attestation(role: str, signed_on: str, topic: str = "assurance") -> dict[str, Any]:
    return item("attestation", f"attest-{signed_on}.yaml",
                {"topic": topic, "statement": "I am assured.", "signed_by": {"role": role},
                 "signed_on": signed_on}, signed_on, id=f"attest-{signed_on}")


def assess(tmp_path: Path, duties: list[dict[str, Any]], items: list[dict[str, Any]],
           as_of: str = AS_OF, plugins: tuple[Any, ...] = (),
           period: tuple[str, str] = PERIOD) -> Assessment:
    """Write the duties and the bundle, then assess them as ``dutycheck run`` would, with
    only the test plugins loaded."""
    duty_dir = tmp_path / "duties"
    duty_dir.mkdir(parents=True, exist_ok=True)
    for i, d in enumerate(duties):
        (duty_dir / f"{i:02d}.yaml").write_text(json.dumps(d, indent=2), encoding="utf-8")
    bundle = write_bundle(tmp_path / "bundle", items, period=period)
    return assess_bundle(bundle, as_of=as_of, plugins=(KindsPlugin(), *plugins),
                         duties=[duty_dir], entry_points=False)


HIGHER = {"green": {"at_least": 95}, "amber": {"at_least": 80, "below": 95},
          "red": {"below": 80}}
VS_PEERS = {"green": {"at_most": "figures.msg_mean_days"},
            "amber": {"above": "figures.msg_mean_days", "at_most": "figures.national_mean_days"},
            "red": {"above": "figures.national_mean_days"}}


# -- measure ----------------------------------------------------------------------------

@pytest.mark.parametrize(("score", "expected"), [
    (100, Rating.GREEN), (95, Rating.GREEN), (94.9, Rating.AMBER), (80, Rating.AMBER),
    (79.99, Rating.RED), (0, Rating.RED),
])
def test_measure_with_literal_bands(tmp_path, score, expected):
    req = measure("share", "figures.score", HIGHER, unit="%", direction="higher-is-better")
    out = assess(tmp_path, [duty("test.literal", req)], [figures(score=score)])
    f = out.finding("test.literal/share")
    assert Rating(f["rating"]) is expected
    assert f["value"] == score
    assert f["details"]["band"] == expected.value.lower()
    assert "threshold basis: inference" in f["reason"]
    assert f["evidence"] and f["evidence"][0]["file"] == "figures.yaml"
    assert len(f["evidence"][0]["sha256"]) == 64


@pytest.mark.parametrize(("mean", "expected"), [
    (30, Rating.GREEN), (46, Rating.GREEN), (46.5, Rating.AMBER), (48, Rating.AMBER),
    (49, Rating.RED),
])
def test_measure_with_comparator_bands(tmp_path, mean, expected):
    req = measure("mean-days", "figures.mean_days", VS_PEERS)
    out = assess(tmp_path, [duty("test.peers", req)],
                 [figures(mean_days=mean, msg_mean_days=46, national_mean_days=48)])
    f = out.finding("test.peers/mean-days")
    assert Rating(f["rating"]) is expected
    assert [(c["name"], c["value"]) for c in f["comparators"]] == [
        ("Most Similar Group mean days", 46.0), ("national mean days", 48.0)]
    # the reason quotes the comparator(s) that bound the band the value fell in
    if expected is not Rating.RED:
        assert "46 (Most Similar Group mean days)" in f["reason"]
    if expected is not Rating.GREEN:
        assert "48 (national mean days)" in f["reason"]


def test_measure_from_sql_over_a_table(tmp_path):
    req = measure("avg", {"sql": "SELECT avg(days) FROM cases"},
                  {"green": {"at_most": 20}, "red": {"above": 20}}, evidence=["cases"])
    csv = "case_ref,days\nA,10\nB,20\nC,36\n"
    out = assess(tmp_path, [duty("test.sql", req)], [item("cases", "cases.csv", csv)])
    f = out.finding("test.sql/avg")
    assert Rating(f["rating"]) is Rating.RED
    assert f["value"] == pytest.approx(22.0)
    assert any(e.get("file") == "cases.csv" for e in f["evidence"])


def test_monitoring_measure_is_never_worse_than_amber(tmp_path):
    req = measure("change", "figures.change", {"green": {"at_least": -15, "at_most": 15},
                                               "red": {"otherwise": True}}, monitoring=True,
                  direction="closer-is-better", unit="percentage points")
    out = assess(tmp_path, [duty("test.monitor", req)], [figures(change=40)])
    assert out.rating("test.monitor/change") is Rating.AMBER


def test_measure_with_a_nan_value_is_not_evidenced(tmp_path):
    req = measure("nan", "figures.mean_days", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.nan", req)],
                 [item("figures", "figures.yaml", "mean_days: .nan\n")])
    assert out.rating("test.nan/nan") is Rating.NOT_EVIDENCED


# -- document ---------------------------------------------------------------------------

def _doc_req(**extra: Any) -> dict[str, Any]:
    return {"id": "report", "kind": "document", "title": "An annual report is published",
            "document": {"type": "annual-report"}, "basis": "statute", **extra}


def test_document_fresh_is_green(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req())],
                 [document("annual-report", "2025-01-15")])
    f = out.finding("test.doc/report")
    assert Rating(f["rating"]) is Rating.GREEN
    assert f["value"] == "2025-01-15"
    assert "dated 2025-01-15" in f["reason"]


def test_document_latest_of_several_is_used(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req())],
                 [document("annual-report", "2022-01-15"), document("annual-report", "2025-01-15")])
    assert out.rating("test.doc/report") is Rating.GREEN


def test_document_stale_is_amber(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req())],
                 [document("annual-report", "2023-06-30")])
    f = out.finding("test.doc/report")
    assert Rating(f["rating"]) is Rating.AMBER
    assert "more than 366 days before 2025-03-31" in f["reason"]


def test_document_stale_with_when_stale_red_is_red(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req(when_stale="red"))],
                 [document("annual-report", "2023-06-30")])
    assert out.rating("test.doc/report") is Rating.RED


def test_document_max_age_days_is_respected(tmp_path):
    req = _doc_req(document={"type": "annual-report", "max_age_days": 30})
    out = assess(tmp_path, [duty("test.doc", req)], [document("annual-report", "2025-01-15")])
    assert out.rating("test.doc/report") is Rating.AMBER


def test_document_missing_is_not_evidenced(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req())],
                 [document("other-thing", "2025-01-15")])
    f = out.finding("test.doc/report")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "no annual-report document is in the bundle" in f["reason"]


def test_document_missing_with_no_document_items_at_all_is_not_evidenced(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req())], [figures(x=1)])
    assert out.rating("test.doc/report") is Rating.NOT_EVIDENCED


def test_document_missing_with_when_missing_red_is_red(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req(when_missing="red"))],
                 [document("other-thing", "2025-01-15")])
    f = out.finding("test.doc/report")
    assert Rating(f["rating"]) is Rating.RED
    assert "no annual-report document is in the bundle" in f["reason"]


def test_document_dated_after_the_assessment_date_is_not_evidenced(tmp_path):
    out = assess(tmp_path, [duty("test.doc", _doc_req())],
                 [document("annual-report", "2025-01-15")], as_of="2025-01-10",
                 period=("2024-01-01", "2024-12-31"))
    f = out.finding("test.doc/report")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "after the assessment date" in f["reason"]


# -- attestation ------------------------------------------------------------------------

def _attest_req(**extra: Any) -> dict[str, Any]:
    return {"id": "signed", "kind": "attestation", "title": "The PCC attests",
            "attestation": {"by": ["Police and Crime Commissioner"], "topic": "assurance"},
            "basis": "inference", **extra}


def test_attestation_alone_is_capped_at_amber(tmp_path):
    out = assess(tmp_path, [duty("test.attest", _attest_req())],
                 [attestation("Police and Crime Commissioner", "2025-05-01")])
    f = out.finding("test.attest/signed")
    assert Rating(f["rating"]) is Rating.AMBER
    assert "capped at Amber" in f["reason"]


def test_attestation_with_cap_green_is_green(tmp_path):
    out = assess(tmp_path, [duty("test.attest", _attest_req(cap="green"))],
                 [attestation("police and crime commissioner", "2025-05-01")])
    f = out.finding("test.attest/signed")
    assert Rating(f["rating"]) is Rating.GREEN
    assert f["value"] == "2025-05-01"


def test_attestation_by_the_wrong_role_is_not_evidenced(tmp_path):
    out = assess(tmp_path, [duty("test.attest", _attest_req())],
                 [attestation("Chief Constable", "2025-05-01")])
    f = out.finding("test.attest/signed")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "Police and Crime Commissioner" in f["reason"]


# -- grade ------------------------------------------------------------------------------

PEEL = {"outstanding": "green", "good": "green", "adequate": "amber",
        "requires improvement": "red", "inadequate": "red"}


@pytest.mark.parametrize(("grade", "expected"), [
    ("Outstanding", Rating.GREEN), ("Good", Rating.GREEN), ("adequate", Rating.AMBER),
    ("Requires improvement", Rating.RED), ("Inadequate", Rating.RED),
])
def test_grade_maps_through_the_scale(tmp_path, grade, expected):
    req = {"id": "peel", "kind": "grade", "title": "PEEL grade", "grade": "figures.peel",
           "scale": PEEL, "basis": "official"}
    out = assess(tmp_path, [duty("test.grade", req)], [figures(peel=grade)])
    f = out.finding("test.grade/peel")
    assert Rating(f["rating"]) is expected
    assert f["value"] == grade


def test_unknown_grade_is_not_evidenced(tmp_path):
    req = {"id": "peel", "kind": "grade", "title": "PEEL grade", "grade": "figures.peel",
           "scale": PEEL, "basis": "official"}
    out = assess(tmp_path, [duty("test.grade", req)], [figures(peel="Excellent")])
    f = out.finding("test.grade/peel")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "'Excellent' is not on the configured scale" in f["reason"]


# -- reconcile --------------------------------------------------------------------------

def _rate_req(**extra: Any) -> dict[str, Any]:
    return {"id": "rate", "kind": "reconcile", "title": "Stated upheld rate reconciles",
            "stated": "figures.upheld_rate",
            "computed": {"percent": ["figures.upheld",
                                     {"sum": ["figures.upheld", "figures.not_upheld"]}]},
            "tolerance": {"absolute": 0.5}, "basis": "inference", **extra}


def test_reconcile_within_tolerance_is_green(tmp_path):
    # 28 / (28 + 174) = 13.86%, published as 14%
    out = assess(tmp_path, [duty("test.rec", _rate_req())],
                 [figures(upheld_rate=14, upheld=28, not_upheld=174)])
    f = out.finding("test.rec/rate")
    assert Rating(f["rating"]) is Rating.GREEN
    assert f["details"]["computed"] == pytest.approx(100 * 28 / 202)
    assert "agree within 0.5" in f["reason"]


def test_reconcile_outside_tolerance_is_red(tmp_path):
    out = assess(tmp_path, [duty("test.rec", _rate_req())],
                 [figures(upheld_rate=15, upheld=28, not_upheld=174)])
    f = out.finding("test.rec/rate")
    assert Rating(f["rating"]) is Rating.RED
    assert f["details"]["difference"] == pytest.approx(15 - 100 * 28 / 202)
    assert "disagree" in f["reason"]


def test_reconcile_mismatch_with_on_mismatch_amber_is_amber(tmp_path):
    out = assess(tmp_path, [duty("test.rec", _rate_req(on_mismatch="amber"))],
                 [figures(upheld_rate=15, upheld=28, not_upheld=174)])
    assert out.rating("test.rec/rate") is Rating.AMBER


def test_reconcile_parts_sum_to_total(tmp_path):
    req = {"id": "parts", "kind": "reconcile", "title": "Parts sum to the total",
           "stated": "figures.received",
           "computed": {"sum": ["figures.upheld", "figures.not_upheld", "figures.iopc",
                                "figures.invalid"]},
           "basis": "inference"}
    ok = assess(tmp_path / "ok", [duty("test.parts", req)],
                [figures(received=255, upheld=28, not_upheld=174, iopc=11, invalid=42)])
    assert ok.rating("test.parts/parts") is Rating.GREEN
    bad = assess(tmp_path / "bad", [duty("test.parts", req)],
                 [figures(received=256, upheld=28, not_upheld=174, iopc=11, invalid=42)])
    assert bad.rating("test.parts/parts") is Rating.RED


def test_reconcile_relative_tolerance(tmp_path):
    req = {"id": "rel", "kind": "reconcile", "title": "Close enough",
           "stated": "figures.a", "computed": "figures.b",
           "tolerance": {"relative": 0.05}, "basis": "inference"}
    out = assess(tmp_path / "in", [duty("test.rel", req)], [figures(a=104, b=100)])
    assert out.rating("test.rel/rel") is Rating.GREEN
    out = assess(tmp_path / "out", [duty("test.rel", req)], [figures(a=106, b=100)])
    assert out.rating("test.rel/rel") is Rating.RED


def test_reconcile_division_by_zero_is_not_evidenced(tmp_path):
    out = assess(tmp_path, [duty("test.rec", _rate_req())],
                 [figures(upheld_rate=0, upheld=0, not_upheld=0)])
    f = out.finding("test.rec/rate")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "divide by zero" in f["reason"]


# -- check kind and plugin checks -------------------------------------------------------

class CustomGreen(Check):
    id = "testplug.custom"
    title = "A custom test check"
    covers = ("test.checked/custom",)
    reads = ("figures",)

    def run(self, requirement, evidence, context):
        n = evidence.value("figures.count")
        return Verdict(Rating.GREEN if n == 0 else Rating.RED, f"{n} problems found.", value=n)


class ComputesMeasure(Check):
    id = "testplug.computes"
    title = "Computes a measure's value"
    covers = ("test.computed/number",)
    reads = ("figures",)

    def run(self, requirement, evidence, context):
        return Measurement(evidence.value("figures.x") * 2, detail="Twice x.")


class Crashes(Check):
    id = "testplug.crashes"
    title = "Always fails"
    covers = ("test.crash/boom",)

    def run(self, requirement, evidence, context):
        raise RuntimeError("kaboom")


class SaysNotEvidenced(Check):
    id = "testplug.not-evidenced"
    title = "Finds the evidence unusable"
    covers = ("test.unusable/req",)

    def run(self, requirement, evidence, context):
        raise NotEvidenced("the register has no dates")


def _check_req(req_id: str = "custom") -> dict[str, Any]:
    return {"id": req_id, "kind": "check", "title": f"Check {req_id}", "basis": "statute"}


def test_check_kind_covered_by_a_plugin_check(tmp_path):
    out = assess(tmp_path, [duty("test.checked", _check_req())], [figures(count=0)],
                 plugins=(ChecksPlugin(CustomGreen),))
    f = out.finding("test.checked/custom")
    assert Rating(f["rating"]) is Rating.GREEN
    assert f["check"] == {"id": "testplug.custom", "plugin": "ChecksPlugin", "version": "9.9.9"}
    out = assess(tmp_path / "red", [duty("test.checked", _check_req())], [figures(count=3)],
                 plugins=(ChecksPlugin(CustomGreen),))
    assert out.rating("test.checked/custom") is Rating.RED


def test_measure_value_computed_by_a_plugin_is_rated_against_the_yaml_bands(tmp_path):
    req = measure("number", None, {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.computed", req)], [figures(x=6)],
                 plugins=(ChecksPlugin(ComputesMeasure),))
    f = out.finding("test.computed/number")
    assert Rating(f["rating"]) is Rating.RED
    assert f["value"] == 12
    assert "Twice x." in f["reason"]


def test_plugin_check_raising_not_evidenced(tmp_path):
    out = assess(tmp_path, [duty("test.unusable", _check_req("req"))], [figures(x=1)],
                 plugins=(ChecksPlugin(SaysNotEvidenced),))
    f = out.finding("test.unusable/req")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "the register has no dates" in f["reason"]


# -- not assessed -----------------------------------------------------------------------

def test_check_requirement_nobody_covers_is_not_assessed(tmp_path):
    out = assess(tmp_path, [duty("test.orphan", _check_req())], [figures(x=1)])
    f = out.finding("test.orphan/custom")
    assert Rating(f["rating"]) is Rating.NOT_ASSESSED
    assert "no installed check covers this requirement" in f["reason"]
    assert out.rating("test.orphan") is Rating.NOT_ASSESSED


def test_measure_without_value_or_check_is_not_assessed(tmp_path):
    req = measure("number", None, {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.novalue", req)], [figures(x=1)])
    assert out.rating("test.novalue/number") is Rating.NOT_ASSESSED


# -- not due ----------------------------------------------------------------------------

def test_one_off_duty_due_after_the_assessment_date_is_not_due(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    d = duty("test.oneoff", req, cadence="one-off", due="2026-01-31")
    out = assess(tmp_path, [d], [figures(x=1)])
    f = out.finding("test.oneoff/m")
    assert Rating(f["rating"]) is Rating.NOT_DUE
    assert "falls due on 2026-01-31, after the assessment date 2025-11-01" in f["reason"]
    assert out.rating("test.oneoff") is Rating.NOT_DUE


def test_one_off_duty_already_due_is_rated(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    d = duty("test.oneoff", req, cadence="one-off", due="2025-06-30")
    out = assess(tmp_path, [d], [figures(x=1, effective_date="2019-01-01")])
    # a one-off duty's evidence does not go stale
    assert out.rating("test.oneoff/m") is Rating.GREEN


def test_annual_duty_before_the_period_ends_is_not_due(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.early", req)], [figures(x=1, effective_date="2024-05-01")],
                 as_of="2024-06-01")
    f = out.finding("test.early/m")
    assert Rating(f["rating"]) is Rating.NOT_DUE
    assert "has not ended" in f["reason"]


# -- not evidenced: stale and missing ---------------------------------------------------

def test_stale_evidence_for_an_annual_duty_is_not_evidenced(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.stale", req)], [figures(x=1, effective_date="2023-06-30")])
    f = out.finding("test.stale/m")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    # period ends 2025-03-31; an annual cadence allows 366 days
    assert "figures.yaml is dated 2023-06-30" in f["reason"]
    assert "on or after 2024-03-30" in f["reason"]


def test_evidence_just_inside_the_cadence_window_is_used(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.edge", req)], [figures(x=1, effective_date="2024-03-30")])
    assert out.rating("test.edge/m") is Rating.GREEN


def test_stale_evidence_for_a_quarterly_duty_is_not_evidenced(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    d = duty("test.quarterly", req, cadence="quarterly")
    out = assess(tmp_path, [d], [figures(x=1, effective_date="2024-10-01")])
    f = out.finding("test.quarterly/m")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "quarterly duty needs evidence dated on or after 2024-12-29" in f["reason"]


def test_evidence_dated_after_the_assessment_date_is_not_evidenced(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.future", req)],
                 [figures(x=1, effective_date="2025-12-01")])
    f = out.finding("test.future/m")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "after the assessment date" in f["reason"]


def test_missing_evidence_item_is_not_evidenced(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.missing", req)],
                 [item("cases", "cases.csv", "case_ref,days\nA,1\n")])
    f = out.finding("test.missing/m")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "the bundle has no figures item" in f["reason"]


def test_missing_field_in_an_item_is_not_evidenced(tmp_path):
    req = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.field", req)], [figures(y=1)])
    f = out.finding("test.field/m")
    assert Rating(f["rating"]) is Rating.NOT_EVIDENCED
    assert "has no value for x" in f["reason"]


def test_missing_comparator_is_not_evidenced(tmp_path):
    req = measure("mean-days", "figures.mean_days", VS_PEERS)
    out = assess(tmp_path, [duty("test.peers", req)], [figures(mean_days=30, msg_mean_days=46)])
    assert out.rating("test.peers/mean-days") is Rating.NOT_EVIDENCED


# -- error ------------------------------------------------------------------------------

def test_a_check_that_raises_is_an_error_and_the_run_completes(tmp_path):
    ok = measure("m", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.crash", _check_req("boom"), ok),
                            duty("test.after", dict(ok))],
                 [figures(x=1)], plugins=(ChecksPlugin(Crashes),))
    f = out.finding("test.crash/boom")
    assert Rating(f["rating"]) is Rating.ERROR
    assert "check testplug.crashes (plugin ChecksPlugin 9.9.9) failed: RuntimeError: kaboom" \
        in f["reason"]
    assert f["error"] and f["error"].startswith(
        "test.crash/boom: check testplug.crashes (plugin ChecksPlugin 9.9.9) failed: "
        "RuntimeError: kaboom")
    assert out.rating("test.crash/m") is Rating.GREEN
    assert out.rating("test.after/m") is Rating.GREEN
    assert out.rating("test.crash") is Rating.ERROR
    assert out.report["errors"] == [f["error"]]  # the run is incomplete: exit 3


# -- roll-up ----------------------------------------------------------------------------

def test_duty_takes_its_worst_requirement(tmp_path):
    green = measure("green", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    amber = measure("amber", "figures.x", {"green": {"at_most": 0}, "amber": {"above": 0}})
    red = measure("red", "figures.x", {"green": {"below": 0}, "red": {"at_least": 0}})
    gap = measure("gap", "figures.nothing", {"green": {"at_most": 10}, "red": {"above": 10}})
    orphan = _check_req("orphan")
    out = assess(tmp_path, [
        duty("test.ga", green, amber),
        duty("test.gar", green, amber, red, gap),
        duty("test.gap", green, gap, amber),
        duty("test.orphan", green, orphan),
        duty("test.green", green, dict(green, id="green2")),
    ], [figures(x=1)])
    assert out.rating("test.ga") is Rating.AMBER
    assert out.rating("test.gar") is Rating.RED
    assert out.rating("test.gap") is Rating.NOT_EVIDENCED
    assert out.rating("test.orphan") is Rating.NOT_ASSESSED
    assert out.rating("test.green") is Rating.GREEN
    assert out.duty("test.green")["reason"] == "All 2 requirements met."
    assert out.duty("test.gar")["reason"].startswith("Red because ")
    by_id = {d["id"]: d for d in out.report["duties"]}
    assert by_id["test.gar"]["rating"] == "Red"
    (area,) = out.report["areas"]
    assert area["id"] == "test"
    assert area["rating"] == "Red"
    assert area["counts"]["Green"] == 1


def test_worst_order():
    assert worst([]) is Rating.NOT_ASSESSED
    assert worst([Rating.NOT_DUE]) is Rating.NOT_DUE
    assert worst([Rating.GREEN, Rating.NOT_DUE]) is Rating.GREEN
    assert worst([Rating.GREEN, Rating.NOT_ASSESSED]) is Rating.NOT_ASSESSED
    assert worst([Rating.AMBER, Rating.NOT_ASSESSED]) is Rating.AMBER
    assert worst([Rating.AMBER, Rating.NOT_EVIDENCED]) is Rating.NOT_EVIDENCED
    assert worst([Rating.RED, Rating.NOT_EVIDENCED]) is Rating.RED
    assert worst([Rating.RED, Rating.ERROR]) is Rating.ERROR


# -- assurance opinion ------------------------------------------------------------------

S, G = "statutory", "statutory-guidance"


def test_opinion_all_green_is_substantial():
    op = opinion([(S, Rating.GREEN), (G, Rating.GREEN), (S, Rating.NOT_DUE)])
    assert op.level == "Substantial"
    assert op.reasons == ["all 2 duties are Green"]


def test_opinion_with_ambers_is_reasonable():
    op = opinion([(S, Rating.GREEN)] * 3 + [(G, Rating.AMBER)])
    assert op.level == "Reasonable"
    assert op.reasons == ["of 4 duties: 1 Amber"]


def test_opinion_red_on_non_statutory_duty_below_the_share_is_reasonable():
    op = opinion([(S, Rating.GREEN)] * 4 + [(G, Rating.RED)])
    assert op.level == "Reasonable"


def test_opinion_statutory_red_caps_at_limited():
    op = opinion([(S, Rating.GREEN)] * 9 + [(S, Rating.RED)])
    assert op.level == "Limited"
    assert "any Red on a statutory duty caps the opinion at Limited" in op.reasons[0]


def test_opinion_says_when_statutory_reds_rest_on_inferred_thresholds():
    duties = [(S, Rating.GREEN)] * 7 + [(S, Rating.RED)] * 3
    op = opinion(duties, inferred_reds=2)
    assert op.level == "Limited"  # the cap still applies...
    assert op.reasons[0] == (  # ...but a reader is told what the Reds rest on
        "3 statutory duties rated Red (any Red on a statutory duty caps the opinion at "
        "Limited); 2 of them are Red against thresholds that no law or guidance states "
        "(basis: inference)")
    one = opinion([(S, Rating.GREEN)] * 9 + [(S, Rating.RED)], inferred_reds=1)
    assert one.reasons[0].startswith("1 statutory duty rated Red")
    assert "; it is Red against thresholds that no law or guidance states" in one.reasons[0]


def test_opinion_statutory_cap_can_be_switched_off():
    duties = [(S, Rating.GREEN)] * 9 + [(S, Rating.RED)]
    assert opinion(duties, {"statutory_red_caps_at": "none"}).level == "Reasonable"


def test_opinion_red_share_makes_limited():
    op = opinion([(G, Rating.GREEN)] * 3 + [(G, Rating.RED)])
    assert op.level == "Limited"
    assert "1 of 4 duties is Red" in op.reasons[0]


def test_opinion_gap_share_makes_limited():
    duties = [(S, Rating.GREEN)] * 3 + [(S, Rating.NOT_EVIDENCED)]
    assert opinion(duties).level == "Limited"
    duties = [(S, Rating.GREEN)] * 3 + [(S, Rating.ERROR)]
    assert opinion(duties).level == "Limited"
    duties = [(S, Rating.GREEN)] * 4 + [(S, Rating.NOT_ASSESSED)]
    assert opinion(duties).level == "Reasonable"


def test_opinion_half_red_is_no_assurance():
    op = opinion([(G, Rating.GREEN), (G, Rating.RED)])
    assert op.level == "No assurance"
    assert op.reasons == ["1 of 2 duties is Red (No assurance at 50% or more)"]


def test_opinion_nothing_due_is_no_opinion_not_no_assurance():
    assert opinion([(S, Rating.NOT_DUE)]).level == "No opinion"
    assert opinion([]).level == "No opinion"
    assert "nothing to give an opinion on" in opinion([]).reasons[0]


def test_opinion_rule_is_configurable():
    assert DEFAULT_OPINION_RULE["statutory_red_caps_at"] == "limited"
    duties = [(G, Rating.GREEN)] * 3 + [(G, Rating.RED)]
    assert opinion(duties, {"limited_red_share": 0.5, "no_assurance_red_share": 0.9}).level \
        == "Reasonable"


def test_report_carries_the_opinion(tmp_path):
    red = measure("red", "figures.x", {"green": {"below": 0}, "red": {"at_least": 0}})
    green = measure("green", "figures.x", {"green": {"at_most": 10}, "red": {"above": 10}})
    out = assess(tmp_path, [duty("test.a", red)] + [
        duty(f"test.g{i}", green, kind="national-expectation") for i in range(9)],
        [figures(x=1)])
    assert out.report["opinion"]["level"] == "Limited"
    assert out.report["areas"][0]["opinion"] == "Limited"
    assert out.report["counts"]["duties"]["Red"] == 1
    assert out.report["counts"]["duties"]["Green"] == 9


# -- the Kent 2024/25 sample ------------------------------------------------------------

@pytest.fixture(scope="module")
def kent() -> Assessment:
    return assess_bundle(SAMPLE, as_of=AS_OF)


def test_kent_timeliness_against_peers_is_green_with_both_comparators(kent):
    f = kent.finding("complaints.review-timeliness/mean-days-vs-peers")
    assert Rating(f["rating"]) is Rating.GREEN
    assert f["value"] == 30
    assert [c["value"] for c in f["comparators"]] == [46.0, 48.0]
    assert "at most 46 (Most Similar Group mean days)" in f["reason"]


def test_kent_upheld_rate_reconciles(kent):
    f = kent.finding("complaints.upheld-rate/stated-rate-reconciles")
    assert Rating(f["rating"]) is Rating.GREEN
    assert f["details"]["stated"] == 14
    assert f["details"]["computed"] == pytest.approx(100 * 28 / (28 + 174))


def test_kent_parts_sum_reconciles(kent):
    f = kent.finding("complaints.review-body-allocation/published-parts-sum")
    assert Rating(f["rating"]) is Rating.GREEN
    assert f["details"]["stated"] == 255
    assert f["details"]["computed"] == 28 + 174 + 11 + 42


def test_kent_run_is_complete(kent):
    assert kent.report["errors"] == []
    assert kent.report["plugin_failures"] == []
    states = {Rating(r["rating"]) for d in kent.report["duties"] for r in d["requirements"]}
    assert Rating.ERROR not in states and Rating.NOT_ASSESSED not in states


def test_kent_report_validates_against_the_report_schema(kent):
    schema_path = ROOT / "schemas" / "report.schema.json"
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(kent.report), key=lambda e: e.path)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize(("number", "unit", "text"), [
    (1, "children", "1 child"), (2, "children", "2 children"), (1, "working days", "1 working day"),
    (1, "days after month end", "1 day after month end"), (1.0, "suite-months", "1 suite-month"),
    (1, "%", "1%"), (0.5, "hours", "0.5 hours"), (12.25, "days", "12.2 days"),
    (1, "percentage points", "1 percentage point"), (0, "detentions", "0 detentions")])
def test_a_quantity_reads_as_said(number, unit, text):
    from dutycheck.expressions import quantity

    assert quantity(number, unit) == text


@pytest.mark.parametrize(("value", "shown"), [
    (12.25, "12.2"), (3.0, "3"), (-16.666, "-16.7"), (-0.004, "-0.004"), (0.04, "0.04"),
    (-0.0, "0"), (29.996, "30"),
])
def test_numbers_read_as_a_paper_prints_them_and_never_as_minus_zero(value, shown):
    from dutycheck.expressions import format_number

    assert format_number(value) == shown

"""The canonical report: schema-valid, sealed, and reproducible under --as-of."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from dutycheck import bundle, catalogue, engine, report
from dutycheck.host import make_host
from dutycheck.reporting.markdown import render as markdown

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "kent-2024-25"
AS_OF = dt.date(2025, 11, 1)


def build_report(audience: str = "jac", as_of: dt.date = AS_OF) -> dict:
    host = make_host()
    cat = catalogue.load([p for _, p in host.duty_locations()])
    kinds = {n: k for n, (_, k) in host.evidence_kinds().items()}
    with bundle.load(SAMPLE, kinds) as b:
        result = engine.run(cat, b, host, as_of)
        return report.build(result, cat, b, host, as_of, audience)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("audience", ["jac", "panel"])
def test_sample_report_matches_the_schema(validator, audience):
    doc = json.loads(report.canonical(build_report(audience)))
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []


def test_report_seals_itself_over_canonical_json():
    doc = build_report()
    assert doc["sha256"] == report.digest(doc)
    tampered = json.loads(report.canonical(doc))
    tampered["duties"][0]["rating"] = "Green" if doc["duties"][0]["rating"] != "Green" else "Red"
    assert report.digest(tampered) != doc["sha256"]


def test_same_inputs_and_as_of_give_identical_json_and_markdown():
    first, second = build_report(), build_report()
    assert report.canonical(first) == report.canonical(second)
    assert markdown(first) == markdown(second)


def test_a_different_as_of_changes_the_seal():
    assert build_report()["sha256"] != build_report(as_of=dt.date(2025, 12, 1))["sha256"]


def test_every_rating_is_traceable_to_source_threshold_and_evidence():
    doc = build_report()
    for duty in doc["duties"]:
        assert duty["source"]["title"] and duty["source"]["basis"]
        assert duty["reason"]
        for req in duty["requirements"]:
            assert req["reason"].strip(), req["ref"]
            if req["rating"] in ("Green", "Amber", "Red") and req["kind"] in ("measure",
                                                                              "reconcile"):
                assert req["threshold"]["basis"], req["ref"]
                files = [e for e in req["evidence"] if "sha256" in e]
                assert files, f"{req['ref']} cites no evidence file"


def test_every_input_is_hashed():
    doc = build_report()
    items = {i["file"]: i for i in doc["inputs"]["bundle"]["items"]}
    for name, item in items.items():
        assert len(item["sha256"]) == 64, name
    assert items["complaint-review-register.csv"]["synthetic"] is True
    assert items["complaint-review-return.yaml"]["synthetic"] is False
    assert {f["file"] for f in doc["inputs"]["duty_files"]} >= {
        "duties/complaints/timeliness.yaml", "duties/complaints/allocation.yaml"}


def test_no_case_reference_reaches_the_report():
    text = report.canonical(build_report()) + markdown(build_report())
    assert "SYN-0" not in text  # case_ref is declared personal: rows are cited by number


def test_published_timeliness_is_rated_against_its_comparators():
    doc = build_report()
    duty = next(d for d in doc["duties"] if d["id"] == "complaints.review-timeliness")
    req = next(r for r in duty["requirements"] if r["id"] == "mean-days-vs-peers")
    assert (req["rating"], req["value"]) == ("Green", 30)
    assert sorted(c["value"] for c in req["comparators"]) == [46, 48]
    assert "Most Similar Group" in req["reason"]
    assert req["threshold"]["basis"] == "inference"


def test_an_area_with_nothing_evidenced_gets_no_assurance_not_limited():
    """11 of 11 duties not evidenced is not the Limited a partly evidenced area gets; the
    share is configurable (``no_assurance_gap_share``) and printed in the method."""
    from dutycheck.rating import opinion
    from dutycheck.ratings import Rating
    from dutycheck.reporting.view import opinion_rule_text

    gaps = [("statutory", Rating.NOT_EVIDENCED)] * 10 + [("statutory", Rating.ERROR)]
    none = opinion(gaps)
    assert none.level == "No assurance"
    assert none.reasons == ["all 11 duties are not evidenced, not assessed or in error, so "
                            "nothing was rated against the evidence (No assurance at 100%)"]
    partly = opinion(gaps[:-1] + [("statutory", Rating.GREEN)])
    assert partly.level == "Limited"
    assert opinion(gaps[:-1] + [("statutory", Rating.GREEN)],
                   {"no_assurance_gap_share": 0.9}).level == "No assurance"
    assert opinion([("statutory", Rating.NOT_DUE)] * 3).level == "No opinion"
    rule = " ".join(opinion_rule_text(report.DEFAULT_OPINION_RULE))
    assert "or all of them are not evidenced, not assessed or in error" in rule


def test_no_assurance_gap_share_is_accepted_from_a_run_config(tmp_path):
    """The setting docs/ratings.md documents can be set where officers set it: a --config
    file, validated like every other key, and it reaches the report's opinion rule."""
    from conftest import AS_OF, SAMPLE, run_cli

    config = tmp_path / "run.yaml"
    config.write_text("opinion:\n  no_assurance_gap_share: 0.9\n", encoding="utf-8")
    code, out, err = run_cli("validate", config)
    assert code == 0, out + err
    report_file = tmp_path / "r.json"
    code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--area", "complaints", "--config",
                           config, "--format", "json", "--output", report_file,
                           "--fail-on", "never")
    assert code == 0, err
    doc = json.loads(report_file.read_text(encoding="utf-8"))
    assert doc["opinion"]["parameters"]["no_assurance_gap_share"] == 0.9

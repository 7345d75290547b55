"""The plan and governance plugin, tested as a partner tests theirs: behaviour cases,
plugin validity, the real Kent sample, a second organisation's plan loaded as data, and
bad tracker input."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_cli

import dutycheck.plugins.plan as plan
from dutycheck import Rating
from dutycheck.errors import InvalidInput
from dutycheck.testing import (
    assert_plugin_valid,
    assess,
    load_test_cases,
    run_test_case,
    write_bundle,
)

CASES = Path(plan.__file__).parent / "cases"
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "kent-2024-25"
# The 2025-29 plan's delivery tracker (as at 31 March 2026) is in the 2025/26 sample.
SAMPLE_2025_26 = ROOT / "samples" / "kent-2025-26"
KENT = "Office of the Kent Police and Crime Commissioner"
KENT_PLAN = ROOT / "duties" / "plan" / "kent-2025-29.yaml"


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[plan], entry_points=False)


def test_plugin_is_valid_and_every_check_and_band_has_a_case():
    assert_plugin_valid(plan, cases=CASES)


# -- the catalogue ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kent():
    return assess(SAMPLE, as_of="2025-11-01")


@pytest.fixture(scope="module")
def kent_tracker():
    """The 2025/26 sample at the date its README gives (after the year end), so the
    tracker, as at 31 March 2026, is current; if it goes stale this fails loudly."""
    return assess(SAMPLE_2025_26, as_of="2026-06-30")


def _commitments(report):
    return [d for d in report["duties"]
            if d["kind"] == "plan-commitment" and any(t.startswith("commitment:")
                                                      for t in d["tags"])]


def test_the_plan_has_4_priorities_23_sub_priorities_83_commitments(kent):
    duties = _commitments(kent.report)
    numbered = [d for d in duties if "cross-cutting" not in d["tags"]]
    assert len(numbered) == 83
    tags = [dict(t.split(":", 1) for t in d["tags"] if ":" in t) for d in numbered]
    assert Counter(t["priority"] for t in tags) == {
        "protecting-people": 34, "protecting-places": 18, "protecting-property": 16,
        "productive-partnerships": 15}
    assert len({(t["priority"], t["sub-priority"]) for t in tags}) == 23
    assert len({t["commitment"] for t in tags}) == 83
    # Owners from the plan's grammatical subject ("I will", "Kent Police will", jointly).
    assert Counter(t["owner"] for t in tags) == {"pcc": 47, "force": 28, "joint": 6,
                                                 "force-implied": 1, "unstated": 1}


def test_the_cross_cutting_monitoring_commitments_are_commitments_too(kent):
    # Research seed-002-003.md A3.2: X2-X5, X7-X9 and X14, each with its line in seed 002.
    cross = {d["id"]: d for d in _commitments(kent.report) if "cross-cutting" in d["tags"]}
    refs = {dict(t.split(":", 1) for t in d["tags"] if ":" in t)["commitment"]: d
            for d in cross.values()}
    assert sorted(refs) == ["X14", "X2", "X3", "X4", "X5", "X7", "X8", "X9"]
    lines = (ROOT / "samples" / "sources" / "002_0fa1db5300ef0649.txt").read_text(
        encoding="utf-8").splitlines()
    for ref, duty in refs.items():
        line = int(next(t for t in duty["tags"] if t.startswith("line:"))[5:])
        assert duty["title"].rstrip(".") in lines[line - 1], ref
    # X2-X5 are how the plan is monitored, not objectives: GOV-06 does not ask for them.
    assert {r for r, d in refs.items() if "delivery-mechanism" in d["tags"]} == \
        {"X2", "X3", "X4", "X5"}
    soteria = kent.duty("plan.kent-1-1-1")
    assert soteria["title"].startswith("Working with the Chief Constable, I will ensure Kent "
                                       "Police uses research from Operation Soteria")
    assert "line 136" in soteria["source"]["note"]
    assert soteria["holder"] == ["PCC", "Chief Constable"]


# -- the real sample ----------------------------------------------------------------------

def test_every_commitment_is_rated_from_the_tracker(kent_tracker):
    kent = kent_tracker
    ratings = Counter(d["rating"] for d in _commitments(kent.report))
    assert sum(ratings.values()) == 91
    # A realistic mix at the documented date, not all Not evidenced.
    assert set(ratings) == {"Green", "Amber", "Red", "Not evidenced"}
    assert ratings["Not evidenced"] < 15
    # Burglary attendance: ~99% (P&DB notes 16 Sep 2025, seed 001 L839), cited in the row.
    burglary = kent.finding("plan.kent-3-1-3/delivery")
    assert burglary["rating"] == "Green"
    assert burglary["evidence"][0]["synthetic"] is True
    # Retail Crime Board: last evidenced meeting 5 Dec 2024 (seed 000 L545) is stale.
    retail = kent.finding("plan.kent-3-2-4/delivery")
    assert retail["rating"] == "Not evidenced"
    assert "2024-12-05" in retail["reason"]
    # Several milestones for one commitment (plan_milestones): two past due, both named.
    cyber = kent.finding("plan.kent-3-5-1/delivery")
    assert cyber["rating"] == "Amber"
    assert "2 of its milestones are past due and not recorded as met" in cyber["reason"]


def test_coverage_matrix_by_priority(kent_tracker):
    kent = kent_tracker
    total = Counter()
    for priority, n in (("protecting-people", 35), ("protecting-places", 18),
                        ("protecting-property", 16), ("productive-partnerships", 18),
                        ("effective-monitoring-and-accountability", 4)):
        f = kent.finding(f"plan.kent-delivery-coverage/{priority}")
        matrix = f["details"]["matrix"]
        assert sum(matrix.values()) == n
        total.update(f["details"]["no_tracker_row"])
        assert f["threshold"]["basis"] == "inference"
    assert sorted(total) == ["2.3.3", "4.7.1"]
    places = kent.finding("plan.kent-delivery-coverage/protecting-places")
    assert "no tracker row at all: 2.3.3" in places["reason"]



def test_the_coverage_matrix_heads_the_plan_area_as_a_table(kent_tracker):
    """dutycheck_report_tables: the Panel reads coverage as a table, one row per priority,
    whose counts are the coverage findings' own."""
    [table] = [t for t in kent_tracker.report["tables"] if t["plugin"] == "plan"]
    assert table["area"] == "plan" and table["rating_column"] == 1
    rows = {r[0]: r for r in table["rows"]}
    assert list(rows) == ["Protecting people", "Protecting places", "Protecting property",
                          "Productive partnerships",
                          "Effective monitoring and accountability"]
    places = kent_tracker.finding("plan.kent-delivery-coverage/protecting-places")
    m = places["details"]["matrix"]
    assert rows["Protecting places"] == [
        "Protecting places", places["rating"], "18", str(m["Green"]), str(m["Amber"]),
        str(m["Red"]), str(m["Not evidenced"]), "2.3.3"]

def test_governance_ratings_from_the_published_seeds(kent):
    # s.7: the draft plan sets out no crime and disorder grants or conditions (002 L261, L282).
    s7 = kent.finding("plan.gov-02-plan-contents/s7-elements")
    assert (s7["rating"], s7["value"]) == ("Amber", 5)
    assert "crime and disorder grants" in s7["reason"]
    # The annual report reached the Panel on 14 Oct 2025 (001 L65, L89): 197 days after the
    # year end, Red against the inferred July/September bands, and labelled inference.
    ar = kent.finding("plan.gov-05-annual-report/published-after-year-end")
    assert (ar["rating"], ar["value"]) == ("Red", 197)
    assert ar["threshold"]["basis"] == "inference"
    assert kent.rating("plan.gov-05-annual-report/presented-to-panel") is Rating.GREEN
    # The 2024/25 report covers the previous plan, Making Kent Safer (000 L111-L128),
    # which is not catalogued; the 2025-29 plan is in force from April 2025. So the
    # report's 13 sections cannot be checked against a plan, and GOV-06 says so.
    gov06 = kent.finding("plan.gov-06-annual-report-coverage/objectives-covered")
    assert gov06["rating"] == "Not evidenced"
    assert f"no plan catalogue loaded for {KENT} is in force by 2025-03-31" in gov06["reason"]
    assert kent.rating("plan.gov-07-panel-recommendations") is Rating.GREEN
    # Combined JAC, five independent members (001 L280-L281; 000 L381).
    assert kent.rating("plan.gov-15-jac-independent") is Rating.GREEN
    # Performance and Delivery Board: 12 Jun, 2 Oct, 11 Dec 2024, 19 Feb 2025 (000 L385).
    pdb = kent.finding("plan.gov-performance-board/meetings-held")
    assert (pdb["rating"], pdb["value"]) == ("Green", 4)
    assert "2024-06-12, 2024-10-02, 2024-12-11, 2025-02-19" in pdb["reason"]
    # The synthetic spend log has one PCC month (Dec 2024) published 45 days late.
    spend = kent.finding("plan.gov-10-spend-published/pcc-months")
    assert (spend["rating"], spend["value"]) == ("Amber", 45)
    assert spend["evidence"][0]["synthetic"] is True


def test_facts_the_seeds_do_not_give_are_gaps(kent):
    for ref in ("plan.gov-01-plan-issued",          # the 2025-29 plan's issue date
                "plan.gov-16-jac-meetings",         # 2024/25 JAC dates (only 2026 published)
                "plan.gov-03-panel-scrutiny", "plan.gov-09-sio-published",
                "plan.gov-12-decisions-published", "plan.gov-19-audit-recommendations"):
        assert kent.rating(ref) is Rating.NOT_EVIDENCED, ref


# -- plans are data -----------------------------------------------------------------------

PARTNER_PLAN = """\
area: {id: essex-plan, title: Example partner plan}
duties:
  - id: essex-plan.c-1-1
    title: I will fund a rural crime team.
    kind: plan-commitment
    holder: PCC
    tags: ["commitment:1.1", "priority:safer-places"]
    source: {title: "Example Police, Fire and Crime Plan 2025-29", basis: local-practice}
    cadence: quarterly
    requirements:
      - id: delivery
        kind: check
        title: Delivery reported on the tracker
        params:
          update_within_days: {value: 183, basis: local-practice, note: half-yearly board}
  - id: essex-plan.c-1-2
    title: The force will answer 999 calls promptly.
    kind: plan-commitment
    holder: Chief Constable
    tags: ["commitment:1.2", "priority:safer-places"]
    source: {title: "Example Police, Fire and Crime Plan 2025-29", basis: local-practice}
    cadence: quarterly
    requirements:
      - id: delivery
        kind: check
        title: Delivery reported on the tracker
        params:
          update_within_days: {value: 183, basis: local-practice, note: half-yearly board}
  - id: essex-plan.coverage
    title: Commitments with current delivery evidence
    kind: plan-commitment
    holder: PCC
    tags: [plan-coverage]
    source: {title: "Example Police, Fire and Crime Plan 2025-29", basis: local-practice}
    cadence: quarterly
    requirements:
      - id: all-priorities
        kind: measure
        title: Share of commitments with current tracker evidence
        unit: "%"
        direction: higher-is-better
        bands: {green: {at_least: 100}, red: {below: 100}}
        basis: inference
        params:
          update_within_days: {value: 183, basis: local-practice}
"""


def test_a_second_organisations_plan_is_data_not_code(tmp_path):
    catalogue = tmp_path / "example-plan.yaml"
    catalogue.write_text(PARTNER_PLAN, encoding="utf-8")
    bundle = write_bundle(tmp_path / "bundle", [{
        "kind": "plan_delivery_tracker", "effective_date": "2025-10-31",
        "rows": [{"commitment_id": "1.1", "status": "at-risk", "last_update": "2025-06-01"}],
    }], organisation="Example OPCC")
    # The partner supplies only YAML (here through --duties); the built-in rule claims
    # every plan-commitment requirement, whichever plan it comes from.
    result = assess(bundle, plugins=[plan], entry_points=False, duties=[catalogue],
                    only=["essex-plan.c-1-1", "essex-plan.c-1-2", "essex-plan.coverage"])
    # 152 days old, inside this plan's own half-yearly cadence.
    assert result.rating("essex-plan.c-1-1/delivery") is Rating.AMBER
    assert result.finding("essex-plan.c-1-1/delivery")["check"]["id"] == \
        "plan.commitment-delivery"
    assert result.rating("essex-plan.c-1-2/delivery") is Rating.NOT_EVIDENCED
    cov = result.finding("essex-plan.coverage/all-priorities")
    assert (cov["rating"], cov["value"]) == ("Red", 50)
    assert cov["details"]["no_tracker_row"] == ["1.2"]


def _partner_run(tmp_path, catalogue_text, rows, only=("essex-plan.c-1-1", "essex-plan.c-1-2",
                                                       "essex-plan.coverage")):
    catalogue = tmp_path / "example-plan.yaml"
    catalogue.write_text(catalogue_text, encoding="utf-8")
    bundle = write_bundle(tmp_path / "bundle", [{
        "kind": "plan_delivery_tracker", "effective_date": "2025-10-31", "rows": rows,
    }], organisation="Example OPCC")
    return assess(bundle, plugins=[plan], entry_points=False, duties=[catalogue],
                  only=list(only))


def test_a_plan_without_update_within_days_uses_its_cadence_and_says_so(tmp_path):
    # Before: KeyError, the requirement was an Error and the run exited 3.
    text = PARTNER_PLAN.replace(
        "        params:\n          update_within_days: {value: 183, basis: local-practice, "
        "note: half-yearly board}\n", "", 1)
    assert text.count("update_within_days") == PARTNER_PLAN.count("update_within_days") - 1
    result = _partner_run(tmp_path, text, [
        {"commitment_id": "1.1", "status": "at-risk", "last_update": "2025-06-01"}])
    f = result.finding("essex-plan.c-1-1/delivery")
    assert f["rating"] == "Not evidenced"
    assert ("152 days before the tracker's date 2025-10-31; updates are due every 92 days "
            "(the duty's quarterly cadence; the requirement gives no update_within_days)"
            ) in f["reason"]
    assert result.report["errors"] == []


def _refused(tmp_path, text):
    """The partner's plan through ``dutycheck validate`` (exit 4, nothing else run) and
    through a run, which refuses it the same way before reading any evidence."""
    catalogue = tmp_path / "example-plan.yaml"
    catalogue.write_text(text, encoding="utf-8")
    code, out, err = run_cli("validate", catalogue)
    assert code == 4, out + err
    with pytest.raises(InvalidInput) as exc:
        _partner_run(tmp_path, text, [
            {"commitment_id": "1.1", "status": "at-risk", "last_update": "2025-09-01"}])
    assert [str(p) for p in exc.value.problems] == [
        ln.removeprefix("error: ") for ln in err.splitlines() if ln.startswith("error: ")]
    return err


def test_a_misspelt_commitment_tag_is_refused_at_validate_naming_the_file_and_line(tmp_path):
    # Before: the rule fell back to the id's last part ('c-1-1') and the commitment read
    # as having no tracker row; then an Error in the middle of a run.
    err = _refused(tmp_path, PARTNER_PLAN.replace('"commitment:1.1"', '"commitmnet:1.1"'))
    assert re.search(r"example-plan\.yaml:3: essex-plan\.c-1-1: duty essex-plan\.c-1-1 is a "
                     r"plan-commitment with no 'commitment:<ref>' tag", err), err
    assert "did you mean 'commitment:1.1' instead of 'commitmnet:1.1'?" in err


def test_a_coverage_requirement_naming_no_priority_is_refused_at_validate(tmp_path):
    text = PARTNER_PLAN.replace("      - id: all-priorities", "      - id: safer-place")
    err = _refused(tmp_path, text)
    line = text[:text.index("- id: safer-place")].count("\n") + 1
    assert (f"example-plan.yaml:{line}: essex-plan.coverage/safer-place: coverage "
            "requirement names priority 'safer-place', which no commitment of plan") in err
    assert "did you mean 'safer-places'?" in err


def test_a_one_off_commitment_without_an_update_window_is_refused_at_validate(tmp_path):
    text = PARTNER_PLAN.replace("    cadence: quarterly\n", "    cadence: one-off\n    due: "
                                "2027-03-31\n", 1).replace(
        "        params:\n          update_within_days: {value: 183, basis: local-practice, "
        "note: half-yearly board}\n", "", 1)
    err = _refused(tmp_path, text)
    assert "essex-plan.c-1-1/delivery: requirement essex-plan.c-1-1/delivery gives no " \
        "update_within_days and its duty's cadence (one-off) sets no window" in err


KENT_ALL_PRIORITIES = """\
area: {id: kent-extra, title: Checks on Kent's plan}
duties:
  - id: kent-extra.all-commitments
    title: Every commitment of Kent's plan has current delivery evidence
    kind: plan-commitment
    holder: PCC
    tags: ["plan:kent-2025-29", plan-coverage]
    source: {title: Draft Kent Police and Crime Plan 2025-2029, basis: local-practice}
    cadence: quarterly
    requirements:
      - id: all-priorities
        kind: measure
        title: Share of all commitments with current tracker evidence
        unit: "%"
        direction: higher-is-better
        bands: {green: {at_least: 90}, red: {below: 90}}
        basis: inference
  # As the example ASB plugin does: its own duty for commitment 2.3.4, beside Kent's.
  - id: kent-extra.asb-awareness
    title: Residents are told about the ASB case review
    kind: plan-commitment
    holder: PCC
    tags: ["plan:kent-2025-29", "commitment:2.3.4"]
    source: {title: Draft Kent Police and Crime Plan 2025-2029, basis: local-practice}
    cadence: annual
    requirements:
      - id: material-published
        kind: document
        title: Material on the ASB case review was published
        document: {type: asb-case-review-awareness}
        basis: inference
"""


def test_all_priorities_counts_each_commitment_once_and_not_the_board(tmp_path):
    # Before: 93 (the Performance and Delivery Board duty, tagged plan:kent-2025-29, as a
    # commitment with no tracker row, and 2.3.4 twice).
    extra = tmp_path / "kent-extra.yaml"
    extra.write_text(KENT_ALL_PRIORITIES, encoding="utf-8")
    result = assess(SAMPLE_2025_26, as_of="2026-06-30", duties=[extra],
                    only=["kent-extra.all-commitments"])
    f = result.finding("kent-extra.all-commitments/all-priorities")
    assert sum(f["details"]["matrix"].values()) == 91
    listed = [r for refs in f["details"]["commitments"].values() for r in refs]
    assert listed.count("2.3.4") == 1 and len(listed) == len(set(listed)) == 91
    assert "gov-performance-board" not in f["reason"]
    assert f["details"]["no_tracker_row"] == ["2.3.3", "4.7.1"]


def test_every_gov_standard_is_tagged_on_one_duty(kent):
    """domain-standards.md section 6, GOV-01 to GOV-20: GOV-04 and GOV-08 are the SPR
    area's duties and carry those tags there."""
    tagged = Counter(t for d in kent.report["duties"] for t in d["tags"]
                     if re.fullmatch(r"GOV-\d\d", t))
    assert tagged == {f"GOV-{n:02d}": 1 for n in range(1, 21)}
    assert "GOV-04" in kent.duty("spr.plan-regard")["tags"]
    assert "GOV-08" in kent.duty("spr.pcc-assurance-statement")["tags"]


# -- bad input ----------------------------------------------------------------------------

def test_a_status_outside_the_list_names_file_row_and_column(tmp_path):
    bundle = write_bundle(tmp_path / "bundle", [{
        "kind": "plan_delivery_tracker", "file": "tracker.csv", "effective_date": "2025-10-31",
        "rows": [{"commitment_id": "1.1.1", "status": "on-track", "last_update": "2025-10-01"},
                 {"commitment_id": "1.1.2", "status": "green", "last_update": "2025-10-01"}],
    }])
    # assess raises the error the CLI turns into exit 4.
    with pytest.raises(Exception, match=r"tracker\.csv:3:2: row 2, column 'status': 'green' "
                                         r"is not one of not-started, on-track"):
        assess(bundle, plugins=[plan], entry_points=False)


def test_another_organisations_bundle_is_not_rated_against_kents_plan(cli, sample_bundle,
                                                                       tmp_path):
    manifest = sample_bundle / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8").replace(
        "organisation: Office of the Kent Police and Crime Commissioner",
        "organisation: Office of the Essex Police, Fire and Crime Commissioner")
    manifest.write_text(text, encoding="utf-8")
    out = tmp_path / "essex.json"
    result = cli("run", sample_bundle, "--as-of", "2025-11-01", "--format", "json",
                 "--output", out, "--fail-on", "never")
    assert result.code == 0, result.err
    report = json.loads(out.read_text(encoding="utf-8"))
    ids = {d["id"] for d in report["duties"]}
    assert not any(i.startswith("plan.kent-") for i in ids)
    assert "plan.gov-05-annual-report" in ids  # the PCC's own statutory duties still apply
    assert "plan.gov-performance-board" not in ids  # Kent's own board
    assert report["invocation"]["other_organisations"] == [
        {"organisations": ["Office of the Kent Police and Crime Commissioner"],
         "duties": 94, "first": "plan.gov-performance-board"}]


def test_kents_own_bundle_is_rated_against_its_plan_whatever_the_case_or_spacing(
        cli, sample_bundle, tmp_path):
    manifest = sample_bundle / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8").replace(
        "organisation: Office of the Kent Police and Crime Commissioner",
        "organisation: office of the Kent  Police and Crime Commissioner")
    manifest.write_text(text, encoding="utf-8")
    out = tmp_path / "kent.json"
    assert cli("run", sample_bundle, "--as-of", "2025-11-01", "--format", "json", "--output",
               out, "--fail-on", "never").code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert sum(d["id"].startswith("plan.kent-") for d in report["duties"]) == 93
    assert "other_organisations" not in report["invocation"]

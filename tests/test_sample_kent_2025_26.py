"""The second sample, samples/kent-2025-26 (reporting year 2025/26), through the real
command line at --as-of 2026-06-30: after the year end and after seed 004 (the Kent CSA
year-end report, written June 2026). The ratings asserted are those that follow from the
published figures each item cites; what the seeds do not state must be Not evidenced."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from conftest import REPO, run_cli
from ruamel.yaml import YAML

SAMPLE = REPO / "samples" / "kent-2025-26"
AS_OF = "2026-06-30"
PRIORITIES = {"protecting-people": 35, "protecting-places": 18, "protecting-property": 16,
              "productive-partnerships": 18, "effective-monitoring-and-accountability": 4}


@pytest.fixture(scope="module")
def report() -> dict:
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "json",
                             "--fail-on", "never", timeout=300)
    assert code == 0, err
    return json.loads(out)


def _duty(doc: dict, duty_id: str) -> dict:
    for duty in doc["duties"]:
        if duty["id"] == duty_id:
            return duty
    raise AssertionError(f"{duty_id} not in report")


def _finding(doc: dict, ref: str) -> dict:
    duty_id, _ = ref.split("/", 1)
    for req in _duty(doc, duty_id)["requirements"]:
        if req["ref"] == ref:
            return req
    raise AssertionError(f"{ref} not in report")


def _area(doc: dict, prefix: str) -> list[dict]:
    return [d for d in doc["duties"] if d["id"].startswith(prefix)]


# -- the bundle ---------------------------------------------------------------------------

def test_validate_passes():
    code, out, err = run_cli("validate", SAMPLE)
    assert code == 0, err
    assert "ok:" in out and "12 evidence items" in out


def test_every_item_cites_a_seed_line_or_is_labelled_synthetic():
    manifest = YAML(typ="safe").load((SAMPLE / "bundle.yaml").read_text(encoding="utf-8"))
    assert manifest["period"] == {"start": dt.date(2025, 4, 1), "end": dt.date(2026, 3, 31),
                                  "label": "2025/26"}
    synthetic = []
    for item in manifest["items"]:
        assert (SAMPLE / item["file"]).is_file(), item["file"]
        if item.get("synthetic"):
            synthetic.append(item["id"])
            continue
        source = item["source"]
        assert "samples/sources/" in source["file"], item["id"]
        assert source.get("lines"), item["id"]
    # Only Kent's unpublished delivery tracker and its milestones are invented.
    assert synthetic == ["plan_delivery_tracker", "plan_milestones"]


def test_no_complaints_or_custody_evidence_and_nothing_claimed_for_them(report):
    # Seed 004 has no content on complaint reviews or custody (research seed-004.md 4.7).
    kinds = {i["kind"] for i in report["inputs"]["bundle"]["items"]}
    assert not {k for k in kinds if k.startswith(("complaint", "icv_", "dsi_", "cdsp_",
                                                   "custody"))}
    complaints = _area(report, "complaints.")
    assert complaints and all(d["rating"] == "Not evidenced" for d in complaints)
    custody = _area(report, "custody.")
    assert custody and not [d for d in custody if d["rating"] in ("Green", "Amber")]


def test_every_duty_is_rated_nothing_errors(report):
    assert report["errors"] == [] and report["plugin_failures"] == []
    assert report["counts"]["duties"]["Not assessed"] == 0
    assert report["counts"]["duties"]["Error"] == 0


# -- Prevent (seed 004 L975-L1081) ----------------------------------------------------------

def test_prevent_top_grade_is_green(report):
    # 004 L977: graded "Exceeding" in all benchmarked areas, 2025/26.
    f = _finding(report, "prevent.home-office-assurance/benchmark-grades")
    assert (f["rating"], f["value"]) == ("Green", "Exceeding")
    assert "all benchmarked areas" in f["reason"]
    assert [i["file"] for i in f["evidence"]] == ["prevent/assurance-return.yaml"]
    # 004 L977 "an uplift in the previous year", without the previous grades: shown as
    # stated, so the duty itself is Green.
    change = _finding(report, "prevent.home-office-assurance/change-since-last-year")
    assert (change["rating"], change["value"]) == (
        "Green", "improving (stated; previous grades not given)")
    assert _duty(report, "prevent.home-office-assurance")["rating"] == "Green"


def test_prevent_lost_capacity_is_its_own_finding(report):
    # 004 L975: a 25% national funding cut and "the loss of both Prevent Education Officers";
    # 004 L1009 still describes their work.
    posts = _finding(report, "prevent.delivery-capacity/funded-posts-filled")
    assert (posts["rating"], posts["value"]) == ("Amber", 0)
    assert posts["details"]["band"] == "red"
    assert "0 of 2 funded post(s)" in posts["reason"] and "-25%" in posts["reason"]
    work = _finding(report, "prevent.delivery-capacity/described-work-staffed")
    assert work["rating"] == "Amber"
    assert "seed 004 L1009" in work["reason"]
    assert _duty(report, "prevent.delivery-capacity")["rating"] == "Amber"


def test_prevent_missing_local_figures_are_not_evidenced(report):
    for ref in ("prevent.channel-panel/panel-functioning", "prevent.training/coverage",
                "prevent.partnership-group/meetings-held",
                "prevent.partnership-plan/actions-on-track",
                "prevent.referral-pathway/pathway-documented",
                "prevent.opcc-oversight/prevent-reported"):
        assert _finding(report, ref)["rating"] == "Not evidenced", ref
    # 004 L1074: "Updated Prevent training and communications plans have been widely
    # disseminated" (2025/26), undated: dated the start of that year, so current.
    plan = _finding(report, "prevent.communications/communications-plan")
    assert plan["rating"] == "Green" and "dated 2025-04-01" in plan["reason"]
    # CTLP released April 2026 (004 L945): current; CTSRA due 1 July 2026: not yet due.
    assert _finding(report, "prevent.risk-assessment/months-since-refresh")["rating"] == "Green"
    assert _finding(report, "prevent.risk-assessment/ctsra-briefed")["rating"] == "Not due"


def test_every_prevent_duty_is_rated(report):
    prevent = _area(report, "prevent.")
    assert len(prevent) == 11
    assert {d["rating"] for d in prevent} <= {"Green", "Amber", "Not evidenced"}


# -- Strategic Policing Requirement (seed 002 L296-L310) --------------------------------------

def test_spr_plan_names_all_seven_threats(report):
    f = _finding(report, "spr.plan-regard/threats-referenced")
    assert (f["rating"], f["value"]) == ("Green", 7)
    assert "names all 7 threats" in f["reason"]
    # The plan catalogue too: the commitments of duties/plan/kent-2025-29.yaml that name a
    # threat (e.g. 3.5.1 "a specialist capability to tackle cybercrime", 002 L215).
    assert set(f["details"]["threats_in_commitments"]) == {
        "vawg", "terrorism", "serious-organised-crime", "cyber"}
    assert _finding(report, "spr.plan-regard/plan-after-spr")["rating"] == "Green"
    assert _duty(report, "spr.plan-regard")["rating"] == "Green"


def test_spr_threat_evidence_for_2025_26_is_not_in_the_seeds(report):
    threats = _duty(report, "spr.threat-capability")
    assert len(threats["requirements"]) == 7
    assert all(r["rating"] == "Not evidenced" for r in threats["requirements"])
    assert _duty(report, "spr.pcc-assurance-statement")["rating"] == "Not evidenced"


# -- Serious Violence Duty (seed 004 L532-L565) ------------------------------------------------

def test_svd_conflicting_knife_sources_are_amber_and_both_shown(report):
    # Its own duty, so the conflict shows at duty level (the outcome measures are Not
    # evidenced: the sharp-object admissions are not in seed 004).
    assert _duty(report, "serious-violence.outcome-sources")["rating"] == "Amber"
    f = _finding(report, "serious-violence.outcome-sources/sources-agree")
    assert (f["rating"], f["value"]) == ("Amber", 1)
    assert "the sources conflict" in f["reason"]
    # Like for like: the VRU's and the force's all-ages figures, not the VRU's age bands.
    assert "knife-crime (all ages): 1 down and 1 up" in f["reason"]
    # Both sources, with their lines: VRU down 3.3% (L561); force up 1.8%, 883 v 867 (L533).
    assert ("Kent and Medway VRU: knife-enabled serious violence, all ages (VRU) -3.3% "
            "[004 L561]") in f["reason"]
    assert ("Kent Police: offences involving a knife or sharp instrument (force, incl. "
            "Medway) +1.8% (883 against 867) [004 L533]") in f["reason"]
    assert "under 18" not in f["reason"] and "over 25" not in f["reason"]


def test_svd_outcome_measures_from_the_published_figures(report):
    # 004 L532: homicide offences up from 11 to 12 (within 20% of the previous year: Amber).
    homicides = _finding(report, "serious-violence.outcome-measures/homicides-vs-previous-year")
    assert (homicides["rating"], homicides["value"]) == ("Amber", 12)
    assert "stable (a change of 1 homicide" in homicides["reason"]
    u18 = _finding(report, "serious-violence.outcome-measures/knife-sv-under-18-vs-previous-year")
    assert (u18["rating"], u18["value"]) == ("Green", -22.9)           # 004 L562
    ya = _finding(report, "serious-violence.outcome-measures/knife-sv-18-24-vs-previous-year")
    assert (ya["rating"], ya["value"]) == ("Green", -4.5)              # 004 L563
    # The all-ages and force measures are rated too; the force's from its counts (883/867).
    assert _finding(report, "serious-violence.outcome-measures/"
                    "knife-sv-all-ages-vs-previous-year")["value"] == -3.3   # 004 L561
    force = _finding(report, "serious-violence.outcome-measures/"
                     "knife-sharp-offences-vs-previous-year")
    assert force["rating"] == "Amber" and round(force["value"], 2) == 1.85  # 004 L533
    # Hospital admissions for assault with a sharp object are not in seed 004.
    assert _finding(report, "serious-violence.outcome-measures/"
                    "sharp-admissions-u25-vs-baseline")["rating"] == "Not evidenced"
    # Reported to the Performance and Delivery Board on 16 Sep 2025 (001 L796); the 4 June
    # 2026 paper (004 L549) is after the year ended, so it is named but not counted.
    fw = _finding(report, "serious-violence.performance-framework/reporting-points")
    assert (fw["rating"], fw["value"]) == ("Amber", 1)
    assert "Reported on 2025-09-16" in fw["reason"]
    assert "after the period ended: 2026-06-04" in fw["reason"]
    # Seed 004 compares with the previous year only: no baseline, so Amber (research SVD-06).
    assert _finding(report, "serious-violence.performance-framework/"
                    "measures-with-baseline")["rating"] == "Amber"


def test_svd_undated_strategy_and_assessment_are_not_evidenced(report):
    # 004 names the Strategy (L650) and the VRU's needs assessment (L594) without dates.
    for duty in ("serious-violence.strategy", "serious-violence.strategy-review",
                 "serious-violence.needs-assessment", "serious-violence.partnership",
                 "serious-violence.vru-grant-evidence"):
        assert _duty(report, duty)["rating"] == "Not evidenced", duty


# -- Police and Crime Plan 2025-29 and governance ----------------------------------------------

def _commitments(doc: dict) -> list[dict]:
    return [d for d in doc["duties"] if d["kind"] == "plan-commitment"
            and any(t.startswith("commitment:") for t in d["tags"])]


@pytest.fixture(scope="module")
def before_tracker() -> dict:
    """The plan area assessed on 1 November 2025, before the tracker's date."""
    code, out, err = run_cli("run", SAMPLE, "--as-of", "2025-11-01", "--format", "json",
                             "--fail-on", "never", "--area", "plan", timeout=300)
    assert code == 0, err
    return json.loads(out)


def test_every_commitment_is_rated_at_the_year_end(report):
    # The synthetic tracker is as at 31 March 2026, the year end: at the README's date
    # every commitment is rated from it, with a mix of ratings and a coverage matrix.
    commitments = _commitments(report)
    assert len(commitments) == sum(PRIORITIES.values()) == 91
    ratings = Counter(d["rating"] for d in commitments)
    assert set(ratings) == {"Green", "Amber", "Red", "Not evidenced"}
    no_row: list[str] = []
    for priority, n in PRIORITIES.items():
        f = _finding(report, f"plan.kent-delivery-coverage/{priority}")
        assert f["rating"] in ("Green", "Amber", "Red"), f["reason"]
        assert sum(f["details"]["matrix"].values()) == n
        no_row += f["details"]["no_tracker_row"]
    assert sorted(no_row) == ["2.3.3", "4.7.1"]
    # Burglary attendance ~99% (P&DB notes 16 Sep 2025, seed 001 L839), cited in its row.
    burglary = _finding(report, "plan.kent-3-1-3/delivery")
    assert burglary["rating"] == "Green" and burglary["evidence"][0]["synthetic"] is True
    # Stale on purpose: the Retail Crime Board last met on 5 December 2024 (000 L545).
    assert "2024-12-05" in _finding(report, "plan.kent-3-2-4/delivery")["reason"]


def test_before_the_tracker_date_the_matrix_still_shows_its_counts(before_tracker):
    commitments = _commitments(before_tracker)
    assert {d["rating"] for d in commitments} == {"Not evidenced"}
    for priority, n in PRIORITIES.items():
        f = _finding(before_tracker, f"plan.kent-delivery-coverage/{priority}")
        assert f["rating"] == "Not evidenced"
        assert "is dated 2026-03-31, after the assessment date 2025-11-01" in f["reason"]
        assert f"so all {n} commitments are Not evidenced (0 Green, 0 Amber, 0 Red, {n} Not " \
               "evidenced)" in f["reason"], priority


def test_governance_from_the_seeds(report):
    # s.7: no crime and disorder grants set out (002 L261, L282).
    s7 = _finding(report, "plan.gov-02-plan-contents/s7-elements")
    assert (s7["rating"], s7["value"]) == ("Amber", 5)
    # Combined JAC, five independent members (001 L280-L281).
    assert _duty(report, "plan.gov-15-jac-independent")["rating"] == "Green"
    # Performance and Delivery Board held 28 May, 16 Sep, 26 Nov 2025 (001 L172, L745, L440).
    pdb = _finding(report, "plan.gov-performance-board/meetings-held")
    assert (pdb["rating"], pdb["value"]) == ("Amber", 3)
    assert "2025-05-28, 2025-09-16, 2025-11-26" in pdb["reason"]
    # JAC 2026 dates are a schedule (001 L288); no meeting held in 2025/26 is published.
    jac = _finding(report, "plan.gov-16-jac-meetings/meetings-held")
    assert jac["rating"] == "Not evidenced"
    assert "2026-09-17, 2026-12-02" in jac["reason"]
    for duty in ("plan.gov-01-plan-issued", "plan.gov-05-annual-report",
                 "plan.gov-06-annual-report-coverage", "plan.gov-10-spend-published"):
        assert _duty(report, duty)["rating"] == "Not evidenced", duty


# -- exit codes ---------------------------------------------------------------------------------

def test_fail_on_never_exits_0_and_amber_exits_1():
    assert run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "never",
                   timeout=300).code == 0
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "amber",
                             timeout=300)
    assert code == 1, err
    assert "at or above --fail-on amber" in err


def test_fail_on_red_follows_the_red_duties(report):
    """No Red comes from this bundle's published evidence: the only Reds are custody
    publications the catalogue rates Red when missing (when_missing: red), since seed 004
    has none, and plan commitments the SYNTHETIC tracker reports off track (or not started
    past a milestone), whose evidence says it is synthetic."""
    red = [d for d in report["duties"] if d["rating"] == "Red"]
    for duty in red:
        if duty["id"].startswith("plan.kent-"):
            refs = [e for r in duty["requirements"] if r["rating"] == "Red"
                    for e in r["evidence"]]
            assert refs and all(e["synthetic"] for e in refs), duty["id"]
            continue
        assert duty["id"].startswith("custody."), duty["id"]
        for req in duty["requirements"]:
            if req["rating"] == "Red":
                assert "document is in the bundle" in req["reason"], req["ref"]
    code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "red", timeout=300)
    assert code == (1 if red else 0), err

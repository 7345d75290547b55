"""The Prevent duty plugin: behaviour cases, plugin validity, the real Kent sample, and
bad input (unknown benchmark, benchmark listed twice, grades off the declared scale)."""

from __future__ import annotations

from pathlib import Path

import pytest

import dutycheck.plugins.prevent as prevent
from dutycheck import Rating
from dutycheck.plugins.prevent.vocabulary import prevent_term
from dutycheck.testing import (
    assert_plugin_valid,
    assess,
    load_test_cases,
    run_test_case,
    write_bundle,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "kent-2024-25"
SAMPLE_2025_26 = ROOT / "samples" / "kent-2025-26"  # seed 004 reports on 2025/26
CASES = Path(prevent.__file__).parent / "cases"
PREVENT_DUTIES = ("channel-panel", "communications", "delivery-capacity",
                  "home-office-assurance", "opcc-oversight", "partnership-group",
                  "partnership-plan", "permissive-environments", "referral-pathway",
                  "risk-assessment", "training")


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    run_test_case(case, plugins=[prevent], entry_points=False)


def test_plugin_is_valid():
    assert_plugin_valid(prevent, cases=CASES)


# -- the real published figures (seed 004, Kent CSA year end 2025/26) ------------------

def _prevent_only(as_of: str):
    """The Prevent duties of the 2025/26 sample (the bundle also carries other areas'
    evidence, so every installed plugin's kinds are loaded)."""
    return assess(SAMPLE_2025_26, as_of=as_of,
                  only=[f"prevent.{d}" for d in PREVENT_DUTIES])


@pytest.fixture(scope="module")
def kent_2025_26():
    """samples/kent-2025-26/, assessed when seed 004 had been written (June 2026) and
    before the CTSRA fell due (1 July 2026)."""
    return _prevent_only("2026-06-30")


def test_every_prevent_duty_is_rated(kent_2025_26):
    duties = {d["id"]: d for d in kent_2025_26.report["duties"]}
    assert {f"prevent.{d}" for d in PREVENT_DUTIES} <= set(duties)
    ratings = {r["ref"]: r["rating"] for d in duties.values() if d["id"].startswith("prevent.")
               for r in d["requirements"]}
    assert not {ref for ref, r in ratings.items() if r in ("Not assessed", "Error")}, ratings
    assert kent_2025_26.report["errors"] == []


def test_exceeding_in_all_areas_is_green_with_its_basis(kent_2025_26):
    # 004 L977: assessed as "Exceeding" in all benchmarked areas (2025/26)
    f = kent_2025_26.finding("prevent.home-office-assurance/benchmark-grades")
    assert f["rating"] == "Green"
    assert f["value"] == "Exceeding"
    assert f["basis"] == "inference"
    assert f["threshold"]["scale"]["exceeding"] == "green"
    assert "all benchmarked areas" in f["reason"]
    assert "grading scale was not found" in f["reason"]


def test_context_in_the_bundle_reaches_the_report(kent_2025_26):
    # 004 L925, L943: national and South East referrals; the sample has no Channel records,
    # so the figures are quoted in the Not evidenced reason, never rated.
    channel = kent_2025_26.finding("prevent.channel-panel/panel-functioning")
    assert channel["rating"] == "Not evidenced"
    assert "no channel_panel_meetings item" in channel["reason"]
    assert "8,778 Prevent referrals nationally" in channel["reason"]
    assert "about 1,397 referrals in the South East" in channel["reason"]
    assert "Context only, not local evidence (2024/25)" in channel["reason"]
    # 004 L975: "Since April 2019 ... a designated Prevent priority area", "(2026/27)"
    grade = kent_2025_26.finding("prevent.home-office-assurance/benchmark-grades")
    assert "priority area since April 2019, continuing for 2026/27" in grade["reason"]
    assert grade["details"]["priority_area"] == {"designated_since": "2019-04",
                                                 "continues_for": "2026/27"}


def test_stated_uplift_reads_as_stated_and_the_grade_is_green_at_duty_level(kent_2025_26):
    # 004 L977: "This represents an uplift in the previous year", without the previous
    # grades: improving as stated, never as if the grades had been compared.
    f = kent_2025_26.finding("prevent.home-office-assurance/change-since-last-year")
    assert f["rating"] == "Green"
    assert f["value"] == "improving (stated; previous grades not given)"
    assert "no benchmark was compared" in f["reason"]
    assert f["details"] == {"direction": "improving", "compared": False}
    assert f["threshold"]["params"]["stated_change_rating"]["basis"] == "inference"
    assert kent_2025_26.duty("prevent.home-office-assurance")["rating"] == "Green"


def test_lost_capacity_shows_beside_the_top_grade(kent_2025_26):
    # 004 L975: 25% national funding cut, "the loss of both Prevent Education Officers"
    f = kent_2025_26.finding("prevent.delivery-capacity/funded-posts-filled")
    assert f["rating"] == "Amber"  # red band, flagged Amber: a monitoring measure
    assert f["value"] == 0
    assert f["details"]["band"] == "red"
    assert f["basis"] == "inference"
    assert "0 of 2 funded post(s)" in f["reason"]
    assert "-25%" in f["reason"]
    assert "staffing not stated for Prevent Coordinator" in f["reason"]


def test_narrative_of_lost_posts_is_surfaced(kent_2025_26):
    # 004 L1009 still describes Prevent Education Officers' work in the present tense
    f = kent_2025_26.finding("prevent.delivery-capacity/described-work-staffed")
    assert f["rating"] == "Amber"
    assert "seed 004 L1009" in f["reason"] and "seed 004 L975" in f["reason"]


def test_ctlp_and_ctsra(kent_2025_26):
    # 004 L945: CTLP released April 2026; CTSRA due to be briefed 01 July 2026
    ctlp = kent_2025_26.finding("prevent.risk-assessment/months-since-refresh")
    assert ctlp["rating"] == "Green" and ctlp["value"] == 3
    assert ctlp["threshold"]["bands"]["green"] == "at most 12"
    assert kent_2025_26.rating("prevent.risk-assessment/ctsra-briefed") is Rating.NOT_DUE


def test_after_the_ctsra_due_date_evidence_from_before_it_is_not_evidenced():
    # The sample's evidence is dated 2026-04-30 (CTLP released April 2026, 004 L945), before
    # the CTSRA's due date of 01 July 2026: it cannot show the briefing, so a day after the
    # due date the requirement is a gap in assurance, not Red.
    a = _prevent_only("2026-07-02")
    f = a.finding("prevent.risk-assessment/ctsra-briefed")
    assert f["rating"] == "Not evidenced"
    assert "dated 2026-04-30, before the due date" in f["reason"]


def test_what_the_seed_describes_without_dates_or_counts(kent_2025_26):
    # 004 L979: the premises hire guidance exists but is undated; no IT policy is mentioned
    assert kent_2025_26.rating("prevent.permissive-environments/policies-current") is Rating.AMBER
    # 004 L1001-1005, L1071, L1081: three named activities, no dates
    eng = kent_2025_26.finding("prevent.communications/engagement-activities")
    assert eng["rating"] == "Amber" and eng["value"] == 3
    assert "lower bound" in eng["reason"]


def test_missing_local_figures_are_not_evidenced_not_invented(kent_2025_26):
    for ref in ("prevent.channel-panel/panel-functioning", "prevent.training/coverage",
                "prevent.partnership-group/meetings-held",
                "prevent.partnership-plan/actions-on-track",
                "prevent.referral-pathway/pathway-documented",
                "prevent.opcc-oversight/prevent-reported"):
        assert kent_2025_26.rating(ref) is Rating.NOT_EVIDENCED, ref


def test_mid_year_at_the_standard_as_of_nothing_is_green_or_red():
    """At --as-of 2025-11-01 the 2025/26 year has not ended: every (annual) Prevent duty
    is Not due, so the 2025/26 grade is not used before the year it assures is over."""
    a = _prevent_only("2025-11-01")
    duties = [d for d in a.report["duties"] if d["id"].startswith("prevent.")]
    assert len(duties) == len(PREVENT_DUTIES)
    assert all(d["rating"] == "Not due" for d in duties)


def test_evidence_dated_after_the_assessment_is_not_used():
    # The CTLP was released in April 2026 (004 L945; item dated 2026-04-30): on 15 April it
    # cannot be relied on, so the risk assessment is Not evidenced, never Green or Red.
    a = _prevent_only("2026-04-15")
    f = a.finding("prevent.risk-assessment/months-since-refresh")
    assert f["rating"] == "Not evidenced"
    assert "after the assessment date 2026-04-15" in f["reason"]
    assert a.rating("prevent.risk-assessment/ctsra-briefed") is Rating.NOT_EVIDENCED


def test_the_2024_25_bundle_has_no_prevent_evidence():
    """Seed 004 reports on 2025/26 only, so the 2024/25 sample carries no Prevent item and
    every Prevent duty there is Not evidenced, never Green or Red."""
    a = assess(SAMPLE, as_of="2025-11-01")
    assert not [i for i in a.report["inputs"]["bundle"]["items"]
                if i["kind"].startswith(("prevent_", "channel_"))]
    duties = [d for d in a.report["duties"] if d["id"].startswith("prevent.")]
    assert len(duties) == len(PREVENT_DUTIES)
    assert all(d["rating"] == "Not evidenced" for d in duties)


# -- vocabulary: "prevent" alone is not the Prevent duty ------------------------------

@pytest.mark.parametrize("text", ["Strategic Prevention Command", "Fraud Prevention Team",
                                  "Suicide prevention programme", "Crime prevention contest",
                                  "steps to prevent delivery of drugs",
                                  # the verb at the start of a sentence is capitalised too
                                  "Prevent delivery of drugs into prisons",
                                  "Update. Prevent referrals to the wrong team",
                                  # "channel" as a common noun
                                  "Digital contact channel process review",
                                  "Digital Contact Channel Process Review"])
def test_crime_prevention_is_not_prevent(text):
    assert prevent_term(text) is None


@pytest.mark.parametrize("text", ["Prevent duty update", "Kent and Medway Prevent Team",
                                  "Channel panel report", "CTLP briefing", "CTRSA",
                                  "CONTEST board", "online radicalisation",
                                  "Prevent delivery plan", "Prevent referrals rose by 27%",
                                  "Report on the Channel process", "Channel process review",
                                  "Prevent delivery of drugs; Prevent duty update"])
def test_prevent_vocabulary(text):
    assert prevent_term(text) is not None


# -- bad input ----------------------------------------------------------------------------

def _assurance_text(body: str) -> list[dict]:
    return [{"kind": "prevent_assurance_return", "file": "assurance.yaml", "text": body}]


def test_benchmark_not_in_the_toolkit_is_exit_4_with_file_and_line(tmp_path):
    folder = write_bundle(tmp_path / "b", _assurance_text(
        "assessment_year: 2024/25\nbenchmarks:\n  training: {grade: Met}\n"
        "  leadership: {grade: Met}\n"))
    with pytest.raises(Exception) as exc:
        assess(folder, plugins=[prevent], entry_points=False)
    assert getattr(exc.value, "exit_code", None) == 4
    # the bad key's own line (4), not the line of `benchmarks:` (2)
    assert "assurance.yaml:4:3: $.benchmarks.leadership: unknown key" in str(exc.value)


def test_benchmark_listed_twice_is_exit_4_with_file_and_line(tmp_path):
    folder = write_bundle(tmp_path / "b", _assurance_text(
        "assessment_year: 2024/25\nbenchmarks:\n  training: {grade: Met}\n"
        "  training: {grade: Exceeding}\n"))
    with pytest.raises(Exception) as exc:
        assess(folder, plugins=[prevent], entry_points=False)
    assert getattr(exc.value, "exit_code", None) == 4
    assert "assurance.yaml:4" in str(exc.value)


def test_tabular_return_unknown_benchmark_is_exit_4_naming_file_row_and_column(tmp_path):
    folder = write_bundle(tmp_path / "b", [{
        "kind": "prevent_assurance_grades", "file": "grades.csv",
        "text": "benchmark,grade\ntraining,Met\nleadership,Met\n"}])
    with pytest.raises(Exception) as exc:
        assess(folder, plugins=[prevent], entry_points=False)
    assert getattr(exc.value, "exit_code", None) == 4
    assert "grades.csv:3:1: row 2, column 'benchmark': 'leadership' is not one of" \
        in str(exc.value)


def test_tabular_and_yaml_returns_rate_alike(tmp_path):
    """The same grades as a spreadsheet-style CSV and as YAML: the same rating, value and
    list of ungraded benchmarks."""
    rows = [("partnership-group", "Exceeding"), ("training", "Partially meeting"),
            ("channel-panel", "Meeting")]
    csv = "benchmark,grade,assessment_year\n" + "".join(
        f"{b},{g},2024/25\n" for b, g in rows)
    yaml = "assessment_year: 2024/25\nbenchmarks:\n" + "".join(
        f"  {b}: {{grade: {g}}}\n" for b, g in rows)
    found = []
    for kind, name, text in (("prevent_assurance_grades", "grades.csv", csv),
                             ("prevent_assurance_return", "return.yaml", yaml)):
        folder = write_bundle(tmp_path / kind, [{"kind": kind, "file": name, "text": text}])
        a = assess(folder, plugins=[prevent], entry_points=False,
                   only=["prevent.home-office-assurance"])
        f = a.finding("prevent.home-office-assurance/benchmark-grades")
        found.append((f["rating"], f["value"], f["details"]["benchmarks_without_grade"]))
    assert found[0] == found[1]
    assert found[0][:2] == ("Amber", "Partially meeting")
    assert len(found[0][2]) == 5


def test_plan_action_without_owner_is_exit_4_naming_the_row(tmp_path):
    folder = write_bundle(tmp_path / "b", [{"kind": "prevent_partnership_plan", "rows": [
        {"action": "A", "owner": "", "due_date": "2025-01-01", "status": "on_track"}]}])
    with pytest.raises(Exception) as exc:
        assess(folder, plugins=[prevent], entry_points=False)
    assert getattr(exc.value, "exit_code", None) == 4
    assert "row 1" in str(exc.value) and "owner" in str(exc.value)

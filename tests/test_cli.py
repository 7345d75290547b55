"""The command line as a user meets it (DESIGN.md section 7), through a real subprocess."""

from __future__ import annotations

import json
import re

import pytest
from conftest import AS_OF, REPO, SAMPLE, run_cli, write_text

COMPLAINT_DUTY_IDS = sorted({
    m.group(1)
    for path in (REPO / "duties" / "complaints").glob("*.yaml")
    for m in re.finditer(r"^\s*-?\s*id:\s*(complaints\.[a-z0-9.-]+)\s*$",
                         path.read_text(encoding="utf-8"), re.MULTILINE)
})


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text


def _json_report(*extra: object, bundle=SAMPLE, cwd=None) -> dict:
    code, out, err = run_cli("run", bundle, "--as-of", AS_OF, "--format", "json",
                             "--fail-on", "never", *extra, cwd=cwd)
    assert code == 0, err
    return json.loads(out)


def _requirement(doc: dict, ref: str) -> dict:
    for duty in doc["duties"]:
        for req in duty["requirements"]:
            if req["ref"] == ref:
                return req
    raise AssertionError(f"{ref} not in report")


def test_catalogue_has_the_complaint_duties():
    # Guard for the parametrised tests below: the regex found the catalogue's duties.
    assert len(COMPLAINT_DUTY_IDS) >= 10
    assert "complaints.review-timeliness" in COMPLAINT_DUTY_IDS


# --------------------------------------------------------------------------- top level


def test_version():
    from dutycheck.__about__ import __version__

    code, out, err = run_cli("--version")
    assert code == 0, err
    assert "dutycheck" in out and __version__ in out


def test_top_level_help_lists_commands():
    code, out, err = run_cli("--help")
    assert code == 0, err
    for command in ("run", "validate", "duties", "explain", "plugins", "init"):
        assert re.search(rf"^\s+{command}\b", out, re.MULTILINE), command


def test_run_help_shows_worked_examples_and_exit_codes():
    code, out, err = run_cli("run", "--help")
    assert code == 0, err
    assert "Examples:" in out
    assert "dutycheck run samples/kent-2024-25" in out
    assert "--fail-on" in out and "--as-of" in out and "--config" in out
    assert "Exit codes" in out


def test_unknown_command_is_a_usage_error():
    code, out, err = run_cli("frobnicate")
    assert code == 2
    _no_traceback(out, err)


# --------------------------------------------------------------------------- run


def test_run_sample_terminal_report():
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF)
    # Default --fail-on red: the synthetic custody and plan evidence plants Red findings.
    assert code == 1, err
    assert "at or above --fail-on red" in err
    _no_traceback(out, err)
    for duty_id in COMPLAINT_DUTY_IDS:
        assert duty_id in out, duty_id
    assert "Most Similar Group" in out
    assert "Amber" in out and "Green" in out
    assert "Office of the Kent Police and Crime Commissioner" in out


def test_run_fail_on_amber_exits_1():
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "amber")
    assert code == 1, err
    assert "--fail-on amber" in err
    _no_traceback(out, err)


def test_run_fail_on_red_explicit_exits_1_and_0_without_reds():
    explicit = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "red")
    assert explicit.code == 1, explicit.err
    complaints = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "red", "--area",
                         "complaints")
    assert complaints.code == 0, complaints.err  # the complaint duties have no Red


def test_run_fail_on_never_exits_0():
    code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "never")
    assert code == 0, err


def test_run_fail_on_rejects_unknown_value():
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--fail-on", "purple")
    assert code == 2
    _no_traceback(out, err)


def test_run_json_to_file(tmp_path):
    out_file = tmp_path / "x.json"
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "json",
                             "--output", out_file, "--fail-on", "never")
    assert code == 0, err
    assert out == ""  # the report went to the file, not standard output
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert doc["as_of"] == AS_OF
    ids = {d["id"] for d in doc["duties"]}
    assert set(COMPLAINT_DUTY_IDS) <= ids
    ratings = {d["rating"] for d in doc["duties"]}
    assert "Amber" in ratings
    assert doc["opinion"]
    # no temporary file left next to the report
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


def test_run_json_names_comparators_for_timeliness():
    doc = _json_report()
    req = _requirement(doc, "complaints.review-timeliness/mean-days-vs-peers")
    text = json.dumps(req)
    assert "Most Similar Group" in text
    assert req["value"] == 30
    assert req["rating"] == "Green"


def test_run_markdown_and_json_to_a_folder(tmp_path):
    out_dir = tmp_path / "out"
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "markdown",
                             "--format", "json", "--output", out_dir, "--fail-on", "never")
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.json", "report.md"]
    md = (out_dir / "report.md").read_text(encoding="utf-8")
    doc = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    assert md.startswith("# ")
    assert "complaints.review-timeliness" in md
    assert doc["as_of"] == AS_OF


def test_run_markdown_to_stdout():
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "markdown",
                             "--fail-on", "never")
    assert code == 0, err
    assert out.startswith("# ")
    assert "Overall assurance opinion" in out


@pytest.mark.parametrize("fmt, name", [("json", "report.json"), ("markdown", "report.md")])
def test_run_is_reproducible_with_as_of(tmp_path, fmt, name):
    first, second = tmp_path / "1" / name, tmp_path / "2" / name
    for target in (first, second):
        code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", fmt,
                               "--output", target, "--fail-on", "never")
        assert code == 0, err
    assert first.read_bytes() == second.read_bytes()


def test_run_is_reproducible_from_another_working_folder(tmp_path):
    here = _json_report(cwd=REPO)
    there = _json_report(cwd=tmp_path)
    assert json.dumps(here, sort_keys=True) == json.dumps(there, sort_keys=True)


def test_as_of_is_recorded_in_the_report():
    early = _json_report()
    code, out, err = run_cli("run", SAMPLE, "--as-of", "2025-12-01", "--format", "json",
                             "--fail-on", "never")
    assert code == 0, err
    later = json.loads(out)
    assert early["as_of"] == AS_OF and later["as_of"] == "2025-12-01"


def test_unknown_format_is_a_usage_error(tmp_path):
    target = tmp_path / "report.docx"
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "docx",
                             "--output", target)
    assert code == 2
    assert "docx" in err and "json" in err
    assert not target.exists()
    _no_traceback(out, err)


def test_bad_as_of_is_a_usage_error():
    code, out, err = run_cli("run", SAMPLE, "--as-of", "01/11/2025")
    assert code == 2
    assert "--as-of" in err
    _no_traceback(out, err)


def test_unknown_area_is_a_usage_error():
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--area", "parking")
    assert code == 2
    assert "complaints" in err
    _no_traceback(out, err)


def test_area_complaints_selects_the_complaint_duties():
    doc = _json_report("--area", "complaints")
    assert {d["id"] for d in doc["duties"]} == set(COMPLAINT_DUTY_IDS)


def test_area_twice_assesses_both_areas():
    doc = _json_report("--area", "complaints", "--area", "spr")
    areas = {d["id"].split(".")[0] for d in doc["duties"]}
    assert areas == {"complaints", "spr"}
    assert doc["invocation"]["area"] == "complaints,spr"
    code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--area", "complaints",
                           "--area", "parking")
    assert code == 2 and "no duties in area 'parking'" in err


def test_audience_panel(tmp_path):
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--audience", "panel",
                             "--fail-on", "never")
    assert code == 0, err
    assert "Most Similar Group" in out
    doc = _json_report("--audience", "panel")
    assert doc["audience"] == "panel"
    jac = _json_report("--audience", "jac")
    assert jac["audience"] == "jac"


def test_audience_rejects_unknown_value():
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--audience", "press")
    assert code == 2
    _no_traceback(out, err)


def test_debug_flag_is_accepted():
    code, _, err = run_cli("--debug", "run", SAMPLE, "--as-of", AS_OF, "--fail-on", "never",
                           "--format", "json")
    assert code == 0, err


# --------------------------------------------------------------------------- config overrides


def test_config_override_changes_rating_and_is_shown(tmp_path):
    ref = "complaints.review-timeliness/median-working-days"
    cfg = write_text(tmp_path / "kent.yaml", f"""
        overrides:
          {ref}:
            basis: local-practice
            reason: "Kent aims to decide reviews within 10 working days"
            bands:
              green: {{at_most: 10}}
              amber: {{above: 10, at_most: 15}}
              red: {{above: 15}}
    """)
    before = _requirement(_json_report(), ref)
    after_doc = _json_report("--config", cfg)
    after = _requirement(after_doc, ref)

    assert before["value"] == after["value"]
    assert before["value"] > 15  # so the tighter bands must make it Red
    assert before["rating"] == "Green"
    assert after["rating"] == "Red"
    assert "override" not in before["threshold"]
    override = after["threshold"]["override"]
    assert override["basis"] == "local-practice"
    assert override["reason"] == "Kent aims to decide reviews within 10 working days"
    assert "kent.yaml" in override["file"]
    assert after["threshold"]["bands"]["green"] == "at most 10"
    assert after["basis"] == "local-practice"
    # the run's inputs record the config file
    assert after_doc["inputs"]["config"]

    # With the override the duty is Red, so the default --fail-on red now trips.
    code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--config", cfg)
    assert code == 1, err


def test_config_max_age_days_override_is_recorded_and_refused_where_there_is_no_document(
        tmp_path):
    ref = "custody.icv-publication/information-published"
    cfg = write_text(tmp_path / "kent.yaml", f"""
        overrides:
          {ref}:
            basis: local-practice
            reason: Kent publishes its ICV report within 15 months
            max_age_days: 456
    """)
    after = _requirement(_json_report("--config", cfg), ref)
    assert after["threshold"]["document"]["max_age_days"] == 456
    assert after["threshold"]["override"]["catalogue"] == {"max_age_days": 366}
    assert after["threshold"]["override"]["catalogue_basis"] == "inference"
    bad = write_text(tmp_path / "bad.yaml", """
        overrides:
          complaints.review-timeliness/median-working-days:
            basis: local-practice
            reason: not a document
            max_age_days: 30
    """)
    code, _, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--config", bad)
    assert code == 4 and "is not a document requirement" in err


def test_explain_shows_a_documents_freshness_window_and_whose_plan_a_duty_is():
    code, out, err = run_cli("explain", "complaints.sio-7c-publication")
    assert code == 0, err
    assert ("document: type iopc-annual-statistics, at most 400 days old (max_age_days)"
            in out)
    code, out, err = run_cli("explain", "plan.kent-1-1-1")
    assert code == 0, err
    assert "Applies to: Office of the Kent Police and Crime Commissioner only" in out


def test_validate_config_file(tmp_path):
    cfg = write_text(tmp_path / "kent.yaml", """
        overrides:
          complaints.review-timeliness/median-working-days:
            basis: local-practice
            reason: tighter local aim
            bands: {green: {at_most: 10}, red: {above: 10}}
    """)
    code, out, err = run_cli("validate", cfg)
    assert code == 0, err
    assert "config" in out


# --------------------------------------------------------------------------- duties / explain


def test_duties_counts_the_complaint_duties():
    code, out, err = run_cli("duties", "complaints")
    assert code == 0, err
    assert f"{len(COMPLAINT_DUTY_IDS)} duties;" in out
    assert "requirement(s) not covered" in out
    assert "complaints.review-timeliness" in out


def test_duties_lists_every_complaint_duty_id_unbroken():
    code, out, err = run_cli("duties", "complaints")
    assert code == 0, err
    missing = [duty_id for duty_id in COMPLAINT_DUTY_IDS if duty_id not in out]
    assert not missing


def test_duties_without_area_lists_the_catalogue():
    code, out, err = run_cli("duties")
    assert code == 0, err
    assert "complaints.review-timeliness" in out


def test_duties_shows_each_plan_commitments_priority_and_owner():
    code, out, err = run_cli("duties", "plan")
    assert code == 0, err
    block = out[out.index("plan.kent-1-1-1"):out.index("plan.kent-1-1-2")]
    for tag in ("commitment:1.1.1", "priority:protecting-people",
                "sub-priority:rape-and", "owner:joint"):
        assert tag in block, tag


def test_duties_shows_titles_literally_not_as_console_markup(write_duty):
    path = write_duty("markup.yaml", duty_id="testarea.markup")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: An example duty for tests", "title: '[bold red]Shout[/] and [link=x]y[/]'"),
        encoding="utf-8")
    code, out, err = run_cli("duties", "testarea", "--duties", path)
    assert code == 0, err
    assert "[bold red]Shout[/] and [link=x]y[/]" in " ".join(out.split())


def test_explain_review_timeliness():
    code, out, err = run_cli("explain", "complaints.review-timeliness")
    assert code == 0, err
    assert "complaints.review-timeliness" in out
    assert "Source:" in out and "Police Reform Act 2002" in out
    assert "Basis:" in out
    # the bands of the median measure, and the comparator-based bands of the mean
    assert "at most 28" in out and "above 28 and at most 40" in out and "above 40" in out
    assert "msg_mean_days" in out and "national_mean_days" in out
    assert "inference" in out.lower()
    assert "configurable" in out
    assert "timeliness.yaml" in out


@pytest.mark.parametrize("duty_id", COMPLAINT_DUTY_IDS)
def test_explain_every_complaint_duty(duty_id):
    code, out, err = run_cli("explain", duty_id)
    assert code == 0, err
    assert duty_id in out and "Basis:" in out
    _no_traceback(out, err)


def test_explain_unknown_duty_exits_2():
    code, out, err = run_cli("explain", "complaints.no-such-duty")
    assert code == 2
    assert "complaints.no-such-duty" in err
    _no_traceback(out, err)


# --------------------------------------------------------------------------- plugins / init


def test_plugins_lists_complaints():
    code, out, err = run_cli("plugins")
    assert code == 0, err
    assert "complaints" in out
    assert "dutycheck_register_duties" in out
    for fmt in ("json", "markdown", "terminal"):
        assert fmt in out


def test_init_writes_a_bundle_that_validates(tmp_path):
    new = tmp_path / "NEWDIR"
    code, out, err = run_cli("init", new)
    assert code == 0, err
    names = {p.name for p in new.iterdir()}
    assert "bundle.yaml" in names
    assert "complaint_review_return.yaml" in names
    assert "complaint_review_register.csv" in names
    code, out, err = run_cli("validate", new)
    assert code == 0, err
    assert "ok:" in out


def test_init_bundle_runs_and_rates_nothing_from_its_templates(tmp_path):
    new = tmp_path / "fresh"
    assert run_cli("init", new).code == 0
    assert "template(s) from `dutycheck init` still to fill in" in run_cli("validate", new).out
    # init's period is the last complete year before today, so today's run has it all due
    code, out, err = run_cli("run", new, "--format", "json", "--fail-on", "never")
    assert code == 0, err
    report = json.loads(out)
    ratings = {r["rating"] for d in report["duties"] for r in d["requirements"]}
    assert ratings <= {"Not evidenced", "Not due"}  # example values are never rated
    reg = next(r for d in report["duties"] for r in d["requirements"]
               if r["ref"] == "complaints.acknowledgement/acknowledged-within-target")
    assert "still the template written by `dutycheck init`" in reg["reason"]


def test_init_on_a_non_empty_folder_exits_2(tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    code, out, err = run_cli("init", target)
    assert code == 2
    assert "not empty" in err
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]
    _no_traceback(out, err)


def test_init_into_an_empty_existing_folder(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    code, _, err = run_cli("init", target)
    assert code == 0, err
    assert (target / "bundle.yaml").is_file()


# --------------------------------------------------------------------------- --output misuse


def test_single_format_output_to_existing_folder_is_a_usage_error(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "json",
                             "--output", folder)
    _no_traceback(out, err)
    assert code == 2, err
    assert list(folder.iterdir()) == []


def test_several_formats_output_to_existing_file_is_a_usage_error(tmp_path):
    target = tmp_path / "report"
    target.write_text("keep me")
    code, out, err = run_cli("run", SAMPLE, "--as-of", AS_OF, "--format", "json",
                             "--format", "markdown", "--output", target)
    _no_traceback(out, err)
    assert code == 2, err
    assert target.read_text() == "keep me"

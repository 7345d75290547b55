"""Bad input, through the real command line (issue 2, "Bad input").

Each case must: exit 4, say what is wrong and where (``file:line[:col]`` when the issue asks
for it), show no Python traceback, and write nothing (``--output`` is passed and must not
exist afterwards).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from conftest import (
    AS_OF,
    SAMPLE,
    assert_invalid,
    duty_yaml,
    line_of,
    measure_requirement,
    run_cli,
    write_text,
)

REGISTER = "complaint-review-register.csv"
RETURN = "complaint-review-return.yaml"


def _run_json(bundle: Path, out: Path, *extra: object):
    return run_cli("run", bundle, "--as-of", AS_OF, "--format", "json", "--output", out,
                   "--fail-on", "never", *extra)


def _edit_manifest(bundle: Path, old: str, new: str) -> Path:
    manifest = bundle / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in the sample manifest"
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return manifest


def _point_register_at(bundle: Path, target: str) -> Path:
    return _edit_manifest(bundle, f"file: {REGISTER}", f"file: {target}")


# --------------------------------------------------------------------------- duty files


def test_yaml_syntax_error_in_duty_file(tmp_path, write_duty):
    path = write_duty("broken.yaml", "id: testarea.broken\ntitle: [unclosed\nkind: statutory\n")
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    assert_invalid(result, "broken.yaml:3:", "YAML syntax error", output=out)


def test_duplicate_yaml_key_in_duty_file(tmp_path, write_duty):
    text = duty_yaml().replace("cadence: annual\n", "cadence: annual\ntitle: Again\n")
    path = write_duty("dupkey.yaml", text)
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    line = line_of(path, "title: Again")
    assert_invalid(result, f"dupkey.yaml:{line}:", "duplicate key", '"title"', output=out)


def test_duty_missing_source(tmp_path, write_duty):
    path = write_duty("nosource.yaml", source=None)
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    assert_invalid(result, "nosource.yaml:1:1", "'source' is required", output=out)
    # only the real problem: not also another shape's complaint ("'due' is required")
    assert [ln for ln in result.err.splitlines() if ln.startswith("error:")] == [
        f"error: {path}:1:1: $: 'source' is required"], result.err


def test_freshness_window_without_a_basis_is_rejected(tmp_path, write_duty):
    """A document's ``max_age_days`` is a threshold like a band limit, so it must say its
    basis: without one, ``explain`` and the papers could not say where the window comes
    from."""
    req = ("  - id: annual-report\n    kind: document\n    title: The annual report\n"
           "    document: {type: annual-report, max_age_days: 400}\n")
    path = write_duty("nobasis.yaml", requirements=req)
    result = run_cli("validate", path)
    assert_invalid(result, f"nobasis.yaml:{line_of(path, '- id: annual-report')}:",
                   "$.requirements[0]: 'basis' is required")


def test_band_gap_is_rejected_at_load(tmp_path, write_duty):
    bands = "green: {at_most: 28}\namber: {above: 30, at_most: 40}\nred: {above: 40}"
    path = write_duty("gap.yaml", requirements=measure_requirement(bands))
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    line = line_of(path, "green:")
    assert_invalid(result, f"gap.yaml:{line}:", "gap", "$.requirements[0].bands.green",
                   output=out)


def test_band_overlap_is_rejected_at_load(tmp_path, write_duty):
    bands = "green: {at_most: 30}\namber: {above: 28, at_most: 40}\nred: {above: 40}"
    path = write_duty("overlap.yaml", requirements=measure_requirement(bands))
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    line = line_of(path, "amber:")
    assert_invalid(result, f"overlap.yaml:{line}:", "overlap", output=out)


def test_unknown_requirement_kind(tmp_path, write_duty):
    bands = "green: {at_most: 28}\namber: {above: 28, at_most: 40}\nred: {above: 40}"
    path = write_duty("kind.yaml", requirements=measure_requirement(bands, kind="bogus"))
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    line = line_of(path, "kind: bogus")
    assert_invalid(result, f"kind.yaml:{line}:", "'bogus'", "measure", output=out)


def test_duplicate_duty_id_across_files_names_both(tmp_path, write_duty):
    write_duty("a.yaml", duty_yaml("testarea.same"))
    second = write_duty("b.yaml", "# the same duty again\n\n" + duty_yaml("testarea.same"))
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", second.parent)
    line = line_of(second, "id: testarea.same")
    assert_invalid(result, "duplicate duty id", "'testarea.same'", f"b.yaml:{line}",
                   "a.yaml:1", output=out)


def test_duplicate_of_a_catalogue_duty_names_the_catalogue_file(tmp_path, write_duty):
    path = write_duty("clash.yaml", duty_yaml("complaints.review-timeliness"))
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    line = line_of(SAMPLE.parents[1] / "duties/complaints/timeliness.yaml",
                   "id: complaints.review-timeliness")
    assert_invalid(result, "duplicate duty id", "clash.yaml:1",
                   f"timeliness.yaml:{line}", output=out)


def test_missing_duties_location(tmp_path):
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", tmp_path / "no-such-duties")
    assert_invalid(result, "no-such-duties", "does not exist", output=out)


def test_impossible_unquoted_date_in_duty_file(tmp_path, write_duty):
    text = duty_yaml().replace("cadence: annual", "cadence: one-off\ndue: 2025-02-30")
    path = write_duty("baddue.yaml", text)
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--duties", path)
    assert_invalid(result, f"baddue.yaml:{line_of(path, 'due:')}", output=out)


# --------------------------------------------------------------------------- bundles


def test_missing_bundle_manifest(sample_bundle, tmp_path):
    (sample_bundle / "bundle.yaml").unlink()
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "bundle.yaml", "no bundle.yaml manifest",
                   output=out)


def test_bundle_folder_does_not_exist(tmp_path):
    out = tmp_path / "report.json"
    assert_invalid(_run_json(tmp_path / "nowhere", out), "nowhere", "does not exist",
                   output=out)


def test_item_points_at_missing_file(sample_bundle, tmp_path):
    manifest = _point_register_at(sample_bundle, "no-such-register.csv")
    out = tmp_path / "report.json"
    line = line_of(manifest, "file: no-such-register.csv")
    assert_invalid(_run_json(sample_bundle, out), f"bundle.yaml:{line}:",
                   "'no-such-register.csv' does not exist", output=out)


def test_item_points_outside_the_folder(sample_bundle, tmp_path):
    # A real file just outside the bundle, so only the containment rule can reject it.
    (sample_bundle.parent / "x.csv").write_text((SAMPLE / REGISTER).read_text())
    manifest = _point_register_at(sample_bundle, "../x.csv")
    out = tmp_path / "report.json"
    line = line_of(manifest, "file: ../x.csv")
    assert_invalid(_run_json(sample_bundle, out), f"bundle.yaml:{line}:",
                   "'../x.csv' leaves the bundle folder", output=out)


def test_item_with_absolute_path(sample_bundle, tmp_path):
    outside = tmp_path / "abs.csv"
    outside.write_text((SAMPLE / REGISTER).read_text())
    _point_register_at(sample_bundle, str(outside))
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "absolute path", output=out)


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs symlinks")
def test_item_is_a_symlink_to_outside(sample_bundle, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text((SAMPLE / REGISTER).read_text())
    (sample_bundle / "linked.csv").symlink_to(outside)
    manifest = _point_register_at(sample_bundle, "linked.csv")
    out = tmp_path / "report.json"
    line = line_of(manifest, "file: linked.csv")
    assert_invalid(_run_json(sample_bundle, out), f"bundle.yaml:{line}:", "'linked.csv'",
                   "symbolic link", output=out)


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs symlinks")
def test_item_under_a_symlinked_folder_to_outside(sample_bundle, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "reg.csv").write_text((SAMPLE / REGISTER).read_text())
    (sample_bundle / "sub").symlink_to(elsewhere, target_is_directory=True)
    _point_register_at(sample_bundle, "sub/reg.csv")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "'sub/reg.csv'", "bundle", output=out)


def test_unknown_evidence_kind(sample_bundle, tmp_path):
    manifest = _edit_manifest(sample_bundle, "kind: complaint_review_register",
                              "kind: parking_tickets")
    out = tmp_path / "report.json"
    line = line_of(manifest, "kind: parking_tickets")
    assert_invalid(_run_json(sample_bundle, out), f"bundle.yaml:{line}:",
                   "unknown evidence kind 'parking_tickets'", "complaint_review_register",
                   output=out)


def test_manifest_yaml_syntax_error(sample_bundle, tmp_path):
    manifest = sample_bundle / "bundle.yaml"
    manifest.write_text(manifest.read_text() + "  - id: [broken\n")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "bundle.yaml:", "YAML syntax error",
                   output=out)


def test_impossible_quoted_period_date_in_manifest(sample_bundle, tmp_path):
    manifest = _edit_manifest(sample_bundle, "start: 2024-04-01", 'start: "2024-02-30"')
    out = tmp_path / "report.json"
    line = line_of(manifest, "start:")
    assert_invalid(_run_json(sample_bundle, out), f"bundle.yaml:{line}", output=out)


def test_structured_evidence_failing_its_schema(sample_bundle, tmp_path):
    path = sample_bundle / RETURN
    path.write_text(path.read_text().replace("received: 255", "received: lots"))
    out = tmp_path / "report.json"
    line = line_of(path, "received: lots")
    assert_invalid(_run_json(sample_bundle, out), f"{RETURN}:{line}:", "$.received",
                   output=out)


def test_document_evidence_with_impossible_date(sample_bundle, tmp_path):
    write_text(sample_bundle / "themes.yaml", """
        type: complaint-review-themes-report
        title: Themes report
        date: "2025-02-30"
    """)
    manifest = sample_bundle / "bundle.yaml"
    manifest.write_text(manifest.read_text() + (
        "  - id: themes\n"
        "    kind: document\n"
        "    file: themes.yaml\n"
        "    effective_date: 2025-03-31\n"
        "    source: {document: test}\n"))
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "themes.yaml", output=out)


# --------------------------------------------------------------------------- tabular evidence


def _break_register_cell(bundle: Path, row: int, column: str, value: str) -> None:
    """Set data row ``row`` (1-based, header excluded) of ``column`` to ``value``."""
    path = bundle / REGISTER
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    rows[row][col] = value
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_csv_non_date_in_date_column(sample_bundle, tmp_path):
    _break_register_cell(sample_bundle, 3, "received_date", "not-a-date")
    out = tmp_path / "report.json"
    result = _run_json(sample_bundle, out)
    # File line 4 is data row 3 (line 1 is the header); received_date is column 2.
    assert_invalid(result, f"{REGISTER}:4:2", "row 3", "'received_date'", "date",
                   "'not-a-date'", output=out)


def test_csv_impossible_date_in_date_column(sample_bundle, tmp_path):
    _break_register_cell(sample_bundle, 5, "decision_date", "2024-02-30")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), REGISTER, "row 5", "'decision_date'",
                   output=out)


def test_csv_value_outside_choices(sample_bundle, tmp_path):
    _break_register_cell(sample_bundle, 2, "review_body", "the-force")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), REGISTER, "row 2", "'review_body'",
                   "'the-force'", output=out)


def test_csv_missing_required_column(sample_bundle, tmp_path):
    path = sample_bundle / REGISTER
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), f"{REGISTER}:1", "missing column",
                   "case_ref", output=out)


def test_csv_blank_required_value(sample_bundle, tmp_path):
    _break_register_cell(sample_bundle, 4, "case_ref", "")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "row 4", "'case_ref'", "required",
                   output=out)


def _register_as_xlsx(bundle: Path, sheet_title: str = "Register") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    with open(bundle / REGISTER, newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    target = bundle / "complaint-review-register.xlsx"
    wb.save(target)
    (bundle / REGISTER).unlink()
    return target


def test_xlsx_with_the_wrong_sheet(sample_bundle, tmp_path):
    pytest.importorskip("openpyxl")
    _register_as_xlsx(sample_bundle)
    _point_register_at(sample_bundle, "complaint-review-register.xlsx\n    sheet: Nope")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "complaint-review-register.xlsx", "'Nope'",
                   "'Register'", output=out)


def test_xlsx_register_behind_a_notes_sheet_names_the_sheet_to_use(sample_bundle, tmp_path):
    """A workbook whose first sheet is a cover note: the message says which sheet was read
    and which one has the register's columns, so the fix is one line in the manifest."""
    pytest.importorskip("openpyxl")
    from openpyxl import load_workbook

    target = _register_as_xlsx(sample_bundle)
    wb = load_workbook(target)
    notes = wb.create_sheet("Notes", 0)
    notes.append(["Complaint reviews 2024/25: register of review requests"])
    wb.save(target)
    _point_register_at(sample_bundle, "complaint-review-register.xlsx")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "complaint-review-register.xlsx",
                   "sheet 'Notes' (the first visible sheet), missing column(s)",
                   "sheet 'Register' has the columns", "`sheet: Register`", output=out)


def test_a_bad_cell_in_a_workbook_names_the_file_sheet_row_and_column(sample_bundle, tmp_path):
    pytest.importorskip("openpyxl")
    from openpyxl import load_workbook

    target = _register_as_xlsx(sample_bundle)
    wb = load_workbook(target)
    wb["Register"]["B5"] = "2024-0X-09"  # received_date, the fourth data row
    wb.save(target)
    _point_register_at(sample_bundle, "complaint-review-register.xlsx\n    sheet: Register")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out),
                   "complaint-review-register.xlsx:5:2: sheet 'Register', row 4, column "
                   "'received_date': expected a date", output=out)


def test_xlsx_with_the_right_sheet_runs(sample_bundle, tmp_path):
    """Control for the test above: the same workbook with the right sheet is accepted."""
    pytest.importorskip("openpyxl")
    _register_as_xlsx(sample_bundle)
    _point_register_at(sample_bundle, "complaint-review-register.xlsx\n    sheet: Register")
    out = tmp_path / "report.json"
    code, _, err = _run_json(sample_bundle, out)
    assert code == 0, err
    assert out.is_file()


def test_corrupt_xlsx(sample_bundle, tmp_path):
    (sample_bundle / "bad.xlsx").write_text("this is not a workbook")
    _point_register_at(sample_bundle, "bad.xlsx")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(sample_bundle, out), "bad.xlsx", "XLSX", output=out)


def test_several_formats_to_a_folder_write_nothing_on_bad_input(sample_bundle, tmp_path):
    _break_register_cell(sample_bundle, 1, "received_date", "yesterday")
    out_dir = tmp_path / "reports"
    result = run_cli("run", sample_bundle, "--as-of", AS_OF, "--format", "json",
                     "--format", "markdown", "--output", out_dir)
    assert_invalid(result, "'received_date'", output=out_dir)


# --------------------------------------------------------------------------- config files


def test_config_override_of_unknown_requirement(tmp_path):
    cfg = write_text(tmp_path / "kent.yaml", """
        overrides:
          complaints.no-such-duty/no-such-requirement:
            basis: local-practice
            reason: testing
            bands: {green: {at_most: 1}, red: {above: 1}}
    """)
    out = tmp_path / "report.json"
    result = _run_json(SAMPLE, out, "--config", cfg)
    assert_invalid(result, "kent.yaml", "unknown requirement",
                   "complaints.no-such-duty/no-such-requirement", output=out)


def test_config_override_with_a_band_gap(tmp_path):
    cfg = write_text(tmp_path / "kent.yaml", """
        overrides:
          complaints.review-timeliness/median-working-days:
            basis: local-practice
            reason: testing
            bands:
              green: {at_most: 10}
              amber: {above: 12, at_most: 15}
              red: {above: 15}
    """)
    out = tmp_path / "report.json"
    assert_invalid(_run_json(SAMPLE, out, "--config", cfg), "kent.yaml", "gap", output=out)


def test_config_override_without_basis(tmp_path):
    cfg = write_text(tmp_path / "kent.yaml", """
        overrides:
          complaints.review-timeliness/median-working-days:
            reason: testing
            bands: {green: {at_most: 10}, red: {above: 10}}
    """)
    out = tmp_path / "report.json"
    assert_invalid(_run_json(SAMPLE, out, "--config", cfg), "kent.yaml:", "'basis'",
                   output=out)


def test_config_unknown_top_level_key(tmp_path):
    cfg = write_text(tmp_path / "kent.yaml", "thresholds: {}\n")
    out = tmp_path / "report.json"
    assert_invalid(_run_json(SAMPLE, out, "--config", cfg), "kent.yaml:1:1", "thresholds",
                   output=out)


def test_config_impossible_bank_holiday(tmp_path):
    cfg = write_text(tmp_path / "kent.yaml", """
        calendar:
          bank_holidays: ["2025-02-30"]
    """)
    out = tmp_path / "report.json"
    assert_invalid(_run_json(SAMPLE, out, "--config", cfg), "kent.yaml", output=out)


# --------------------------------------------------------------------------- validate


def test_validate_good_sample_bundle():
    code, out, err = run_cli("validate", SAMPLE)
    assert code == 0, err
    assert "ok:" in out and "bundle" in out


def test_validate_builtin_duties_folder():
    code, out, err = run_cli("validate", SAMPLE.parents[1] / "duties" / "complaints")
    assert code == 0, err
    assert "duties" in out


def test_validate_bad_duty_file_gives_file_line_col(write_duty):
    path = write_duty("broken.yaml", "id: testarea.broken\ntitle: [unclosed\nkind: statutory\n")
    result = run_cli("validate", path)
    assert_invalid(result, "broken.yaml:3:", "YAML syntax error")


def test_validate_band_gap_gives_file_line_col(write_duty):
    bands = "green: {at_most: 28}\namber: {above: 30, at_most: 40}\nred: {above: 40}"
    path = write_duty("gap.yaml", requirements=measure_requirement(bands))
    result = run_cli("validate", path)
    line = line_of(path, "green:")
    assert_invalid(result, f"gap.yaml:{line}:7", "gap")


def test_validate_reports_every_bad_file(write_duty, sample_bundle):
    bad_duty = write_duty("nosource.yaml", source=None)
    _point_register_at(sample_bundle, "gone.csv")
    result = run_cli("validate", bad_duty, sample_bundle)
    assert_invalid(result, "nosource.yaml:1:1", "'gone.csv' does not exist")

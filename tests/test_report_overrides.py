"""What users see in the human formats: a threshold the run configuration overrode is
marked beside the threshold in every format (with the catalogue's original, the basis and
the reason), the console's summary columns run in severity order, the papers say how many
duties were rated and how many were not yet due, and band bounds that are expressions over
evidence read as words, not as repeated evidence paths."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_report_support import AS_OF, build, complaints_host, make_bundle

from dutycheck.assess import Options, assess
from dutycheck.reporting import csvfmt, html, markdown, terminal
from dutycheck.reporting.text import comparator_text, threshold_text
from dutycheck.reporting.view import RATINGS

REF = "complaints.acknowledgement/acknowledged-within-target"
TITLE = "Applications acknowledged within the target"
REASON = "The service standard agreed with the Panel is 90% within the target."

CONFIG = f"""\
overrides:
  {REF}:
    basis: local-practice
    reason: {REASON}
    bands:
      green: {{at_least: 90}}
      amber: {{at_least: 75, below: 90}}
      red: {{below: 75}}
    params:
      target_working_days: 10
"""

# The catalogue's own threshold for this requirement (duties/complaints/*.yaml).
CATALOGUE_BANDS = "green: at least 95; amber: at least 80 and below 95; red: below 80"
CATALOGUE_PARAM = "target_working_days = 5 working days"
NOW_BANDS = "green: at least 90; amber: at least 75 and below 90; red: below 75"


def _with_config(folder: Path, config: str, audience: str = "jac") -> dict[str, Any]:
    bundle = make_bundle(folder / "kent")
    cfg = folder / "kent-config.yaml"
    cfg.write_text(config, encoding="utf-8")
    return assess(complaints_host(), Options(bundle=bundle, as_of=AS_OF, audience=audience,
                                             config=cfg))


@pytest.fixture(scope="module")
def overridden(tmp_path_factory) -> dict[str, Any]:
    return _with_config(tmp_path_factory.mktemp("override"), CONFIG)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_json_records_the_override_the_papers_read(overridden):
    req = next(r for d in overridden["duties"] for r in d["requirements"] if r["ref"] == REF)
    ov = req["threshold"]["override"]
    assert ov["basis"] == "local-practice" and ov["reason"] == REASON
    assert ov["catalogue"]["bands"]["green"] == {"at_least": 95}
    assert ov["catalogue_basis"] == "inference"


def test_markdown_marks_the_threshold_cell_and_lists_the_override(overridden):
    md = markdown.render(overridden)
    row = next(line for line in md.splitlines() if line.startswith(f"| {TITLE} |"))
    threshold = row.split(" | ")[3]
    assert threshold.startswith(f"{NOW_BANDS}; target_working_days = 10 working days "
                                "(local-practice)")
    assert "overridden locally ([note 1](#local-threshold-overrides))" in threshold
    assert f"the catalogue's threshold (inference) was {CATALOGUE_BANDS}; " \
           f"{CATALOGUE_PARAM}" in threshold
    # Under the table, beside the requirement's reason: basis and reason in words.
    note = next(line for line in md.splitlines()
                if line.startswith("- **Local threshold override (note 1):**"))
    assert "Override basis: local practice." in note and f"Reason: {REASON}" in note
    # Near the top, before any duty: the summary line and the section the marker links to.
    head = md.split("## Police complaint reviews")[0]
    assert "**Local threshold overrides:** 1 requirement has a threshold set by the local " \
           "run configuration" in head
    section = head.split("## Local threshold overrides")[1]
    override_row = next(line for line in section.splitlines() if line.startswith("| 1 |"))
    cells = [c.strip() for c in override_row.strip("|").split(" | ")]
    assert cells[1] == f"{TITLE} (`{REF}`)"
    assert cells[2] == f"{NOW_BANDS}; target_working_days = 10 working days"
    assert cells[3] == "local-practice"
    assert cells[4] == f"{CATALOGUE_BANDS}; {CATALOGUE_PARAM}"
    assert cells[5] == "inference"
    assert cells[6] == REASON
    assert cells[7].endswith("kent-config.yaml")


def test_html_marks_the_threshold_cell_and_links_to_the_overrides_section(overridden):
    page = html.render(overridden)
    row = next(r for r in page.split("<tr>") if f'<th scope="row">{TITLE}' in r)
    cell = re.findall(r"<td>(.*?)</td>", row)[2]
    assert cell.startswith(f"{NOW_BANDS}; target_working_days = 10 working days "
                           "(local-practice)")
    assert "<strong>Overridden by the run configuration.</strong>" in cell
    assert f"The catalogue&#39;s threshold (inference) was {CATALOGUE_BANDS}; " \
           f"{CATALOGUE_PARAM}." in cell.replace("'", "&#39;")
    assert '<a href="#override-1">Override note 1</a>' in cell
    section = page.split('<section id="overrides"')[1].split("</section>")[0]
    assert '<tr id="override-1">' in section and '<a href="#override-1-ref">' in section
    assert "Basis: Local practice" in section
    assert "Basis: Inference (no published standard found)" in section
    assert REASON in section
    summary = page.split('<section id="summary"')[1].split("</section>")[0]
    assert "1 requirement has a threshold set by the local run configuration" in summary
    assert '<a href="#overrides">Local threshold overrides</a>' in page  # contents


def test_console_marks_the_threshold_cell_and_lists_the_overrides(overridden):
    from rich.table import Table

    items = terminal.renderables(overridden)
    listing = next(t for t in items if isinstance(t, Table)
                   and str(t.title).startswith("Local threshold overrides"))
    assert [str(c) for c in listing.columns[4]._cells] == [
        f"{CATALOGUE_BANDS}; {CATALOGUE_PARAM}"]
    assert [str(c) for c in listing.columns[6]._cells] == [REASON]
    duty = next(t for t in items if isinstance(t, Table)
                and any(str(c) == TITLE for c in t.columns[0]._cells))
    cell = str(duty.columns[3]._cells[[str(c) for c in duty.columns[0]._cells].index(TITLE)])
    assert cell.endswith(f"(local-practice) (overridden, note 1: was {CATALOGUE_BANDS}; "
                         f"{CATALOGUE_PARAM}; catalogue basis: inference)")
    text = _words(terminal.render_text(overridden))
    assert "! Local threshold override (note 1): Threshold overridden by the run " \
           "configuration" in text
    assert f"Override basis: local practice. Reason: {REASON}" in text


def test_csv_has_override_columns(overridden):
    rows = list(csv.DictReader(io.StringIO(csvfmt.render(overridden))))
    row = next(r for r in rows if r["requirement"] == REF)
    assert row["threshold_overridden"] == "yes"
    assert row["catalogue_threshold"] == f"{CATALOGUE_BANDS}; {CATALOGUE_PARAM}"
    assert row["catalogue_basis"] == "inference"
    assert (row["basis"], row["override_basis"]) == ("local-practice", "local-practice")
    assert row["override_reason"] == REASON
    assert row["override_config"].endswith("kent-config.yaml")
    assert all(not r["threshold_overridden"] and not r["catalogue_threshold"]
               for r in rows if r["requirement"] != REF)


def test_without_overrides_the_papers_say_every_threshold_is_the_catalogues(bundle_doc):
    sentence = "No threshold was overridden: every threshold is the duty catalogue's own."
    assert sentence in markdown.render(bundle_doc)
    assert sentence.replace("'", "&#39;") in html.render(bundle_doc)
    assert sentence in terminal.render_text(bundle_doc)
    rows = list(csv.DictReader(io.StringIO(csvfmt.render(bundle_doc))))
    assert not any(r["threshold_overridden"] for r in rows)


@pytest.fixture(scope="module")
def bundle_doc(tmp_path_factory) -> dict[str, Any]:
    return build(make_bundle(tmp_path_factory.mktemp("plain") / "kent"))


def test_panel_paper_names_the_config_file_only(tmp_path):
    doc = _with_config(tmp_path, CONFIG, audience="panel")
    md = markdown.render(doc)
    assert "overridden locally" in md
    assert str(tmp_path) not in md and str(tmp_path) not in html.render(doc)
    assert "| kent-config.yaml |" in md


def test_panel_paper_does_not_claim_none_when_restricted_duties_hide_detail(overridden):
    """A restricted duty's requirements are only in the JAC paper, so the Panel paper of a
    run with a configuration cannot say every threshold is the catalogue's own."""
    doc = json.loads(json.dumps(overridden))
    doc["audience"] = "panel"
    for d in doc["duties"]:
        if any(r["ref"] == REF for r in d["requirements"]):
            d["audience"], d["requirements"] = "restricted", []
    withheld = ("No threshold shown in this paper was overridden. Restricted duties are "
                "summarised here without detail; any override of their thresholds is shown "
                "in the Joint Audit Committee paper.")
    assert withheld in markdown.render(doc)
    assert withheld in _words(terminal.render_text(doc))
    assert withheld in html.render(doc)
    assert "every threshold is the duty catalogue" not in markdown.render(doc)


def test_override_reason_is_inert_in_every_format(tmp_path):
    hostile = '<img src=x onerror=alert(1)> | [click](javascript:alert(1)) `code`'
    config = CONFIG.replace(f"reason: {REASON}", f"reason: '{hostile}'")
    doc = _with_config(tmp_path, config)
    page = html.render(doc)
    assert "<img" not in page and 'href="javascript' not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    md = markdown.render(doc)
    assert "<img" not in md and not re.search(r"(?<!\\)\]\(javascript", md)
    assert "&lt;img src=x onerror=alert(1)&gt; \\| \\[click\\](javascript:alert(1)) \\`code\\`" \
        in md
    assert hostile in _words(terminal.render_text(doc))


# ------------------------------------------------------------------ summary counts and order


def test_console_summary_columns_run_in_severity_order(bundle_doc):
    from rich.table import Table

    summary = next(t for t in terminal.renderables(bundle_doc)
                   if isinstance(t, Table) and str(t.title) == "Summary by area")
    assert [str(c.header) for c in summary.columns] == ["Area", "Rating", "Opinion", *RATINGS]
    assert RATINGS[:3] == ["Red", "Amber", "Green"]


@pytest.fixture(scope="module")
def sample_papers(tmp_path_factory) -> dict[str, Any]:
    """The whole sample through the command line, once, in every human format."""
    from conftest import SAMPLE, run_cli

    folder = tmp_path_factory.mktemp("sample")
    result = run_cli("run", SAMPLE, "--as-of", "2025-11-01", "--fail-on", "never",
                     *[a for f in ("json", "markdown", "html", "terminal", "csv")
                       for a in ("--format", f)], "--output", folder)
    assert result.code == 0, result.err
    out: dict[str, Any] = {"json": json.loads((folder / "report.json").read_text("utf-8"))}
    for fmt, ext in (("markdown", "md"), ("html", "html"), ("terminal", "txt"),
                     ("csv", "csv")):
        out[fmt] = (folder / f"report.{ext}").read_text(encoding="utf-8")
    return out


def test_papers_say_how_many_duties_were_rated_and_how_many_not_yet_due(sample_papers):
    c = sample_papers["json"]["counts"]["duties"]
    total, not_due = sum(c.values()), c["Not due"]
    rated = c["Red"] + c["Amber"] + c["Green"]
    assert not_due > 0
    sentence = (f"Of the {total} duties in this report, {not_due} are not yet due and so not "
                f"rated. Of the {total - not_due} that were due, {rated} were rated against "
                f"the evidence bundle ({c['Red']} Red, {c['Amber']} Amber, {c['Green']} "
                f"Green) and {c['Not evidenced']} were not evidenced (the evidence was "
                "missing, unreadable or out of date).")
    page = sample_papers["html"]
    summary = re.sub(r"<[^>]+>", "", page.split('<section id="summary"')[1].split("</p>")[0])
    assert sentence in summary
    assert "duties were checked against the evidence bundle" not in page
    assert sentence in sample_papers["markdown"]
    assert sentence in _words(sample_papers["terminal"])


def test_console_summary_header_reads_in_severity_order(sample_papers):
    header = next(line for line in sample_papers["terminal"].splitlines()
                  if line.startswith("┃ Area "))
    assert [c.strip() for c in header.strip("┃").split("┃")] == [
        "Area", "Rating", "Opinion", *RATINGS]


# ------------------------------------------------------------------ expression bounds


HOMICIDES = "serious-violence.outcome-measures/homicides-vs-previous-year"


def test_expression_bounds_read_as_words_with_their_values(sample_papers):
    req = next(r for d in sample_papers["json"]["duties"] for r in d["requirements"]
               if r["ref"] == HOMICIDES)
    prev = "murders and other homicides, previous year"
    expected = (f"green: below {prev} (18); amber: at least {prev} (18) and at most {prev} "
                f"+ 20% (21.6); red: above {prev} + 20% (21.6)")
    assert threshold_text(req) == expected
    assert comparator_text(req) == f"{prev}: 18; {prev} + 20%: 21.6"
    row = next(line for line in sample_papers["markdown"].splitlines()
               if line.startswith("| Murders and other homicides in the period"))
    assert f"| {expected} (inference) |" in row
    for fmt in ("markdown", "html", "csv"):
        text = sample_papers[fmt]
        cells = [line for line in text.splitlines() if "Murders and other homicides" in line]
        assert cells and not any(".previous.value" in c.split("SHA-256")[0] for c in cells), fmt


def test_an_unresolved_expression_bound_shows_its_path_once():
    from dutycheck.expressions import describe

    path = "sv_outcome_measures.homicides.previous.value"
    plus_a_fifth = {"sum": [path, {"ratio": [path, 5]}]}
    assert describe(plus_a_fifth) == f"{path} + 20%"
    assert describe({"difference": [path, {"ratio": [path, 3]}]}) == f"{path} - 1/3 of it"
    assert describe({"sum": [path, {"ratio": ["other.value", 5]}]}) == \
        f"{path} + other.value / 5"
    req = {"threshold": {"bands": {
        "red": f"above {describe(plus_a_fifth)}",
        "amber": f"at least {path} and at most {describe(plus_a_fifth)}",
        "green": f"below {path}"}}}
    assert threshold_text(req) == (f"green: below {path}; amber: at least {path} and at most "
                                   f"{path} + 20%; red: above {path} + 20%")


def test_tolerance_scale_and_materiality_overrides_show_both_values():
    from dutycheck.reporting.text import catalogue_threshold_text, override_short

    def req(threshold: dict[str, Any], catalogue: dict[str, Any], **extra: Any):
        return {"threshold": {**threshold, "basis": "local-practice", "override": {
            "basis": "local-practice", "reason": "r", "file": "c.yaml",
            "catalogue": catalogue, "catalogue_basis": "inference"}}, **extra}

    tol = req({"tolerance": {"absolute": 1}}, {"tolerance": {"absolute": 0.5}})
    assert threshold_text(tol) == "agree within 1"
    assert override_short(tol) == ("overridden by the run configuration; the catalogue's "
                                   "threshold (inference) was agree within 0.5")
    scale = req({"scale": {"adequate": "red", "good": "green"}},
                {"scale": {"adequate": "amber", "good": "green"}})
    assert (threshold_text(scale), catalogue_threshold_text(scale)) == (
        "adequate=red, good=green", "adequate=amber, good=green")
    mat = req({"bands": {"green": "at most 40", "red": "above 40"}},
              {"bands": {"green": {"at_most": 30}, "red": {"above": 30}}, "materiality": 3},
              travel={"materiality": 5})
    assert threshold_text(mat) == "green: at most 40; red: above 40; materiality 5"
    assert catalogue_threshold_text(mat) == "green: at most 30; red: above 30; materiality 3"


def test_a_document_freshness_override_shows_the_catalogues_window():
    from dutycheck.reporting.text import catalogue_threshold_text

    req = {"threshold": {"document": {"type": "ics-annual-report", "max_age_days": 400},
                         "basis": "local-practice", "override": {
                             "basis": "local-practice", "reason": "r", "file": "c.yaml",
                             "catalogue": {"max_age_days": 366},
                             "catalogue_basis": "statute"}}}
    assert threshold_text(req) == "an ics-annual-report document, dated within 400 days"
    assert catalogue_threshold_text(req) == "an ics-annual-report document, dated within 366 days"

"""Plugin summary tables (``dutycheck_report_tables``): a table a partner's plugin builds
from the rated report appears at the head of its area in every format, is sealed with the
report, and a faulty table makes the run incomplete without losing the report."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from conftest import AS_OF, REPO, SAMPLE

from dutycheck import ReportTable, hookimpl
from dutycheck.report import digest


class CountsByRating:
    """A partner plugin: one row per complaint review duty, with its rating."""

    @hookimpl
    def dutycheck_report_tables(self, report):
        rows = [(d["title"], d["rating"]) for d in report["duties"]
                if d["area"] == "complaints"]
        return [ReportTable("complaints", "Complaint review duties | at a glance",
                            ("Duty", "Rating"), rows, note="Built by a test plugin.",
                            rating_column=1),
                ReportTable("no-such-area", "Left out", ("A",), [("x",)])]


class Malformed:
    @hookimpl
    def dutycheck_report_tables(self, report):
        return [ReportTable("complaints", "Ragged", ("A", "B"), [("only one",)])]


class Raises:
    @hookimpl
    def dutycheck_report_tables(self, report):
        raise RuntimeError("matrix broke")


def _run(dutycheck_cli, tmp_path: Path, *formats: str, exit_code: int = 0) -> Path:
    out = tmp_path / "out"
    args = ["run", str(SAMPLE), "--as-of", AS_OF, "--area", "complaints", "--fail-on",
            "never", "--output", str(out)]
    for f in formats:
        args += ["--format", f]
    dutycheck_cli(*args, exit_code=exit_code)
    return out


def test_a_plugin_table_is_in_every_format_and_sealed(dutycheck_cli, dutycheck_register,
                                                      tmp_path):
    dutycheck_register(CountsByRating())
    out = _run(dutycheck_cli, tmp_path, "json", "markdown", "html", "terminal")
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    [table] = doc["tables"]  # the table for an area not in the run is dropped
    assert table["area"] == "complaints" and table["rating_column"] == 1
    ratings = {d["title"]: d["rating"] for d in doc["duties"]}
    assert {r[0]: r[1] for r in table["rows"]} == ratings
    assert "tables" in doc["seal"]["sections"]

    md = (out / "report.md").read_text(encoding="utf-8")
    # at the head of its area, escaped like any other text, ratings with their symbol
    head = md.index("## Police complaint reviews")
    assert head < md.index("**Complaint review duties \\| at a glance**") < md.index("### 1.")
    first = table["rows"][0]
    assert f"| {first[0]} | " in md and "Built by a test plugin." in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<caption>Complaint review duties | at a glance</caption>" in html
    assert html.count('class="data summary-table"') == 1
    txt = (out / "report.txt").read_text(encoding="utf-8")
    assert "Complaint review duties | at a glance" in txt


def test_editing_a_table_cell_breaks_the_seal(dutycheck_register, dutycheck_cli, tmp_path):
    dutycheck_register(CountsByRating())
    out = _run(dutycheck_cli, tmp_path, "json", "markdown")
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    doc["tables"][0]["rows"][0][1] = "Green" if doc["tables"][0]["rows"][0][1] != "Green" \
        else "Red"
    assert digest(doc) != doc["sha256"]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc), encoding="utf-8")
    result = dutycheck_cli("verify", str(edited), exit_code=None)
    assert result.exit_code != 0
    assert "report section 'tables' was edited" in result.output


def test_a_malformed_table_makes_the_run_incomplete_but_writes_the_report(
        dutycheck_register, dutycheck_cli, tmp_path):
    dutycheck_register(Malformed())
    out = _run(dutycheck_cli, tmp_path, "json", "markdown", exit_code=3)
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert doc["tables"] == []
    assert any("row 1 must be 2 text cells" in e for e in doc["errors"])
    assert "The run is incomplete" in (out / "report.md").read_text(encoding="utf-8")


def test_a_table_hook_that_raises_is_named_and_the_run_is_incomplete(
        dutycheck_register, dutycheck_cli, tmp_path):
    dutycheck_register(Raises())
    out = _run(dutycheck_cli, tmp_path, "json", "markdown", exit_code=3)
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert any("dutycheck_report_tables() raised RuntimeError: matrix broke" in e
               for e in doc["errors"])


def test_the_spr_matrix_heads_the_spr_area_in_the_panel_paper(dutycheck_cli, tmp_path):
    out = tmp_path / "out"
    dutycheck_cli("run", str(SAMPLE), "--as-of", AS_OF, "--area", "spr", "--audience",
                  "panel", "--format", "html", "--format", "markdown", "--format",
                  "spr-matrix", "--fail-on", "never", "--output", str(out))
    html = (out / "report.html").read_text(encoding="utf-8")
    caption = html.index("<caption>The seven national threats at a glance</caption>")
    assert caption < html.index('class="duty ')
    assert html.count("<tr><th scope=\"row\">", caption, html.index("</table>", caption)) == 7
    # two Markdown formats in one folder: each keeps its own file
    assert (out / "report.markdown.md").is_file() and (out / "report.spr-matrix.md").is_file()
    assert not (out / "report.md").exists()

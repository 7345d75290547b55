"""dutycheck.lint: SQL and value paths in duty YAML are checked against the declared
evidence kinds, so a typo is an authoring error at file:line:col, not a run-time gap."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, REPO, run_cli, write_text

from dutycheck.errors import Problem
from dutycheck.host import make_host
from dutycheck.kinds import Column, EvidenceKind, StructuredKind, TabularKind
from dutycheck.lint import SqlBinder, lint_files

CORPUS_BASE = REPO / "tests" / "bad_inputs" / "_base" / "bundle"


@pytest.fixture(scope="module")
def kinds() -> dict[str, EvidenceKind]:
    return {n: k for n, (_, k) in make_host().evidence_kinds().items()}


BANDS = """\
unit: "%"
direction: lower-is-better
bands:
  green: {at_most: 10}
  red: {above: 10}
basis: inference
"""


def _duty(requirements: str, duty_id: str = "example.typos") -> str:
    """A one-duty file around ``requirements`` (YAML list items); a line ``BANDS`` stands
    for the keys of a complete measure besides ``value``, at that line's indent."""
    lines = []
    for line in textwrap.dedent(requirements).strip("\n").splitlines():
        if line.strip() == "BANDS":
            indent = line[:len(line) - len(line.lstrip())]
            lines += [indent + b for b in BANDS.splitlines()]
        else:
            lines.append(line)
    return (f"id: {duty_id}\ntitle: Typos\nkind: statutory\nholder: PCC\n"
            "source: {title: Test, basis: inference}\ncadence: annual\nrequirements:\n"
            + "".join(f"  {line}\n" for line in lines))


def _lint(tmp_path: Path, text: str, kinds: dict[str, EvidenceKind]) -> list[Problem]:
    return lint_files([write_text(tmp_path / "duty.yaml", text)], kinds)


def _found(problems: list[Problem]) -> list[tuple[int | None, int | None, str, str]]:
    return [(p.line, p.column, p.path, p.message) for p in problems]


def test_each_kind_of_typo_is_reported_at_its_line(tmp_path, kinds):
    text = _duty("""
        - id: bad-table
          kind: measure
          title: A misspelt table
          value: {sql: "SELECT count(*) FROM dsi_lgo"}
          evidence: [dsi_log]
          BANDS
        - id: bad-column
          kind: reconcile
          title: A misspelt column and a misspelt path
          stated: dsi_return.deths
          computed: {sql: "SELECT count(*) FROM dsi_log WHERE categroy = 'death'"}
          evidence: [dsi_log]
          basis: inference
        - id: bad-syntax
          kind: reconcile
          title: Bad syntax
          stated: dsi_return.deaths
          computed: {sql: "SELEC count(*) FROM dsi_log"}
          evidence: [dsi_log]
          basis: inference
        - id: bad-kinds
          kind: measure
          title: Misspelt kinds in paths, in evidence and in a band limit
          value: {percent: [complaint_review_retrun.upheld, complaint_review_return.recieved]}
          evidence: [complaint_review_registr]
          unit: "%"
          direction: lower-is-better
          bands:
            green: {at_most: complaint_review_return.msg_mean_dys}
            red: {above: complaint_review_return.msg_mean_dys}
          basis: inference
        """)
    problems = _lint(tmp_path, text, kinds)
    assert all(p.file.endswith("duty.yaml") for p in problems)
    tables = ", ".join(sorted(n for n, k in kinds.items() if isinstance(k, TabularKind)))
    assert _found(problems) == [
        (11, 13, "$.requirements[0].value.sql",
         "SQL reads unknown table 'dsi_lgo' (did you mean 'dsi_log'?); the tables are the "
         f"tabular evidence kinds: {tables}"),
        (22, 5, "$.requirements[1].stated",
         "dsi_return.deths: dsi_return has no field 'deths' (did you mean 'deaths'?)"),
        (23, 16, "$.requirements[1].computed.sql",
         "SQL names unknown column 'categroy' in dsi_log (did you mean 'category'?)"),
        (30, 16, "$.requirements[2].computed.sql",
         'SQL does not parse: Parser Error: syntax error at or near "SELEC"'),
        (36, 23, "$.requirements[3].value.percent[0]",
         "complaint_review_retrun.upheld: unknown evidence kind 'complaint_review_retrun' "
         "(did you mean 'complaint_review_return'?)"),
        (36, 55, "$.requirements[3].value.percent[1]",
         "complaint_review_return.recieved: complaint_review_return has no field 'recieved' "
         "(did you mean 'received'?)"),
        (37, 16, "$.requirements[3].evidence[0]",
         "unknown evidence kind 'complaint_review_registr' (did you mean "
         "'complaint_review_register'?)"),
        (41, 15, "$.requirements[3].bands.green.at_most",
         "complaint_review_return.msg_mean_dys: complaint_review_return has no field "
         "'msg_mean_dys' (did you mean 'msg_mean_days'?)"),
        (42, 13, "$.requirements[3].bands.red.above",
         "complaint_review_return.msg_mean_dys: complaint_review_return has no field "
         "'msg_mean_dys' (did you mean 'msg_mean_days'?)"),
    ]
    assert str(problems[0]).startswith(f"{problems[0].file}:11:13: "
                                       "$.requirements[0].value.sql: SQL reads unknown table")


def test_mistakes_in_shape_and_placement(tmp_path, kinds):
    text = _duty("""
        - id: shapes
          kind: measure
          title: Two columns, a misspelt macro, SQL not listed under evidence
          value: {sql: "SELECT suite, count(*) FROM dsi_log GROUP BY suite"}
          unit: "%"
          direction: lower-is-better
          bands:
            green: {at_most: {sql: "SELECT max(workingdays(incident_date, 1)) FROM dsi_log"}}
            red: {above: {sql: "SELECT max(suite) FROM dsi_log"}}
          basis: inference
        - id: wrong-evidence-style
          kind: reconcile
          title: A path into a table, SQL over a structured kind
          stated: dsi_log.deaths
          computed: {sql: "SELECT deaths FROM dsi_return"}
          basis: inference
        - id: wrong-depth
          kind: grade
          title: A path through a list and a path ending at an object
          grade: sv_outcome_measures.reports.current
          scale: {good: green}
          basis: inference
        - id: object-value
          kind: reconcile
          title: A path ending at an object
          stated: sv_outcome_measures.homicides.previous
          computed: 1
          basis: inference
        """)
    assert [m for *_, m in _found(_lint(tmp_path, text, kinds))] == [
        "SQL reads dsi_log but `evidence:` does not list it (list every kind the SQL "
        "reads, so it is checked for freshness and cited)",
        "SQL must return one value; this query returns 2 columns (suite, count_star())",
        'SQL does not bind: Scalar Function with name workingdays does not exist! '
        '(Did you mean "working_days"?)',
        "SQL returns VARCHAR, not a number",
        'dsi_log.deaths: dsi_log is tabular evidence; a path reads structured evidence '
        'only: use sql: "SELECT ... FROM dsi_log"',
        "SQL reads dsi_return, which is structured evidence, not a table; read it with a "
        "path such as dsi_return.field",
        "sv_outcome_measures.reports.current: sv_outcome_measures.reports is a list, so the "
        "path cannot go on to 'current'",
        "sv_outcome_measures.homicides.previous is an object in the sv_outcome_measures "
        "schema, not a number",
    ]


def test_sql_passes_the_run_time_gate_and_is_never_run(tmp_path, kinds):
    text = _duty("""
        - id: gate
          kind: reconcile
          title: Statements other than one SELECT, a file read, and an error only running shows
          stated: {sql: "DELETE FROM dsi_log"}
          computed: {sql: "SELECT count(*) FROM read_csv('/etc/passwd')"}
          evidence: [dsi_log]
          basis: inference
        - id: never-run
          kind: reconcile
          title: Binding does not run the query
          stated: {sql: "SELECT count(*) FROM dsi_log WHERE error('ran it') IS NULL"}
          computed: {sql: "COPY (SELECT 1) TO 'copied.csv'"}
          evidence: [dsi_log]
          basis: inference
        """)
    found = [m for *_, m in _found(_lint(tmp_path, text, kinds))]
    assert found[0] == ("evidence SQL must be a single SELECT (or WITH ... SELECT) statement: "
                        "DELETE FROM dsi_log")
    assert "disabled by configuration" in found[1]
    assert found[2].startswith("evidence SQL must be a single SELECT")
    assert len(found) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duty.yaml"]


def test_correct_duty_lints_clean(tmp_path, kinds):
    text = _duty("""
        - id: macros-ctes-and-paths
          kind: measure
          title: working_days, bank holidays, a CTE, an alias, nested operators
          value:
            sum:
              - sql: >-
                  WITH d AS (SELECT * FROM dsi_log WHERE category = 'death')
                  SELECT coalesce(max(working_days(d.incident_date, h.day)), 0)
                  FROM d, bank_holidays h
              - {ratio: [dsi_return.deaths, sv_outcome_measures.homicides.previous.value]}
          evidence: [dsi_log]
          unit: days
          direction: lower-is-better
          bands:
            green: {at_most: sv_outcome_measures.homicides.stated_change_vs_previous_percent}
            red: {above: sv_outcome_measures.homicides.stated_change_vs_previous_percent}
          basis: inference
        - id: a-grade
          kind: grade
          title: A grade path
          grade: document.title
          scale: {good: green}
          basis: inference
        """)
    assert _lint(tmp_path, text, kinds) == []


def test_builtin_catalogue_lints_clean(kinds):
    host = make_host()
    locations = [path for _, path in host.duty_locations()]
    assert any(p.name == "complaints" for p in locations)
    assert lint_files(locations, kinds) == []


def test_paths_follow_refs_branches_and_open_objects(tmp_path):
    schema: dict[str, Any] = {
        "type": "object", "additionalProperties": False,
        "$defs": {"figure": {"type": "object", "additionalProperties": False,
                             "properties": {"value": {"type": "number"}}}},
        "properties": {
            "current": {"$ref": "#/$defs/figure"},
            "either": {"anyOf": [{"type": "object", "properties": {"a": {"type": "number"}},
                                  "additionalProperties": False},
                                 {"type": "object", "properties": {"b": {"type": "number"}},
                                  "additionalProperties": False}]},
            "by_year": {"type": "object", "patternProperties": {"^y[0-9]{4}$": {"type": "number"}},
                        "additionalProperties": False},
            "anything": {"type": "object"},
            "label": {"type": "string"},
        },
    }
    kinds: dict[str, EvidenceKind] = {
        "ret": StructuredKind("ret", "A return", schema),
        "tab": TabularKind("tab", "A table", (Column("seen", "date"), Column("n", "integer"))),
    }
    text = _duty("""
        - id: paths
          kind: reconcile
          title: Paths
          stated: {sum: [ret.current.value, ret.either.a, ret.either.b, ret.by_year.y2024,
                         ret.anything.x.y]}
          computed: {sum: [ret.current.valeu, ret.either.c, ret.by_year.2024, ret.label,
                           ret.label.x]}
          basis: inference
        - id: typed-columns
          kind: measure
          title: Columns have their declared types
          value: {sql: "SELECT max(n) + count(*) FILTER (WHERE seen > DATE '2025-01-01') FROM tab"}
          evidence: [tab]
          BANDS
        """)
    assert [m for *_, m in _found(_lint(tmp_path, text, kinds))] == [
        "ret.current.valeu: ret.current has no field 'valeu' (did you mean 'value'?)",
        "ret.either.c: ret.either has no field 'c'; fields: a, b",
        "ret.by_year.2024: ret.by_year has no field '2024'; fields: none",
        "ret.label is a string in the ret schema, not a number",
        "ret.label.x: ret.label is a string, so the path cannot go on to 'x'",
    ]


def test_binder_tables_mirror_the_bundle(kinds):
    with SqlBinder(kinds) as binder:
        rel = binder.bind("SELECT __row, incident_date FROM dsi_log")
        assert [str(t) for t in rel.types] == ["BIGINT", "DATE"]
        assert binder.tables_read("SELECT 1 FROM dsi_log, icv_visit_log") == {
            "dsi_log", "icv_visit_log"}


# ----------------------------------------------------------------- corpus-style cases
# Each typo below, left to a run over the bad-input corpus's base bundle, reads as an Error
# or as a gap in the evidence (``run``); the lint names it as an authoring error
# at its place in the duty file (``lint``).

CORPUS_STYLE = [
    pytest.param({
        "description": "a misspelt table is an Error at run time, pointing to validate",
        "requirement": """
            - id: a-measure
              kind: measure
              title: Reviews received
              value: {sql: "SELECT count(*) FROM complaint_review_registr"}
              evidence: [complaint_review_register]
              BANDS
            """,
        "run": ("Error", "the duty's SQL does not bind (Catalog Error: Table with name "
                "complaint_review_registr does not exist"),
        "lint": "duty.yaml:11:13: $.requirements[0].value.sql: SQL reads unknown table "
                "'complaint_review_registr' (did you mean 'complaint_review_register'?); "
                "the tables are the tabular evidence kinds: channel_panel_meetings, ",
    }, id="sql-misspelt-table"),
    pytest.param({
        "description": "a misspelt column is an Error with DuckDB's Binder Error",
        "requirement": """
            - id: a-measure
              kind: measure
              title: Mean days
              value: {sql: "SELECT count(outcome_leter_date) FROM complaint_review_register"}
              evidence: [complaint_review_register]
              BANDS
            """,
        "run": ("Error", "Binder Error"),
        "lint": "duty.yaml:11:13: $.requirements[0].value.sql: SQL names unknown column "
                "'outcome_leter_date' in complaint_review_register (did you mean "
                "'outcome_letter_date'?)",
    }, id="sql-misspelt-column"),
    pytest.param({
        "description": "a misspelt field in a path is Not evidenced at run time",
        "requirement": """
            - id: a-grade
              kind: grade
              title: Annual report title
              grade: document.titel
              scale: {annual report 2024/25: green}
              basis: inference
            """,
        "run": ("Not evidenced", "has no value for titel"),
        "lint": "duty.yaml:11:5: $.requirements[0].grade: document.titel: document has no "
                "field 'titel' (did you mean 'title'?)",
    }, id="path-misspelt-field"),
]


@pytest.mark.parametrize("case", CORPUS_STYLE)
def test_corpus_style_typo_is_an_authoring_error_not_a_gap(case, tmp_path, kinds):
    duty = write_text(tmp_path / "duties" / "duty.yaml",
                      _duty(case["requirement"], duty_id="corpus.example-duty"))
    found = [str(p) for p in lint_files([duty], kinds)]
    assert len(found) == 1 and case["lint"] in found[0], found

    output = tmp_path / "report.json"
    code, _, err = run_cli("run", CORPUS_BASE, "--as-of", AS_OF, "--format", "json",
                           "--output", output, "--fail-on", "never", "--area", "corpus",
                           "--duties", tmp_path / "duties")
    assert "Traceback" not in err
    (req,) = json.loads(output.read_text(encoding="utf-8"))["duties"][0]["requirements"]
    rating, reason = case["run"]
    assert req["rating"] == rating and reason in req["reason"], (code, req)


def test_cli_validate_reports_a_misspelt_table_with_its_line_and_exits_4(tmp_path):
    import subprocess
    import sys

    duty = tmp_path / "typo.yaml"
    duty.write_text(
        "id: test.typo\ntitle: A typo\nkind: statutory\nholder: PCC\n"
        "source: {title: Test Act 2024 s.1, basis: statute}\ncadence: annual\n"
        "requirements:\n"
        "  - id: dsi\n    kind: measure\n    title: count\n"
        "    value: {sql: \"SELECT count(*) FROM dsi_lgo\"}\n"
        "    unit: cases\n    direction: lower-is-better\n"
        "    bands: {green: {at_most: 0}, red: {above: 0}}\n    basis: inference\n",
        encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "dutycheck", "validate", str(duty)],
                          capture_output=True, text=True)
    assert proc.returncode == 4, proc.stderr
    assert f"{duty}:11:" in proc.stderr
    assert "unknown table 'dsi_lgo' (did you mean 'dsi_log'?)" in proc.stderr
    assert "Traceback" not in proc.stderr

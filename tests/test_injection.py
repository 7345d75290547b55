"""Injection (issue 11): hostile text in evidence or in a partner's finding renders inert in
every report format; spreadsheet formulas are neutralised; a duty's SQL cannot reach files.

Hostile text enters two ways: through the evidence bundle (organisation name, an item's
title, a document's title) and through a plugin's finding (its reason and value, set by the
faulty plugin of ``test_plugin_faults`` from environment variables).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from test_plugin_faults import AS_OF, BASE, install, run_cli

from dutycheck.reporting import csvfmt

PAYLOAD = ("<script>alert(1)</script><img src=x onerror=alert(2)> "
           "[click](javascript:alert(3)) ![i](http://example.invalid/x.png) `code` **bold** "
           "| pipe \\ back \x1b[31mRED\x1b]0;pwned-title\x07 \x1b[2J [bold red]markup[/] "
           "[link=https://example.invalid]osc8[/link] \u202egnp.exe\u202c \u2067iso\u2069 end")
FORMATS = ["terminal", "json", "markdown", "html", "csv"]
BIDI = ["\u202e", "\u202c", "\u2067", "\u2069"]  # override, pop, isolate, pop isolate
CONTROL = ["\x1b", "\x07", *BIDI]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Every format, written to a folder, from a run with hostile text in the bundle and
    in a plugin's finding; plus the terminal format printed to standard output."""
    tmp = tmp_path_factory.mktemp("inject")
    bundle = tmp / "bundle"
    shutil.copytree(BASE, bundle)
    quoted = json.dumps(PAYLOAD)  # a YAML double-quoted scalar is a JSON string
    manifest = bundle / "bundle.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("organisation: Corpus Test OPCC", f"organisation: {quoted}")
    text = text.replace("source:\n      document: corpus base annual report",
                        f"title: {quoted}\n    source:\n      document: {quoted}")
    manifest.write_text(text, encoding="utf-8")
    doc = bundle / "annual-report.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "title: Annual Report 2024/25", f"title: {quoted}"), encoding="utf-8")
    env = install(tmp / "site", ["hostile"])
    env.update(HOSTILE_TEXT=PAYLOAD, HOSTILE_VALUE="=HYPERLINK(\"http://x.invalid\",\"y\")")
    out = tmp / "out"
    args = ["run", str(bundle), "--as-of", AS_OF, "--fail-on", "never"]
    proc = run_cli(args + sum((["--format", f] for f in FORMATS), []) + ["--output", str(out)],
                   env, tmp)
    assert proc.returncode == 0, proc.stderr
    files = {f: (out / f"report.{ext}").read_text(encoding="utf-8")
             for f, ext in zip(FORMATS, ["txt", "json", "md", "html", "csv"], strict=True)}
    stdout = run_cli(args + ["--format", "terminal"], env, tmp)
    assert stdout.returncode == 0, stdout.stderr
    files["terminal-stdout"] = stdout.stdout
    return files


def test_json_keeps_the_text_exactly_as_data(hostile):
    doc = json.loads(hostile["json"])
    assert doc["organisation"] == PAYLOAD
    duty = next(d for d in doc["duties"] if d["id"] == "faults.plugin-faults")
    assert duty["requirements"][0]["reason"] == PAYLOAD
    for char in ("\x1b", "\x07", *BIDI):  # escaped as \uXXXX, never raw in the file
        assert char not in hostile["json"]
    assert "\\u202egnp.exe\\u202c" in hostile["json"]


@pytest.mark.parametrize(("fmt", "shown"), [
    ("terminal", "[U+202E]gnp.exe[U+202C] [U+2067]iso[U+2069]"),
    ("terminal-stdout", "[U+202E]gnp.exe[U+202C] [U+2067]iso[U+2069]"),
    ("markdown", "\\[U+202E\\]gnp.exe\\[U+202C\\] \\[U+2067\\]iso\\[U+2069\\]"),
    ("html", "[U+202E]gnp.exe[U+202C] [U+2067]iso[U+2069]"),
    ("csv", "[U+202E]gnp.exe[U+202C] [U+2067]iso[U+2069]"),
])
def test_bidi_controls_are_shown_not_obeyed(hostile, fmt, shown):
    """Trojan Source: a reader sees that the text carried bidi controls, and nothing is
    reordered (the JSON keeps them as escapes, so the data is unchanged)."""
    assert shown in hostile[fmt].replace("\n", ""), fmt


def test_plugin_markdown_format_shows_hostile_text_literally(hostile):
    from dutycheck.plugins.spr import matrix

    md = matrix.render(json.loads(hostile["json"]))
    for char in CONTROL:
        assert char not in md, repr(char)
    assert "\\[U+202E\\]gnp.exe" in md and "&lt;script&gt;" in md and "<script>" not in md


@pytest.mark.parametrize("fmt", ["terminal", "terminal-stdout", "markdown", "html", "csv"])
def test_no_control_characters_reach_a_rendered_report(hostile, fmt):
    for char in CONTROL:
        assert char not in hostile[fmt], (fmt, repr(char))


def test_html_escapes_markup_and_makes_no_links(hostile):
    html = hostile["html"]
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html.lower() and "src=\"http://example.invalid" not in html
    assert "<script" not in html.lower()  # the paper has no scripts at all


def test_markdown_shows_the_text_literally(hostile):
    md = hostile["markdown"]
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert not re.search(r"(?<!\\)\]\(", md), "an unescaped link or image"
    assert "\\[click\\](javascript:alert(3))" in md
    for line in md.splitlines():
        if line.startswith("|") and "pwned-title" in line:
            assert "\\| pipe" in line  # the table is not broken by the text


def test_terminal_does_not_interpret_console_markup(hostile):
    for fmt in ("terminal", "terminal-stdout"):
        assert "[bold red]markup[/]" in hostile[fmt] or "[bold red]markup[/]" in \
            hostile[fmt].replace("\n", "")
        assert "osc8" in hostile[fmt]


def test_csv_cells_are_neutralised(hostile):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(hostile["csv"])))
    row = next(r for r in rows if r["requirement"] == "faults.plugin-faults/hostile")
    assert row["value"].startswith("'=HYPERLINK(")
    for r in rows:
        for cell in r.values():
            assert cell[:1] not in ("=", "+", "@", "\t", "\r"), cell
            assert not (cell.startswith("-") and cell != "-" and not _number(cell)), cell


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(("raw", "shown"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'=1"), ("\x1b=1", "'=1"), ("-", "-"), ("-12.5", "-12.5"),
    ("+44", "+44"), ("plain", "plain"), (None, ""), (3, "3"),
])
def test_csv_cell_rule(raw, shown):
    assert csvfmt._cell(raw) == shown


# --------------------------------------------------------------------------- SQL and files


@pytest.fixture
def loaded_bundle():
    from dutycheck import bundle as bundlelib
    from dutycheck.host import make_host

    host = make_host()
    kinds = {n: k for n, (_, k) in host.evidence_kinds().items()}
    with bundlelib.load(BASE, kinds) as b:
        yield b


@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "COPY (SELECT 1) TO 'copied.csv'",
    "ATTACH 'other.duckdb' AS other",
    "INSTALL httpfs",
])
def test_duckdb_has_no_file_or_network_access_after_loading(loaded_bundle, sql, tmp_path,
                                                            monkeypatch):
    import duckdb

    from dutycheck import Evidence

    monkeypatch.chdir(tmp_path)
    with pytest.raises((duckdb.Error, ValueError)):
        Evidence(loaded_bundle).sql(sql)
    assert not list(tmp_path.iterdir())


def test_duckdb_configuration_is_locked(loaded_bundle):
    import duckdb

    from dutycheck import Evidence

    with pytest.raises(ValueError, match="single SELECT"):
        Evidence(loaded_bundle).sql("SET enable_external_access = true")
    # Below the read-only gate, the database itself refuses the change too.
    with pytest.raises(duckdb.Error, match="locked"):
        loaded_bundle._db.execute("SET enable_external_access = true")


def test_duty_sql_cannot_change_the_evidence(loaded_bundle):
    import contextlib

    import duckdb

    from dutycheck import Evidence

    ev = Evidence(loaded_bundle)
    before = ev.sql("SELECT count(*) FROM complaint_review_register")
    for sql in ("DELETE FROM complaint_review_register",
                "DROP VIEW IF EXISTS complaint_review_register"):
        with contextlib.suppress(duckdb.Error, ValueError):
            ev.sql(sql)
    assert ev.sql("SELECT count(*) FROM complaint_review_register") == before

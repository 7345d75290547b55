"""The console view tells an officer what the papers do: direction of travel against a
baseline, each waiver (ratings shown unchanged) and each management action's status."""

from __future__ import annotations

from conftest import AS_OF
from test_report_support import bundle as bundle  # noqa: F401  (fixture)


def test_console_shows_travel_waivers_and_actions(cli, sample_bundle, tmp_path):
    base = tmp_path / "base.json"
    first = cli("run", sample_bundle, "--as-of", "2025-06-01", "--format", "json", "--output",
                base, "--fail-on", "never")
    assert first.code == 0, first.err
    result = cli("run", sample_bundle, "--as-of", AS_OF, "--baseline", base,
                 "--fail-on", "never")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())  # rich wraps cells; compare words
    assert "Since the previous report (as of 1 June 2025):" in out
    # Not evidenced -> Green is counted as newly evidenced, shown under the duty, not as an
    # unexplained "changed" at the top.
    assert "newly evidenced (not evidenced before, rated now)" in out
    assert "changed between other states" not in out
    assert "Since the previous report: newly evidenced (was Not evidenced)" in out
    assert "Since last report" in out  # the requirement tables gain a travel column
    assert "Waivers (ratings are shown unchanged)" in out
    assert "W-2025-01" in out and "W-2024-03" in out and "expired" in out
    assert "Management actions" in out
    assert "A-2025-02" in out and "open, overdue, carried over" in out
    # beside the requirement it applies to (the narrow rating cell wraps the words)
    assert "(waiver" in out and "W-2025-01," in out and "active)" in out


def test_console_without_baseline_has_no_travel_column(cli, sample_bundle):
    result = cli("run", sample_bundle, "--as-of", AS_OF, "--fail-on", "never")
    assert result.code == 0, result.err
    assert "Since last report" not in result.out
    assert "Since the previous report" not in result.out
    assert "Management actions" in result.out


def _column(text: str, index: int) -> str:
    """The cells of one table column read top to bottom, as a reader follows a folded
    cell down the rows."""
    cells = [line.split("│")[index].strip() for line in text.splitlines()
             if line.startswith("│") and line.count("│") > abs(index)]
    return "".join(cells)


def test_console_gives_every_rating_its_reason_and_never_cuts_evidence(bundle):
    from test_report_support import build

    from dutycheck.reporting.terminal import render_text

    doc = build(bundle)
    text = render_text(doc)
    assert "…" not in text  # no cell is cut short
    assert "complaint-review-register.csv" in _column(text, -2)  # folded, not cut
    green = [r for d in doc["duties"] if d["rating"] == "Green" for r in d["requirements"]]
    assert green
    flat = " ".join(text.split())
    for r in green:  # a Green rating says why too (issue 2)
        assert " ".join(r["reason"].split()) in flat, r["ref"]


def test_console_says_incomplete_under_the_opinion(bundle):
    from test_report_support import build

    from dutycheck.reporting.terminal import render_text

    doc = build(bundle)
    doc["plugin_failures"] = ["plugin custody failed to load: ImportError: no module"]
    lines = render_text(doc).splitlines()
    opinion = next(i for i, line in enumerate(lines)
                   if line.startswith("Overall assurance opinion"))
    banner = next(i for i, line in enumerate(lines) if line.startswith("INCOMPLETE"))
    assert opinion < banner <= opinion + 3  # under the opinion, not only at the very bottom
    assert "INCOMPLETE: plugin custody failed to load" in lines[-1]

"""The console view tells an officer what the papers do: direction of travel against a
baseline, each waiver (ratings shown unchanged) and each management action's status."""

from __future__ import annotations

from conftest import AS_OF


def test_console_shows_travel_waivers_and_actions(cli, sample_bundle, tmp_path):
    base = tmp_path / "base.json"
    first = cli("run", sample_bundle, "--as-of", "2025-06-01", "--format", "json", "--output",
                base, "--fail-on", "never")
    assert first.code == 0, first.err
    result = cli("run", sample_bundle, "--as-of", AS_OF, "--baseline", base,
                 "--fail-on", "never")
    assert result.code == 0, result.err
    out = " ".join(result.out.split())  # rich wraps cells; compare words
    assert "Since the previous report (as of 2025-06-01):" in out
    assert "Complaint reviews are completed in good time: changed (Not evidenced to Green)" in out
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

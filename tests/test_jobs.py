"""``dutycheck run`` over several bundles with ``--jobs``, as a user meets it: one report per
bundle named after its folder, ``summary.json`` and a printed summary, the worst exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, SAMPLE, run_cli


def _copies(root: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        dest = root / "bundles" / name
        shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        out.append(dest)
    return out


def test_jobs_writes_one_report_per_bundle_and_a_summary(tmp_path: Path):
    bundles = _copies(tmp_path, "north", "south", "east")
    out = tmp_path / "reports"
    code, stdout, stderr = run_cli("run", *bundles, "--jobs", "2", "--as-of", AS_OF,
                                   "--output", out, timeout=300)
    # The sample has Red duties, so the default --fail-on red exits 1 for every bundle.
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == ["east.json", "north.json", "south.json",
                                                     "summary.json"]
    assert not list(out.glob(".*.tmp"))

    # Each report is exactly what a single-bundle run of that folder writes.
    single = tmp_path / "single.json"
    code1, _, err1 = run_cli("run", bundles[0], "--as-of", AS_OF, "--format", "json",
                             "--output", single)
    assert code1 == 1, err1
    assert (out / "north.json").read_bytes() == single.read_bytes()

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["exit_code"] == 1 and summary["as_of"] == AS_OF and summary["jobs"] == 2
    assert [b["bundle"] for b in summary["bundles"]] == ["north", "south", "east"]
    report = json.loads(single.read_text(encoding="utf-8"))
    for row in summary["bundles"]:
        assert row["exit_code"] == 1 and row["status"] == "at or above --fail-on"
        assert row["organisation"] == report["organisation"]
        assert row["period"] == report["period"]
        assert row["duties"] == {k: v for k, v in report["counts"]["duties"].items() if v}
        assert row["reports"] == [str(out / f"{row['bundle']}.json")]

    # The printed summary: one row per bundle with its organisation, period and exit code.
    for name in ("north", "south", "east"):
        line = next(x for x in stdout.splitlines() if f" {name} " in x)
        assert "Kent" in line and "2024/25" in line and "1 at or above --fail-on" in line
    # Standard error is not a terminal here: plain progress, one line per bundle.
    assert sorted(x.split("] ")[1].split(":")[0] for x in stderr.splitlines()
                  if x.startswith("[")) == ["east", "north", "south"]
    assert f"wrote {out / 'summary.json'}" in stderr


def test_a_bad_bundle_exits_4_and_the_good_reports_are_still_written(tmp_path: Path):
    good1, bad, good2 = _copies(tmp_path, "good-one", "broken", "good-two")
    manifest = bad / "bundle.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "organisation: Office", "organisation: [Office", 1), encoding="utf-8")
    out = tmp_path / "reports"
    code, stdout, stderr = run_cli("run", good1, bad, good2, "--jobs", "2", "--as-of", AS_OF,
                                   "--fail-on", "never", "--format", "json",
                                   "--format", "markdown", "--output", out, timeout=300)
    assert code == 4, stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "good-one.json", "good-one.md", "good-two.json", "good-two.md", "summary.json"]
    assert "broken/bundle.yaml:" in stderr and "YAML syntax error" in stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    codes = {b["bundle"]: (b["exit_code"], b["status"]) for b in summary["bundles"]}
    assert codes == {"good-one": (0, "ok"), "broken": (4, "invalid input"),
                     "good-two": (0, "ok")}
    assert summary["exit_code"] == 4
    assert any("YAML syntax error" in m for m in summary["bundles"][1]["messages"])
    assert "4 invalid input" in next(x for x in stdout.splitlines() if " broken " in x)


@pytest.mark.parametrize("extra, message", [
    ((), "several bundles need --output FOLDER"),
    (("--output", "report.json", "--baseline", "last.json"), "--baseline compares one bundle"),
])
def test_several_bundles_usage_errors(tmp_path: Path, extra: tuple[str, ...], message: str):
    code, _, stderr = run_cli("run", SAMPLE, SAMPLE.parent / "kent-2025-26", *extra,
                              cwd=tmp_path)
    assert code == 2, stderr
    assert message in stderr and "Traceback" not in stderr


def test_bundles_with_the_same_folder_name_are_refused(tmp_path: Path):
    a = _copies(tmp_path / "a", "kent")[0]
    b = _copies(tmp_path / "b", "kent")[0]
    code, _, stderr = run_cli("run", a, b, "--output", tmp_path / "out")
    assert code == 2, stderr
    assert "share the folder name 'kent'" in stderr
    assert not (tmp_path / "out").exists()

"""Which plugin code rated a report: code hashes, and a run config's plugins.allow."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from dutycheck.host import make_host

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "kent-2024-25"


def complaints_only_bundle(tmp_path: Path) -> Path:
    """The sample's complaint evidence alone, so plugins can be restricted to complaints."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name in ("complaint-review-return.yaml", "complaint-review-register.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    (folder / "bundle.yaml").write_text(
        "organisation: Test OPCC\n"
        "period: {start: 2024-04-01, end: 2025-03-31}\n"
        "prepared_by: {role: test}\n"
        "items:\n"
        "  - {kind: complaint_review_return, file: complaint-review-return.yaml,\n"
        "     effective_date: 2025-03-31, source: {document: sample}}\n"
        "  - {kind: complaint_review_register, file: complaint-review-register.csv,\n"
        "     effective_date: 2025-06-30, source: {document: sample}, synthetic: true}\n")
    return folder


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dutycheck", *map(str, args)],
                          capture_output=True, text=True)


def test_every_plugin_in_the_report_carries_a_hash_of_its_code(tmp_path):
    out = tmp_path / "r.json"
    result = run("run", SAMPLE, "--as-of", "2025-11-01", "--format", "json", "--output", out,
                 "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    plugins = {p["name"]: p for p in json.loads(out.read_text())["plugins"]}
    assert len(plugins["complaints"]["files_sha256"]) == 64
    assert plugins["complaints"]["files_sha256"] != plugins["custody"]["files_sha256"]


def test_code_hash_changes_when_plugin_code_changes(tmp_path):
    pkg = tmp_path / "hashdemo"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from dutycheck import hookimpl\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import hashdemo

        first = make_host(entry_points=False, plugins=[hashdemo]).info("hashdemo").files_sha256
        (pkg / "extra.py").write_text("X = 1\n")
        second = make_host(entry_points=False, plugins=[hashdemo]).info("hashdemo")
        assert first and second.files_sha256 and first != second.files_sha256
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("hashdemo", None)


def test_plugins_allow_refuses_other_installed_plugins(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("plugins:\n  allow: [complaints]\n")
    out = tmp_path / "r.json"
    result = run("run", complaints_only_bundle(tmp_path), "--as-of", "2025-11-01",
                 "--config", config, "--format", "json", "--output", out)
    assert result.returncode == 3, result.stderr
    assert "plugin 'custody' (dutycheck" in result.stderr
    assert "not in plugins.allow" in result.stderr
    doc = json.loads(out.read_text())
    assert {p["name"] for p in doc["plugins"]} >= {"complaints"}
    assert "custody" not in {p["name"] for p in doc["plugins"]}
    assert any("custody" in f for f in doc["plugin_failures"])
    assert {d["area"] for d in doc["duties"]} == {"complaints"}


def test_plugins_command_shows_what_the_config_allows(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("plugins:\n  allow: [complaints, custody]\n")
    result = run("plugins", "--config", config)
    assert result.returncode == 0, result.stderr
    assert "NO (not in plugins.allow)" in result.stdout
    assert "third-party" not in result.stdout or "built-in" in result.stdout
    assert "refused: plugin 'spr'" in result.stderr


def test_evidence_for_a_refused_plugin_is_named_as_such(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("plugins:\n  allow: [complaints]\n")
    result = run("run", SAMPLE, "--as-of", "2025-11-01", "--config", config)
    assert result.returncode == 4
    assert "plugins.allow in the run config refuses" in result.stderr

"""Nothing lost (issue 11): a run killed while it renders or writes leaves the previous report
intact; evidence files are never modified; two runs writing one path never interleave.

Real subprocesses and real signals. The only time limits are generous upper bounds on waiting
for a subprocess to reach the point where it is killed; nothing asserts how fast anything is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE, run_cli
from test_plugin_faults import AS_OF, BASE, install

PREVIOUS = "the previous report, complete\n"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    full = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8", **env)
    return subprocess.Popen([sys.executable, "-m", "dutycheck", *args], env=full, cwd=str(cwd),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(predicate, proc: subprocess.Popen, limit: float = 120) -> bool:
    """Poll until ``predicate()`` holds or the process ends (bounded, not a timing test)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if predicate():
            return True
        if proc.poll() is not None:
            return predicate()
        time.sleep(0.005)
    return False


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_while_rendering_leaves_the_previous_report(tmp_path, sig):
    env = install(tmp_path / "site", ["raises"])
    marker = tmp_path / "rendering"
    env.update(SLOW_MARKER=str(marker), SLOW_SECONDS="300")
    out = tmp_path / "reports" / "report.txt"
    out.parent.mkdir()
    out.write_text(PREVIOUS, encoding="utf-8")
    proc = _start(["run", str(BASE), "--as-of", AS_OF, "--format", "slow", "--output",
                   str(out), "--fail-on", "never"], env, tmp_path)
    try:
        assert _wait_for(marker.exists, proc), proc.communicate()[1].decode()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    assert b"Traceback" not in err
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert _temp_files(out.parent) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_while_writing_leaves_old_or_new_never_a_mixture(tmp_path, sig):
    """A 200 MB report: the process is signalled as soon as its temporary file appears.
    The path then holds the previous report or (if the write won the race) the whole new
    one, never a part of it."""
    megabytes = 200
    env = install(tmp_path / "site", ["raises"])
    env.update(HUGE_MB=str(megabytes))
    out = tmp_path / "reports" / "report.txt"
    out.parent.mkdir()
    out.write_text(PREVIOUS, encoding="utf-8")
    proc = _start(["run", str(BASE), "--as-of", AS_OF, "--format", "huge", "--output",
                   str(out), "--fail-on", "never"], env, tmp_path)
    try:
        caught = _wait_for(lambda: bool(_temp_files(out.parent)), proc)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert b"Traceback" not in err
    size = out.stat().st_size
    if size != megabytes << 20:
        assert out.read_text(encoding="utf-8") == PREVIOUS
    else:  # the new report, complete
        with open(out, "rb") as fh:
            assert all(chunk.strip(b"x") == b"" for chunk in iter(lambda: fh.read(1 << 20), b""))
    if sig == signal.SIGTERM:  # unwound cleanly: the temporary file is removed too
        assert _temp_files(out.parent) == []
    assert caught or proc.returncode == 3  # the race was observed, or the run completed


def _json_run(bundle: Path, out: Path, as_of: str) -> list[str]:
    return ["run", str(bundle), "--as-of", as_of, "--format", "json", "--output", str(out),
            "--fail-on", "never"]


def test_two_runs_writing_one_path_do_not_interleave(tmp_path):
    dates = ["2025-11-01", "2025-12-01"]
    expected = {}
    for day in dates:
        single = tmp_path / f"{day}.json"
        code, _, err = run_cli(*_json_run(BASE, single, day))
        assert code == 0, err
        expected[day] = single.read_bytes()
    assert expected[dates[0]] != expected[dates[1]]
    target = tmp_path / "shared" / "report.json"
    for _ in range(2):
        procs = [_start(_json_run(BASE, target, day), {}, tmp_path) for day in dates]
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err.decode()
        assert target.read_bytes() in expected.values()
        json.loads(target.read_text(encoding="utf-8"))
        assert _temp_files(target.parent) == []


def _hashes(root: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            out[str(path.relative_to(root))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns)
    return out


def test_evidence_files_are_never_modified(tmp_path):
    """Every command that reads the sample bundle, then the same SHA-256 and mtime for every
    file in it (reports go elsewhere)."""
    bundle = tmp_path / "bundle"
    shutil.copytree(SAMPLE, bundle, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    before = _hashes(bundle)
    out = tmp_path / "out"
    code, _, err = run_cli("run", bundle, "--as-of", AS_OF, "--fail-on", "never",
                           *sum((["--format", f] for f in ("json", "markdown", "html", "csv",
                                                           "terminal")), []),
                           "--output", out)
    assert code in (0, 3), err
    code, _, err = run_cli("validate", bundle)
    assert code == 0, err
    code, _, err = run_cli("verify", out / "report.json", "--bundle", bundle)
    assert code in (0, 1), err
    assert _hashes(bundle) == before
    assert not [p for p in bundle.rglob("*") if p.name.endswith((".tmp", ".wal", ".duckdb"))]


def test_an_output_path_under_a_file_is_a_usage_error_naming_it(tmp_path):
    """``--output report/r.json`` where ``report`` is a file: exit 2 and the reason, not an
    internal error with a traceback."""
    blocker = tmp_path / "report"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = run_cli("run", SAMPLE, "--as-of", AS_OF, "--area", "complaints", "--format",
                     "json", "--output", blocker / "r.json")
    assert result.code == 2, result.err
    assert f"cannot write {blocker / 'r.json'}: {blocker} is a file, not a folder" \
        in result.err
    assert "Traceback" not in result.err
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_a_report_gets_the_mode_a_new_file_would_not_a_private_one(tmp_path):
    """mkstemp's 0600 must not leak into the report: colleagues and the Panel clerk read
    it. A new report follows the umask; a replaced one keeps its mode."""
    out = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        result = run_cli("run", SAMPLE, "--as-of", AS_OF, "--area", "complaints", "--format",
                         "json", "--output", out, "--fail-on", "never")
        assert result.code == 0, result.err
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)
        result = run_cli("run", SAMPLE, "--as-of", AS_OF, "--area", "complaints", "--format",
                         "json", "--output", out, "--fail-on", "never")
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)

"""`dutycheck new-plugin`: the scaffold refuses bad input in-process, and, following only
docs/writing-plugins.md, installs into a fresh virtual environment, passes its own tests
and runs with `dutycheck run`.

The venv test builds one environment (no --system-site-packages): dutycheck is installed
from this checkout with pip, which fetches its dependencies from the package index (pip's
cache is used). Set DUTYCHECK_SKIP_VENV_TEST=1 to skip it offline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from dutycheck.errors import UsageError
from dutycheck.newplugin import write_plugin

CHECKOUT = Path(__file__).resolve().parents[1]


# -- in-process: bad input -------------------------------------------------------------

@pytest.mark.parametrize("name", ["Bad", "bad_name", "-bad", "9lives", "bad--name", "bad-",
                                  "", "a b", "complaints"])
def test_a_bad_name_is_refused_and_nothing_is_written(tmp_path, name):
    with pytest.raises(UsageError) as err:
        write_plugin(tmp_path, name)
    assert err.value.exit_code == 2
    assert repr(name) in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_a_non_empty_target_folder_is_refused(tmp_path):
    target = tmp_path / "dutycheck-demo"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="exists and is not empty"):
        write_plugin(tmp_path, "demo")
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_an_empty_target_folder_is_used(tmp_path):
    (tmp_path / "dutycheck-demo").mkdir()
    written = write_plugin(tmp_path, "demo")
    assert tmp_path / "dutycheck-demo" / "pyproject.toml" in written


def test_the_cli_exits_2_on_a_bad_name_or_a_non_empty_folder(tmp_path):
    cmd = [sys.executable, "-m", "dutycheck", "new-plugin"]
    bad = subprocess.run([*cmd, "Not_Valid", "--dest", str(tmp_path)], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "lower-case letters" in bad.stderr
    (tmp_path / "dutycheck-demo").mkdir()
    (tmp_path / "dutycheck-demo" / "x").write_text("", encoding="utf-8")
    full = subprocess.run([*cmd, "demo", "--dest", str(tmp_path)], capture_output=True,
                          text=True)
    assert full.returncode == 2 and "not empty" in full.stderr


def test_the_scaffold_declares_the_entry_point_and_only_imports_the_public_api(tmp_path):
    write_plugin(tmp_path, "demo-duty")
    root = tmp_path / "dutycheck-demo-duty"
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.dutycheck]\ndemo-duty = "dutycheck_demo_duty"' in pyproject
    for path in (root / "src" / "dutycheck_demo_duty").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("import dutycheck", "from dutycheck")):
                assert line.split()[1] in ("dutycheck", "dutycheck.testing"), (path, line)


# -- a fresh venv, following docs/writing-plugins.md -----------------------------------

def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 900
         ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, (f"{' '.join(args)} exited {proc.returncode}\n"
                                  f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.mark.skipif(os.environ.get("DUTYCHECK_SKIP_VENV_TEST") == "1",
                    reason="DUTYCHECK_SKIP_VENV_TEST=1")
def test_scaffold_installs_and_passes_its_tests_in_a_fresh_venv(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME",
                        "DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD")}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(env_dir)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    work = tmp_path / "work"
    work.mkdir()

    # 1. Install dutycheck (here: from this checkout) into the new environment.
    _run(["python", "-m", "pip", "install", "--quiet", str(CHECKOUT)], work, env)
    # 2. Scaffold the plugin.
    _run(["dutycheck", "new-plugin", "demo-duty"], work, env)
    pkg = work / "dutycheck-demo-duty"
    # 3. Install it, editable, with its test extra (pytest).
    _run(["python", "-m", "pip", "install", "--quiet", "-e", ".[test]"], pkg, env)
    # 4. Its own tests pass, as written.
    tests = _run(["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], pkg, env)
    assert " passed" in tests.stdout and "failed" not in tests.stdout
    # 5. dutycheck lists it and runs it on a bundle holding its evidence.
    plugins = _run(["dutycheck", "plugins"], pkg, env)
    assert "demo-duty" in plugins.stdout and "dutycheck-demo-duty" in plugins.stdout
    run = _run(["dutycheck", "run", "sample-bundle", "--area", "demo-duty",
                "--as-of", "2025-11-01", "--format", "json"], pkg, env)
    report = json.loads(run.stdout)
    ratings = {f["ref"]: f["rating"] for d in report["duties"] for f in d["requirements"]}
    assert ratings == {"demo-duty.example-duty/answered-on-time": "Amber",
                       "demo-duty.example-duty/answered-date-recorded": "Green"}

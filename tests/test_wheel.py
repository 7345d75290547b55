"""The built wheel carries duties/ and schemas/: an installed dutycheck runs the sample
from outside the checkout. Slow (builds and installs into a fresh venv) but essential."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_runs_the_sample_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                    "-w", str(dist)], check=True)
    wheel = next(dist.glob("dutycheck-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(ROOT / "samples" / "kent-2024-25", elsewhere / "bundle")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    out = subprocess.run(
        [str(env_dir / "bin" / "dutycheck"), "run", "bundle", "--as-of", "2025-11-01",
         "--format", "json", "--output", "report.json", "--fail-on", "never"],
        cwd=elsewhere, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    doc = json.loads((elsewhere / "report.json").read_text())
    assert len([d for d in doc["duties"] if d["area"] == "complaints"]) == 12
    assert all(f["file"].startswith("duties/") for f in doc["inputs"]["duty_files"])
    areas = {d["area"] for d in doc["duties"]}
    assert areas >= {"complaints", "custody", "spr", "prevent", "serious-violence", "plan"}

    checked = subprocess.run([str(py), "-c", "import dutycheck.resources as r; "
                              "print(r.data_root())"], cwd=elsewhere, env=env,
                             capture_output=True, text=True, check=True)
    assert "site-packages" in checked.stdout
    val = subprocess.run([str(env_dir / "bin" / "dutycheck"), "validate", "bundle"],
                         cwd=elsewhere, env=env, capture_output=True, text=True)
    assert val.returncode == 0, val.stderr

"""Determinism (issue 11): the same inputs and ``--as-of`` give byte-identical JSON, Markdown
and HTML across runs, across ``PYTHONHASHSEED`` values and across file-system listing order.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import AS_OF, SAMPLE

FORMATS = ("json", "markdown", "html")
DUTY = """\
id: order.duty-{n}
title: Duty {n} for the listing-order test
kind: statutory
holder: PCC
source:
  title: Test Act 2024 s.{n}
  basis: statute
cadence: annual
requirements:
  - id: measure-{n}
    kind: measure
    title: A measure {n}
    value: {n}
    unit: days
    direction: lower-is-better
    bands:
      green: {{at_most: 3}}
      amber: {{above: 3, at_most: 6}}
      red: {{above: 6}}
    basis: inference
"""


def _run(bundle: Path, out: Path, seed: str, extra: tuple[str, ...] = ()) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    args = [sys.executable, "-m", "dutycheck", "run", str(bundle), "--as-of", AS_OF,
            "--fail-on", "never", "--output", str(out), *extra]
    for fmt in FORMATS:
        args += ["--format", fmt]
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300,
                          cwd=str(out.parent))
    assert proc.returncode == 0, proc.stderr
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _copy_in_order(src: Path, dst: Path, reverse: bool) -> None:
    """Copy a tree creating folders and files in sorted or reverse-sorted order, so the
    directory listings the run sees come out in a different order."""
    dst.mkdir(parents=True)
    for path in sorted(src.rglob("*"), reverse=reverse):
        if "__pycache__" in path.parts or path.suffix == ".py":
            continue
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def test_byte_identical_across_runs_and_hash_seeds(tmp_path):
    outputs = []
    for n, seed in enumerate(("0", "1", "4242", "random")):
        out = tmp_path / f"out{n}"
        outputs.append(_run(SAMPLE, out, seed))
    assert set(outputs[0]) == {"report.json", "report.md", "report.html"}
    for other in outputs[1:]:
        for name in outputs[0]:
            assert other[name] == outputs[0][name], name


def test_byte_identical_across_listing_order(tmp_path):
    """The same bundle and extra duties, copied in opposite orders to the same paths."""
    duties_src = tmp_path / "duty-source"
    duties_src.mkdir()
    for n in range(1, 9):
        (duties_src / f"d{n}.yaml").write_text(DUTY.format(n=n), encoding="utf-8")
    results = []
    for reverse in (False, True):
        work = tmp_path / "work"
        if work.exists():
            shutil.rmtree(work)
        _copy_in_order(SAMPLE, work / "bundle", reverse)
        _copy_in_order(duties_src, work / "duties", reverse)
        out = tmp_path / f"out-{reverse}"
        results.append(_run(work / "bundle", out, "0", ("--duties", str(work / "duties"))))
    for name in results[0]:
        assert results[0][name] == results[1][name], name
    assert b"order.duty-8" in results[0]["report.json"]

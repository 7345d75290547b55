"""Shared fixtures for the CLI and bad-input tests.

Everything here is opt-in (no autouse fixtures). The tests drive the real command line in a
subprocess (``python -m dutycheck``) so they see exactly what a user sees: exit code, standard
output and standard error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

# The suite asserts what the built-in plugins rate; a partner plugin installed in the same
# environment (CI installs the example plugin after this suite) must not change that.
# Tests of entry-point discovery that need third-party plugins clear this themselves.
os.environ["DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD"] = "1"

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "kent-2024-25"
AS_OF = "2025-11-01"

# Python files in the sample folder (the generator script) are not evidence.
_SAMPLE_IGNORE = shutil.ignore_patterns("*.py", "__pycache__")


class CliResult(tuple):
    """``(code, stdout, stderr)`` that also has names, so tests can unpack or use attributes."""

    __slots__ = ()

    def __new__(cls, code: int, stdout: str, stderr: str) -> CliResult:
        return super().__new__(cls, (code, stdout, stderr))

    @property
    def code(self) -> int:
        return self[0]

    @property
    def out(self) -> str:
        return self[1]

    @property
    def err(self) -> str:
        return self[2]


def run_cli(*args: object, cwd: Path | str | None = None, timeout: float = 120) -> CliResult:
    """Run ``python -m dutycheck ARGS...`` and return ``(exit code, stdout, stderr)``."""
    env = dict(os.environ)
    env.setdefault("NO_COLOR", "1")
    env["COLUMNS"] = "200"
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run(
        [sys.executable, "-m", "dutycheck", *(str(a) for a in args)],
        cwd=str(cwd) if cwd is not None else None,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """The :func:`run_cli` helper as a fixture."""
    return run_cli


@pytest.fixture
def sample_bundle(tmp_path: Path) -> Path:
    """A private copy of ``samples/kent-2024-25`` that a test may break at will."""
    dest = tmp_path / "bundle"
    shutil.copytree(SAMPLE, dest, ignore=_SAMPLE_IGNORE)
    return dest


def write_text(path: Path, text: str) -> Path:
    """Write dedented ``text`` to ``path`` (creating folders) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def duty_yaml(
    duty_id: str = "testarea.example-duty",
    *,
    source: str | None = "default",
    requirements: str | None = None,
) -> str:
    """The text of a small, valid single-duty YAML file.

    ``source=None`` leaves the ``source`` key out; ``requirements`` replaces the requirement
    list (YAML text indented for the ``requirements:`` key, i.e. starting with ``  - id: ``).
    """
    if source == "default":
        source = (
            "source:\n"
            "  title: Test Act 2024 s.1\n"
            "  act: Test Act 2024\n"
            "  basis: statute\n"
        )
    if requirements is None:
        requirements = (
            "  - id: a-measure\n"
            "    kind: measure\n"
            "    title: A measure with complete bands\n"
            "    value: 5\n"
            "    unit: days\n"
            "    direction: lower-is-better\n"
            "    bands:\n"
            "      green: {at_most: 28}\n"
            "      amber: {above: 28, at_most: 40}\n"
            "      red: {above: 40}\n"
            "    basis: inference\n"
        )
    return (
        f"id: {duty_id}\n"
        "title: An example duty for tests\n"
        "kind: statutory\n"
        "holder: PCC\n"
        + (source or "")
        + "cadence: annual\n"
        "requirements:\n"
        + requirements
    )


def measure_requirement(bands: str, req_id: str = "a-measure", kind: str = "measure") -> str:
    """Requirement-list YAML for one measure with the given ``bands:`` body lines
    (each like ``green: {at_most: 28}``)."""
    band_lines = "".join(f"      {line}\n" for line in bands.strip().splitlines())
    return (
        f"  - id: {req_id}\n"
        f"    kind: {kind}\n"
        "    title: A measure for tests\n"
        "    value: 5\n"
        "    unit: days\n"
        "    direction: lower-is-better\n"
        "    bands:\n"
        + band_lines
        + "    basis: inference\n"
    )


@pytest.fixture
def write_duty(tmp_path: Path) -> Callable[..., Path]:
    """``write_duty(name, text=None, **duty_yaml_kwargs)``: write a duty YAML file under
    ``tmp_path/duties`` and return its path. With no ``text`` a valid duty is written."""

    def _write(name: str = "duty.yaml", text: str | None = None, **kwargs: object) -> Path:
        body = text if text is not None else duty_yaml(**kwargs)  # type: ignore[arg-type]
        path = tmp_path / "duties" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        return path

    return _write


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found in {path}")


def assert_invalid(result: CliResult, *fragments: str, output: Path | None = None) -> None:
    """The bad-input contract: exit 4, no traceback, each fragment in stderr, and (when
    ``output`` is given) nothing written there."""
    code, out, err = result
    detail = f"exit {code}\nstdout:\n{out}\nstderr:\n{err}"
    assert code == 4, detail
    assert "Traceback" not in err and "Traceback" not in out, detail
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in stderr\n{detail}"
    if output is not None:
        assert not output.exists(), f"{output} was written despite invalid input\n{detail}"

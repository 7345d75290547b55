"""``dutycheck new-plugin NAME``: write a complete, installable duty plugin package.

The package passes its own tests as written (``pip install -e`` then ``pytest``), so a
partner starts from something that works and changes it one piece at a time. The
walk-through is docs/writing-plugins.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from .errors import UsageError

NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def check_name(name: str) -> None:
    """Raise ``UsageError`` (exit 2) unless NAME is lower-case letters, digits and single
    hyphens, starting with a letter, and is not a built-in plugin's name."""
    if not NAME.match(name):
        raise UsageError(f"plugin name {name!r} must be lower-case letters, digits and "
                         "hyphens, starting with a letter (e.g. asb-case-review)")
    if len(name) > 40:
        raise UsageError(f"plugin name {name!r} is too long (at most 40 characters)")
    taken = _builtin_names()
    if name in taken or name.replace("-", "_") in taken:
        raise UsageError(f"plugin name {name!r} is already used by a built-in plugin; "
                         "choose another")


def _builtin_names() -> set[str]:
    import importlib.metadata as md

    names = {"dutycheck", "document", "attestation"}
    for ep in md.entry_points(group="dutycheck"):
        if ep.dist is not None and ep.dist.name == "dutycheck":
            names.add(ep.name)
    return names


def write_plugin(dest: Path, name: str) -> list[Path]:
    """Write the package folder ``<dest>/dutycheck-<name>/`` and return the files written.

    Refuses (``UsageError``, exit 2) a bad NAME or a target folder that exists and is not
    empty; nothing is written in either case.
    """
    check_name(name)
    root = Path(dest) / f"dutycheck-{name}"
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UsageError(f"{root} exists and is not empty; choose another --dest or name")
    module = "dutycheck_" + name.replace("-", "_")
    from . import __version__

    values = {
        "name": name,
        "module": module,
        "dist": f"dutycheck-{name}",
        "kind": name.replace("-", "_") + "_requests",
        # The name's words as typed: an acronym cannot be guessed from lower case
        # ("vru" is VRU), so the duty file asks the partner to write the real title.
        "title": name.replace("-", " "),
        "dutycheck_version": __version__,
    }
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"src/{module}/__init__.py": INIT,
        f"src/{module}/kinds.py": KINDS,
        f"src/{module}/checks.py": CHECKS,
        f"src/{module}/duties/{name}.yaml": DUTY,
        f"src/{module}/cases/{name}.yaml": CASES,
        "tests/test_plugin.py": TEST,
        "sample-bundle/bundle.yaml": BUNDLE,
        "sample-bundle/requests.csv": SAMPLE_CSV,
    }
    written = []
    for rel, template in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(template).substitute(values), encoding="utf-8")
        written.append(path)
    return written


PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "$dist"
version = "0.1.0"
description = "dutycheck plugin: $title (TEMPLATE: describe the duties it checks)"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["dutycheck>=$dutycheck_version"]

[project.optional-dependencies]
test = ["pytest>=8"]

# This line is what makes dutycheck find the plugin once the package is installed.
[project.entry-points.dutycheck]
$name = "$module"

[tool.hatch.build.targets.wheel]
packages = ["src/$module"]

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

README = """\
# $dist

A dutycheck duty plugin, written by `dutycheck new-plugin $name`.
Everything in it is a TEMPLATE to replace with your own duty: see dutycheck's
docs/writing-plugins.md.

    pip install -e ".[test]"     # install the plugin (and pytest) into this environment
    pytest                       # behaviour cases and assert_plugin_valid
    dutycheck plugins            # the plugin is listed as '$name'
    dutycheck run sample-bundle --area $name --as-of 2025-11-01

| File | What it is |
| --- | --- |
| `src/$module/__init__.py` | The hooks dutycheck calls. |
| `src/$module/duties/$name.yaml` | The duty, its requirements and thresholds, with their basis. |
| `src/$module/kinds.py` | The evidence kind the duty reads (a CSV with typed columns). |
| `src/$module/checks.py` | A Python check for the requirement YAML cannot express. |
| `src/$module/cases/$name.yaml` | Behaviour cases: evidence in, ratings out. |
| `tests/test_plugin.py` | Runs the cases and `assert_plugin_valid`. |
| `sample-bundle/` | A small SYNTHETIC evidence bundle for `dutycheck run`. |
"""

INIT = '''\
"""The $name duty plugin for dutycheck (TEMPLATE written by `dutycheck new-plugin`).

dutycheck finds this module through the `dutycheck` entry point in pyproject.toml and
calls the functions marked `@hookimpl` below. Import only `dutycheck` (the public API)
and `dutycheck.testing`, never another plugin or dutycheck's internals.
"""

from __future__ import annotations

from pathlib import Path

from dutycheck import hookimpl

from .checks import CHECKS
from .kinds import KINDS

__version__ = "0.1.0"

HERE = Path(__file__).parent


@hookimpl
def dutycheck_register_duties():
    """The duty YAML this plugin owns (a folder is searched for *.yaml)."""
    return [HERE / "duties"]


@hookimpl
def dutycheck_register_checks():
    """The Check classes that evaluate requirements YAML alone cannot."""
    return list(CHECKS)


@hookimpl
def dutycheck_register_evidence_kinds():
    """The evidence this plugin reads, so bundles are validated before any check runs."""
    return list(KINDS)
'''

KINDS = '''\
"""The evidence the plugin reads (TEMPLATE: replace with your own)."""

from __future__ import annotations

from dutycheck import Column, TabularKind

REQUESTS = TabularKind(
    name="$kind",
    title="Request register (one row per request) - TEMPLATE",
    description="One row per request received in the period; dates as YYYY-MM-DD.",
    columns=(
        # personal=True: the values may identify someone, so reports cite row numbers only.
        Column("request_ref", "string", description="Your reference for the request.",
               personal=True),
        Column("received_date", "date", description="Date the request was received."),
        Column("answered_date", "date", required=False,
               description="Date the request was answered (blank while open)."),
    ),
    example_rows=({"request_ref": "R-001", "received_date": "2025-01-06",
                   "answered_date": "2025-01-13"},),
)

KINDS = (REQUESTS,)
'''

CHECKS = '''\
"""Python checks (TEMPLATE): one measure YAML cannot express, computed from the register."""

from __future__ import annotations

from dutycheck import Check, Measurement, rows_note

from .kinds import REQUESTS


class AnsweredOnTime(Check):
    id = "$name.answered-on-time"
    title = "Share of requests answered within the target in working days"
    covers = ("$name.example-duty/answered-on-time",)
    reads = (REQUESTS.name,)

    def run(self, requirement, evidence, context):
        item = evidence.item(REQUESTS.name)
        table = item.table
        # A tunable number lives in the duty YAML (params:) with its basis, not here.
        days = int(requirement.param("target_working_days"))
        total = table.count()
        if total == 0:
            return Measurement(None, "the register has no requests")
        on_time = table.count("answered_date IS NOT NULL AND "
                              "working_days(received_date, answered_date) <= ?", [days])
        # Cite late rows by number, never by value: no personal data reaches a report.
        late = table.rows_where("answered_date IS NULL OR "
                                "working_days(received_date, answered_date) > ?", [days])
        return Measurement(100.0 * on_time / total,
                           f"{on_time} of {total} answered within {days} working days"
                           + rows_note(late, "late", total=total - on_time) + ".",
                           [item.ref(rows=late, total=total - on_time)])


CHECKS = (AnsweredOnTime,)
'''

DUTY = """\
# TEMPLATE written by `dutycheck new-plugin $name`: replace the duty, its source and its
# thresholds with your own, keeping a basis (and a note) for every number.
area:
  id: $name
  # TEMPLATE: the area's title as reports show it; write acronyms in capitals.
  title: $title (template)
duties:
  - id: $name.example-duty
    title: "TEMPLATE: requests are answered promptly"
    summary: >-
      An example duty written by `dutycheck new-plugin`. It is not a real obligation:
      replace it with the duty you want checked, citing the Act, section or guidance.
    kind: national-expectation
    holder: PCC
    source:
      title: "TEMPLATE: replace with the Act, section or guidance this duty comes from"
      basis: inference
      note: Example only; no source has been verified for it.
    cadence: annual
    requirements:
      # Covered by the Python check $name.answered-on-time (checks.py): it has no value:.
      - id: answered-on-time
        kind: measure
        title: Requests answered within the target
        unit: "%"
        direction: higher-is-better
        bands:
          green: {at_least: 90}
          amber: {at_least: 70, below: 90}
          red: {below: 70}
        basis: inference
        params:
          target_working_days:
            {value: 20, unit: working days, basis: inference, note: template value}
      # Declarative: YAML alone computes this one (SQL over the register).
      - id: answered-date-recorded
        kind: measure
        title: Requests with an answer date recorded
        value: {sql: "SELECT 100.0 * count(answered_date) / nullif(count(*), 0) FROM $kind"}
        evidence: [$kind]
        unit: "%"
        direction: higher-is-better
        bands:
          green: {at_least: 95}
          amber: {at_least: 80, below: 95}
          red: {below: 80}
        basis: inference
"""

_ON_TIME = ("{request_ref: R$$n, received_date: 2025-01-06, "
            "answered_date: 2025-01-13}")
_LATE = "{request_ref: R$$n, received_date: 2025-01-06, answered_date: 2025-03-03}"
_OPEN = "{request_ref: R$$n, received_date: 2025-01-06}"


def _rows(on_time: int, late: int, open_: int) -> str:
    rows = [_ON_TIME] * on_time + [_LATE] * late + [_OPEN] * open_
    return "".join(f"          - {row.replace('$$n', str(i + 1))}\n"
                   for i, row in enumerate(rows))


CASES = f"""\
# Behaviour cases: each builds a bundle from the evidence below, runs the duty and checks
# the ratings. Together they must reach every band of every measure (assert_plugin_valid).
duty: $name.example-duty
cases:
  - name: all answered within five working days
    evidence:
      - kind: $kind
        rows:
{_rows(4, 0, 0)}    expect:
      answered-on-time: {{rating: Green, value: 100}}
      answered-date-recorded: {{rating: Green, value: 100}}
  - name: eight of ten on time, one late, one open
    evidence:
      - kind: $kind
        rows:
{_rows(8, 1, 1)}    expect:
      answered-on-time: {{rating: Amber, value: 80, message: ["8 of 10", "(late: rows 9, 10)"]}}
      answered-date-recorded: {{rating: Amber, value: 90}}
  - name: half on time, three with no answer recorded
    evidence:
      - kind: $kind
        rows:
{_rows(5, 2, 3)}    expect:
      answered-on-time: {{rating: Red, value: 50}}
      answered-date-recorded: {{rating: Red, value: 70}}
  - name: an empty register is a gap in evidence, not a failure
    evidence:
      - kind: $kind
        file: requests.csv
        text: "request_ref,received_date,answered_date\\n"
    expect:
      answered-on-time: {{rating: Not evidenced}}
"""

TEST = '''\
"""Tests for the $name plugin: behaviour cases, plugin validity and the pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

import $module as plugin
from dutycheck import Rating
from dutycheck.testing import assert_plugin_valid, load_test_cases, run_test_case

CASES = Path(plugin.__file__).parent / "cases"
SAMPLE = Path(__file__).resolve().parent.parent / "sample-bundle"


@pytest.mark.parametrize("case", load_test_cases(CASES))
def test_behaviour_case(case):
    # entry_points=False: only this plugin (and the core) is loaded, installed or not.
    run_test_case(case, plugins=[plugin], entry_points=False)


def test_plugin_is_valid_and_every_check_and_band_has_a_case():
    assert_plugin_valid(plugin, cases=CASES)


def test_assess_a_bundle_built_in_the_test(dutycheck_bundle, dutycheck_assess):
    bundle = dutycheck_bundle([{"kind": "$kind", "rows": [
        {"request_ref": "R1", "received_date": "2025-01-06", "answered_date": "2025-01-07"},
    ]}])
    result = dutycheck_assess(bundle, plugins=[plugin], entry_points=False)
    assert result.rating("$name.example-duty/answered-on-time") is Rating.GREEN


def test_the_cli_runs_the_plugin_on_the_sample_bundle(dutycheck_register, dutycheck_cli):
    # Registered for the test, so it runs whether or not the package is installed (an
    # installed plugin is already loaded through its entry point and is not loaded twice).
    dutycheck_register(plugin)
    # --fail-on never: exit 0 whatever the sample is rated; the test is that it runs.
    result = dutycheck_cli("run", str(SAMPLE), "--area", "$name", "--as-of", "2025-11-01",
                           "--format", "json", "--fail-on", "never")
    assert '"$name.example-duty"' in result.output
'''

BUNDLE = """\
# A SYNTHETIC sample bundle for the $name plugin: the rows are invented.
organisation: Example organisation (SYNTHETIC)
period:
  start: 2024-04-01
  end: 2025-03-31
  label: 2024/25
prepared_by:
  role: dutycheck new-plugin template
items:
  - id: requests
    kind: $kind
    file: requests.csv
    effective_date: 2025-03-31
    synthetic: true
    title: Request register 2024/25 (SYNTHETIC)
    source:
      document: Invented by `dutycheck new-plugin` to show the plugin running.
"""

SAMPLE_CSV = """\
request_ref,received_date,answered_date
R-001,2024-05-07,2024-05-14
R-002,2024-06-03,2024-06-20
R-003,2024-09-02,2024-09-06
R-004,2024-11-11,2025-01-20
R-005,2025-02-03,2025-02-10
"""

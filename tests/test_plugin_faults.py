"""Plugin faults (issue 11): a partner's check that raises, hangs, returns a malformed
finding, returns nothing or prints to standard output. The run completes, the report names
the fault, and the exit code is 3.

The faulty plugin is a real package with a ``.dist-info`` and a ``dutycheck`` entry point,
written to a temporary folder put on ``PYTHONPATH``: ``python -m dutycheck`` finds it exactly
as it finds an installed partner package. :func:`install` is shared with the atomic-output
and injection tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base" / "bundle"
AS_OF = "2025-11-01"

DUTY = """\
area:
  id: faults
  title: Faulty plugin (tests)
duties:
  - id: faults.plugin-faults
    title: A duty whose checks misbehave
    kind: statutory
    holder: PCC
    source:
      title: Test Act 2024 s.1
      basis: statute
    cadence: annual
    requirements:
{requirements}
"""

REQUIREMENT = """\
      - id: {rid}
        kind: check
        title: Requirement {rid}
"""

PLUGIN = '''\
"""Faulty checks for dutycheck's reliability tests."""

import os
import sys
import time
from pathlib import Path

from dutycheck import Check, Rating, Verdict, hookimpl

__version__ = "0.1"
HERE = Path(__file__).parent
ENABLED = set(os.environ.get("FAULTS", "").split(","))


def _verdict(requirement, text="ok"):
    return Verdict(Rating.GREEN, f"{{requirement.title}}: {{text}}.")


class Raises(Check):
    id = "faults.raises"
    title = "Raises an exception"
    covers = ("faults.plugin-faults/raises",)

    def run(self, requirement, evidence, context):
        raise RuntimeError("the partner's check fell over")


class Hangs(Check):
    id = "faults.hangs"
    title = "Never returns"
    covers = ("faults.plugin-faults/hangs",)

    def run(self, requirement, evidence, context):
        while True:
            time.sleep(0.05)


class Malformed(Check):
    id = "faults.malformed"
    title = "Returns a Verdict with a string for its rating"
    covers = ("faults.plugin-faults/malformed",)

    def run(self, requirement, evidence, context):
        return Verdict("Green", "looks fine", value=object())


class ReturnsNothing(Check):
    id = "faults.returns-nothing"
    title = "Returns None"
    covers = ("faults.plugin-faults/returns-nothing",)

    def run(self, requirement, evidence, context):
        return None


class Prints(Check):
    id = "faults.prints"
    title = "Prints to standard output"
    covers = ("faults.plugin-faults/prints",)

    def run(self, requirement, evidence, context):
        print("NOISE FROM A PLUGIN")
        sys.stdout.write("MORE NOISE\\n")
        return _verdict(requirement, "printed")


class Hostile(Check):
    id = "faults.hostile"
    title = "Puts hostile text in its finding"
    covers = ("faults.plugin-faults/hostile",)

    def run(self, requirement, evidence, context):
        return Verdict(Rating.AMBER, os.environ.get("HOSTILE_TEXT", "plain"),
                       value=os.environ.get("HOSTILE_VALUE", "v"))


CHECKS = {{"raises": Raises, "hangs": Hangs, "malformed": Malformed,
          "returns-nothing": ReturnsNothing, "prints": Prints, "hostile": Hostile}}


@hookimpl
def dutycheck_register_duties():
    return [HERE / "duties"]


@hookimpl
def dutycheck_register_checks():
    return [cls for name, cls in CHECKS.items() if name in ENABLED]


def _slow(report):
    Path(os.environ["SLOW_MARKER"]).write_text("rendering")
    time.sleep(float(os.environ.get("SLOW_SECONDS", "60")))
    return "slow report"


def _huge(report):
    return b"x" * (int(os.environ.get("HUGE_MB", "200")) << 20)


@hookimpl
def dutycheck_report_formats():
    from dutycheck import ReportFormat

    return [ReportFormat("slow", "txt", "Renders slowly (tests)", _slow),
            ReportFormat("huge", "txt", "A very large report (tests)", _huge)]
'''


def install(folder: Path, faults: list[str]) -> dict[str, str]:
    """Install the plugin under ``folder`` with requirements for ``faults``; return the
    environment (``PYTHONPATH``, ``FAULTS``) that makes a CLI run load it."""
    pkg = folder / "faultplug"
    (pkg / "duties").mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text(PLUGIN.format(), encoding="utf-8")
    reqs = "".join(REQUIREMENT.format(rid=f) for f in faults)
    (pkg / "duties" / "faults.yaml").write_text(DUTY.format(requirements=reqs),
                                                encoding="utf-8")
    dist = folder / "faultplug-0.1.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: faultplug\nVersion: 0.1\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text("[dutycheck]\nfaultplug = faultplug\n",
                                           encoding="utf-8")
    # An empty DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD lets the run load this third-party plugin.
    return {"PYTHONPATH": str(folder), "FAULTS": ",".join(faults),
            "DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD": ""}


def run_cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 180,
            ) -> subprocess.CompletedProcess:
    full = dict(os.environ, NO_COLOR="1", COLUMNS="200", PYTHONIOENCODING="utf-8", **env)
    return subprocess.run([sys.executable, "-m", "dutycheck", *args], env=full, cwd=str(cwd),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


ALL = ["raises", "hangs", "malformed", "returns-nothing", "prints"]


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    """One run with every fault: a one-second timeout keeps the hanging check short."""
    tmp = tmp_path_factory.mktemp("faults")
    env = install(tmp / "site", ALL)
    config = tmp / "config.yaml"
    config.write_text("checks:\n  timeout_seconds: 1\n", encoding="utf-8")
    out = tmp / "report.json"
    proc = run_cli(["run", str(BASE), "--as-of", AS_OF, "--config", str(config), "--format",
                    "json", "--output", str(out), "--fail-on", "never"], env, tmp)
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return proc, report


def _finding(report, rid):
    duty = next(d for d in report["duties"] if d["id"] == "faults.plugin-faults")
    return next(r for r in duty["requirements"] if r["ref"] == f"faults.plugin-faults/{rid}")


def test_the_run_completes_and_exits_3(faulty_run):
    proc, report = faulty_run
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert report is not None, "no report was written"
    assert len(report["errors"]) == len(ALL), report["errors"]


@pytest.mark.parametrize(("rid", "fragments"), [
    ("raises", ["faults.raises", "faultplug 0.1", "RuntimeError", "fell over"]),
    ("hangs", ["faults.hangs", "faultplug 0.1", "timed out after 1 seconds"]),
    ("malformed", ["faults.malformed", "malformed finding", "rating must be a dutycheck Rating"]),
    ("returns-nothing", ["faults.returns-nothing", "returned NoneType"]),
    ("prints", ["faults.prints", "standard output", "NOISE FROM A PLUGIN"]),
])
def test_each_fault_is_an_error_naming_the_check(faulty_run, rid, fragments):
    proc, report = faulty_run
    finding = _finding(report, rid)
    assert finding["rating"] == "Error", finding
    for fragment in fragments:
        assert fragment in finding["reason"], (fragment, finding["reason"])
        assert fragment in proc.stderr, (fragment, proc.stderr)
    # the error line stands apart from the finding, so it names the requirement too
    line = next(x for x in proc.stderr.splitlines() if fragments[0] in x)
    assert line.startswith(f"error: faults.plugin-faults/{rid}: check "), line


def test_other_duties_are_still_rated(faulty_run):
    _, report = faulty_run
    others = [d for d in report["duties"] if not d["id"].startswith("faults.")]
    assert others and any(d["rating"] not in ("Error",) for d in others)


def test_printing_check_leaves_json_on_stdout_clean(tmp_path):
    env = install(tmp_path / "site", ["prints"])
    proc = run_cli(["run", str(BASE), "--as-of", AS_OF, "--format", "json", "--fail-on",
                    "never"], env, tmp_path)
    assert proc.returncode == 3, proc.stderr
    report = json.loads(proc.stdout)  # nothing but the report on standard output
    assert proc.stdout.startswith("{") and "MORE NOISE\n" not in proc.stdout
    assert "NOISE FROM A PLUGIN" in proc.stderr and "MORE NOISE" in proc.stderr
    assert _finding(report, "prints")["rating"] == "Error"


def test_timeout_default_and_config_schema():
    from dutycheck import config as configlib
    from dutycheck.errors import InvalidInput

    assert configlib.from_data({}).check_timeout == 60
    assert configlib.from_data({"checks": {"timeout_seconds": 2.5}}).check_timeout == 2.5
    with pytest.raises(InvalidInput, match="timeout_seconds"):
        configlib.from_data({"checks": {"timeout_seconds": -1}})


@pytest.mark.parametrize("command", [["run", str(BASE), "--as-of", AS_OF], ["validate", str(BASE)],
                                     ["duties"]])
def test_invalid_duty_yaml_shipped_by_a_plugin_names_the_plugin_and_distribution(
        tmp_path, command):
    """Issue 9, bad input: the officer cannot mend a plugin's YAML, so the message says
    whose it is (exit 4, as for any invalid duty YAML)."""
    env = install(tmp_path, ["raises"])
    duty = tmp_path / "faultplug" / "duties" / "faults.yaml"
    duty.write_text(duty.read_text(encoding="utf-8").replace("    cadence: annual\n", ""),
                    encoding="utf-8")
    proc = run_cli(command, env, tmp_path)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "'cadence' is required [duties of plugin 'faultplug' (faultplug 0.1)]" \
        in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr

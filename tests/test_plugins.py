"""The plugin contract: discovery through the ``dutycheck`` entry-point group, load
failures, conflicting checks, check metadata, crash isolation and ``dutycheck_check``
wrappers."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dutycheck import Check, Rating, Verdict, catalogue, engine, hookimpl
from dutycheck import bundle as bundlelib
from dutycheck.errors import PluginError
from dutycheck.host import ENTRY_POINT_GROUP, make_host
from dutycheck.testing import assess

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "kent-2024-25"
AS_OF = "2025-11-01"


# -- helpers ----------------------------------------------------------------------------

def fake_distribution(root: Path, dist: str, version: str, entry_points: dict[str, str],
                      modules: dict[str, str], files: dict[str, str] | None = None) -> Path:
    """An installed-looking distribution on a plain folder: modules plus a ``.dist-info``
    whose ``entry_points.txt`` declares ``[dutycheck]`` plugins. Put ``root`` on the path."""
    root.mkdir(parents=True, exist_ok=True)
    for name, source in modules.items():
        (root / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    for rel, text in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n",
                                   encoding="utf-8")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{lines}", encoding="utf-8")
    return root


def run_cli(path_entry: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(path_entry)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.pop("COLUMNS", None)
    env.pop("DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD", None)  # these tests install third-party plugins
    return subprocess.run([sys.executable, "-m", "dutycheck", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)


BROKEN_MODULE = """
raise ImportError("cannot import name 'frobnicate' from 'nowhere'")
"""

CRASHING_MODULE = """
from pathlib import Path

from dutycheck import Check, hookimpl

__version__ = "0.0.1"
HERE = Path(__file__).resolve().parent


class Boom(Check):
    id = "crashtest.boom"
    title = "Always crashes"
    covers = ("crashtest.fragile/boom",)

    def run(self, requirement, evidence, context):
        raise RuntimeError("deliberate failure in a test plugin")


@hookimpl
def dutycheck_register_duties():
    return [HERE / "crashtest_duties"]


@hookimpl
def dutycheck_register_checks():
    return [Boom]
"""

CRASH_DUTY = """
id: crashtest.fragile
title: A duty covered by a check that always crashes
kind: plan-commitment
holder: PCC
source: {title: Test plan, basis: local-practice}
cadence: annual
requirements:
  - id: boom
    kind: check
    title: Something only the crashing check can judge
    basis: inference
"""


def _duplicate_module(tag: str) -> str:
    return f"""
from dutycheck import Check, Rating, Verdict, hookimpl


class Same{tag}(Check):
    id = "dup.same-check"
    title = "Claimed by two plugins"

    def run(self, requirement, evidence, context):
        return Verdict(Rating.GREEN, "fine")


@hookimpl
def dutycheck_register_checks():
    return [Same{tag}]
"""


def _sample(*plugins: object) -> dict[str, dict]:
    """Every finding of the Kent sample run with ``plugins`` added, by requirement ref."""
    doc = assess(SAMPLE, as_of=AS_OF, plugins=plugins).report
    return {r["ref"]: r for d in doc["duties"] for r in d["requirements"]}


# -- discovery --------------------------------------------------------------------------

def test_builtin_plugins_are_declared_in_the_dutycheck_entry_point_group():
    eps = {ep.name: ep for ep in md.entry_points(group=ENTRY_POINT_GROUP)}
    assert "complaints" in eps
    assert eps["complaints"].value == "dutycheck.plugins.complaints"
    assert eps["complaints"].dist is not None and eps["complaints"].dist.name == "dutycheck"


def test_builtin_plugins_are_registered_only_through_entry_points():
    with_eps = make_host(entry_points=True)
    info = {p.name: p for p in with_eps.plugins()}
    assert "complaints" in info
    assert info["complaints"].distribution == "dutycheck"
    assert info["complaints"].builtin
    assert "dutycheck_register_checks" in info["complaints"].hooks
    assert "complaints.iopc-cases-handled" in with_eps.checks()

    without = make_host(entry_points=False)
    assert "complaints" not in {p.name for p in without.plugins()}
    assert without.checks() == {}
    assert without.duty_locations() == []


def test_autoload_disabled_loads_only_dutycheck_own_plugins(tmp_path, monkeypatch):
    root = fake_distribution(tmp_path / "site", "partner-plugin", "0.1",
                             {"partner": "partner_plugin_mod"},
                             {"partner_plugin_mod": BROKEN_MODULE})
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setenv("DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD", "1")
    host = make_host(entry_points=True)
    assert host.failures == [] and "partner" not in {p.name for p in host.plugins()}
    assert {p.distribution for p in host.plugins()} == {"dutycheck"}
    monkeypatch.delenv("DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD")
    assert [f.name for f in make_host(entry_points=True).failures] == ["partner"]


# -- a plugin that fails to import ------------------------------------------------------

def test_plugin_that_fails_to_import_is_reported(tmp_path, monkeypatch):
    root = fake_distribution(tmp_path / "site", "broken-plugin", "1.2.3",
                             {"broken": "broken_plugin_mod"},
                             {"broken_plugin_mod": BROKEN_MODULE})
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.delenv("DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD")
    host = make_host(entry_points=True)
    (failure,) = host.failures
    assert failure.name == "broken"
    assert failure.distribution == "broken-plugin"
    assert failure.version == "1.2.3"
    assert failure.error == "ImportError: cannot import name 'frobnicate' from 'nowhere'"
    assert str(failure) == ("plugin 'broken' (broken-plugin 1.2.3) failed to load: "
                            "ImportError: cannot import name 'frobnicate' from 'nowhere'")
    # the others still load, and the report records the failure
    assert "complaints" in {p.name for p in host.plugins()}
    assert assess(SAMPLE, as_of=AS_OF).report["plugin_failures"] == [str(failure)]


def test_cli_run_exits_3_when_a_plugin_fails_to_import(tmp_path):
    root = fake_distribution(tmp_path / "site", "broken-plugin", "1.2.3",
                             {"broken": "broken_plugin_mod"},
                             {"broken_plugin_mod": BROKEN_MODULE})
    proc = run_cli(root, "run", "samples/kent-2024-25", "--as-of", AS_OF)
    assert proc.returncode == 3, proc.stderr
    assert ("error: plugin 'broken' (broken-plugin 1.2.3) failed to load: ImportError: "
            "cannot import name 'frobnicate' from 'nowhere'") in proc.stderr
    assert "Traceback" not in proc.stderr
    # the run itself still happened
    assert "complaints.review-timeliness" in proc.stdout or "Complaint reviews" in proc.stdout


def test_cli_plugins_exits_3_when_a_plugin_fails_to_import(tmp_path):
    root = fake_distribution(tmp_path / "site", "broken-plugin", "1.2.3",
                             {"broken": "broken_plugin_mod"},
                             {"broken_plugin_mod": BROKEN_MODULE})
    proc = run_cli(root, "plugins")
    assert proc.returncode == 3, proc.stderr
    assert "plugin 'broken' (broken-plugin 1.2.3) failed to load" in proc.stderr
    assert "complaints" in proc.stdout


# -- conflicts --------------------------------------------------------------------------

class _Same(Check):
    id = "dup.same-check"
    title = "Claimed twice"

    def run(self, requirement, evidence, context):
        return Verdict(Rating.GREEN, "fine")


class _SameAgain(Check):
    id = "dup.same-check"
    title = "Claimed twice, by another class"

    def run(self, requirement, evidence, context):
        return Verdict(Rating.GREEN, "fine")


class PluginAlpha:
    @hookimpl
    def dutycheck_register_checks(self):
        return [_Same]


class PluginBeta:
    @hookimpl
    def dutycheck_register_checks(self):
        return [_SameAgain]


def test_two_plugins_claiming_the_same_check_id_is_an_error_naming_both():
    host = make_host(entry_points=False, plugins=(PluginAlpha(), PluginBeta()))
    with pytest.raises(PluginError) as info:
        host.checks()
    message = str(info.value)
    assert "'dup.same-check'" in message
    assert "'PluginAlpha'" in message and "'PluginBeta'" in message
    assert info.value.exit_code == 3


class _CoversA(Check):
    id = "dup.covers-a"
    title = "Covers a requirement"
    covers = ("dup.duty/req",)

    def run(self, requirement, evidence, context):
        return Verdict(Rating.GREEN, "fine")


class _CoversB(Check):
    id = "dup.covers-b"
    title = "Covers the same requirement"
    covers = ("dup.duty/req",)

    def run(self, requirement, evidence, context):
        return Verdict(Rating.GREEN, "fine")


class PluginGamma:
    @hookimpl
    def dutycheck_register_checks(self):
        return [_CoversA]


class PluginDelta:
    @hookimpl
    def dutycheck_register_checks(self):
        return [_CoversB]


def test_two_checks_covering_the_same_requirement_is_an_error_naming_both():
    host = make_host(entry_points=False, plugins=(PluginGamma(), PluginDelta()))
    with pytest.raises(PluginError) as info:
        host.checks()
    assert str(info.value) == ("requirement 'dup.duty/req' is covered by both check "
                               "'dup.covers-a' and check 'dup.covers-b'")


def test_cli_exits_3_when_two_installed_plugins_claim_the_same_check_id(tmp_path):
    root = fake_distribution(tmp_path / "site", "dup-plugins", "0.1.0",
                             {"dupa": "dup_plugin_a", "dupb": "dup_plugin_b"},
                             {"dup_plugin_a": _duplicate_module("A"),
                              "dup_plugin_b": _duplicate_module("B")})
    proc = run_cli(root, "run", "samples/kent-2024-25", "--as-of", AS_OF)
    assert proc.returncode == 3, proc.stderr
    assert ("check id 'dup.same-check' is claimed by both plugin 'dupa' and plugin 'dupb'"
            in proc.stderr)
    assert "Traceback" not in proc.stderr


# -- check metadata ---------------------------------------------------------------------

def _define(**attrs):
    body = {"title": "A title", "run": lambda self, r, e, c: None, **attrs}
    return type("BadCheck", (Check,), body)


@pytest.mark.parametrize(("attrs", "fragment"), [
    ({"id": "nodots"}, "id must be dotted lower-case"),
    ({"id": "Upper.Case"}, "id must be dotted lower-case"),
    ({"id": 42}, "id must be dotted lower-case"),
    ({"id": "ok.id", "title": ""}, "title must be one non-empty line"),
    ({"id": "ok.id", "title": "two\nlines"}, "title must be one non-empty line"),
    ({"id": "ok.id", "covers": ["a.b/c"]}, "covers must be a tuple"),
    ({"id": "ok.id", "covers": ("no-slash",)}, "covers must be a tuple"),
    ({"id": "ok.id", "reads": ("not a kind",)}, "reads must be a tuple of evidence kind names"),
    ({"id": "ok.id", "reads": "complaint_review_register"}, "reads must be a tuple"),
], ids=["no-dots", "upper", "not-str", "empty-title", "two-lines", "covers-list",
        "covers-ref", "reads-name", "reads-str"])
def test_bad_check_metadata_raises_type_error_at_class_definition(attrs, fragment):
    with pytest.raises(TypeError, match=fragment) as info:
        _define(**attrs)
    assert "BadCheck" in str(info.value)


def test_check_without_run_raises_type_error_at_class_definition():
    with pytest.raises(TypeError, match="must define run"):
        class NoRun(Check):
            id = "ok.no-run"
            title = "Has no run method"


def test_check_missing_title_raises_type_error_at_class_definition():
    with pytest.raises(TypeError, match="title must be one non-empty line"):
        class NoTitle(Check):
            id = "ok.no-title"

            def run(self, requirement, evidence, context):
                return None


def test_abstract_base_without_id_is_allowed_but_cannot_be_registered():
    class Base(Check):
        title = "A shared base"

        def run(self, requirement, evidence, context):
            return Verdict(Rating.GREEN, "fine")

    class RegistersBase:
        @hookimpl
        def dutycheck_register_checks(self):
            return [Base]

    host = make_host(entry_points=False, plugins=(RegistersBase(),))
    with pytest.raises(PluginError, match="'RegistersBase'.*id must be dotted"):
        host.checks()


def test_registering_something_that_is_not_a_check_is_an_error():
    class RegistersJunk:
        @hookimpl
        def dutycheck_register_checks(self):
            return [object]

    host = make_host(entry_points=False, plugins=(RegistersJunk(),))
    with pytest.raises(PluginError, match="not a dutycheck.Check subclass"):
        host.checks()


# -- a check that crashes ---------------------------------------------------------------

class _Boom(Check):
    id = "crashtest.boom"
    title = "Always crashes"
    covers = ("crashtest.fragile/boom",)

    def run(self, requirement, evidence, context):
        raise RuntimeError("deliberate failure in a test plugin")


def _crash_plugin(tmp_path: Path):
    duty_dir = tmp_path / "crash-duties"
    duty_dir.mkdir()
    (duty_dir / "fragile.yaml").write_text(textwrap.dedent(CRASH_DUTY), encoding="utf-8")

    class CrashPlugin:
        __version__ = "0.0.1"

        @hookimpl
        def dutycheck_register_duties(self):
            return [duty_dir]

        @hookimpl
        def dutycheck_register_checks(self):
            return [_Boom]

    return CrashPlugin()


def test_a_crashing_check_becomes_an_error_finding_and_the_run_completes(tmp_path):
    result = assess(SAMPLE, as_of=AS_OF, plugins=[_crash_plugin(tmp_path)])
    boom = result.finding("crashtest.fragile/boom")
    assert boom["rating"] == "Error"
    assert ("check crashtest.boom (plugin CrashPlugin 0.0.1) failed: RuntimeError: "
            "deliberate failure in a test plugin") in boom["reason"]
    assert boom["check"] == {"id": "crashtest.boom", "plugin": "CrashPlugin",
                             "version": "0.0.1"}
    assert result.report["errors"] == [boom["error"]]  # the only error
    # every complaint requirement was still rated, exactly as without the crashing plugin
    before = {ref: f["rating"] for ref, f in _sample().items()}
    after = {r["ref"]: r["rating"] for d in result.report["duties"] for r in d["requirements"]
             if r["ref"] != "crashtest.fragile/boom"}
    assert after == before
    assert "Error" not in after.values()


def test_cli_run_exits_3_when_a_check_crashes(tmp_path):
    root = fake_distribution(tmp_path / "site", "crashing-plugin", "0.0.1",
                             {"crashing": "crashing_plugin_mod"},
                             {"crashing_plugin_mod": CRASHING_MODULE},
                             {"crashtest_duties/fragile.yaml": CRASH_DUTY})
    proc = run_cli(root, "run", "samples/kent-2024-25", "--as-of", AS_OF, "--format", "json")
    assert proc.returncode == 3, proc.stderr
    assert ("error: crashtest.fragile/boom: check crashtest.boom (plugin crashing 0.0.1) "
            "failed: RuntimeError: deliberate failure in a test plugin") in proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    ratings = {r["ref"]: r["rating"] for d in doc["duties"] for r in d["requirements"]}
    assert ratings["crashtest.fragile/boom"] == "Error"
    assert ratings["complaints.review-timeliness/mean-days-vs-peers"] == "Green"
    assert len(doc["errors"]) == 1


# -- dutycheck_check wrappers and replacements ------------------------------------------

class NewStyleWrapper:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.raised: list[str] = []

    @hookimpl(wrapper=True)
    def dutycheck_check(self, check, requirement, evidence, context):
        self.calls.append(requirement.ref)
        try:
            result = yield
        except Exception as exc:
            self.raised.append(f"{requirement.ref}: {exc}")
            raise
        if isinstance(result, Verdict):
            result.reason = "[seen] " + result.reason
        return result


class OldStyleWrapper:
    def __init__(self) -> None:
        self.calls: list[str] = []

    @hookimpl(hookwrapper=True)
    def dutycheck_check(self, check, requirement, evidence, context):
        self.calls.append(f"{check.id} {requirement.ref}")
        outcome = yield
        self.calls[-1] += " raised" if outcome.excinfo else ""


def _called_refs(*plugins: object) -> tuple[list[str], dict[str, engine.Finding]]:
    """Requirements the engine handed to a check (not Not due / Not assessed / gaps), in
    order, and every finding by ref, from the engine itself: the report does not record
    which findings came from a call of the check hook."""
    host = make_host(entry_points=True, plugins=plugins)
    cat = catalogue.load([p for _, p in host.duty_locations()])
    kinds = {name: k for name, (_, k) in host.evidence_kinds().items()}
    with bundlelib.load(SAMPLE, kinds) as b:
        result = engine.run(cat, b, host, dt.date.fromisoformat(AS_OF))
    found = {f.requirement.ref: f for d in result.duties for f in d.findings}
    return [ref for ref, f in found.items() if f.ran], found


def test_a_wrapper_sees_every_check_call(tmp_path):
    new, old = NewStyleWrapper(), OldStyleWrapper()
    refs, found = _called_refs(new, old, _crash_plugin(tmp_path))
    assert len(refs) > 20
    assert new.calls == refs
    assert [c.split(" ")[1] for c in old.calls] == refs
    # declarative rules and plugin checks alike go through the hook
    ids = {c.split(" ")[0] for c in old.calls}
    assert {"dutycheck.measure", "dutycheck.reconcile", "dutycheck.document",
            "complaints.iopc-cases-handled", "crashtest.boom"} <= ids
    # wrappers see a check's exceptions (NotEvidenced included), and the error boundary
    # still turns them into findings
    assert "crashtest.fragile/boom: deliberate failure in a test plugin" in new.raised
    assert "crashtest.boom crashtest.fragile/boom raised" in old.calls
    raised_refs = [r.split(": ", 1)[0] for r in new.raised]
    assert raised_refs == [c.split(" ")[1] for c in old.calls if c.endswith(" raised")]
    assert {found[r].rating for r in raised_refs} == {Rating.NOT_EVIDENCED, Rating.ERROR}
    assert found["crashtest.fragile/boom"].rating is Rating.ERROR
    # what a wrapper does to the result reaches the finding
    verdict_finding = found["complaints.review-body-allocation/iopc-cases-forwarded"]
    assert verdict_finding.reason.startswith("[seen] ")


class ReplacesRunner:
    """A non-wrapper implementation that answers first replaces the built-in runner."""

    @hookimpl
    def dutycheck_check(self, check, requirement, evidence, context):
        if requirement.ref == "complaints.review-body-allocation/iopc-cases-forwarded":
            return Verdict(Rating.AMBER, "replaced by a test plugin")
        return None


def test_an_implementation_returning_first_replaces_the_default_runner():
    found = _sample(ReplacesRunner())
    f = found["complaints.review-body-allocation/iopc-cases-forwarded"]
    assert f["rating"] == "Amber"
    assert f["reason"] == "replaced by a test plugin"
    assert found["complaints.review-timeliness/mean-days-vs-peers"]["rating"] == "Green"


def test_a_check_returning_the_wrong_type_is_an_error():
    class ReturnsJunk:
        @hookimpl
        def dutycheck_check(self, check, requirement, evidence, context):
            if requirement.ref == "complaints.review-body-allocation/iopc-cases-forwarded":
                return "not a verdict"
            return None

    f = _sample(ReturnsJunk())["complaints.review-body-allocation/iopc-cases-forwarded"]
    assert f["rating"] == "Error"
    assert "returned str; expected Verdict or Measurement" in f["reason"]


def test_unknown_hook_names_are_rejected():
    class Typo:
        @hookimpl
        def dutycheck_register_chekcs(self):
            return []

    with pytest.raises(PluginError, match="dutycheck_register_chekcs"):
        make_host(entry_points=False, plugins=(Typo(),))

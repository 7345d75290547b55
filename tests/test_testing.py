"""dutycheck.testing catches what a reviewer would: the harness itself under test."""

from __future__ import annotations

import json
import textwrap
import types
from pathlib import Path

import pytest
from conftest import duty_yaml, line_of, run_cli

from dutycheck import Check, Measurement, Rating, StructuredKind, hookimpl
from dutycheck.errors import InvalidInput, PluginError, UsageError
from dutycheck.host import make_host
from dutycheck.testing import (
    assert_plugin_valid,
    load_test_cases,
    run_test_case,
    write_bundle,
)
from dutycheck.testing.cases import read_cases, run_case

DUTY = """\
id: demo.timeliness
title: Demo duty
kind: statutory
holder: PCC
source: {title: Demo Act 2000 s.1, basis: statute}
cadence: annual
requirements:
  - id: days
    kind: measure
    title: Days taken
    unit: days
    direction: lower-is-better
    bands:
      green: {at_most: 10}
      amber: {above: 10, at_most: 20}
      red: {above: 20}
    basis: inference
"""

CASES = """\
duty: demo.timeliness
cases:
  - name: quick
    evidence:
      - kind: demo_return
        data: {days: 5}
    expect:
      days: {rating: Green, value: 5}
  - name: slow
    evidence:
      - kind: demo_return
        data: {days: 15}
    expect:
      days: {rating: Amber}
"""


def make_plugin(tmp_path: Path, covers: tuple[str, ...] = ("demo.timeliness/days",),
                duty: str = DUTY) -> types.ModuleType:
    duties = tmp_path / "duties"
    duties.mkdir(exist_ok=True)
    (duties / "demo.yaml").write_text(duty)

    class Days(Check):
        id = "demo.days"
        title = "Days from the return"
        reads = ("demo_return",)

        def run(self, requirement, evidence, context):
            return Measurement(evidence.value("demo_return.days"), "", [])

    Days.covers = covers
    module = types.ModuleType(f"demo_plugin_{abs(hash(tmp_path))}")
    module.dutycheck_register_duties = hookimpl(lambda: [duties])
    module.dutycheck_register_checks = hookimpl(lambda: [Days])
    module.dutycheck_register_evidence_kinds = hookimpl(lambda: [StructuredKind(
        "demo_return", "Demo return", {"type": "object", "properties": {
            "days": {"type": "number"}}})])
    return module


VERY_SLOW = """\
  - name: very slow
    evidence:
      - kind: demo_return
        data: {days: 30}
    expect:
      days: {rating: Red}
"""


def write_cases(tmp_path: Path, text: str = CASES) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    (folder / "demo.yaml").write_text(text)
    return folder


def test_a_missing_band_case_is_reported(tmp_path):
    plugin = make_plugin(tmp_path)
    with pytest.raises(AssertionError, match=r"demo.timeliness/days: no passing case asserts "
                                             r"its rating in the red band"):
        assert_plugin_valid(plugin, cases=write_cases(tmp_path))


def test_a_complete_plugin_passes(tmp_path):
    plugin = make_plugin(tmp_path)
    assert_plugin_valid(plugin, cases=write_cases(tmp_path, CASES + VERY_SLOW))


def test_a_check_claiming_a_missing_requirement_is_reported(tmp_path):
    plugin = make_plugin(tmp_path, covers=("demo.timeliness/days", "demo.timeliness/nope"))
    with pytest.raises(AssertionError, match="covers demo.timeliness/nope, which no duty"):
        assert_plugin_valid(plugin)


def test_an_uncovered_requirement_is_reported(tmp_path):
    duty = DUTY + """\
  - id: manual
    kind: check
    title: Something only a check could judge
    basis: statute
"""
    plugin = make_plugin(tmp_path, duty=duty)
    with pytest.raises(AssertionError, match="demo.timeliness/manual .* is covered by no check"):
        assert_plugin_valid(plugin)


def test_a_failing_case_names_the_file_line_and_the_difference(tmp_path):
    plugin = make_plugin(tmp_path)
    text = CASES.replace("days: {rating: Amber}", "days: {rating: Red}")
    case = [p.values[0] for p in load_test_cases(write_cases(tmp_path, text))][1]
    with pytest.raises(AssertionError) as err:
        run_test_case(case, plugins=[plugin], entry_points=False)
    message = str(err.value)
    assert "demo.yaml:" in message and "'slow'" in message
    assert "expected Red, got Amber" in message


def test_fixtures_build_a_bundle_and_assess_it(tmp_path, dutycheck_register, dutycheck_bundle,
                                              dutycheck_assess):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 12}}])
    result = dutycheck_assess(bundle, entry_points=False)
    assert result.rating("demo.timeliness/days") is Rating.AMBER


def test_cli_fixture_runs_in_process_with_the_registered_plugin(tmp_path, dutycheck_register,
                                                               dutycheck_bundle, dutycheck_cli):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 25}}])
    result = dutycheck_cli("run", str(bundle), "--as-of", "2025-11-01", "--area", "demo",
                           exit_code=1)
    assert "demo.timeliness" in result.output


def test_assess_gives_the_same_report_as_dutycheck_run(tmp_path, dutycheck_register,
                                                        dutycheck_bundle, dutycheck_assess,
                                                        dutycheck_cli):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 12}}])
    result = dutycheck_assess(bundle)
    run = dutycheck_cli("run", str(bundle), "--as-of", "2025-11-01", "--format", "json",
                        exit_code=None)
    assert json.loads(run.stdout) == result.report


def test_only_names_a_duty_that_does_not_exist(tmp_path, dutycheck_register, dutycheck_bundle,
                                               dutycheck_assess):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 12}}])
    assert dutycheck_assess(bundle, entry_points=False,
                            only=["demo.timeliness"]).rating("demo.timeliness") is Rating.AMBER
    with pytest.raises(UsageError, match=r"no duty 'demo\.late'; duties: demo\.timeliness"):
        dutycheck_assess(bundle, entry_points=False, only=["demo.late"])


# -- assert_plugin_valid compares what every case expects ----------------------------------

def _problems(plugin: types.ModuleType, cases: Path | None = None) -> str:
    with pytest.raises(AssertionError) as err:
        assert_plugin_valid(plugin, cases=cases)
    return str(err.value)


def test_a_case_expecting_the_wrong_rating_value_or_message_fails_by_file_and_line(tmp_path):
    plugin = make_plugin(tmp_path)
    text = (CASES + VERY_SLOW).replace("{rating: Green, value: 5}", "{rating: Green, value: 6}") \
        .replace("days: {rating: Amber}", 'days: {rating: Amber, message: ["not in it"]}') \
        .replace("days: {rating: Red}", "days: {rating: Amber}")
    folder = write_cases(tmp_path, text)
    message = _problems(plugin, folder)
    file = folder / "demo.yaml"
    quick, slow, very = (line_of(file, f"name: {n}") for n in ("quick", "slow", "very slow"))
    assert f"demo.yaml:{quick}) failed: demo.timeliness/days: expected value 6, got 5" in message
    assert f"demo.yaml:{slow}) failed: demo.timeliness/days: reason lacks 'not in it'" in message
    assert f"demo.yaml:{very}) failed: demo.timeliness/days: expected Amber, got Red" in message
    # a failing case tests no band
    assert ("demo.timeliness/days: no passing case asserts its rating in the amber, green, red "
            "band(s)") in message


def test_an_expect_key_naming_no_requirement_is_reported_at_its_line_and_column(tmp_path):
    plugin = make_plugin(tmp_path)
    folder = write_cases(tmp_path, (CASES + VERY_SLOW).replace("      days: {rating: Amber}",
                                                               "      dayz: {rating: Amber}"))
    line = line_of(folder / "demo.yaml", "dayz:")
    assert (f"demo.yaml:{line}:7: $.cases[1].expect.dayz: 'dayz' is not a requirement of "
            "demo.timeliness; its requirements: days") in _problems(plugin, folder)


def test_a_band_reached_but_not_asserted_is_not_covered(tmp_path):
    duty = DUTY + """\
  - id: days-again
    kind: measure
    title: Days taken, as reported again
    unit: days
    direction: lower-is-better
    bands:
      green: {at_most: 10}
      amber: {above: 10, at_most: 20}
      red: {above: 20}
    basis: inference
"""
    plugin = make_plugin(tmp_path, covers=("demo.timeliness/days", "demo.timeliness/days-again"),
                         duty=duty)
    # The last case reaches the red band of `days` (30 days) but asserts only `days-again`.
    text = CASES + VERY_SLOW.replace("days: {rating: Red}", "days-again: {rating: Red}")
    message = _problems(plugin, write_cases(tmp_path, text))
    assert "measure demo.timeliness/days: no passing case asserts its rating in the red " \
        "band(s)" in message


def test_the_validate_lint_runs_on_the_plugins_duty_files(tmp_path):
    duty = DUTY + """\
  - id: counted
    kind: measure
    title: Returns counted
    value: {sql: "SELECT count(*) FROM demo_retrn"}
    evidence: [demo_return]
    unit: returns
    direction: lower-is-better
    bands: {green: {at_most: 0}, red: {above: 0}}
    basis: inference
"""
    message = _problems(make_plugin(tmp_path, duty=duty))
    line = line_of(tmp_path / "duties" / "demo.yaml", "SELECT count(*) FROM demo_retrn")
    assert f"demo.yaml:{line}:" in message and "unknown table 'demo_retrn'" in message


# -- check: files --------------------------------------------------------------------------

CHECK_CASES = """\
check: demo.days
cases:
  - name: slow
    evidence:
      - kind: demo_return
        data: {days: 15}
    expect:
      demo.timeliness/days: {rating: Amber, value: 15}
"""


def test_a_check_file_runs_the_duties_the_check_rates(tmp_path):
    plugin = make_plugin(tmp_path)
    (case,) = read_cases(write_cases(tmp_path, CHECK_CASES) / "demo.yaml")
    run_test_case(case, plugins=[plugin])  # built-in plugins loaded too, but not run
    assert [d["id"] for d in run_case(case, plugins=[plugin]).report["duties"]] == [
        "demo.timeliness"]


def test_a_check_file_naming_no_check_is_refused(tmp_path):
    plugin = make_plugin(tmp_path)
    cases = write_cases(tmp_path, CHECK_CASES.replace("check: demo.days", "check: demo.dayz"))
    (case,) = read_cases(cases)
    with pytest.raises(InvalidInput, match="no installed check is 'demo.dayz'; did you mean "
                                           "'demo.days'"):
        run_case(case, plugins=[plugin], entry_points=False)
    assert "demo.yaml:1:1: $.check: no installed check is 'demo.dayz'" in _problems(plugin,
                                                                                     cases)


# -- evidence in cases: files stay in the bundle; fixtures; source -----------------------

def test_case_evidence_cannot_be_written_outside_the_bundle(tmp_path):
    text = CASES.replace("      - kind: demo_return\n        data: {days: 5}",
                         "      - kind: demo_return\n        file: ../outside.yaml\n"
                         "        data: {days: 5}")
    folder = write_cases(tmp_path, text)
    with pytest.raises(InvalidInput) as err:
        read_cases(folder)
    line = line_of(folder / "demo.yaml", "file: ../outside.yaml")
    assert (f"demo.yaml:{line}:9: $.cases[0].evidence[0].file: file must not contain '..'"
            in str(err.value))
    with pytest.raises(ValueError, match="must not contain '..'"):
        write_bundle(tmp_path / "b" / "bundle", [{"kind": "k", "file": "../x.txt", "text": "x"}])
    with pytest.raises(ValueError, match="must be a relative path"):
        write_bundle(tmp_path / "b" / "bundle", [{"kind": "k", "file": "/tmp/x.txt", "text": ""}])
    assert not (tmp_path / "b" / "x.txt").exists()


def test_a_case_reads_csv_and_xlsx_fixtures_next_to_it_and_names_its_source(tmp_path):
    from openpyxl import Workbook

    plugin = make_plugin(tmp_path)
    kinds = [*plugin.dutycheck_register_evidence_kinds(), _table_kind()]
    plugin.dutycheck_register_evidence_kinds = hookimpl(lambda: kinds)
    cases = tmp_path / "cases"
    (cases / "fixtures").mkdir(parents=True)
    (cases / "fixtures" / "days.csv").write_text("ref,days\nA,3\nB,30\n", encoding="utf-8")
    wb = Workbook()
    wb.active.append(["ref", "days"])
    for row in (["A", 3], ["B", 4]):
        wb.active.append(row)
    wb.save(cases / "fixtures" / "days.xlsx")
    (cases / "demo.yaml").write_text(textwrap.dedent("""\
        duty: demo.timeliness
        cases:
          - name: from a CSV file
            evidence:
              - {kind: demo_return, data: {days: 5}}
              - kind: demo_days
                fixture: fixtures/days.csv
                source: {document: "Register as sent, March 2025"}
            expect:
              longest: {rating: Red, value: 30}
          - name: from a workbook
            evidence:
              - {kind: demo_return, data: {days: 5}}
              - {kind: demo_days, fixture: fixtures/days.xlsx}
            expect:
              longest: {rating: Green, value: 4}
          - name: a fixture that is not there
            evidence:
              - {kind: demo_days, fixture: fixtures/gone.xlsx}
            expect:
              longest: {rating: Green}
        """), encoding="utf-8")
    (tmp_path / "duties" / "demo.yaml").write_text(DUTY + LONGEST, encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        read_cases(cases)
    line = line_of(cases / "demo.yaml", "fixtures/gone.xlsx")
    assert (f"demo.yaml:{line}:27: $.cases[2].evidence[0].fixture: fixture "
            "'fixtures/gone.xlsx' not found") in str(err.value)
    text = (cases / "demo.yaml").read_text(encoding="utf-8")
    (cases / "demo.yaml").write_text(text[:text.index("  - name: a fixture")], encoding="utf-8")
    for case in read_cases(cases):
        run_test_case(case, plugins=[plugin], entry_points=False)
    result = run_case(read_cases(cases)[0], plugins=[plugin], entry_points=False)
    sources = {i["kind"]: i["source"] for i in result.report["inputs"]["bundle"]["items"]}
    assert sources["demo_days"] == {"document": "Register as sent, March 2025"}


LONGEST = """\
  - id: longest
    kind: measure
    title: Longest time taken
    value: {sql: "SELECT max(days) FROM demo_days"}
    evidence: [demo_days]
    unit: days
    direction: lower-is-better
    bands: {green: {at_most: 10}, red: {above: 10}}
    basis: inference
"""


def _table_kind():
    from dutycheck import Column, TabularKind

    return TabularKind("demo_days", "Days per case", columns=(
        Column("ref", "string"), Column("days", "integer")))


# -- pytest fixtures -------------------------------------------------------------------------

def test_host_fixture_sees_a_plugin_registered_in_the_test_body(tmp_path, dutycheck_register,
                                                                dutycheck_host):
    dutycheck_register(make_plugin(tmp_path))
    assert "demo.days" in dutycheck_host.checks()
    assert "demo_return" in dutycheck_host.evidence_kinds()


def test_cli_fixture_exits_4_on_invalid_input_with_the_users_message(
        tmp_path, dutycheck_register, dutycheck_bundle, dutycheck_cli):
    dutycheck_register(make_plugin(tmp_path))
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": "many"}}])
    result = dutycheck_cli("run", str(bundle), "--as-of", "2025-11-01", exit_code=4)
    assert "error: " in result.stderr and "'many' is not of type 'number'" in result.stderr
    assert "problem(s); nothing was written." in result.stderr


def test_cli_fixture_exits_3_on_a_plugin_error(tmp_path, dutycheck_register, dutycheck_bundle,
                                               dutycheck_cli):
    plugin = make_plugin(tmp_path)
    plugin.dutycheck_report_tables = hookimpl(lambda reprt: [])
    dutycheck_register(plugin)
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 5}}])
    result = dutycheck_cli("run", str(bundle), "--as-of", "2025-11-01", exit_code=3)
    assert (f"error: plugin {plugin.__name__!r}: dutycheck_report_tables() declares "
            "argument(s) reprt, which the hook does not pass (misspelt?); it passes: report"
            ) in result.stderr


def test_cli_fixture_lets_other_exceptions_through(tmp_path, dutycheck_bundle, dutycheck_cli,
                                                   monkeypatch):
    from dutycheck import cli

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in dutycheck")

    monkeypatch.setattr(cli, "_check_formats", broken)
    bundle = dutycheck_bundle([{"kind": "demo_return", "data": {"days": 5}}])
    with pytest.raises(RuntimeError, match="a bug in dutycheck"):
        dutycheck_cli("run", str(bundle))


# -- hook mistakes name the plugin, its distribution and the mistake -----------------------

TYPO_ARGUMENT = """\
from dutycheck import hookimpl


@hookimpl
def dutycheck_register_duties():
    return []


@hookimpl
def dutycheck_report_tables(reprt):
    return []
"""


def _distribution(root: Path, dist: str, name: str, module: str, source: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{module}.py").write_text(source, encoding="utf-8")
    info = root / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[dutycheck]\n{name} = {module}\n",
                                           encoding="utf-8")


def test_a_misspelt_hook_argument_in_an_installed_plugin_is_a_load_failure(tmp_path,
                                                                           monkeypatch):
    _distribution(tmp_path / "site", "typo-plugin", "typo", "kit_typo_argument", TYPO_ARGUMENT)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delenv("DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    host = make_host()
    assert [str(f) for f in host.failures if f.name == "typo"] == [
        "plugin 'typo' (typo-plugin 0.1) failed to load: dutycheck_report_tables() declares "
        "argument(s) reprt, which the hook does not pass (misspelt?); it passes: report"]
    # none of its hooks stay registered
    assert "typo" not in {p.name for p in host.plugins()}
    assert not any(n == "typo" for n, _ in host.duty_locations())


def test_a_misspelt_hook_argument_or_name_in_a_test_plugin_is_a_plugin_error():
    typo = types.ModuleType("kit_typo_test_plugin")
    typo.dutycheck_report_tables = hookimpl(lambda reprt: [])
    with pytest.raises(PluginError) as err:
        make_host(entry_points=False, plugins=[typo])
    assert str(err.value) == (
        "plugin 'kit_typo_test_plugin': dutycheck_report_tables() declares argument(s) reprt, "
        "which the hook does not pass (misspelt?); it passes: report")
    misnamed = types.ModuleType("kit_misnamed_plugin")
    misnamed.dutycheck_regster_duties = hookimpl(lambda: [])
    with pytest.raises(PluginError) as err:
        make_host(entry_points=False, plugins=[misnamed])
    assert str(err.value).startswith(
        "plugin 'kit_misnamed_plugin': dutycheck_regster_duties is not a dutycheck hook (did "
        "you mean dutycheck_register_duties?); the hooks are: dutycheck_check, ")


def test_two_distributions_claiming_one_check_id_are_both_named(tmp_path, monkeypatch):
    source = textwrap.dedent("""\
        from dutycheck import Check, Verdict, Rating, hookimpl


        class Same(Check):
            id = "kitdup.same"
            title = "The same id"

            def run(self, requirement, evidence, context):
                return Verdict(Rating.GREEN, "fine")


        @hookimpl
        def dutycheck_register_checks():
            return [Same]
        """)
    _distribution(tmp_path / "site", "kitdup-one", "kitdup-a", "kitdup_one", source)
    _distribution(tmp_path / "site", "kitdup-two", "kitdup-b", "kitdup_two", source)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delenv("DUTYCHECK_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    with pytest.raises(PluginError) as err:
        make_host().checks()
    assert str(err.value) == ("check id 'kitdup.same' is claimed by both plugin 'kitdup-a' and "
                              "plugin 'kitdup-b' (distributions kitdup-one 0.1 and kitdup-two "
                              "0.1)")


# -- dutycheck validate: case files and duty ids across arguments --------------------------

def test_validate_checks_a_cases_folder_against_the_loaded_catalogue(
        tmp_path, dutycheck_register, dutycheck_cli):
    dutycheck_register(make_plugin(tmp_path))
    good = write_cases(tmp_path, CASES + VERY_SLOW)
    result = dutycheck_cli("validate", str(good), str(tmp_path / "duties"))
    assert f"ok: {good} (3 behaviour cases)" in result.stdout
    assert f"ok: {tmp_path / 'duties'} (1 duties)" in result.stdout
    bad = tmp_path / "bad-cases"
    bad.mkdir()
    (bad / "typos.yaml").write_text(textwrap.dedent("""\
        duty: demo.timeliness
        cases:
          - name: typos
            evidence:
              - kind: demo_retrun
                data: {days: 5}
            expect:
              dayz: {rating: Green}
        """), encoding="utf-8")
    (bad / "wrong-duty.yaml").write_text(CASES.replace("duty: demo.timeliness",
                                                       "duty: demo.timelines"), encoding="utf-8")
    (bad / "wrong-check.yaml").write_text(CHECK_CASES.replace("demo.days", "demo.dais"),
                                          encoding="utf-8")
    result = dutycheck_cli("validate", str(bad), exit_code=4)
    assert result.stdout == ""
    for expected in (
            "typos.yaml:5:9: $.cases[0].evidence[0].kind: unknown evidence kind "
            "'demo_retrun'; did you mean 'demo_return'",
            "typos.yaml:8:7: $.cases[0].expect.dayz: 'dayz' is not a requirement of "
            "demo.timeliness; its requirements: days",
            "wrong-duty.yaml:1:1: $.duty: no loaded duty is 'demo.timelines'",
            "wrong-check.yaml:1:1: $.check: no installed check is 'demo.dais'"):
        assert expected in result.stderr


def test_validate_reports_a_duty_id_defined_in_two_arguments_with_both_places(tmp_path):
    first = tmp_path / "dup.yaml"
    first.write_text(duty_yaml("testarea.same"), encoding="utf-8")
    second = tmp_path / "more" / "dup2.yaml"
    second.parent.mkdir()
    second.write_text("# again\n" + duty_yaml("testarea.same"), encoding="utf-8")
    code, out, err = run_cli("validate", first, second.parent, cwd=tmp_path)
    assert code == 4, err
    assert ("more/dup2.yaml:2:1: $.id: duplicate duty id 'testarea.same'; first defined at "
            "dup.yaml:1:1") in err


def test_validate_reports_a_duty_id_a_plugin_already_defines(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    builtin = repo / "duties" / "complaints" / "timeliness.yaml"
    line = line_of(builtin, "id: complaints.review-timeliness")
    clash = tmp_path / "ack.yaml"
    clash.write_text(duty_yaml("complaints.review-timeliness"), encoding="utf-8")
    # the built-in folder itself is the plugin's own files, so only ack.yaml clashes
    code, out, err = run_cli("validate", repo / "duties", clash, cwd=repo)
    assert code == 4, err
    assert err.count("duplicate duty id") == 1
    assert (f"{clash}:1:1: $.id: duplicate duty id 'complaints.review-timeliness'; first "
            f"defined at duties/complaints/timeliness.yaml:{line}:5") in err

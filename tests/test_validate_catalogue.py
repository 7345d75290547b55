"""``dutycheck_validate_catalogue``: a plugin's own rules over the loaded duties are
checked wherever duties load, reported at the duty's (or requirement's) file and line with
exit 4, before any evidence is read; a faulty hook is a plugin error (exit 3)."""

from __future__ import annotations

from conftest import AS_OF, SAMPLE, line_of

from dutycheck import DutyProblem, hookimpl


class NoShouting:
    """A partner's house rule: no duty title in capitals."""

    @hookimpl
    def dutycheck_validate_catalogue(self, duties):
        return [DutyProblem(d.id, "write the title in sentence case", d.requirements[0].id)
                for d in duties.values() if d.title.isupper()]


class Raises:
    @hookimpl
    def dutycheck_validate_catalogue(self, duties):
        raise RuntimeError("rules broke")


class Garbage:
    @hookimpl
    def dutycheck_validate_catalogue(self, duties):
        return [DutyProblem("no.such-duty", "?")]


def _shouting(write_duty):
    path = write_duty("loud.yaml", duty_id="testarea.loud")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: An example duty for tests", "title: AN EXAMPLE DUTY"), encoding="utf-8")
    return path


def test_a_plugins_rule_is_an_error_at_the_requirements_line_in_validate_and_run(
        dutycheck_register, dutycheck_cli, write_duty, tmp_path):
    dutycheck_register(NoShouting())
    path = _shouting(write_duty)
    where = f"{path}:{line_of(path, '- id: a-measure')}: testarea.loud/a-measure: "
    result = dutycheck_cli("validate", str(path), exit_code=4)
    assert where + "write the title in sentence case" in result.output
    out = tmp_path / "report.json"
    result = dutycheck_cli("run", str(SAMPLE), "--as-of", AS_OF, "--duties", str(path),
                           "--format", "json", "--output", str(out), exit_code=4)
    assert where in result.output and not out.exists()
    dutycheck_cli("explain", "testarea.loud", "--duties", str(path), exit_code=4)


def test_a_clean_catalogue_passes(dutycheck_register, dutycheck_cli, write_duty):
    dutycheck_register(NoShouting())
    result = dutycheck_cli("validate", str(write_duty("quiet.yaml")), exit_code=0)
    assert "ok:" in result.output


def test_a_hook_that_raises_or_names_no_duty_is_a_plugin_error(
        dutycheck_register, dutycheck_cli, write_duty):
    dutycheck_register(Raises())
    result = dutycheck_cli("duties", exit_code=3)
    assert "dutycheck_validate_catalogue() raised RuntimeError: rules broke" in result.output


def test_a_problem_naming_no_loaded_duty_is_a_plugin_error(dutycheck_register, dutycheck_cli):
    dutycheck_register(Garbage())
    result = dutycheck_cli("duties", exit_code=3)
    assert "not a DutyProblem naming a loaded duty" in result.output

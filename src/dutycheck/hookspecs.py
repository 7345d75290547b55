"""The dutycheck plugin contract. Every hook name starts with ``dutycheck_``.

A plugin is a module (or object) with functions marked ``@dutycheck.hookimpl`` and
registered under the ``dutycheck`` entry-point group. The built-in plugins use the same
group, so they are written exactly as a partner's would be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from .catalogue import Duty, DutyProblem, Requirement
    from .checks import Check, Context, Evidence, Measurement, Verdict
    from .kinds import EvidenceKind
    from .reporting import ReportFormat, ReportTable

from .markers import hookspec


@hookspec
def dutycheck_register_duties() -> list[Path]:
    """Return duty YAML files or folders this plugin owns.

    Folders are searched for ``*.yaml`` and ``*.yml``. Use :func:`importlib.resources`
    (or :func:`dutycheck.data_path` for built-ins) so the files are found when installed.
    """


@hookspec
def dutycheck_register_checks() -> list[type[Check]]:
    """Return :class:`dutycheck.Check` subclasses.

    Each declares ``id``, ``title``, ``covers`` and ``reads``; metadata is validated on
    registration and two plugins may not claim the same check id or requirement.
    """


@hookspec
def dutycheck_register_evidence_kinds() -> list[EvidenceKind]:
    """Return the evidence kinds this plugin reads: :class:`dutycheck.TabularKind` (columns
    and types) or :class:`dutycheck.StructuredKind` (a JSON Schema). Bundles are validated
    against them before any check runs, and ``dutycheck init`` writes a template for each.
    """


@hookspec
def dutycheck_validate_catalogue(duties: Mapping[str, Duty]) -> list[DutyProblem]:
    """Return :class:`dutycheck.DutyProblem` for defects in the loaded duties that the
    duty schema cannot see: rules of your plugin's own vocabulary (the plan plugin's
    ``commitment:`` tags) or ones that need the whole catalogue.

    Called once the catalogue has loaded, by ``run``, ``validate``, ``duties`` and
    ``explain``, with every duty by id (a partner's ``--duties`` included). Each problem is
    reported at its duty's or requirement's ``file:line`` and the command exits 4, as for
    a schema error, so ``validate`` catches it before any bundle is involved.
    """


@hookspec
def dutycheck_report_formats() -> list[ReportFormat]:
    """Return :class:`dutycheck.ReportFormat` renderers; ``--format`` offers their names."""


@hookspec
def dutycheck_report_tables(report: dict[str, Any]) -> list[ReportTable]:
    """Return :class:`dutycheck.ReportTable` summaries to show at the head of an area.

    Called once per run, after every duty is rated, with the report so far (audience
    rules already applied: a Panel report has no restricted detail to leak). Build the
    table from ``report`` alone. The tables are sealed into the canonical JSON and every
    built-in format shows them; a hook that raises makes the run incomplete (exit 3) but
    the report is still written.
    """


@hookspec(firstresult=True)
def dutycheck_check(check: Check, requirement: Requirement, evidence: Evidence,
                    context: Context) -> Verdict | Measurement | Any:
    """Run one check against one requirement and return its result.

    The built-in runner (``trylast``) calls ``check.run(requirement, evidence, context)``.
    A ``hookwrapper``/``wrapper`` implementation may time, log or redact around it; an
    implementation that returns a value first replaces the default runner.
    """

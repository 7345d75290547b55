"""Police and Crime Plan commitments and the PCC's own governance duties (built-in plugin).

Written as a partner's plugin would be: it imports only ``dutycheck``'s public API and is
found through the ``dutycheck`` entry-point group. The plan is data: every
``plan-commitment`` duty loaded, whether the built-in ``duties/plan/kent-2025-29.yaml`` or
another organisation's plan in the same format (docs/plan-catalogue.md), is rated by one
generic rule keyed on its ``commitment:`` tag; the rule claims those requirements itself
(``Check.claims``), so a partner's plan needs YAML only.
"""

from __future__ import annotations

from dutycheck import data_path, hookimpl

from .checks import GOVERNANCE_CHECKS, PLAN_CHECKS
from .kinds import KINDS
from .tables import tables
from .validation import catalogue_problems

__version__ = "0.1.0"


@hookimpl
def dutycheck_register_duties():
    return [data_path("duties", "plan")]


@hookimpl
def dutycheck_register_checks():
    return [*PLAN_CHECKS, *GOVERNANCE_CHECKS]


@hookimpl
def dutycheck_register_evidence_kinds():
    return list(KINDS)


@hookimpl
def dutycheck_report_tables(report):
    return tables(report)


@hookimpl
def dutycheck_validate_catalogue(duties):
    return catalogue_problems(duties)

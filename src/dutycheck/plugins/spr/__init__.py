"""Strategic Policing Requirement: regard to the seven national threats, by the PCC and
the Chief Constable (built-in plugin).

Written exactly as a partner's plugin would be: it imports only ``dutycheck``'s public
API and is found through the ``dutycheck`` entry-point group.
"""

from __future__ import annotations

from dutycheck import data_path, hookimpl

from .checks import CHECKS
from .kinds import KINDS
from .matrix import FORMATS, tables

__version__ = "0.1.0"


@hookimpl
def dutycheck_register_duties():
    return [data_path("duties", "spr")]


@hookimpl
def dutycheck_register_checks():
    return list(CHECKS)


@hookimpl
def dutycheck_register_evidence_kinds():
    return list(KINDS)


@hookimpl
def dutycheck_report_formats():
    return list(FORMATS)


@hookimpl
def dutycheck_report_tables(report):
    return tables(report)

"""Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022, Part 2 Chapter 1):
partnership, strategic needs assessment, strategy, consultation, review, outcome measures,
PCC monitoring, grant governance and information sharing (built-in plugin).

Written exactly as a partner's plugin would be: it imports only ``dutycheck``'s public
API and is found through the ``dutycheck`` entry-point group.
"""

from __future__ import annotations

from dutycheck import data_path, hookimpl

from .checks import CHECKS
from .kinds import KINDS

__version__ = "0.1.0"


@hookimpl
def dutycheck_register_duties():
    return [data_path("duties", "serious-violence")]


@hookimpl
def dutycheck_register_checks():
    return list(CHECKS)


@hookimpl
def dutycheck_register_evidence_kinds():
    return list(KINDS)

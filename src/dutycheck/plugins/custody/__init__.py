"""Custody: independent custody visiting, custody detention scrutiny, deaths and serious
injuries in custody, and PACE detention-record analytics (built-in plugin).

Written exactly as a partner's plugin would be: it imports only ``dutycheck``'s public
API and is found through the ``dutycheck`` entry-point group.
"""

from __future__ import annotations

from pathlib import Path

from dutycheck import data_path, hookimpl

from .checks import CHECKS
from .kinds import KINDS

__version__ = "0.1.0"

CASES = Path(__file__).parent / "cases"


@hookimpl
def dutycheck_register_duties():
    return [data_path("duties", "custody")]


@hookimpl
def dutycheck_register_checks():
    return list(CHECKS)


@hookimpl
def dutycheck_register_evidence_kinds():
    return list(KINDS)

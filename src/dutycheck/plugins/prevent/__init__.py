"""The Prevent duty (Counter-Terrorism and Security Act 2015 s.26): the Home Office
benchmarks, Channel, training and oversight (built-in plugin).

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
    return [data_path("duties", "prevent")]


@hookimpl
def dutycheck_register_checks():
    return list(CHECKS)


@hookimpl
def dutycheck_register_evidence_kinds():
    return list(KINDS)

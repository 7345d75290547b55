"""ASB case reviews (the "community trigger"): a partner plugin for dutycheck.

Anti-social Behaviour, Crime and Policing Act 2014 s.104 and Schedule 4: the relevant
bodies in a local government area must carry out an ASB case review when an application
is made and the threshold is met, and must make and publish review procedures (on which
they must consult the PCC). The PCC's draft Kent plan commits to raising awareness of
the review (samples/sources/002_0fa1db5300ef0649.txt line 192).

Built only on dutycheck's public API (``dutycheck`` and ``dutycheck.testing``), as any
partner's plugin would be; found through the ``dutycheck`` entry point ``asb``.
"""

from __future__ import annotations

from pathlib import Path

from dutycheck import hookimpl

from .checks import CHECKS
from .kinds import KINDS

__version__ = "0.1.0"

HERE = Path(__file__).parent


@hookimpl
def dutycheck_register_duties():
    return [HERE / "duties"]


@hookimpl
def dutycheck_register_checks():
    return list(CHECKS)


@hookimpl
def dutycheck_register_evidence_kinds():
    return list(KINDS)

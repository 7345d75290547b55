"""Police and Crime Plan commitments and the PCC's own governance duties (built-in plugin).

Written as a partner's plugin would be: it imports only ``dutycheck``'s public API and is
found through the ``dutycheck`` entry-point group. The plan is data: every commitment in
``duties/plan/kent-2025-29.yaml`` is rated by one generic rule keyed on its
``commitment:`` tag. Another organisation's plan, in the same format
(docs/plan-catalogue.md), is loaded with :func:`plan_plugin`.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from dutycheck import data_path, hookimpl

from . import catalogue
from .checks import GOVERNANCE_CHECKS, plan_checks
from .kinds import KINDS

__version__ = "0.1.0"

_BUILTIN_PLANS = ("kent-2025-29.yaml",)


def _builtin_checks() -> list:
    folder = data_path("duties", "plan")
    out: list = list(GOVERNANCE_CHECKS)
    for name in _BUILTIN_PLANS:
        out.extend(plan_checks(catalogue.read([folder / name], Path(name).stem)))
    return out


@hookimpl
def dutycheck_register_duties():
    return [data_path("duties", "plan")]


@hookimpl
def dutycheck_register_checks():
    return _builtin_checks()


@hookimpl
def dutycheck_register_evidence_kinds():
    return list(KINDS)


def plan_plugin(path: str | Path, slug: str | None = None) -> SimpleNamespace:
    """A plugin object for another organisation's plan catalogue: it registers the YAML
    and the generic commitment, coverage and tracker-quality checks for it. No code per
    plan: the YAML is the plan. Register it with ``dutycheck.testing.assess(plugins=...)``
    or from a partner package's entry point.

    ``slug`` names the checks (``plan.<slug>.commitment-delivery``); by default it is the
    file's stem.
    """
    path = Path(path)
    slug = slug or re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    checks = plan_checks(catalogue.read([path], slug))

    def dutycheck_register_duties():
        return [path]

    def dutycheck_register_checks():
        return list(checks)

    ns = SimpleNamespace(__name__=f"plan-catalogue:{slug}", __version__=__version__)
    ns.dutycheck_register_duties = hookimpl(dutycheck_register_duties)
    ns.dutycheck_register_checks = hookimpl(dutycheck_register_checks)
    return ns

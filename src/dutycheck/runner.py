"""The default ``dutycheck_check`` implementation: call the check."""

from __future__ import annotations

from .markers import hookimpl


@hookimpl(trylast=True)
def dutycheck_check(check, requirement, evidence, context):
    return check.run(requirement, evidence, context)

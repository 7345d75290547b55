"""dutycheck: statutory-duty assurance for Police and Crime Commissioners.

The public API for plugin authors is what this module exports (and
``dutycheck.testing``). Names are imported lazily so ``dutycheck --version``
stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .__about__ import __version__

__all__ = [
    "__version__", "hookimpl", "Check", "Verdict", "Measurement", "NotEvidenced", "Context",
    "Evidence", "Rating", "TabularKind", "StructuredKind", "Column", "ReportFormat",
    "Requirement", "Duty", "Table", "EvidenceItem", "data_path", "cite_rows", "rows_note",
    "Matches", "plain_text", "markdown_text", "ReportTable", "DutyProblem",
]

_EXPORTS = {
    "hookimpl": "markers", "Check": "checks", "Verdict": "checks", "Measurement": "checks",
    "NotEvidenced": "checks", "Context": "checks", "Evidence": "checks", "Rating": "ratings",
    "TabularKind": "kinds", "StructuredKind": "kinds", "Column": "kinds",
    "ReportFormat": "reporting", "ReportTable": "reporting", "Requirement": "catalogue",
    "Duty": "catalogue", "DutyProblem": "catalogue",
    "Table": "table", "EvidenceItem": "bundle", "data_path": "resources",
    "cite_rows": "table", "rows_note": "table", "Matches": "table", "plain_text": "reporting.text",
    "markdown_text": "reporting.markdown",
}

if TYPE_CHECKING:
    from .bundle import EvidenceItem
    from .catalogue import Duty, DutyProblem, Requirement
    from .checks import Check, Context, Evidence, Measurement, NotEvidenced, Verdict
    from .kinds import Column, StructuredKind, TabularKind
    from .markers import hookimpl
    from .ratings import Rating
    from .reporting import ReportFormat, ReportTable
    from .reporting.markdown import markdown_text
    from .reporting.text import plain_text
    from .resources import data_path
    from .table import Matches, Table, cite_rows, rows_note


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dutycheck' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

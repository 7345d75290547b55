"""Report formats. Each renders the canonical report dictionary to text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportFormat:
    """A renderer offered through ``dutycheck_report_formats``.

    ``render(report)`` returns the whole document as ``str`` (or ``bytes`` for binary
    formats); the CLI writes it atomically. ``terminal=True`` formats may also be printed
    to the console with colour when no ``--output`` is given.
    """

    name: str
    extension: str
    description: str
    render: Callable[[dict[str, Any]], str | bytes]
    terminal: bool = False

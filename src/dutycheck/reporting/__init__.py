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


@dataclass(frozen=True)
class ReportTable:
    """A summary table offered through ``dutycheck_report_tables``: what one area needs
    at a glance that the duty-by-duty layout cannot give (the SPR plugin's seven-threat
    matrix, the plan plugin's commitments by priority).

    Every built-in format shows it at the head of its ``area``; it is stored in the
    canonical JSON and sealed with it, so a re-rendered or verified report has the same
    table. Cells are text, shown literally (escaped per format). ``rating_column`` is the
    index of a column that holds a rating, which formats then show with its symbol.
    """

    area: str
    title: str
    columns: tuple[str, ...] | list[str]
    rows: tuple[tuple[str, ...], ...] | list[list[str]]
    note: str = ""
    rating_column: int | None = None

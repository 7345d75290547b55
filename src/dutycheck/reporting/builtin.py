"""The formats every installation has: json (canonical), markdown, terminal."""

from __future__ import annotations

from ..markers import hookimpl
from . import ReportFormat


def _json(report):
    from ..report import canonical

    return canonical(report)


def _markdown(report):
    from .markdown import render

    return render(report)


def _terminal(report):
    from .terminal import render_text

    return render_text(report)


@hookimpl
def dutycheck_report_formats():
    return [
        ReportFormat("terminal", "txt", "A summary table and each duty, for the console.",
                     _terminal, terminal=True),
        ReportFormat("json", "json", "The canonical, sealed report (schemas/report.schema.json).",
                     _json),
        ReportFormat("markdown", "md", "A readable paper for the Panel or the JAC.", _markdown),
    ]

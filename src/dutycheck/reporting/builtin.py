"""The formats every installation has: json (canonical), markdown, terminal, html, csv,
and pdf (which needs the optional WeasyPrint dependency)."""

from __future__ import annotations

from ..markers import hookimpl
from . import ReportFormat


def _json(report):
    from ..report import canonical
    from .text import escape_bidi_json

    return escape_bidi_json(canonical(report))


def _markdown(report):
    from .markdown import render

    return render(report)


def _terminal(report):
    from .terminal import render_text

    return render_text(report)


def _html(report):
    from .html import render

    return render(report)


def _pdf(report):
    from .pdf import render

    return render(report)


def _csv(report):
    from .csvfmt import render

    return render(report)


@hookimpl
def dutycheck_report_formats():
    return [
        ReportFormat("terminal", "txt", "A summary table and each duty, for the console.",
                     _terminal, terminal=True),
        ReportFormat("json", "json", "The canonical, sealed report (schemas/report.schema.json).",
                     _json),
        ReportFormat("markdown", "md", "A readable paper for the Panel or the JAC.", _markdown),
        ReportFormat("html", "html", "One self-contained, accessible HTML paper.", _html),
        ReportFormat("pdf", "pdf", "The HTML paper as PDF (needs dutycheck[pdf]).", _pdf),
        ReportFormat("csv", "csv", "One row per requirement, for spreadsheets.", _csv),
    ]

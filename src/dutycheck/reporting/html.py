"""One self-contained HTML paper (inline CSS, no scripts, nothing from the network),
rendered with Jinja2 autoescaping from the canonical report."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from . import view

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=False, lstrip_blocks=False,
                      keep_trailing_newline=True, finalize=_finalize)
    return env


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}``: plain text loses control characters (then is escaped as
    usual); markup the template built itself is left alone."""
    from markupsafe import Markup

    from .text import plain_text

    if isinstance(value, str) and not isinstance(value, Markup):
        return plain_text(value)
    return value


def render(report: dict[str, Any]) -> str:
    env = _environment()
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    from markupsafe import Markup

    ctx = view.build(report)
    return env.get_template("report.html.j2").render(css=Markup(css), **ctx)

"""The console view: a summary table by area, then each duty with its requirements."""

from __future__ import annotations

import io
from typing import Any

from .text import comparator_text, evidence_text, plain_text, threshold_text, value_text

STYLE = {"Green": "bold green", "Amber": "bold yellow", "Red": "bold red",
         "Not evidenced": "bold white on grey30", "Not due": "dim", "Not assessed": "magenta",
         "Error": "bold white on red"}


def _t(value: Any, style: str = "") -> Any:
    """Plain text for rich: never parsed as console markup (``[link=...]``), and without
    control characters, so evidence cannot send escape sequences to the terminal."""
    from rich.text import Text

    return Text(plain_text(value), style)


def renderables(report: dict[str, Any]) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = []
    period = report["period"]
    out.append(Text.assemble(
        ("dutycheck ", "bold"), _t(f"{report['organisation']} — "),
        _t(f"{period.get('label') or ''} {period['start']} to {period['end']}, as of "
           f"{report['as_of']}")))
    out.append(Text.assemble("Overall assurance opinion: ", (report["opinion"]["level"], "bold"),
                             _t(" — " + "; ".join(report["opinion"]["reasons"]))))
    summary = Table(title="Summary by area", show_lines=False)
    summary.add_column("Area")
    summary.add_column("Rating")
    summary.add_column("Opinion")
    for rating in report["counts"]["duties"]:
        summary.add_column(rating, justify="right")
    for a in report["areas"]:
        summary.add_row(_t(a["title"]), Text(a["rating"], STYLE[a["rating"]]), a["opinion"],
                        *[str(a["counts"][r]) for r in report["counts"]["duties"]])
    out.append(summary)
    duties = {d["id"]: d for d in report["duties"]}
    for a in report["areas"]:
        for duty_id in a["duties"]:
            d = duties[duty_id]
            t = Table(title=Text.assemble((f"{d['rating']}", STYLE[d["rating"]]),
                                          _t(f"  {d['title']}  ({d['id']})")),
                      caption=_t(f"{d['source']['title']} — basis: {d['basis_label']}"),
                      title_justify="left", caption_justify="left", expand=True)
            t.add_column("Requirement", ratio=3)
            t.add_column("Rating", ratio=1)
            t.add_column("Value", ratio=1)
            t.add_column("Threshold (basis)", ratio=2)
            t.add_column("Comparator", ratio=2)
            t.add_column("Evidence", ratio=2)
            for r in d["requirements"]:
                basis = f" ({r['basis']})" if r.get("basis") else ""
                t.add_row(_t(r["title"]), Text(r["rating"], STYLE[r["rating"]]),
                          _t(value_text(r)), _t(threshold_text(r) + basis),
                          _t(comparator_text(r)), _t(evidence_text(r)))
            out.append(t)
            for r in d["requirements"]:
                if r["rating"] != "Green":
                    out.append(_t(f"  • {r['reason']}"))
    for problem in report["plugin_failures"] + report["errors"]:
        out.append(_t(f"INCOMPLETE: {problem}", "bold red"))
    return out


def print_report(report: dict[str, Any], console: Any) -> None:
    for r in renderables(report):
        console.print(r)


def render_text(report: dict[str, Any]) -> str:
    from rich.console import Console

    console = Console(record=True, width=160, color_system=None, force_terminal=False,
                      file=io.StringIO())
    print_report(report, console)
    return console.export_text()

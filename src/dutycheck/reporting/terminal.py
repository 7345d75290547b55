"""The console view: a summary table by area, then each duty with its requirements."""

from __future__ import annotations

import io
from typing import Any

from .text import comparator_text, evidence_text, plain_text, threshold_text, value_text
from .view import (
    RATINGS,
    area_tables,
    coverage_text,
    overrides,
    overrides_line,
    overrides_withheld,
    travel_text,
)

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
    # Severity order, as the papers' tables have it (any rating a newer report adds, last).
    ratings = [r for r in RATINGS if r in report["counts"]["duties"]] + [
        r for r in report["counts"]["duties"] if r not in RATINGS]
    for rating in ratings:
        summary.add_column(rating, justify="right")
    for a in report["areas"]:
        summary.add_row(_t(a["title"]), Text(a["rating"], STYLE[a["rating"]]), a["opinion"],
                        *[str(a["counts"].get(r, 0)) for r in ratings])
    out.append(_t(coverage_text(report)))
    out.append(summary)
    found = overrides(report)
    by_ref = {o["ref"]: o for o in found}
    out.extend(_overrides(found, overrides_withheld(report)))
    out.extend(_since_and_open_items(report))
    duties = {d["id"]: d for d in report["duties"]}
    for a in report["areas"]:
        out.extend(_area_table(table) for table in area_tables(report, a["id"]))
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
            travel = report.get("travel") is not None
            if travel:
                t.add_column("Since last report", ratio=2)
            t.add_column("Evidence", ratio=2)
            for r in d["requirements"]:
                basis = f" ({r['basis']})" if r.get("basis") else ""
                rating = Text(r["rating"], STYLE[r["rating"]])
                if r.get("waiver"):
                    rating.append(plain_text(f" (waiver {r['waiver']['id']}, "
                                             f"{r['waiver']['status']})"))
                threshold = _t(threshold_text(r) + basis)
                o = by_ref.get(r["ref"])
                if o:
                    threshold.append(plain_text(f" (overridden, note {o['n']}: was {o['was']}"
                                                + (f"; catalogue basis: {o['was_basis']}"
                                                   if o["was_basis"] else "") + ")"), "bold")
                cells = [_t(r["title"]), rating, _t(value_text(r)), threshold,
                         _t(comparator_text(r))]
                if travel:
                    cells.append(_t(travel_text(r) or "-"))
                t.add_row(*cells, _t(evidence_text(r)))
            out.append(t)
            for r in d["requirements"]:
                if r["ref"] in by_ref:
                    o = by_ref[r["ref"]]
                    out.append(_t(f"  ! Local threshold override (note {o['n']}): {o['note']}",
                                  "bold"))
            if d.get("travel"):
                was = d["travel"]["previous_rating"]
                out.append(_t(f"  Since the previous report: {d['travel']['change']}"
                              + (f" (was {was})" if was else "")))
            for r in d["requirements"]:
                if r["rating"] != "Green":
                    out.append(_t(f"  • {r['reason']}"))
            for a in d.get("actions", []):
                out.append(_t(f"  Management action {a} (listed above)"))
    for problem in report["plugin_failures"] + report["errors"]:
        out.append(_t(f"INCOMPLETE: {problem}", "bold red"))
    return out


def _area_table(table: dict[str, Any]) -> Any:
    """A plugin's summary table (e.g. the SPR matrix), ahead of its area's duties."""
    from rich.table import Table
    from rich.text import Text

    col = table["rating_column"]
    t = Table(title=_t(table["title"], "bold"), caption=_t(table["note"]) if table["note"]
              else None, title_justify="left", caption_justify="left", expand=True)
    for name in table["columns"]:
        t.add_column(_t(name), overflow="fold")
    for row in table["rows"]:
        t.add_row(*(Text(c, STYLE[c]) if i == col and c in STYLE else _t(c)
                    for i, c in enumerate(row)))
    return t


def _overrides(found: list[dict[str, Any]], withheld: bool) -> list[Any]:
    """The thresholds the run configuration changed, each with the catalogue's original,
    the basis and the reason, so they are read before any duty."""
    from rich.table import Table

    if not found:
        return [_t(overrides_line(found, withheld=withheld))]
    table = Table(title=plain_text("Local threshold overrides: "
                                   + overrides_line(found, "listed here", withheld)),
                  title_justify="left", expand=True)
    for col in ("Note", "Requirement", "Threshold now", "Override basis",
                "Catalogue's threshold (replaced)", "Catalogue's basis", "Reason",
                "Run configuration"):
        table.add_column(col, overflow="fold")
    for o in found:
        table.add_row(*(_t(v) for v in (str(o["n"]), f"{o['title']} ({o['ref']})", o["now"],
                                        o["basis"], o["was"], o["was_basis"] or "-",
                                        o["reason"], o["config"])))
    return [table]


def _since_and_open_items(report: dict[str, Any]) -> list[Any]:
    """What changed since the baseline, and the waivers and management actions a committee
    follows up, so the console tells an officer what the Markdown and HTML papers do."""
    from rich.table import Table

    out: list[Any] = []
    travel = report.get("travel")
    if travel:
        c = travel["duties"]
        out.append(_t(f"Since the previous report (as of {travel['baseline']['as_of']}): "
                      f"{c['worsened']} duties worsened, {c['improved']} improved, "
                      f"{c['unchanged']} unchanged, {c['changed']} changed, {c['new']} new."))
        for ch in travel["rating_changes"]:
            out.append(_t(f"  {ch['title']}: {ch['change']} ({ch['from']} to {ch['to']})"))
    if report.get("waivers"):
        w_table = Table(title="Waivers (ratings are shown unchanged)", title_justify="left")
        for col in ("Waiver", "Applies to", "Status", "Underlying rating", "Reason",
                    "Approved by", "Expires"):
            w_table.add_column(col, overflow="fold")
        for w in report["waivers"]:
            w_table.add_row(*(_t(v) for v in (w["id"], w["target"], w["status"],
                                                w["underlying_rating"], w["reason"],
                                                w["approved_by"], w["expires"])))
        out.append(w_table)
    if report.get("actions"):
        a_table = Table(title="Management actions", title_justify="left")
        for col in ("Action", "Finding", "Response", "Owner", "Due", "Status"):
            a_table.add_column(col, overflow="fold")
        for a in report["actions"]:
            status = a["status"] + (", overdue" if a["overdue"] else "") + (
                ", carried over" if a["carried_over"] else "")
            a_table.add_row(*(_t(v) for v in (a["id"], a["target"], a["response"],
                                                a["owner"], a["due"], status)))
        out.append(a_table)
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

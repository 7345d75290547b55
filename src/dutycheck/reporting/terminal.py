"""The console view: a summary table by area, then each duty with its requirements."""

from __future__ import annotations

import io
from typing import Any

from .text import comparator_text, evidence_text, plain_text, threshold_text, value_text
from .view import (
    RATINGS,
    area_tables,
    basis_cell,
    change_kind,
    coverage_text,
    evidence_items,
    exceptions_first,
    extra_reasons,
    for_audience,
    key_findings,
    not_due_rows,
    overrides,
    overrides_line,
    overrides_withheld,
    target_title,
    travel_summary,
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

    report = for_audience(report)
    panel = report["audience"] == "panel"
    out: list[Any] = []
    period = report["period"]
    out.append(Text.assemble(
        ("dutycheck ", "bold"), _t(f"{report['organisation']} — "),
        _t(f"{period.get('label') or ''} {period['start']} to {period['end']}, as of "
           f"{report['as_of']}")))
    out.append(Text.assemble("Overall assurance opinion: ", (report["opinion"]["level"], "bold"),
                             _t(" — " + "; ".join(report["opinion"]["reasons"]))))
    problems = report["plugin_failures"] + report["errors"]
    if problems:  # under the opinion, as the papers have it: the opinion rests on less
        out.append(_t(f"INCOMPLETE: the run is incomplete ({len(problems)} problem"
                      f"{'' if len(problems) == 1 else 's'}, listed at the end); the opinion "
                      "above covers only what could be checked.", "bold red"))
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
    findings = key_findings(report)
    if findings:
        out.append(_t("Key findings: duties rated Red", "bold"))
        out.extend(_t(f"  • {k['d']['title']} ({k['area']})") for k in findings)
    found = overrides(report)
    by_ref = {o["ref"]: o for o in found}
    out.extend(_overrides(found, overrides_withheld(report)))
    out.extend(_since_and_open_items(report, panel))
    duties = {d["id"]: d for d in report["duties"]}
    for n, a in enumerate(report["areas"], start=1):
        out.extend(_area_table(table) for table in area_tables(report, a["id"]))
        due_ids, not_due_ids = exceptions_first(a["duties"], duties)
        for duty_id in due_ids:
            out.extend(_duty(duties[duty_id], report, by_ref, panel))
        rows, why = not_due_rows(n, not_due_ids, duties, len(due_ids) + 1)
        if rows:
            out.append(_not_due(a, rows, why, panel))
    for problem in report["plugin_failures"] + report["errors"]:
        out.append(_t(f"INCOMPLETE: {problem}", "bold red"))
    return out


def _duty(d: dict[str, Any], report: dict[str, Any], by_ref: dict[str, Any],
          panel: bool) -> list[Any]:
    """One duty that fell due: its requirements (long cells fold, never cut), then the
    duty's reason and every requirement reason it does not already give, Green too."""
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = []
    ident = "" if panel else f"  ({d['id']})"
    t = Table(title=Text.assemble((f"{d['rating']}", STYLE[d["rating"]]),
                                  _t(f"  {d['title']}{ident}")),
              caption=_t(f"{d['source']['title']} — basis: {d['basis_label']}"),
              title_justify="left", caption_justify="left", expand=True)
    t.add_column("Requirement", ratio=3, overflow="fold")
    t.add_column("Rating", ratio=1, overflow="fold")
    t.add_column("Value", ratio=1, overflow="fold")
    t.add_column("Threshold (basis)", ratio=2, overflow="fold")
    t.add_column("Comparator", ratio=2, overflow="fold")
    travel = report.get("travel") is not None
    if travel:
        t.add_column("Since last report", ratio=2, overflow="fold")
    t.add_column("Evidence", ratio=2, overflow="fold")
    for r in d["requirements"]:
        rating = Text(r["rating"], STYLE[r["rating"]])
        if r.get("waiver"):
            rating.append(plain_text(f" (waiver {r['waiver']['id']}, "
                                     f"{r['waiver']['status']})"))
        threshold = _t(threshold_text(r, panel) + basis_cell(r, panel))
        o = by_ref.get(r["ref"])
        if o:
            threshold.append(plain_text(f" (overridden, note {o['n']}: was {o['was']}"
                                        + (f"; catalogue basis: {o['was_basis']}"
                                           if o["was_basis"] else "") + ")"), "bold")
        cells = [_t(r["title"]), rating, _t(value_text(r)), threshold,
                 _t(comparator_text(r))]
        if travel:
            cells.append(_t(travel_text(r) or "-"))
        evidence = "; ".join(evidence_items(r, "panel")) or "-" if panel else \
            evidence_text(r)
        t.add_row(*cells, _t(evidence))
    out.append(t)
    for r in d["requirements"]:
        if r["ref"] in by_ref:
            o = by_ref[r["ref"]]
            out.append(_t(f"  ! Local threshold override (note {o['n']}): {o['note']}",
                          "bold"))
    if d.get("travel"):
        was = d["travel"]["previous_rating"]
        change = change_kind(was, d["rating"], d["travel"]["change"])
        out.append(_t(f"  Since the previous report: {change}"
                      + (f" (was {was})" if was else "")))
    out.append(_t(f"  {d['reason']}"))
    out.extend(_t(f"  • {reason}") for reason in extra_reasons(d))
    for a in d.get("actions", []):
        out.append(_t(f"  Management action {a} (listed above)"))
    return out


def _not_due(area: dict[str, Any], rows: list[dict[str, Any]], why: str | None,
             panel: bool) -> Any:
    """An area's duties not yet due, in one compact table."""
    from rich.table import Table
    from rich.text import Text

    title = Text.assemble(("Not due", STYLE["Not due"]), _t(
        f"  {area['title']}: {len(rows)} dut{'y' if len(rows) == 1 else 'ies'} not yet due, "
        "not rated and left out of the opinion" + (f". Why: {why}" if why else "")))
    t = Table(title=title, title_justify="left", expand=True)
    t.add_column("No.", overflow="fold")
    t.add_column("Duty", ratio=3, overflow="fold")
    if not why:
        t.add_column("Why not due", ratio=2, overflow="fold")
    for row in rows:
        name = row["d"]["title"] + ("" if panel else f" ({row['d']['id']})")
        t.add_row(row["n"], _t(name), *([] if why else [_t(row["why"])]))
    return t


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


def _since_and_open_items(report: dict[str, Any], panel: bool = False) -> list[Any]:
    """What changed since the baseline, and the waivers and management actions a committee
    follows up, so the console tells an officer what the Markdown and HTML papers do."""
    from rich.table import Table

    out: list[Any] = []
    travel = travel_summary(report)
    if travel:
        out.append(_t(travel["headline"]))
        if travel["now_due"]:
            out.append(_t("  " + travel["now_due"]))
        for ch in travel["top"]:
            out.append(_t(f"  {ch['title']}: {ch['kind']} ({ch['from']} to {ch['to']})"))
        if travel["rest"]:
            out.append(_t(f"  The other {travel['rest']} rating change"
                          f"{'' if travel['rest'] == 1 else 's'} "
                          f"{'is' if travel['rest'] == 1 else 'are'} shown under each duty."))
    if report.get("waivers"):
        w_table = Table(title="Waivers (ratings are shown unchanged)", title_justify="left")
        for col in ("Waiver", "Applies to", "Status", "Underlying rating", "Reason",
                    "Approved by", "Expires"):
            w_table.add_column(col, overflow="fold")
        for w in report["waivers"]:
            target = target_title(report, w["target"]) if panel else w["target"]
            w_table.add_row(*(_t(v) for v in (w["id"], target, w["status"],
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
            target = target_title(report, a["target"]) if panel else a["target"]
            a_table.add_row(*(_t(v) for v in (a["id"], target, a["response"],
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

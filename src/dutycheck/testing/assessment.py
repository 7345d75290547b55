"""Run a whole assessment in-process and look at the result as a report reader would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..ratings import Rating


@dataclass
class Assessment:
    """The canonical report of one run, with lookups by duty or requirement ref."""

    report: dict[str, Any]

    def duty(self, duty_id: str) -> dict[str, Any]:
        for d in self.report["duties"]:
            if d["id"] == duty_id:
                return d
        raise KeyError(f"no duty {duty_id!r} in the report; duties: "
                       + ", ".join(d["id"] for d in self.report["duties"]))

    def finding(self, ref: str) -> dict[str, Any]:
        duty_id, _, req_id = ref.partition("/")
        duty = self.duty(duty_id)
        for r in duty["requirements"]:
            if r["id"] == req_id:
                return r
        raise KeyError(f"no requirement {req_id!r} in duty {duty_id!r}; requirements: "
                       + ", ".join(r["id"] for r in duty["requirements"]))

    def rating(self, ref: str) -> Rating:
        """Rating of ``duty-id`` or ``duty-id/requirement-id``."""
        if "/" in ref:
            return Rating(self.finding(ref)["rating"])
        return Rating(self.duty(ref)["rating"])


def assess(bundle_dir: Path | str, *, as_of: str | dt.date = "2025-11-01",
           plugins: tuple[Any, ...] | list[Any] = (), duties: tuple[Any, ...] | list[Any] = (),
           entry_points: bool = True, config: dict[str, Any] | None = None,
           only: list[str] | None = None, audience: str = "jac") -> Assessment:
    """Load the catalogue (installed plugins, ``plugins`` and extra ``duties`` paths),
    the bundle, run every check and build the report. Raises ``InvalidInput`` for bad
    input, as the CLI would exit 4. ``only`` restricts the run to some duty ids."""
    from .. import bundle, catalogue, engine, report
    from .. import config as configlib
    from ..host import make_host

    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    host = make_host(entry_points=entry_points, plugins=plugins)
    cfg = configlib.from_data(config)
    cat = catalogue.load([p for _, p in host.duty_locations()] + [Path(d) for d in duties],
                         cfg.overrides)
    selected = [cat.duties[d] for d in only] if only else None
    kinds = {name: k for name, (_, k) in host.evidence_kinds().items()}
    with bundle.load(Path(bundle_dir), kinds, cfg.bank_holidays) as b:
        result = engine.run(cat, b, host, day, selected, cfg.grace_days, cfg.check_timeout)
        doc = report.build(result, cat, b, host, day, audience, cfg.as_report_dict(), cfg.file)
    return Assessment(doc)

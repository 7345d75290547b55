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
    the bundle, run every check and build the report, through the same pipeline as
    ``dutycheck run`` (waivers and actions in the bundle included). ``config`` is a run
    configuration as a mapping; ``only`` restricts the run to some duty ids. Raises
    ``InvalidInput`` for bad input, as the CLI would exit 4."""
    from .. import assess as core
    from .. import config as configlib
    from ..host import make_host

    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    cfg = configlib.from_data(config)
    host = make_host(entry_points=entry_points, plugins=plugins, allow=cfg.allow_plugins)
    opts = core.Options(bundle=Path(bundle_dir), as_of=day, audience=audience,
                        duty_dirs=tuple(Path(d) for d in duties), run_config=cfg,
                        only=tuple(only) if only else None)
    return Assessment(core.assess(host, opts))

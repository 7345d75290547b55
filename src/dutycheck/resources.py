"""Where the built-in catalogue and schemas live, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder holding ``duties/`` and ``schemas/``.

    A wheel carries them as ``dutycheck/_data``; a source checkout (including an
    editable install) keeps them at the project root, two levels above ``src/dutycheck``.
    """
    packaged = _PACKAGE / "_data"
    if (packaged / "schemas").is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent
    if (checkout / "schemas").is_dir():
        return checkout
    raise FileNotFoundError("dutycheck data (duties/, schemas/) not found; the installation "
                            "is incomplete")


def data_path(*parts: str) -> Path:
    """A path inside the built-in data, e.g. ``data_path("duties", "complaints")``."""
    return data_root().joinpath(*parts)

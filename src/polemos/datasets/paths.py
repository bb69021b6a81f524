"""Where the reference data live."""

from __future__ import annotations

import os
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[3]


class DataNotFound(FileNotFoundError):
    """The reference data directory (or a file in it) is missing."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The reference data directory: ``override``, ``$POLEMOS_DATA`` or ``../shared/data``.

    Raises :class:`DataNotFound` with what to do when it does not exist.
    """
    candidates = [override, os.environ.get("POLEMOS_DATA"), _PROJECT_ROOT.parent / "shared" / "data"]
    for cand in candidates:
        if cand and Path(cand).is_dir():
            return Path(cand)
    raise DataNotFound(
        "reference data not found: looked in "
        + ", ".join(str(c) for c in candidates if c)
        + ". Put the shared data beside the project (../shared/data) or set POLEMOS_DATA."
    )


def data_file(relative: str, override: str | os.PathLike[str] | None = None) -> Path:
    """A file under the data directory, e.g. ``data_file("battles/cdb90_battles.csv")``."""
    path = data_dir(override) / relative
    if not path.is_file():
        raise DataNotFound(f"reference data file missing: {path}")
    return path

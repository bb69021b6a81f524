"""Battle data for fitting attrition laws: CDB90, and a campaign's daily series.

CDB90 is the US Army Concepts Analysis Agency's database of 660 battles, 1600-1973
(public domain), in the tidy version by J. B. Arnold (``cdb90_*.csv``; columns documented
in ``cdb90_datapackage.json``). :func:`load_cdb90` returns one row per battle with the
attacker's and defender's total personnel strength (``str``, ``*_strength``), initial
strength (``intst``, ``*_initial``; missing for about a fifth of the rows, where ``str``
counts a force that was built up during the battle) and casualties (``cas``), the year (start of the battle), duration in days and the attacker's
advance (``kmda``, km). Battles flagged as duplicates (``parent`` not null) are dropped.

A campaign CSV has one row per day with columns ``day, red_strength, blue_strength,
red_casualties, blue_casualties`` (strength at the start of the day, casualties during it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from polemos.datasets.paths import DataNotFound, data_file

CAMPAIGN_COLUMNS = ("day", "red_strength", "blue_strength", "red_casualties", "blue_casualties")


def load_cdb90(data: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One row per (non-duplicate) CDB90 battle; ``data`` overrides the data directory."""
    bel = pd.read_csv(data_file("battles/cdb90_belligerents.csv", data))
    battles = pd.read_csv(data_file("battles/cdb90_battles.csv", data))
    durations = pd.read_csv(data_file("battles/cdb90_durations.csv", data))
    cols = {"str": "strength", "intst": "initial", "cas": "casualties"}
    out = battles.set_index("isqno")[["name", "war", "kmda", "parent"]]
    for flag, side in ((1, "attacker"), (0, "defender")):
        rows = bel.loc[bel["attacker"] == flag, ["isqno", *cols]].set_index("isqno")
        out = out.join(rows.rename(columns={k: f"{side}_{v}" for k, v in cols.items()}))
    out = out.join(durations.set_index("isqno")[["datetime_min", "duration1"]])
    out["year"] = pd.to_numeric(out["datetime_min"].astype(str).str[:4], errors="coerce")
    out = out[out["parent"].isna()].drop(columns=["parent", "datetime_min"])
    return out.rename(columns={"duration1": "duration_days"}).reset_index()


def load_campaign(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a campaign CSV (:data:`CAMPAIGN_COLUMNS`); raises ``ValueError`` saying what is missing."""
    path = Path(path)
    if not path.is_file():
        raise DataNotFound(f"campaign file not found: {path}")
    frame = pd.read_csv(path)
    missing = [c for c in CAMPAIGN_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: missing column(s) {', '.join(missing)}; a campaign CSV needs "
            f"{', '.join(CAMPAIGN_COLUMNS)} (strength at the start of each day, casualties "
            "during it)"
        )
    frame = frame[list(CAMPAIGN_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    bad = frame.isna().any(axis=1)
    if bad.any():
        raise ValueError(f"{path}: non-numeric or empty values in row(s) "
                         f"{', '.join(str(i + 2) for i in frame.index[bad][:5])}")
    return frame.sort_values("day").reset_index(drop=True)

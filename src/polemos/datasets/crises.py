"""International Crisis Behavior (ICB) data, version 14: loaders and outbreak attributes.

Source: Brecher, M., Wilkenfeld, J., Beardsley, K., James, P. & Quinn, D. (2021),
*International Crisis Behavior Data Codebook, Version 14*; files ``icb1v14.csv`` (one row
per international crisis, 487 crises 1918-2015) and ``icb2v14.csv`` (one row per crisis
actor) under ``crises/`` of the reference data directory.

The outcome is the system-level ``viol`` (extent of violence: 1 no violence, 2 minor
clashes, 3 serious clashes, 4 full-scale war), returned as ``y`` in 0..3.

The attributes are those the codebook records that are known, or nearly known, when a
crisis breaks out (see :data:`FEATURES`). Two of them (great-power involvement, number of
actors) are recorded over the whole crisis, so they leak a little of its course: this is
stated wherever the fit is reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from polemos.datasets.paths import data_file

VIOLENCE_LEVELS = ("none", "minor clashes", "serious clashes", "full-scale war")
"""ICB ``viol`` 1..4, as ``y`` 0..3."""

ERAS = ("interwar", "world war II", "cold war", "post-cold war")
"""Eras from ICB ``period``: 1 (1918-39), 2 (1939-45), 3-4 (1945-89), 5-6 (1990-)."""

_PERIOD_TO_ERA = {1: 0, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}

FEATURES: dict[str, str] = {
    "gravity": "gravity of threat to the most threatened actor, ICB1 gravcr 0 (economic) .. "
    "6 (existence); 7 (other) set to 3",
    "grave_threat": "gravcr 5 or 6: threat of grave damage or to existence",
    "log_actors": "log of the number of crisis actors (noactr; recorded over the crisis)",
    "violent_trigger": "trigger (break) 8 or 9: an indirect or direct violent act",
    "superpower_military": "US or USSR/Russia involvement covert, semi-military or military "
    "(max of usinv, suinv >= 3; recorded over the crisis)",
    "nuclear": "an actor possesses nuclear weapons (ICB2 nuclear >= 3 for any actor)",
    "log_power_discrepancy": "log(1 + powdissy); missing (64 crises) set to the median",
    "power_discrepancy_missing": "powdissy missing",
    "protracted": "protrac 2: crisis within a protracted conflict",
    "long_war": "protrac 3: crisis within a long-war protracted conflict",
    "intra_war": "iwcmb > 1: intra-war crisis (a war is already under way)",
    "era_interwar": "period 1 (1918-39); reference era is the cold war",
    "era_ww2": "period 2 (1939-45)",
    "era_post_cold_war": "period 5-6 (1990-)",
}


@dataclass(frozen=True)
class CrisisTable:
    """ICB crises as arrays ready for fitting.

    ``X`` (n, len(features)) floats, ``y`` (n,) ints 0..3, ``era`` (n,) ints indexing
    :data:`ERAS`, ``weeks`` (n,) crisis duration in weeks (ICB1 ``brexit`` days / 7, at
    least 1), ``year`` (n,) trigger year; ``frame`` the joined raw rows.
    """

    X: np.ndarray
    y: np.ndarray
    era: np.ndarray
    weeks: np.ndarray
    year: np.ndarray
    features: tuple[str, ...]
    frame: pd.DataFrame


def read_icb1(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The ICB1 (system-level) table, as in the file (the byte-order mark removed)."""
    return pd.read_csv(path or data_file("crises/icb1v14.csv"), encoding="utf-8-sig")


def read_icb2(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The ICB2 (actor-level) table, as in the file."""
    return pd.read_csv(path or data_file("crises/icb2v14.csv"), encoding="utf-8-sig")


def load_crises(
    icb1: str | os.PathLike[str] | None = None, icb2: str | os.PathLike[str] | None = None
) -> CrisisTable:
    """Crises with a coded ``viol``, their outbreak attributes and durations."""
    sys_ = read_icb1(icb1)
    act = read_icb2(icb2)
    sys_ = sys_[sys_["viol"].between(1, 4)].copy()
    nuc = act.groupby("crisno")["nuclear"].max()
    sys_["nuclear_max"] = sys_["crisno"].map(nuc)

    grav = sys_["gravcr"].where(sys_["gravcr"].between(0, 6), 3.0).fillna(3.0)
    powdis = sys_["powdissy"]
    pd_missing = powdis.isna()
    log_pd = np.log1p(powdis.clip(lower=0).fillna(powdis.median()))
    sp = np.maximum(sys_["usinv"].fillna(1), sys_["suinv"].fillna(1))
    era = sys_["period"].map(_PERIOD_TO_ERA).fillna(2).astype(int)
    cols = {
        "gravity": grav,
        "grave_threat": grav.isin([5, 6]),
        "log_actors": np.log(sys_["noactr"].clip(lower=1).fillna(2)),
        "violent_trigger": sys_["break"].isin([8, 9]),
        "superpower_military": sp >= 3,
        "nuclear": sys_["nuclear_max"].fillna(1) >= 3,
        "log_power_discrepancy": log_pd,
        "power_discrepancy_missing": pd_missing,
        "protracted": sys_["protrac"] == 2,
        "long_war": sys_["protrac"] == 3,
        "intra_war": sys_["iwcmb"].fillna(1) > 1,
        "era_interwar": era == 0,
        "era_ww2": era == 1,
        "era_post_cold_war": era == 3,
    }
    X = np.column_stack([np.asarray(cols[name], dtype=float) for name in FEATURES])
    weeks = np.maximum(1, np.ceil(sys_["brexit"].fillna(sys_["brexit"].median()) / 7.0))
    return CrisisTable(
        X=X,
        y=sys_["viol"].to_numpy(int) - 1,
        era=era.to_numpy(int),
        weeks=weeks.to_numpy(int),
        year=sys_["yrtrig"].to_numpy(int),
        features=tuple(FEATURES),
        frame=sys_.reset_index(drop=True),
    )


def base_rates_by_era(table: CrisisTable) -> pd.DataFrame:
    """Shares of each violence level by era and overall (rows), with crisis counts."""
    rows = []
    for i, name in enumerate((*ERAS, "all")):
        mask = table.era == i if name != "all" else np.ones(len(table.y), bool)
        counts = np.bincount(table.y[mask], minlength=len(VIOLENCE_LEVELS))
        shares = dict(zip(VIOLENCE_LEVELS, counts / mask.sum(), strict=True))
        rows.append({"era": name, "n": int(mask.sum()), **shares})
    return pd.DataFrame(rows).set_index("era")


STRICT_EX_ANTE_DROP = ("violent_trigger", "intra_war", "long_war", "log_actors", "superpower_military")
"""Features dropped for the strictly ex-ante ablation: near-definitional of violence
(a violent trigger, a war already under way) or recorded over the whole crisis."""


def superpower_crises(
    icb1: str | os.PathLike[str] | None = None, icb2: str | os.PathLike[str] | None = None,
    first: int = 1945, last: int = 1991,
) -> dict:
    """Crises with both the USA (COW 2) and the USSR (365) as crisis actors, ``first``..
    ``last``: count, crisis-weeks (ICB1 ``brexit``), calendar weeks, violence levels."""
    sys_ = read_icb1(icb1).set_index("crisno")
    act = read_icb2(icb2)
    members = act.groupby("crisno")["cracid"].apply(set)
    both = [c for c, ids in members.items() if {2, 365} <= ids]
    rows = sys_.loc[both]
    rows = rows[rows["yrtrig"].between(first, last)]
    return {
        "period": [first, last],
        "crises": [str(x) for x in rows["crisname"]],
        "n": int(len(rows)),
        "crisis_weeks": float(rows["brexit"].sum() / 7.0),
        "calendar_weeks": float((last - first + 1) * 52.18),
        "viol": [int(v) for v in rows["viol"]],
    }

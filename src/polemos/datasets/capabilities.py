"""Loaders for the Correlates of War capability data (``capabilities/`` of the reference data).

Files (see ``../shared/data/README.md``):

- ``cow_nmc_v7.csv``: National Material Capabilities v7.0, 1816-2022, one row per
  state-year: ``milex`` (thousands of US$), ``milper`` (thousands), ``irst`` (thousand
  tons of iron and steel), ``pec`` (thousand coal-ton equivalents), ``tpop`` and
  ``upop`` (thousands), ``cinc``. Missing values are empty cells (NaN).
- ``cow_major_powers.csv``: major-power status periods (``ccode``, ``styear``..``endyear``);
  the file's coverage ends in 2016.
- ``cow_interstate_war_dyad_years.csv``: directed dyad-years of inter-state wars
  (``warnum``, ``ccode1``, ``ccode2``, ``year``, ``cowinteronset`` ...), 1823-2003.

The composite index (Singer, Bremer & Stuckey 1972) is the mean, over the components a
state reports, of its share of the system total of each component in that year::

    CINC_it = (1 / |K_it|) * sum_{k in K_it} x_kit / sum_j x_kjt

where ``K_it`` is the set of the six components not missing for state ``i`` in ``t``.
:func:`cinc_from_components` recomputes it; it matches the file's ``cinc`` to about 1e-8.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from polemos.datasets.paths import data_file

COMPONENTS: tuple[str, ...] = ("milex", "milper", "irst", "pec", "tpop", "upop")
"""The six NMC components, in the order every structure array uses."""

COW_NAMES: dict[int, str] = {
    2: "USA", 200: "UK", 220: "France", 255: "Germany", 300: "Austria-Hungary",
    325: "Italy", 365: "Russia", 710: "China", 740: "Japan", 750: "India",
}
"""Short names of the COW codes the structure tools print (others print as codes)."""

NMC_FILE = "capabilities/cow_nmc_v7.csv"
MAJOR_FILE = "capabilities/cow_major_powers.csv"
WAR_FILE = "capabilities/cow_interstate_war_dyad_years.csv"

PathLike = str | os.PathLike[str] | None


def _read(relative: str, data: PathLike) -> pd.DataFrame:
    return pd.read_csv(Path(data_file(relative, data)))


def load_nmc(data: PathLike = None) -> pd.DataFrame:
    """NMC v7 as a frame with integer ``ccode`` and ``year``, components as floats."""
    df = _read(NMC_FILE, data)
    df["ccode"] = df["ccode"].astype(int)
    df["year"] = df["year"].astype(int)
    for col in (*COMPONENTS, "cinc"):
        df[col] = df[col].astype(float)
    return df.sort_values(["ccode", "year"]).reset_index(drop=True)


def load_major_powers(data: PathLike = None) -> pd.DataFrame:
    """Major-power status periods: ``ccode``, ``styear``, ``endyear`` (integers)."""
    df = _read(MAJOR_FILE, data)
    for col in ("ccode", "styear", "endyear"):
        df[col] = df[col].astype(int)
    return df[["ccode", "styear", "endyear"]].sort_values(["ccode", "styear"]).reset_index(drop=True)


def load_war_dyad_years(data: PathLike = None) -> pd.DataFrame:
    """Directed inter-state war dyad-years with integer codes, years and onset flags."""
    df = _read(WAR_FILE, data)
    for col in ("warnum", "ccode1", "ccode2", "year", "cowinteronset", "sidea1", "sidea2"):
        df[col] = df[col].astype(int)
    return df


def cinc_from_components(nmc: pd.DataFrame) -> pd.Series:
    """Recompute CINC from the six components (Singer, Bremer & Stuckey 1972).

    Shares are taken of the system total of each component in each year; a state's
    index is the mean of the shares it does not miss (the NMC v7 convention).
    """
    cols = list(COMPONENTS)
    totals = nmc.groupby("year")[cols].transform("sum")
    shares = nmc[cols] / totals
    return shares.mean(axis=1, skipna=True).rename("cinc_recomputed")


def major_power_years(major: pd.DataFrame, first: int = 1816, last: int = 2016) -> pd.DataFrame:
    """One row per ``(ccode, year)`` in which a state held major-power status.

    A year counts if any part of it falls inside a status period (``styear <= year <=
    endyear``), so France counts in 1940 and 1945, Germany in 1991.
    """
    rows = [
        (int(r.ccode), y)
        for r in major.itertuples(index=False)
        for y in range(max(int(r.styear), first), min(int(r.endyear), last) + 1)
    ]
    out = pd.DataFrame(rows, columns=["ccode", "year"]).drop_duplicates()
    return out.sort_values(["ccode", "year"]).reset_index(drop=True)


def system_totals(nmc: pd.DataFrame, year: int) -> dict[str, float]:
    """Sum of each component over every state in ``year`` (the CINC denominators)."""
    sub = nmc[nmc["year"] == year]
    if sub.empty:
        raise ValueError(f"NMC has no rows for {year}; it covers {nmc.year.min()}-{nmc.year.max()}")
    return {c: float(sub[c].sum()) for c in COMPONENTS}


def components_for(nmc: pd.DataFrame, ccode: int, year: int) -> dict[str, float]:
    """The six component values of state ``ccode`` in ``year`` (KeyError when absent)."""
    sub = nmc[(nmc["ccode"] == ccode) & (nmc["year"] == year)]
    if sub.empty:
        raise KeyError(f"NMC has no row for ccode {ccode} in {year}")
    row = sub.iloc[0]
    return {c: float(row[c]) for c in COMPONENTS}


def component_panel(nmc: pd.DataFrame, ccodes: list[int], years: range | list[int]) -> np.ndarray:
    """Array ``(len(years), len(ccodes), 6)`` of component levels (NaN where missing)."""
    idx = pd.MultiIndex.from_product([list(years), list(ccodes)], names=["year", "ccode"])
    sub = nmc.set_index(["year", "ccode"])[list(COMPONENTS)].reindex(idx)
    return sub.to_numpy(dtype=float).reshape(len(years), len(ccodes), len(COMPONENTS))

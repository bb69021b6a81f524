"""Reference classes for the top of the escalation ladder, from COW and ICB.

- COW (``capabilities/``): inter-state war dyad-years 1823-2003 and major-power status
  periods. :func:`major_power_wars` lists the wars in which two states that were major
  powers that year fought on opposite sides (the first such year is the onset);
  :func:`major_power_war_counts` counts onsets and years of exposure for 1816-1945,
  since 1946, and between nuclear-armed major powers.
- ICB v14 (``crises/``): :func:`crisis_classes` gives, for all crises, crises between
  rival pairs of states and crises between nuclear-armed rivals, the highest violence
  that *both* states of a rival pair employed (ICB2 ``sevvio``: 1 none, 2 minor clashes,
  3 serious clashes, 4 full-scale war): a dyadic measure, unlike ICB1's system-level
  ``viol``, which counts a war among third parties in the same crisis (the superpowers in
  the October 1973 war had ``viol`` 4 but never fought each other).

Why classes differ (docs/validation/escalation.md section 8): crises are selected for
danger (ICB admits an episode only once a state perceives a threat, time pressure and a
heightened chance of hostilities), so their shares are conditional rates for a conflict
already in acute crisis; COW's onsets per year are unconditional rates for a dyad of
major powers at any time.
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pandas as pd

from polemos.datasets.capabilities import load_major_powers, load_war_dyad_years
from polemos.datasets.crises import read_icb1, read_icb2

PathLike = str | os.PathLike[str] | None

NUCLEAR_SINCE: dict[int, int] = {2: 1945, 365: 1949, 200: 1952, 220: 1960, 710: 1964,
                                 750: 1974, 770: 1998, 731: 2006}
"""Year of each state's first nuclear test (USA 1945, USSR 1949, UK 1952, France 1960,
China 1964, India 1974, Pakistan 1998, North Korea 2006; SIPRI Yearbook, world nuclear
forces chapter). COW codes."""

RIVAL_PAIRS: tuple[tuple[int, int], ...] = (
    (200, 255), (220, 255), (255, 365), (365, 740), (2, 740), (200, 325), (220, 325),
    (200, 740), (200, 365), (220, 365), (2, 365), (2, 710), (365, 710), (710, 750),
    (750, 770), (2, 731),
)
"""Strategic rivalries among major powers and nuclear-armed states, 1918-2017 (after
Thompson & Dreyer 2012, *Handbook of International Rivalries*, CQ Press): UK, France and
USSR with Germany; USSR, USA and UK with Japan; UK and France with Italy; UK, France and
the USA with the USSR/Russia; USA-China; USSR-China; China-India; India-Pakistan;
USA-North Korea. COW codes."""

DATA_END = 2003
"""Last year of the COW war dyad-year file."""


def _is_major(major: pd.DataFrame, ccode: int, year: int) -> bool:
    m = major[(major.ccode == ccode) & (major.styear <= year) & (major.endyear >= year)]
    return len(m) > 0


def _nuclear(ccode: int, year: int) -> bool:
    return NUCLEAR_SINCE.get(int(ccode), 10**6) <= year


def major_power_wars(data: PathLike = None) -> pd.DataFrame:
    """Wars with two major powers on opposite sides: ``warnum``, ``onset`` (first year two
    major powers fought), ``pairs`` (major-power dyads), ``nuclear`` (some fighting pair
    both nuclear-armed that year)."""
    war = load_war_dyad_years(data)
    major = load_major_powers(data)
    w = war[(war.ccode1 < war.ccode2) & (war.sidea1 != war.sidea2)]
    keep = [_is_major(major, a, y) and _is_major(major, b, y)
            for a, b, y in zip(w.ccode1, w.ccode2, w.year, strict=True)]
    w = w[np.asarray(keep, bool)].copy()
    w["nuclear"] = [_nuclear(a, y) and _nuclear(b, y)
                    for a, b, y in zip(w.ccode1, w.ccode2, w.year, strict=True)]
    out = w.groupby("warnum").agg(onset=("year", "min"),
                                  pairs=("ccode1", "size"), nuclear=("nuclear", "any"))
    return out.reset_index().sort_values("onset").reset_index(drop=True)


def major_power_war_counts(data: PathLike = None, through: int = 2025) -> dict[str, dict]:
    """Onsets ``k`` and years of exposure ``years`` per class. Since 1946 the exposure runs
    to ``through``: the file ends in 2003, and the years after it are counted on the public
    record (no war between major powers 2004-2025), a stated assumption (``assumed``)."""
    wars = major_power_wars(data)
    onsets = wars["onset"].to_numpy(int)
    nuc_onsets = wars.loc[wars.nuclear, "onset"].to_numpy(int)
    first_nuclear_pair = 1949  # USA and USSR both nuclear-armed (both major powers)
    return {
        "major_power_1816_1945": {"k": int(((onsets >= 1816) & (onsets <= 1945)).sum()),
                                  "years": 130.0, "first": 1816, "last": 1945,
                                  "onsets": [int(y) for y in onsets if y <= 1945]},
        "major_power_since_1946": {"k": int((onsets >= 1946).sum()),
                                   "years": float(through - 1946 + 1), "first": 1946,
                                   "last": through, "assumed": [DATA_END + 1, through],
                                   "onsets": [int(y) for y in onsets if y >= 1946]},
        "nuclear_major_powers": {"k": int((nuc_onsets >= first_nuclear_pair).sum()),
                                 "years": float(through - first_nuclear_pair + 1),
                                 "first": first_nuclear_pair, "last": through,
                                 "assumed": [DATA_END + 1, through],
                                 "onsets": [int(y) for y in nuc_onsets]},
    }


def _dyad_level(rows: pd.DataFrame, nuclear_only: bool) -> float:
    """Highest violence both states of a rival pair employed in one crisis (nan: none)."""
    best = np.nan
    recs = rows[["cracid", "sevvio", "nuclear", "yrtrig"]].to_numpy(float)
    pairs = {frozenset(p) for p in RIVAL_PAIRS}
    for x, y in itertools.combinations(recs, 2):
        if frozenset((int(x[0]), int(y[0]))) not in pairs:
            continue
        if nuclear_only and not (_nuclear(int(x[0]), int(x[3])) and _nuclear(int(y[0]), int(y[3]))):
            continue
        level = min(1.0 if np.isnan(x[1]) else x[1], 1.0 if np.isnan(y[1]) else y[1])
        best = level if np.isnan(best) else max(best, level)
    return best


def crisis_classes(icb1: PathLike = None, icb2: PathLike = None,
                   first: int = 1946) -> dict[str, dict]:
    """Counts of the highest violence per class of crises triggered from ``first`` on:
    ``all`` (ICB1 ``viol``), ``rivals`` and ``nuclear_rivals`` (dyadic, both states of a
    rival pair; nuclear: both nuclear-armed at the trigger year). Each: ``n``, ``counts``
    (levels 1..4), ``median_weeks`` (ICB1 ``brexit``), ``crises`` (names at level >= 2)."""
    sys_ = read_icb1(icb1)
    act = read_icb2(icb2)
    sys_ = sys_[sys_["viol"].between(1, 4) & (sys_["yrtrig"] >= first)].set_index("crisno")
    act = act[act["crisno"].isin(sys_.index)]
    out: dict[str, dict] = {}

    def summary(levels: pd.Series) -> dict:
        counts = [int((levels == v).sum()) for v in (1, 2, 3, 4)]
        weeks = sys_.loc[levels.index, "brexit"].median() / 7.0
        named = [f"{sys_.loc[c, 'crisname'].strip().title()} ({int(sys_.loc[c, 'yrtrig'])})"
                 for c in levels.index[levels >= 2]]
        return {"n": int(len(levels)), "counts": counts, "median_weeks": float(weeks),
                "crises": named}

    out["all"] = summary(sys_["viol"])
    for name, nuc in (("rivals", False), ("nuclear_rivals", True)):
        lv = act.groupby("crisno")[["cracid", "sevvio", "nuclear", "yrtrig"]].apply(
            lambda g, nuc=nuc: _dyad_level(g, nuc)).dropna()
        out[name] = summary(lv)
    return out

"""Out-of-sample check of the projection: grow 1990 capabilities on 1970-1990 trends.

For each listed state and the rest of the system (every other state, summed), each NMC
component's log level is regressed on the year over the fit window,
``log x_t = a + b t + u_t``; the growth rate is ``g = exp(b) - 1`` with ``b`` drawn from
``N(b_hat, se(b_hat))``, and the annual shock sd is the standard deviation of the
detrended first differences of ``log x``. Equations (1)-(2) of
:mod:`polemos.models.structure.projection` then project from the base year, and the
projected CINC shares are compared with the shares the NMC file records later.

Works on a data frame with the NMC columns (``ccode, year``, components, ``cinc``); reading
the file is the caller's job (:mod:`polemos.datasets.capabilities`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from polemos.models.structure import projection

COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")
REST = -1


def _levels(nmc: pd.DataFrame, ccodes: list[int], years: range) -> np.ndarray:
    """``(len(years), len(ccodes) + 1, 6)``: listed states, then the rest of the system."""
    sub = nmc[nmc.year.isin(list(years))]
    totals = sub.groupby("year")[list(COMPONENTS)].sum().reindex(list(years))
    out = np.full((len(years), len(ccodes) + 1, 6), np.nan)
    listed = np.zeros((len(years), 6))
    for j, c in enumerate(ccodes):
        s = sub[sub.ccode == c].set_index("year")[list(COMPONENTS)].reindex(list(years))
        out[:, j] = s.to_numpy(float)
        listed += np.nan_to_num(out[:, j])
    out[:, -1] = totals.to_numpy(float) - listed
    return out


def _trend(y: np.ndarray, years: np.ndarray) -> tuple[float, float, float]:
    """Log-linear slope, its standard error and the sd of detrended log differences."""
    ok = np.isfinite(y) & (y > 0)
    if ok.sum() < 4:
        return 0.0, 0.0, 0.0
    t, ly = years[ok].astype(float), np.log(y[ok])
    x = np.column_stack([np.ones_like(t), t - t.mean()])
    beta, *_ = np.linalg.lstsq(x, ly, rcond=None)
    resid = ly - x @ beta
    s2 = resid @ resid / max(len(t) - 2, 1)
    se = float(np.sqrt(s2 / np.sum((t - t.mean()) ** 2)))
    diffs = np.diff(ly) - beta[1]
    return float(beta[1]), se, float(np.std(diffs, ddof=1)) if diffs.size > 1 else 0.0


@dataclass
class Backtest:
    labels: list[str]
    years: np.ndarray  # projected years, base first
    cinc: np.ndarray  # (n_draws, T+1, P+1) projected shares
    deterministic: np.ndarray  # (T+1, P+1) shares at the trend growth, no shocks
    actual: pd.DataFrame  # year x label, recorded CINC (rest = 1 - listed)
    growth: np.ndarray  # (P+1, 6) trend growth rates


def run_backtest(
    nmc: pd.DataFrame,
    ccodes: list[int],
    labels: list[str],
    *,
    base: int = 1990,
    fit: tuple[int, int] = (1970, 1990),
    end: int = 2022,
    n_draws: int = 2000,
    rng: np.random.Generator,
) -> Backtest:
    """Project CINC shares from ``base`` to ``end`` with growth fitted on ``fit`` years."""
    fit_years = range(fit[0], fit[1] + 1)
    hist = _levels(nmc, ccodes, fit_years)
    n_p = len(ccodes) + 1
    b, se, sd = np.zeros((n_p, 6)), np.zeros((n_p, 6)), np.zeros((n_p, 6))
    yrs = np.asarray(list(fit_years))
    for i in range(n_p):
        for k in range(6):
            b[i, k], se[i, k], sd[i, k] = _trend(hist[:, i, k], yrs)
    base_levels = np.nan_to_num(_levels(nmc, ccodes, range(base, base + 1))[0])
    n_years = end - base
    slope = b + se * rng.standard_normal((n_draws, n_p, 6))
    growth = np.expm1(slope)
    proj = projection.project(base_levels, growth, n_years, shock_sd=sd, rng=rng)["cinc"]
    det = projection.project(base_levels, np.expm1(b)[None], n_years, rng=rng)["cinc"][0]
    years = np.arange(base, end + 1)
    rec = nmc[nmc.year.between(base, end)].pivot(index="year", columns="ccode", values="cinc")
    actual = pd.DataFrame({lab: rec[c] for c, lab in zip(ccodes, labels, strict=True)})
    actual["rest"] = 1.0 - actual.sum(axis=1)
    return Backtest([*labels, "rest"], years, proj, det, actual, np.expm1(b))


def compare(bt: Backtest, years: tuple[int, ...] = (2010, 2022), level: float = 0.9) -> list[dict]:
    """Projected median, interval and deterministic share beside the recorded share.

    ``persistence`` is the naive forecast (the base-year share carried forward).
    """
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for year in years:
        t = int(year - bt.years[0])
        for i, lab in enumerate(bt.labels):
            draws = bt.cinc[:, t, i]
            actual = float(bt.actual.loc[year, lab])
            q = np.quantile(draws, [lo, 0.5, hi])
            rows.append({
                "year": year, "power": lab, "actual": actual, "median": float(q[1]),
                "low": float(q[0]), "high": float(q[2]), "trend": float(bt.deterministic[t, i]),
                "error": float(q[1] - actual), "covered": bool(q[0] <= actual <= q[2]),
                "persistence": float(bt.actual.loc[bt.years[0], lab]),
            })
    return rows


def overtaking_year(bt: Backtest, challenger: str, dominant: str) -> dict:
    """When the challenger first passes the dominant power: projected vs recorded."""
    i, j = bt.labels.index(challenger), bt.labels.index(dominant)
    ahead = bt.cinc[:, :, i] >= bt.cinc[:, :, j]
    hit = ahead.any(axis=1)
    first = np.where(hit, ahead.argmax(axis=1), -1)
    rec = (bt.actual[challenger] >= bt.actual[dominant]).to_numpy()
    rec_years = bt.actual.index.to_numpy()
    det = bt.deterministic[:, i] >= bt.deterministic[:, j]
    return {
        "p_by_end": float(hit.mean()),
        "median_year": float(np.median(bt.years[first[hit]])) if hit.any() else None,
        "q05_year": float(np.quantile(bt.years[first[hit]], 0.05)) if hit.any() else None,
        "q95_year": float(np.quantile(bt.years[first[hit]], 0.95)) if hit.any() else None,
        "trend_year": int(bt.years[det.argmax()]) if det.any() else None,
        "recorded_first": int(rec_years[rec.argmax()]) if rec.any() else None,
        "recorded_lasting": _lasting(rec, rec_years),
    }


def _lasting(ahead: np.ndarray, years: np.ndarray) -> int | None:
    """First year from which the challenger stays ahead to the end of the record."""
    if not ahead[-1]:
        return None
    behind = np.where(~ahead)[0]
    return int(years[behind[-1] + 1]) if behind.size else int(years[0])

"""Estimate the transition hazard (equation 5 of :mod:`.transition`) on COW dyad-years.

Sample construction (documented in ``docs/validation/structure.md``):

- Units: undirected dyads of two states that both hold major-power status in year ``t``
  (``cow_major_powers``; a year counts if any part of it is inside a status period),
  ``t`` from 1817 (CINC is lagged a year; NMC starts 1816) to 2007 (the span of COW
  inter-state war data v4.0; the dyad-year
  file's last onset is 2003, and its major-power list runs to 2016).
- Outcome: ``onset = 1`` when the inter-state war dyad-years file records a war onset
  (``cowinteronset == 1``) between the two states, on opposite sides, in ``t``. Years in
  which the two are already at war without a new onset are dropped (not at risk).
- Covariates, from CINC at ``t - 1`` (lagged so that wartime mobilisation does not
  measure itself): ``ratio = max(c_a, c_b) / min(c_a, c_b)`` and ``abs_log_ratio = log
  ratio``; ``parity = ratio <= 1.25`` (the weaker has at least 80 % of the stronger,
  Organski & Kugler 1980); ``overtaking = 1`` when the stronger of the two changed
  between ``t - 1 - w`` and ``t - 1`` (``w = 10`` years; Houweling & Siccama 1988 and
  de Soysa, Oneal & Park 1997 use windows of this kind); ``peace_years`` since the
  dyad's last war (or since 1816), with its square and cube (Carter & Signorino 2010).
- Estimator: logit, standard errors clustered on the dyad (statsmodels).

The estimator takes data frames and returns numbers; reading the files is the job of
:mod:`polemos.datasets.capabilities` and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from polemos.models.structure.transition import PARITY_BAND

FIRST_YEAR, LAST_YEAR = 1816, 2007


def dyad_years(
    nmc: pd.DataFrame,
    major_years: pd.DataFrame,
    wars: pd.DataFrame,
    *,
    window: int = 10,
    first: int = FIRST_YEAR,
    last: int = LAST_YEAR,
) -> pd.DataFrame:
    """Build the major-power dyad-year sample described in the module docstring.

    ``nmc`` needs ``ccode, year, cinc``; ``major_years`` ``ccode, year`` (one row per
    state-year of major-power status); ``wars`` the COW war dyad-years columns
    ``ccode1, ccode2, year, cowinteronset, warnum``.
    """
    cinc = nmc.pivot(index="year", columns="ccode", values="cinc")
    status = major_years[(major_years.year >= first) & (major_years.year <= last)]
    rows = []
    for year, group in status.groupby("year"):
        for a, b in combinations(sorted(group.ccode), 2):
            rows.append((int(a), int(b), int(year)))
    df = pd.DataFrame(rows, columns=["ccode_a", "ccode_b", "year"])

    w = wars[wars.ccode1 < wars.ccode2]
    onset = set(map(tuple, w.loc[w.cowinteronset == 1, ["ccode1", "ccode2", "year"]].to_numpy()))
    at_war = set(map(tuple, w[["ccode1", "ccode2", "year"]].to_numpy()))
    keys = list(zip(df.ccode_a, df.ccode_b, df.year, strict=True))
    df["onset"] = [int(k in onset) for k in keys]
    ongoing = np.array([k in at_war and k not in onset for k in keys])
    df = df[~ongoing].copy()

    def lagged(code: int, year: int, lag: int) -> float:
        y = year - lag
        if y not in cinc.index or code not in cinc.columns:
            return np.nan
        return float(cinc.at[y, code])

    ca = np.array([lagged(a, t, 1) for a, t in zip(df.ccode_a, df.year, strict=True)])
    cb = np.array([lagged(b, t, 1) for b, t in zip(df.ccode_b, df.year, strict=True)])
    df["cinc_a"], df["cinc_b"] = ca, cb
    df = df[(df.cinc_a > 0) & (df.cinc_b > 0)].copy()
    df["ratio"] = np.maximum(df.cinc_a, df.cinc_b) / np.minimum(df.cinc_a, df.cinc_b)
    df["abs_log_ratio"] = np.log(df.ratio)
    df["parity"] = (df.ratio <= PARITY_BAND).astype(int)
    df["overtaking"] = [
        int(_lead_changed(cinc, a, b, t - 1, window))
        for a, b, t in zip(df.ccode_a, df.ccode_b, df.year, strict=True)
    ]
    df["peace_years"] = _peace_years(df, wars, first)
    df["transition"] = df.parity * df.overtaking
    df["post1945"] = (df.year >= 1946).astype(int)
    df["leader"] = _leader_dyad(df, cinc, status)
    return df.reset_index(drop=True)


def _leader_dyad(df: pd.DataFrame, cinc: pd.DataFrame, status: pd.DataFrame) -> np.ndarray:
    """1 where one side is the strongest major power (by CINC at ``t - 1``) of year ``t``."""
    leader: dict[int, int] = {}
    for year, group in status.groupby("year"):
        if year - 1 in cinc.index:
            values = cinc.loc[year - 1, [c for c in group.ccode if c in cinc.columns]]
            leader[int(year)] = int(values.idxmax())
    return np.array(
        [int(leader.get(t) in (a, b)) for a, b, t in zip(df.ccode_a, df.ccode_b, df.year, strict=True)]
    )


def _lead_changed(cinc: pd.DataFrame, a: int, b: int, year: int, window: int) -> bool:
    """Whether the stronger of ``a`` and ``b`` differs somewhere within ``[year-window, year]``."""
    years = [y for y in range(year - window, year + 1) if y in cinc.index]
    lead = (cinc.loc[years, a] > cinc.loc[years, b]).to_numpy()
    valid = cinc.loc[years, [a, b]].notna().all(axis=1).to_numpy()
    lead = lead[valid]
    return bool(lead.size > 1 and lead.min() != lead.max())


def _peace_years(df: pd.DataFrame, wars: pd.DataFrame, first: int) -> np.ndarray:
    """Years since the dyad's last war year (any war between them), else since ``first``."""
    w = wars[wars.ccode1 < wars.ccode2]
    last_war: dict[tuple[int, int], list[int]] = {}
    for a, b, y in w[["ccode1", "ccode2", "year"]].itertuples(index=False):
        last_war.setdefault((int(a), int(b)), []).append(int(y))
    out = np.empty(len(df))
    for i, (a, b, t) in enumerate(zip(df.ccode_a, df.ccode_b, df.year, strict=True)):
        earlier = [y for y in last_war.get((a, b), []) if y < t]
        out[i] = t - (max(earlier) if earlier else first)
    return out


@dataclass
class LogitFit:
    """One fitted specification: coefficients, clustered intervals, odds ratios."""

    name: str
    terms: list[str]
    coef: dict[str, float]
    se: dict[str, float]
    ci: dict[str, tuple[float, float]]
    pvalue: dict[str, float]
    n: int
    events: int
    clusters: int
    cov: list[list[float]] = field(default_factory=list)

    def odds_ratio(self, term: str) -> tuple[float, float, float]:
        lo, hi = self.ci[term]
        return float(np.exp(self.coef[term])), float(np.exp(lo)), float(np.exp(hi))


def fit_logit(df: pd.DataFrame, terms: list[str], name: str, alpha: float = 0.05) -> LogitFit:
    """Logit of ``onset`` on ``terms`` with dyad-clustered standard errors."""
    import statsmodels.api as sm

    x = sm.add_constant(df[terms].astype(float), has_constant="add")
    groups = pd.factorize(df.ccode_a.astype(str) + "_" + df.ccode_b.astype(str))[0]
    model = sm.Logit(df["onset"].astype(float), x)
    res = model.fit(disp=0, maxiter=200, cov_type="cluster", cov_kwds={"groups": groups})
    names = ["intercept", *terms]
    params = dict(zip(names, res.params.to_numpy(), strict=True))
    bse = dict(zip(names, res.bse.to_numpy(), strict=True))
    ci_arr = res.conf_int(alpha).to_numpy()
    return LogitFit(
        name=name,
        terms=names,
        coef={k: float(v) for k, v in params.items()},
        se={k: float(v) for k, v in bse.items()},
        ci={k: (float(lo), float(hi)) for k, (lo, hi) in zip(names, ci_arr, strict=True)},
        pvalue={k: float(v) for k, v in zip(names, res.pvalues.to_numpy(), strict=True)},
        n=int(len(df)),
        events=int(df.onset.sum()),
        clusters=int(groups.max() + 1),
        cov=np.asarray(res.cov_params()).tolist(),
    )


SPECIFICATIONS: dict[str, list[str]] = {
    "parity": ["parity"],
    "parity_overtaking": ["parity", "overtaking"],
    "hazard": ["parity", "overtaking", "abs_log_ratio"],
    "hazard_peace_years": ["parity", "overtaking", "abs_log_ratio", "py", "py2", "py3"],
    "transition_interaction": ["parity", "overtaking", "transition"],
    "hazard_post1945": ["parity", "overtaking", "abs_log_ratio", "post1945"],
}
"""Named specifications; ``hazard`` is the one :mod:`.transition` simulates (eq. 5)."""


def fit_all(df: pd.DataFrame) -> dict[str, LogitFit]:
    """Fit every specification of :data:`SPECIFICATIONS` on the dyad-years ``df``.

    Also fits parity alone on the leader dyads (``leader_parity``: dyads with the
    strongest major power, the closest CINC analogue of the War Ledger's contenders; with
    about seven onsets there, richer specifications separate perfectly).
    """
    df = df.copy()
    scaled = df.peace_years / 10.0
    df["py"], df["py2"], df["py3"] = scaled, scaled**2, scaled**3
    fits = {name: fit_logit(df, terms, name) for name, terms in SPECIFICATIONS.items()}
    leader = df[df.leader == 1]
    if leader.onset.sum() >= 3:
        fits["leader_parity"] = fit_logit(leader, ["parity"], "leader_parity")
    return fits


def cross_table(df: pd.DataFrame) -> pd.DataFrame:
    """Dyad-years, onsets and onset rate by parity and overtaking (the War Ledger's 2x2)."""
    table = df.groupby(["parity", "overtaking"]).onset.agg(["count", "sum"]).reset_index()
    table = table.rename(columns={"count": "dyad_years", "sum": "onsets"})
    table["rate"] = table.onsets / table.dyad_years
    return table


def predicted(fit: LogitFit, values: dict[str, float], n_sim: int = 4000, seed: int = 0) -> dict[str, float]:
    """Predicted annual onset probability at ``values`` with a simulation interval."""
    beta = np.array([fit.coef[t] for t in fit.terms])
    cov = np.asarray(fit.cov)
    x = np.array([1.0] + [values.get(t, 0.0) for t in fit.terms[1:]])
    draws = np.random.default_rng(seed).multivariate_normal(beta, cov, size=n_sim)
    p = 1.0 / (1.0 + np.exp(-(draws @ x)))
    point = 1.0 / (1.0 + np.exp(-(beta @ x)))
    return {"p": float(point), "low": float(np.quantile(p, 0.025)), "high": float(np.quantile(p, 0.975))}

"""Calibrating escalation hazards on crises: an ordinal model of a crisis's highest violence.

Arrays in, arrays out (the ICB loader lives in :mod:`polemos.datasets.crises`).

Model: the ordered (cumulative) logit of McCullagh (1980), "Regression models for ordinal
data", JRSS B 42(2):109-142, eq. (2.4)::

    P(Y >= k | x) = sigma(x'beta - tau_{k-1}),   k = 1..K-1,  tau_0 < ... < tau_{K-2}

fitted by maximum likelihood (statsmodels ``OrderedModel``). Scores: the Brier score
summed over categories (Brier 1950), the logarithmic score (Good 1952) and the ranked
probability score for ordered categories (Epstein 1969), each against climatology (the
training fold's base rates); skill ``1 - S_model / S_climatology``.

Mapping to the ladder: for a crisis of ``W`` weeks whose fitted probabilities of reaching
violence levels 1..K-1 are ``p_k = P(Y >= k)``, :func:`weekly_hazards` finds the constant
weekly hazards ``h_k`` of a pure-birth chain 0 -> 1 -> ... -> K-1 (one step up at most per
week, the step k-1 -> k taken with probability ``h_k`` while at k-1) whose probability of
having reached ``k`` after ``W`` weeks equals ``p_k``. The hazards are what the escalation
ladder's unintended-step and decision terms are set from (``docs/validation/escalation.md``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

LEVELS = 4


@dataclass(frozen=True)
class OrderedLogitFit:
    """``beta`` (p,), ``cuts`` (K-1,) increasing, ``se`` (p + K-1,) standard errors of
    ``beta`` then of the cut points, ``loglik`` at the optimum, ``n`` observations."""

    beta: np.ndarray
    cuts: np.ndarray
    se: np.ndarray
    loglik: float
    n: int

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return ordered_logit_proba(X, self.beta, self.cuts)


def ordered_logit_proba(X: np.ndarray, beta: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Category probabilities (n, K) of the ordered logit, ``P(Y >= k) = sigma(x'b - tau)``."""
    eta = np.asarray(X, float) @ np.asarray(beta, float)
    ge = expit(eta[:, None] - np.asarray(cuts, float)[None, :])  # P(Y >= k), k = 1..K-1
    upper = np.column_stack([np.ones_like(eta), ge])
    lower = np.column_stack([ge, np.zeros_like(eta)])
    return np.clip(upper - lower, 0.0, 1.0)


def fit_ordered_logit(X: np.ndarray, y: np.ndarray, levels: int = LEVELS) -> OrderedLogitFit:
    """Maximum-likelihood ordered logit of ``y`` (ints 0..levels-1) on ``X`` (no constant)."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    y = np.asarray(y, int)
    cat = np.asarray(y)
    model = OrderedModel(cat, np.asarray(X, float), distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(method="bfgs", disp=False, maxiter=2000)
    p = X.shape[1]
    params = np.asarray(res.params, float)
    cuts = model.transform_threshold_params(params)[1:-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bse = np.asarray(res.bse, float)
    return OrderedLogitFit(params[:p], np.asarray(cuts, float), bse, float(res.llf), len(y))


def fit_multinomial_logit(X: np.ndarray, y: np.ndarray, c: float = 1.0):
    """Multinomial logistic regression (L2, scikit-learn) on standardised ``X``; returns a
    fitted pipeline with ``predict_proba``. An unordered comparison for the ordered logit."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000)).fit(X, y)


def climatology(y: np.ndarray, levels: int = LEVELS) -> np.ndarray:
    """Base rates (K,) of ``y``."""
    return np.bincount(np.asarray(y, int), minlength=levels) / len(y)


def fold_ids(n: int, k: int, rng: np.random.Generator, y: np.ndarray | None = None) -> np.ndarray:
    """Fold index (n,) in 0..k-1; stratified by ``y`` when given."""
    folds = np.empty(n, int)
    if y is None:
        folds[rng.permutation(n)] = np.arange(n) % k
        return folds
    offset = 0
    for level in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == level))
        folds[idx] = (np.arange(len(idx)) + offset) % k
        offset += len(idx)
    return folds


def cross_validate(
    X: np.ndarray,
    y: np.ndarray,
    rng: np.random.Generator,
    k: int = 10,
    repeats: int = 1,
    model: str = "ordered",
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities (repeats, n, K) of ``model`` and of climatology.

    ``model`` is ``"ordered"`` (ordered logit) or ``"multinomial"``.
    """
    n = len(y)
    out = np.empty((repeats, n, LEVELS))
    clim = np.empty((repeats, n, LEVELS))
    for r in range(repeats):
        folds = fold_ids(n, k, rng, y)
        for f in range(k):
            test, train = folds == f, folds != f
            if model == "ordered":
                out[r, test] = fit_ordered_logit(X[train], y[train]).predict_proba(X[test])
            else:
                proba = fit_multinomial_logit(X[train], y[train]).predict_proba(X[test])
                out[r, test] = proba
            clim[r, test] = climatology(y[train])
    return out, clim


def brier(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Multi-category Brier score per case: ``sum_k (p_k - 1[y = k])^2`` (0 best, 2 worst)."""
    onehot = np.eye(p.shape[-1])[np.asarray(y, int)]
    return ((p - onehot) ** 2).sum(-1)


def log_score(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Negative log probability of the outcome, per case (lower is better)."""
    idx = np.broadcast_to(np.asarray(y, int), p.shape[:-1])[..., None]
    py = np.take_along_axis(p, idx, -1)[..., 0]
    return -np.log(np.clip(py, 1e-12, 1.0))


def rps(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Ranked probability score per case (Epstein 1969): squared cumulative differences."""
    onehot = np.eye(p.shape[-1])[np.asarray(y, int)]
    return ((np.cumsum(p, -1) - np.cumsum(onehot, -1)) ** 2)[..., :-1].sum(-1)


SCORES = {"brier": brier, "log": log_score, "rps": rps}


def skill_with_interval(
    p_model: np.ndarray,
    p_ref: np.ndarray,
    y: np.ndarray,
    rng: np.random.Generator,
    score: str = "brier",
    n_boot: int = 2000,
    level: float = 0.90,
) -> dict[str, float]:
    """Skill ``1 - mean S(model) / mean S(ref)`` with a paired bootstrap interval over cases.

    ``p_model``/``p_ref`` (n, K) or (repeats, n, K) (averaged over repeats per case).
    """
    fn = SCORES[score]
    s_m = fn(p_model, y).reshape(-1, len(y)).mean(0)
    s_r = fn(p_ref, y).reshape(-1, len(y)).mean(0)
    idx = rng.integers(0, len(y), size=(n_boot, len(y)))
    boot = 1.0 - s_m[idx].mean(1) / s_r[idx].mean(1)
    a = (1 - level) / 2
    return {
        "model": float(s_m.mean()),
        "reference": float(s_r.mean()),
        "skill": float(1.0 - s_m.mean() / s_r.mean()),
        "low": float(np.quantile(boot, a)),
        "high": float(np.quantile(boot, 1 - a)),
    }


def reliability_table(p_event: np.ndarray, event: np.ndarray, bins: int = 5) -> list[dict]:
    """Calibration of a binary forecast: quantile bins of ``p_event`` with the mean forecast,
    the observed frequency and its binomial standard error per bin."""
    p_event = np.asarray(p_event, float).ravel()
    event = np.asarray(event, float).ravel()
    edges = np.quantile(p_event, np.linspace(0, 1, bins + 1))
    which = np.clip(np.searchsorted(edges, p_event, side="right") - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        m = which == b
        if not m.any():
            continue
        obs = float(event[m].mean())
        rows.append({
            "bin": b + 1,
            "n": int(m.sum()),
            "forecast": float(p_event[m].mean()),
            "observed": obs,
            "se": float(np.sqrt(obs * (1 - obs) / m.sum())),
        })
    return rows


def reach_probabilities(p: np.ndarray) -> np.ndarray:
    """``P(Y >= k)`` for k = 1..K-1 from category probabilities (..., K)."""
    return np.flip(np.cumsum(np.flip(p, -1), -1), -1)[..., 1:]


def chain_reach(h: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """For the pure-birth chain with weekly step hazards ``h`` (n, K-1), the probability
    (n, K-1) of having reached each level 1..K-1 after ``weeks`` (n,) weeks, from level 0."""
    n, km1 = h.shape
    dist = np.zeros((n, km1 + 1))
    dist[:, 0] = 1.0
    out = np.zeros((n, km1))
    w = np.asarray(weeks, int)
    for t in range(1, int(w.max()) + 1):
        move = dist[:, :-1] * h
        dist[:, :-1] -= move
        dist[:, 1:] += move
        done = w == t
        if done.any():
            out[done] = np.flip(np.cumsum(np.flip(dist[done], -1), -1), -1)[:, 1:]
    return out


def weekly_hazards(p_reach: np.ndarray, weeks: np.ndarray, iters: int = 50) -> np.ndarray:
    """Constant weekly hazards (n, K-1) of the pure-birth chain reproducing ``p_reach``.

    ``p_reach`` (n, K-1): ``P(Y >= k)``, non-increasing in k. Solved level by level by
    bisection (the reach probability of level k is increasing in ``h_k`` given the lower
    hazards); a target the chain cannot reach within ``weeks`` gives hazard 1.
    """
    p_reach = np.asarray(p_reach, float)
    n, km1 = p_reach.shape
    h = np.zeros((n, km1))
    for k in range(km1):
        lo, hi = np.zeros(n), np.ones(n)
        for _ in range(iters):
            mid = 0.5 * (lo + hi)
            h[:, k] = mid
            got = chain_reach(h[:, : k + 1], weeks)[:, k]
            high = got > p_reach[:, k]
            hi = np.where(high, mid, hi)
            lo = np.where(high, lo, mid)
        h[:, k] = 0.5 * (lo + hi)
    return h

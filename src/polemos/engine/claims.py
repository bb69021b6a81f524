"""The claims ledger: each claim's value, interval, verdict and its three main drivers.

A claim is a proposition over the whole run (``P(world_war) > P(russia_climbdown)``).
It is evaluated by :func:`polemos.scenario.expr.evaluate` with a matrix of draw weights:

* **value**: uniform weights (every draw counts once);
* **bootstrap**: ``B`` multinomial resamples of the draws (rows of weights summing to 1);
  the share of resamples in which the claim holds gives the verdict:

  ============  ==========  ==================================================
  confidence    level c     verdict
  ============  ==========  ==================================================
  certain       0.99        supported if it holds in >= c of resamples,
  very_likely   0.95        contradicted if it holds in <= 1 - c,
  likely        0.90        undecided otherwise
  about_even    0.75
  unlikely      0.75        (a weakly held claim is judged at a lower bar)
  very_unlikely 0.75
  ============  ==========  ==================================================

* **margin**: a continuous score that is positive when the claim holds (for a comparison
  ``a > b`` it is ``a - b``; chains take the smallest link; ``and`` the minimum, ``or`` the
  maximum, ``not`` the negative), reported with its bootstrap interval;
* **drivers**: for each uncertain input, the margin among the draws where the input is
  above its median minus the margin where it is below (weights restricted to each half);
  the three largest in absolute value are the assumptions that move the claim most.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from polemos.engine import expressions as X

LEVELS = {
    "certain": 0.99, "very_likely": 0.95, "likely": 0.90,
    "about_even": 0.75, "unlikely": 0.75, "very_unlikely": 0.75,
}
DEFAULT_LEVEL = 0.90
N_BOOT = 200


def level_of(confidence: Any) -> float:
    return LEVELS.get(str(getattr(confidence, "value", confidence)), DEFAULT_LEVEL)


def verdict(holds_share: float, level: float) -> str:
    """``supported`` / ``contradicted`` / ``undecided`` at level ``level``."""
    if holds_share >= level:
        return "supported"
    if holds_share <= 1.0 - level:
        return "contradicted"
    return "undecided"


def bootstrap_weights(n: int, b: int, rng: np.random.Generator) -> np.ndarray:
    """``(b, n)`` multinomial resampling weights, each row summing to one."""
    return rng.multinomial(n, np.full(n, 1.0 / n), size=b).astype(float) / n


def margin(tree: Any, env: Any, weights: np.ndarray) -> np.ndarray:
    """A score positive where the claim holds, per weight row (see the module doc)."""
    from polemos.scenario.expr import ast as A

    if isinstance(tree, A.Compare):
        links = []
        for left, op, right in tree.pairs():
            a, b = _side(left, env, weights), _side(right, env, weights)
            if op in (">", ">="):
                links.append(a - b)
            elif op in ("<", "<="):
                links.append(b - a)
            elif op == "==":
                links.append(-np.abs(a - b))
            else:
                links.append(np.abs(a - b))
        return np.min(links, axis=0)
    if isinstance(tree, A.BinOp) and tree.op in ("and", "or"):
        a, b = margin(tree.left, env, weights), margin(tree.right, env, weights)
        return np.minimum(a, b) if tree.op == "and" else np.maximum(a, b)
    if isinstance(tree, A.Not):
        return -margin(tree.operand, env, weights)
    value = X.evaluate(tree, env, weights).astype(float)
    return value - 0.5 if tree_is_boolean(tree) else value


def _side(tree: Any, env: Any, weights: np.ndarray) -> np.ndarray:
    """One side of a comparison: per weight row for a reduction, else a constant."""
    from polemos.scenario.expr import is_claim

    if is_claim(tree):
        return X.evaluate(tree, env, weights).astype(float)
    return np.asarray(X.evaluate(tree, env), dtype=float)


def tree_is_boolean(tree: Any) -> bool:
    from polemos.scenario.expr import ast as A

    return isinstance(tree, A.Compare | A.Not | A.Bool) or (
        isinstance(tree, A.BinOp) and tree.op in ("and", "or")
    )


def _interval(x: np.ndarray) -> tuple[float, float]:
    lo, hi = np.quantile(x, [0.05, 0.95])
    return float(lo), float(hi)


def evaluate_claim(claim: Any, env: Any, n: int, boot: np.ndarray,
                   params: dict[str, np.ndarray]) -> dict[str, Any]:
    """One row of the ledger (never raises: a failing claim reports its error)."""
    level = level_of(claim.confidence)
    row: dict[str, Any] = {
        "id": claim.id, "text": claim.text, "source": claim.source, "expr": claim.expr,
        "confidence": str(getattr(claim.confidence, "value", claim.confidence)),
        "level": level, "draws": n,
    }
    try:
        tree = X.parse(claim.expr)
        uniform = np.full((1, n), 1.0 / n)
        value = X.evaluate(tree, env, uniform).astype(float)[0]
        holds = X.evaluate(tree, env, boot).astype(float) > 0.5
        share = float(holds.mean())
        m0 = float(margin(tree, env, uniform)[0])
        mb = margin(tree, env, boot)
        row.update(value=float(value), holds=bool(value > 0.5) if tree_is_boolean(tree) else None,
                   holds_share=share, margin=m0, margin_interval=_interval(mb),
                   verdict=verdict(share, level) if tree_is_boolean(tree) else "n/a",
                   drivers=drivers(tree, env, n, params))
    except Exception as exc:  # noqa: BLE001 - shown in the ledger, never a traceback
        row.update(value=None, holds=None, holds_share=None, margin=None,
                   margin_interval=None, verdict="error", drivers=[],
                   error=f"{type(exc).__name__}: {exc}")
    return row


def drivers(tree: Any, env: Any, n: int, params: dict[str, np.ndarray], top: int = 3
            ) -> list[dict[str, Any]]:
    """The ``top`` inputs whose upper half vs lower half moves the margin most."""
    names, rows = [], []
    for name, values in params.items():
        med = np.median(values)
        high = values > med
        if high.all() or not high.any():
            continue
        for mask in (~high, high):
            rows.append(mask / mask.sum())
        names.append(name)
    if not names:
        return []
    m = margin(tree, env, np.array(rows))
    effects = m[1::2] - m[0::2]
    order = np.argsort(-np.abs(effects), kind="stable")[:top]
    return [{"parameter": names[i], "effect": float(effects[i]),
             "margin_low": float(m[2 * i]), "margin_high": float(m[2 * i + 1])}
            for i in order if abs(effects[i]) > 1e-12]  # a claim no input moves has none


def ledger(claims: list[Any], columns: dict[str, np.ndarray], params: dict[str, np.ndarray],
           rng: np.random.Generator) -> list[dict[str, Any]]:
    """The one-level ledger of every claim over the recorded observables ``columns``
    (a bootstrap over draws; :mod:`polemos.engine.ledger` judges claims by worlds)."""
    if not claims:
        return []
    n = len(next(iter(columns.values()))) if columns else 0
    if n == 0:
        return [evaluate_claim(c, X.TableEnv({}), 1, np.ones((1, 1)), {}) for c in claims]
    env = X.TableEnv(columns)
    boot = bootstrap_weights(n, N_BOOT, rng)
    return [evaluate_claim(c, env, n, boot, params) for c in claims]


def needed(tree: Any) -> set[tuple[str, dt.date | None]]:
    """The ``(name, date)`` pairs a tree reads in the main arm (``by`` dates apply
    inside; innermost wins). Names under ``without`` are read in counterfactual arms:
    see :func:`needed_arms`."""
    return needed_arms(tree).get(frozenset(), set())


def needed_arms(tree: Any) -> dict[frozenset[str], set[tuple[str, dt.date | None]]]:
    """Arm (``frozenset()`` for the main arm, else the ``without`` ids) -> the
    ``(name, date)`` pairs the tree reads in it."""
    from polemos.scenario.expr import lookups

    out: dict[frozenset[str], set[tuple[str, dt.date | None]]] = {}
    for name, at, without in lookups(tree):
        out.setdefault(without, set()).add((name, at))
    return out

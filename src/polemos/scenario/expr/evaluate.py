"""Evaluation of expressions over Monte Carlo draws.

An *outcome* (no P, E or Q) is evaluated per draw: it returns an array ``(n_draws,)``.
A *claim* (with P, E or Q) reduces the draws with a weight matrix ``W`` of shape
``(B, n_draws)`` whose rows sum to 1 (``None``: one uniform row) and returns ``(B,)``,
one value per bootstrap resample::

    P(c) = W @ c          (c as 0/1)
    E(x) = W @ x
    Q(x, q)[b] = min{ x_i : sum of W[b, j] over x_j <= x_i >= q, W[b, i] > 0 }
                 (the weighted "inverted CDF" quantile; numpy's method='inverted_cdf')

``(... by DATE)`` reads every name inside it at that date (``Env.value(name, at=DATE)``);
an inner ``by`` wins over an outer one; names outside any ``by`` are read with ``at=None``
(the end of the run).

``(... without ID, ...)`` reads every name inside it in the counterfactual run in which
those economy measures and events are switched off: ``Env.value(name, at, without=ids)``
(a frozenset; an inner ``without`` wins over an outer one). Without any ``without`` the
call is ``Env.value(name, at)``, so environments that know no counterfactual still work.

Conventions: arithmetic is in float; division by zero gives nan (never ±inf); a number
used as a condition is true when non-zero and not nan; every comparison involving nan is
false (``!=`` included); min/max propagate nan; Q over nan values may return nan.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

import numpy as np

from polemos.scenario.errors import did_you_mean
from polemos.scenario.expr.ast import (
    BinOp,
    Bool,
    By,
    Call,
    Compare,
    DateLit,
    Expr,
    Name,
    Neg,
    Num,
    Without,
)
from polemos.scenario.expr.ast import Not as NotNode
from polemos.scenario.expr.errors import ExprEvalError
from polemos.scenario.expr.parser import parse

_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


@runtime_checkable
class Env(Protocol):
    """Where names get their per-draw values."""

    def value(self, name: str, at: datetime.date | None) -> np.ndarray:
        """Values of ``name`` at date ``at`` (None: end of run), shape ``(n_draws,)``.

        Environments of claims with ``without`` also take ``without=frozenset(ids)``.
        """
        ...


class DictEnv:
    """An :class:`Env` from a mapping name -> array, or name -> ``f(at) -> array``.

    A plain array has the same value at every date. ``n_draws`` (given, or taken from
    the first plain array) lets an outcome without names still return ``(n_draws,)``.
    """

    def __init__(
        self,
        values: Mapping[str, np.ndarray | Callable[[datetime.date | None], np.ndarray]],
        n_draws: int | None = None,
        counterfactuals: Mapping[frozenset[str], Mapping[str, object]] | None = None,
    ):
        self.values = dict(values)
        self.counterfactuals = {frozenset(k): v for k, v in (counterfactuals or {}).items()}
        if n_draws is None:
            arrays = [v for v in self.values.values() if not callable(v)]
            n_draws = len(np.asarray(arrays[0])) if arrays else None
        self.n_draws = n_draws

    def value(
        self, name: str, at: datetime.date | None, without: frozenset[str] = frozenset()
    ) -> np.ndarray:
        values = self.values
        if without:
            if frozenset(without) not in self.counterfactuals:
                ids = ", ".join(sorted(without))
                raise ExprEvalError(f"no counterfactual run without {ids}")
            values = self.counterfactuals[frozenset(without)]  # type: ignore[assignment]
        if name not in values:
            hint = did_you_mean(name, values)
            raise ExprEvalError(f"unknown name {name!r}" + (f": {hint}" if hint else ""))
        v = values[name]
        return np.asarray(v(at) if callable(v) else v)


_CLAIMS: dict[int, tuple[Expr, bool]] = {}
"""is_claim of the trees seen, by id (the tree kept with it, so the id stays its own):
an outcome is evaluated every week of every block (issue 15)."""


def is_claim(expr: Expr) -> bool:
    """True when the expression uses P, E or Q (and so reduces over draws)."""
    seen = _CLAIMS.get(id(expr))
    if seen is not None and seen[0] is expr:
        return seen[1]
    claim = any(isinstance(n, Call) and n.reduces for n in expr.walk())
    if len(_CLAIMS) >= 4096:
        _CLAIMS.clear()
    _CLAIMS[id(expr)] = (expr, claim)
    return claim


def variables(expr: Expr) -> frozenset[tuple[str, datetime.date | None]]:
    """The ``(name, at)`` look-ups that evaluating ``expr`` makes (``at`` from ``by``)."""
    out = set()
    stack: list[tuple[Expr, datetime.date | None]] = [(expr, None)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, Name):
            out.add((node.name, at))
        inner = node.date if isinstance(node, By) else at
        stack.extend((child, inner) for child in node.children())
    return frozenset(out)


def lookups(
    expr: Expr,
) -> frozenset[tuple[str, datetime.date | None, frozenset[str]]]:
    """The ``(name, at, without)`` look-ups evaluating ``expr`` makes (innermost wins)."""
    out = set()
    stack: list[tuple[Expr, datetime.date | None, frozenset[str]]] = [(expr, None, frozenset())]
    while stack:
        node, at, wo = stack.pop()
        if isinstance(node, Name):
            out.add((node.name, at, wo))
        inner = node.date if isinstance(node, By) else at
        inner_wo = frozenset(node.ids) if isinstance(node, Without) else wo
        stack.extend((child, inner, inner_wo) for child in node.children())
    return frozenset(out)


# dtype kinds: "f" floating, "M" datetime64, "b" bool, "iu" integers, "c" complex
def _missing(x: np.ndarray) -> np.ndarray:
    kind = x.dtype.kind
    if kind == "f":
        return np.isnan(x)
    if kind == "M":
        return np.isnat(x)
    return np.zeros(x.shape, dtype=bool)


def _num(x: np.ndarray) -> np.ndarray:
    if x.dtype.kind == "M":
        raise ExprEvalError("a date was used as a number")
    return x.astype(float)


def _truth(x: np.ndarray) -> np.ndarray:
    if x.dtype == bool:
        return x
    return (_num(x) != 0) & ~_missing(x)


def weighted_quantile(x: np.ndarray, weights: np.ndarray, q: float) -> np.ndarray:
    """Inverted-CDF quantile of ``x`` (n,) under each row of ``weights`` (B, n) -> (B,).

    Grouped: ``x`` (G, K) and ``weights`` (G, B, K) -> (G, B), one quantile per group."""
    if x.ndim == 2:
        order = np.argsort(x, axis=1, kind="stable")
        xs = np.take_along_axis(x, order, axis=1)
        w = np.take_along_axis(weights, order[:, None, :], axis=2)
        reached = (np.cumsum(w, axis=2) >= q - 1e-12) & (w > 0)
        idx = np.argmax(reached, axis=2)
        return np.take_along_axis(xs, idx, axis=1)
    order = np.argsort(x, kind="stable")
    w = weights[:, order]
    reached = (np.cumsum(w, axis=1) >= q - 1e-12) & (w > 0)
    return x[order][np.argmax(reached, axis=1)]


class CheckedWeights:
    """A weight matrix checked once (finite, not negative, rows summing to 1), to evaluate
    many expressions with: :func:`evaluate` takes it in place of the array and does not
    check it again (the claims ledger evaluates every claim's sides with the same
    matrices; issue 15). The array must not be changed afterwards."""

    __slots__ = ("array", "groups", "n_draws")

    def __init__(self, weights: np.ndarray):
        self.groups: tuple[int, int] | None = None
        w = np.asarray(weights, dtype=float)
        w = w[None, :] if w.ndim == 1 else w
        if w.ndim == 3 and w.shape[0] > 0 and w.shape[2] > 0:
            if not np.all(np.isfinite(w)) or np.any(w < 0):
                raise ExprEvalError("weights must be finite and not negative")
            if np.any(np.abs(w.sum(axis=2) - 1) > 1e-8):
                raise ExprEvalError("each row of grouped weights must sum to 1")
            self.groups = (w.shape[0], w.shape[2])
            self.n_draws: int = w.shape[0] * w.shape[2]
            self.array = w
            return
        if w.ndim != 2 or w.shape[1] == 0:
            raise ExprEvalError(f"weights must have shape (B, n_draws), got {w.shape}")
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise ExprEvalError("weights must be finite and not negative")
        sums = w.sum(axis=1)
        bad = np.flatnonzero(np.abs(sums - 1) > 1e-8)
        if bad.size:
            raise ExprEvalError(
                f"each row of weights must sum to 1; row {bad[0]} sums to {sums[bad[0]]}"
            )
        self.n_draws = w.shape[1]
        self.array = w


class _Evaluator:
    def __init__(self, env: Env, weights: np.ndarray | CheckedWeights | None, claim: bool):
        self.env = env
        self.claim = claim
        self.n_draws: int | None = None
        self.groups: tuple[int, int] | None = None
        self.weights = None if weights is None else self._check_weights(weights)
        self.cache: dict[tuple[str, datetime.date | None, frozenset[str]], np.ndarray] = {}
        self.without: frozenset[str] = frozenset()

    def _check_weights(self, weights: np.ndarray | CheckedWeights) -> np.ndarray:
        checked = weights if isinstance(weights, CheckedWeights) else CheckedWeights(weights)
        self.groups, self.n_draws = checked.groups, checked.n_draws
        return checked.array

    def W(self, n: int) -> np.ndarray:
        if self.weights is None:
            self.weights = np.full((1, n), 1.0 / n)
        return self.weights

    def lookup(self, node: Name, at: datetime.date | None) -> np.ndarray:
        key = (node.name, at, self.without)
        if key not in self.cache:
            if self.without:
                x = np.asarray(self.env.value(node.name, at, without=self.without))  # type: ignore[call-arg]
            else:
                x = np.asarray(self.env.value(node.name, at))
            if x.ndim != 1 or x.dtype.kind not in "biufcmM":  # bool, number or date
                raise ExprEvalError(
                    f"{node.name!r} must be a 1-d array of numbers or booleans, got {x.dtype}{x.shape}"
                )
            if self.n_draws is None:
                self.n_draws = len(x)
            elif len(x) != self.n_draws:
                raise ExprEvalError(f"{node.name!r} has {len(x)} draws, expected {self.n_draws}")
            if self.groups is not None:  # (worlds, paths): one row of draws per group
                x = x.reshape(self.groups)
            self.cache[key] = x
        return self.cache[key]

    def ev(self, node: Expr, at: datetime.date | None, per_draw: bool) -> np.ndarray:
        if isinstance(node, Num | Bool):
            return np.asarray(node.value)
        if isinstance(node, DateLit):
            return np.asarray(np.datetime64(node.value, "D"))
        if isinstance(node, Name):
            if not per_draw:
                raise ExprEvalError(f"{node.name!r} is outside P, E or Q in a claim")
            return self.lookup(node, at)
        if isinstance(node, By):
            return self.ev(node.operand, node.date, per_draw)
        if isinstance(node, Without):
            outer, self.without = self.without, frozenset(node.ids)
            try:
                return self.ev(node.operand, at, per_draw)
            finally:
                self.without = outer
        if isinstance(node, Neg):
            return -_num(self.ev(node.operand, at, per_draw))
        if isinstance(node, NotNode):
            return ~_truth(self.ev(node.operand, at, per_draw))
        if isinstance(node, BinOp):
            return self.binop(node, at, per_draw)
        if isinstance(node, Compare):
            return self.compare(node, at, per_draw)
        if isinstance(node, Call):
            return self.call(node, at, per_draw)
        raise TypeError(f"not an expression node: {node!r}")

    def binop(self, node: BinOp, at: datetime.date | None, per_draw: bool) -> np.ndarray:
        a = self.ev(node.left, at, per_draw)
        b = self.ev(node.right, at, per_draw)
        if node.op == "and":
            return _truth(a) & _truth(b)
        if node.op == "or":
            return _truth(a) | _truth(b)
        a, b = _num(a), _num(b)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        return np.where(b == 0, np.nan, a / np.where(b == 0, 1.0, b))

    def compare(self, node: Compare, at: datetime.date | None, per_draw: bool) -> np.ndarray:
        values = [self.ev(operand, at, per_draw) for operand in node.operands]
        result = np.asarray(True)
        for i, op in enumerate(node.ops):
            a, b = values[i], values[i + 1]
            try:
                pair = _COMPARE[op](a, b)
            except TypeError as exc:
                raise ExprEvalError(f"cannot compare with '{op}': {exc}") from None
            if op == "!=":  # nan != x holds in IEEE arithmetic; every other comparison
                pair = pair & ~_missing(a) & ~_missing(b)  # with nan or NaT is false
            result = result & pair
        return result

    def call(self, node: Call, at: datetime.date | None, per_draw: bool) -> np.ndarray:
        if node.reduces:
            if per_draw:
                where = "inside P, E or Q" if self.claim else "in an outcome"
                raise ExprEvalError(f"{node.func}(...) cannot be used {where}")
            return self.reduce(node, at)
        args = [_num(self.ev(arg, at, per_draw)) for arg in node.args]
        if node.func == "abs":
            return np.abs(args[0])
        fold = np.minimum if node.func == "min" else np.maximum
        return functools.reduce(fold, args)

    def reduce(self, node: Call, at: datetime.date | None) -> np.ndarray:
        x = self.ev(node.args[0], at, per_draw=True)
        x = _truth(x).astype(float) if node.func == "P" else _num(x)
        if x.ndim == 0:  # no names inside: the same value in every draw
            return np.full(self.rows(), float(x))
        w = self.W(len(x))
        if node.func == "Q":
            level = node.args[1]
            assert isinstance(level, Num)  # guaranteed by the parser and Call
            return weighted_quantile(x, w, level.value)
        if x.ndim == 2:
            return np.einsum("gbk,gk->gb", w, x)
        return w @ x

    def rows(self) -> tuple[int, ...]:
        """The shape of a claim's value: ``(B,)`` or, grouped, ``(G, B)``."""
        if self.weights is None:
            return (1,)
        return self.weights.shape[:2] if self.groups is not None else (self.weights.shape[0],)


def evaluate(expr: Expr | str, env: Env, weights: np.ndarray | CheckedWeights | None = None
             ) -> np.ndarray:
    """Evaluate ``expr``: an outcome per draw ``(n_draws,)``, a claim per resample ``(B,)``.

    A string is parsed first (:func:`polemos.scenario.expr.parse`).
    ``weights`` (B, n_draws), rows summing to 1, is used by P, E and Q only; a 1-d
    ``(n_draws,)`` is one row. Grouped weights ``(G, B, K)`` (``n_draws = G K``, draws
    in consecutive groups of ``K``, e.g. worlds of paths) give a claim per group and
    resample, ``(G, B)``. An outcome without names returns ``(env.n_draws,)`` when
    the environment has that attribute, otherwise a 0-d array. :class:`CheckedWeights`
    may stand for ``weights`` (checked once for many expressions).
    """
    if isinstance(expr, str):
        expr = parse(expr)
    claim = is_claim(expr)
    ev = _Evaluator(env, weights, claim)
    with np.errstate(all="ignore"):
        result = ev.ev(expr, None, per_draw=not claim)
    if claim:
        return np.array(np.broadcast_to(result, ev.rows()))
    n = ev.n_draws if ev.n_draws is not None else getattr(env, "n_draws", None)
    if result.ndim == 0 and n is not None:
        return np.full(n, result[()])
    return np.asarray(result)

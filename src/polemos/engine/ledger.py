"""The claims ledger by worlds: credence, decidability, conditions and drivers.

A run samples ``G`` worlds (vectors of the scenario's uncertain inputs) and ``K`` paths
per world (:mod:`polemos.engine.runner`). A claim is a proposition about the run's
probabilities and expectations, so it is judged **per world**, on
``P(. | world)`` and ``E(. | world)``, which separates the uncertainty of the inputs
(epistemic) from the randomness of events and combat (aleatory): two-dimensional Monte
Carlo (Frey 1992; Helton & Johnson 2011, *Reliab. Eng. Syst. Saf.* 96(9), 1034-1052;
US EPA, *RAGS 3A*, 2001, ch. 4).

**Within-world sampling error.** A world's ``K`` paths estimate its probabilities with
error, so a world is not counted as holding a claim on its point estimate. Each world
gets ``B`` Bayesian-bootstrap resamples of its paths (Dirichlet(1, ..., 1) weights;
Rubin 1981, *Ann. Statist.* 9(1)): for a single probability ``P(A | w)`` the resampled
value is Beta(k, K - k) distributed, the posterior of a binomial proportion, and the
same weights carry that posterior through any claim (comparisons, expectations,
quantiles, paired ``without`` arms). ``q_w`` is the share of resamples in which the
claim holds: the probability, given the paths seen, that it holds in world ``w``.

**Credence** is the design-weighted mean of ``q_w`` over worlds (equal weights for
plain, LHS and Sobol designs), with a 95% interval from resampling the worlds.
**Verdict** at the claim's level ``c`` (:data:`polemos.engine.claims.LEVELS`):
supported when credence >= c, contradicted when <= 1 - c, undecided otherwise.

**Decidability.** Input distributions can concentrate on any admissible world, so the
credences a claim can reach span ``[min_w q_w, max_w q_w]`` over the input box. The
claim is *decidable* when some admissible world shows it holding (``q >= 0.95``) and
another shows it failing (``q <= 0.05``): then the inputs, not chance, can carry its
credence from one verdict to the other. Otherwise it is *fixed*: an assumption of the
scenario or of the model, shown as such with what fixes it where that can be found.
The extremes are searched, not taken from noisy estimates: the sampled worlds where the
claim holds most and least, and two targeted corners (those worlds with the inputs
that move the claim most, by a linear fit of its per-world margin, pushed to the bounds
of their support in the direction that raises, or lowers, the margin) are simulated
again with :data:`CONFIRM_PATHS` fresh paths, and ``q`` is judged there (on the claim's
own four candidates, so that the largest of many noisy values is not taken for an
effect: a claim exactly at its threshold in every world is judged decidable in about
1% of runs). A claim not shown decidable by then has its ambiguous candidates (``q``
strictly between 0.05 and 0.95) simulated once more with :data:`REFINE_PATHS` fresh
paths, which replace the first 48: a world whose probability sits 0.1 from the claim's
bar cannot show which side it is on in 48 paths, so without this second look a claim
would be called fixed by Monte Carlo noise rather than by its inputs.

**Conditions** (scenario discovery; Bryant & Lempert 2010, *Technol. Forecast. Soc.
Change* 77, 34-49; Lempert, Bryant & Bankes 2008, RAND TR-388, who compare PRIM with
CART): a shallow classification tree (CART; Breiman et al. 1984) from scikit-learn,
depth 3, over the worlds' inputs, labelled by whether the claim holds (``q_w >= 0.5``);
each node is a box of at most three inputs, and the widest box with density >= 0.8 is
reported. Coverage is the share of holding worlds
in the box, density the share of the box's worlds that hold. (The EMA Workbench's PRIM
was tried first; its logging decorator inspects the call stack on every call and cost
seconds per claim, so the tree, which finds the same kind of box, is used.)

**Drivers**: among the inputs some model reads (:mod:`polemos.engine.reads`), the
difference in mean ``q_w`` between worlds above and below each input's median; the
three largest in absolute value, each with its *stability*, the share of resamples of
the worlds in which it is again among the three.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from polemos.engine import expressions as X
from polemos.engine.claims import level_of, margin, needed_arms, tree_is_boolean, verdict

N_DIRICHLET = 64
N_WORLD_BOOT = 400
N_STABILITY = 40
CONFIRM_PATHS = 48
REFINE_PATHS = 384
"""Paths of a second look at the re-simulated worlds that 48 paths left ambiguous."""
TOP_INPUTS = 5
EDGE = 0.001
"""Unit-sample bounds of a targeted corner (the 0.1% and 99.9% quantiles: the support's
ends for bounded distributions, far tails for unbounded ones)."""
MAX_CONDITIONS = 3
SURE_FAILS = 0.05
"""A re-simulated world shows the claim failing when ``q <= 0.05`` and holding when
``q >= 0.95`` (the claim's posterior probability of holding in that world)."""


@dataclass
class Worlds:
    """The per-world data a ledger needs: observables of ``G x K`` draws (world-major),
    the worlds' unit samples and input values, and which inputs a model reads."""

    columns: dict[str, np.ndarray]
    G: int
    K: int
    u: np.ndarray
    values: np.ndarray
    names: list[str]
    read: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)


def world_weights(G: int, K: int, B: int, rng: np.random.Generator) -> np.ndarray:
    """``(G, 1 + B, K)``: row 0 uniform (the point estimate), rows 1.. Dirichlet(1)."""
    w = np.empty((G, 1 + B, K))
    w[:, 0, :] = 1.0 / K
    if B:
        e = rng.standard_exponential((G, B, K))
        w[:, 1:, :] = e / e.sum(axis=2, keepdims=True)
    return w


def world_truth(tree: Any, env: Any, weights: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(q, m)`` per world: share of resamples in which the claim holds, point margin."""
    vals = X.evaluate(tree, env, weights)
    holds = vals.astype(float) > 0.5
    q = holds[:, 1:].mean(axis=1) if holds.shape[1] > 1 else holds[:, 0].astype(float)
    m = np.asarray(margin(tree, env, weights), dtype=float)[:, 0]
    return q, np.nan_to_num(m, nan=0.0)


def region(q: float, level: float) -> str:
    return verdict(float(q), level)


class _LinearFit:
    """The linear fit of a claim's per-world margin on the standardised usable inputs, its
    design factorised once for every claim of the ledger (the design is the same for all:
    one SVD instead of one least-squares solve per claim; issue 15).

    Least squares by the SVD with NumPy's ``lstsq`` cut-off (singular values below
    ``eps * max(M, N) * s_max`` dropped), computed on one BLAS thread: with more threads
    the factorisation is slower under load and its last bits depend on the number of
    threads, so a multi-core machine and a single-core one chose different corners in
    near-ties (tests/engine/test_ledger_fit.py).
    """

    def __init__(self, u: np.ndarray, usable: np.ndarray):
        self.cols = np.flatnonzero(usable)
        self.keep = np.zeros(self.cols.size, dtype=bool)
        if self.cols.size == 0 or len(u) < 3:
            return
        z = u[:, self.cols] - u[:, self.cols].mean(axis=0)
        sd = z.std(axis=0)
        self.keep = sd > 0
        if not self.keep.any():
            return
        a = np.column_stack([z[:, self.keep] / sd[self.keep], np.ones(len(u))])
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            self.U, s, self.Vt = np.linalg.svd(a, full_matrices=False)
        cutoff = np.finfo(float).eps * max(a.shape) * s.max(initial=0.0)
        self.inv = np.where(s > cutoff, 1.0 / np.where(s > 0, s, 1.0), 0.0)

    def coefficients(self, y: np.ndarray) -> np.ndarray:
        """Effect of each usable input (one standard deviation) on ``y``; 0 if constant."""
        coef = np.zeros(self.cols.size)
        if self.keep.any():
            coef[self.keep] = (self.Vt.T @ (self.inv * (self.U.T @ (y - y.mean()))))[:-1]
        return coef


def _top_inputs(m: np.ndarray, fit: _LinearFit) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the inputs with the largest linear effect on the margin, and signs."""
    if fit.cols.size == 0 or np.ptp(m) == 0 or len(m) < 3:
        return np.array([], dtype=int), np.array([])
    coef = fit.coefficients(m)
    order = np.argsort(-np.abs(coef), kind="stable")[:TOP_INPUTS]
    order = order[np.abs(coef[order]) > 0]
    return fit.cols[order], np.sign(coef[order])


def _corner(base: np.ndarray, idx: np.ndarray, signs: np.ndarray, up: bool) -> np.ndarray:
    row = base.copy()
    hi = (signs > 0) if up else (signs < 0)
    row[idx] = np.where(hi, 1.0 - EDGE, EDGE)
    return row


class WorldLedger:
    """Judge ``claims`` over ``worlds``; :meth:`targets` lists the worlds to simulate
    again, :meth:`finish` takes their observables and returns the ledger rows."""

    def __init__(self, claims: list[Any], worlds: Worlds, scenario: Any,
                 rng: np.random.Generator):
        self.claims, self.w, self.scenario, self.rng = claims, worlds, scenario, rng
        self.env = X.TableEnv(worlds.columns)
        self.weights = world_weights(worlds.G, worlds.K, N_DIRICHLET, rng)
        self._checked: Any = None
        self.usable = np.array([n in worlds.read for n in worlds.names], dtype=bool)
        self.fit = _LinearFit(worlds.u, self.usable) if worlds.u.ndim == 2 else None
        self.state: list[dict[str, Any]] = []
        rows = []
        for claim in claims:
            st: dict[str, Any] = {"claim": claim}
            try:
                st["tree"] = X.parse(claim.expr)
                st["boolean"] = tree_is_boolean(st["tree"])
                if st["boolean"] and worlds.G > 0:
                    if self._checked is None:  # checked once for every claim
                        self._checked = X.checked(self.weights)
                    st["q"], st["m"] = world_truth(st["tree"], self.env, self._checked)
                    targets = self._claim_targets(st["q"], st["m"])
                    st["rows"] = (len(rows), len(rows) + len(targets))
                    rows.extend(targets)
            except Exception as exc:  # noqa: BLE001 - reported in the ledger
                st["error"] = f"{type(exc).__name__}: {exc}"
            self.state.append(st)
        d = worlds.u.shape[1] if worlds.u.ndim == 2 else 0
        self.no_inputs = d == 0
        self._targets = (np.array(rows, dtype=float).reshape(len(rows), d) if d
                         else np.empty((0, 0)))

    def _claim_targets(self, q: np.ndarray, m: np.ndarray) -> list[np.ndarray]:
        u = self.w.u
        best = int(np.lexsort((m, q))[-1])
        worst = int(np.lexsort((-m, -q))[-1])
        idx, signs = _top_inputs(m, self.fit) if self.fit is not None else ([], [])
        idx, signs = np.asarray(idx, dtype=int), np.asarray(signs, dtype=float)
        rows = [u[best], u[worst]]
        if idx.size:
            rows += [_corner(u[best], idx, signs, True), _corner(u[worst], idx, signs, False)]
        return rows

    def targets(self) -> np.ndarray:
        """``(T, d)`` unit samples of the worlds to simulate with fresh paths."""
        return self._targets

    # -- the rows -----------------------------------------------------------------
    def finish(self, target_columns: dict[str, np.ndarray] | None, paths: int,
               refined: tuple[np.ndarray, dict[str, np.ndarray], int] | None = None,
               refine_rng: np.random.Generator | None = None) -> list[dict[str, Any]]:
        """The ledger, given the targeted worlds' observables (``T x paths`` draws) and,
        for the rows :meth:`ambiguous` named, their second look ``(rows, columns,
        paths)`` (its resampling weights from ``refine_rng``)."""
        tq = None
        if target_columns and len(self._targets):
            T = len(self._targets)
            tenv = X.TableEnv(target_columns)
            tw = world_weights(T, paths, N_DIRICHLET, self.rng)
            tq = (tenv, X.checked(tw))
            if refined is not None and len(refined[0]):
                rows, cols, k = refined
                rw = world_weights(len(rows), k, N_DIRICHLET,
                                   refine_rng if refine_rng is not None else self.rng)
                tq = (tenv, tq[1], (np.asarray(rows), X.TableEnv(cols), X.checked(rw)))
        return [self._row(st, tq, target_columns) for st in self.state]

    def ambiguous(self, target_columns: dict[str, np.ndarray], paths: int,
                  rng: np.random.Generator) -> np.ndarray:
        """Rows of :meth:`targets` worth a second look: the candidates of claims not yet
        shown decidable whose ``q`` is strictly between the bars (sorted row indices).

        The first look is judged here with weights from ``rng``, not the ledger's own
        stream, so every claim that needs no second look keeps its bits."""
        T = len(self._targets)
        if not target_columns or not T:
            return np.array([], dtype=int)
        env = X.TableEnv(target_columns)
        tw = X.checked(world_weights(T, paths, N_DIRICHLET, rng))
        out: set[int] = set()
        for st in self.state:
            if "rows" not in st or self.no_inputs:
                continue
            a, b = st["rows"]
            qt, _ = world_truth(st["tree"], env, tw)
            own = qt[a:b]
            if own.min() <= SURE_FAILS and own.max() >= 1.0 - SURE_FAILS:
                continue
            middle = (own > SURE_FAILS) & (own < 1.0 - SURE_FAILS)
            out.update(int(a + i) for i in np.flatnonzero(middle))
        return np.array(sorted(out), dtype=int)

    def _row(self, st: dict[str, Any], tq: Any, tcols: dict[str, np.ndarray] | None
             ) -> dict[str, Any]:
        claim = st["claim"]
        level = level_of(claim.confidence)
        row: dict[str, Any] = {
            "id": claim.id, "text": claim.text, "source": claim.source, "expr": claim.expr,
            "confidence": str(getattr(claim.confidence, "value", claim.confidence)),
            "level": level, "worlds": self.w.G, "paths": self.w.K,
            "draws": self.w.G * self.w.K,
        }
        if "error" in st:
            row.update(verdict="error", error=st["error"], credence=None, credence_low=None,
                       credence_high=None, decidable=False, fixed_reason=None, conditions=[],
                       conditions_text="", coverage=None, density=None, drivers=[],
                       value=None, margin=None, margin_interval=None, holds_share=None,
                       reading=f"This claim could not be evaluated: {st['error']}")
            return row
        tree = st["tree"]
        try:
            self._overall(row, tree)
            if not st.get("boolean") or "q" not in st:
                row.update(verdict="n/a", credence=None, credence_low=None, credence_high=None,
                           decidable=False, fixed_reason=None, conditions=[],
                           conditions_text="", coverage=None, density=None, drivers=[],
                           holds_share=None, reading="A quantity, not a proposition: it has "
                           "a value but no verdict.")
                return row
            q = st["q"]
            credence = float(q.mean())
            idx = self.rng.integers(0, len(q), size=(N_WORLD_BOOT, len(q)))
            lo, hi = np.quantile(q[idx].mean(axis=1), [0.025, 0.975])
            row.update(credence=credence, credence_low=float(lo), credence_high=float(hi),
                       holds_share=credence)
            reach = self._reach(tree, q, tq, st.get("rows"))
            decidable = (not self.no_inputs and reach[0] <= SURE_FAILS
                         and reach[1] >= 1.0 - SURE_FAILS)
            row["credence_range"] = [float(reach[0]), float(reach[1])]
            row["decidable"] = bool(decidable)
            row["drivers"] = self._drivers(q, st["m"], stability=decidable)
            if decidable:
                row["verdict"] = verdict(credence, level)
                row["fixed_reason"] = None
                row.update(self._conditions(q))
            else:
                fixed_as = verdict(credence, level)
                row.update(verdict="fixed", fixed_as=fixed_as, drivers=[],
                           fixed_reason=self._why_fixed(tree, fixed_as, tcols),
                           conditions=[], conditions_text="", coverage=None, density=None)
            row["reading"] = reading(row)
        except Exception as exc:  # noqa: BLE001 - reported in the ledger
            row.update(verdict="error", error=f"{type(exc).__name__}: {exc}", drivers=[],
                       decidable=False, conditions=[], reading=f"Could not be judged: {exc}")
        return row

    def _overall(self, row: dict[str, Any], tree: Any) -> None:
        """The claim over all draws (the one-level value) and its margin, with a 90%
        interval from resampling whole worlds."""
        G, K = self.w.G, self.w.K
        n = G * K
        uniform = X.checked(np.full((1, n), 1.0 / n))
        value = X.evaluate(tree, self.env, uniform).astype(float)[0]
        m0 = float(margin(tree, self.env, uniform)[0])
        counts = self.rng.multinomial(G, np.full(G, 1.0 / G), size=100).astype(float)
        rows = np.repeat(counts / (G * K), K, axis=1)
        mb = np.asarray(margin(tree, self.env, X.checked(rows)), dtype=float)
        row.update(value=float(value), margin=m0,
                   margin_interval=tuple(float(x) for x in np.nanquantile(mb, [0.05, 0.95])),
                   holds=bool(value > 0.5) if tree_is_boolean(tree) else None)

    def _reach(self, tree: Any, q: np.ndarray, tq: Any, rows: tuple[int, int] | None
               ) -> tuple[float, float]:
        """The lowest and highest ``q`` over this claim's re-simulated worlds (its own
        candidates only, so that the extremes of many noisy worlds are not mistaken for
        an effect of the inputs); the sampled worlds' ``q`` when none was simulated."""
        if tq is None or rows is None:
            return float(q.min()), float(q.max())
        tenv, tw = tq[0], tq[1]
        qt, _ = world_truth(tree, tenv, tw)
        if len(tq) > 2:  # the second look replaces the first where it was taken
            idx, renv, rw = tq[2]
            mine = (idx >= rows[0]) & (idx < rows[1])
            if mine.any():
                qr, _ = world_truth(tree, renv, rw)
                qt = qt.copy()
                qt[idx[mine]] = qr[mine]
        own = qt[rows[0]:rows[1]]
        return float(own.min()), float(own.max())

    def _drivers(self, q: np.ndarray, m: np.ndarray, top: int = 3, stability: bool = True
                 ) -> list[dict[str, Any]]:
        """The ``top`` drivers; ``stability=False`` (a fixed claim, whose drivers are not
        shown) skips the resamples but draws them, so later claims see the same stream."""
        cols = np.flatnonzero(self.usable)
        if cols.size == 0 or len(q) < 4:
            return []
        y = q if np.ptp(q) > 0 else m
        on = "credence" if np.ptp(q) > 0 else "margin"
        X_ = self.w.values[:, cols]
        eff = _split_effects(X_, y, np.arange(len(y)))
        order = np.argsort(-np.abs(eff), kind="stable")[:top]
        order = order[np.abs(eff[order]) > 1e-12]
        if order.size == 0:
            return []
        sels = self.rng.integers(0, len(y), (N_STABILITY, len(y)))
        if not stability:
            return []
        hits = np.zeros(cols.size)
        for e in _resampled_effects(X_, y, sels):
            hits[np.argsort(-np.abs(e), kind="stable")[:top]] += 1
        out = []
        for i in order:
            name = self.w.names[cols[i]]
            out.append({"parameter": name, "label": self.w.labels.get(name, name),
                        "effect": float(eff[i]), "on": on,
                        "stability": float(hits[i] / N_STABILITY)})
        return out

    def _conditions(self, q: np.ndarray) -> dict[str, Any]:
        empty = {"conditions": [], "conditions_text": "", "coverage": None, "density": None}
        y = q >= 0.5
        cols = np.flatnonzero(self.usable & (np.ptp(self.w.values, axis=0) > 0))
        if len(y) < 8 or cols.size == 0:
            return empty
        most = y.all() or not y.any()
        if most:  # it holds (or fails) in every sampled world: where does it hold most?
            y = q > np.median(q)
            if y.all() or not y.any():
                return empty
        found = tree_conditions(self.w.values[:, cols], y,
                                [self.w.names[c] for c in cols], self.w.labels)
        if found and most:
            found["conditions_text"] = found["conditions_text"].replace(
                "holds when", "holds most often when", 1)
        return found or empty

    def _why_fixed(self, tree: Any, fixed_as: str, tcols: dict[str, np.ndarray] | None
                   ) -> str:
        if self.no_inputs:
            return "the scenario has no uncertain inputs: every world is the same"
        outcomes = {o.id: o.label for o in getattr(self.scenario, "outcomes", [])}
        reasons = []
        for arm, pairs in needed_arms(tree).items():
            for name, at in sorted(pairs, key=lambda p: (p[0], str(p[1]))):
                col = X.obs_column(name, at, arm)
                vals = [self.w.columns[col]] if col in self.w.columns else []
                if tcols and col in tcols:
                    vals.append(tcols[col])
                if not vals:
                    continue
                v = np.concatenate(vals)
                if name in outcomes and not np.any(v > 0):
                    reasons.append(f"the outcome '{outcomes[name]}' never happens in any "
                                   "world tried")
                elif np.ptp(v) == 0:
                    reasons.append(f"'{name}' is {v[0]:g} in every draw of every world")
        if reasons:
            return "; ".join(dict.fromkeys(reasons))
        what = {"supported": "holds", "contradicted": "fails"}.get(fixed_as, "stays undecided")
        return (f"it {what} in every world tried, the extremes of the inputs that move "
                "it most included: no admissible input changes its verdict")


def _split_effects(x: np.ndarray, y: np.ndarray, sel: np.ndarray) -> np.ndarray:
    """Per column of ``x``: mean ``y`` of the rows ``sel`` above the column's median
    minus that of the rows at or below it (0 when either half is empty)."""
    xs, ys = x[sel], y[sel]
    high = xs > np.median(xs, axis=0)
    nh = high.sum(axis=0)
    nl = len(ys) - nh
    ok = (nh > 0) & (nl > 0)
    mh = (high * ys[:, None]).sum(axis=0) / np.maximum(nh, 1)
    ml = ((~high) * ys[:, None]).sum(axis=0) / np.maximum(nl, 1)
    return np.where(ok, mh - ml, 0.0)


def _resampled_effects(x: np.ndarray, y: np.ndarray, sels: np.ndarray) -> Iterator[np.ndarray]:
    """:func:`_split_effects` for each resample (row of indices) of ``sels``, bit for bit.

    Each column is sorted once; a resample's median is then read from the cumulative
    counts of its rows in that order (the same two middle values ``np.median`` averages).
    When ``y`` lies on the grid of multiples of ``1 / 2**k`` (a share of resamples), every
    sum below is exact in floating point, in any order, so the halves' sums are matrix
    products with the counts; otherwise they are summed row by row as in
    :func:`_split_effects`.
    """
    n, d = x.shape
    if n == 0 or d == 0 or np.isnan(x).any():
        for sel in sels:
            yield _split_effects(x, y, sel)
        return
    order = np.argsort(x, axis=0, kind="stable").T  # (d, n)
    ranked = np.take_along_axis(x.T, order, axis=1)
    rows = np.arange(d)
    k1, k2 = (n - 1) // 2, n // 2
    grid = _on_dyadic_grid(y, n)
    counts = np.zeros((len(sels), n), dtype=np.int32)
    for r, sel in enumerate(sels):
        counts[r] = np.bincount(sel, minlength=n)
    for r0 in range(0, len(sels), _BATCH):  # the counts' running sums, a few at a time
        cum = np.cumsum(counts[r0:r0 + _BATCH][:, order], axis=2, dtype=np.int32)
        # the first position whose running count passes k (the last always does)
        lower = ranked[rows, np.argmax(cum > k1, axis=2)]
        med = lower if n % 2 else (lower + ranked[rows, np.argmax(cum > k2, axis=2)]) / 2
        for r in range(len(cum)):
            yield _effects_at(x, y, sels[r0 + r], counts[r0 + r], med[r], grid)


_BATCH = 8
"""Resamples whose running counts are computed together (``8 x d x n`` integers)."""


def _effects_at(x: np.ndarray, y: np.ndarray, sel: np.ndarray, counts: np.ndarray,
                med: np.ndarray, grid: bool) -> np.ndarray:
    """:func:`_split_effects` of resample ``sel`` (``counts`` of each row) given the
    columns' medians ``med`` over it."""
    n = len(y)
    if not grid:
        xs, ys = x[sel], y[sel]
        high = xs > med
        nh = high.sum(axis=0)
        mh = (high * ys[:, None]).sum(axis=0) / np.maximum(nh, 1)
        ml = ((~high) * ys[:, None]).sum(axis=0) / np.maximum(n - nh, 1)
    else:
        high_f = (x > med).astype(float)
        c = counts.astype(float)
        cy = c * y
        nh = c @ high_f
        sh = cy @ high_f
        mh = sh / np.maximum(nh, 1)
        ml = (cy.sum() - sh) / np.maximum(n - nh, 1)
    return np.where((nh > 0) & (n - nh > 0), mh - ml, 0.0)


def _on_dyadic_grid(y: np.ndarray, n: int, bits: int = 12) -> bool:
    """Whether ``y`` are multiples of ``2**-bits`` small enough that sums of ``n`` of
    them with integer weights up to ``n`` are exact in double precision."""
    scaled = y * 2.0**bits
    return bool(np.all(np.isfinite(y)) and np.array_equal(scaled, np.round(scaled))
                and float(np.abs(scaled).max(initial=0.0)) * n * n < 2.0**52)


def tree_conditions(x: np.ndarray, y: np.ndarray, names: list[str], labels: dict[str, str],
                    density: float = 0.8) -> dict[str, Any] | None:
    """A box of at most :data:`MAX_CONDITIONS` inputs in which ``y`` mostly holds.

    Every node of a depth-3 classification tree (CART) below the root is a box; the one
    chosen has density at least ``density`` and the largest coverage (ties: fewer
    conditions), else the largest density x coverage."""
    from sklearn.tree import DecisionTreeClassifier

    n = len(y)
    clf = DecisionTreeClassifier(max_depth=MAX_CONDITIONS, min_samples_leaf=max(5, n // 40),
                                 random_state=0).fit(x, y)
    t = clf.tree_
    total = max(int(y.sum()), 1)
    boxes: list[tuple[float, float, list[tuple[int, str, float]]]] = []

    def walk(node: int, path: list[tuple[int, str, float]]) -> None:
        if path:
            inside = _inside(x, path)
            k = int(y[inside].sum())
            if inside.any():
                boxes.append((k / total, k / int(inside.sum()), path))
        if t.children_left[node] == -1:
            return
        f, thr = int(t.feature[node]), float(t.threshold[node])
        walk(t.children_left[node], [*path, (f, "<=", thr)])
        walk(t.children_right[node], [*path, (f, ">", thr)])

    walk(0, [])
    if not boxes:
        return None
    dense = [b for b in boxes if b[1] >= density]
    cov, dens, path = (max(dense, key=lambda r: (r[0], -len({f for f, _, _ in r[2]}), r[1]))
                       if dense else max(boxes, key=lambda r: r[0] * r[1]))
    bounds: dict[int, list[float | None]] = {}
    for f, op, thr in path:
        lo_hi = bounds.setdefault(f, [None, None])
        if op == ">":
            lo_hi[0] = thr if lo_hi[0] is None else max(lo_hi[0], thr)
        else:
            lo_hi[1] = thr if lo_hi[1] is None else min(lo_hi[1], thr)
    conds = [{"parameter": names[f], "label": labels.get(names[f], names[f]),
              "low": lo, "high": hi} for f, (lo, hi) in bounds.items()]
    return {"conditions": conds, "coverage": cov, "density": dens,
            "conditions_text": conditions_text(conds, cov, dens)}


def _inside(x: np.ndarray, path: list[tuple[int, str, float]]) -> np.ndarray:
    mask = np.ones(len(x), dtype=bool)
    for f, op, thr in path:
        mask &= (x[:, f] > thr) if op == ">" else (x[:, f] <= thr)
    return mask


def _num(x: float) -> str:
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def conditions_text(conds: list[dict[str, Any]], coverage: float, density: float) -> str:
    parts = []
    for c in conds:
        if c["low"] is not None and c["high"] is not None:
            parts.append(f"{c['label']} is between {_num(c['low'])} and {_num(c['high'])}")
        elif c["low"] is not None:
            parts.append(f"{c['label']} > {_num(c['low'])}")
        else:
            parts.append(f"{c['label']} < {_num(c['high'])}")
    return (f"holds when {' and '.join(parts)} (coverage {coverage:.2f}, density "
            f"{density:.2f})")


def reading(row: dict[str, Any]) -> str:
    """One sentence a journalist would understand."""
    if row.get("verdict") == "fixed":
        what = {"supported": "holds", "contradicted": "fails"}.get(row.get("fixed_as", ""),
                                                                  "is undecided")
        return (f"An assumption, not a finding: it {what} in every plausible world, "
                f"because {row.get('fixed_reason')}.")
    c = row["credence"]
    text = (f"Holds in {c:.0%} of plausible worlds ({row['credence_low']:.0%}-"
            f"{row['credence_high']:.0%})")
    if row.get("conditions_text"):
        text += "; it " + row["conditions_text"].split(" (coverage")[0]
    elif row.get("drivers"):
        text += f"; it depends most on {row['drivers'][0]['label']}"
    return text + "."

"""Global sensitivity of outcomes and claims to the scenario's uncertain inputs (SALib).

The problem is the unit hypercube of the run's parameters (each input is mapped through
its inverse CDF, as in the main run), so every input has the same scale:

* **Sobol** (few inputs): Saltelli's design, ``N (d + 2)`` simulations, first- and
  total-order indices with bootstrap confidence (Saltelli et al. 2010, *Comput. Phys.
  Commun.* 181, eqs. (b) and (f) of Table 2, as implemented by ``SALib.analyze.sobol``).
* **Morris** (more than :data:`MORRIS_ABOVE` inputs): ``r (d + 1)`` simulations along
  one-at-a-time trajectories; ``mu*`` (mean absolute elementary effect) ranks the inputs
  and ``sigma`` flags interactions (Morris 1991; Campolongo, Cariboni & Saltelli 2007).

Targets, per simulated draw: each outcome's indicator (reached by the horizon), and for
each claim its per-draw margin (the claim's margin evaluated with a one-draw weight row:
for ``P(a) > P(b)`` it is ``1[a] - 1[b]``, whose mean is the claim's margin). The
simulator's own randomness (weekly shocks) is not an input: it appears as variance no
input explains (first-order indices then sum to well below one). To keep it from
swamping the comparisons, the design is run with **common random numbers**: the points
of one Morris trajectory, or the ``d + 2`` rows built from one Saltelli base sample, all
see the same weekly shocks (:class:`GroupedGenerator`), in one vectorised block.
Morris ``mu*`` is reported divided by the target's standard deviation, so that targets on
different scales can be ranked together.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from polemos.engine import claims as C
from polemos.engine import expressions as X
from polemos.engine.loop import make_plan, simulate_block
from polemos.engine.params import ParamSpace
from polemos.engine.stages import active_stages

MORRIS_ABOVE = 24
BLOCK_OFFSET = 1_000_000
"""Sensitivity blocks use streams ``(seed, BLOCK_OFFSET + b, ...)``, apart from the run's."""
EPS = 1e-6


def _problem(space: ParamSpace) -> dict[str, Any]:
    return {"num_vars": len(space), "names": space.names, "bounds": [[0.0, 1.0]] * len(space)}


class GroupedGenerator:
    """A generator whose draws are shared by the rows of each group.

    Any draw whose shape has an axis of length ``n`` (the block's rows) is drawn with
    that axis of length ``n_groups`` instead and expanded, so every row of a group sees
    the same numbers (common random numbers) while the block stays vectorised. Methods
    with per-row parameters fall through to the plain generator (no sharing).
    """

    def __init__(self, gen: np.random.Generator, group_of_row: np.ndarray):
        self.gen = gen
        self.idx = np.asarray(group_of_row, dtype=np.intp)
        self.n = len(self.idx)
        self.groups = int(self.idx.max()) + 1 if self.n else 0

    def _draw(self, method: str, size: Any, *args: Any, **kw: Any) -> Any:
        if size is None:
            return getattr(self.gen, method)(*args, size=size, **kw)
        shape = (int(size),) if np.ndim(size) == 0 else tuple(int(x) for x in size)
        if self.n not in shape or any(np.ndim(a) for a in args):
            return getattr(self.gen, method)(*args, size=size, **kw)
        axis = shape.index(self.n)
        small = shape[:axis] + (self.groups,) + shape[axis + 1:]
        return np.take(getattr(self.gen, method)(*args, size=small, **kw), self.idx, axis=axis)

    def random(self, size: Any = None, dtype: Any = np.float64) -> Any:
        return self._draw("random", size, dtype=dtype)

    def standard_normal(self, size: Any = None, dtype: Any = np.float64) -> Any:
        return self._draw("standard_normal", size, dtype=dtype)

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> Any:
        return self._draw("normal", size, loc, scale)

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Any = None) -> Any:
        return self._draw("uniform", size, low, high)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.gen, name)


def simulate_design(scenario: Any, u: np.ndarray, seed: int, group: int = 1,
                    block: int = 4000) -> dict[str, np.ndarray]:
    """Per-draw columns for unit samples ``u`` whose rows come in consecutive groups of
    ``group`` (a Morris trajectory or a Saltelli base sample): the rows of one group are
    simulated with the same random numbers (common random numbers)."""
    space = ParamSpace.from_scenario(scenario)
    u = np.clip(u, EPS, 1.0 - EPS)
    per_block = max(1, block // group) * group
    parts = []
    for b, start in enumerate(range(0, len(u), per_block)):
        rows = u[start:start + per_block]
        groups = np.arange(len(rows)) // group

        def wrap(gen: np.random.Generator, groups: np.ndarray = groups) -> Any:
            return GroupedGenerator(gen, groups)

        stages = active_stages(scenario)
        res = simulate_block(scenario, stages, make_plan(scenario, stages), space, seed=seed,
                             block=BLOCK_OFFSET + b, n=len(rows), u=rows, wrap=wrap)
        parts.append(res.columns)
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def targets(scenario: Any, columns: dict[str, np.ndarray], chunk: int = 512
            ) -> dict[str, np.ndarray]:
    """Per-draw targets: outcome indicators and claim margins."""
    out = {o.id: (columns[f"t:{o.id}"] >= 0).astype(float) for o in scenario.outcomes}
    obs = {k: v for k, v in columns.items() if k.startswith("o:")}
    n = len(columns["outcome"])
    for claim in scenario.claims:
        try:
            tree = X.parse(claim.expr)
            vals = []
            for start in range(0, n, chunk):
                sub = {k: v[start:start + chunk] for k, v in obs.items()}
                m = len(next(iter(sub.values())))
                vals.append(C.margin(tree, X.TableEnv(sub), np.eye(m)))
            out[f"claim:{claim.id}"] = np.concatenate(vals).astype(float)
        except Exception:  # noqa: BLE001 - a failing claim has no sensitivity
            continue
    return out


def analyse(scenario: Any, *, n_base: int = 64, seed: int = 0, method: str = "auto"
            ) -> dict[str, Any]:
    """Sobol (or Morris) indices of every outcome and claim; ``{}`` without inputs."""
    space = ParamSpace.from_scenario(scenario)
    d = len(space)
    if d == 0:
        return {}
    if method == "auto":
        method = "morris" if d > MORRIS_ABOVE else "sobol"
    problem = _problem(space)
    if method == "sobol":
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample

        u = sample.sample(problem, n_base, calc_second_order=False, seed=seed)
        group = d + 2
    else:
        from SALib.analyze import morris as analyze
        from SALib.sample import morris as sample

        u = sample.sample(problem, n_base, num_levels=4, seed=seed)
        group = d + 1
    cols = simulate_design(scenario, u, seed, group)
    result: dict[str, Any] = {"method": method, "n_base": n_base, "simulations": len(u),
                              "targets": {}}
    for name, y in targets(scenario, cols).items():
        if not np.isfinite(y).all() or np.ptp(y) == 0:
            continue
        if method == "sobol":
            r = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
            rows: list[dict[str, Any]] = [{"parameter": p, "S1": float(r["S1"][j]), "S1_conf": float(r["S1_conf"][j]),
                     "ST": float(r["ST"][j]), "ST_conf": float(r["ST_conf"][j])}
                    for j, p in enumerate(space.names)]
            rows.sort(key=lambda x: -float(x["ST"]))
        else:
            r = analyze.analyze(problem, u, y, num_levels=4, seed=seed)
            sd = float(np.std(y))
            rows = [{"parameter": p, "mu_star": float(r["mu_star"][j]) / sd,
                     "sigma": float(r["sigma"][j]) / sd,
                     "mu_star_conf": float(r["mu_star_conf"][j]) / sd}
                    for j, p in enumerate(space.names)]
            rows.sort(key=lambda x: -float(x["mu_star"]))
        result["targets"][name] = {"indices": rows}
    return result

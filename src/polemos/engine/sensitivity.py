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
see the same weekly shocks (they are simulated as the same row of equally seeded blocks).
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


def simulate_design(scenario: Any, u: np.ndarray, seed: int, group: int = 1,
                    block: int = 1000) -> dict[str, np.ndarray]:
    """Per-draw columns for unit samples ``u`` whose rows come in consecutive groups of
    ``group`` (a Morris trajectory or a Saltelli base sample): the rows of one group are
    simulated with the same random streams (common random numbers)."""
    space = ParamSpace.from_scenario(scenario)
    u = np.clip(u, EPS, 1.0 - EPS)
    n_groups = len(u) // group
    layers = u.reshape(n_groups, group, -1).transpose(1, 0, 2)  # (group, n_groups, d)
    out_layers: list[dict[str, np.ndarray]] = []
    for layer in layers:
        parts = []
        for b, start in enumerate(range(0, n_groups, block)):
            rows = layer[start:start + block]
            stages = active_stages(scenario)
            res = simulate_block(scenario, stages, make_plan(scenario, stages), space,
                                 seed=seed, block=BLOCK_OFFSET + b, n=len(rows), u=rows)
            parts.append(res.columns)
        out_layers.append({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
    # back to the design's row order: group-major
    return {k: np.stack([lay[k] for lay in out_layers], axis=1).reshape(len(u))
            for k in out_layers[0]}


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
            rows = [{"parameter": p, "S1": float(r["S1"][j]), "S1_conf": float(r["S1_conf"][j]),
                     "ST": float(r["ST"][j]), "ST_conf": float(r["ST_conf"][j])}
                    for j, p in enumerate(space.names)]
            rows.sort(key=lambda x: -x["ST"])
        else:
            r = analyze.analyze(problem, u, y, num_levels=4, seed=seed)
            sd = float(np.std(y))
            rows = [{"parameter": p, "mu_star": float(r["mu_star"][j]) / sd,
                     "sigma": float(r["sigma"][j]) / sd,
                     "mu_star_conf": float(r["mu_star_conf"][j]) / sd}
                    for j, p in enumerate(space.names)]
            rows.sort(key=lambda x: -x["mu_star"])
        result["targets"][name] = {"indices": rows}
    return result

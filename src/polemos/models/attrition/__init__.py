"""Attrition: the Lanchester family with force generation, and the front it moves.

Models (registered in :mod:`polemos.models.registry`):

- ``attrition.lanchester``: weekly attrition of two forces by the general law
  ``dR/dt = -a R^p B^q`` (square, linear, logarithmic, mixed, Osipov, Helmbold as
  named cases, :class:`~polemos.models.attrition.laws.Law`) with recruitment, training
  lag, manpower pool, budget bound, withdrawals and combat-power multipliers
  (:mod:`.lanchester`).
- ``attrition.front``: rate of advance from the force ratio and the defender's posture,
  ground taken and the fall of towns (:mod:`.front`).

Estimators over arrays (CDB90 exchange-ratio regression, campaign least squares) are in
:mod:`.fit`; the scenario section ``theatres`` in :mod:`.section`.

Coupling (engine): :class:`polemos.models.attrition.build.TheatreSim` samples a theatre
for ``n`` draws; each week call ``sim.step(recruit={actor: (n,)}, budget={actor: (n,)},
multiplier={actor: (n,)})`` (all optional) and read ``sim.state()``, a dict of the
section's state variables (``forces.<theatre>.<actor>``, ``losses...``, ``advance...``,
``territory...``, ``town...``), each ``(n,)``. The lower-level pure step is
:func:`polemos.models.attrition.lanchester.step`.
"""

from __future__ import annotations

import numpy as np

from polemos.models.attrition import front, lanchester
from polemos.models.attrition.laws import Exponents, Law, exponents
from polemos.models.registry import ModelSpec, register

__all__ = ["Exponents", "Law", "exponents"]


def _run_lanchester(*, law: str = "square", weiss: float | None = None, **inputs):
    """Weekly general-law Lanchester attrition with force generation (Lanchester 1916).

    ``dR/dt = -a R^p_r B^q_r``, ``dB/dt = -b B^p_b R^q_b`` with the exponents of ``law``;
    see :func:`polemos.models.attrition.lanchester.run` for every input.
    """
    return lanchester.run(exps=exponents(law, weiss=weiss), **inputs)


def _example_lanchester(rng: np.random.Generator, n_draws: int) -> dict:
    return {
        "law": "square",
        "red0": rng.uniform(550_000, 700_000, n_draws),
        "blue0": rng.uniform(250_000, 350_000, n_draws),
        "a": rng.uniform(0.01, 0.025, n_draws),
        "b": rng.uniform(0.003, 0.008, n_draws),
        "weeks": 26,
        "recruit_red": 7_000.0,
        "recruit_blue": 5_000.0,
        "pool_red": 1_000_000.0,
        "pool_blue": rng.uniform(50_000, 200_000, n_draws),
        "lag_red": rng.integers(4, 12, n_draws),
        "lag_blue": 6,
        "mult_red": 1.0,
        "mult_blue": rng.uniform(0.7, 1.2, n_draws),
        "budget_red": 100.0,
        "cost_red": 0.02,
        "noise_sd": 0.2,
    }


def _example_front(rng: np.random.Generator, n_draws: int) -> dict:
    out = _run_lanchester(**_example_lanchester(rng, n_draws), rng=rng)
    return {
        "attacker": out["forces_red"],
        "defender": out["forces_blue"],
        "v_max": rng.uniform(0.5, 2.0, n_draws),
        "front_km": 1_200.0,
        "town_km": np.array([1.0, 5.0, 20.0]),
        "posture_factor": 1.5,
    }


_NONNEG = (0.0, None)

register(ModelSpec(
    name="attrition.lanchester",
    run=_run_lanchester,
    example=_example_lanchester,
    citation="Lanchester, F. W. (1916) Aircraft in Warfare, ch. V; Helmbold, R. L. (1965) "
             "A modification of Lanchester's equations, Oper. Res. 13(5):857-859; Osipov (1915) "
             "trans. Helmbold & Rehm, CAA-RP-91-2 (1991)",
    bounds={f"{k}_{s}": _NONNEG for k in ("forces", "losses", "recruited", "pool")
            for s in ("red", "blue")},
    summary="Two forces under the general Lanchester law with recruitment, training lag, "
            "manpower pool, budget, withdrawals and combat multipliers (weekly).",
))

register(ModelSpec(
    name="attrition.front",
    run=front.run_front,
    example=_example_front,
    citation="Dupuy, T. N. (1987) Understanding War, combat advance-rate verities "
             "(advance needs combat-power preponderance; no direct relation to force "
             "ratios); Dupuy (1979) Numbers, Predictions and War (QJM posture factors)",
    bounds={"depth_km": _NONNEG, "territory_km2": _NONNEG, "town_fallen": (0.0, 1.0),
            "town_fall_week": _NONNEG},
    summary="Rate of advance from force ratio and defender posture; ground taken; towns.",
))

"""National capability trajectories: the six NMC components grown forward, and CINC.

Each power ``i`` holds six component levels ``x_ik`` (military expenditure, military
personnel, iron and steel, primary energy, total and urban population; Singer, Bremer &
Stuckey 1972, "Capability distribution, uncertainty, and major power war, 1820-1965", in
Russett (ed.), *Peace, War, and Numbers*, Sage, pp. 19-48). A stated growth assumption
drives each level, one growth rate per draw, power and component, with an optional
year-to-year shock::

    x_ik(t+1) = x_ik(t) * (1 + g_ik) * exp(s_ik * e_ikt - s_ik^2 / 2),  e ~ N(0, 1)   (1)

so that ``E[x(t+1) | x(t)] = (1 + g) x(t)``. The composite index of national capability is
the mean of the component shares of the system total (Singer, Bremer & Stuckey 1972)::

    CINC_i(t) = (1/6) * sum_k x_ik(t) / sum_j x_jk(t)                                    (2)

The "system" is the set of rows passed in: include a rest-of-world row to obtain shares
of the whole state system as in the NMC file, leave it out to obtain shares among the
listed powers only. Conventions: arrays have a leading draw axis; powers on the axis
before the last; components last, in the order of
:data:`polemos.models.structure.COMPONENTS`.
"""

from __future__ import annotations

import numpy as np

N_COMPONENTS = 6


def _check(levels: np.ndarray, growth: np.ndarray) -> None:
    if levels.shape[-1] != N_COMPONENTS:
        raise ValueError(f"levels must end in {N_COMPONENTS} components, got shape {levels.shape}")
    if not np.all(np.isfinite(levels)) or np.any(levels < 0):
        raise ValueError("component levels must be finite and non-negative; fill missing values")
    if np.any(growth <= -1.0):
        raise ValueError("growth rates must exceed -1 (a rate of -1 is total collapse)")


def step(
    levels: np.ndarray, growth: np.ndarray, shock_sd: np.ndarray | float, rng: np.random.Generator
) -> np.ndarray:
    """One year of equation (1): ``levels`` ``(n_draws, P, 6)`` -> next year's levels.

    ``growth`` and ``shock_sd`` broadcast against ``levels``; ``rng`` draws the shocks
    (none are drawn when every ``shock_sd`` is zero, so deterministic runs use no stream).
    """
    factor = 1.0 + growth
    sd = np.asarray(shock_sd, dtype=float)
    if np.any(sd > 0):
        eps = rng.standard_normal(levels.shape)
        factor = factor * np.exp(sd * eps - 0.5 * sd**2)
    return levels * factor


def cinc(levels: np.ndarray) -> np.ndarray:
    """Equation (2): CINC of every row of ``levels`` ``(..., P, 6)`` -> ``(..., P)``.

    A component whose total over the rows is zero is left out of the mean.
    """
    totals = levels.sum(axis=-2, keepdims=True)
    present = totals > 0
    if present.all() and levels.ndim == 3:  # the hot path: (n_draws, P, 6)
        inv = 1.0 / (levels.shape[-1] * totals[:, 0, :])
        return np.einsum("npk,nk->np", levels, inv)
    shares = np.divide(levels, totals, out=np.zeros_like(levels, dtype=float), where=present)
    n_present = np.maximum(present.sum(axis=-1), 1)
    return shares.sum(axis=-1) / n_present


def project(
    levels0: np.ndarray,
    growth: np.ndarray,
    n_years: int,
    *,
    shock_sd: np.ndarray | float = 0.0,
    rng: np.random.Generator,
    keep_levels: bool = False,
) -> dict[str, np.ndarray]:
    """Project component levels ``n_years`` ahead with equation (1); CINC by equation (2).

    Parameters
    ----------
    levels0:
        Base-year component levels, ``(P, 6)`` or ``(n_draws, P, 6)``.
    growth:
        Annual growth rates ``g`` (0.02 = 2 % a year), ``(n_draws, P, 6)``; fixed per draw.
    n_years:
        Years to project; outputs hold the base year plus ``n_years`` years.
    shock_sd:
        Standard deviation of the annual log shock, broadcastable to ``(n_draws, P, 6)``.
    rng:
        The generator of the shocks.
    keep_levels:
        Also return every year's levels ``(n_draws, n_years + 1, P, 6)`` (memory heavy).

    Returns
    -------
    ``cinc`` ``(n_draws, n_years + 1, P)`` (rows sum to one), ``final`` ``(n_draws, P, 6)``
    levels in the last year, and ``levels`` when asked.
    """
    growth = np.asarray(growth, dtype=float)
    if growth.ndim != 3:
        raise ValueError(f"growth must be (n_draws, P, 6), got shape {growth.shape}")
    levels = np.broadcast_to(np.asarray(levels0, dtype=float), growth.shape).copy()
    _check(levels, growth)
    n_draws, n_powers, _ = growth.shape
    out = np.empty((n_draws, n_years + 1, n_powers))
    kept = np.empty((n_draws, n_years + 1, n_powers, N_COMPONENTS)) if keep_levels else None
    out[:, 0] = cinc(levels)
    if kept is not None:
        kept[:, 0] = levels
    for t in range(1, n_years + 1):
        levels = step(levels, growth, shock_sd, rng)
        out[:, t] = cinc(levels)
        if kept is not None:
            kept[:, t] = levels
    result = {"cinc": out, "final": levels}
    if kept is not None:
        result["levels"] = kept
    return result


def run(
    levels0: np.ndarray,
    growth: np.ndarray,
    n_years: int,
    shock_sd: np.ndarray | float = 0.0,
    *,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Registry entry point: capability projection by equations (1)-(2).

    Components grow at per-draw rates ``g`` with lognormal annual shocks,
    ``x(t+1) = x(t)(1+g)exp(s e - s^2/2)``, and CINC is the mean of the six component
    shares of the system total (Singer, Bremer & Stuckey 1972). Returns ``cinc``
    ``(n_draws, n_years+1, P)`` and the final levels.
    """
    return project(levels0, growth, n_years, shock_sd=shock_sd, rng=rng)


def example(rng: np.random.Generator, n_draws: int) -> dict[str, object]:
    """USA, China, Russia and the rest of the system, COW NMC v7 2022 levels (rounded)."""
    levels0 = np.array(
        [
            [838.8e6, 1_360, 80_535, 3_436_075, 344_775, 119_142],  # USA (ccode 2)
            [218.6e6, 2_035, 1_017_959, 7_370_013, 1_433_350, 632_320],  # China (710)
            [74.7e6, 1_190, 71_746, 1_441_163, 145_580, 69_540],  # Russia (365)
            [885.8e6, 16_204, 718_839, 12_101_509, 6_087_613, 2_733_768],  # rest of system
        ],
        dtype=float,
    )
    mean = np.array([0.02, 0.05, 0.01, 0.02])[:, None] * np.ones((4, 6))
    growth = mean + 0.01 * rng.standard_normal((n_draws, 4, 6))
    return {"levels0": levels0, "growth": growth, "n_years": 12, "shock_sd": 0.02}

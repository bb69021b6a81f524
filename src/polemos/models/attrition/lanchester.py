"""Weekly attrition of two forces with force generation, withdrawals and combat multipliers.

Each week ``t`` (in this order):

1. **Recruitment.** ``r_t = min(target_t, pool_t, budget_t / cost)`` enter training; the
   manpower pool falls by ``r_t``. The budget bound applies only where a cost per recruit
   is given.
2. **Training lag.** Recruits of week ``t`` join the line in week ``t + lag`` (a pipeline:
   a ring buffer of ``max(lag) + 1`` weekly cohorts per draw; lag 0 joins at once).
3. **Withdrawals.** ``w_t = min(withdraw_t, forces)`` leave the line (rotation, redeployment).
4. **Combat** by the general law of :mod:`.laws` over one week (``substeps`` RK4 steps),
   with coefficients scaled by the enemy's combat-power multiplier (artillery and
   munition supply x drones x air, relative to the period the coefficients were
   calibrated on) and by a common log-normal intensity shock
   ``exp(s z - s^2/2)``, ``z ~ N(0, 1)`` per draw and week (mean one)::

       a_t = a * m_blue,t * e_t,    b_t = b * m_red,t * e_t.

Inputs are arrays with a leading draw axis ``(n,)``; the ones that may vary in time
(recruitment target, budget, withdrawals, multipliers) may also be ``(n, weeks)``, which
is how an economy model drives the theatre week by week (or call :func:`step` directly).

The attrition law: Lanchester (1916); the generalisation and its special cases are in
:mod:`.laws`. Force generation (a recruitment flow through a training
pipeline, bounded by a manpower pool and a budget) is plain stock-flow bookkeeping of
our own, not a published model; its parameters are scenario inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from polemos.models.attrition.laws import Exponents, rk4_pair


@dataclass(frozen=True)
class SideInputs:
    """One side's parameters; every array has a leading draw axis.

    ``coef`` scales the side's *own* losses (``a`` for red, ``b`` for blue), per week.
    ``multiplier`` is the combat power of the side's *fire* (it scales the enemy's
    losses). ``budget`` (currency per week) and ``cost`` (currency per recruit) bound
    recruitment when ``cost`` is given.
    """

    coef: np.ndarray
    recruit: np.ndarray
    lag: np.ndarray
    withdraw: np.ndarray
    multiplier: np.ndarray
    budget: np.ndarray | None = None
    cost: np.ndarray | None = None


@dataclass(frozen=True)
class SideState:
    forces: np.ndarray
    pool: np.ndarray
    pipeline: np.ndarray  # (n, max_lag + 1) cohorts in training
    losses: np.ndarray  # cumulative
    recruited: np.ndarray  # cumulative

    @classmethod
    def initial(cls, forces, pool, max_lag: int) -> SideState:
        forces = np.array(forces, dtype=float, ndmin=1)
        n = forces.shape[0]
        return cls(
            forces=forces,
            pool=np.broadcast_to(np.asarray(pool, dtype=float), (n,)).copy(),
            pipeline=np.zeros((n, max_lag + 1)),
            losses=np.zeros(n),
            recruited=np.zeros(n),
        )


@dataclass(frozen=True)
class TheatreState:
    red: SideState
    blue: SideState
    week: int = 0


def _at(x, week: int, n: int) -> np.ndarray:
    """Week ``week`` of ``x`` ((n,), (n, T) or a scalar) as an (n,) array to read."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 2:
        x = x[:, week]
    return x if x.shape == (n,) else np.broadcast_to(x, (n,))


def _generate(side: SideState, inp: SideInputs, week: int) -> SideState:
    n = side.forces.shape[0]
    target = np.maximum(_at(inp.recruit, week, n), 0.0)
    recruits = np.minimum(target, side.pool)
    if inp.cost is not None and inp.budget is not None:
        cost = np.maximum(_at(inp.cost, week, n), 1e-12)
        recruits = np.minimum(recruits, np.maximum(_at(inp.budget, week, n), 0.0) / cost)
    width = side.pipeline.shape[1]
    lag = np.asarray(inp.lag, dtype=np.int64)
    pipeline = side.pipeline.copy()  # C-contiguous: a flat index per draw's cohort
    pipeline.ravel()[np.arange(0, n * width, width) + (week + lag) % width] += recruits
    slot = week % width
    graduates = pipeline[:, slot].copy()
    pipeline[:, slot] = 0.0
    forces = side.forces + graduates
    forces = forces - np.minimum(np.maximum(_at(inp.withdraw, week, n), 0.0), forces)
    return SideState(forces, side.pool - recruits, pipeline, side.losses,
                     side.recruited + recruits)


def step(state: TheatreState, red: SideInputs, blue: SideInputs, exps: Exponents, *,
         substeps: int = 4, shock: np.ndarray | None = None) -> TheatreState:
    """Advance ``state`` by one week (force generation, withdrawals, then combat).

    ``shock`` (n,) multiplies both sides' attrition coefficients this week (default 1).
    This is the coupling point for an engine: change the inputs between calls.
    """
    week = state.week
    r = _generate(state.red, red, week)
    b = _generate(state.blue, blue, week)
    n = r.forces.shape[0]
    intensity = np.ones(n) if shock is None else np.asarray(shock, dtype=float)
    a_eff = _at(red.coef, week, n) * _at(blue.multiplier, week, n) * intensity
    b_eff = _at(blue.coef, week, n) * _at(red.multiplier, week, n) * intensity
    x = np.stack([r.forces, b.forces])  # both sides at once (laws.rk4_pair)
    coef = np.stack([a_eff, b_eff])
    lost = np.zeros((2, n))
    dt = 1.0 / substeps
    for _ in range(substeps):
        loss = rk4_pair(x, coef, exps, dt)
        x = x - loss
        lost += loss
    return TheatreState(
        replace(r, forces=x[0], losses=r.losses + lost[0]),
        replace(b, forces=x[1], losses=b.losses + lost[1]),
        week + 1,
    )


def simulate(red0, blue0, red: SideInputs, blue: SideInputs, exps: Exponents, *,
             weeks: int, pool_red, pool_blue, substeps: int = 4, noise_sd: float = 0.0,
             rng: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """Run :func:`step` for ``weeks`` weeks; every output is ``(n_draws, weeks + 1)``.

    Outputs: ``forces_red``, ``forces_blue`` (on the line), ``losses_red``,
    ``losses_blue`` (cumulative), ``recruited_red``, ``recruited_blue`` (cumulative
    intake into training), ``pool_red``, ``pool_blue`` (manpower left).
    """
    max_lag = int(max(np.max(red.lag), np.max(blue.lag), 0))
    state = TheatreState(SideState.initial(red0, pool_red, max_lag),
                         SideState.initial(blue0, pool_blue, max_lag))
    n = state.red.forces.shape[0]
    keys = ("forces", "losses", "recruited", "pool")
    out = {f"{k}_{s}": np.empty((n, weeks + 1)) for k in keys for s in ("red", "blue")}

    def record(t: int) -> None:
        for k in keys:
            out[f"{k}_red"][:, t] = getattr(state.red, k)
            out[f"{k}_blue"][:, t] = getattr(state.blue, k)

    record(0)
    if noise_sd > 0.0 and rng is None:
        raise ValueError("noise_sd > 0 needs an explicit rng")
    for t in range(weeks):
        shock = None
        if noise_sd > 0.0 and rng is not None:
            shock = np.exp(noise_sd * rng.standard_normal(n) - 0.5 * noise_sd**2)
        state = step(state, red, blue, exps, substeps=substeps, shock=shock)
        record(t + 1)
    return out


def side_inputs(n: int, *, coef, recruit=0.0, lag=0, withdraw=0.0, multiplier=1.0,
                budget=None, cost=None) -> SideInputs:
    """Broadcast scalars to the draw axis (time-varying ``(n, T)`` arrays pass through)."""

    def arr(x):
        x = np.asarray(x, dtype=float)
        return x if x.ndim == 2 else np.broadcast_to(x, (n,)).copy()

    return SideInputs(
        coef=arr(coef), recruit=arr(recruit),
        lag=np.broadcast_to(np.asarray(lag, dtype=np.int64), (n,)).copy(),
        withdraw=arr(withdraw), multiplier=arr(multiplier),
        budget=None if budget is None else arr(budget),
        cost=None if cost is None else arr(cost),
    )


def run(*, red0, blue0, a, b, exps: Exponents, weeks: int = 52,
        recruit_red=0.0, recruit_blue=0.0, pool_red=0.0, pool_blue=0.0,
        lag_red=0, lag_blue=0, withdraw_red=0.0, withdraw_blue=0.0,
        mult_red=1.0, mult_blue=1.0, budget_red=None, budget_blue=None,
        cost_red=None, cost_blue=None, substeps: int = 4, noise_sd: float = 0.0,
        rng: np.random.Generator | None = None) -> dict[str, np.ndarray]:
    """Weekly Lanchester attrition with force generation (the ``attrition.lanchester`` model).

    General law ``dR/dt = -a m_B e R^p_r B^q_r``, ``dB/dt = -b m_R e B^p_b R^q_b``
    (Lanchester 1916; Helmbold 1965; see :mod:`.laws`), integrated by RK4 with
    ``substeps`` steps a week; each week recruits ``min(target, pool, budget/cost)`` enter
    a training pipeline and join ``lag`` weeks later; withdrawals leave the line.
    ``e`` is a mean-one log-normal weekly intensity shock with log-sd ``noise_sd``.
    Returns ``(n, weeks+1)`` arrays: forces, cumulative losses and recruits, pools.
    """
    red0 = np.array(red0, dtype=float, ndmin=1)
    n = red0.shape[0]
    red = side_inputs(n, coef=a, recruit=recruit_red, lag=lag_red, withdraw=withdraw_red,
                      multiplier=mult_red, budget=budget_red, cost=cost_red)
    blue = side_inputs(n, coef=b, recruit=recruit_blue, lag=lag_blue, withdraw=withdraw_blue,
                       multiplier=mult_blue, budget=budget_blue, cost=cost_blue)
    return simulate(red0, np.broadcast_to(np.asarray(blue0, dtype=float), (n,)), red, blue,
                    exps, weeks=weeks, pool_red=pool_red, pool_blue=pool_blue,
                    substeps=substeps, noise_sd=noise_sd, rng=rng)

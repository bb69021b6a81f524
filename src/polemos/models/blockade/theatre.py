"""A maritime blockade or quarantine as a theatre: interdiction, escorts and convoys,
shots at escorts, shipping losses and war-risk insurance, week by week.

Per theatre and draw, with ``a(t)`` the blockade's ramp since its start (over ``L`` weeks)
and ``c(t)`` the escorted share of shipping (``c_max`` ramped since the escort decision)::

    I_try(t) = a(t) * (i_q  if rung < r_k  else  i_k)      share the blockader tries to stop
    I(t)     = I_try(t) * (1 - eta c(t))                   interdicted (escorts shield eta)
    P(shots) = 1 - exp(-h c(t) I_try(t) dt)                a clash with escorts this step
    ships lost ~ Poisson(l_k [rung >= r_k] I(t) dt + l_s shots)
    q(t)     = q0 + q_I I(t) + q_L S(t),   S' = S 2**(-dt/h_S) + losses   insurance premium
    W(t)     = clip(w (q(t) - q0), 0, w_max)               traffic withheld by owners
    R(t)     = (1 - I(t)) (1 - W(t))                       share of shipping getting through

``i_q`` is a quarantine's (inspections, diversions: coast-guard enforcement) and ``i_k`` a
kinetic blockade's intensity once the escalation ladder reaches rung ``r_k``. Escorts
lower interdiction and raise the chance of a clash: the trade-off a convoy decision buys.
War-risk premiums rose from about 0.05% to 0.5-1% of hull value per voyage in the Black Sea
in 2022 and in the Red Sea in 2024 (Lloyd's List; Reuters), and ship owners withheld
traffic as premiums rose (the Red Sea: Suez transits fell by about half in early 2024,
UNCTAD 2024). The coefficients are scenario inputs; see the blockade section docstring.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_TINY = 1e-12


@dataclass(frozen=True)
class TheatreParams:
    """One blockade theatre, each field (n,): weeks, shares, rates per week."""

    start: np.ndarray  # week; inf = never
    ramp_weeks: np.ndarray
    intensity: np.ndarray
    kinetic_intensity: np.ndarray
    kinetic_rung: np.ndarray  # ladder level; inf = never kinetic
    escort_start: np.ndarray  # week; inf = no escorts
    escort_coverage: np.ndarray
    escort_effectiveness: np.ndarray
    escort_ramp_weeks: np.ndarray
    incident_rate: np.ndarray
    loss_rate: np.ndarray  # ships per week at full kinetic interdiction
    loss_per_incident: np.ndarray
    base_premium: np.ndarray  # % of hull value per voyage
    premium_per_interdiction: np.ndarray
    premium_per_loss: np.ndarray
    loss_memory_weeks: np.ndarray
    withdrawal_per_premium: np.ndarray
    max_withdrawal: np.ndarray
    end: np.ndarray  # week; inf = not lifted

    @property
    def n_draws(self) -> int:
        return int(np.shape(self.start)[0])


@dataclass
class TheatreState:
    shots: np.ndarray
    ships_lost: np.ndarray
    recent_losses: np.ndarray


def initial_state(p: TheatreParams) -> TheatreState:
    z = np.zeros(p.n_draws)
    return TheatreState(z.copy(), z.copy(), z.copy())


def ramp(week: float, start: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """0 before ``start``, rising linearly to 1 over ``weeks`` (a step when 0)."""
    since = week - start
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(weeks > 0, since / np.maximum(weeks, _TINY), np.where(since >= 0, 1.0, 0.0))
    r = np.where(np.isfinite(since), r, 0.0)
    return np.clip(r, 0.0, 1.0)


def step(p: TheatreParams, state: TheatreState, week: float, dt_weeks: float,
         rung: np.ndarray, u: np.ndarray, rng: np.random.Generator):
    """One step: ``rung`` (n,) the ladder's level last week, ``u`` (n,) uniforms for clashes.

    Returns ``(state', values)`` with values (n,): ``interdicted``, ``escorted``, ``reach``,
    ``incident`` (0/1), ``shots_at_escorts`` and ``ships_lost`` (cumulative),
    ``insurance_premium``, ``withheld``, ``active``.
    """
    t = week + dt_weeks  # the state at the end of the step
    live = (t > p.start) & (t <= p.end)
    on = ramp(t, p.start, p.ramp_weeks) * live
    kinetic = np.asarray(rung, float) >= p.kinetic_rung
    attempt = on * np.clip(np.where(kinetic, p.kinetic_intensity, p.intensity), 0.0, 1.0)
    esc = np.clip(p.escort_coverage, 0, 1) * ramp(t, p.escort_start, p.escort_ramp_weeks) * live
    interdicted = attempt * (1.0 - np.clip(p.escort_effectiveness, 0, 1) * esc)
    hazard = np.maximum(p.incident_rate, 0.0) * esc * attempt * dt_weeks
    incident = (u < 1.0 - np.exp(-hazard)).astype(float)
    lam = np.maximum(p.loss_rate, 0.0) * kinetic * interdicted * dt_weeks \
        + np.maximum(p.loss_per_incident, 0.0) * incident
    lost = rng.poisson(lam).astype(float)
    decay = np.exp2(-dt_weeks / np.maximum(p.loss_memory_weeks, _TINY))
    recent = state.recent_losses * decay + lost
    premium = p.base_premium + p.premium_per_interdiction * interdicted \
        + p.premium_per_loss * recent
    withheld = np.clip(p.withdrawal_per_premium * (premium - p.base_premium), 0.0,
                       np.clip(p.max_withdrawal, 0, 1)) * live
    reach = (1.0 - interdicted) * (1.0 - withheld)
    new = TheatreState(state.shots + incident, state.ships_lost + lost, recent)
    return new, {"interdicted": interdicted, "escorted": esc, "reach": reach,
                 "incident": incident, "shots_at_escorts": new.shots,
                 "ships_lost": new.ships_lost, "insurance_premium": premium,
                 "withheld": withheld, "active": live.astype(float)}


def simulate(p: TheatreParams, n_steps: int, dt_weeks: float, rng: np.random.Generator,
             rung: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """``n_steps`` steps without the ladder (or with a given ``rung`` path (n, T)); (n, T).

    Random numbers: one uniform per draw and step for clashes, then Poisson losses.
    """
    state = initial_state(p)
    out: dict[str, list] = {}
    zero = np.zeros(p.n_draws)
    for t in range(int(n_steps)):
        u = rng.random(p.n_draws)
        r = zero if rung is None else rung[:, t]
        state, v = step(p, state, t * dt_weeks, dt_weeks, r, u, rng)
        for k, x in v.items():
            out.setdefault(k, []).append(x)
    return {k: np.stack(v, axis=1) for k, v in out.items()}


def run(*, params: TheatreParams, n_steps: int = 26, dt_weeks: float = 1.0,
        rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Weekly blockade theatre: interdiction ``I = a i (1 - eta c)``, clashes with escorts
    at hazard ``h c a i``, losses, war-risk premium and withheld traffic; reach
    ``(1 - I)(1 - W)``. Outputs (n, T)."""
    return simulate(params, n_steps, dt_weeks, rng)


def example(rng: np.random.Generator, n_draws: int) -> dict:
    """A quarantine from week 2, escorts from week 6 in about half the draws."""
    n = n_draws

    def u(lo, hi):
        return rng.uniform(lo, hi, n)

    esc = np.where(rng.random(n) < 0.5, u(4, 8), np.inf)
    p = TheatreParams(
        start=u(0, 3), ramp_weeks=u(0, 4), intensity=u(0.2, 0.6), kinetic_intensity=u(0.7, 1.0),
        kinetic_rung=np.full(n, 3.0), escort_start=esc, escort_coverage=u(0.2, 0.8),
        escort_effectiveness=u(0.5, 0.9), escort_ramp_weeks=u(1, 6), incident_rate=u(0.1, 1.0),
        loss_rate=u(1, 5), loss_per_incident=u(0, 1), base_premium=u(0.02, 0.1),
        premium_per_interdiction=u(0.5, 2), premium_per_loss=u(0.05, 0.3),
        loss_memory_weeks=u(4, 12), withdrawal_per_premium=u(0.1, 0.5),
        max_withdrawal=u(0.3, 0.8), end=np.full(n, np.inf))
    return {"params": p, "n_steps": 26, "dt_weeks": 1.0}


__all__ = ["TheatreParams", "TheatreState", "initial_state", "ramp", "run", "simulate", "step"]

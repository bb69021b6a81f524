"""From a ``theatres`` section to kernel inputs, and a week-by-week theatre simulator.

:class:`TheatreSim` samples one theatre's quantities for ``n_draws`` draws (each
quantity through its inverse CDF at independent uniforms) and advances it a week at a
time with :func:`polemos.models.attrition.lanchester.step` and
:func:`polemos.models.attrition.front.front_step`. An engine couples it by passing
per-actor overrides to :meth:`TheatreSim.step` (recruitment target, budget, combat-power
multiplier: e.g. munition supply from an economy model) and reading
:meth:`TheatreSim.state` (the section's state variables).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from polemos.models.attrition.front import POSTURE_FACTOR, front_step
from polemos.models.attrition.lanchester import SideInputs, SideState, TheatreState, step
from polemos.models.attrition.laws import Exponents, Law, exponents
from polemos.models.attrition.section import Side, Theatre
from polemos.scenario.quantities import ppf


def _draw(q, rng: np.random.Generator, n: int) -> np.ndarray:
    return ppf(q, rng.random(n))


def theatre_exponents(th: Theatre) -> Exponents:
    """The law's exponents (sides[0] is 'red', sides[1] 'blue' in the kernel)."""
    if th.law is Law.general:
        own = [s.exponents or th.exponents for s in th.sides]
        if own[0] is None or own[1] is None:  # the section's validator forbids this
            raise ValueError(f"theatre {th.id}: law general needs exponents")
        return Exponents(own[0].own, own[0].enemy, own[1].own, own[1].enemy)
    return exponents(th.law, weiss=th.weiss)


@dataclass
class _Sampled:
    forces0: np.ndarray
    inputs: SideInputs
    pool: np.ndarray


def _sample_side(side: Side, rng: np.random.Generator, n: int) -> tuple[dict, np.ndarray]:
    m = side.multipliers
    mult = _draw(m.artillery, rng, n) * _draw(m.drones, rng, n) * _draw(m.air, rng, n)
    values = {
        "forces0": _draw(side.forces, rng, n),
        "losses": None if side.losses_per_week is None else _draw(side.losses_per_week, rng, n),
        "coef": None if side.coefficient is None else _draw(side.coefficient, rng, n),
        "recruit": _draw(side.recruits_per_week, rng, n),
        "pool": (np.full(n, np.inf) if side.manpower_pool is None
                 else _draw(side.manpower_pool, rng, n)),
        "lag": np.rint(_draw(side.training_weeks, rng, n)).astype(np.int64),
        "withdraw": _draw(side.withdrawals_per_week, rng, n),
        "budget": None if side.budget_per_week is None else _draw(side.budget_per_week, rng, n),
        "cost": None if side.cost_per_recruit is None else _draw(side.cost_per_recruit, rng, n),
    }
    return values, mult


def _coefficient(v: dict, own0: np.ndarray, enemy0: np.ndarray, p: float, q: float):
    if v["coef"] is not None:
        return v["coef"]
    scale = np.maximum(own0, 1.0) ** p * np.maximum(enemy0, 1.0) ** q
    return v["losses"] / scale


class TheatreSim:
    """One theatre, ``n_draws`` draws, advanced a week per :meth:`step`."""

    def __init__(self, theatre: Theatre, n_draws: int, rng: np.random.Generator,
                 *, substeps: int = 4):
        self.theatre = theatre
        self.n = n_draws
        self.rng = rng
        self.substeps = substeps
        self.exps = theatre_exponents(theatre)
        self.actors = [s.actor for s in theatre.sides]
        (vr, mr), (vb, mb) = (_sample_side(s, rng, n_draws) for s in theatre.sides)
        e = self.exps
        coef_r = _coefficient(vr, vr["forces0"], vb["forces0"], e.p_r, e.q_r)
        coef_b = _coefficient(vb, vb["forces0"], vr["forces0"], e.p_b, e.q_b)
        self.inputs = [
            SideInputs(coef=c, recruit=v["recruit"], lag=v["lag"], withdraw=v["withdraw"],
                       multiplier=m, budget=v["budget"], cost=v["cost"])
            for c, v, m in ((coef_r, vr, mr), (coef_b, vb, mb))
        ]
        max_lag = int(max(vr["lag"].max(), vb["lag"].max(), 0))
        self.state_ = TheatreState(SideState.initial(vr["forces0"], vr["pool"], max_lag),
                                   SideState.initial(vb["forces0"], vb["pool"], max_lag))
        adv = theatre.advance
        self.v_max = _draw(adv.max_km_per_week, rng, n_draws)
        self.law = adv.resolved_law
        half = adv.resolved_half_ratio
        self.half = None if half is None else _draw(half, rng, n_draws)
        self.posture = POSTURE_FACTOR[adv.defender_posture]
        self.front_km = _draw(theatre.front_km, rng, n_draws)
        self.town_km = (np.column_stack([_draw(t.distance_km, rng, n_draws)
                                         for t in theatre.towns])
                        if theatre.towns else np.zeros((n_draws, 0)))
        self.effort = (np.column_stack([_draw(t.effort, rng, n_draws) for t in theatre.towns])
                       if theatre.towns else np.zeros((n_draws, 0)))
        self.depth = np.zeros(n_draws)
        self.fallen = np.zeros((n_draws, len(theatre.towns)), dtype=bool)
        self.week = 0
        tid = theatre.id  # state-variable names, computed once (state() runs every week)
        self._side_names = [(f"forces.{tid}.{a}", f"losses.{tid}.{a}", f"recruited.{tid}.{a}")
                            for a in self.actors]
        self._town_names = [f"town.{tid}.{town.key}" for town in theatre.towns]

    def _side(self, actor: str) -> int:
        return self.actors.index(actor)

    def step(self, *, recruit: Mapping[str, np.ndarray] | None = None,
             budget: Mapping[str, np.ndarray] | None = None,
             multiplier: Mapping[str, np.ndarray] | None = None) -> None:
        """Advance one week; overrides map actor id -> ``(n,)`` array for this week.

        ``multiplier`` multiplies the sampled combat-power multiplier of that actor.
        """
        inputs = list(self.inputs)
        for which, mapping in (("recruit", recruit), ("budget", budget),
                               ("multiplier", multiplier)):
            for actor, value in (mapping or {}).items():
                i = self._side(actor)
                old = inputs[i]
                new = np.asarray(value, dtype=float)
                if which == "multiplier":
                    new = old.multiplier * new
                inputs[i] = SideInputs(**{**old.__dict__, which: new})
        shock = None
        sd = self.theatre.intensity_sd
        if sd > 0.0:
            shock = np.exp(sd * self.rng.standard_normal(self.n) - 0.5 * sd**2)
        # the front moves on the forces at the start of the week
        att = self._side(self.theatre.attacker)
        dfn = 1 - att
        line = (self.state_.red.forces, self.state_.blue.forces)
        self.depth = front_step(self.depth, line[att], line[dfn],
                                m_attacker=inputs[att].multiplier,
                                m_defender=inputs[dfn].multiplier,
                                posture_factor=self.posture, v_max=self.v_max,
                                half_ratio=self.half, law=self.law)
        self.fallen |= self.depth[:, None] * self.effort >= self.town_km
        self.state_ = step(self.state_, inputs[0], inputs[1], self.exps,
                           substeps=self.substeps, shock=shock)
        self.week += 1

    def state(self) -> dict[str, np.ndarray]:
        """The section's state variables now, each ``(n,)``."""
        tid = self.theatre.id
        out: dict[str, np.ndarray] = {}
        for names, side in zip(self._side_names, (self.state_.red, self.state_.blue),
                               strict=True):
            out[names[0]], out[names[1]], out[names[2]] = side.forces, side.losses, side.recruited
        out[f"advance.{tid}"] = self.depth
        out[f"territory.{tid}"] = self.depth * self.front_km
        for j, name in enumerate(self._town_names):
            out[name] = self.fallen[:, j]
        return out


def simulate_theatre(theatre: Theatre, *, n_draws: int, weeks: int, rng: np.random.Generator,
                     substeps: int = 4) -> dict[str, np.ndarray]:
    """Every state variable of ``theatre`` as ``(n_draws, weeks + 1)`` arrays."""
    sim = TheatreSim(theatre, n_draws, rng, substeps=substeps)
    first = sim.state()
    out = {k: np.empty((n_draws, weeks + 1), dtype=v.dtype) for k, v in first.items()}
    for k, v in first.items():
        out[k][:, 0] = v
    for t in range(weeks):
        sim.step()
        for k, v in sim.state().items():
            out[k][:, t + 1] = v
    return out

"""Capability and resolve: battlefield and economic results feed each actor's power.

Reads ``forces.<actor>`` and ``revenue.<actor>`` when a family stage provides them
(their ratio to the starting value), the actors' ``influence`` and attributes
(``resolve``, ``domestic_support``, ``risk_acceptance``). Writes ``power.<actor>`` and
``resolve.<actor>``.

Resolve follows a bounded random walk pulled by results on the ground and by revenue:

.. math::  r_{t+1} = \\mathrm{clip}\\big(r_t + \\kappa_f\\,\\Delta\\log F_t
            + \\kappa_e\\,\\Delta\\log E_t + \\sigma\\varepsilon_t,\\ 0,\\ 1\\big)

with :math:`F` the actor's forces, :math:`E` its revenue, :math:`\\varepsilon \\sim N(0,1)`,
:math:`\\kappa_f` = ``resolve.forces_coupling`` (default 0.5), :math:`\\kappa_e` =
``resolve.economy_coupling`` (0.3) and :math:`\\sigma = \\sigma_0\\,(1 - s)`, :math:`\\sigma_0` =
``resolve.noise`` (0.01), with
:math:`s` domestic support (0.5 when not given): a public that supports the war steadies
its leaders. Power is influence scaled by the share of forces still in the field,
:math:`P = I\\,(F_t/F_0)^{e}`, :math:`e` = ``resolve.power_exponent`` (default 1/2, the
square root: losses weigh less than in proportion; a judgement, docs/assumptions.md).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from polemos.engine.stage import BaseStage, Context, State

try:  # the ufunc np.clip ends in, without its Python-level argument checks (same bits)
    from numpy._core.umath import clip
except ImportError:  # pragma: no cover - other NumPy layouts
    clip = np.clip

KAPPA_FORCES = 0.5
KAPPA_ECONOMY = 0.3
SIGMA = 0.01
POWER_EXPONENT = 0.5
"""Default of ``resolve.power_exponent`` (the scenario's value is used)."""


class CapabilityStage(BaseStage):
    name = "capability"
    key = 3
    READS = ("forces.<actor>", "revenue.<actor>", "actors[].influence", "actors[].attributes",)
    WRITES = ("power.<actor>", "resolve.<actor>",)

    def init(self, ctx: Context) -> State:
        self.ctx = ctx
        p = ctx.params
        out: State = {}
        self.actors = [a.id for a in ctx.scenario.actors]
        res = ctx.scenario.resolve
        self.k_forces = p.value(res.forces_coupling, KAPPA_FORCES)
        self.k_economy = p.value(res.economy_coupling, KAPPA_ECONOMY)
        self.sigma = np.maximum(p.value(res.noise, SIGMA), 0.0)
        self.power_exp = p.value(res.power_exponent, POWER_EXPONENT)
        # the default's square root as np.sqrt (correctly rounded), as before the field
        self.square_root = bool(np.all(self.power_exp == 0.5))
        self.influence: dict[str, np.ndarray] = {}
        self.noise: dict[str, np.ndarray] = {}
        for a in ctx.scenario.actors:
            self.influence[a.id] = np.maximum(p.value(a.influence, 1.0), 0.0)
            support = p.measure(a.attributes, "domestic_support", 0.5)
            self.noise[a.id] = self.sigma * (1.0 - np.clip(support, 0.0, 1.0))
            out[f"resolve.{a.id}"] = np.clip(p.measure(a.attributes, "resolve", 0.5), 0.0, 1.0)
            out[f"power.{a.id}"] = self.influence[a.id].copy()
        self.last: dict[str, np.ndarray] = {}
        self.floor0: dict[str, np.ndarray] = {}
        return out

    def _log_change(self, state: State, name: str) -> np.ndarray | None:
        """``log(max(x, 1e-9) / max(x_prev, 1e-9))``; the floored value is kept for the
        next week (the same numbers as flooring the previous value again)."""
        arr = state.get(name)
        if arr is None:
            return None
        now = np.maximum(arr, 1e-9)
        prev = self.last.get(name)
        self.last[name] = now
        if prev is None:
            return None
        now = np.divide(now, prev)
        return np.log(now, out=now)

    def step(self, state: State, week: int, date: dt.date, rng: np.random.Generator) -> None:
        if week == 1:  # the first step's starting values are the family stages' inits
            for a in self.actors:
                for var in (f"forces.{a}", f"revenue.{a}"):
                    if var in state:
                        self.last.setdefault(var, np.maximum(state[var], 1e-9))
            self.floor0 = {a: self.last[f"forces.{a}"] for a in self.actors
                           if f"forces.{a}" in self.last}  # max(F0, 1e-9)
        for a in self.actors:
            r = state[f"resolve.{a}"]
            r += self.noise[a] * rng.standard_normal(self.ctx.n)
            dforces = self._log_change(state, f"forces.{a}")
            if dforces is not None:
                r += self.k_forces * dforces
            drev = self._log_change(state, f"revenue.{a}")
            if drev is not None:
                r += self.k_economy * drev
            clip(r, 0.0, 1.0, out=r)
            f0 = self.floor0.get(a)
            if f0 is None:
                state[f"power.{a}"][:] = self.influence[a]
                continue
            share = np.maximum(state[f"forces.{a}"], 0)
            share /= f0
            if self.square_root:
                np.sqrt(share, out=share)
            else:
                np.power(share, self.power_exp, out=share)
            np.multiply(self.influence[a], share, out=state[f"power.{a}"])

"""Bilateral trade under tariffs, sanctions, export controls, financial measures and blockade,
and the output each actor loses with it.

Flows ``f`` run from an exporter to an importer in one sector (goods, energy,
semiconductors, rare earths ...) with base values ``V0_f`` (USD bn a year). Each measure
``m`` has the bite ``e_m(t)`` of :func:`polemos.models.economy.measures.strength` (start,
lag, compliance, adaptation) and touches the flows of its incidence row ``H[m, f]``.

Gravity (structural gravity; Head & Mayer 2014, *Handbook of International Economics*
4, ch. 3): a tariff ``tau`` scales a flow by ``(1 + tau)**-theta`` with ``theta`` the
trade elasticity. A sanction, export control, secondary or financial measure cuts the share
``k_m v_m`` it covers (``v`` the volume cut at full bite; a financial measure's cover is
multiplied by the target's share of trade settled in its currency). Per flow::

    D_f(t) = prod_m (1 - k_m v_m e_m(t))**H[m,f] * prod_m (1 + tau_m e_m(t))**(-theta H[m,f])

Felbermayr, Kirilakha, Syropoulos, Yalcin & Yotov (2020), "The Global Sanctions Data Base",
*European Economic Review* 129: 103561, estimate that complete bilateral trade sanctions
cut trade by about three quarters (a PPML gravity coefficient near -1.4), partial ones by
less: the volume cut and coverage of a measure are scenario inputs on that scale.

Evasion and re-routing: a share ``rho_m(t) = rho (1 - 2**-(t - s_m)/h_r)`` of the trade a
measure stops goes round through third countries (Chupilkin, Javorcik & Plekhanov 2023,
"The Eurasian roundabout"), lessened by secondary measures on the same target
(``prod (1 - k e)`` over them) and dearer by the iceberg share ``c_r``. Re-routed trade
counts in the parties' totals, not in the bilateral flow (as customs statistics see it).

Blockade: the seaborne part ``1 - a_s`` of every flow to or from a blockaded party is
scaled by the share of shipping that gets through, ``R(t)`` (from the blockade family).

Output (Arkolakis, Costinot & Rodriguez-Clare 2012, "New trade models, same old gains?",
*AER* 102(1), eq. 1: the real-income change is ``lambda_hat**(-1/theta)`` with ``lambda``
the domestic expenditure share), plus a supply-chain bottleneck on critical sectors and
the short-run loss of export income::

    lambda = 1 - M / Y;   L_acr = 1 - (lambda' / lambda)**(-1/theta)
    L_crit = sum_s kappa_s (1 - M'_s / M0_s);   L_exp = chi (X0 - X') / Y
    L(t+dt) = L(t) + (1 - 2**(-dt/h)) (clip(L_acr + L_crit + L_exp, 0, 1) - L(t))
    Y(t) = Y0 (1 + g)**t (1 - L(t))

All arrays carry a leading draw axis ``n``; flows ``F``, measures ``M``, actors with
output ``A``, sectors ``S``, parties ``P`` (actors in flows, with ROW).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from polemos.models.economy import measures

WEEKS_PER_YEAR = 365.25 / 7.0
_TINY = 1e-12


@dataclass(frozen=True)
class TradeParams:
    """The trade matrix and the actors' output parameters (see the module docstring)."""

    parties: tuple[str, ...]
    sectors: tuple[str, ...]
    actors: tuple[str, ...]
    exporter: np.ndarray  # (F,) party index
    importer: np.ndarray  # (F,) party index
    sector: np.ndarray  # (F,) sector index
    base: np.ndarray  # (n, F) USD bn / year
    air_share: np.ndarray  # (n, S)
    theta: np.ndarray  # (n,)
    reroute_max: np.ndarray  # (n,)
    reroute_half_life: np.ndarray  # (n,)
    reroute_cost: np.ndarray  # (n,)
    gdp: np.ndarray  # (n, A) USD bn / year
    growth: np.ndarray  # (n, A)
    half_life: np.ndarray  # (n, A) weeks
    export_share: np.ndarray  # (n, A)
    critical: np.ndarray  # (n, A, S)
    reserves: np.ndarray  # (n, A) USD bn
    tax_elasticity: np.ndarray | None = None  # (n, A); None: 1

    @property
    def n_draws(self) -> int:
        return int(np.shape(self.base)[0])

    def actor_index(self) -> np.ndarray:
        """(A,) the party index of each actor with output."""
        return np.array([self.parties.index(a) for a in self.actors], dtype=int)


@dataclass(frozen=True)
class TradeMeasures:
    """Measures on trade, each field (n, M); ``hit`` (M, F) and ``tariff`` (M, F) 0/1.

    ``block`` (M, P): 1 where a secondary measure curbs re-routing by party ``p`` (its
    target); ``reroutable`` (M,): whether the trade the measure stops can go round;
    ``freeze`` (n, M, A): the reserves (USD bn) a reserve freeze holds at full bite.
    """

    ids: tuple[str, ...]
    start: np.ndarray
    lag: np.ndarray
    compliance: np.ndarray
    half_life: np.ndarray
    cut: np.ndarray  # (n, M): k v (with the settlement share for financial measures)
    rate: np.ndarray  # (n, M): tariff rate
    hit: np.ndarray  # (M, F)
    tariff: np.ndarray  # (M, F)
    block: np.ndarray  # (M, P)
    reroutable: np.ndarray  # (M,)
    freeze: np.ndarray  # (n, M, A)

    @classmethod
    def none(cls, n: int, n_flows: int, n_parties: int, n_actors: int) -> TradeMeasures:
        e = np.zeros((n, 0))
        return cls((), e, e, e, e, e, e, np.zeros((0, n_flows)), np.zeros((0, n_flows)),
                   np.zeros((0, n_parties)), np.zeros(0, bool), np.zeros((n, 0, n_actors)))

    def active_mask(self, without=()) -> np.ndarray:
        """(M,) booleans: every measure except those in ``without`` (others ignored)."""
        return np.array([i not in set(without) for i in self.ids], dtype=bool)


@dataclass
class TradeState:
    loss: np.ndarray  # (n, A) output lost, share of trend


def initial_state(p: TradeParams) -> TradeState:
    return TradeState(np.zeros((p.n_draws, len(p.actors))))


def _ramp(since: np.ndarray, half_life: np.ndarray) -> np.ndarray:
    """``1 - 2**(-since/h)`` for ``since >= 0``, else 0 (never started: 0)."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        r = 1.0 - np.exp2(-np.maximum(since, 0.0) / np.maximum(half_life, _TINY))
    return np.where(np.isfinite(since) & (since >= 0), r, 0.0)


def flows_step(p: TradeParams, m: TradeMeasures, week: float, starts: np.ndarray,
               reach: np.ndarray | None = None, active: Any = True,
               scale: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Flows at ``week`` (USD bn a year): direct ``(n, F)`` and re-routed ``(n, F)``.

    ``reach`` (n, P): share of seaborne shipping that gets through to or from each party
    (1 where there is no blockade). ``scale`` (n, F): flows whose value another model
    sets (an oil exporter's oil flows: volume x realised price relative to as_of).
    """
    n = p.n_draws
    e = measures.strength(week, starts, m.lag, m.compliance, m.half_life, active)  # (n, M)
    cut = np.clip(m.cut, 0.0, 1.0) * e
    log_keep = np.log(np.maximum(1.0 - cut, _TINY)) @ m.hit
    log_tar = -p.theta[:, None] * (np.log1p(np.maximum(m.rate, 0.0) * e) @ m.tariff)
    direct = np.exp(log_keep + log_tar)  # (n, F)
    # evasion: each measure's stopped trade partly re-routed, curbed by secondary measures
    curb = np.exp(np.log(np.maximum(1.0 - np.clip(m.cut, 0, 1) * e, _TINY)) @ m.block)  # (n, P)
    since = week - np.where(np.isfinite(starts), starts, np.inf)
    rho = p.reroute_max[:, None] * _ramp(since, p.reroute_half_life[:, None]) * m.reroutable
    w_num = (cut * rho) @ m.hit
    w_den = cut @ m.hit
    share = np.where(w_den > 0, w_num / np.maximum(w_den, _TINY), 0.0)
    share = share * np.minimum(curb[:, p.exporter], curb[:, p.importer])
    if reach is None:
        sea = np.ones((n, len(p.exporter)))
    else:
        air = p.air_share[:, p.sector]
        lost = (1.0 - reach[:, p.exporter]) + (1.0 - reach[:, p.importer]) \
            - (1.0 - reach[:, p.exporter]) * (1.0 - reach[:, p.importer])
        sea = 1.0 - (1.0 - np.clip(air, 0.0, 1.0)) * np.clip(lost, 0.0, 1.0)
    base = p.base if scale is None else p.base * np.maximum(scale, 0.0)
    flow = base * direct * sea
    rerouted = base * (1.0 - direct) * np.clip(share, 0.0, 1.0) * sea
    return {"flow": flow, "rerouted": rerouted, "bite": e}


def _by_actor(x: np.ndarray, side: np.ndarray, p: TradeParams) -> np.ndarray:
    """Sum (n, F) over the flows on ``side`` (exporter or importer) of each actor: (n, A)."""
    onehot = (side[:, None] == p.actor_index()[None, :]).astype(float)  # (F, A)
    return x @ onehot


def _by_actor_sector(x: np.ndarray, p: TradeParams) -> np.ndarray:
    """Imports (n, F) summed per importing actor and sector: (n, A, S)."""
    imp = (p.importer[:, None] == p.actor_index()[None, :]).astype(float)  # (F, A)
    sec = (p.sector[:, None] == np.arange(len(p.sectors))[None, :]).astype(float)  # (F, S)
    return np.einsum("nf,fa,fs->nas", x, imp, sec)


def step(p: TradeParams, m: TradeMeasures, state: TradeState, week: float, dt_weeks: float,
         starts: np.ndarray, reach: np.ndarray | None = None, active: Any = True,
         scale: np.ndarray | None = None):
    """Advance output by ``dt_weeks``; returns ``(state', flows)``, flows per step (n, A).

    Losses are measured against the flows of as_of (``p.base``), so a ``scale`` below 1
    (an oil exporter's falling oil receipts) is lost export income like any other cut.
    """
    base = p.base
    f = flows_step(p, m, week, starts, reach, active, scale)
    flow, rr = f["flow"], f["rerouted"]
    eff = flow + rr * (1.0 - np.clip(p.reroute_cost, 0.0, 1.0))[:, None]
    m0 = _by_actor(base, p.importer, p)
    x0 = _by_actor(base, p.exporter, p)
    m_eff = _by_actor(eff, p.importer, p)
    imports = _by_actor(flow + rr, p.importer, p)
    exports = _by_actor(flow + rr, p.exporter, p)
    gdp = np.maximum(p.gdp, _TINY)
    lam0 = np.clip(1.0 - m0 / gdp, 1e-6, 1.0)
    lam1 = np.clip(1.0 - m_eff / gdp, 1e-6, 1.0)
    acr = 1.0 - (lam1 / lam0) ** (-1.0 / np.maximum(p.theta, _TINY))[:, None]
    s0 = _by_actor_sector(base, p)
    s1 = _by_actor_sector(eff, p)
    lost_s = np.where(s0 > 0, 1.0 - s1 / np.maximum(s0, _TINY), 0.0)
    crit = np.sum(np.maximum(p.critical, 0.0) * np.clip(lost_s, 0.0, 1.0), axis=-1)
    exp_loss = np.clip(p.export_share, 0, 1) * np.maximum(x0 - exports, 0.0) / gdp
    target = np.clip(acr + crit + exp_loss, 0.0, 1.0)
    k = 1.0 - np.exp2(-dt_weeks / np.maximum(p.half_life, _TINY))
    loss = state.loss + k * (target - state.loss)
    years = week / WEEKS_PER_YEAR
    per_step = dt_weeks / WEEKS_PER_YEAR
    trend = p.gdp * (1.0 + p.growth) ** years
    frozen = np.einsum("nm,nma->na", f["bite"], m.freeze) if m.freeze.shape[1] else \
        np.zeros_like(loss)
    out = {"output": trend * (1.0 - loss) * per_step, "output_loss": loss,
           "revenue_index": (1.0 - loss) ** (1.0 if p.tax_elasticity is None
                                             else np.maximum(p.tax_elasticity, 0.0)),
           "output_index": 1.0 - loss, "exports": exports * per_step,
           "imports": imports * per_step, "trade": (exports + imports) * per_step,
           "rerouted": (_by_actor(rr, p.importer, p) + _by_actor(rr, p.exporter, p)) * per_step,
           "reserves_frozen": frozen,
           "imports_by_sector": _by_actor_sector(flow + rr, p) * per_step}
    return TradeState(loss), out


def simulate(p: TradeParams, m: TradeMeasures, n_steps: int, dt_weeks: float,
             starts: np.ndarray, reach: np.ndarray | None = None,
             active: Any = True, scale: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """``n_steps`` steps; outputs stacked to (n, T, A) ((n, T, A, S) by sector).

    ``reach`` (n, T, P) and ``scale`` (n, T, F) or None. Deterministic given them.
    """
    state = initial_state(p)
    out: dict[str, list] = {}
    for t in range(int(n_steps)):
        r = None if reach is None else reach[:, t]
        sc = None if scale is None else scale[:, t]
        state, flows = step(p, m, state, t * dt_weeks, dt_weeks, starts, r, active, sc)
        for k, v in flows.items():
            out.setdefault(k, []).append(v)
    return {k: np.stack(v, axis=1) for k, v in out.items()}


def run(*, params: TradeParams, measures_: TradeMeasures, starts: np.ndarray,
        n_steps: int = 52, dt_weeks: float = 1.0, rng=None) -> dict[str, np.ndarray]:
    """Trade and output of each actor under measures: gravity ``(1+tau)**-theta``, cuts
    ``prod(1 - k v e)``, re-routing, and output ``lambda_hat**(-1/theta)`` (ACR 2012) plus
    critical-sector and export-income losses. Outputs (n, T, A). ``rng`` unused."""
    out = simulate(params, measures_, n_steps, dt_weeks, starts)
    out.pop("imports_by_sector")
    return out


def example(rng: np.random.Generator, n_draws: int) -> dict:
    """Three parties (a sender, a target, the rest of the world), two sectors, two measures."""
    n = n_draws

    def u(lo, hi, shape=(n,)):
        return rng.uniform(lo, hi, shape)

    exporter = np.array([0, 1, 1, 2, 0, 2])
    importer = np.array([1, 0, 2, 1, 2, 0])
    sector = np.array([0, 0, 0, 1, 1, 0])
    p = TradeParams(
        parties=("SND", "TGT", "ROW"), sectors=("goods", "chips"), actors=("SND", "TGT"),
        exporter=exporter, importer=importer, sector=sector, base=u(10, 200, (n, 6)),
        air_share=u(0, 0.5, (n, 2)), theta=u(3, 7), reroute_max=u(0, 0.6),
        reroute_half_life=u(10, 40), reroute_cost=u(0, 0.2), gdp=u(1500, 3000, (n, 2)),
        growth=u(0, 0.03, (n, 2)), half_life=u(4, 20, (n, 2)), export_share=u(0.3, 0.7, (n, 2)),
        critical=u(0, 0.1, (n, 2, 2)), reserves=u(100, 500, (n, 2)),
        tax_elasticity=u(0.8, 1.2, (n, 2)))
    hit = np.zeros((2, 6))
    hit[0, [0, 1]] = 1.0  # a sanction on the sender-target flows
    hit[1, [3]] = 1.0  # an export control on chips to the target
    mm = TradeMeasures(
        ids=("sanction", "chips"), start=u(0, 10, (n, 2)), lag=u(0, 8, (n, 2)),
        compliance=u(0.5, 1.0, (n, 2)), half_life=np.full((n, 2), np.inf),
        cut=u(0.2, 0.9, (n, 2)), rate=np.zeros((n, 2)), hit=hit, tariff=np.zeros((2, 6)),
        block=np.zeros((2, 3)), reroutable=np.array([True, True]),
        freeze=np.zeros((n, 2, 2)))
    return {"params": p, "measures_": mm, "starts": mm.start, "n_steps": 26, "dt_weeks": 1.0}


__all__ = ["TradeMeasures", "TradeParams", "TradeState", "flows_step", "initial_state", "run",
           "simulate", "step"]

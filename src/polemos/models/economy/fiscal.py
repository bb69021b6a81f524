"""The budget, the reserve fund and the defence economy of one actor, one step at a time.

Budget with a fiscal rule (Russian Budget Code art. 96.10 as amended in 2023: oil-and-gas
revenue above its "base" level, computed at a base Urals price of 60 USD/bbl from 2024,
is saved in the National Wealth Fund, and a shortfall below the base is covered from
it; Ministry of Finance, *Budget rule* explanatory notes 2023-2025)::

    purchases = max(T_og - T_base, 0)             -> into the reserve fund
    rule_sale = min(max(T_base - T_og, 0), F)     <- out of the reserve fund
    gap       = S - R_non_og - T_og - A + purchases - rule_sale
    discretionary draw = min(delta * max(gap, 0), F - rule_sale)
    borrowing = min(gap - draw, B_max)            (domestic debt, OFZ)
    cut       = max(gap - draw - borrowing, 0)    (forced spending cut)
    F'        = (F + purchases - rule_sale - draw + max(-gap, 0)) (1 + r)**(dt/52)

with ``S`` planned spending, ``A`` external financing (grants and loans: the main source
for Ukraine), ``delta`` the share of the remaining deficit the government takes from the
fund and ``r`` its return (revaluation of gold and yuan). The fund never goes negative:
every withdrawal is capped by what is there. Defence bears a share ``phi`` of forced cuts.

Defence economy. With ``x = (defence spent / price level) / (planned defence at t=0)`` the
real defence index, recruitment and production respond with constant elasticities::

    recruits/week   = r0 x ** eps_r            (sign-up bonuses paid from the budget)
    output_k/week   = q0_k exp(g_k t) x ** eps_k

a reduced form of the observation that regional and federal sign-up bonuses rose
several-fold in 2024-2025 while contract recruitment stayed near 30,000 a month
(Re:Russia; CSIS, "Russia's military recruitment", 2025): the elasticity is a scenario
input, not an estimate.
"""

from __future__ import annotations

import numpy as np

WEEKS_PER_YEAR = 365.25 / 7.0


def budget_step(*, spending, non_oil_revenue, oil_gas, oil_gas_base, external, reserve,
                draw_share, borrow_cap, reserve_return, dt_weeks):
    """One step of the budget identity and the reserve fund; amounts per step, (n,) arrays.

    Returns ``(reserve', flows)`` with flows ``purchases, rule_sale, draw, borrowing, cut,
    deficit``. The reserve is non-negative by construction.
    """
    return budget(spending, non_oil_revenue, oil_gas, oil_gas_base, external, reserve,
                  *budget_rules(draw_share, borrow_cap, reserve_return, dt_weeks))


def budget_rules(draw_share, borrow_cap, reserve_return, dt_weeks) -> tuple:
    """The fixed parts of :func:`budget_step`: ``(clip(delta, 0, 1), max(B_max, 0),
    (1 + r)**(dt/52))``."""
    return (np.clip(draw_share, 0.0, 1.0), np.maximum(borrow_cap, 0.0),
            (1.0 + reserve_return) ** (dt_weeks / WEEKS_PER_YEAR))


def budget(spending, non_oil_revenue, oil_gas, oil_gas_base, external, reserve, share,
           cap, grow):
    """:func:`budget_step` with its fixed parts (:func:`budget_rules`) given."""
    reserve = np.maximum(reserve, 0.0)
    purchases = np.maximum(oil_gas - oil_gas_base, 0.0)
    rule_sale = np.minimum(np.maximum(oil_gas_base - oil_gas, 0.0), reserve)
    deficit = spending - non_oil_revenue - oil_gas - external
    gap = deficit + purchases - rule_sale
    draw = np.minimum(share * np.maximum(gap, 0.0), reserve - rule_sale)
    rest = np.maximum(gap - draw, 0.0)
    borrowing = np.minimum(rest, cap)
    cut = rest - borrowing
    surplus = np.maximum(-gap, 0.0)
    new = np.maximum(reserve + purchases - rule_sale - draw + surplus, 0.0) * grow
    flows = {"purchases": purchases, "rule_sale": rule_sale, "draw": draw,
             "borrowing": borrowing, "cut": cut, "deficit": deficit}
    return new, flows


def defence_output(*, defence_real_index, recruits_per_week, recruit_elasticity,
                   production_per_week, production_elasticity, production_growth,
                   week, dt_weeks):
    """Recruits and production (per step) from the real defence index ``x`` (n,)."""
    return output(defence_real_index, recruits_per_week * dt_weeks, recruit_elasticity,
                  production_per_week * dt_weeks, production_elasticity, production_growth,
                  week)


def output(defence_real_index, recruits_per_step, recruit_elasticity, production_per_step,
           production_elasticity, production_growth, week):
    """:func:`defence_output` with the per-step rates ``r0 dt`` and ``q0 dt`` given."""
    x = np.maximum(defence_real_index, 0.0)
    recruits = recruits_per_step * x ** recruit_elasticity
    trend = np.exp(production_growth * week / WEEKS_PER_YEAR)
    prod = production_per_step * trend * x[:, None] ** production_elasticity
    return recruits, prod

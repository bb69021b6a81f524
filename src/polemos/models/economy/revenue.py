"""Oil and gas export revenue and the budget's oil-and-gas revenue.

Units throughout: volumes in million barrels a day (mb/d) for oil and billion cubic
metres a year (bcm/y) for gas; prices in US dollars per barrel and per thousand cubic
metres; revenues per step in billions (USD bn for exports, national currency bn for the
budget); the exchange rate in national currency per US dollar.

Export revenue (the receipts of the exporters, as tracked by the IEA *Oil Market Report*
and the KSE Institute *Russian Oil Tracker*)::

    X_oil = V_oil * days * 1e-3 * p_realised                           (USD bn)
    p_realised = benchmark - discount   (price caps: see measures.realised_price)
    X_gas = G * days / 365 * P_gas * 1e-3                                (USD bn)

Budget oil-and-gas revenue (a deliberate simplification of the Russian tax code). The
mineral extraction tax (NDPI) is levied per tonne on *production* with a rate linear in
``(Urals - 15) * RUB/USD`` (Tax Code of the Russian Federation, art. 342: the coefficient
Kc = (Ts - 15) * R / 261), and the export duty it replaced after the 2015-2024 "tax
manoeuvre", the damper and the profit-based tax (NDD) all scale with the same export
netback to first order. We therefore write the whole oil take as one effective share
``tau`` of the rent above a floor::

    T_oil = tau * Q * days * 1e-3 * max(p_urals - floor, 0) * fx          (RUB bn)
    T_gas = tau_gas * X_gas * fx

with ``Q`` the taxed volume (crude production, mb/d), ``floor`` = 15 USD/bbl (the
statutory NDPI deduction) and ``tau`` calibrated on one year of Ministry of Finance data
(2024: 11.13 tn roubles; see docs/validation/economy.md). Omitted: the one-month lag of
tax payments, the quarterly NDD instalments, the damper's dependence on domestic fuel
prices and one-off payments; their size is the model error reported in the validation.
"""

from __future__ import annotations

import numpy as np

NDPI_FLOOR_USD = 15.0
"""The price deduction in the Russian NDPI formula, USD/bbl (Tax Code art. 342 p. 3)."""


def oil_export_revenue(volume_mbd, price_usd, days) -> np.ndarray:
    """Export receipts in USD bn: ``volume (mb/d) * days * price (USD/bbl) / 1000``."""
    return np.maximum(volume_mbd, 0.0) * days * 1e-3 * np.maximum(price_usd, 0.0)


def gas_export_revenue(volume_bcm_year, price_usd_kcm, days) -> np.ndarray:
    """Gas export receipts in USD bn: ``bcm/y * days/365 * 1e6 kcm/bcm * USD/kcm / 1e9``."""
    return np.maximum(volume_bcm_year, 0.0) * days / 365.0 * np.maximum(price_usd_kcm, 0.0) * 1e-3


def oil_tax(tax_take, taxed_mbd, urals_usd, fx, days, floor_usd=NDPI_FLOOR_USD) -> np.ndarray:
    """Budget oil revenue in national currency bn: ``tau Q days/1000 max(p - floor, 0) fx``."""
    return tax_base(tax_take, taxed_mbd, days) * rent(urals_usd, floor_usd) * fx


def tax_base(tax_take, taxed_mbd, days) -> np.ndarray:
    """``tau Q days/1000``: the oil tax per USD of rent and unit of exchange rate."""
    return np.asarray(tax_take, float) * np.maximum(taxed_mbd, 0.0) * days * 1e-3


def rent(urals_usd, floor_usd=NDPI_FLOOR_USD) -> np.ndarray:
    """``max(p - floor, 0)``, USD/bbl."""
    return np.maximum(np.asarray(urals_usd, dtype=float) - floor_usd, 0.0)


def budget_oil_gas_revenue(
    tax_take, taxed_mbd, urals_usd, fx, days, gas_tax_take=0.0, gas_export_usd_bn=0.0,
    floor_usd=NDPI_FLOOR_USD,
) -> np.ndarray:
    """Oil-and-gas revenue of the budget (national currency bn) for one step."""
    oil = oil_tax(tax_take, taxed_mbd, urals_usd, fx, days, floor_usd)
    return oil + np.asarray(gas_tax_take, float) * np.asarray(gas_export_usd_bn, float) * fx


def calibrate_tax_take(revenue_bn, taxed_mbd, urals_usd, fx, days, floor_usd=NDPI_FLOOR_USD):
    """The ``tau`` that reproduces an observed oil-and-gas revenue (inverse of oil_tax)."""
    base = oil_tax(1.0, taxed_mbd, urals_usd, fx, days, floor_usd)
    return np.asarray(revenue_bn, float) / base


def run(
    *, crude_mbd, products_mbd, benchmark_usd, discount_usd, fx, tax_take, taxed_mbd,
    gas_bcm_year, gas_price_usd, gas_tax_take, days=365.0, rng=None,
) -> dict[str, np.ndarray]:
    """Annual (or per-period) oil-and-gas export receipts and budget revenue.

    ``X = (V_crude + V_products) days/1000 (benchmark - discount) + G days/365 P_gas/1000``
    in USD bn; budget ``T = tau Q days/1000 max(benchmark - discount - 15, 0) fx +
    tau_gas X_gas fx`` in national currency bn (the effective-take simplification of the
    Russian NDPI, Tax Code art. 342; see the module docstring). Deterministic: ``rng``
    is accepted for the common interface and unused. All inputs have a leading draw axis.
    """
    price = np.asarray(benchmark_usd, float) - np.asarray(discount_usd, float)
    oil_x = oil_export_revenue(np.asarray(crude_mbd) + np.asarray(products_mbd), price, days)
    gas_x = gas_export_revenue(gas_bcm_year, gas_price_usd, days)
    budget = budget_oil_gas_revenue(
        tax_take, taxed_mbd, price, fx, days, gas_tax_take=gas_tax_take, gas_export_usd_bn=gas_x
    )
    return {"oil_export_usd": oil_x, "gas_export_usd": gas_x, "oil_gas_revenue": budget}


def example(rng: np.random.Generator, n_draws: int) -> dict[str, np.ndarray]:
    """Russia, 2025 orders of magnitude (see docs/validation/economy.md for sources)."""
    return {
        "crude_mbd": rng.uniform(4.4, 5.0, n_draws),
        "products_mbd": rng.uniform(2.0, 2.5, n_draws),
        "benchmark_usd": rng.uniform(60.0, 75.0, n_draws),
        "discount_usd": rng.uniform(8.0, 15.0, n_draws),
        "fx": rng.uniform(78.0, 95.0, n_draws),
        "tax_take": rng.uniform(0.6, 0.7, n_draws),
        "taxed_mbd": rng.uniform(9.0, 9.4, n_draws),
        "gas_bcm_year": rng.uniform(90.0, 120.0, n_draws),
        "gas_price_usd": rng.uniform(200.0, 350.0, n_draws),
        "gas_tax_take": rng.uniform(0.0, 0.3, n_draws),
    }

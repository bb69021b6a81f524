"""War economies and economic coercion.

Models (registered in :mod:`polemos.models.registry`):

- ``economy.oil_gas_revenue``: export receipts ``V (benchmark - discount)`` for oil and
  gas and the budget's oil-and-gas revenue as an effective share of the rent above the
  NDPI floor (Russian Tax Code art. 342; calibrated on Ministry of Finance data).
- ``economy.measures``: sanctions, price caps, (secondary) tariffs and export bans with
  start, lag, compliance, coverage and adaptation; threats with deadlines that may be
  postponed (KSE Institute Russian Oil Tracker; CREA monthly analyses).
- ``economy.trade``: the bilateral trade matrix (sectors such as energy, semiconductors,
  rare earths) under tariffs (gravity), sanctions, export controls, secondary and financial
  measures, re-routing and blockade; each actor's output answers with a lag (ACR 2012).
  The oil exporter is the configuration with an ``oil`` block and measures on ``oil``.
- ``economy.war_economy``: the weekly chain oil -> budget (fiscal rule, reserve fund,
  borrowing, cuts) -> defence spending -> recruits and production.

The engine steps an actor with :class:`stepper.ActorStepper` (state variables named
``economy.<actor>.*``), or directly with :func:`war_economy.step`.
"""

from __future__ import annotations

from polemos.models.economy import measures, revenue, trade, war_economy
from polemos.models.registry import ModelSpec, register

_TAX = ("Tax Code of the Russian Federation, art. 342 (NDPI: Kc = (Urals - 15) R / 261), "
        "effective take calibrated on Russian Ministry of Finance oil-and-gas revenue (2024)")
_SANCTIONS = ("KSE Institute, Russian Oil Tracker (2023-2025); CREA, Monthly analysis of "
              "Russian fossil fuel exports and sanctions (2025); Wachtmeister, Gars & Spiro "
              "(2024), Oil sanctions and the Russian oil price cap")

OIL_GAS_REVENUE = register(ModelSpec(
    name="economy.oil_gas_revenue", run=revenue.run, example=revenue.example,
    citation=_TAX + "; export receipts as in the IEA Oil Market Report",
    bounds={"oil_export_usd": (0.0, None), "gas_export_usd": (0.0, None),
            "oil_gas_revenue": (0.0, None)},
    summary="Oil and gas export receipts and the budget's oil-and-gas revenue.",
))

MEASURES = register(ModelSpec(
    name="economy.measures", run=measures.run, example=measures.example,
    citation=_SANCTIONS + "; threats postponed with a geometric number of postponements",
    bounds={"volume_multiplier": (0.0, 1.0), "extra_discount": (0.0, None),
            "started": (0.0, 1.0)},
    summary="Bite of sanctions, caps and tariffs on volumes and discounts; threats.",
))

WAR_ECONOMY = register(ModelSpec(
    name="economy.war_economy", run=war_economy.run, example=war_economy.example,
    citation=_TAX + "; Budget Code of the Russian Federation art. 96.10 (fiscal rule, NWF); "
    + _SANCTIONS,
    bounds={"reserve_fund": (0.0, None), "oil_gas_revenue": (0.0, None),
            "defence_spending": (0.0, None), "recruits": (0.0, None),
            "production": (0.0, None), "volume_multiplier": (0.0, 1.0),
            "export_revenue": (0.0, None), "borrowing": (0.0, None), "cut": (0.0, None)},
    summary="Weekly war economy: oil and gas -> budget and reserve fund -> defence output.",
))

TRADE = register(ModelSpec(
    name="economy.trade", run=trade.run, example=trade.example,
    citation="Head & Mayer (2014), Gravity equations, Handbook of International Economics 4 "
    "ch. 3 (trade elasticity); Felbermayr, Kirilakha, Syropoulos, Yalcin & Yotov (2020), The "
    "Global Sanctions Data Base, European Economic Review 129; Arkolakis, Costinot & "
    "Rodriguez-Clare (2012), New trade models, same old gains?, AER 102(1), eq. 1; "
    "Chupilkin, Javorcik & Plekhanov (2023), The Eurasian roundabout (EBRD working paper)",
    bounds={"output": (0.0, None), "output_loss": (0.0, 1.0), "output_index": (0.0, 1.0),
            "revenue_index": (0.0, 1.0), "exports": (0.0, None), "imports": (0.0, None),
            "trade": (0.0, None), "rerouted": (0.0, None), "reserves_frozen": (0.0, None)},
    summary="Bilateral trade under tariffs, sanctions, export controls, financial measures, "
            "re-routing and blockade; output, with lags.",
))

__all__ = ["MEASURES", "OIL_GAS_REVENUE", "TRADE", "WAR_ECONOMY", "measures", "revenue", "trade",
           "war_economy"]

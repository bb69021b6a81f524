"""Trade collapse under sanctions against published cases (docs/validation/economy.md, 5).

Inputs are the published coverage of each case's bans; the outputs are compared with
observed declines of trade values within stated tolerances. One case is a recorded
negative result (EU imports from Russia): the test pins that the model misses it by the
documented amount, so a change that silently 'fixes' it shows up.
"""

from __future__ import annotations

import numpy as np
import pytest

from polemos.models.economy import trade

N = 1


def _case(base, exporter, importer, cuts, hits, *, reroute=0.0, half_life=26.0, lag=8.0,
          parties=("SND", "TGT", "ROW")):
    f = len(base)
    p = trade.TradeParams(
        parties=parties, sectors=("goods",), actors=parties[:2],
        exporter=np.array(exporter), importer=np.array(importer), sector=np.zeros(f, int),
        base=np.array([base], float), air_share=np.zeros((N, 1)), theta=np.full(N, 5.0),
        reroute_max=np.full(N, reroute), reroute_half_life=np.full(N, half_life),
        reroute_cost=np.zeros(N), gdp=np.full((N, 2), 1e4), growth=np.zeros((N, 2)),
        half_life=np.full((N, 2), 8.0), export_share=np.zeros((N, 2)),
        critical=np.zeros((N, 2, 1)), reserves=np.zeros((N, 2)))
    m = len(cuts)
    ms = trade.TradeMeasures(
        ids=tuple(f"m{i}" for i in range(m)), start=np.zeros((N, m)), lag=np.full((N, m), lag),
        compliance=np.ones((N, m)), half_life=np.full((N, m), np.inf),
        cut=np.array([cuts], float), rate=np.zeros((N, m)), hit=np.array(hits, float),
        tariff=np.zeros((m, f)), block=np.zeros((m, len(parties))),
        reroutable=np.ones(m, bool), freeze=np.zeros((N, m, 2)))
    return p, ms


# EU-Russia, 2021 base (EUR bn): bans cover EUR 43.9 bn of exports (49%) and EUR 91.2 bn
# of imports (58%) after ten packages (European Commission, Feb 2023). Observed (Eurostat,
# values): exports to Russia -61% (Feb 2022 - Sep 2023), imports from Russia -82%
# (Feb 2022 - Dec 2023).
EU_EXPORTS, EU_IMPORTS = 43.9 / 0.49, 91.2 / 0.58


def eu_russia():
    return _case([EU_EXPORTS, EU_IMPORTS], [0, 1], [1, 0], [0.49, 0.58],
                 [[1, 0], [0, 1]], parties=("EUR", "RUS", "ROW"))


def test_eu_exports_to_russia_within_tolerance():
    p, m = eu_russia()
    f = trade.flows_step(p, m, 80.0, m.start)["flow"][0]
    change = f[0] / EU_EXPORTS - 1.0
    assert change == pytest.approx(-0.49, abs=1e-9)
    assert abs(change - (-0.61)) <= 0.15  # tolerance: 15 points


def test_eu_imports_from_russia_recorded_miss():
    p, m = eu_russia()
    f = trade.flows_step(p, m, 80.0, m.start)["flow"][0]
    change = f[1] / EU_IMPORTS - 1.0
    miss = change - (-0.82)
    assert miss == pytest.approx(0.24, abs=0.005)  # negative result: outside 15 points
    assert abs(miss) > 0.15


def russia_imports(reroute: float):
    """Russia's imports (US$ bn, 2021: 293.5): the coalition's 45% falls by the observed 55%
    average of EU exports; the rest of the world unchanged except for re-routing."""
    total, share = 293.5, 0.45
    return _case([total * share, total * (1 - share)], [0, 2], [1, 1], [0.55],
                 [[1, 0]], reroute=reroute, parties=("G7", "RUS", "ROW"))


def _year_ratio(p, m, weeks):
    out = [trade.flows_step(p, m, float(w), m.start) for w in weeks]
    tot = [o["flow"][0].sum() + o["rerouted"][0].sum() for o in out]
    return float(np.mean(tot)) / p.base[0].sum()


def test_russia_imports_2022_and_2023_with_rerouting():
    # rho = 0.9 (the one free input, chosen near the 2023 level) and the default half-life
    # of 26 weeks; FCS: 2021 293.5, 2022 255.3 (-13.0%), 2023 285.1 (-2.9%)
    p, m = russia_imports(0.9)
    r2023 = _year_ratio(p, m, range(44, 97))  # weeks 44-96 after 24 Feb 2022
    r2022 = (8 * 1.0 + 44 * _year_ratio(p, m, range(0, 44))) / 52  # 8 pre-war weeks
    assert r2023 - 1.0 == pytest.approx(-0.062, abs=0.002)
    assert r2022 - 1.0 == pytest.approx(-0.113, abs=0.002)
    assert abs((r2023 - 1.0) - (-0.029)) <= 0.05  # tolerance: 5 points
    assert abs((r2022 - 1.0) - (-0.130)) <= 0.05
    # without re-routing the model would put 2023 far below the observed level
    p0, m0 = russia_imports(0.0)
    assert _year_ratio(p0, m0, range(44, 97)) - 1.0 < -0.2


def test_eu_imports_from_iran_2012_embargo():
    # oil about 90% of EU imports from Iran (crude and products, banned from 1 July 2012);
    # observed January 2013 vs January 2012: -95% (Eurostat)
    p, m = _case([1.0, 1.0], [0, 1], [1, 0], [0.9], [[0, 1]], lag=23.0,
                 parties=("EUR", "IRN", "ROW"))
    f = trade.flows_step(p, m, 52.0, m.start)["flow"][0]
    change = f[1] - 1.0
    assert change == pytest.approx(-0.9)
    assert abs(change - (-0.95)) <= 0.10  # tolerance: 10 points

"""COW capability loaders and the CINC identity (golden test against NMC v7)."""

from __future__ import annotations

import numpy as np
import pytest

from polemos.datasets import capabilities as cap
from polemos.models import structure


@pytest.fixture(scope="module")
def nmc(shared_data):
    return cap.load_nmc(shared_data)


def test_component_order_matches_model():
    assert cap.COMPONENTS == structure.COMPONENTS


def test_nmc_columns_and_span(nmc):
    assert {*cap.COMPONENTS, "cinc"} <= set(nmc.columns)
    assert nmc.year.min() == 1816 and nmc.year.max() == 2022
    assert nmc.ccode.dtype.kind == "i"


@pytest.mark.parametrize(
    ("ccode", "year"),
    [(2, 1816), (200, 1850), (255, 1913), (365, 1939), (2, 1945), (710, 1996), (710, 2022), (2, 2022), (750, 2022)],
)
def test_cinc_identity_country_years(nmc, ccode, year):
    recomputed = cap.cinc_from_components(nmc)
    row = (nmc.ccode == ccode) & (nmc.year == year)
    assert row.sum() == 1
    assert abs(float(recomputed[row].iloc[0]) - float(nmc.loc[row, "cinc"].iloc[0])) < 1e-4


def test_cinc_identity_whole_file(nmc):
    diff = (cap.cinc_from_components(nmc) - nmc.cinc).abs()
    assert diff.max() < 1e-6


def test_kernel_cinc_matches_file_for_complete_year(nmc):
    """The model's equation (2) on the whole 2010 system reproduces the file."""
    year = nmc[nmc.year == 2010]
    complete = year.dropna(subset=list(cap.COMPONENTS))
    levels = year[list(cap.COMPONENTS)].fillna(0.0).to_numpy()
    ours = structure.projection.cinc(levels)
    mask = year.index.isin(complete.index)
    np.testing.assert_allclose(ours[mask], year.cinc.to_numpy()[mask], atol=1e-4)


def test_major_power_years(shared_data):
    major = cap.major_power_years(cap.load_major_powers(shared_data))
    years = set(major[major.ccode == 255].year)
    assert 1918 in years and 1925 in years and 1930 in years and 1950 not in years
    assert major[major.ccode == 710].year.min() == 1950
    assert major.year.max() == 2016


def test_war_dyad_years(shared_data):
    wars = cap.load_war_dyad_years(shared_data)
    assert (wars.sidea1 != wars.sidea2).all()
    assert wars.year.min() == 1823 and wars.year.max() == 2003


def test_panel_and_lookup(nmc):
    panel = cap.component_panel(nmc, [2, 710], range(2020, 2023))
    assert panel.shape == (3, 2, 6)
    assert panel[-1, 0, 0] == cap.components_for(nmc, 2, 2022)["milex"]
    with pytest.raises(KeyError):
        cap.components_for(nmc, 2, 1700)
    assert cap.system_totals(nmc, 2022)["tpop"] > 7e6

"""The distributions' inverse CDFs are bit for bit those of scipy.stats (issue 15: they
are computed from scipy.special so that a run does not import scipy.stats)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from polemos.scenario.quantities import Beta, LogNormal, Normal, Triangular

pytestmark = pytest.mark.filterwarnings("ignore:Error in function boost:RuntimeWarning")

EDGES = [0.0, 1.0, -0.25, 1.5, float("nan"), 5e-324, 1e-300, 1e-12, 0.5, 1 - 1e-16,
         1 - 2**-53]
units = st.lists(st.floats(0.0, 1.0, allow_nan=False) | st.sampled_from(EDGES),
                 min_size=1, max_size=40).map(np.array)
loc = st.floats(-1e6, 1e6, allow_nan=False)
scale = st.floats(1e-3, 1e5, allow_nan=False)


def same(got: np.ndarray, want: np.ndarray) -> None:
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes(), np.c_[got, want]


@settings(max_examples=150, deadline=None)
@given(units, loc, scale)
def test_normal(u, mean, sd):
    same(Normal(dist="normal", mean=mean, sd=sd).ppf(u), stats.norm.ppf(u, loc=mean, scale=sd))


@settings(max_examples=200, deadline=None)
@given(units, loc, scale, st.floats(-8, 8), st.floats(0.01, 16),
       st.sampled_from(["both", "low", "high"]))
def test_truncated_normal(u, mean, sd, za, width, side):
    low, high = mean + za * sd, mean + (za + width) * sd
    low, high = (low, high) if side == "both" else (low, None) if side == "low" else (None, high)
    if low is not None and high is not None and not low < high:
        return
    d = Normal(dist="normal", mean=mean, sd=sd, low=low, high=high)
    a = -np.inf if low is None else (low - mean) / sd
    b = np.inf if high is None else (high - mean) / sd
    same(d.ppf(u), stats.truncnorm.ppf(u, a, b, loc=mean, scale=sd))


@settings(max_examples=150, deadline=None)
@given(units, st.floats(1e-6, 1e6), st.floats(1e-3, 5))
def test_lognormal(u, median, sigma):
    d = LogNormal(dist="lognormal", median=median, sigma=sigma)
    same(d.ppf(u), stats.lognorm.ppf(u, sigma, scale=median))


@settings(max_examples=150, deadline=None)
@given(units, loc, scale, st.floats(0, 1))
def test_triangular(u, low, width, at):
    high = low + width
    if not low < high:
        return
    mode = min(max(low + at * (high - low), low), high)
    d = Triangular(dist="triangular", low=low, mode=mode, high=high)
    c = (mode - low) / (high - low)
    same(d.ppf(u), stats.triang.ppf(u, c, loc=low, scale=high - low))


@settings(max_examples=150, deadline=None)
@given(units, st.floats(0.05, 50), st.floats(0.05, 50), loc, scale)
def test_beta(u, a, b, low, width):
    high = low + width
    if not low < high:
        return
    d = Beta(dist="beta", a=a, b=b, low=low, high=high)
    with np.errstate(all="ignore"):
        want = low + (high - low) * stats.beta.ppf(u, a, b)
    same(d.ppf(u), want)


@pytest.mark.parametrize("d", [
    Normal(dist="normal", mean=1, sd=2), Normal(dist="normal", mean=1, sd=2, low=0),
    LogNormal(dist="lognormal", median=2, sigma=0.5),
    Triangular(dist="triangular", low=0, mode=0, high=1), Beta(dist="beta", a=2, b=3)])
def test_scalars_central_and_bounds(d):
    """A 0-d ``u`` gives a scalar; the median and the support match scipy's."""
    ref = {Normal: lambda: (stats.truncnorm(-0.5, np.inf, loc=1, scale=2) if d.low is not None
                            else stats.norm(loc=1, scale=2)),
           LogNormal: lambda: stats.lognorm(0.5, scale=2),
           Triangular: lambda: stats.triang(0.0, loc=0, scale=1),
           Beta: lambda: stats.beta(2, 3)}[type(d)]()
    same(d.ppf(np.float64(0.3)), ref.ppf(np.float64(0.3)))
    assert d.central() == float(ref.ppf(0.5))
    same(d.ppf(np.array([0.0, 1.0])), ref.ppf(np.array([0.0, 1.0])))


def test_no_scipy_stats_on_import():
    """Loading and sampling a scenario's quantities does not import scipy.stats."""
    code = ("import sys, numpy as np\n"
            "from polemos.scenario.quantities import Normal, Beta\n"
            "Normal(dist='normal', mean=0, sd=1, low=-1).ppf(np.array([0.2]))\n"
            "Beta(dist='beta', a=2, b=2).ppf(np.array([0.2]))\n"
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"

"""Numbers that may be uncertain: a plain value or a named distribution.

Anywhere the schema takes a :data:`Quantity`, a scenario may write a number or one of::

    {dist: point, value: 300000}
    {dist: uniform, low: 250000, high: 350000}
    {dist: triangular, low: 250000, mode: 300000, high: 400000}
    {dist: normal, mean: 640000, sd: 40000}            # optional low/high truncate
    {dist: lognormal, median: 1.2, sigma: 0.3}
    {dist: beta, a: 2, b: 5}                           # optional low/high rescale
    {dist: choice, values: [0, 1], weights: [0.3, 0.7]}

each with optional ``sources`` (ids from ``meta.sources``) and ``note``. Every
distribution has an inverse CDF (:meth:`ppf`), so plain Monte Carlo, Latin hypercube
and Sobol designs all sample it the same way: ``x = dist.ppf(u)`` for ``u`` in [0, 1).

The inverse CDFs are computed from :mod:`scipy.special` functions (``ndtri``,
``ndtri_exp``, ``log_ndtr``, the incomplete-beta inverse), in exactly the operations
:mod:`scipy.stats` performs for the same distribution, so every value is bit for bit
what ``scipy.stats.<dist>.ppf`` returns (checked by ``tests/scenario/test_quantities_ppf.py``)
without importing :mod:`scipy.stats`, which costs about a second (issue 15).
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import AfterValidator, Field, model_validator
from scipy import special
from scipy.special._ufuncs import _beta_ppf  # the Boost inverse scipy.stats.beta uses

from polemos.scenario.base import Id, StrictModel

MAX_MAGNITUDE = 1e15
"""Largest magnitude of any number in a scenario (the largest seed figure is about 8e8,
US military spending in thousands of dollars): beyond it the kernels overflow (a
Poisson rate of 1e308 crashed a run) and no real quantity is meant."""


def _bounded(x: float) -> float:
    if abs(x) > MAX_MAGNITUDE:
        raise ValueError(f"{x:g} is beyond the largest magnitude a scenario number may have "
                         f"({MAX_MAGNITUDE:g})")
    return x


Number = Annotated[float, AfterValidator(_bounded)]
"""A finite number of at most :data:`MAX_MAGNITUDE` in magnitude."""


def _located(u: Any, core: Any, lower: float, upper: float, loc: float = 0.0,
             scale: float = 1.0, valid: bool = True) -> np.ndarray:
    """``loc + scale * core(q)`` with the conventions of ``scipy.stats``' inverse CDFs.

    ``core`` is the inverse CDF of the standard distribution on its support
    ``[lower, upper]``: it is called on the ``q`` strictly inside (0, 1) only;
    ``q == 0`` and ``q == 1`` give the support's ends (``lower * scale + loc``),
    anything else (``q`` outside [0, 1], nan, or invalid parameters) gives nan.
    """
    q = np.asarray(u, dtype=float)
    out = np.full(q.shape, np.nan)
    if valid and scale > 0 and loc == loc:
        out[q == 0] = lower * scale + loc
        out[q == 1] = upper * scale + loc
        inside = (q > 0) & (q < 1)
        if inside.any():
            out[inside] = core(q[inside]) * scale + loc
    return out[()] if out.ndim == 0 else out


def _gauss_log_mass(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``log(Phi(b) - Phi(a))`` for arrays of equal values: a difference of logs (with
    ``-exp(x) = exp(x + i pi)``) in the left tail, mirrored in the right tail, and
    ``log1p(-Phi(a) - Phi(-b))`` when the interval holds 0."""
    def left(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return special.logsumexp([special.log_ndtr(hi), special.log_ndtr(lo) + np.pi * 1j],
                                 axis=0)

    out = np.full_like(a, np.nan, dtype=np.complex128)
    below, above = b <= 0, a > 0
    middle = ~(below | above)
    if below.any():
        out[below] = left(a[below], b[below])
    if above.any():
        out[above] = left(-b[above], -a[above])
    if middle.any():
        out[middle] = special.log1p(-special.ndtr(a[middle]) - special.ndtr(-b[middle]))
    return np.real(out)


def _truncated_gauss_ppf(q: np.ndarray, a: float, b: float) -> np.ndarray:
    """Inverse CDF of the standard normal truncated to ``[a, b]``, in log space
    (``Phi(x) = Phi(a) + q (Phi(b) - Phi(a))``, solved from the nearer tail; the method
    of ``scipy.stats.truncnorm``)."""
    q, a_, b_ = np.broadcast_arrays(q, a, b)
    out = np.empty_like(q)
    left = a_ < 0
    right = ~left
    if left.any():
        qa, aa, ba = q[left], a_[left], b_[left]
        log_phi = special.logsumexp([special.log_ndtr(aa), np.log(qa) + _gauss_log_mass(aa, ba)],
                                    axis=0)
        out[left] = special.ndtri_exp(log_phi)
    if right.any():
        qb, ab, bb = q[right], a_[right], b_[right]
        log_phi = special.logsumexp(
            [special.log_ndtr(-bb), np.log1p(-qb) + _gauss_log_mass(ab, bb)], axis=0)
        out[right] = -special.ndtri_exp(log_phi)
    return out


class _Dist(StrictModel):
    sources: list[Id] = Field(default_factory=list, description="Source ids this rests on.")
    note: str | None = None

    @model_validator(mode="after")
    def _magnitudes(self) -> _Dist:
        for _name, value in self:
            for x in value if isinstance(value, list) else [value]:
                if isinstance(x, float):
                    _bounded(x)
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def central(self) -> float:
        """A central value (the median) for deterministic displays."""
        return float(self.ppf(np.array([0.5]))[0])

    def bounds(self) -> tuple[float, float]:
        """The (low, high) of the values the distribution can take."""
        lo, hi = self.ppf(np.array([0.0, 1.0]))
        return float(lo), float(hi)


class Point(_Dist):
    dist: Literal["point"]
    value: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), float(self.value))

    def bounds(self) -> tuple[float, float]:
        return self.value, self.value


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"uniform needs low < high (got low={self.low}, high={self.high})")
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    def bounds(self) -> tuple[float, float]:
        return self.low, self.high


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(
                "triangular needs low <= mode <= high and low < high "
                f"(got {self.low}, {self.mode}, {self.high})"
            )
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        c = (self.mode - self.low) / (self.high - self.low)

        def core(q: np.ndarray) -> np.ndarray:
            return np.where(q < c, np.sqrt(c * q), 1 - np.sqrt((1 - c) * (1 - q)))

        return _located(u, core, 0.0, 1.0, self.low, self.high - self.low, 0 <= c <= 1)

    def bounds(self) -> tuple[float, float]:
        return self.low, self.high


class Normal(_Dist):
    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Normal:
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"normal truncation needs low < high (got {self.low}, {self.high})")
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a = -np.inf if self.low is None else (self.low - self.mean) / self.sd
        b = np.inf if self.high is None else (self.high - self.mean) / self.sd
        if np.isinf(a) and np.isinf(b):
            return _located(u, special.ndtri, -np.inf, np.inf, self.mean, self.sd)
        return _located(u, lambda q: _truncated_gauss_ppf(q, a, b), a, b, self.mean, self.sd,
                        a < b)

    def bounds(self) -> tuple[float, float]:
        return (-np.inf if self.low is None else self.low, np.inf if self.high is None else self.high)


class LogNormal(_Dist):
    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0, description="Standard deviation of log(x).")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        s = self.sigma
        return _located(u, lambda q: np.exp(s * special.ndtri(q)), 0.0, np.inf, 0.0,
                        self.median)

    def bounds(self) -> tuple[float, float]:
        return 0.0, np.inf


class Beta(_Dist):
    dist: Literal["beta"]
    a: float = Field(gt=0)
    b: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _range(self) -> Beta:
        if not self.low < self.high:
            raise ValueError(f"beta needs low < high (got {self.low}, {self.high})")
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a, b = self.a, self.b

        def core(q: np.ndarray) -> np.ndarray:
            with warnings.catch_warnings():  # Boost's root finding may stop short at the
                # extreme tails (as under scipy.stats, whose warning is not ours to raise)
                warnings.filterwarnings("ignore", "Error in function boost", RuntimeWarning)
                return _beta_ppf(q, a, b)

        std = _located(u, core, 0.0, 1.0, valid=a > 0 and b > 0)
        return self.low + (self.high - self.low) * std

    def bounds(self) -> tuple[float, float]:
        return self.low, self.high


class Choice(_Dist):
    dist: Literal["choice"]
    values: list[float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _weights(self) -> Choice:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"choice has {len(self.values)} values but {len(self.weights)} weights"
                )
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("choice weights must be non-negative with a positive sum")
        return self

    def probabilities(self) -> np.ndarray:
        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights, float)
        return w / w.sum()

    def ppf(self, u: np.ndarray) -> np.ndarray:
        cdf = np.cumsum(self.probabilities())
        idx = np.searchsorted(cdf, np.asarray(u, dtype=float), side="right")
        return np.asarray(self.values, dtype=float)[np.minimum(idx, len(self.values) - 1)]

    def bounds(self) -> tuple[float, float]:
        return min(self.values), max(self.values)


Distribution = Annotated[
    Union[Point, Uniform, Triangular, Normal, LogNormal, Beta, Choice],  # noqa: UP007
    Field(discriminator="dist"),
]
Quantity = Number | Distribution
"""A number, or a distribution over numbers."""

@dataclass(frozen=True)
class Range:
    """A declared range: every value a number or distribution can take lies in [low, high].

    The one check of numbers (files, ``--set`` overrides and the API all validate the
    same models): used through the annotated types below, by :class:`Measure` for
    ranges declared by units ("index 0-1", "share", "%"), and by sections' own checks.
    Non-finite numbers never get here: every model rejects NaN and infinity.
    """

    low: float = -math.inf
    high: float = math.inf
    what: str = "out of range"

    def __call__(self, q: Any) -> Any:
        return check_range(q, self.low, self.high, self.what)


def check_range(q: Any, low: float, high: float, what: str) -> Any:
    """``q`` if every value it can take is a number in [low, high]; else a ValueError."""
    if q is None:
        return q
    lo, hi = support(q)
    tails = ""
    if (math.isinf(lo) and math.isfinite(low)) or (math.isinf(hi) and math.isfinite(high)):
        # an unbounded distribution (an untruncated normal): judged on all but a
        # millionth of its mass at each side, where the draws practically fall
        lo, hi = (ppf(q, np.array([TAIL, 1.0 - TAIL])) if math.isinf(lo) or math.isinf(hi)
                  else (lo, hi))
        tails = " in all but a millionth of draws at each side"
    if math.isnan(lo) or math.isnan(hi) or lo < low or hi > high:
        raise ValueError(f"{what} (can take {lo:g} to {hi:g}{tails})")
    return q


TAIL = 1e-6
"""Mass at each side of an unbounded distribution left out when judging its range."""


Probability = Annotated[Quantity, AfterValidator(Range(0.0, 1.0, "a probability must lie in [0, 1]"))]
"""A chance, in [0, 1]."""
Share = Annotated[Quantity, AfterValidator(Range(0.0, 1.0, "a share must lie in [0, 1]"))]
"""A fraction of a whole, in [0, 1]."""
NonNegative = Annotated[Quantity, AfterValidator(Range(0.0, math.inf, "must be non-negative"))]
"""A stock, a rate of production, a count, a weight or a precision: never below 0."""

_UNIT_INDEX = re.compile(r"^\s*(?:index|scale|score)\s+(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\b")
_UNIT_SHARE = re.compile(r"\b(?:share|probability|fraction)\b", re.IGNORECASE)


def unit_range(unit: str) -> Range | None:
    """The range a unit declares: "index 0-1" -> [0, 1], "share ..." -> [0, 1]; ``None``
    when the unit declares none (a percentage may exceed 100: debt as % of GDP)."""
    m = _UNIT_INDEX.match(unit)
    if m:
        low, high = float(m.group(1)), float(m.group(2))
    elif _UNIT_SHARE.search(unit):
        low, high = 0.0, 1.0
    else:
        return None
    return Range(low, high, f"unit {unit!r} declares values in [{low:g}, {high:g}]")
    return None


DIST_KINDS = ("point", "uniform", "triangular", "normal", "lognormal", "beta", "choice")


def is_random(q: Quantity) -> bool:
    return isinstance(q, _Dist) and not isinstance(q, Point)


def central(q: Quantity) -> float:
    """The value of a number, or the median of a distribution."""
    return float(q) if not isinstance(q, _Dist) else q.central()


def ppf(q: Quantity, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of ``q`` at ``u`` (a plain number is constant)."""
    if isinstance(q, _Dist):
        return np.asarray(q.ppf(u), dtype=float)
    return np.full(np.shape(u), float(q))


def support(q: Quantity) -> tuple[float, float]:
    """The (low, high) of the values ``q`` can take (infinite where unbounded)."""
    if not isinstance(q, _Dist):
        return float(q), float(q)
    lo, hi = q.bounds()
    return float(lo), float(hi)


class Measure(StrictModel):
    """A named capability or attribute: a quantity with a unit and its sources."""

    value: Quantity
    unit: str = Field(description="Unit, e.g. 'personnel', 'USD bn', 'bbl/day', 'index 0-1' "
                      "(a unit 'index A-B' or 'share ...' declares the value's range).")
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _in_unit_range(self) -> Measure:
        declared = unit_range(self.unit)
        if declared is not None:
            declared(self.value)
        return self

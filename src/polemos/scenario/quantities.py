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
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import Field, model_validator
from scipy import stats

from polemos.scenario.base import Id, StrictModel


class _Dist(StrictModel):
    sources: list[Id] = Field(default_factory=list, description="Source ids this rests on.")
    note: str | None = None

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
        return stats.triang.ppf(u, c, loc=self.low, scale=self.high - self.low)

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
            return stats.norm.ppf(u, loc=self.mean, scale=self.sd)
        return stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd)

    def bounds(self) -> tuple[float, float]:
        return (-np.inf if self.low is None else self.low, np.inf if self.high is None else self.high)


class LogNormal(_Dist):
    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0, description="Standard deviation of log(x).")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return stats.lognorm.ppf(u, self.sigma, scale=self.median)

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
        return self.low + (self.high - self.low) * stats.beta.ppf(u, self.a, self.b)

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
Quantity = float | Distribution
"""A number, or a distribution over numbers."""

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
    unit: str = Field(description="Unit, e.g. 'personnel', 'USD bn', 'bbl/day', 'index 0-1'.")
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

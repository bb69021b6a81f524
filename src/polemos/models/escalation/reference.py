"""Reference-class rates for the top of the ladder: Bayesian treatment of rare events.

Arrays and counts in, numbers out (the COW and ICB loaders live in
:mod:`polemos.datasets.reference_classes`).

**Poisson rate of a rare event** (onsets of direct war between major powers per year).
With ``k`` onsets in ``T`` years of exposure and a Gamma(``a0``, ``b0``) prior on the
annual rate ``lambda`` (shape, rate), the posterior is Gamma(``a0 + k``, ``b0 + T``)
(Gelman et al. 2013, *Bayesian Data Analysis*, 3rd ed., sec. 2.6). The default prior is
Jeffreys' ``p(lambda) ~ lambda^(-1/2)``, i.e. Gamma(1/2, 0): invariant to the choice of
scale (rate per year or per decade give the same inference), the reference prior for the
Poisson mean, and with ``k = 0`` it gives a proper posterior with mean ``1/(2T)``, half
the (k + 1)/T of a flat prior, so the near-zero count is neither read as a zero rate
(the maximum-likelihood answer) nor inflated. Its equal-tailed intervals have close to
nominal frequentist coverage for small counts (Brown, Cai & DasGupta 2003 for the
binomial analogue; Cai 2005 for the Poisson). The posterior predictive probability of at
least one onset in ``H`` years is::

    P(N_H >= 1) = 1 - (b / (b + H))^a        (Gamma-Poisson mixture)

**Binomial share** (crises of a class that reached a violence level): Beta(``a0 + x``,
``b0 + n - x``) with Jeffreys' Beta(1/2, 1/2) prior.

**From a share over a window to a weekly hazard**: a constant weekly hazard ``h`` reaches
the event within ``W`` weeks with probability ``1 - (1 - h)^W``; so
``h = 1 - (1 - p)^(1/W)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

JEFFREYS_POISSON = (0.5, 0.0)
"""Jeffreys prior for a Poisson rate, as Gamma(shape, rate) (improper: rate 0)."""
FLAT_POISSON = (1.0, 0.0)
"""Flat prior on the rate: Gamma(1, 0) (sensitivity check; posterior mean (k + 1)/T)."""
JEFFREYS_BINOMIAL = (0.5, 0.5)
"""Jeffreys prior for a binomial share: Beta(1/2, 1/2)."""


@dataclass(frozen=True)
class RatePosterior:
    """Gamma(``shape``, ``rate``) posterior of an annual rate from ``k`` events in ``years``."""

    k: int
    years: float
    shape: float
    rate: float

    @property
    def mean(self) -> float:
        return self.shape / self.rate

    def quantile(self, q: float | np.ndarray) -> np.ndarray | float:
        return stats.gamma.ppf(q, self.shape, scale=1.0 / self.rate)

    def interval(self, level: float = 0.90) -> tuple[float, float]:
        a = (1.0 - level) / 2.0
        return float(self.quantile(a)), float(self.quantile(1.0 - a))

    def p_within(self, horizon_years: float) -> float:
        """Posterior predictive P(at least one event within ``horizon_years``)."""
        return float(1.0 - (self.rate / (self.rate + horizon_years)) ** self.shape)

    def p_within_interval(self, horizon_years: float, level: float = 0.90
                          ) -> tuple[float, float]:
        """Interval of ``1 - exp(-lambda H)`` over the posterior of ``lambda``."""
        lo, hi = self.interval(level)
        return (float(1.0 - np.exp(-lo * horizon_years)),
                float(1.0 - np.exp(-hi * horizon_years)))


def rate_posterior(k: int, years: float, prior: tuple[float, float] = JEFFREYS_POISSON
                   ) -> RatePosterior:
    """Gamma posterior of a Poisson rate: ``k`` events in ``years`` of exposure."""
    if k < 0 or years <= 0:
        raise ValueError("need k >= 0 events and a positive exposure")
    a0, b0 = prior
    return RatePosterior(int(k), float(years), a0 + k, b0 + years)


def power_prior(k0: int, years0: float, weight: float,
                base: tuple[float, float] = JEFFREYS_POISSON) -> tuple[float, float]:
    """Gamma prior from an earlier period discounted by ``weight`` in [0, 1] (Ibrahim &
    Chen 2000, Stat. Sci. 15:46-60): the earlier ``k0`` events in ``years0`` count as
    ``weight k0`` events in ``weight years0``."""
    a0, b0 = base
    return a0 + weight * k0, b0 + weight * years0


def share_posterior(x: int, n: int, prior: tuple[float, float] = JEFFREYS_BINOMIAL):
    """Beta posterior (scipy frozen) of a binomial share ``x`` of ``n``."""
    if not 0 <= x <= n:
        raise ValueError("need 0 <= x <= n")
    return stats.beta(prior[0] + x, prior[1] + n - x)


def weekly_hazard(p: float | np.ndarray, weeks: float) -> np.ndarray | float:
    """Constant weekly hazard reaching an event with probability ``p`` within ``weeks``."""
    return 1.0 - (1.0 - np.asarray(p, float)) ** (1.0 / weeks)


def annual_to_weekly(rate: float | np.ndarray) -> np.ndarray | float:
    """Weekly probability of a Poisson process with annual ``rate`` (52.18 weeks a year)."""
    return 1.0 - np.exp(-np.asarray(rate, float) / 52.18)

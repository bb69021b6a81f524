"""Estimators of attrition laws over arrays (file loading lives in polemos.datasets).

**Across battles (CDB90).** For battle ``i`` with attacker strength ``A``, defender ``D``
and casualties ``C_A, C_D``, regress ::

    log[(C_A/A) / (C_D/D)] = c + s * log(A/D) + e

by OLS. Under the general law with symmetric exponents, early in a battle the
casualty-fraction exchange ratio is ``(a/b) (A/D)^(-n)`` with ``n = q - p + 1``
(:mod:`.laws`), so ``s = -n``: -2 under the square law, -1 under the linear law, 0 under
the logarithmic law. Literature on CDB90 (Helmbold; Hartley, *Predicting Combat Effects*,
2001): ``s`` near -0.8 overall and near -1.0 for 1900-1945. Intervals are t intervals
from heteroskedasticity-robust (HC1) standard errors (White 1980; MacKinnon & White 1985).

**One campaign.** For a daily series, each side's casualties on day ``t`` are modelled as
``C_R,t = a R_t^p B_t^q + e_t`` (and ``C_B,t = b B_t^p' R_t^q' + e_t``), fitted by
nonlinear least squares (``scipy.optimize.least_squares``, parameters ``log a, p, q``)
started from the log-linear OLS fit (as in Bracken 1995, Naval Res. Logistics 42:559-577;
Lucas & Turkes 2004, Naval Res. Logistics 51:95-116, who fit Ardennes and Kursk this
way). Intervals: t intervals from the HC1 sandwich covariance of the Gauss-Newton
approximation (robust to the multiplicative noise of casualty counts), and for the
exponents profile-likelihood intervals (Venzon & Moolgavkar 1988, Applied Statistics
37:87-94), valid where the sum of squares is far from quadratic. The design's
collinearity is reported (correlation of the log strengths, VIF, Belsley condition
index); free exponents whose profile is flat are refused (:class:`NotIdentified`).
Goodness of fit: R^2 on levels, RMSE, and AIC of the Gaussian likelihood. Exponents may
be fixed by naming a law, leaving only the coefficient; Helmbold's law (``p = 1 - W, q =
W``) takes a given Weiss parameter or estimates it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from scipy import optimize, stats

from polemos.models.attrition.laws import Law, exponents

PERIODS: tuple[tuple[str, float, float], ...] = (
    ("pre-1900", -np.inf, 1900.0),
    ("1900-1945", 1900.0, 1946.0),
    ("post-1945", 1946.0, np.inf),
)
"""Period labels and [low, high) year bounds used by ``--by-period``."""

LAW_SLOPES = {Law.square: -2.0, Law.linear: -1.0, Law.logarithmic: 0.0}


@dataclass(frozen=True)
class SlopeFit:
    """OLS of log casualty-fraction exchange ratio on log force ratio."""

    label: str
    n: int
    slope: float
    slope_low: float
    slope_high: float
    intercept: float
    intercept_low: float
    intercept_high: float
    r2: float
    level: float
    laws_in_interval: list[str] = field(default_factory=list)
    nearest_law: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _ols_hc1(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Coefficients ``(c, s)``, their HC1 covariance and R^2 of ``y = c + s x``."""
    X = np.column_stack([np.ones_like(x), x])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    n, k = X.shape
    bread = np.linalg.inv(X.T @ X)
    meat = (X * resid[:, None] ** 2).T @ X
    cov = bread @ meat @ bread * n / (n - k)
    r2 = 1.0 - resid @ resid / np.sum((y - y.mean()) ** 2)
    return beta, cov, float(r2)


def exchange_ratio_arrays(att, dfn, cas_att, cas_dfn):
    """``(log force ratio, log exchange ratio, mask of usable battles)``.

    Usable: positive strengths, casualties positive and below the strength.
    """
    att, dfn, ca, cd = (np.asarray(v, dtype=float) for v in (att, dfn, cas_att, cas_dfn))
    ok = (att > 0) & (dfn > 0) & (ca > 0) & (cd > 0) & (ca < att) & (cd < dfn)
    ok &= np.isfinite(att) & np.isfinite(dfn) & np.isfinite(ca) & np.isfinite(cd)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.log(att / dfn)
        y = np.log((ca / att) / (cd / dfn))
    return x, y, ok


def fit_exchange_slope(att, dfn, cas_att, cas_dfn, *, label: str = "all",
                       level: float = 0.95) -> SlopeFit:
    """Slope of log exchange ratio on log force ratio with a ``level`` interval (HC1)."""
    x, y, ok = exchange_ratio_arrays(att, dfn, cas_att, cas_dfn)
    x, y = x[ok], y[ok]
    if x.size < 3:
        raise ValueError(f"{label}: only {x.size} usable battles; need at least 3")
    beta, cov, r2 = _ols_hc1(x, y)
    se = np.sqrt(np.diag(cov))
    tq = stats.t.ppf(0.5 + level / 2.0, x.size - 2)
    lo, hi = beta - tq * se, beta + tq * se
    inside = [str(law) for law, s in LAW_SLOPES.items() if lo[1] <= s <= hi[1]]
    nearest = min(LAW_SLOPES, key=lambda law: abs(LAW_SLOPES[law] - beta[1]))
    return SlopeFit(label, int(x.size), float(beta[1]), float(lo[1]), float(hi[1]),
                    float(beta[0]), float(lo[0]), float(hi[0]), r2, level, inside, str(nearest))


def fit_exchange_slope_by_period(att, dfn, cas_att, cas_dfn, year, *, level: float = 0.95
                                 ) -> list[SlopeFit]:
    """:func:`fit_exchange_slope` overall and for each of :data:`PERIODS`."""
    year = np.asarray(year, dtype=float)
    cols = [np.asarray(v, dtype=float) for v in (att, dfn, cas_att, cas_dfn)]
    fits = [fit_exchange_slope(*cols, label="all", level=level)]
    for label, lo, hi in PERIODS:
        m = (year >= lo) & (year < hi)
        fits.append(fit_exchange_slope(*(c[m] for c in cols), label=label, level=level))
    return fits


def interpret_slope(fit: SlopeFit) -> str:
    """One sentence: which Lanchester law the slope supports (n = -slope)."""
    n = -fit.slope
    within = ", ".join(fit.laws_in_interval) or "none of square/linear/logarithmic"
    return (f"{fit.label}: slope {fit.slope:.2f} [{fit.slope_low:.2f}, {fit.slope_high:.2f}] "
            f"(n = {n:.2f}; square law -2, linear -1, logarithmic 0); laws inside the "
            f"interval: {within}; nearest: {fit.nearest_law}")


# ---------------------------------------------------------------- one campaign


CONDITION_WARN = 30.0
"""Condition index of the scaled design above which dependencies are strong (Belsley,
Kuh & Welsch 1980, *Regression Diagnostics*, ch. 3: indices of 30 to 100 signal moderate
to strong collinearity)."""

PROFILE_SPAN = 20.0
"""How far (in exponent units) from the estimate a profile-likelihood bound is sought;
a bound not reached within it is reported as unbounded: the exponent is not identified."""


class NotIdentified(ValueError):
    """The data cannot tell the exponents apart (say which, and what to do)."""


def collinearity(own, enemy) -> dict:
    """Diagnostics of the log-linear design ``[1, log own, log enemy]``.

    ``r``: correlation of the two log strengths; ``vif``: variance inflation factor
    ``1 / (1 - r^2)``; ``condition_index``: ratio of the largest to the smallest singular
    value of the design with columns scaled to unit length (Belsley et al. 1980), which
    also catches a log strength that barely varies (collinear with the intercept).
    """
    lo_, le_ = np.log(np.asarray(own, float)), np.log(np.asarray(enemy, float))
    X = np.column_stack([np.ones_like(lo_), lo_, le_])
    Xs = X / np.linalg.norm(X, axis=0)
    sv = np.linalg.svd(Xs, compute_uv=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = float(np.corrcoef(lo_, le_)[0, 1]) if lo_.std() > 0 and le_.std() > 0 else 1.0
        vif = float(1.0 / max(1.0 - r * r, 1e-300))
    cond = float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")
    return {"r": r, "vif": vif, "condition_index": cond}


@dataclass(frozen=True)
class SideFit:
    """NLS fit of one side's daily casualties ``C = k * own^p * enemy^q``.

    ``low``/``high``: Wald (HC1) intervals; ``profile_low``/``profile_high``: profile-
    likelihood intervals of the exponents (None for the coefficient), which stay valid
    where the sum of squares is far from quadratic; ``collinearity``: see
    :func:`collinearity`; ``warnings``: plain sentences.
    """

    side: str
    names: list[str]
    estimate: list[float]
    low: list[float]
    high: list[float]
    r2: float
    rmse: float
    aic: float
    n: int
    level: float
    profile_low: list[float | None] = field(default_factory=list)
    profile_high: list[float | None] = field(default_factory=list)
    collinearity: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def value(self, name: str) -> float:
        return self.estimate[self.names.index(name)]

    def interval(self, name: str) -> tuple[float, float]:
        i = self.names.index(name)
        return self.low[i], self.high[i]

    def as_dict(self) -> dict:
        return asdict(self)


def _design(kind: str, lo_, le_, fixed):
    """``(k, model(th), jac(th), names)`` of the side's mean ``exp(th0 + ...)``."""
    if kind == "free":
        def model(th):
            return np.exp(th[0] + th[1] * lo_ + th[2] * le_)

        def jac(th):
            m = model(th)
            return np.column_stack([m, m * lo_, m * le_])
        return 3, model, jac, ["p", "q"]
    if kind == "helmbold":  # p = 1 - W, q = W: C = a own (enemy / own)^W
        ratio = le_ - lo_

        def model(th):
            return np.exp(th[0] + lo_ + th[1] * ratio)

        def jac(th):
            m = model(th)
            return np.column_stack([m, m * ratio])
        return 2, model, jac, ["W"]
    p, q = fixed
    base = p * lo_ + q * le_

    def model(th):
        return np.exp(th[0] + base)

    def jac(th):
        return model(th)[:, None]
    return 1, model, jac, []


def _start(kind, lo_, le_, cas, pos, fixed):
    """Starting values: log-linear OLS on the days with casualties."""
    y = np.log(cas[pos])
    if kind == "free":
        X = np.column_stack([np.ones(pos.sum()), lo_[pos], le_[pos]])
        return np.linalg.lstsq(X, y, rcond=None)[0]
    if kind == "helmbold":
        X = np.column_stack([np.ones(pos.sum()), le_[pos] - lo_[pos]])
        return np.linalg.lstsq(X, y - lo_[pos], rcond=None)[0]
    p, q = fixed
    base = p * lo_ + q * le_
    return np.array([np.log(cas[pos].sum() / np.exp(base[pos]).sum())])


def _lsq(resid, th0, jac=None):
    with np.errstate(over="ignore", invalid="ignore"):
        return optimize.least_squares(resid, th0, jac=jac if jac is not None else "2-point",
                                      method="lm")


def _profile(model, jac, cas, th, j, sse_min, n, level):
    """Profile-likelihood interval of parameter ``j``: where ``n log(SSE_j(v) / SSE_min)``
    stays below the chi-square(1) quantile (Gaussian likelihood; Venzon & Moolgavkar
    1988). A side not reached within :data:`PROFILE_SPAN` is ``inf``."""
    cut = stats.chi2.ppf(level, 1)
    others = [i for i in range(len(th)) if i != j]

    def lr(v, start):
        def full(sub):
            out = th.copy()
            out[others] = sub
            out[j] = v
            return out

        res = _lsq(lambda sub: model(full(sub)) - cas, start,
                   lambda sub: jac(full(sub))[:, others])
        sse = float(res.fun @ res.fun) if np.all(np.isfinite(res.fun)) else np.inf
        return n * np.log(max(sse, 1e-300) / sse_min) - cut, res.x

    bounds = []
    for sign in (-1.0, 1.0):
        step, prev, start, found = 0.02, 0.0, th[others].copy(), None
        while prev < PROFILE_SPAN:
            d = min(prev + step, PROFILE_SPAN)
            g, sub = lr(th[j] + sign * d, start)
            if g > 0:
                found = th[j] + sign * optimize.brentq(
                    lambda x, sg=sign, st=start: lr(th[j] + sg * x, st)[0], prev, d, xtol=1e-4)
                break
            if np.all(np.isfinite(sub)):
                start = sub
            prev, step = d, step * 2.0
        bounds.append(found if found is not None else sign * np.inf)
    return bounds[0], bounds[1]


def _nls_side(side: str, own, enemy, cas, fixed: tuple[float, float] | None,
              level: float, helmbold: bool = False, profile: bool = True) -> SideFit:
    own, enemy, cas = (np.asarray(v, dtype=float) for v in (own, enemy, cas))
    ok = (own > 0) & (enemy > 0) & np.isfinite(cas) & (cas >= 0)
    ok &= np.isfinite(own) & np.isfinite(enemy)
    own, enemy, cas = own[ok], enemy[ok], cas[ok]
    lo_, le_ = np.log(own), np.log(enemy)
    pos = cas > 0
    kind = "fixed" if fixed is not None else ("helmbold" if helmbold else "free")
    k, model, jac, exps = _design(kind, lo_, le_, fixed)
    n = cas.size
    if n <= k + 1 or pos.sum() < k:
        raise ValueError(f"{side}: {n} usable days ({int(pos.sum())} with casualties) for "
                         f"{k} parameters; need more days")
    diag = collinearity(own, enemy)
    warnings = []
    if kind == "free" and diag["condition_index"] > CONDITION_WARN:
        warnings.append(
            f"{side}: the design is ill-conditioned (log strengths r = {diag['r']:.3f}, condition "
            f"index {diag['condition_index']:.0f} > {CONDITION_WARN:.0f}): p and q are hard "
            "to tell apart; Wald intervals are unreliable, read the profile intervals")
    theta0 = _start(kind, lo_, le_, cas, pos, fixed)
    res = _lsq(lambda th: model(th) - cas, theta0, jac)
    th = res.x
    with np.errstate(over="ignore", invalid="ignore"):
        resid = model(th) - cas
    if not (np.all(np.isfinite(th)) and np.all(np.isfinite(resid))):
        raise NotIdentified(f"{side}: the fit diverged (estimates {np.round(th, 3).tolist()}); "
                            "fix the exponents with --law (e.g. square, linear, helmbold)")
    J = jac(th)
    bread = np.linalg.pinv(J.T @ J)
    cov = bread @ ((J * resid[:, None] ** 2).T @ J) @ bread * n / (n - k)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    tq = stats.t.ppf(0.5 + level / 2.0, n - k)
    lo, hi = th - tq * se, th + tq * se
    sse = float(resid @ resid)
    plow: list[float | None] = [None]
    phigh: list[float | None] = [None]
    for j in range(1, k):
        if not profile:
            plow.append(None)
            phigh.append(None)
            continue
        a, b = _profile(model, jac, cas, th, j, max(sse, 1e-300), n, level)
        plow.append(float(a))
        phigh.append(float(b))
    unbounded = [exps[j - 1] for j in range(1, k)
                 if profile and not np.isfinite(plow[j] + phigh[j])]
    if unbounded:
        raise NotIdentified(
            f"{side}: exponent(s) {', '.join(unbounded)} not identified: the profile "
            f"likelihood stays flat beyond +-{PROFILE_SPAN:g} of the estimate "
            f"({', '.join(f'{e} = {v:.3g}' for e, v in zip(exps, th[1:], strict=True))}; log "
            f"strengths r = {diag['r']:.4f}, condition index {diag['condition_index']:.0f}). "
            "Fix the exponents with --law square|linear|logarithmic|..., or estimate one "
            "exponent with --law helmbold")
    # report the coefficient itself (exp of log k; interval transformed, so asymmetric)
    est, low, high = th.copy(), lo.copy(), hi.copy()
    est[0], low[0], high[0] = np.exp(th[0]), np.exp(lo[0]), np.exp(hi[0])
    sst = float(np.sum((cas - cas.mean()) ** 2))
    coef = "a" if side == "red" else "b"
    names = [coef, *exps]
    return SideFit(side, names, est.tolist(), low.tolist(), high.tolist(),
                   1.0 - sse / sst if sst > 0 else float("nan"), float(np.sqrt(sse / n)),
                   float(n * np.log(sse / n) + 2 * (k + 1)), int(n), level,
                   plow, phigh, diag, warnings)


def fit_campaign(red, blue, cas_red, cas_blue, *, law: Law | str | None = None,
                 level: float = 0.95, weiss: float | None = None, profile: bool = True
                 ) -> tuple[SideFit, SideFit]:
    """NLS fit of both sides' daily casualties; ``law`` fixes the exponents.

    Red: ``C_R = a R^p B^q``; blue: ``C_B = b B^p' R^q'``. ``law="helmbold"`` with
    ``weiss`` fixes Helmbold's exponents ``(1 - W, W)``; without ``weiss`` it estimates
    each side's ``W`` (one exponent instead of two: identified where ``p`` and ``q`` are
    not). Free exponents whose profile likelihood is flat raise :class:`NotIdentified`;
    ``profile=False`` skips the profiles (and that check) for speed.
    Returns ``(red_fit, blue_fit)``.
    """
    fixed_r = fixed_b = None
    helmbold = False
    if law is not None and Law(law) is Law.helmbold and weiss is None:
        helmbold = True
    elif law is not None and Law(law) is not Law.general:
        e = exponents(law, weiss=weiss)
        fixed_r, fixed_b = (e.p_r, e.q_r), (e.p_b, e.q_b)
    return (_nls_side("red", red, blue, cas_red, fixed_r, level, helmbold, profile),
            _nls_side("blue", blue, red, cas_blue, fixed_b, level, helmbold, profile))


def advance_by_ratio(att, dfn, km, days, edges=(0.0, 0.8, 1.25, 2.0, 3.0, np.inf)
                     ) -> list[dict]:
    """Median and quartiles of advance (km/day) by force-ratio bin (CDB90 ``kmda``)."""
    att, dfn, km, days = (np.asarray(v, dtype=float) for v in (att, dfn, km, days))
    ok = (att > 0) & (dfn > 0) & (days > 0) & np.isfinite(km) & np.isfinite(days)
    ratio = np.where(ok, att / np.where(dfn > 0, dfn, 1.0), np.nan)
    rate = np.where(ok, km / np.where(days > 0, days, 1.0), np.nan)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = ok & (ratio >= lo) & (ratio < hi)
        if m.sum() == 0:
            continue
        q1, med, q3 = np.percentile(rate[m], [25, 50, 75])
        rows.append({"ratio_low": lo, "ratio_high": hi, "n": int(m.sum()),
                     "median_km_per_day": float(med), "q1": float(q1), "q3": float(q3)})
    return rows


def synthetic_campaign(*, a: float, b: float, p_r: float, q_r: float, p_b: float,
                       q_b: float, red0: float, blue0: float, days: int,
                       rng: np.random.Generator, noise_sd: float = 0.2,
                       reinforce: float = 0.05) -> dict[str, np.ndarray]:
    """A daily campaign series with known parameters (for recovery tests).

    ``C_R,t = a R_t^p_r B_t^q_r u_t``, ``C_B,t = b B_t^p_b R_t^q_b v_t``, ``u, v`` mean-one
    log-normal with log-sd ``noise_sd``; each side receives, on a random fifth of days,
    a reinforcement of up to ``reinforce`` times its starting strength (which decorrelates
    the two strength series so the exponents are identified).
    """
    red = np.empty(days)
    blue = np.empty(days)
    cr = np.empty(days)
    cb = np.empty(days)
    r, bl = float(red0), float(blue0)
    for t in range(days):
        red[t], blue[t] = r, bl
        u, v = np.exp(noise_sd * rng.standard_normal(2) - 0.5 * noise_sd**2)
        cr[t] = min(a * r**p_r * bl**q_r * u, r)
        cb[t] = min(b * bl**p_b * r**q_b * v, bl)
        r = r - cr[t] + (rng.random() < 0.2) * rng.uniform(0, reinforce) * red0
        bl = bl - cb[t] + (rng.random() < 0.2) * rng.uniform(0, reinforce) * blue0
    return {"day": np.arange(1, days + 1), "red_strength": red, "blue_strength": blue,
            "red_casualties": cr, "blue_casualties": cb}

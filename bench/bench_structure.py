"""Speed of the capability projection: 10,000 draws x 30 years x 10 powers (6 components).

Compares, in one run, the vectorised kernel (``structure.projection.project``: numpy over
draws, powers and components, a Python loop over years only) with a plain reference: the
same equations (growth with lognormal shocks, CINC as the mean component share) in scalar
Python, one draw at a time. Both consume the same pre-drawn shocks, so the reference is
also a check of the kernel; it runs on a subset of draws, timed and scaled linearly.
"""

from __future__ import annotations

import math
import time

import numpy as np

from polemos.models.structure import projection
from polemos.numerics.rng import generator

N_DRAWS, N_YEARS, N_POWERS = 10_000, 30, 10
N_REFERENCE = 200
SEED = 5
SD = 0.03


class _Replay:
    """A stand-in generator that hands the kernel pre-drawn standard normals, year by year."""

    def __init__(self, eps: np.ndarray):
        self.eps, self.t = eps, 0

    def standard_normal(self, shape):
        out = self.eps[:, self.t]
        self.t += 1
        assert out.shape == tuple(shape)
        return out


def _inputs():
    rng = generator(SEED)
    levels0 = rng.uniform(1.0, 1000.0, size=(N_POWERS, 6))
    growth = rng.normal(0.02, 0.02, size=(N_DRAWS, N_POWERS, 6))
    eps = rng.standard_normal((N_DRAWS, N_YEARS, N_POWERS, 6))
    return levels0, growth, eps


def _reference(levels0, growth, eps, n_draws: int) -> list[list[list[float]]]:
    """Scalar Python: for each draw, each year, each power and component."""
    out = []
    for d in range(n_draws):
        x = [[float(v) for v in row] for row in levels0]
        g = growth[d].tolist()
        e = eps[d].tolist()
        path = []
        for t in range(N_YEARS + 1):
            if t > 0:
                for i in range(N_POWERS):
                    for k in range(6):
                        x[i][k] *= (1.0 + g[i][k]) * math.exp(SD * e[t - 1][i][k] - 0.5 * SD * SD)
            totals = [sum(x[i][k] for i in range(N_POWERS)) for k in range(6)]
            path.append([sum(x[i][k] / totals[k] for k in range(6)) / 6.0 for i in range(N_POWERS)])
        out.append(path)
    return out


def main() -> str:
    levels0, growth, eps = _inputs()
    t0 = time.perf_counter()
    kernel = projection.project(levels0, growth, N_YEARS, shock_sd=SD, rng=_Replay(eps))["cinc"]
    t_kernel = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = np.asarray(_reference(levels0, growth, eps, N_REFERENCE))
    t_ref = (time.perf_counter() - t0) * N_DRAWS / N_REFERENCE
    err = float(np.max(np.abs(ref - kernel[:N_REFERENCE])))
    t0 = time.perf_counter()
    projection.project(levels0, growth, N_YEARS, shock_sd=SD, rng=generator(SEED + 1))
    t_rng = time.perf_counter() - t0
    return "\n".join(
        [
            "## structure: capability projection",
            "",
            f"{N_DRAWS:,} draws x {N_YEARS} years x {N_POWERS} powers x 6 components; CINC every year.",
            "",
            "| implementation | seconds | ratio to kernel |",
            "|---|---:|---:|",
            f"| vectorised kernel (`projection.project`, replayed shocks) | {t_kernel:.3f} | 1.0 |",
            f"| vectorised kernel, drawing its own shocks | {t_rng:.3f} | {t_rng / t_kernel:.2f} |",
            f"| plain Python loop (timed on {N_REFERENCE} draws, scaled) | {t_ref:.2f} | {t_ref / t_kernel:.0f} |",
            "",
            f"Largest CINC difference between kernel and reference on the {N_REFERENCE} shared draws: "
            f"{err:.1e}.",
        ]
    )


if __name__ == "__main__":  # pragma: no cover
    print(main())

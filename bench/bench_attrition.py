"""Attrition: 10,000 draws x 156 weekly steps of one theatre with force generation.

Compares the vectorised fixed-step kernel (:func:`polemos.models.attrition.lanchester.run`,
RK4, all draws at once) with ``scipy.integrate.solve_ivp`` run draw by draw (the same
weekly force generation, the week's combat integrated by RK45 with rtol 1e-8). solve_ivp
is timed on a sample of draws and extrapolated to 10,000 (stated in the output).
"""

from __future__ import annotations

import time

import numpy as np
from scipy.integrate import solve_ivp

from polemos.models.attrition import lanchester
from polemos.models.attrition.build import simulate_theatre
from polemos.models.attrition.laws import exponents, loss_rates
from polemos.models.attrition.section import Theatre

N_DRAWS = 10_000
WEEKS = 156
SAMPLE = 25


def _inputs(rng: np.random.Generator, n: int) -> dict:
    return {
        "red0": rng.uniform(550_000, 700_000, n),
        "blue0": rng.uniform(250_000, 350_000, n),
        "a": rng.uniform(0.01, 0.025, n),
        "b": rng.uniform(0.003, 0.008, n),
        "recruit_red": rng.uniform(5_000, 9_000, n),
        "recruit_blue": rng.uniform(3_000, 6_000, n),
        "pool_red": np.full(n, 1.5e6),
        "pool_blue": rng.uniform(1e5, 4e5, n),
        "lag_red": rng.integers(4, 12, n),
        "lag_blue": rng.integers(4, 10, n),
        "mult_blue": rng.uniform(0.7, 1.3, n),
    }


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _solve_ivp_draw(inp: dict, i: int, exps) -> np.ndarray:
    """One draw, week by week: generation as in the kernel, combat by solve_ivp."""
    one = {k: (np.asarray(v)[i:i + 1] if np.ndim(v) else v) for k, v in inp.items()}
    lag = (int(one["lag_red"][0]), int(one["lag_blue"][0]))
    pool = [float(one["pool_red"][0]), float(one["pool_blue"][0])]
    target = (float(one["recruit_red"][0]), float(one["recruit_blue"][0]))
    forces = [float(one["red0"][0]), float(one["blue0"][0])]
    pipes = [np.zeros(WEEKS + max(lag) + 1), np.zeros(WEEKS + max(lag) + 1)]
    a = np.array([one["a"][0] * one["mult_blue"][0]])
    b = np.array([one["b"][0]])

    def rhs(_t, y):
        lr, lb = loss_rates(np.array([y[0]]), np.array([y[1]]), a, b, exps)
        return [-lr[0], -lb[0]]

    path = np.empty(WEEKS + 1)
    path[0] = forces[1]
    for t in range(WEEKS):
        for s in range(2):
            r = min(target[s], pool[s])
            pool[s] -= r
            pipes[s][t + lag[s]] += r
            forces[s] += pipes[s][t]
        sol = solve_ivp(rhs, (0.0, 1.0), forces, rtol=1e-8, atol=1e-6)
        forces = [max(sol.y[0, -1], 0.0), max(sol.y[1, -1], 0.0)]
        path[t + 1] = forces[1]
    return path


THEATRE = {
    "id": "bench", "name": "Benchmark front", "attacker": "RUS", "front_km": 1200,
    "intensity_sd": 0.2, "advance": {"max_km_per_week": {"dist": "uniform", "low": 0.2,
                                                         "high": 1.0}},
    "sides": [
        {"actor": "RUS", "forces": {"dist": "uniform", "low": 550000, "high": 700000},
         "losses_per_week": {"dist": "uniform", "low": 4000, "high": 8000},
         "recruits_per_week": 7000, "manpower_pool": 1500000, "training_weeks": 8},
        {"actor": "UKR", "forces": {"dist": "uniform", "low": 250000, "high": 350000},
         "losses_per_week": {"dist": "uniform", "low": 2000, "high": 5000},
         "recruits_per_week": 5000, "manpower_pool": 300000, "training_weeks": 6},
    ],
    "towns": [{"name": "Pokrovsk", "distance_km": 2}, {"name": "Kramatorsk",
                                                        "distance_km": 25}],
}


def main() -> str:
    rng = np.random.default_rng(2025)
    inp = _inputs(rng, N_DRAWS)
    exps = exponents("square")
    rows = []
    results = {}
    for substeps in (1, 4):
        def kernel(substeps=substeps):
            results[substeps] = lanchester.run(**inp, exps=exps, weeks=WEEKS,
                                               substeps=substeps)
        rows.append((f"kernel, RK4 x{substeps}/week, all draws at once", _best(kernel)))
    theatre = Theatre.model_validate(THEATRE)
    rows.append(("full theatre (sampling, force generation, noise, front, towns)",
                 _best(lambda: simulate_theatre(theatre, n_draws=N_DRAWS, weeks=WEEKS,
                                                rng=np.random.default_rng(1)))))
    sample = np.arange(SAMPLE)
    t0 = time.perf_counter()
    paths = np.array([_solve_ivp_draw(inp, i, exps) for i in sample])
    per_draw = (time.perf_counter() - t0) / SAMPLE
    ivp_total = per_draw * N_DRAWS
    ours = results[4]["forces_blue"][sample]
    err = float(np.max(np.abs(ours - paths) / paths[:, :1]))
    kernel4 = rows[1][1]
    lines = [
        "## Attrition (Lanchester with force generation)",
        "",
        f"{N_DRAWS:,} draws x {WEEKS} weekly steps, one theatre, square law, recruitment "
        "through a training pipeline bounded by a manpower pool. Target: under 1 s.",
        "",
        "| implementation | time (s) | ratio to kernel x4 |",
        "|---|---:|---:|",
    ]
    for name, secs in rows:
        lines.append(f"| {name} | {secs:.3f} | {secs / kernel4:.2f} |")
    lines.append(f"| solve_ivp (RK45, rtol 1e-8) draw by draw: {per_draw * 1e3:.1f} ms a "
                 f"draw x {N_DRAWS:,} (**extrapolated** from {SAMPLE} draws) | "
                 f"{ivp_total:.1f} | {ivp_total / kernel4:.0f} |")
    lines += [
        "",
        f"Agreement on the {SAMPLE} timed draws: largest difference in the defender's "
        f"strength path between the kernel (RK4, 4 steps a week) and solve_ivp, relative "
        f"to its starting strength: {err:.1e} (the largest differences come in the week a "
        "side is annihilated, where the kernel's positivity cap and the ODE's zero "
        "crossing part; elsewhere they agree to about 1e-5).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())

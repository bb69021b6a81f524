"""Bargaining benchmarks: vectorised kernels against plain-loop references of our own.

* EUM (Bueno de Mesquita) on the EC emissions case: 10,000 Monte Carlo draws x 10 rounds.
* SMP (KTAB-style) on SOE-Pol-Comp to KTAB's stopping rule, and on a generated
  160-actor, 1-dimension scenario.

Each reference is a straightforward Python implementation (loops over draws, actors and
pairs) of the same equations; we check that it gives the same numbers before timing.
Where the reference would take minutes, it runs on a subset (draws or turns) and its
time is scaled linearly; the table says so. Achieved floating-point throughput counts
the dominant tensor operations analytically (stated per kernel) and is compared with the
machine's peak, estimated from the CPU's vector width (see ``_peak``) and measured with
a large matrix product (NumPy/BLAS dgemm).

Issue 15 (engine speed) adds, side by side in the same run: the SMP's cost per turn from
40 to 640 actors against the tree of commit ``BEFORE`` (``git archive``: main before the
issue's bargaining work), the whole ``polemos bargain`` process on SOE-Pol-Comp for both
trees, and the EUM Monte Carlo against the peers' times the issue measured (schelling,
KTAB: neither is installable here, so their figures are the issue's, not this run's).
"""

from __future__ import annotations

import importlib.util
import math
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

from polemos.datasets.bargaining import read_bargaining_csv
from polemos.datasets.paths import data_dir
from polemos.models.bargaining import eum, smp

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "bd9363d"  # main before issue 15's bargaining work (SMP kernels, CLI imports)
SCHELLING_S = 40.4  # issue 15: schelling, EUM, EC emissions, 10,000 draws x 10 rounds
# issue 15: our CLI on SOE-Pol-Comp took 0.034 s in the model + 1.24 s of imports and was
# 0.35x as fast as KTAB's smpc, whole process: KTAB's smpc took about 0.35 x 1.274 s
KTAB_S = 0.35 * (0.034 + 1.24)
CLI = ["-c", "import sys; from polemos.cli.app import main; sys.exit(main())"]

# ----------------------------------------------------------------------------- helpers


def _best_of(fn, repeat: int = 3) -> float:
    return _best_of_both(fn, repeat)[0]


def _best_of_both(fn, repeat: int = 3) -> tuple[float, float]:
    """Best wall-clock and best CPU (process) time over ``repeat`` runs."""
    wall = cpu = math.inf
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu


def _cpu() -> tuple[str, float]:
    """CPU model name and nominal clock (GHz) from /proc/cpuinfo (BogoMIPS / 2 if needed)."""
    name, ghz = platform.processor() or "unknown", float("nan")
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return name, ghz
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name":
            name = value.strip()
        elif key == "cpu MHz" and math.isnan(ghz):
            ghz = float(value) / 1000.0
        elif key == "bogomips" and math.isnan(ghz):
            ghz = float(value) / 2000.0
    return name, ghz


def _peak() -> dict:
    """Theoretical FP64 peak = cores x GHz x FLOP/cycle, and a measured dgemm rate.

    FLOP/cycle per core: 2 FMA pipes x (512-bit: 8 | 256-bit: 4) doubles x 2 (FMA);
    the vector width is read from the CPU flags (avx512f => 512).
    """
    name, ghz = _cpu()
    flags = ""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        pass
    lanes = 8 if "avx512f" in flags else (4 if "avx2" in flags else 2)
    per_cycle = 2 * lanes * 2
    cores = os.cpu_count() or 1
    theoretical = cores * ghz * 1e9 * per_cycle
    n = 2048
    a = np.random.default_rng(0).random((n, n))
    b = np.random.default_rng(1).random((n, n))
    t = _best_of(lambda: a @ b, 3)
    return {
        "cpu": name,
        "ghz": ghz,
        "cores": cores,
        "flop_per_cycle": per_cycle,
        "theoretical": theoretical,
        "dgemm": 2 * n**3 / t,
    }


# ----------------------------------------------------------------------------- EUM reference


def _eu_ref(d, p, sal_j, r):
    us = 2 - 4 * (0.5 - 0.5 * d) ** r
    uf = 2 - 4 * (0.5 + 0.5 * d) ** r
    usq = 2 - 4 * 0.5**r
    return sal_j * (p * us + (1 - p) * uf) + (1 - sal_j) * us - usq


def _pooled_prob_ref(pos, w, span, r):
    """P[i][j] = sum_k max(v_k(i, j), 0) / sum_{k, a, b} |v_k(a, b)|, votes d ** r_k."""
    n = len(pos)
    dr = [[(abs(pos[k] - pos[a]) / span) ** r[k] for a in range(n)] for k in range(n)]
    pool = 0.0
    for k in range(n):
        for a in range(n):
            for b in range(n):
                pool += abs(w[k] * (dr[k][b] - dr[k][a]))
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if pos[i] == pos[j] or pool == 0:
                continue
            p[i][j] = sum(max(0.0, w[k] * (dr[k][j] - dr[k][i])) for k in range(n)) / pool
    return p


def eum_reference(c, x, s, rounds, scale):
    """Plain-loop EUM with the kernel's default reading (pooled P with risk-weighted votes,
    target's perspective, stronger-wins conflicts, offers ranked as in Scholz et al.)."""
    D, n = x.shape
    out = np.empty((D, rounds + 1, n))
    for dr in range(D):
        pos = [float(v) for v in x[dr]]
        sa = [float(v) for v in s[dr]]
        w = [float(c[dr, k]) * sa[k] for k in range(n)]
        span = scale[1] - scale[0]
        out[dr, 0] = pos
        for t in range(rounds):
            d = [[abs(pos[i] - pos[j]) / span for j in range(n)] for i in range(n)]
            p1 = _pooled_prob_ref(pos, w, span, [1.0] * n)
            sec = [sum(_eu_ref(d[j][i], p1[j][i], sa[i], 1.0) for j in range(n) if j != i)
                   for i in range(n)]
            vmax, vmin = max(sec), min(sec)
            rr = []
            for v in sec:
                big = (2 * v - vmax - vmin) / (vmax - vmin) if vmax > vmin else 0.0
                rr.append((1 - big / 3) / (1 + big / 3))
            p = _pooled_prob_ref(pos, w, span, rr)
            new = list(pos)
            for j in range(n):
                best = None  # (kind, key, position)
                for i in range(n):
                    if i == j or d[i][j] == 0:
                        continue
                    ei = _eu_ref(d[i][j], p[i][j], sa[j], rr[j])  # judged by the target j
                    ej = _eu_ref(d[j][i], p[j][i], sa[i], rr[j])
                    tie = 1e-9  # as the kernel: utilities this close are equal
                    if ei <= tie:
                        continue
                    if ej > tie:
                        if ej >= ei - tie:
                            continue
                        kind, target = 1, pos[i]
                        key = abs(pos[i] - pos[j])
                    elif -ej < ei - tie:
                        kind, target = 2, pos[j] + (pos[i] - pos[j]) * (max(-ej, 0.0) / ei)
                        key = (abs(ej) * pos[j] + abs(ei) * pos[i]) / (abs(ej) + abs(ei))
                    else:
                        kind, target = 3, pos[i]
                        key = abs(pos[i] - pos[j])
                    if best is None or (kind, key) < best[:2]:
                        best = (kind, key, target)
                if best is not None:
                    new[j] = best[2]
            pos = new
            out[dr, t + 1] = pos
    return out


# ----------------------------------------------------------------------------- SMP reference


def smp_reference(c, x, s, max_turns=100):
    """Plain-loop KTAB SMP (one draw; positions and saliences already in [0, 1])."""
    n, k = x.shape
    ca = [float(v) for v in c]
    sal = [[float(v) for v in row] for row in s]
    stot = [sum(row) for row in sal]
    pos = [[float(v) for v in row] for row in x]

    def dist(i, p):
        num = den = 0.0
        for m in range(k):
            w = sal[i][m] ** 2
            num += w * (pos[i][m] - p[m]) ** 2
            den += w
        return math.sqrt(num / den)

    def util(dd, r):
        return (1 - dd) * (1 + dd * r) if dd <= 1 else (1 - dd) * (1 + r)

    def pce(u, w, opts):
        coal = {}
        for a in opts:
            for b in opts:
                coal[a, b] = 1e-8 + sum(max(0.0, w[q] * (u[q][a] - u[q][b])) for q in range(n))
        logp = {a: sum(math.log(coal[a, b] / (coal[a, b] + coal[b, a])) for b in opts) for a in opts}
        top = max(logp.values())
        e = {a: math.exp(v - top) for a, v in logp.items()}
        z = sum(e.values())
        return {a: v / z for a, v in e.items()}

    hist = [[list(p) for p in pos]]
    first = None
    for turn in range(1, max_turns + 1):
        dd = [[dist(i, pos[j]) for j in range(n)] for i in range(n)]
        rn = [[1 - dd[i][j] for j in range(n)] for i in range(n)]
        p0 = pce(rn, ca, list(range(n)))
        pmax, pmin = max(p0.values()), min(p0.values())
        r = [(3 * p0[i] - (pmax + 2 * pmin)) / (2 * (pmax - pmin)) for i in range(n)]
        own = [[util(dd[i][j], r[i]) for j in range(n)] for i in range(n)]
        bargains = {}
        for i in range(n):
            U = [[util(dd[a][b], (2 * r[i] + r[a]) / 3) for b in range(n)] for a in range(n)]
            best = (None, 0.0, -1.0)
            for j in range(n):
                if j == i:
                    continue
                ci = stot[i] * ca[i] * (U[i][i] - U[i][j])
                cj = stot[j] * ca[j] * (U[j][i] - U[j][j])
                hij = 1e-10 + max(ci, 0) + max(cj, 0)
                hji = 1e-10 + max(-ci, 0) + max(-cj, 0)
                chij, chji = hij, hji
                for m in range(n):
                    if m in (i, j):
                        continue
                    wn = stot[m] * ca[m]
                    cn = wn * (U[m][i] - U[m][j])
                    cni, cnj = hij + max(cn, 0), hji + max(-cn, 0)
                    pin = cni / (cni + cnj)
                    a1 = pin * (2 * U[m][i] + U[m][m]) + (1 - pin) * 3 * U[m][j]
                    a2 = pin * 3 * U[m][i] + (1 - pin) * (2 * U[m][j] + U[m][m])
                    vn = wn * (a1 - a2)
                    chij += max(vn, 0)
                    chji += max(-vn, 0)
                pij = chij / (chij + chji)
                edu = (1 - stot[j]) * 2 * U[i][i] + stot[j] * (pij * 2 * U[i][i] + (1 - pij) * 2 * U[i][j])
                edu -= U[i][i] + U[i][j]
                if edu > 1e-5 and edu > best[2]:
                    best = (j, pij, edu)
            if best[0] is not None:
                j, pw = best[0], best[1]
                bi, bj = [], []
                for m in range(k):
                    wi = sal[i][m] ** 2 * pw**2
                    wj = sal[j][m] ** 2 * (1 - pw) ** 2
                    den = wi + 1e-6 + wj
                    bi.append(math.floor(0.5 + 1e4 * ((wi + 1e-6) * pos[i][m] + wj * pos[j][m]) / den) / 1e4)
                    bj.append(math.floor(0.5 + 1e4 * (wi * pos[i][m] + (1e-6 + wj) * pos[j][m]) / den) / 1e4)
                bargains[i] = (j, bi, bj)
        new = []
        for q in range(n):
            opts = ["sq"] + [i for i in range(n) if i in bargains and (i == q or bargains[i][0] == q)]
            u = []
            for a in range(n):
                base = sum(own[a])
                row = {"sq": base / n}
                for i in opts[1:]:
                    j, bi, bj = bargains[i]

                    pu = util(dist(a, bi), r[a]) + util(dist(a, bj), r[a])
                    row[i] = (base - own[a][i] - own[a][j] + pu) / n
                u.append(row)
            prob = pce(u, ca, opts)
            choice = max(opts, key=lambda o: (prob[o], -opts.index(o)))
            if choice == "sq":
                new.append(list(pos[q]))
            else:
                j, bi, bj = bargains[choice]
                new.append(bi if choice == q else bj)
        moved = sum(math.dist(a, b) for a, b in zip(new, pos, strict=True))
        pos = new
        hist.append([list(p) for p in pos])
        if first is None:
            first = moved + 1e-4
        if turn >= 2 and moved / first < 0.02:
            break
    return np.array(hist)


# ----------------------------------------------------------------------------- cases


def _emissions_draws(n_draws: int, rng: np.random.Generator):
    (inp,) = read_bargaining_csv(data_dir() / "bargaining" / "bdm1994_eu_emissions.csv").values()
    n = inp.n_actors
    c = inp.capability[None] * rng.uniform(0.8, 1.2, (n_draws, n))
    x = np.clip(inp.position[None, :, 0] + rng.normal(0, 0.5, (n_draws, n)), 4.0, 10.0)
    s = np.clip(inp.salience[None, :, 0] * rng.uniform(0.8, 1.2, (n_draws, n)), 0.0, 1.0)
    return c, x, s


def _eum_flops(n_draws, n, rounds):
    # per round: two vote tensors over pairs (D n^3 / 2: subtract, abs, multiply-add ~ 4
    # flop each) plus ~4 EU evaluations and the offers over D n^2 (~150 flop in all,
    # exponentials and logarithms counted as 10)
    return rounds * n_draws * (4 * n**3 + 150 * n**2)


def _smp_flops(n, k, turns):
    # per turn: third-party sums n^3 (14 flop per (i, j, third party)) + distances n^2 k
    # + two PCE over the positions (n^3, 3 flop, when k > 1; sorted sums in 1-D) + bargain
    # utilities n^2 (k + 10)
    return turns * (14 * n**3 + (6 * n**3 if k > 1 else 0) + 4 * n**2 * k + n**2 * (k + 10))


def _generated(n: int, rng: np.random.Generator):
    c = rng.uniform(10, 200, n)
    x = rng.uniform(0, 100, (n, 1))
    s = rng.uniform(0.3, 0.99, (n, 1))
    return c, x, s


def main() -> str:
    rng = np.random.default_rng(20251024)
    peak = _peak()
    rows = []

    # EUM, 10,000 draws x 10 rounds
    D, R = 10_000, 10
    c, x, s = _emissions_draws(D, rng)
    eum.run(c[:10], x[:10], s[:10], rounds=R, horizon=R, scale=(4.0, 10.0))  # warm-up
    t_vec, cpu_vec = _best_of_both(lambda: eum.run(c, x, s, rounds=R, horizon=R, scale=(4.0, 10.0)), 7)
    cores = os.cpu_count() or 1
    t_par, cpu_par = _best_of_both(lambda: eum.run(c, x, s, rounds=R, horizon=R, scale=(4.0, 10.0),
                                                    workers=cores), 7)
    sub = 100
    t0 = time.perf_counter()
    ref = eum_reference(c[:sub], x[:sub], s[:sub], R, (4.0, 10.0))
    t_ref = (time.perf_counter() - t0) * D / sub
    vec = eum.run(c[:sub], x[:sub], s[:sub], rounds=R, horizon=R, scale=(4.0, 10.0))["positions"]
    agree = float(np.abs(vec - ref).max())
    fl = _eum_flops(D, 10, R) / t_vec
    rows.append(("EUM, emissions, 10,000 draws x 10 rounds, 1 thread", t_vec, t_ref,
                 f"{sub} draws, x{D // sub}", agree, fl))
    rows.append((f"EUM, same, {cores} threads (`workers={cores}`)", t_par, t_ref,
                 f"{sub} draws, x{D // sub}", agree, _eum_flops(D, 10, R) / t_par))
    t_lin = _best_of(lambda: eum.run(c, x, s, rounds=R, horizon=R, scale=(4.0, 10.0),
                                     vote_utility="linear"), 7)
    rows.append(("EUM, same, `vote_utility=\"linear\"` (one vote tensor per round)", t_lin,
                 float("nan"), "-", float("nan"), _eum_flops(D, 10, R) * 0.75 / t_lin))

    # SMP on SOE-Pol-Comp, full run
    (soe,) = read_bargaining_csv(data_dir() / "bargaining" / "ktab" / "SOE-Pol-Comp.csv").values()
    args = (soe.capability[None], soe.position[None], soe.salience[None])
    out = smp.run(*args)
    turns = int(out["turns"][0])
    t_vec = _best_of(lambda: smp.run(*args), 3)
    t0 = time.perf_counter()
    ref = smp_reference(soe.capability, soe.position / 100.0, soe.salience)
    t_ref = time.perf_counter() - t0
    agree = float(np.abs(out["positions"][0] - 100.0 * ref).max()) if ref.shape[0] == turns + 1 else float("nan")
    fl = _smp_flops(13, 2, turns) / t_vec
    rows.append((f"SMP, SOE-Pol-Comp, full run ({turns} turns)", t_vec, t_ref, "full run", agree, fl))

    # SMP on a generated 160-actor, 1-D scenario
    gc, gx, gs = _generated(160, rng)
    gargs = (gc[None], gx[None], gs[None])
    t0 = time.perf_counter()
    gout = smp.run(*gargs)
    t_vec = time.perf_counter() - t0
    gturns = int(gout["turns"][0])
    ref_turns = 1
    t0 = time.perf_counter()
    ref = smp_reference(gc, gx / 100.0, gs, max_turns=ref_turns)
    t_ref = (time.perf_counter() - t0) * gturns / ref_turns
    one = smp.run(*gargs, max_turns=ref_turns)["positions"][0]
    agree = float(np.abs(one - 100.0 * ref).max())
    fl = _smp_flops(160, 1, gturns) / t_vec
    rows.append((f"SMP, generated 160 actors x 1 dim ({gturns} turns)", t_vec, t_ref,
                 f"{ref_turns} turn, x{gturns}", agree, fl))

    with tempfile.TemporaryDirectory() as tmp:
        before = _before_tree(Path(tmp))
        scaling = _smp_scaling(rng, before)
        monte_carlo = _smp_monte_carlo(rng, before)
        whole = _whole_process(before)
    eum_vs = _eum_vs_schelling(rows[0][1], cpu_vec, rows[1][1], cpu_par, cores)

    lines = [
        "## Bargaining (`bench/bench_bargaining.py`)",
        "",
        "Vectorised kernels (`polemos.models.bargaining`) against plain-loop Python references of the",
        "same equations in the same run (ours: best of 7 for EUM, 3 for SMP; the reference is timed once, on a",
        "subset where stated, and scaled linearly). *max diff* is the largest absolute difference",
        "between the two implementations' positions on the compared subset (0-100 or 4-10 scale).",
        "",
        "| case | ours (s) | plain loops (s) | speed-up | reference run on | max diff | achieved GFLOP/s | % of peak |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name, tv, tr, how, diff, flops in rows:
        ref = f"{tr:.1f}" if math.isfinite(tr) else "-"
        ratio = f"{tr / tv:.0f}x" if math.isfinite(tr) else "-"
        dif = f"{diff:.1e}" if math.isfinite(diff) else "-"
        lines.append(
            f"| {name} | {tv:.3f} | {ref} | {ratio} | {how} | {dif} | "
            f"{flops / 1e9:.2f} | {100 * flops / peak['theoretical']:.2f} % |"
        )
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    best = min(rows[0][1], rows[1][1])
    lin = rows[2][1]
    lines += [
        "",
        f"Target: EUM 10,000 x 10 under 0.5 s on this machine (a Python peer takes about 4 s): "
        f"wall clock **{'met' if best < 0.5 else 'not met'}** in this run ({rows[0][1]:.3f} s on one "
        f"thread, {rows[1][1]:.3f} s on {cores}); the one-thread run costs {cpu_vec:.3f} s of CPU "
        f"time (**{'under' if cpu_vec < 0.5 else 'over'}** 0.5 s). The machine is shared with other "
        f"sessions: load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the "
        f"end of this run on {cores} cores, so wall-clock times vary by up to 2x between runs "
        "(best of 7 for EUM, 3 for SMP); the speed-up ratios, measured in the same run, are steadier. "
        f"The default reading computes two vote tensors per round (risk-neutral votes for the "
        f"security levels, then risk-weighted votes); with linear votes (a reading that reproduces "
        f"Scholz et al.'s table almost as well, docs/validation/bargaining.md) the run takes "
        f"{lin:.3f} s.",
        "",
        f"Peak estimate: {peak['cpu']}, {peak['cores']} cores x {peak['ghz']:.2f} GHz x "
        f"{peak['flop_per_cycle']} FP64 FLOP/cycle (2 FMA pipes x vector lanes x 2, lanes from the "
        f"CPU flags) = **{peak['theoretical'] / 1e9:.0f} GFLOP/s** theoretical; a 2048^3 NumPy dgemm "
        f"reaches {peak['dgemm'] / 1e9:.0f} GFLOP/s ({100 * peak['dgemm'] / peak['theoretical']:.0f} % of it).",
        "Achieved FLOP/s count only the dominant tensor operations, analytically (EUM: ~4 n^3 + 150 n^2",
        "per draw and round; SMP: ~14 n^3 + O(n^2 k) per turn in 1-D), so they are lower bounds. The",
        "kernels are memory-bound element-wise NumPy (no BLAS), hence the small share of peak.",
        "",
        "EUM runs here use `horizon=10` (the same 10 rounds of work as the plain-loop reference and",
        "the peers); the default `horizon=120` continues undecided draws to find cycles and the",
        "long-run forecast (docs/validation/bargaining.md, section 5).",
        "",
        *eum_vs,
        "",
        *scaling,
        "",
        *monte_carlo,
        "",
        *whole,
    ]
    return "\n".join(lines)


def _before_tree(tmp: Path) -> Path | None:
    """The ``src`` of commit ``BEFORE`` under ``tmp`` (None without git or the commit)."""
    archive = tmp / "before.tar"
    try:
        with archive.open("wb") as fh:
            subprocess.run(["git", "archive", BEFORE, "src"], cwd=ROOT, check=True, stdout=fh,
                           stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "before", filter="data")
    return tmp / "before" / "src"


def _module(path: Path, name: str):
    """A module loaded from ``path`` under ``name`` (the old SMP needs only NumPy)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _per_turn(run, args, turns: int, repeat: int) -> tuple[float, float, float, np.ndarray]:
    """Best wall and CPU seconds of ``turns`` turns, peak MB of one turn (tracemalloc: the
    peak of NumPy's allocations), and the positions."""
    import tracemalloc

    out = run(*args, max_turns=turns)["positions"]
    wall, cpu = _best_of_both(lambda: run(*args, max_turns=turns), repeat)
    tracemalloc.start()
    run(*args, max_turns=1)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return wall, cpu, peak, out


def _smp_scaling(rng: np.random.Generator, before: Path | None) -> list[str]:
    """SMP cost per turn against the number of actors (generated 1-D issues, 10 turns), the
    growth exponent between sizes and the peak of NumPy allocations (one turn), for this
    tree and, in the same run, the SMP of commit ``BEFORE`` (up to 320 actors)."""
    old = None
    if before is not None:
        old = _module(before / "polemos" / "models" / "bargaining" / "smp.py", "smp_before")
    rows, prev, turns = [], None, 10
    for n in (40, 80, 160, 320, 640):
        c, x, s = _generated(n, rng)
        args = (c[None], x[None], s[None])
        repeat = 3 if n <= 160 else (2 if n <= 320 else 1)
        wall, cpu, peak, pos = _per_turn(smp.run, args, turns, repeat)
        growth = "-" if prev is None else f"n^{math.log(cpu / prev[1]) / math.log(n / prev[0]):.1f}"
        prev = (n, cpu)
        if old is not None and n <= 320:
            wall0, cpu0, peak0, pos0 = _per_turn(old.run, args, turns, repeat)
            diff = f"{np.abs(pos - pos0).max():.1e}" if pos.shape == pos0.shape else "turns differ"
            before_cols = f"{1000 * cpu0 / turns:.0f} | {cpu0 / cpu:.2f}x | {peak0:.0f} | {diff}"
        else:
            before_cols = "- | - | - | -"
        rows.append(f"| {n} | {wall:.2f} | {cpu:.2f} | {1000 * cpu / turns:.0f} | {growth} | "
                    f"{peak:.0f} | {before_cols} |")
    c, x, s = _generated(320, np.random.default_rng(320))
    threads = os.cpu_count() or 1
    wall_t, cpu_t = _best_of_both(lambda: smp.run(c[None], x[None], s[None], max_turns=turns,
                                                  workers=threads), 2)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    at_320 = next(r for r in rows if r.startswith("| 320 |")).split("|")
    wall320, cpu320 = float(at_320[2]), float(at_320[3])
    return [
        "### SMP scaling (issue 15: growth near n^2 per turn, 320 actors under 4 s and 300 MB)",
        "",
        "Generated 1-D issues, 10 turns each (`max_turns=10`), one draw; CPU time is the process's",
        "(best of 3 runs up to 160 actors, 2 at 320, 1 at 640); memory is the peak of NumPy",
        f"allocations during one turn. *before* is the SMP of commit `{BEFORE}` (main before this",
        "work), run in the same session on the same inputs; *max diff* compares the two trees'",
        "positions over the 10 turns (0-100 scale).",
        "",
        "| actors | wall (s), 10 turns | CPU (s) | CPU ms per turn | growth of CPU | peak MB | "
        "before: CPU ms per turn | speed-up (CPU) | before: peak MB | max diff |",
        "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Targets: 320 actors in {cpu320:.2f} s of CPU and {wall320:.2f} s of wall time for 10 turns "
        f"(target 4 s: **{'met' if cpu320 < 4 else 'not met'}** on CPU, **"
        f"{'met' if wall320 < 4 else 'not met'}** on the wall clock, load average {load[0]:.1f} on "
        f"{os.cpu_count()} cores); memory far under 300 MB. With the third-party sums on "
        f"{threads} threads (`workers={threads}`, same bits) 320 actors take {wall_t:.2f} s of wall "
        f"time ({cpu_t:.2f} s of CPU). Growth near n^2 per turn: **not met**. "
        "The third-party sums of each turn are intrinsically n^3: for every challenger i, target j "
        "and third party n, n's vote depends nonlinearly (through its estimate of who wins, "
        "SemiCommit) on all three, so no exact reduction to matrix products exists; KTAB's C++ "
        "runs the same triple loop. The work now is 14 element-wise passes per term over "
        "cache-sized blocks (the perspective enters as a scalar per challenger), and the two "
        "position PCEs per turn, n^3 before, use sorted prefix sums in 1-D (n^2 log n). Measured "
        "growth is n^3 or a little above past 160 actors (a term costs about 5 ns at 160 actors "
        "and 7-9 ns at 320-640; neither smaller nor larger blocks changed that); the gain over "
        "the old kernel is the constant.",
    ]


def _smp_monte_carlo(rng: np.random.Generator, before: Path | None) -> list[str]:
    """SMP on SOE-Pol-Comp with perturbed inputs, 1,000 draws, each to KTAB's stopping rule
    (a turn runs only on the draws still active), against commit ``BEFORE``."""
    (soe,) = read_bargaining_csv(data_dir() / "bargaining" / "ktab" / "SOE-Pol-Comp.csv").values()
    D, n = 1000, soe.n_actors
    c = soe.capability[None] * rng.uniform(0.8, 1.2, (D, n))
    x = np.clip(soe.position[None] + rng.normal(0.0, 3.0, (D, n, soe.position.shape[1])), 0, 100)
    s = soe.salience[None] * rng.uniform(0.9, 1.0, (D, n, 1))
    out = smp.run(c, x, s)
    wall, cpu = _best_of_both(lambda: smp.run(c, x, s), 2)
    turns = np.percentile(out["turns"], [50, 90, 100])
    row = f"| this tree | {wall:.2f} | {cpu:.2f} | - | - |"
    rows = [row]
    if before is not None:
        old = _module(before / "polemos" / "models" / "bargaining" / "smp.py", "smp_before_mc")
        ref = old.run(c, x, s)
        wall0, cpu0 = _best_of_both(lambda: old.run(c, x, s), 1)
        diff = float(np.abs(ref["positions"] - out["positions"]).max())
        pdiff = float(np.abs(ref["probabilities"] - out["probabilities"]).max())
        rows = [f"| this tree | {wall:.2f} | {cpu:.2f} | {cpu0 / cpu:.1f}x | {diff:.1e} / {pdiff:.1e} |",
                f"| `{BEFORE}` (before) | {wall0:.2f} | {cpu0:.2f} | - | - |"]
    return [
        "### SMP Monte Carlo (SOE-Pol-Comp, 1,000 perturbed draws)",
        "",
        "Capabilities x U(0.8, 1.2), positions + N(0, 3) clipped to 0-100, saliences x U(0.9, 1),",
        f"each draw to KTAB's stopping rule (turns: median {turns[0]:.0f}, 90th percentile "
        f"{turns[1]:.0f}, most {turns[2]:.0f}); best of 2 (this tree) and 1 (before).",
        "",
        "| tree | wall (s) | CPU (s) | speed-up (CPU) | max diff positions / probabilities |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        "A turn now runs only on the draws still active; before, every draw ran until the "
        "slowest stopped.",
    ]


def _process(src: Path, args: list[str], runs: int) -> list[tuple[float, float]]:
    """``runs`` whole processes of ``polemos ARGS`` with ``src`` first on the path: (CPU
    seconds of the child, user + system; wall seconds) each."""
    env = {**os.environ, "PYTHONPATH": str(src), "MPLBACKEND": "Agg"}
    out = []
    for _ in range(runs):
        t0, before = time.perf_counter(), os.times()
        subprocess.run([sys.executable, *CLI, *args], check=True, env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = os.times()
        out.append((after.children_user - before.children_user + after.children_system
                    - before.children_system, time.perf_counter() - t0))
    return out


def _whole_process(before: Path | None) -> list[str]:
    """``polemos bargain SOE-Pol-Comp.csv --model smp``, whole process, hyperfine-style:
    warm-up, then 10 runs of each tree alternating; best and median of CPU and wall."""
    soe = data_dir() / "bargaining" / "ktab" / "SOE-Pol-Comp.csv"
    args = ["bargain", str(soe), "--model", "smp"]
    trees = {"this tree": ROOT / "src"}
    if before is not None:
        trees[f"`{BEFORE}` (before)"] = before
    for src in trees.values():
        _process(src, args, 1)  # warm-up: compiled bytecode, file cache
    got: dict[str, list] = {name: [] for name in trees}
    for _ in range(10):
        for name, src in trees.items():
            got[name] += _process(src, args, 1)
    rows = []
    for name, runs in got.items():
        cpu, wall = [r[0] for r in runs], [r[1] for r in runs]
        rows.append(f"| {name} | {min(cpu):.3f} | {statistics.median(cpu):.3f} | {min(wall):.3f} | "
                    f"{statistics.median(wall):.3f} | {KTAB_S / statistics.median(wall):.2f}x |")
    ours = got["this tree"]
    med_wall = statistics.median(r[1] for r in ours)
    med_cpu = statistics.median(r[0] for r in ours)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return [
        "### SMP on SOE-Pol-Comp, whole process (issue 15: faster than KTAB's smpc)",
        "",
        "`polemos bargain SOE-Pol-Comp.csv --model smp` (13 actors, 2 dimensions, 27 turns; the",
        "tables to a pipe), the console script's code in a fresh interpreter; one warm-up each,",
        "then 10 runs of each tree, alternating. CPU is the child's user + system time.",
        f"KTAB's smpc is not available here: its time, **{KTAB_S:.3f} s**, is derived from the",
        "issue's figures (our CLI took 0.034 s in the model plus 1.24 s of imports, 1.274 s, and was",
        "0.35x as fast as smpc: 0.35 x 1.274 s), a different run on possibly different hardware.",
        "",
        "| tree | CPU best (s) | CPU median (s) | wall best (s) | wall median (s) | "
        "KTAB's derived time / our median wall |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Target: under KTAB's {KTAB_S:.2f} s: **{'met' if med_wall < KTAB_S else 'not met'}** on the "
        f"median wall clock ({med_wall:.3f} s), **{'met' if med_cpu < KTAB_S else 'not met'}** on "
        f"median CPU ({med_cpu:.3f} s); load average {load[0]:.1f} on {os.cpu_count()} cores. A CSV "
        "of plain numbers no longer loads SciPy (the scenario distributions) on this path, and "
        "the command imports NumPy with one OpenBLAS thread (starting the pool of threads cost "
        "0.05 s of CPU); what remains is the interpreter, NumPy, typer (with pydantic), the "
        "command modules, rich's tables (each rendered twice to fit the width) and the model "
        "(about 0.02 s).",
    ]


def _eum_vs_schelling(wall1: float, cpu1: float, wall2: float, cpu2: float, cores: int) -> list[str]:
    best = min(wall1, wall2)
    return [
        "### EUM Monte Carlo against schelling (issue 15: at least 18x schelling's time)",
        "",
        "EC emissions case, 10,000 draws x 10 rounds, every field perturbed, as above. schelling "
        f"is not installable here: its **{SCHELLING_S} s** is the issue's measurement, not a run "
        "on this machine, so the ratios compare our run today with that figure.",
        "",
        "| ours | wall (s) | CPU (s) | schelling's 40.4 s / our wall | / our CPU |",
        "|---|---:|---:|---:|---:|",
        f"| 1 thread | {wall1:.3f} | {cpu1:.3f} | {SCHELLING_S / wall1:.0f}x | {SCHELLING_S / cpu1:.0f}x |",
        f"| {cores} threads (`workers={cores}`) | {wall2:.3f} | {cpu2:.3f} | {SCHELLING_S / wall2:.0f}x | "
        f"{SCHELLING_S / cpu2:.0f}x |",
        "",
        f"Target 18x (under {SCHELLING_S / 18:.2f} s): **{'met' if best < SCHELLING_S / 18 else 'not met'}** "
        f"on the wall clock ({best:.3f} s, best setting), **"
        f"{'met' if cpu1 < SCHELLING_S / 18 else 'not met'}** on CPU ({cpu1:.3f} s, one thread).",
    ]


if __name__ == "__main__":  # pragma: no cover
    print(main())

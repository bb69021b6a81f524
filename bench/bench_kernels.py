"""Issue 15: the kernels' speed-ups, old against new, in one run, with the same bits.

Per kernel: the Budapest scenario (``scenarios/ukraine-2025-10-budapest.yaml``),
10,000 draws x 52 weeks through the engine (:func:`polemos.engine.loop.simulate_block`,
seed 1, block 0, counterfactual arms left out), once with the implementation of commit
19ddd24 patched in (its code is kept below, and only here) and once with the current
one; the CPU seconds spent inside the kernel's calls are summed, and the two blocks'
columns and aggregates are compared byte for byte. Then the whole of ``run_blocks`` for
10,000 draws (4 blocks of 2,500, the CLI's default block size), in fresh subprocesses:
the tree of commit 19ddd24 (``git archive``) against the current ``src``.

``tests/engine/test_kernel_speedups.py`` uses the old implementations below as the
plain references of the new kernels.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from polemos.models.escalation.ladder import LadderParams, LadderState, prepare

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "ukraine-2025-10-budapest.yaml"
BASE = "19ddd24"
N_DRAWS, WEEKS, SEED = 10_000, 52, 1


# --- the old escalation ladder step (polemos.models.escalation.ladder at 19ddd24) -------

@dataclass(frozen=True)
class _OldLadderTables:
    """Per-draw tables that depend on the current rung only, precomputed once."""

    pad: np.ndarray  # (A, J + 1) row of [moves..., holds..., none] per actor option slot
    slot_move: np.ndarray  # (A, J + 1) move index per slot, -1 for hold / none
    dv: np.ndarray  # (n, R, M) S[r'] - S[r] + rho K[r'] - rho K[r] for r' = r'(m, r)
    avail: np.ndarray  # (R, M) structural availability at rung r
    rise_term: np.ndarray  # (R, M) 1[m de-escalates] - 1[m raises the rung]
    r_new_t: np.ndarray  # (M, R) the rung each move leads to from r
    raises_t: np.ndarray  # (M, R) the move sets the rung (escalation at or above r)
    lam_m: np.ndarray  # (n, M) rationality of the move's actor
    move_actor_hit: np.ndarray  # (M,) index into the flattened (A,) choice
    net: np.ndarray  # (n, M) g - c, the typical week's net gain (shadow price)
    finite_cols: np.ndarray  # moves with a finite stock in some draw
    cooldown: np.ndarray | None  # (M,) or None
    max_per_year: np.ndarray | None  # (M,) or None
    crossed: np.ndarray  # (n, R) number of actors whose red line is at or below each rung


def old_ladder_tables(p: LadderParams) -> _OldLadderTables:
    """The 19ddd24 tables. Their equations are unchanged (the new ``prepare`` computes
    ``dv``, ``avail``, ``rise_term`` the same way); only their layout and the extra
    tables of the old step (``r_new_t``, ``raises_t``, ``crossed``) differ."""
    t = prepare(p)
    k = np.arange(p.n_rungs)[:, None]
    rung_m, deesc = np.asarray(p.move_rung, int), np.asarray(p.move_deescalate, bool)
    r_new = np.where(deesc[None, :], rung_m[None, :], np.maximum(k, rung_m[None, :]))
    raises = ~deesc[None, :] & (rung_m[None, :] >= k)
    n_moves = len(p.move_actor)
    return _OldLadderTables(
        pad=t.pad, slot_move=np.where(t.slot_move == n_moves, -1, t.slot_move), dv=t.dv,
        avail=t.avail, rise_term=t.rise_term, r_new_t=np.ascontiguousarray(r_new.T),
        raises_t=np.ascontiguousarray(raises.T), lam_m=t.lam_m,
        move_actor_hit=t.move_actor_hit, net=t.net, finite_cols=t.finite_cols,
        cooldown=t.cooldown, max_per_year=t.max_per_year,
        crossed=(np.asarray(p.red_line)[:, None, :] <= k[None, :, :]).sum(2).astype(float),
    )


def _old_shadow_price(p: LadderParams, stocks: np.ndarray, net: np.ndarray,
                 lam_m: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """Opportunity cost (n, M) of using a finite stock now (module docstring, Hotelling
    1931): ``max(0, (g - c) - logit(q) / lambda)`` where the sustainable weekly use rate
    ``q = stock / (u H) + production / u`` is below one; zero otherwise or if ``H = 0``."""
    mu = np.zeros_like(net)
    if p.horizon <= 0:
        return mu
    if cols is None:  # unlimited moves carry no price
        cols = np.flatnonzero(np.isfinite(stocks).any(0))
    if len(cols) == 0:
        return mu
    u = np.asarray(p.use_size, float)[cols]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        q = (stocks[:, cols] / p.horizon + p.production[:, cols]) / u
        q = np.clip(np.nan_to_num(q, nan=np.inf), 1e-9, None)
        scarce = q < 1.0
        qs = np.where(scarce, q, 0.5)
        price = np.maximum(0.0, net[:, cols] - np.log(qs / (1.0 - qs))
                           / np.maximum(lam_m[:, cols], 1e-9))
    mu[:, cols] = np.where(scarce, price, 0.0)
    return mu


def old_ladder_step(
    state: LadderState,
    p: LadderParams,
    rng: np.random.Generator,
    battlefield: np.ndarray | float = 0.0,
    bargaining: np.ndarray | float = 0.0,
    tables: _OldLadderTables | None = None,
) -> LadderState:
    """Advance every draw one week (see the module docstring for the rule).

    ``battlefield`` (n,) in [-1, 1], positive when the trend favours side +1;
    ``bargaining`` (n,) in [0, 1], the state of talks. ``tables`` (from
    :func:`prepare`) saves recomputation inside loops. Returns a new state.
    """
    t = tables if tables is not None else old_ladder_tables(p)
    n, n_rungs, n_moves = p.n_draws, p.n_rungs, len(p.move_actor)
    n_actors = len(p.actor_side)
    rows = np.arange(n)
    r = state.rung
    b = np.broadcast_to(np.asarray(battlefield, float), (n,))
    s = np.broadcast_to(np.asarray(bargaining, float), (n,))

    # utilities relative to holding (module docstring)
    loss = np.maximum(0.0, -p.actor_side[None, :] * b[:, None])  # (n, A)
    perceived = r[:, None] + (rng.random((n, n_actors)) < p.misperception[:, None])
    answer = p.credibility * (np.minimum(perceived, n_rungs - 1) >= p.red_line)  # (n, A)
    actor = t.move_actor_hit
    util = (
        p.gain * (1.0 + p.loss_weight[:, None] * loss[:, actor])
        - p.cost
        - t.dv[rows, r]
        + (p.talks_weight * s)[:, None] * t.rise_term[r]
        + np.where(p.move_deescalate[None, :], 0.0, answer[:, actor])
        - _old_shadow_price(p, state.stocks, t.net, t.lam_m, t.finite_cols)
    )
    avail = t.avail[r] & p.enabled & (state.stocks >= p.use_size[None, :])
    last_use = state.last_use if state.last_use is not None else np.full(
        (n, n_moves), -(10**9), dtype=np.int64)
    year_uses = state.year_uses if state.year_uses is not None else np.zeros((n, n_moves))
    if state.week % 52 == 0:
        year_uses = np.zeros_like(year_uses)
    if t.cooldown is not None:
        avail = avail & (state.week - last_use > t.cooldown[None, :])
    if t.max_per_year is not None:
        avail = avail & (year_uses + 1.0 <= t.max_per_year[None, :])

    # logit choice per actor: Gumbel-max over [hold, its moves]; move-major layout so
    # the small reductions run along the leading axis
    ext = np.empty((n_moves + n_actors + 1, n), np.float32)  # moves, holds, "none"
    ext[:n_moves] = np.where(avail, t.lam_m * util, -np.inf).T
    ext[n_moves:-1] = 0.0
    ext[-1] = -np.inf
    with np.errstate(divide="ignore"):  # u = 0 gives -inf: that option is never picked
        ext[:-1] -= np.log(-np.log(rng.random((n_moves + n_actors, n), dtype=np.float32)))
    z = ext[t.pad]  # (A, J + 1, n)
    choice = t.slot_move[np.arange(n_actors)[:, None], z.argmax(1)]  # (A, n), -1 hold
    used_t = choice[actor] == np.arange(n_moves)[:, None]  # (M, n)

    # transition
    r_new = t.r_new_t[:, r]  # (M, n)
    deesc_t = p.move_deescalate[:, None]
    up = np.where(used_t & t.raises_t[:, r], r_new, -1).max(0, initial=-1)  # -1: no move
    down = np.where(used_t & deesc_t, r_new, -1).max(0, initial=-1)
    below = np.where(used_t & ~deesc_t, p.move_rung[:, None], -1).max(0, initial=-1)
    down = np.where(down >= 0, np.maximum(down, below), -1)  # ongoing lower moves hold
    r_next = np.where(up >= 0, np.maximum(up, r), np.where(down >= 0, down, r))
    used = used_t.T
    mover_move = used_t & t.raises_t[:, r] & (r_new == r_next[None, :])
    mover = (np.where(mover_move.any(0), p.move_actor[mover_move.argmax(0)], -1)
             if n_moves else np.full(n, -1))
    slip = (r_next <= r) & (rng.random(n) < _old_hazard(p, t, rows, r_next, loss))
    mover = np.where(slip, -1, mover)
    r_next = np.minimum(r_next + slip, n_rungs - 1)

    stocks = state.stocks - used * p.use_size[None, :] + p.production
    max_rung = np.maximum(state.max_rung, r_next)
    first = state.first_week.copy()
    newly = (np.arange(n_rungs)[None, :] <= max_rung[:, None]) & (first < 0)
    first[newly] = state.week
    first_actor = np.where(newly, mover[:, None], state.first_actor)
    occ = state.occupancy.copy()
    occ[rows, r_next] += 1
    return replace(state, rung=r_next, max_rung=max_rung, stocks=stocks,
                   uses=state.uses + used, first_week=first, occupancy=occ,
                   first_actor=first_actor,
                   week=state.week + 1, last_use=np.where(used, state.week, last_use),
                   year_uses=year_uses + used)


def _old_hazard(p: LadderParams, t: _OldLadderTables, rows: np.ndarray, r: np.ndarray,
            loss: np.ndarray) -> np.ndarray:
    """Weekly hazard (n,) of an unintended step from rung ``r`` with its couplings."""
    h = p.accident[rows, r]
    if p.chance_weight is not None:
        h = h * (1.0 + p.chance_weight * t.crossed[rows, r])
    if p.loss_hazard is not None:
        h = h * (1.0 + p.loss_hazard * loss.max(1))
    return np.minimum(h, 1.0)




# --- measurement -------------------------------------------------------------------------

@dataclass(frozen=True)
class Kernel:
    """A kernel to time: the module attribute the stages call, and the old code to patch
    in for it (``old`` maps attribute names of ``module`` to the old functions)."""

    name: str
    module: str
    attr: str
    old: dict


KERNELS = [
    Kernel("escalation ladder `step`", "polemos.models.escalation.ladder", "step",
           {"step": old_ladder_step, "prepare": old_ladder_tables}),
]


@contextlib.contextmanager
def _patched(module, values: dict):
    saved = {k: getattr(module, k) for k in values}
    try:
        for k, v in values.items():
            setattr(module, k, v)
        yield
    finally:
        for k, v in saved.items():
            setattr(module, k, v)


def _block(kernel: Kernel, old: bool) -> tuple[float, dict]:
    """CPU seconds inside ``kernel`` over one block, and the block's arrays."""
    import importlib

    from polemos.engine.loop import make_plan, simulate_block
    from polemos.engine.params import ParamSpace
    from polemos.engine.stages import active_stages
    from polemos.scenario import load_scenario

    module = importlib.import_module(kernel.module)
    scen = load_scenario(SCENARIO)
    stages = active_stages(scen)
    plan = make_plan(scen, stages)
    plan.arms = {}
    spent = [0.0]
    values = dict(kernel.old) if old else {}
    inner = values.get(kernel.attr, getattr(module, kernel.attr))

    def timed(*args, **kw):
        t0 = time.process_time()
        try:
            return inner(*args, **kw)
        finally:
            spent[0] += time.process_time() - t0

    values[kernel.attr] = timed
    with _patched(module, values):
        res = simulate_block(scen, stages, plan, ParamSpace.from_scenario(scen), seed=SEED,
                             block=0, n=N_DRAWS, stop=WEEKS)
    arrays = {f"c:{k}": v for k, v in res.columns.items()}
    arrays.update({f"a:{k}": v for k, v in res.aggregates.items()})
    return spent[0], arrays


def _same(a: dict, b: dict) -> bool:
    return sorted(a) == sorted(b) and all(
        np.asarray(a[k]).tobytes() == np.asarray(b[k]).tobytes() for k in a)


RUN = """
import sys, time
from polemos.engine.runner import RunOptions, make_job, run_blocks
from polemos.scenario import load_scenario
job = make_job(load_scenario(sys.argv[1]), RunOptions(draws=10_000, seed=1))
blocks = list(range(-(-job.draws // job.block_size)))
run_blocks(job, blocks[:1])  # imports and first-call set-up out of the timing
t0 = time.process_time()
run_blocks(job, blocks)
print(time.process_time() - t0)
"""


def _run_blocks_seconds(src: Path) -> float:
    out = subprocess.run([sys.executable, "-c", RUN, str(SCENARIO)], check=True,
                         capture_output=True, text=True, env={"PYTHONPATH": str(src),
                                                              "PATH": "/usr/bin:/bin"})
    return float(out.stdout.strip().splitlines()[-1])


def main() -> str:
    rows = []
    for k in KERNELS:
        t_old, a_old = _block(k, old=True)
        t_new, a_new = _block(k, old=False)
        t_old2, _ = _block(k, old=True)  # old, new, old, new: the better of each pair
        t_new2, _ = _block(k, old=False)
        t_old, t_new = min(t_old, t_old2), min(t_new, t_new2)
        rows.append(f"| {k.name} | {t_old:.2f} | {t_new:.2f} | {t_old / t_new:.2f} | "
                    f"{'yes' if _same(a_old, a_new) else '**no**'} |")
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASE, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        before = [_run_blocks_seconds(Path(tmp) / "src") for _ in range(2)]
        after = [_run_blocks_seconds(ROOT / "src") for _ in range(2)]
    b, a = min(before), min(after)
    return "\n".join([
        "## Kernels (issue 15): old against new, same bits",
        "",
        f"Budapest scenario, {N_DRAWS:,} draws x {WEEKS} weeks in one block through the "
        "engine; CPU seconds inside the kernel's calls (the better of two runs each); "
        f"old = commit {BASE}. *Same bits*: every column and aggregate of the block "
        "byte-identical.",
        "",
        "| kernel | old CPU s | new CPU s | old / new | same bits |",
        "| --- | ---: | ---: | ---: | --- |",
        *rows,
        "",
        f"Whole `run_blocks`, {N_DRAWS:,} draws (4 blocks of 2,500), fresh subprocess, "
        "CPU seconds (the better of two runs; imports and one warm-up block not counted):",
        "",
        "| tree | CPU s | ratio to before |",
        "| --- | ---: | ---: |",
        f"| before ({BASE}) | {b:.2f} | 1.00 |",
        f"| after (this tree) | {a:.2f} | {b / a:.2f} |",
    ])


if __name__ == "__main__":
    print(main())

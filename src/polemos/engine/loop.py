"""The weekly loop of the coupled simulation, for one block of draws.

Per week, in order (see ``docs/architecture.md``)::

    events fire -> economy -> attrition and front -> capability and resolve
      -> bargaining at negotiation events (Fearon settlement test) -> escalation
      -> structure -> outcomes checked (absorbing outcomes freeze the draw)

Every stage updates the shared state (named ``(n,)`` arrays) in place with its own child
random stream ``child_generator(seed, block, stage.key)``, so a block's results depend
only on ``(scenario, seed, block)``: the basis of bit-identical runs across backends.

Counterfactual arms: for each distinct ``without`` set the claims use, the block is
simulated again with the same unit samples and the same random streams, with those
economy measures and events switched off (``ctx.shared["without"]``), and the columns
those claims read are recorded as ``o:name[@date]~without:ids``. Scenarios whose claims
use no ``without`` run exactly as before.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from polemos.engine import expressions as X
from polemos.engine.params import Params, ParamSpace
from polemos.engine.stage import Context, Stage, State
from polemos.numerics.rng import child_generator
from polemos.numerics.sampling import unit_samples

DESIGN_KEY = 0
"""Child stream (of each block) that draws the unit samples of the design."""


def horizon_weeks(scenario: Any) -> int:
    days = (scenario.meta.horizon - scenario.meta.as_of).days
    return max(1, -(-days // 7))


def block_unit_samples(space: ParamSpace, design: str, seed: int, block: int, n: int,
                       paths: int = 1) -> np.ndarray:
    """The design's unit samples of block ``block`` (a pure function of its arguments).

    With ``paths > 1`` the design draws one row per world (``ceil(n / paths)`` of them)
    and each row is repeated for the world's paths: every path of a world shares its
    inputs. ``paths = 1`` is the one-level design (one world per draw).

    The plain design draws each parameter's column from its own stream, keyed by a hash
    of its dotted path, so two scenarios that share a parameter share its draws (paired
    comparisons survive adding or removing other uncertain inputs). Latin hypercube and
    Sobol designs are joint over all columns.
    """
    if paths > 1:
        worlds = block_unit_samples(space, design, seed, block, -(-n // paths))
        return np.repeat(worlds, paths, axis=0)[:n]
    if str(design) == "plain":
        u = np.empty((n, len(space)))
        for j, name in enumerate(space.names):
            key = zlib.crc32(name.encode())
            u[:, j] = child_generator(seed, block, DESIGN_KEY, key).random(n)
        return u
    return unit_samples(design, n, len(space), child_generator(seed, block, DESIGN_KEY))


@dataclass
class Plan:
    """What a block must record besides outcomes: observables and trajectories."""

    outcomes: list[Any]
    outcome_trees: list[Any]
    obs: list[X.Obs]
    trajectories: list[str] = field(default_factory=list)
    arms: dict[X.Arm, list[X.Obs]] = field(default_factory=dict)
    """Counterfactual arms (``without`` ids) -> the observables claims read in them."""
    samples_per_block: int = 40
    sample_blocks: int = 25
    """Fan charts use the first draws of the first blocks: 1,000 trajectories."""


def make_plan(scenario: Any, stages: list[Stage]) -> Plan:
    """Parse outcomes and claims; list the observables claims read."""
    trees = [X.parse(o.when) for o in scenario.outcomes]
    from polemos.engine.claims import needed_arms
    from polemos.scenario.expr import switchable_ids

    obs: set[X.Obs] = set()
    arms: dict[X.Arm, set[X.Obs]] = {}
    switchable = set(switchable_ids(scenario))
    for claim in scenario.claims:
        try:
            by_arm = needed_arms(X.parse(claim.expr))
        except Exception:  # noqa: BLE001 - an unparsable claim is reported in the ledger
            continue
        for arm, pairs in by_arm.items():
            if not arm:
                obs |= pairs
            elif arm <= switchable:  # unknown ids: the ledger reports the claim's error
                arms.setdefault(arm, set()).update(pairs)
    for o in scenario.outcomes:
        obs.add((o.id, None))

    def order(pairs: set[X.Obs]) -> list[X.Obs]:
        return sorted(pairs, key=lambda p: (p[0], str(p[1])))

    return Plan(list(scenario.outcomes), trees, order(obs),
                arms={a: order(arms[a]) for a in sorted(arms, key=sorted)})


@dataclass
class BlockResult:
    """One block's per-draw table and mergeable aggregates."""

    block: int
    n: int
    columns: dict[str, np.ndarray]
    aggregates: dict[str, np.ndarray]


def _matrix_state(state: State) -> tuple[np.ndarray, list[str]]:
    """Back every state variable by a row of one ``(n_vars, n)`` matrix.

    The dict keeps its names, but each value becomes a view of a row, so freezing the
    absorbed draws and summing over draws are one operation each. Stages update their
    variables in place (``state[name][:] = ...``), never rebind them.
    """
    names = list(state)
    matrix = np.stack([np.asarray(state[k], dtype=float) for k in names])
    for i, k in enumerate(names):
        state[k] = matrix[i]
    return matrix, names


class _Recorder:
    """What a block keeps while it runs: outcomes reached, absorbed draws, snapshots of
    the variables claims read at dates, weekly sums and a few sampled trajectories."""

    def __init__(self, plan: Plan, ctx: Context, state: State, matrix: np.ndarray, block: int):
        n, weeks = ctx.n, ctx.weeks
        self.plan, self.ctx, self.state, self.matrix = plan, ctx, state, matrix
        self.frozen = matrix.copy()
        self.first = {o.id: np.full(n, -1, dtype=np.int32) for o in plan.outcomes}
        self.absorbed_by = np.full(n, -1, dtype=np.int16)
        self.alive = np.ones(n, dtype=bool)
        self.snap_weeks: dict[int, list[str]] = {}
        for name, at in plan.obs:
            if at is not None and name not in self.first:
                self.snap_weeks.setdefault(ctx.week_of(at), []).append(name)
        self.snapshots: dict[tuple[str, int], np.ndarray] = {}
        self.env = X.StepEnv(state, ctx.week_of, self.snapshots, self.first)
        self.traj = plan.trajectories = plan.trajectories or sorted(state)
        self.rows = np.array([list(state).index(t) for t in self.traj], dtype=np.intp)
        self.k = min(plan.samples_per_block, n) if block < plan.sample_blocks else 0
        self.weekly = np.zeros((len(self.traj), weeks + 1))
        self.samples = np.zeros((len(self.traj), self.k, weeks + 1), dtype=np.float32)

    def freeze(self) -> None:
        """Absorbed draws keep their values at absorption."""
        if not self.alive.all():  # one masked pass (no gather/scatter of the dead columns)
            np.copyto(self.matrix, self.frozen, where=~self.alive)

    def record(self, week: int) -> None:
        # row sums of the whole matrix, then picked: the same bits as summing the picked
        # rows (each row's sum is its own), without copying the matrix
        self.weekly[:, week] = self.matrix.sum(axis=1)[self.rows]
        if self.k:
            self.samples[:, :, week] = self.matrix[self.rows, : self.k]
        for name in self.snap_weeks.get(week, []):
            self.snapshots[(name, week)] = self.state[name].copy()
        self.env.week = week
        plan, alive = self.plan, self.alive
        # Every outcome of the week is judged on the draws alive at the start of the week;
        # only then do absorbing outcomes take their draws out (ties: the first listed
        # absorbing outcome is the one that ends the draw).
        start_alive = alive.copy()
        absorbed = np.zeros_like(alive)
        for j, (o, tree) in enumerate(zip(plan.outcomes, plan.outcome_trees, strict=True)):
            hit = np.asarray(X.evaluate(tree, self.env), dtype=bool) & start_alive
            new = hit & (self.first[o.id] < 0)
            self.first[o.id][new] = week
            if o.absorbing:
                self.absorbed_by[new & (self.absorbed_by < 0)] = j
                absorbed |= hit
        if absorbed.any():
            np.copyto(self.frozen, self.matrix, where=absorbed)
            alive[absorbed] = False

    def carry(self, week: int) -> None:
        """Every draw is absorbed: later weeks repeat this one."""
        for w in range(week + 1, self.ctx.weeks + 1):
            self.weekly[:, w] = self.weekly[:, week]
            self.samples[:, :, w] = self.samples[:, :, week]
            for name in self.snap_weeks.get(w, []):
                self.snapshots[(name, w)] = self.state[name].copy()

    def columns(self) -> dict[str, np.ndarray]:
        """The per-draw table: outcome reached, first weeks, the observables claims read."""
        weeks, first = self.ctx.weeks, self.first
        cols: dict[str, np.ndarray] = {"outcome": self.absorbed_by}
        for o in self.plan.outcomes:
            cols[f"t:{o.id}"] = first[o.id]
        for name, at in self.plan.obs:
            col = X.obs_column(name, at)
            if name in first:
                limit = weeks if at is None else self.ctx.week_of(at)
                cols[col] = ((first[name] >= 0) & (first[name] <= limit)).astype(float)
            elif at is None:
                cols[col] = np.asarray(self.state[name], dtype=float).copy()
            else:
                cols[col] = self.snapshots[(name, self.ctx.week_of(at))]
        return cols

    def aggregates(self) -> dict[str, np.ndarray]:
        weeks, n_out = self.ctx.weeks, len(self.plan.outcomes)
        hist = np.zeros((n_out, weeks + 2), dtype=np.int64)
        for j, o in enumerate(self.plan.outcomes):
            t = self.first[o.id]
            hist[j] = np.bincount(np.where(t < 0, weeks + 1, t), minlength=weeks + 2)
        ends = np.bincount(self.absorbed_by.astype(np.int64) + 1, minlength=n_out + 1)
        return {"n": np.array([self.ctx.n]), "first_week": hist, "weekly_sum": self.weekly,
                "samples": self.samples, "names": np.array(self.traj, dtype=str),
                "ends": ends}


def simulate_block(
    scenario: Any,
    stages: list[Stage],
    plan: Plan,
    space: ParamSpace,
    *,
    seed: int,
    block: int,
    n: int,
    design: str = "plain",
    u: np.ndarray | None = None,
    wrap: Any = None,
    without: frozenset[str] = frozenset(),
    paths: int = 1,
    stop: int | None = None,
) -> BlockResult:
    """Run ``n`` draws of block ``block`` over the scenario's horizon.

    ``u`` overrides the design's unit samples; ``wrap(generator)`` wraps every random
    stream (the sensitivity analysis uses it for common random numbers); ``without``
    switches economy measures and events off (a counterfactual arm). The plan's
    counterfactual arms are then simulated with the same ``u`` and streams and add their
    ``o:...~without:...`` columns. ``stop`` ends the simulation after that week (a
    counterfactual arm whose observables are all read by then needs no later week).
    """
    if u is None:
        u = block_unit_samples(space, design, seed, block, n, paths)
    params = Params(space, u)
    ctx = Context(scenario, params, n, scenario.meta.as_of, horizon_weeks(scenario), seed=seed,
                  block=block, wrap=wrap)
    if without:
        ctx.shared["without"] = frozenset(without)
    state: State = {"week": np.zeros(n)}
    for stage in stages:
        state.update(stage.init(ctx))
    matrix, _ = _matrix_state(state)
    rngs = [child_generator(seed, block, stage.key) for stage in stages]
    if wrap is not None:
        rngs = [wrap(r) for r in rngs]
    rec = _Recorder(plan, ctx, state, matrix, block)
    rec.record(0)
    last = ctx.weeks if stop is None else max(0, min(stop, ctx.weeks))
    for week in range(1, last + 1):
        date = ctx.date(week)
        state["week"][:] = float(week)
        for stage, rng in zip(stages, rngs, strict=True):
            stage.step(state, week, date, rng)
        rec.freeze()
        rec.record(week)
        if not rec.alive.any():
            rec.carry(week)
            break
    columns = rec.columns()
    for p in space.parameters:
        columns[f"p:{p.path}"] = params.value(p.quantity)
    aggregates = rec.aggregates()
    for arm, arm_obs in plan.arms.items():
        columns.update(_arm_columns(scenario, stages, plan, space, arm, arm_obs, seed=seed,
                                    block=block, n=n, u=u, wrap=wrap))
    return BlockResult(block, n, columns, aggregates)


def _arm_columns(scenario: Any, stages: list[Stage], plan: Plan, space: ParamSpace,
                 arm: X.Arm, arm_obs: list[X.Obs], *, seed: int, block: int, n: int,
                 u: np.ndarray, wrap: Any) -> dict[str, np.ndarray]:
    """The columns ``arm_obs`` of the counterfactual arm ``arm`` of this block (paired:
    same unit samples, same random streams; the stages are initialised afresh)."""
    sub = Plan(plan.outcomes, plan.outcome_trees, list(arm_obs),
               trajectories=list(plan.trajectories), samples_per_block=0, sample_blocks=0)
    weeks = horizon_weeks(scenario)
    ctx = Context(scenario, None, n, scenario.meta.as_of, weeks)  # only for its calendar
    stop = max((weeks if at is None else ctx.week_of(at) for _, at in arm_obs), default=weeks)
    res = simulate_block(scenario, stages, sub, space, seed=seed, block=block, n=n, u=u,
                         wrap=wrap, without=arm, stop=stop)
    return {X.obs_column(name, at, arm): res.columns[X.obs_column(name, at)]
            for name, at in arm_obs}

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

    An arm shares the main arm's weeks up to the first week its switched-off inputs can
    act (:meth:`Stage.shared_weeks`): it is forked from a copy of the main arm's stages,
    state, streams and recorder at the end of that week, which gives the same bits as
    simulating it from week 0 (tested), for less work.
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
    last = ctx.weeks if stop is None else max(0, min(stop, ctx.weeks))
    forks = _fork_weeks(plan, ctx, stages, wrap)
    for arm, week in forks.items():  # the arm's dated observables of the shared weeks
        for name, at in plan.arms[arm]:
            if at is not None and name not in rec.first and ctx.week_of(at) <= week:
                names = rec.snap_weeks.setdefault(ctx.week_of(at), [])
                if name not in names:
                    names.append(name)
    run = _Run(ctx, stages, rngs, state, matrix, rec)
    rec.record(0)
    forked = run.advance(last, forks)
    columns = rec.columns()
    for p in space.parameters:
        columns[f"p:{p.path}"] = params.value(p.quantity)
    aggregates = rec.aggregates()
    for arm, arm_obs in plan.arms.items():
        if arm in forked:
            columns.update(_forked_arm_columns(forked[arm], plan, arm, arm_obs))
        else:
            columns.update(_arm_columns(scenario, stages, plan, space, arm, arm_obs, seed=seed,
                                        block=block, n=n, u=u, wrap=wrap))
    return BlockResult(block, n, columns, aggregates)


@dataclass
class _Run:
    """A block in flight: what a week changes, and what forking an arm copies."""

    ctx: Context
    stages: list[Stage]
    rngs: list[Any]
    state: State
    matrix: np.ndarray
    rec: _Recorder
    week: int = 0

    def advance(self, last: int, forks: dict[X.Arm, int] | None = None) -> dict[X.Arm, _Run]:
        """Step weeks ``week + 1 .. last``; copies of the run at the arms' fork weeks."""
        forks = forks or {}
        forked = {arm: self.fork() for arm, w in forks.items() if w == self.week}
        ctx, state, rec = self.ctx, self.state, self.rec
        while self.week < last:
            week = self.week = self.week + 1
            date = ctx.date(week)
            state["week"][:] = float(week)
            for stage, rng in zip(self.stages, self.rngs, strict=True):
                stage.step(state, week, date, rng)
            rec.freeze()
            rec.record(week)
            if not rec.alive.any():
                rec.carry(week)
                break
            forked.update({arm: self.fork() for arm, w in forks.items() if w == week})
        # every draw absorbed before an arm's fork week: the arm ends as the main arm does
        forked.update({arm: self.fork() for arm in forks if arm not in forked})
        return forked

    def fork(self) -> _Run:
        """An independent copy (the scenario and the block's inputs are shared, being
        read-only; every state view is re-pointed at the copied matrix)."""
        import copy

        matrix = self.matrix.copy()
        memo: dict[int, Any] = {id(self.ctx.scenario): self.ctx.scenario,
                                id(self.ctx.params): self.ctx.params,
                                id(self.rec.plan): self.rec.plan, id(self.matrix): matrix}
        for i, key in enumerate(self.state):
            memo[id(self.state[key])] = matrix[i]
        _share_code(self.stages, memo)
        return copy.deepcopy(self, memo)


def _share_code(root: Any, memo: dict[int, Any]) -> None:
    """Put the modules, functions and classes reachable from ``root`` into ``memo``: code
    is shared by a copy, never copied (modules cannot be)."""
    import types

    todo, seen = [root], set(memo)
    while todo:
        x = todo.pop()
        if id(x) in seen or isinstance(x, (np.ndarray, np.generic, str, bytes, int, float,
                                           bool, type(None))):
            continue
        seen.add(id(x))
        if isinstance(x, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
                          type)):
            memo[id(x)] = x
        elif isinstance(x, dict):
            todo.extend(x.values())
        elif isinstance(x, (list, tuple, set, frozenset)):
            todo.extend(x)
        elif hasattr(x, "__dict__"):
            todo.extend(vars(x).values())


def _fork_weeks(plan: Plan, ctx: Context, stages: list[Stage], wrap: Any) -> dict[X.Arm, int]:
    """The week after which each counterfactual arm can be forked from the main arm
    (arms that differ from week 1, and every arm under a wrapped stream, are left out)."""
    if wrap is not None or "without" in ctx.shared:
        return {}
    out = {}
    for arm, obs in plan.arms.items():
        shared = min((int(s.shared_weeks(frozenset(arm))) if hasattr(s, "shared_weeks") else 0
                      for s in stages), default=0)
        week = min(shared, _last_read_week(ctx, obs))
        if week > 0:
            out[arm] = week
    return out


def _last_read_week(ctx: Context, obs: list[X.Obs]) -> int:
    return max((ctx.weeks if at is None else ctx.week_of(at) for _, at in obs), default=ctx.weeks)


def _forked_arm_columns(run: _Run, plan: Plan, arm: X.Arm, arm_obs: list[X.Obs]
                        ) -> dict[str, np.ndarray]:
    """Finish the arm ``arm`` forked from the main arm and read its observables."""
    rec = run.rec
    rec.plan = Plan(plan.outcomes, plan.outcome_trees, list(arm_obs),
                    trajectories=list(plan.trajectories), samples_per_block=0, sample_blocks=0)
    rec.k = 0
    rec.samples = np.zeros((len(rec.traj), 0, run.ctx.weeks + 1), dtype=np.float32)
    rec.snap_weeks = {}
    for name, at in arm_obs:
        if at is not None and name not in rec.first and run.ctx.week_of(at) > run.week:
            rec.snap_weeks.setdefault(run.ctx.week_of(at), []).append(name)
    run.ctx.shared["without"] = frozenset(arm)
    for stage in run.stages:
        if hasattr(stage, "switch_off"):
            stage.switch_off(frozenset(arm))
    if rec.alive.any():
        run.advance(_last_read_week(run.ctx, arm_obs))
    else:
        rec.carry(run.week)
    cols = rec.columns()
    return {X.obs_column(name, at, arm): cols[X.obs_column(name, at)] for name, at in arm_obs}


def _arm_columns(scenario: Any, stages: list[Stage], plan: Plan, space: ParamSpace,
                 arm: X.Arm, arm_obs: list[X.Obs], *, seed: int, block: int, n: int,
                 u: np.ndarray, wrap: Any) -> dict[str, np.ndarray]:
    """The columns ``arm_obs`` of the counterfactual arm ``arm`` of this block (paired:
    same unit samples, same random streams; the stages are initialised afresh)."""
    sub = Plan(plan.outcomes, plan.outcome_trees, list(arm_obs),
               trajectories=list(plan.trajectories), samples_per_block=0, sample_blocks=0)
    weeks = horizon_weeks(scenario)
    ctx = Context(scenario, None, n, scenario.meta.as_of, weeks)  # only for its calendar
    res = simulate_block(scenario, stages, sub, space, seed=seed, block=block, n=n, u=u,
                         wrap=wrap, without=arm, stop=_last_read_week(ctx, arm_obs))
    return {X.obs_column(name, at, arm): res.columns[X.obs_column(name, at)]
            for name, at in arm_obs}

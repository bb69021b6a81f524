"""From an ``escalation`` scenario section to ladder-kernel inputs, and back to names.

:func:`ladder_inputs` samples every quantity of the section (one independent uniform per
quantity and draw, through its inverse CDF) into a :class:`LadderParams`;
:func:`state_values` turns a kernel state into the section's named state variables
(``escalation.rung``, ``escalation.reached.<rung>``, ``nuclear_use``, ``stocks.<a>.<m>``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from polemos.models.escalation.ladder import LadderParams, LadderState
from polemos.models.escalation.section import EscalationSection, Side
from polemos.scenario.quantities import Quantity, central, ppf


@dataclass(frozen=True)
class LadderLayout:
    """What the kernel's integer axes mean: rung ids/names/levels, actor ids, move ids."""

    rung_ids: tuple[str, ...]
    rung_names: tuple[str, ...]
    levels: np.ndarray
    nuclear: np.ndarray
    actor_ids: tuple[str, ...]
    move_ids: tuple[str, ...]
    move_actors: tuple[str, ...]
    finite_stock: tuple[bool, ...]
    start: int
    reference_classes: tuple[str | None, ...] = ()


def _sample(q: Quantity | None, rng: np.random.Generator, n: int, default: float) -> np.ndarray:
    if q is None:
        return np.full(n, default)
    return ppf(q, rng.random(n))


def ladder_inputs(
    sec: EscalationSection, n_draws: int, rng: np.random.Generator
) -> tuple[LadderParams, LadderLayout]:
    """Kernel parameters (n_draws) sampled from ``sec``, and the layout of their axes."""
    n = n_draws
    rungs = sec.rungs()
    n_rungs = len(rungs)
    actors = [a.actor for a in sec.actors]
    col = {a: i for i, a in enumerate(actors)}

    def per_move(field: str, default: float) -> np.ndarray:
        return np.column_stack([_sample(getattr(m, field), rng, n, default) for m in sec.moves]) \
            if sec.moves else np.zeros((n, 0))

    def per_actor(field: str, default: Quantity) -> np.ndarray:
        return np.column_stack([
            _sample(getattr(a, field) if getattr(a, field) is not None else default, rng, n, 0.0)
            for a in sec.actors
        ])

    red = np.column_stack([
        np.full(n, n_rungs + 10 if a.red_line is None else sec.rung_index(a.red_line))
        for a in sec.actors
    ])
    accident = _hazards(sec, rng, n)
    m = len(sec.moves)
    params = LadderParams(
        severity=np.zeros(n_rungs),  # sampled last (below), keeping earlier streams
        move_actor=np.array([col[mv.actor] for mv in sec.moves], int),
        move_rung=np.array([sec.rung_index(mv.rung) for mv in sec.moves], int),
        move_deescalate=np.array([mv.deescalate for mv in sec.moves], bool),
        move_sustain=np.array([mv.sustain for mv in sec.moves], bool),
        use_size=np.array([central(mv.use_size) for mv in sec.moves], float),
        actor_side=np.array([1 if a.side is Side.a else -1 for a in sec.actors]),
        gain=per_move("gain", 0.0),
        cost=per_move("cost", 0.0),
        stock0=per_move("stock", np.inf),
        production=per_move("production", 0.0),
        enabled=np.broadcast_to(np.array([mv.enabled for mv in sec.moves], bool), (n, m)).copy(),
        red_line=red,
        credibility=per_actor("credibility", 1.0),
        risk_weight=per_actor("risk_weight", 1.0),
        rationality=np.maximum(per_actor("rationality", sec.rationality), 0.0),
        accident=np.clip(accident, 0.0, 1.0),
        misperception=np.clip(_sample(sec.misperception, rng, n, 0.0), 0.0, 1.0),
        loss_weight=_sample(sec.loss_weight, rng, n, 1.0),
        talks_weight=_sample(sec.talks_weight, rng, n, 0.5),
        cooldown=np.array([mv.cooldown_weeks for mv in sec.moves], float),
        max_per_year=np.array([np.inf if mv.max_uses_per_year is None else mv.max_uses_per_year
                               for mv in sec.moves], float),
        horizon=float(sec.planning_horizon),
        max_jump=int(sec.max_jump),
        move_max_from=np.array([n_rungs - 1 if mv.max_from is None
                                else sec.rung_index(mv.max_from) for mv in sec.moves], int),
        red_line_sharpness=float(sec.red_line_sharpness),
        chance_weight=np.maximum(_sample(sec.chance_weight, rng, n, 0.0), 0.0),
        loss_hazard=np.maximum(_sample(sec.loss_hazard, rng, n, 0.0), 0.0),
    )
    params = replace(params, severity=np.column_stack(
        [_sample(r.severity, rng, n, 0.0) for r in rungs]))  # (n, R)
    layout = LadderLayout(
        rung_ids=tuple(r.id for r in rungs),
        rung_names=tuple(r.name for r in rungs),
        levels=np.array([r.level for r in rungs]),
        nuclear=np.array([r.nuclear for r in rungs], bool),
        actor_ids=tuple(actors),
        move_ids=tuple(mv.id for mv in sec.moves),
        move_actors=tuple(mv.actor for mv in sec.moves),
        finite_stock=tuple(mv.stock is not None for mv in sec.moves),
        start=sec.rung_index(sec.start),
        reference_classes=tuple(r.reference_class for r in rungs),
    )
    return params, layout


def _hazards(sec: EscalationSection, rng: np.random.Generator, n: int) -> np.ndarray:
    """Unintended-step hazards (n, R): a shared draw when the section gives one value for
    every rung (as before rungs had their own), else one draw per rung; 0 at the top."""
    qs = sec.hazards()
    if not isinstance(sec.accident_hazard, list) and all(r.hazard is None for r in sec.rungs()):
        accident = np.repeat(_sample(qs[0], rng, n, 0.0)[:, None], len(qs), axis=1)
    else:
        accident = np.column_stack([_sample(q, rng, n, 0.0) for q in qs])
    accident[:, -1] = 0.0  # nothing above the top rung
    return accident


def state_values(state: LadderState, layout: LadderLayout) -> dict[str, np.ndarray]:
    """The section's state variables (each (n_draws,)) from a kernel state."""
    out: dict[str, np.ndarray] = {
        "escalation.rung": layout.levels[state.max_rung],
        "escalation.current": layout.levels[state.rung],
        "nuclear_use": state.max_rung >= _first_nuclear(layout),
    }
    for i, rid in enumerate(layout.rung_ids):
        out[f"escalation.reached.{rid}"] = state.max_rung >= i
    nuc = _first_nuclear(layout)
    if nuc < len(layout.rung_ids):
        who = state.first_actor[:, nuc]
        for i, aid in enumerate(layout.actor_ids):
            out[f"escalation.nuclear_first.{aid}"] = who == i
        out["escalation.nuclear_by_accident"] = (who == -1) & (state.max_rung >= nuc)
    for j, (mid, actor) in enumerate(zip(layout.move_ids, layout.move_actors, strict=True)):
        if layout.finite_stock[j]:
            out[f"stocks.{actor}.{mid}"] = state.stocks[:, j]
    return out


def _first_nuclear(layout: LadderLayout) -> int:
    idx = np.flatnonzero(layout.nuclear)
    return int(idx[0]) if len(idx) else len(layout.rung_ids)

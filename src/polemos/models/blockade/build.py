"""From the ``blockade`` section to :class:`theatre.TheatreParams`, one theatre at a time.

Quantities are read from the section objects in the call (the engine's ``Params.value``
when given, else inverse-CDF sampling in a fixed order). A start or escort decision tied
to an event starts at the event's date in the draws where it happens (``fire_events``);
the engine instead sets the week when its events stage fires the event.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from polemos.models.blockade.section import Theatre, rung_level
from polemos.models.blockade.theatre import TheatreParams
from polemos.models.economy.build import Value, _Sampler


def _week(date, as_of) -> float:
    return (date - as_of).days / 7.0


def _event_week(scenario: Any, event_id: str, s: _Sampler, fire: bool) -> np.ndarray:
    """Week of ``event_id`` where it happens (sampled from its probability), else inf."""
    u = s.rng.random(s.n)
    if not fire:
        return np.full(s.n, np.inf)
    ev = next(e for e in scenario.events if e.id == event_id)
    p = s(ev.probability, 1.0)
    return np.where(u < p, _week(ev.date, scenario.meta.as_of), np.inf)


def theatre_params(scenario: Any, th: Theatre, s: _Sampler,
                   fire_events: bool = True) -> TheatreParams:
    """Sampled parameters of one theatre (``fire_events``: sample event-tied starts)."""
    as_of, n = scenario.meta.as_of, s.n
    start = np.full(n, _week(th.start, as_of)) if th.start is not None else \
        _event_week(scenario, th.event, s, fire_events)
    end = _event_week(scenario, th.end_event, s, fire_events) if th.end_event else \
        np.full(n, np.inf)
    esc = th.escorts
    if esc is None:
        e_start = np.full(n, np.inf)
    elif esc.start is not None:
        e_start = np.full(n, _week(esc.start, as_of))
    else:
        e_start = _event_week(scenario, esc.event, s, fire_events)
    loss, ins = th.losses, th.insurance

    def e(name, default):
        return s(None if esc is None else getattr(esc, name), default)

    return TheatreParams(
        start=start, ramp_weeks=s(th.ramp_weeks, 1.0), intensity=s(th.intensity),
        kinetic_intensity=s(th.kinetic_intensity, 0.9),
        kinetic_rung=np.full(n, rung_level(scenario, th.kinetic_rung)), escort_start=e_start,
        escort_coverage=e("coverage", 0.0), escort_effectiveness=e("effectiveness", 0.0),
        escort_ramp_weeks=e("ramp_weeks", 2.0), incident_rate=e("incident_rate", 0.0),
        loss_rate=s(loss.per_week_kinetic, 2.0), loss_per_incident=s(loss.per_incident, 0.3),
        base_premium=s(ins.base_premium_pct, 0.05),
        premium_per_interdiction=s(ins.per_interdiction, 1.0),
        premium_per_loss=s(ins.per_ship_lost, 0.1), loss_memory_weeks=s(ins.memory_weeks, 8.0),
        withdrawal_per_premium=s(ins.withdrawal_per_point, 0.4),
        max_withdrawal=s(ins.max_withdrawal, 0.7), end=end)


def build_theatres(scenario: Any, n: int, rng: np.random.Generator, value: Value | None = None,
                   fire_events: bool = True) -> dict[str, TheatreParams]:
    """Every theatre of the scenario's blockade section, in file order."""
    s = _Sampler(rng, n, value)
    return {th.id: theatre_params(scenario, th, s, fire_events)
            for th in scenario.blockade.theatres}


def reach_by_party(scenario: Any, parties: tuple[str, ...],
                   reach: dict[str, np.ndarray], n: int) -> np.ndarray:
    """(n, P[, T]) share of shipping getting through per trade party (1 unless blockaded)."""
    shape = next(iter(reach.values())).shape if reach else (n,)
    out = np.ones((shape[0], len(parties)) + shape[1:])
    sec = getattr(scenario, "blockade", None)
    for th in (sec.theatres if sec is not None else []):
        if th.target in parties and th.id in reach:
            out[:, parties.index(th.target)] *= reach[th.id]
    return out

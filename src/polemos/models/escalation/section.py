"""The ``escalation`` scenario section: ladder, sides, moves, stocks, red lines, hazards.

Example (YAML)::

    escalation:
      sources: [kahn_1965]
      # ladder: omitted -> the default great-power proxy-war ladder (defaults.DEFAULT_LADDER)
      rationality: 2.0                 # logit QRE lambda (McKelvey & Palfrey 1995)
      accident_hazard: {dist: uniform, low: 0.001, high: 0.004, sources: [icb_v14]}
      misperception: 0.05              # chance per actor-week of seeing one rung higher
      actors:
        - {actor: RUS, side: b, red_line: deep_strikes, credibility: 1.0}
        - {actor: UKR, side: a}
        - {actor: USA, side: a, red_line: third_country}
        - {actor: EUR, side: a, red_line: third_country}
      moves:
        - id: storm_shadow
          actor: EUR
          rung: deep_strikes
          gain: 0.8
          cost: 0.3
          stock: {dist: triangular, low: 50, mode: 100, high: 200, sources: [iiss_mb_2025]}
          production: 1                # per week
          use_size: 6                  # missiles per weekly use
          cooldown_weeks: 2            # doctrine, if the record shows one: rest 2 weeks
          sources: [iiss_mb_2025]
        - id: tomahawk
          actor: USA
          rung: deep_strikes
          enabled: false               # withheld ...
          event: tomahawk_decision     # ... by this event (the engine may release it)
          gain: 1.0
          cost: 0.4
        - {id: ceasefire_offer, actor: RUS, rung: pressure, deescalate: true, gain: 0.5}

Every number is a :data:`~polemos.scenario.quantities.Quantity` (a number or a
distribution with its own ``sources``). Sides: the battlefield trend is positive when it
favours side ``a``; actors on different sides are opponents. A red line is a rung id or a
rung level; an actor whose red line is crossed pays ``credibility`` for not answering.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from polemos.scenario.base import Id, StrictModel
from polemos.scenario.quantities import Quantity, support
from polemos.scenario.sections import register_section

Loc = tuple[str | int, ...]

DEFAULT_ACCIDENT_HAZARD = 0.001
"""Weekly hazard of an unintended step, default. Under the 95% rule-of-three bound (about
0.0012 per week) from 12 US-USSR crises in 1945-91 (ICB v14) with no acknowledged direct
clash; see ``polemos fit crises`` and docs/validation/escalation.md for the derivation."""


class Side(StrEnum):
    a = "a"
    b = "b"


class RungSpec(StrictModel):
    """One rung of the ladder, ordered by ``level``."""

    id: Id
    name: str
    level: int = Field(ge=0, description="Position on the ladder (0 = lowest).")
    severity: Quantity = Field(0.0, description="Weekly cost to each side of being at the rung.")
    nuclear: bool = False
    sources: list[Id] = Field(default_factory=list)


class ActorSpec(StrictModel):
    """An actor's stance on the ladder."""

    actor: Id
    side: Side
    red_line: Id | int | None = Field(None, description="Rung id or level; none if omitted.")
    credibility: Quantity = Field(1.0, description="Cost of not answering a crossed red line.")
    risk_weight: Quantity = Field(1.0, description="Weight on counter-escalation risk.")
    rationality: Quantity | None = Field(None, description="QRE lambda; section default if omitted.")
    sources: list[Id] = Field(default_factory=list)


class MoveSpec(StrictModel):
    """A move an actor can make each week."""

    id: Id
    actor: Id
    rung: Id | int = Field(description="Rung the move puts the conflict at (id or level).")
    deescalate: bool = Field(False, description="Lowers the rung to `rung` (from above).")
    sustain: bool = Field(True, description="Usable again once its rung is reached.")
    gain: Quantity = Field(0.0, description="Battlefield/bargaining gain per use (utility).")
    cost: Quantity = Field(0.0, description="Material and political cost per use (utility).")
    stock: Quantity | None = Field(None, description="Initial stock; unlimited if omitted.")
    production: Quantity = Field(0.0, description="Stock added per week.")
    use_size: Quantity = Field(1.0, description="Units used per weekly use.")
    enabled: bool = Field(True, description="False: withheld (unavailable).")
    cooldown_weeks: int = Field(0, ge=0, description="Weeks the move rests after a use "
                                "(observed doctrine or tempo; 0: none).")
    max_uses_per_year: float | None = Field(None, gt=0, description="At most this many uses "
                                            "in each 52-week year of the run; none if omitted.")
    event: Id | None = Field(None, description="The event that enabled or withheld the move.")
    sources: list[Id] = Field(default_factory=list)


class EscalationSection(StrictModel):
    """An escalation ladder with actors' moves (see the module docstring)."""

    ladder: list[RungSpec] | None = Field(None, description="Rungs; default proxy-war ladder.")
    actors: list[ActorSpec] = Field(min_length=1)
    moves: list[MoveSpec] = Field(default_factory=list)
    rationality: Quantity = Field(2.0, description="Logit QRE lambda (0: random, large: best reply).")
    accident_hazard: Quantity | list[Quantity] = Field(
        DEFAULT_ACCIDENT_HAZARD,
        description="Weekly hazard of an unintended step up (one value or one per rung).",
    )
    misperception: Quantity = Field(0.0, description="Chance an actor sees one rung higher.")
    loss_weight: Quantity = Field(1.0, description="Extra value of gains to a losing side.")
    talks_weight: Quantity = Field(0.5, description="Cost of escalating while talks go on.")
    planning_horizon: float = Field(
        52.0, ge=0,
        description="Weeks over which a finite stock is rationed (its shadow price; 0: none).")
    start: Id | int = Field(0, description="Rung at the start (id or level).")
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    def rungs(self) -> list[RungSpec]:
        """The ladder, ordered by level (the default ladder when none is given)."""
        if self.ladder is not None:
            return sorted(self.ladder, key=lambda r: r.level)
        from polemos.models.escalation.defaults import DEFAULT_LADDER

        return [RungSpec(id=r.id, name=r.name, level=i, severity=r.severity, nuclear=r.nuclear)
                for i, r in enumerate(DEFAULT_LADDER)]

    def rung_index(self, ref: str | int) -> int:
        """Index (0..R-1) of a rung given by id or level."""
        rungs = self.rungs()
        for i, r in enumerate(rungs):
            if (isinstance(ref, int) and r.level == ref) or r.id == ref:
                return i
        raise KeyError(ref)

    @model_validator(mode="after")
    def _consistent(self) -> EscalationSection:
        rungs = self.rungs()
        ids = [r.id for r in rungs]
        levels = [r.level for r in rungs]
        if len(set(ids)) != len(ids) or len(set(levels)) != len(levels):
            raise ValueError("ladder rung ids and levels must be unique")
        move_ids = [m.id for m in self.moves]
        if len(set(move_ids)) != len(move_ids):
            raise ValueError("move ids must be unique")
        if isinstance(self.accident_hazard, list) and len(self.accident_hazard) != len(rungs):
            raise ValueError(f"accident_hazard lists one value per rung ({len(rungs)})")
        hazards = self.accident_hazard if isinstance(self.accident_hazard, list) else [
            self.accident_hazard]
        for q in [*hazards, self.misperception]:
            lo, hi = support(q)
            if lo < 0 or hi > 1:
                raise ValueError(f"hazards and misperception are probabilities (can take {lo:g}..{hi:g})")
        return self


def _unknown(kind: str, ident: Any, known: list[str]) -> tuple[str, str]:
    from polemos.scenario.errors import did_you_mean

    hint = did_you_mean(str(ident), known) or f"one of: {', '.join(map(str, known))}"
    return f"unknown {kind} {ident!r}", hint


def _quantity_sources(q: Any) -> list[str]:
    return list(getattr(q, "sources", []) or [])


def _source_refs(sec: EscalationSection) -> list[tuple[Loc, str]]:
    base: Loc = ("escalation",)
    refs: list[tuple[Loc, str]] = [((*base, "sources"), s) for s in sec.sources]
    groups: list[tuple[str, list[Any]]] = [("actors", sec.actors), ("moves", sec.moves),
                                           ("ladder", sec.ladder or [])]
    for name, items in groups:
        for i, item in enumerate(items):
            refs += [((*base, name, i, "sources"), s) for s in item.sources]
            for field, value in item:
                refs += [((*base, name, i, field), s) for s in _quantity_sources(value)]
    for field, value in sec:
        refs += [((*base, field), s) for s in _quantity_sources(value)]
    return refs


def check_escalation(scenario: Any) -> list[tuple[Loc, str, str]]:
    """Cross-references: actor ids, event ids, rung references, source ids.

    A full scenario's ``sources`` lists are checked by the core loader; here source ids
    are checked only for scenario-like objects without ``source_ids()``.
    """
    sec: EscalationSection | None = getattr(scenario, "escalation", None)
    if sec is None:
        return []
    out: list[tuple[Loc, str, str]] = []
    actors = [a.id for a in getattr(scenario, "actors", [])]
    events = [e.id for e in getattr(scenario, "events", [])]
    rung_refs = [r.id for r in sec.rungs()] + [r.level for r in sec.rungs()]
    base: Loc = ("escalation",)
    for i, a in enumerate(sec.actors):
        if a.actor not in actors:
            out.append(((*base, "actors", i, "actor"), *_unknown("actor id", a.actor, actors)))
        if a.red_line is not None and a.red_line not in rung_refs:
            out.append(((*base, "actors", i, "red_line"),
                        *_unknown("rung", a.red_line, [r.id for r in sec.rungs()])))
    declared = [a.actor for a in sec.actors]
    for i, m in enumerate(sec.moves):
        if m.actor not in declared:
            msg, hint = _unknown("escalation actor", m.actor, declared)
            out.append(((*base, "moves", i, "actor"), msg, hint + "; list it under escalation.actors"))
        if m.rung not in rung_refs:
            out.append(((*base, "moves", i, "rung"),
                        *_unknown("rung", m.rung, [r.id for r in sec.rungs()])))
        if m.event is not None and m.event not in events:
            out.append(((*base, "moves", i, "event"), *_unknown("event id", m.event, events)))
    if sec.start not in rung_refs:
        out.append(((*base, "start"), *_unknown("rung", sec.start, [r.id for r in sec.rungs()])))
    if not hasattr(scenario, "source_ids"):
        meta = getattr(scenario, "meta", None)
        sources = [s.id for s in getattr(meta, "sources", [])] if meta is not None else []
        for loc, ident in _source_refs(sec):
            if ident not in sources:
                out.append((loc, *_unknown("source id", ident, sources)))
    return out


def escalation_names(scenario: Any) -> dict[str, str]:
    """State variables the section makes available to outcome and claim expressions."""
    sec: EscalationSection | None = getattr(scenario, "escalation", None)
    if sec is None:
        return {}
    out = {
        "escalation.rung": "highest rung reached so far (its level)",
        "escalation.current": "rung the conflict is at now (its level)",
        "nuclear_use": "a nuclear rung has been reached (bool)",
    }
    for r in sec.rungs():
        out[f"escalation.reached.{r.id}"] = f"rung {r.name!r} (level {r.level}) reached (bool)"
    if any(r.nuclear for r in sec.rungs()):
        for a in sec.actors:
            out[f"escalation.nuclear_first.{a.actor}"] = (
                f"{a.actor}'s move took the conflict to its first nuclear rung (bool)")
        out["escalation.nuclear_by_accident"] = "the first nuclear rung came by an unintended step"
    for m in sec.moves:
        if m.stock is not None:
            out[f"stocks.{m.actor}.{m.id}"] = f"remaining stock of {m.actor}'s {m.id}"
    return out


register_section(
    "escalation",
    EscalationSection,
    doc="Escalation ladder: rungs, actors' sides and red lines, moves with costs and stocks, "
    "QRE rationality and unintended-step hazards.",
    check=check_escalation,
    names=escalation_names,
)

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
from polemos.scenario.quantities import NonNegative, Probability, Quantity, support
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
    severity: NonNegative = Field(
        0.0, description="Weekly cost to each side of being at the rung (utility units: the "
        "weekly cost of a long-range strike campaign = 1). Default 0; the default ladder's "
        "values follow Kahn (1965) ch. 3 and Morgan et al. (2008, RAND MG-614) ch. 2.")
    nuclear: bool = False
    hazard: Probability | None = Field(
        None, description="Weekly probability of an unintended step up from this rung "
        "(accident, misperception; Schelling 1960 ch. 8). Omitted: the section's "
        "accident_hazard. Set it from the rung's reference class (polemos fit reference).")
    reference_class: str | None = Field(
        None, description="The reference class the rung's hazard comes from, and why "
        "(descriptive; printed by polemos escalate).")
    sources: list[Id] = Field(default_factory=list)


DEFAULT_RUNGS: tuple[RungSpec, ...] = (
    RungSpec(id="pressure", name="Economic pressure and arms to a proxy", level=0,
             severity=0.0),
    RungSpec(id="deep_strikes", name="Long-range strikes into the rival's territory with "
             "a patron's targeting", level=1, severity=1.0),
    RungSpec(id="third_country", name="Strikes on third countries' supply lines", level=2,
             severity=3.0),
    RungSpec(id="direct_clash", name="Limited direct clash between patron and rival forces",
             level=3, severity=8.0),
    RungSpec(id="general_war", name="General conventional war", level=4, severity=20.0),
    RungSpec(id="tactical_nuclear", name="Tactical (non-strategic) nuclear use", level=5,
             severity=60.0, nuclear=True),
    RungSpec(id="strategic_nuclear", name="Strategic nuclear use", level=6, severity=200.0,
             nuclear=True),
)
"""The default great-power proxy-war ladder: Kahn's (1965, *On Escalation*, ch. 3) 44
rungs grouped into the thresholds of Morgan et al. (2008, *Dangerous Thresholds*, RAND
MG-614, ch. 2: geographic, target, weapon, nuclear). Severities (weekly cost of being at
the rung, in units of the cost of a long-range strike campaign) are assumptions, listed in
docs/assumptions.md; a scenario overrides them by giving its own ``ladder``."""


class ActorSpec(StrictModel):
    """An actor's stance on the ladder."""

    actor: Id
    side: Side
    red_line: Id | int | None = Field(None, description="Rung id or level; none if omitted.")
    credibility: NonNegative = Field(1.0, description="Cost of not answering a crossed red line.")
    risk_weight: NonNegative = Field(1.0, description="Weight on counter-escalation risk.")
    rationality: NonNegative | None = Field(None, description="QRE lambda; section default if omitted.")
    sources: list[Id] = Field(default_factory=list)


class MoveSpec(StrictModel):
    """A move an actor can make each week."""

    id: Id
    actor: Id
    rung: Id | int = Field(description="Rung the move puts the conflict at (id or level).")
    deescalate: bool = Field(False, description="Lowers the rung to `rung` (from above).")
    max_from: Id | int | None = Field(
        None, description="De-escalation moves only: the highest rung (id or level) from "
        "which the move is available; omitted: any rung above `rung`.")
    sustain: bool = Field(True, description="Usable again once its rung is reached.")
    gain: Quantity = Field(0.0, description="Battlefield/bargaining gain per use (utility).")
    cost: Quantity = Field(0.0, description="Material and political cost per use (utility).")
    stock: NonNegative | None = Field(None, description="Initial stock; unlimited if omitted.")
    production: NonNegative = Field(0.0, description="Stock added per week.")
    use_size: NonNegative = Field(1.0, description="Units used per weekly use.")
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
    rationality: NonNegative = Field(2.0, description="Logit QRE lambda (0: random, large: best reply).")
    accident_hazard: Quantity | list[Quantity] = Field(
        DEFAULT_ACCIDENT_HAZARD,
        description="Weekly hazard of an unintended step up (probability per week; one value "
        "or one per rung; a rung's own hazard takes precedence). Default 0.001: under the 95% "
        "rule-of-three bound from 12 US-USSR crises in ICB v14 with no direct clash.",
    )
    misperception: Probability = Field(
        0.0, description="Weekly chance an actor sees the rung one higher than it is "
        "(probability; default 0; Jervis 1976, Perception and Misperception, ch. 3).")
    loss_weight: NonNegative = Field(
        1.0, description="Extra value of gains to a losing side, per unit of battlefield "
        "loss (dimensionless; default 1; gambling for resurrection: Downs & Rocke 1994).")
    talks_weight: NonNegative = Field(
        0.5, description="Cost of escalating while talks go on (utility; default 0.5; "
        "analyst judgement).")
    chance_weight: NonNegative = Field(
        0.0, description="Relative rise of the unintended-step hazard per red line crossed "
        "(dimensionless; default 0: off; Schelling 1960 ch. 8, the threat that leaves "
        "something to chance).")
    loss_hazard: NonNegative = Field(
        0.0, description="Relative rise of the unintended-step hazard per unit of the losing "
        "side's battlefield loss (dimensionless; default 0: off; Posen 1991, Inadvertent "
        "Escalation, ch. 1).")
    advance_scale_km: NonNegative = Field(
        1.0, description="Weekly advance (km) that counts as a clear battlefield trend in the "
        "coupled run: trend = tanh(advance / scale) (default 1 km a week; analyst).")
    force_weight: Quantity = Field(
        0.0, description="Weight of the change of the log force ratio since the start "
        "(attrition stage's forces.<actor>) in the battlefield trend (default 0: off; "
        "dimensionless).")
    max_jump: int = Field(
        1, ge=1, description="Most rungs a deliberate move may climb in one week (default 1: "
        "Kahn 1965 ch. 3 treats rung-skipping as the exception).")
    red_line_sharpness: float = Field(
        4.0, gt=0, description="Slope (per rung) of the logistic with which an opponent's "
        "counter-escalation risk rises across its red line (default 4; analyst).")
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
        return list(DEFAULT_RUNGS)

    def hazards(self) -> list[Quantity]:
        """Each rung's unintended-step hazard (its own, else the section's)."""
        rungs = self.rungs()
        base = self.accident_hazard
        out = []
        for i, r in enumerate(rungs):
            if r.hazard is not None:
                out.append(r.hazard)
            else:
                out.append(base[i] if isinstance(base, list) else base)
        return out

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
        if sorted(levels) != list(range(len(levels))):
            raise ValueError(f"ladder levels number the rungs 0 to {len(levels) - 1}, lowest "
                             f"first (got {sorted(levels)}); renumber the levels")
        move_ids = [m.id for m in self.moves]
        if len(set(move_ids)) != len(move_ids):
            raise ValueError("move ids must be unique")
        if isinstance(self.accident_hazard, list) and len(self.accident_hazard) != len(rungs):
            raise ValueError(f"accident_hazard lists one value per rung ({len(rungs)})")
        hazards = list(self.accident_hazard) if isinstance(self.accident_hazard, list) else [
            self.accident_hazard]
        hazards += [r.hazard for r in rungs if r.hazard is not None]
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
        if m.max_from is not None and m.max_from not in rung_refs:
            out.append(((*base, "moves", i, "max_from"),
                        *_unknown("rung", m.max_from, [r.id for r in sec.rungs()])))
        if m.event is not None and m.event not in events:
            out.append(((*base, "moves", i, "event"), *_unknown("event id", m.event, events)))
    if sec.start not in rung_refs:
        out.append(((*base, "start"), *_unknown("rung", sec.start, [r.id for r in sec.rungs()])))
    elif not any(loc[-1] in ("rung", "event", "max_from") for loc, _, _ in out):
        out += unreachable_rungs(sec, events)
    if not hasattr(scenario, "source_ids"):
        meta = getattr(scenario, "meta", None)
        sources = [s.id for s in getattr(meta, "sources", [])] if meta is not None else []
        for loc, ident in _source_refs(sec):
            if ident not in sources:
                out.append((loc, *_unknown("source id", ident, sources)))
    return out


def reachable(sec: EscalationSection, events: list[str] | None = None) -> list[bool]:
    """Which rungs some path can reach from the start: a rung is reachable if it is at or
    below the start or below a reachable rung (jumped over), or a usable move (enabled, or withheld but released by a known event)
    leads to it from a reachable rung at most ``max_jump`` below, or the unintended-step
    hazard from the rung below (a reachable one) can be above 0."""
    rungs = sec.rungs()
    start = sec.rung_index(sec.start)
    ok = [i <= start for i in range(len(rungs))]
    hazard = [support(q)[1] > 0 for q in sec.hazards()]
    targets: set[int] = set()
    for m in sec.moves:
        usable = m.enabled or (m.event is not None and (events is None or m.event in events))
        if usable and not m.deescalate:
            try:
                targets.add(sec.rung_index(m.rung))
            except KeyError:
                continue
    changed = True
    while changed:
        changed = False
        for i in range(len(rungs)):
            if ok[i]:
                continue
            by_move = i in targets and any(ok[j] for j in range(max(0, i - sec.max_jump), i))
            by_chance = i > 0 and ok[i - 1] and hazard[i - 1]
            if by_move or by_chance:
                ok[i] = changed = True
    # a rung jumped over counts as reached (``escalation.reached.<rung>`` is "the highest
    # rung reached is at or above it")
    return [any(ok[i:]) for i in range(len(ok))]


def unreachable_rungs(sec: EscalationSection, events: list[str] | None = None
                      ) -> list[tuple[Loc, str, str]]:
    """One located problem per rung that no move or hazard can reach from the start."""
    rungs = sec.rungs()
    ok = reachable(sec, events)
    out: list[tuple[Loc, str, str]] = []
    for i, (r, fine) in enumerate(zip(rungs, ok, strict=True)):
        if fine:
            continue
        below = rungs[i - 1].id if i > 0 else None
        loc: Loc = ("escalation", "ladder", sec.ladder.index(r)) if sec.ladder else (
            "escalation", "ladder")
        msg = (f"rung {r.id!r} (level {r.level}) cannot be reached: no usable move leads to "
               f"it from a reachable rung within max_jump {sec.max_jump}, and the "
               f"unintended-step hazard from {below!r} is 0 or unreachable")
        hint = (f"add a move with 'rung: {r.id}', or give rung {below!r} a 'hazard' above 0, "
                "or remove the rung")
        out.append((loc, msg, hint))
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

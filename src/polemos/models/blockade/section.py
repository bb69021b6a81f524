"""The ``blockade`` scenario section: maritime blockades and quarantines as theatres.

Shape (YAML)::

    blockade:
      theatres:
        - id: taiwan_strait
          target: TWN                    # whose sea trade is interdicted
          blockader: CHN
          event: prc_quarantine          # or start: 2027-03-01
          ramp_weeks: 2
          intensity: {dist: uniform, low: 0.2, high: 0.5}   # quarantine: share stopped
          kinetic_intensity: 0.9         # once the ladder reaches kinetic_rung
          kinetic_rung: blockade_war     # a rung id or level of the escalation ladder
          escorts: {by: [USA, JPN], event: convoy_escort, coverage: 0.5,
                    effectiveness: 0.7, ramp_weeks: 3, incident_rate: 0.3}
          losses: {per_week_kinetic: 3, per_incident: 0.5}
          insurance: {base_premium_pct: 0.05, per_interdiction: 1.0, per_ship_lost: 0.1,
                      memory_weeks: 8, withdrawal_per_point: 0.4, max_withdrawal: 0.6}

State variables ``blockade.<id>.<name>`` (see :data:`VARIABLES`), read by outcomes,
claims and (through the names) the escalation ladder; the economy's trade matrix reads
the share of shipping that gets through (``reach``). Every number is a Quantity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, model_validator

from polemos.models.economy.section import INF, check_bounds
from polemos.scenario.base import Id, StrictModel
from polemos.scenario.quantities import Quantity
from polemos.scenario.sections import register_section

Sources = list[Id]

VARIABLES = {
    "interdicted": "share of {t}'s seaborne trade stopped this week (0-1)",
    "escorted": "share of shipping to {t} under escort this week (0-1)",
    "reach": "share of {t}'s seaborne shipping getting through (0-1)",
    "incident": "1 in a week with shots at escorts, else 0",
    "shots_at_escorts": "clashes between the blockader and escorts so far (count)",
    "ships_lost": "merchant ships sunk or seized so far (count)",
    "insurance_premium": "war-risk premium, % of hull value per voyage",
    "withheld": "share of shipping owners keep away (0-1)",
    "active": "1 while the blockade is on, else 0",
}
"""State variables of a theatre (``blockade.<id>.<name>``)."""


class Escorts(StrictModel):
    """Convoys and escorts run by third parties, from a decision (event) or a date."""

    by: list[Id] = Field(default_factory=list, description="Actors whose navies escort.")
    event: Id | None = Field(None, description="The decision to escort (an event id).")
    start: dt.date | None = None
    coverage: Quantity = Field(0.5, description="Share of shipping escorted at full ramp.")
    effectiveness: Quantity = Field(
        0.8, description="Share of interdiction an escort prevents (default 0.8: a judgement; "
        "in Operation Earnest Will, 1987-88, escorted tankers were rarely hit while attacks "
        "on unescorted shipping went on).")
    ramp_weeks: Quantity = Field(2.0, description="Weeks to reach full coverage.")
    incident_rate: Quantity = Field(
        0.2, description="Weekly hazard of shots at escorts at full confrontation (escorted "
        "share 1, interdiction attempt 1); default 0.2: a judgement.")
    sources: Sources = Field(default_factory=list)

    @model_validator(mode="after")
    def _one(self) -> Escorts:
        if (self.event is None) == (self.start is None):
            raise ValueError("escorts need exactly one of event (a decision) or start (a date)")
        return check_bounds(self, {"coverage": (0.0, 1.0), "effectiveness": (0.0, 1.0),
                                   "ramp_weeks": (0.0, INF), "incident_rate": (0.0, INF)})


class Losses(StrictModel):
    per_week_kinetic: Quantity = Field(2.0, description="Merchant ships lost per week at full "
                                       "kinetic interdiction (default 2: a judgement).")
    per_incident: Quantity = Field(0.3, description="Ships lost per clash with escorts.")
    sources: Sources = Field(default_factory=list)

    @model_validator(mode="after")
    def _bounds(self) -> Losses:
        return check_bounds(self, {"per_week_kinetic": (0.0, INF), "per_incident": (0.0, INF)})


class Insurance(StrictModel):
    base_premium_pct: Quantity = Field(
        0.05, description="Peacetime war-risk premium, % of hull value per voyage (default "
        "0.05; Red Sea and Black Sea rates before their crises).")
    per_interdiction: Quantity = Field(
        1.0, description="Premium points added at full interdiction (default 1.0: Black Sea "
        "2022 and Red Sea 2024 rates near 1% of hull value; Lloyd's List, Reuters).")
    per_ship_lost: Quantity = Field(0.1, description="Premium points per ship recently lost.")
    memory_weeks: Quantity = Field(8.0, description="Half-life of a loss in the premium.")
    withdrawal_per_point: Quantity = Field(
        0.4, description="Share of traffic withheld per premium point (default 0.4: a "
        "judgement; Suez transits fell about 50% in early 2024 at about 1%, UNCTAD 2024).")
    max_withdrawal: Quantity = Field(0.7, description="Largest share of traffic withheld.")
    sources: Sources = Field(default_factory=list)

    @model_validator(mode="after")
    def _bounds(self) -> Insurance:
        return check_bounds(self, {"base_premium_pct": (0.0, 100.0),
                                   "per_interdiction": (0.0, 100.0), "per_ship_lost": (0.0, 100.0),
                                   "memory_weeks": (0.0, INF), "withdrawal_per_point": (0.0, INF),
                                   "max_withdrawal": (0.0, 1.0)})


class Theatre(StrictModel):
    id: Id
    name: str = ""
    target: Id
    blockader: Id
    start: dt.date | None = None
    event: Id | None = Field(None, description="Starts when this event happens.")
    end_event: Id | None = Field(None, description="Lifted when this event happens.")
    ramp_weeks: Quantity = Field(1.0, description="Weeks to full intensity.")
    intensity: Quantity = Field(description="Share of the target's seaborne trade the "
                                "blockader tries to stop (quarantine), 0-1.")
    kinetic_intensity: Quantity = Field(0.9, description="Share tried once kinetic.")
    kinetic_rung: Id | int | None = Field(None, description="Escalation rung (id or level) "
                                          "at which the quarantine becomes a kinetic blockade.")
    escorts: Escorts | None = None
    losses: Losses = Field(default_factory=Losses)
    insurance: Insurance = Field(default_factory=Insurance)
    description: str = ""
    sources: Sources = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_start(self) -> Theatre:
        if (self.start is None) == (self.event is None):
            raise ValueError("a blockade needs exactly one of start (a date) or event (an id)")
        return check_bounds(self, {"ramp_weeks": (0.0, INF), "intensity": (0.0, 1.0),
                                   "kinetic_intensity": (0.0, 1.0)})


class BlockadeSection(StrictModel):
    """Maritime blockades and quarantines (see the module docstring)."""

    theatres: list[Theatre] = Field(min_length=1)
    sources: Sources = Field(default_factory=list)
    note: str | None = None


def rung_level(scenario: Any, rung: Id | int | None) -> float:
    """The ladder level of ``rung`` (inf: none, or no such rung / no ladder)."""
    if rung is None:
        return float("inf")
    if isinstance(rung, int):
        return float(rung)
    esc = getattr(scenario, "escalation", None)
    if esc is None:
        return float("inf")
    for i, r in enumerate(esc.rungs()):
        if r.id == rung:
            return float(r.level if esc.ladder is not None else i)
    return float("inf")


def check(scenario: Any) -> list[tuple[tuple, str, str]]:
    """Actor, event and rung ids; duplicate theatre ids."""
    from polemos.scenario.errors import did_you_mean

    sec: BlockadeSection = scenario.blockade
    actors = [a.id for a in scenario.actors]
    events = [e.id for e in scenario.events]
    out: list[tuple[tuple, str, str]] = []

    def need(loc, ident, known, kind):
        if ident is not None and ident not in known:
            out.append((loc, f"unknown {kind} id {ident!r}",
                        did_you_mean(ident, known) or f"declare it in {kind}s"))

    seen: set[str] = set()
    for i, th in enumerate(sec.theatres):
        loc = ("blockade", "theatres", i)
        if th.id in seen:
            out.append((loc + ("id",), f"duplicate id {th.id!r}", "theatre ids must be unique"))
        seen.add(th.id)
        need(loc + ("target",), th.target, actors, "actor")
        need(loc + ("blockader",), th.blockader, actors, "actor")
        need(loc + ("event",), th.event, events, "event")
        need(loc + ("end_event",), th.end_event, events, "event")
        if th.escorts is not None:
            need(loc + ("escorts", "event"), th.escorts.event, events, "event")
            for j, a in enumerate(th.escorts.by):
                need(loc + ("escorts", "by", j), a, actors, "actor")
        if isinstance(th.kinetic_rung, str):
            esc = getattr(scenario, "escalation", None)
            rungs = [r.id for r in esc.rungs()] if esc is not None else []
            if not rungs:
                out.append((loc + ("kinetic_rung",), "kinetic_rung names a rung but the "
                            "scenario has no escalation section", "add one, or drop it"))
            else:
                need(loc + ("kinetic_rung",), th.kinetic_rung, rungs, "rung")
    return out


def names(scenario: Any) -> dict[str, str]:
    out = {}
    for th in scenario.blockade.theatres:
        for k, v in VARIABLES.items():
            out[f"blockade.{th.id}.{k}"] = v.format(t=th.target)
    return out


SECTION = register_section(
    "blockade", BlockadeSection,
    doc="Maritime blockades and quarantines: interdiction, escorts and convoys, shots at "
        "escorts, shipping losses and war-risk insurance; cuts the target's sea trade.",
    check=check, names=names,
)

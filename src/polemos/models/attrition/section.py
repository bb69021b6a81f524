"""The ``theatres`` scenario section: fronts, forces on the line, attrition and towns.

Shape (every number a :data:`~polemos.scenario.quantities.Quantity`, with ``sources``)::

    theatres:
      - id: ukraine
        name: Russia-Ukraine front
        law: square                 # square | linear | logarithmic | mixed | osipov |
                                    # helmbold (needs weiss) | general (needs exponents)
        attacker: RUS
        front_km: 1200
        advance: {max_km_per_week: 0.5, defender_posture: prepared}   # law: preponderance
                                    # (default) | saturating (with half_ratio, default 3)
        intensity_sd: 0.2           # weekly log-sd of combat intensity (mean one)
        sides:
          - actor: UKR
            forces: {dist: triangular, low: 250000, mode: 300000, high: 350000,
                     sources: [essay_2025_08]}
            losses_per_week: {dist: uniform, low: 2000, high: 5000}
            recruits_per_week: 5000
            manpower_pool: 300000
            training_weeks: 6
            multipliers: {artillery: 0.8, drones: 1.2, air: 1.0}
          - actor: RUS
            forces: 640000
            losses_per_week: 7000   # own losses a week at the starting strengths
            recruits_per_week: 7000
            budget_per_week: 25     # optional, with cost_per_recruit (same currency)
            cost_per_recruit: 0.003
            training_weeks: 8
        towns:
          - {name: Pokrovsk, distance_km: 2}
          - {name: Kramatorsk, distance_km: 20, effort: 3}   # on an axis of main effort

``losses_per_week`` (a side's own weekly losses at the starting strengths, multipliers
all one) is converted to the law's coefficient; or give ``coefficient`` directly.
A town falls when the front's mean depth times the town's ``effort`` reaches its
distance. Multipliers are relative to the period the losses were observed in (1 = as then) and
scale the *enemy's* losses. ``check`` verifies actor ids; ``names`` lists
``forces.<theatre>.<actor>``, ``losses.<theatre>.<actor>``,
``recruited.<theatre>.<actor>``, ``forces.<actor>`` (over all
theatres), ``territory.<theatre>``, ``advance.<theatre>`` and ``town.<theatre>.<town>``.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from polemos.models.attrition.front import AdvanceLaw, Posture, resolve_law
from polemos.models.attrition.laws import Law
from polemos.scenario.base import Id, StrictModel
from polemos.scenario.quantities import Quantity, check_range, support
from polemos.scenario.sections import register_section

Sources = list[Id]


def _non_negative(owner: str, **values: Any) -> None:
    for name, q in values.items():
        if q is not None and support(q)[0] < 0:
            raise ValueError(f"{owner}: {name} must be non-negative (can take {support(q)[0]:g})")


class LawExponents(StrictModel):
    """Exponents of the general law for one side: losses ``= k * own^own * enemy^enemy``."""

    own: float = Field(ge=0, le=3)
    enemy: float = Field(ge=0, le=3)


class Multipliers(StrictModel):
    """Combat power of a side's fire relative to the calibration period (1 = as then)."""

    artillery: Quantity = Field(1.0, description="Artillery and munition supply.")
    drones: Quantity = 1.0
    air: Quantity = 1.0
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _positive(self) -> Multipliers:
        _non_negative("multipliers", artillery=self.artillery, drones=self.drones, air=self.air)
        return self


class Side(StrictModel):
    """One actor's forces in a theatre."""

    actor: Id
    forces: Quantity = Field(description="Personnel on the line at meta.as_of.")
    losses_per_week: Quantity | None = Field(
        None, description="Own losses a week at the starting strengths (killed, wounded, "
        "captured, missing); converted to the law's coefficient.")
    coefficient: Quantity | None = Field(None, description="The law's coefficient, per week.")
    exponents: LawExponents | None = Field(None, description="Law 'general' only.")
    recruits_per_week: Quantity = 0.0
    manpower_pool: Quantity | None = Field(None, description="Recruits available in all; "
                                           "none = unbounded.")
    training_weeks: Quantity = Field(0.0, description="Weeks from recruitment to the line.")
    budget_per_week: Quantity | None = None
    cost_per_recruit: Quantity | None = None
    withdrawals_per_week: Quantity = 0.0
    multipliers: Multipliers = Field(default_factory=Multipliers)
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Side:
        if (self.losses_per_week is None) == (self.coefficient is None):
            raise ValueError(f"side {self.actor}: give exactly one of losses_per_week "
                             "(own weekly losses at the start) or coefficient")
        if (self.budget_per_week is None) != (self.cost_per_recruit is None):
            raise ValueError(f"side {self.actor}: budget_per_week and cost_per_recruit go "
                             "together (the budget bounds recruits at that cost)")
        _non_negative(f"side {self.actor}", forces=self.forces,
                      losses_per_week=self.losses_per_week, coefficient=self.coefficient,
                      recruits_per_week=self.recruits_per_week,
                      manpower_pool=self.manpower_pool, training_weeks=self.training_weeks,
                      budget_per_week=self.budget_per_week,
                      withdrawals_per_week=self.withdrawals_per_week)
        if self.cost_per_recruit is not None and support(self.cost_per_recruit)[0] <= 0:
            raise ValueError(f"side {self.actor}: cost_per_recruit must be positive")
        return self


class Advance(StrictModel):
    """Rate of advance (see front.py): ``law: preponderance`` ``v = v_max 1[rho > 1]``
    (Dupuy 1987, advance-rate verities), or ``law: saturating``
    ``v = v_max x / (x + h - 1)``, ``x = max(rho - 1, 0)``. Without ``law`` a block that
    sets ``half_ratio`` keeps the saturating law (older files), otherwise preponderance."""

    max_km_per_week: Quantity
    law: AdvanceLaw | None = Field(None, description="preponderance (default) or saturating.")
    half_ratio: Quantity | None = Field(
        None, description="Saturating law only: effective power ratio at half speed (> 1); "
                          "3 if omitted.")
    defender_posture: Posture = Posture.prepared
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @property
    def resolved_law(self) -> AdvanceLaw:
        return resolve_law(self.law, self.half_ratio)

    @property
    def resolved_half_ratio(self) -> Quantity | float | None:
        if self.resolved_law is AdvanceLaw.saturating:
            return 3.0 if self.half_ratio is None else self.half_ratio
        return None

    @model_validator(mode="after")
    def _ranges(self) -> Advance:
        _non_negative("advance", max_km_per_week=self.max_km_per_week)
        if self.half_ratio is not None:
            if self.law is AdvanceLaw.preponderance:
                raise ValueError("advance.half_ratio applies only to law: saturating")
            if support(self.half_ratio)[0] <= 1.0:
                raise ValueError("advance.half_ratio must be above 1 (the ratio at half speed)")
        return self


def town_id(name: str) -> str:
    """``"Kostiantynivka (north)"`` -> ``"kostiantynivka_north"``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "town"


class Town(StrictModel):
    """A town ``distance_km`` behind the front line: it falls when the front gets there."""

    name: str
    id: Id | None = Field(None, description="Name in state variables (default: from name).")
    distance_km: Quantity = Field(description="Distance behind the front line at as_of, km.")
    effort: Quantity = Field(1.0, description="Local rate of advance towards the town relative "
                             "to the front average (above 1 on an axis of main effort).")
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @property
    def key(self) -> str:
        return self.id or town_id(self.name)

    @model_validator(mode="after")
    def _distance(self) -> Town:
        _non_negative(f"town {self.name}", distance_km=self.distance_km, effort=self.effort)
        return self


class Theatre(StrictModel):
    """A front between two actors."""

    id: Id
    name: str
    law: Law = Law.square
    weiss: float | None = Field(None, ge=0, le=1, description="Helmbold's W (law helmbold).")
    exponents: LawExponents | None = Field(None, description="Law 'general': both sides.")
    attacker: Id
    sides: list[Side] = Field(min_length=2, max_length=2)
    front_km: Quantity
    advance: Advance
    intensity_sd: float = Field(0.0, ge=0, le=2, description="Weekly log-sd of intensity.")
    defence_index_cap: Quantity = Field(
        3.0, description="Largest real defence spending, relative to its first week, that "
        "still buys more recruits and combat power (when the economy section runs); analyst "
        "judgement (docs/assumptions.md).")
    munitions_exponent: Quantity = Field(
        1.0 / 3.0, description="Exponent of the defence-spending index (capped) in each "
        "side's combat power: munitions bought with the budget, with diminishing returns "
        "(default 1/3, the cube root); analyst judgement (docs/assumptions.md).")
    towns: list[Town] = Field(default_factory=list)
    sources: Sources = Field(default_factory=list)
    note: str | None = None

    @field_validator("defence_index_cap")
    @classmethod
    def _cap_range(cls, q: Any) -> Any:
        return check_range(q, 1.0, 100.0, "defence_index_cap must lie in [1, 100] (1: no "
                           "gain from spending above plan)")

    @field_validator("munitions_exponent")
    @classmethod
    def _exponent_range(cls, q: Any) -> Any:
        return check_range(q, 0.0, 1.0, "munitions_exponent must lie in [0, 1]")

    @model_validator(mode="after")
    def _consistent(self) -> Theatre:
        actors = [s.actor for s in self.sides]
        if actors[0] == actors[1]:
            raise ValueError(f"theatre {self.id}: the two sides are both {actors[0]}")
        if self.attacker not in actors:
            raise ValueError(f"theatre {self.id}: attacker {self.attacker} is not one of the "
                             f"sides ({', '.join(actors)})")
        if self.law is Law.helmbold and self.weiss is None:
            raise ValueError(f"theatre {self.id}: law helmbold needs weiss (0 = logarithmic, "
                             "1 = square)")
        if self.law is Law.general and self.exponents is None and any(
                s.exponents is None for s in self.sides):
            raise ValueError(f"theatre {self.id}: law general needs exponents {{own, enemy}} "
                             "(on the theatre or on each side)")
        if self.law is not Law.general and (
                self.exponents is not None or any(s.exponents is not None for s in self.sides)):
            raise ValueError(f"theatre {self.id}: exponents are for law general only "
                             f"(law {self.law} fixes them)")
        keys = [t.key for t in self.towns]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"theatre {self.id}: towns share the id(s) {', '.join(dup)}; "
                             "give them distinct names or ids")
        _non_negative(f"theatre {self.id}", front_km=self.front_km)
        return self

    def side(self, actor: str) -> Side:
        return next(s for s in self.sides if s.actor == actor)

    @property
    def defender(self) -> str:
        return next(s.actor for s in self.sides if s.actor != self.attacker)


TheatresSection = list[Theatre]
"""The section is a list of theatres."""


def check(scenario: Any) -> list[tuple[tuple, str, str]]:
    """Actor ids of every side must be declared actors; theatre ids unique."""
    from polemos.scenario.errors import did_you_mean

    actors = [a.id for a in scenario.actors]
    out: list[tuple[tuple, str, str]] = []
    seen: set[str] = set()
    for i, th in enumerate(scenario.theatres or []):
        if th.id in seen:
            out.append((("theatres", i, "id"), f"duplicate theatre id {th.id!r}",
                        "every theatre needs its own id"))
        seen.add(th.id)
        for j, side in enumerate(th.sides):
            if side.actor not in actors:
                hint = did_you_mean(side.actor, actors) or "declare it under actors"
                out.append((("theatres", i, "sides", j, "actor"),
                            f"unknown actor {side.actor!r}", hint))
    return out


def names(scenario: Any) -> dict[str, str]:
    """State variables of every theatre (weekly)."""
    out: dict[str, str] = {}
    for th in scenario.theatres or []:
        for side in th.sides:
            a = side.actor
            out[f"forces.{th.id}.{a}"] = f"{a} personnel on the line in {th.name}"
            out[f"losses.{th.id}.{a}"] = f"{a} cumulative losses in {th.name} since as_of"
            out[f"recruited.{th.id}.{a}"] = f"{a} cumulative recruits for {th.name} since as_of"
            out[f"forces.{a}"] = f"{a} personnel on the line, all theatres"
        out[f"advance.{th.id}"] = f"depth gained by {th.attacker} in {th.name} since as_of, km"
        out[f"territory.{th.id}"] = f"ground taken by {th.attacker} in {th.name} since as_of, km2"
        for town in th.towns:
            out[f"town.{th.id}.{town.key}"] = f"{town.name} has fallen to {th.attacker} (bool)"
    return out


SECTION = register_section(
    "theatres", TheatresSection,
    doc="Fronts: forces on the line, Lanchester attrition, force generation, rate of "
        "advance and the fall of towns.",
    check=check, names=names,
)

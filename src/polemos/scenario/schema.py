"""The core scenario schema (pydantic v2).

A scenario file has the core sections below; model families add their own top-level
sections (``theatres``, ``economy``, ``escalation``, ``structure``) through
:mod:`polemos.scenario.sections`. :func:`scenario_model` builds the full model once.
Cross-references (actor, source and event ids, expressions) are checked after the
schema by :mod:`polemos.scenario.semantics`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import Field, create_model, field_validator, model_validator

from polemos.scenario.base import Id, StrictModel
from polemos.scenario.quantities import Measure, Quantity, check_range, support

SCALE = (0.0, 100.0)
"""Positions on issues and saliences are on a 0-100 scale."""
EARLIEST_AS_OF = dt.date(1800, 1, 1)
"""The earliest ``meta.as_of`` accepted (the reference data start in 1816)."""
MAX_HORIZON_YEARS = 50
"""The longest simulated span, ``meta.horizon - meta.as_of``, in years (a weekly run of
50 years is 2,609 steps; longer spans only exhaust memory and disk)."""


def within(q: Any, low: float, high: float, what: str) -> Any:
    """``q`` if every value it can take lies in [low, high]; else a ValueError saying so."""
    return check_range(q, low, high, what)


class SourceKind(StrEnum):
    essay = "essay"
    official = "official"
    dataset = "dataset"
    press = "press"
    estimate = "estimate"
    research = "research"


class Source(StrictModel):
    """A source that figures and claims rest on."""

    id: Id
    title: str
    author: str = Field(description="Author or publisher.")
    date: dt.date | None = Field(
        default=None,
        description="Publication date. A source dated after meta.as_of was not known then: "
        "`polemos validate` warns and `polemos forecast freeze` refuses the scenario.")
    kind: SourceKind
    url: str | None = None
    note: str | None = None


class Step(StrEnum):
    week = "week"
    month = "month"


class Meta(StrictModel):
    id: Id
    title: str
    as_of: dt.date = Field(description="The date the scenario describes; the simulation starts here.")
    horizon: dt.date = Field(description="The last date simulated.")
    step: Step = Step.week
    description: str = ""
    sources: list[Source] = Field(default_factory=list)
    descriptive: list[str] = Field(
        default_factory=list,
        description="Inputs stated as context, not read by any model: dotted-path patterns "
                    "with * wildcards (e.g. 'actors.*.capabilities.*', 'relations[*].intensity'). "
                    "polemos validate warns about every other input no model reads.")

    @model_validator(mode="after")
    def _horizon_after_start(self) -> Meta:
        if self.horizon <= self.as_of:
            raise ValueError(
                f"horizon {self.horizon} must be after as_of {self.as_of}; "
                "set horizon to the last date to simulate"
            )
        if self.as_of < EARLIEST_AS_OF:
            raise ValueError(f"as_of {self.as_of} is before {EARLIEST_AS_OF}, the earliest date "
                             "simulated; set as_of to the date the scenario describes")
        if self.horizon > _years_after(self.as_of, MAX_HORIZON_YEARS):
            raise ValueError(
                f"horizon {self.horizon} is more than {MAX_HORIZON_YEARS} years after as_of "
                f"{self.as_of}; set horizon at most {_years_after(self.as_of, MAX_HORIZON_YEARS)}")
        return self


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for 29 February), or the last date."""
    if day.year + years > dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class BargainingModel(StrEnum):
    """The bargaining family's kernel that forecasts each negotiation round."""

    compromise = "compromise"
    median = "median"
    eum = "eum"
    smp = "smp"
    nash = "nash"


class Negotiation(StrictModel):
    """How the engine bargains: the forecasting model and when rounds happen."""

    model: BargainingModel = Field(
        BargainingModel.compromise,
        description="Kernel of polemos.models.bargaining that forecasts each round.",
    )
    rounds: int = Field(10, ge=1, le=200, description="Rounds of offers (eum) or turns (smp) per round.")
    continuous: bool = Field(
        False, description="Bargain every `every_weeks` weeks, not only at summits and negotiations."
    )
    every_weeks: int = Field(1, ge=1, description="Weeks between continuous rounds.")
    concession: Quantity = Field(
        0.2, description="Share of the distance to the forecast an actor of zero resolve "
        "concedes after a failed round (resolute actors concede (1 - resolve) times it); "
        "polemos judgement, not estimated (docs/assumptions.md).")
    war_cost: Quantity = Field(
        0.1, description="Cost of war (0-1 of an issue's value at full salience) for an "
        "actor without a 'war_cost' attribute; Fearon (1995) leaves it free; polemos "
        "judgement (docs/assumptions.md).")
    optimism_sd: Quantity = Field(
        0.25, description="Base spread of an actor's optimism about a war's result (log-"
        "odds; plus 0.5 x risk acceptance): mutual optimism, Fearon (1995) and Blainey "
        "(1973); the size is polemos judgement (docs/assumptions.md).")
    optimism_risk: Quantity = Field(
        0.5, description="Spread of optimism (log-odds) added per unit of an actor's "
        "risk_acceptance attribute (0-1): the risk-acceptant misjudge a war's odds more "
        "widely; analyst judgement (docs/assumptions.md).")
    neutral_resolve: Quantity = Field(
        0.5, description="Resolve (0-1) at which an actor is neither optimistic nor "
        "pessimistic about a war (optimism centred on resolve - neutral_resolve) and bears "
        "exactly its war_cost (cost scaled by (1 - resolve) / (1 - neutral_resolve)); "
        "analyst judgement (docs/assumptions.md).")

    @field_validator("optimism_risk")
    @classmethod
    def _optimism_risk_range(cls, q: Any) -> Any:
        return within(q, 0.0, float("inf"), "optimism_risk must be non-negative")

    @field_validator("neutral_resolve")
    @classmethod
    def _neutral_resolve_range(cls, q: Any) -> Any:
        return within(q, 0.0, 0.99, "neutral_resolve must lie in [0, 0.99] (resolve is "
                      "0-1; at 1 the cost of war would divide by zero)")


class Resolve(StrictModel):
    """How an actor's resolve follows the war and the economy (the capability stage)."""

    forces_coupling: Quantity = Field(
        0.5, description="Change in resolve per unit change in the log of the actor's "
        "forces in the field (losses lower resolve); polemos judgement "
        "(docs/assumptions.md).")
    economy_coupling: Quantity = Field(
        0.3, description="Change in resolve per unit change in the log of the actor's "
        "revenue; polemos judgement (docs/assumptions.md).")
    noise: Quantity = Field(
        0.01, description="Weekly standard deviation of resolve's random walk for an actor "
        "with no domestic support (scaled by 1 - support); polemos judgement.")
    power_exponent: Quantity = Field(
        0.5, description="Exponent of the share of its starting forces an actor still has "
        "in the field in its bargaining power, P = influence x (F / F0)^power_exponent "
        "(0: losses leave power unchanged; 1: in proportion); analyst judgement "
        "(docs/assumptions.md).")

    @field_validator("power_exponent")
    @classmethod
    def _power_exponent_range(cls, q: Any) -> Any:
        return within(q, 0.0, 4.0, "power_exponent must lie in [0, 4]")


class ActorKind(StrEnum):
    state = "state"
    bloc = "bloc"
    organisation = "organisation"
    faction = "faction"


class Actor(StrictModel):
    """A state, bloc, organisation or faction."""

    id: Id
    name: str
    kind: ActorKind = ActorKind.state
    members: list[Id] = Field(default_factory=list, description="Member actor ids (blocs).")
    influence: Quantity | None = Field(
        default=None, description="Political clout in bargaining (any positive scale)."
    )
    capabilities: dict[Id, Measure] = Field(default_factory=dict)
    attributes: dict[Id, Measure] = Field(
        default_factory=dict,
        description="E.g. risk_acceptance, resolve, domestic_support (index 0-1).",
    )
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    @field_validator("influence")
    @classmethod
    def _influence_positive(cls, q: Any) -> Any:
        return within(q, 0.0, float("inf"), "influence must be non-negative")

    @field_validator("capabilities")
    @classmethod
    def _capabilities_non_negative(cls, caps: dict[str, Measure]) -> dict[str, Measure]:
        bad = {k: support(m.value)[0] for k, m in caps.items() if support(m.value)[0] < 0}
        if bad:
            listed = ", ".join(f"{k} (can take {v:g})" for k, v in bad.items())
            raise ValueError(f"capabilities must be non-negative: {listed}")
        return caps


class Stance(StrictModel):
    """An actor's position (0-100) and salience (0-100) on an issue."""

    position: Quantity
    salience: Quantity
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    @field_validator("position", "salience")
    @classmethod
    def _on_scale(cls, q: Any) -> Any:
        return within(q, *SCALE, "must lie on the 0-100 scale")


class Issue(StrictModel):
    """A bargaining dimension on a 0-100 scale with labelled anchor points."""

    id: Id
    name: str
    description: str = ""
    anchors: dict[int, str] = Field(default_factory=dict, description="Scale point -> meaning.")
    status_quo: Quantity | None = None
    positions: dict[Id, Stance] = Field(default_factory=dict)

    @field_validator("anchors")
    @classmethod
    def _anchor_range(cls, anchors: dict[int, str]) -> dict[int, str]:
        bad = [k for k in anchors if not SCALE[0] <= k <= SCALE[1]]
        if bad:
            raise ValueError(f"anchor points {bad} are off the 0-100 scale")
        return anchors

    @field_validator("status_quo")
    @classmethod
    def _sq_range(cls, q: Any) -> Any:
        return within(q, *SCALE, "must lie on the 0-100 scale")


class RelationKind(StrEnum):
    alliance = "alliance"
    support = "support"
    rivalry = "rivalry"
    mediation = "mediation"


class SupportKind(StrEnum):
    arms = "arms"
    money = "money"
    intelligence = "intelligence"
    diplomatic = "diplomatic"
    energy = "energy"
    troops = "troops"


class Relation(StrictModel):
    kind: RelationKind
    source: Id = Field(description="Actor id (the patron, or one party).")
    target: Id = Field(description="Actor id (the recipient, or the other party).")
    support: list[SupportKind] = Field(default_factory=list)
    intensity: Quantity = Field(default=0.5, description="0-1.")
    since: dt.date | None = None
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    @field_validator("intensity")
    @classmethod
    def _unit(cls, q: Any) -> Any:
        return within(q, 0.0, 1.0, "intensity must lie in [0, 1]")


class EventKind(StrEnum):
    summit = "summit"
    negotiation = "negotiation"
    sanctions_threatened = "sanctions_threatened"
    sanctions_postponed = "sanctions_postponed"
    sanctions_imposed = "sanctions_imposed"
    tariff = "tariff"
    strike = "strike"
    delivery_decision = "delivery_decision"
    ceasefire = "ceasefire"
    statement = "statement"
    cancelled = "cancelled"
    other = "other"


class Event(StrictModel):
    """A dated event on the scenario's timeline; later modules act on it by id."""

    id: Id
    date: dt.date
    kind: EventKind
    actors: list[Id] = Field(default_factory=list)
    description: str = ""
    probability: Quantity = Field(default=1.0, description="Chance the event happens (0-1).")
    sources: list[Id] = Field(default_factory=list)

    @field_validator("probability")
    @classmethod
    def _prob(cls, q: Any) -> Any:
        return within(q, 0.0, 1.0, "probability must lie in [0, 1]")


class Outcome(StrictModel):
    """A named end state, defined per draw by an expression over simulation state."""

    id: Id
    label: str
    when: str = Field(description="Expression over state variables, true when reached.")
    absorbing: bool = Field(default=True, description="A draw ends when it is reached.")
    description: str = ""


class Confidence(StrEnum):
    """The author's stated confidence, in words, and the share of bootstrap resamples
    in which the claim must hold (or fail) for a verdict."""

    certain = "certain"
    very_likely = "very_likely"
    likely = "likely"
    about_even = "about_even"
    unlikely = "unlikely"
    very_unlikely = "very_unlikely"


class Claim(StrictModel):
    """A claim of a source, paraphrased, as a proposition over outcome probabilities."""

    id: Id
    text: str = Field(description="The claim in our words (paraphrase, never a quotation).")
    source: Id
    expr: str = Field(description="Proposition, e.g. 'P(world_war) > P(us_climbdown)'.")
    confidence: Confidence = Confidence.likely
    note: str | None = None


class QuestionKind(StrEnum):
    binary = "binary"
    numeric = "numeric"


class ReferenceClass(StrictModel):
    """The base rate of the question's reference class (a baseline for scoring)."""

    label: str = Field(description="The class, in words (e.g. 'announced US-Russia summits').")
    base_rate: float = Field(ge=0.0, le=1.0, description="Share of the class that resolved yes.")
    source: Id = Field(description="Source id of the count.")
    note: str | None = None


class Question(StrictModel):
    """A resolvable question: what the run says about one dated, checkable fact.

    Exactly one of ``when`` (a condition per draw), ``value`` (a number per draw),
    ``outcome`` (an outcome id) or ``event`` (an event id) says what is forecast; it is
    read on the ``resolves`` date. The forecast is the share of draws where the condition
    holds (binary) or the distribution of the number over draws (numeric).
    """

    id: Id
    text: str = Field(description="The question, in words.")
    resolves: dt.date = Field(description="Resolution date: the run is read on this date.")
    criteria: str = Field(description="What counts as yes (or how the value is measured).")
    when: str | None = Field(default=None, description="Condition per draw (outcome language).")
    value: str | None = Field(default=None, description="Number per draw (outcome language).")
    outcome: Id | None = Field(default=None, description="An outcome reached by the date.")
    event: Id | None = Field(default=None, description="An event happened by the date.")
    unit: str | None = Field(default=None, description="Unit of a numeric question's value.")
    reference_class: ReferenceClass | None = None
    sources: list[Id] = Field(default_factory=list, description="Sources framing the question.")

    @model_validator(mode="after")
    def _one_target(self) -> Question:
        given = [k for k in ("when", "value", "outcome", "event") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a question needs exactly one of when, value, outcome, event (got "
                f"{', '.join(given) or 'none'}); write e.g. when: \"event.summit\"")
        if self.reference_class is not None and self.value is not None:
            raise ValueError("reference_class (a base rate) applies to yes/no questions only")
        return self

    @property
    def kind(self) -> QuestionKind:
        return QuestionKind.numeric if self.value is not None else QuestionKind.binary

    @property
    def expr(self) -> str:
        """The per-draw expression the question reads (before its date is applied)."""
        if self.outcome is not None:
            return self.outcome
        if self.event is not None:
            return f"event.{self.event}"
        return self.when if self.when is not None else str(self.value)

    @property
    def dated_expr(self) -> str:
        """The expression read on the resolution date: ``(EXPR by DATE)``."""
        return f"({self.expr} by {self.resolves.isoformat()})"


class ScenarioCore(StrictModel):
    """The sections every scenario may have."""

    meta: Meta
    actors: list[Actor] = Field(min_length=1)
    issues: list[Issue] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    questions: list[Question] = Field(
        default_factory=list,
        description="Resolvable questions for the forecast register (`polemos forecast`).")
    negotiation: Negotiation = Field(default_factory=Negotiation)
    resolve: Resolve = Field(default_factory=Resolve)

    def actor_ids(self) -> list[str]:
        return [a.id for a in self.actors]

    def source_ids(self) -> list[str]:
        return [s.id for s in self.meta.sources]

    def event_ids(self) -> list[str]:
        return [e.id for e in self.events]

    def section(self, name: str) -> Any:
        """A family section by name, or ``None`` when the scenario has none."""
        return getattr(self, name, None)


@cache
def scenario_model() -> type[ScenarioCore]:
    """The full scenario model: the core plus every registered family section."""
    from polemos.scenario.sections import discover_sections

    fields: dict[str, Any] = {
        name: (spec.model | None, Field(default=None, description=spec.doc))
        for name, spec in discover_sections().items()
    }
    return create_model("Scenario", __base__=ScenarioCore, **fields)


CORE_SECTIONS = (
    "meta", "actors", "issues", "relations", "events", "outcomes", "claims", "negotiation",
    "questions",
)

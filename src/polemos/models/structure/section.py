"""The ``structure`` scenario section: powers, growth assumptions, coalitions, hazard.

Example (YAML; the full sourced block is ``docs/validation/structure_seed_section.yaml``)::

    structure:
      base_year: 2022
      horizon: 30                      # years projected after base_year
      dominant: USA
      challengers: [CHN, RUS, IND]     # default: every other power
      sources: [cow_nmc_v7]
      powers:
        - actor: USA
          cow_ccode: 2
          components: {milex: 838814000, milper: 1360, irst: 80535,
                       pec: 3436075, tpop: 344775, upop: 119142}
          growth:                      # annual rates; each a number or a distribution
            milex: {dist: normal, mean: 0.03, sd: 0.02, sources: [cow_nmc_v7]}
            tpop: {dist: normal, mean: 0.004, sd: 0.001, sources: [un_wpp_2024]}
          shock_sd: 0.03
        - actor: CHN
          cow_ccode: 710
          from_cow: true               # components read from NMC at base_year by the CLI
      rest_of_world: {from_cow: true}  # the rest of the state system (shares of the system)
      coalitions:
        - {id: CHN_RUS, members: [CHN, RUS]}
      last_lead_change: {CHN: 2003}    # optional: recent overtaking before base_year
      hazard: {intercept: -5.66, parity: -0.90, overtaking: 1.37, abs_log_ratio: 0.04}

Component units follow COW NMC v7: ``milex`` thousands of US$, ``milper`` thousands,
``irst`` thousand tons, ``pec`` thousand coal-ton equivalents, ``tpop``/``upop`` thousands.
Models never read files: ``from_cow`` is resolved by the caller (the ``polemos structure``
command) before simulation, with :func:`fill_components`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from polemos.scenario.base import Id, StrictModel
from polemos.scenario.quantities import NonNegative, Normal, Quantity
from polemos.scenario.sections import register_section

DEFAULT_HAZARD = {
    "intercept": (-5.664, 0.742),
    "parity": (-0.904, 0.741),
    "overtaking": (1.370, 0.515),
    "abs_log_ratio": (0.044, 0.351),
}
"""Our ``polemos fit transition`` estimates (``hazard_post1945`` specification evaluated in
the post-1945 era: intercept = b0 + b_post1945): mean and dyad-clustered s.e."""


def _default(term: str):
    mean, sd = DEFAULT_HAZARD[term]
    note = "polemos fit transition: COW major-power dyad-years 1817-2007, post-1945 era"
    return lambda: Normal(dist="normal", mean=mean, sd=sd, note=note)


class Components(StrictModel):
    """Base-year levels of the six NMC components (COW NMC v7 units)."""

    milex: NonNegative = Field(description="Military expenditure, thousands of US$.")
    milper: NonNegative = Field(description="Military personnel, thousands.")
    irst: NonNegative = Field(description="Iron and steel production, thousand tons.")
    pec: NonNegative = Field(description="Primary energy consumption, thousand coal-ton equivalents.")
    tpop: NonNegative = Field(description="Total population, thousands.")
    upop: NonNegative = Field(description="Urban population, thousands.")


class Growth(StrictModel):
    """Annual growth rates per component (0.02 = 2 % a year); 0 where not given."""

    milex: Quantity = 0.0
    milper: Quantity = 0.0
    irst: Quantity = 0.0
    pec: Quantity = 0.0
    tpop: Quantity = 0.0
    upop: Quantity = 0.0


class Bloc(StrictModel):
    """Capabilities and their growth: given levels, or read from COW NMC at the base year."""

    components: Components | None = None
    from_cow: bool = Field(False, description="Take base levels from COW NMC at base_year.")
    growth: Growth = Field(default_factory=Growth)
    shock_sd: float = Field(0.0, ge=0, description="Sd of the annual log shock per component.")
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _levels(self) -> Bloc:
        if self.components is None and not self.from_cow:
            raise ValueError("give components (base-year levels) or set from_cow: true")
        return self


class Power(Bloc):
    """A power whose capability is projected; ``actor`` is a scenario actor id."""

    actor: Id
    cow_ccode: int | None = Field(None, description="COW country code (needed by from_cow).")

    @model_validator(mode="after")
    def _ccode(self) -> Power:
        if self.from_cow and self.cow_ccode is None:
            raise ValueError(f"power {self.actor!r} has from_cow: true but no cow_ccode")
        return self


class Coalition(StrictModel):
    """Challengers whose capabilities are summed (e.g. China + Russia)."""

    id: Id
    members: list[Id] = Field(min_length=1)
    note: str | None = None


class Hazard(StrictModel):
    """Coefficients of the transition hazard logit (eq. 5 of ``structure.transition``)."""

    intercept: Quantity = Field(default_factory=_default("intercept"))
    parity: Quantity = Field(default_factory=_default("parity"))
    overtaking: Quantity = Field(default_factory=_default("overtaking"))
    abs_log_ratio: Quantity = Field(default_factory=_default("abs_log_ratio"))
    window: int = Field(10, ge=1, description="Years a change of lead counts as overtaking.")
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None


class StructureSection(StrictModel):
    """Capability projections of the powers, overtaking and the transition war hazard."""

    base_year: int = Field(ge=1816, description="The year of the base levels (NMC runs to 2022).")
    horizon: int = Field(30, ge=1, le=200, description="Years projected after base_year.")
    dominant: Id = Field(description="The actor id of the dominant power.")
    challengers: list[Id] | None = Field(
        None, description="Actor ids compared with the dominant power (default: every other power)."
    )
    powers: list[Power] = Field(min_length=2)
    rest_of_world: Bloc | None = Field(
        None, description="The rest of the state system; without it shares are among the powers only."
    )
    coalitions: list[Coalition] = Field(default_factory=list)
    last_lead_change: dict[Id, int] = Field(
        default_factory=dict,
        description="Challenger -> last year before base_year in which the lead between it and "
        "the dominant power changed (counts as recent overtaking for the hazard).",
    )
    hazard: Hazard = Field(default_factory=Hazard)
    sources: list[Id] = Field(default_factory=list)
    note: str | None = None

    def actor_ids(self) -> list[str]:
        return [p.actor for p in self.powers]

    def challenger_ids(self) -> list[str]:
        if self.challengers is not None:
            return list(self.challengers)
        return [a for a in self.actor_ids() if a != self.dominant]


def _quantity_sources(q: Any) -> list[str]:
    return list(getattr(q, "sources", []) or [])


def _source_refs(section: StructureSection) -> list[tuple[tuple[str | int, ...], str]]:
    """Every ``(loc, source id)`` the section cites."""
    refs: list[tuple[tuple[str | int, ...], str]] = [(("structure", "sources"), s) for s in section.sources]
    blocs: list[tuple[tuple[str | int, ...], Bloc]] = [
        (("structure", "powers", i), p) for i, p in enumerate(section.powers)
    ]
    if section.rest_of_world is not None:
        blocs.append((("structure", "rest_of_world"), section.rest_of_world))
    for loc, bloc in blocs:
        refs += [((*loc, "sources"), s) for s in bloc.sources]
        for group in ("components", "growth"):
            values = getattr(bloc, group)
            if values is None:
                continue
            for name in Growth.model_fields:
                refs += [((*loc, group, name), s) for s in _quantity_sources(getattr(values, name))]
    refs += [(("structure", "hazard", "sources"), s) for s in section.hazard.sources]
    for name in ("intercept", "parity", "overtaking", "abs_log_ratio"):
        refs += [(("structure", "hazard", name), s) for s in _quantity_sources(getattr(section.hazard, name))]
    return refs


def check_structure(scenario: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Cross-references: actors, dominant, challengers, coalition members, source ids.

    The core loader already checks every ``sources`` list of a full scenario (objects with
    ``source_ids()``); source ids are checked here only for other scenario-like objects,
    so that no problem is reported twice.
    """
    from polemos.scenario.errors import did_you_mean

    section: StructureSection | None = getattr(scenario, "structure", None)
    if section is None:
        return []
    problems: list[tuple[tuple[str | int, ...], str, str]] = []
    actors = [a.id for a in getattr(scenario, "actors", [])]
    meta = getattr(scenario, "meta", None)
    sources = [s.id for s in getattr(meta, "sources", [])] if meta is not None else []
    powers = section.actor_ids()
    seen: set[str] = set()
    for i, actor in enumerate(powers):
        if actor not in actors:
            problems.append((("structure", "powers", i, "actor"), f"unknown actor {actor!r}",
                             did_you_mean(actor, actors) or "declare it under actors"))
        if actor in seen:
            problems.append((("structure", "powers", i, "actor"), f"power {actor!r} listed twice",
                             "list each power once"))
        seen.add(actor)
    if section.dominant not in powers:
        problems.append((("structure", "dominant"), f"dominant {section.dominant!r} is not a listed power",
                         did_you_mean(section.dominant, powers) or "add it under structure.powers"))
    for i, c in enumerate(section.challengers or []):
        if c not in powers or c == section.dominant:
            problems.append((("structure", "challengers", i), f"challenger {c!r} is not a listed power "
                             "other than the dominant one", did_you_mean(c, powers) or "add it under powers"))
    for c, year in section.last_lead_change.items():
        if c not in section.challenger_ids():
            problems.append((("structure", "last_lead_change", c), f"{c!r} is not a challenger",
                             did_you_mean(c, section.challenger_ids()) or "use a challenger's actor id"))
        if year > section.base_year:
            problems.append((("structure", "last_lead_change", c), f"{year} is after base_year",
                             "give the last change of lead before base_year"))
    ids = set(powers)
    for i, coal in enumerate(section.coalitions):
        if coal.id in ids:
            problems.append((("structure", "coalitions", i, "id"), f"coalition id {coal.id!r} is taken",
                             "use an id that is not a power's actor id"))
        ids.add(coal.id)
        for j, m in enumerate(coal.members):
            if m not in powers:
                problems.append((("structure", "coalitions", i, "members", j), f"unknown power {m!r}",
                                 did_you_mean(m, powers) or "members must be listed under powers"))
            elif m == section.dominant:
                problems.append((("structure", "coalitions", i, "members", j),
                                 "the dominant power cannot be in a challenging coalition",
                                 "remove it from the members"))
    if hasattr(scenario, "source_ids"):
        return problems
    for loc, src in _source_refs(section):
        if src not in sources:
            problems.append((loc, f"unknown source {src!r}", did_you_mean(src, sources) or "declare it under meta.sources"))
    return problems


def structure_names(scenario: Any) -> dict[str, str]:
    """State variables: shares, challenger/dominant ratios, overtaking flags, war hazard."""
    section: StructureSection | None = getattr(scenario, "structure", None)
    if section is None:
        return {}
    return state_names(section)


def state_names(section: StructureSection) -> dict[str, str]:
    """The state-variable names of :func:`structure_names` for a section alone."""
    end = section.base_year + section.horizon
    dom = section.dominant
    out: dict[str, str] = {}
    for actor in section.actor_ids():
        out[f"structure.share.{actor}"] = f"CINC share of {actor} in {end}"
    for c in [*section.challenger_ids(), *(k.id for k in section.coalitions)]:
        out[f"structure.ratio.{c}_{dom}"] = f"capability of {c} over {dom} in {end}"
        out[f"structure.overtaken.{c}"] = f"{c} overtook {dom} at some year up to {end} (bool)"
    out["structure.war_hazard"] = (
        f"probability of a war onset between {dom} and a challenger by {end} (transition hazard)"
    )
    return out


register_section(
    "structure",
    StructureSection,
    doc="Structural power: capability projections (COW NMC), parity, overtaking, transition hazard.",
    check=check_structure,
    names=structure_names,
)

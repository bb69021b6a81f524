"""From a ``structure`` section to arrays, and through the three kernels to state variables.

Pipeline: :func:`inputs` samples every quantity once per draw (base levels, growth rates,
hazard coefficients; independent across quantities), :func:`simulate` runs
:func:`.projection.project`, :func:`.transition.ratios` and :func:`.transition.hazard`, and
:func:`state` reduces the outputs to the state variables named by
:func:`.section.state_names`. :func:`summary` gives the quantiles and probabilities the
CLI prints. Base levels must be filled (``from_cow`` resolved with :func:`fill_components`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from polemos.models.structure import projection, transition
from polemos.models.structure.section import Bloc, Components, StructureSection
from polemos.scenario.quantities import ppf

COMPONENT_NAMES = ("milex", "milper", "irst", "pec", "tpop", "upop")
REST = "rest_of_world"


def fill_components(
    section: StructureSection,
    lookup: Callable[[int, int], dict[str, float]],
    totals: Callable[[int], dict[str, float]],
) -> StructureSection:
    """Resolve ``from_cow``: ``lookup(ccode, year)`` gives a state's levels, ``totals(year)``
    the system totals (the rest of the world is the totals minus every listed power)."""
    year = section.base_year
    powers = []
    for p in section.powers:
        if p.components is None:
            if p.cow_ccode is None:
                raise ValueError(f"power {p.actor!r}: from_cow needs cow_ccode")
            p = p.model_copy(update={"components": Components(**lookup(p.cow_ccode, year))})
        powers.append(p)
    update: dict[str, object] = {"powers": powers}
    rest = section.rest_of_world
    if rest is not None and rest.components is None:
        total = totals(year)
        listed = {c: sum(float(ppf(getattr(p.components, c), np.array([0.5]))[0]) for p in powers)
                  for c in COMPONENT_NAMES}
        rest_levels = {c: max(total[c] - listed[c], 0.0) for c in COMPONENT_NAMES}
        update["rest_of_world"] = rest.model_copy(update={"components": Components(**rest_levels)})
    return section.model_copy(update=update)


def _blocs(section: StructureSection) -> list[tuple[str, Bloc]]:
    rows: list[tuple[str, Bloc]] = [(p.actor, p) for p in section.powers]
    if section.rest_of_world is not None:
        rows.append((REST, section.rest_of_world))
    return rows


@dataclass
class Inputs:
    """Kernel inputs sampled from a section (leading draw axis where it applies)."""

    levels0: np.ndarray  # (n, P, 6)
    growth: np.ndarray  # (n, P, 6)
    shock_sd: np.ndarray  # (P, 6)
    members: np.ndarray  # (K, P): challengers one by one, then coalitions
    coef: np.ndarray  # (n, 4) hazard coefficients
    actors: list[str]
    targets: list[str]
    n_dyads: int
    dominant: int


def inputs(section: StructureSection, n_draws: int, rng: np.random.Generator) -> Inputs:
    """Arrays for the kernels: levels0, growth ``(n, P, 6)``, shock_sd, members, coef, labels."""
    blocs = _blocs(section)
    n_p = len(blocs)
    levels0 = np.empty((n_draws, n_p, 6))
    growth = np.empty((n_draws, n_p, 6))
    shock = np.empty((n_p, 6))
    for i, (name, bloc) in enumerate(blocs):
        if bloc.components is None:
            raise ValueError(f"{name}: base levels missing; resolve from_cow with fill_components")
        for k, comp in enumerate(COMPONENT_NAMES):
            levels0[:, i, k] = ppf(getattr(bloc.components, comp), rng.random(n_draws))
            growth[:, i, k] = ppf(getattr(bloc.growth, comp), rng.random(n_draws))
        shock[i] = bloc.shock_sd
    actors = [name for name, _ in blocs]
    dyads = section.challenger_ids()
    targets = [*dyads, *(c.id for c in section.coalitions)]
    members = np.zeros((len(targets), n_p))
    for j, c in enumerate(dyads):
        members[j, actors.index(c)] = 1.0
    for j, coal in enumerate(section.coalitions, start=len(dyads)):
        for m in coal.members:
            members[j, actors.index(m)] = 1.0
    h = section.hazard
    coef = np.stack(
        [ppf(getattr(h, t), rng.random(n_draws)) for t in transition.COEFFICIENTS], axis=1
    )
    return Inputs(
        levels0=np.maximum(levels0, 0.0),
        growth=np.maximum(growth, -0.99),
        shock_sd=shock,
        members=members,
        coef=coef,
        actors=actors,
        targets=targets,
        n_dyads=len(dyads),
        dominant=actors.index(section.dominant),
    )


@dataclass
class StructureRun:
    """Outputs of one simulated structure section (leading draw axis everywhere)."""

    years: np.ndarray  # (T+1,)
    actors: list[str]  # rows of cinc (powers, then rest_of_world if given)
    targets: list[str]  # challengers then coalitions
    dominant: str
    cinc: np.ndarray  # (n, T+1, P)
    ratio: np.ndarray  # (n, T+1, K) target / dominant
    first_ahead: np.ndarray  # (n, K) time index, -1 never
    hazard: np.ndarray  # (n, T+1, D) annual onset hazard, dominant vs each challenger
    war_cumulative: np.ndarray  # (n, T+1) P(some onset by t)


def simulate(section: StructureSection, n_draws: int, rng: np.random.Generator) -> StructureRun:
    """Sample the section's quantities and run projection, overtaking and hazard."""
    x = inputs(section, n_draws, rng)
    proj = projection.project(x.levels0, x.growth, section.horizon, shock_sd=x.shock_sd, rng=rng)
    cinc = proj["cinc"]
    ratio = transition.ratios(cinc, x.dominant, x.members)
    ind = transition.indicators(ratio, section.hazard.window)
    dyad_ratio = ratio[..., : x.n_dyads]
    since = np.asarray([section.base_year - section.last_lead_change.get(c, -10**6)
                        for c in x.targets[: x.n_dyads]], dtype=float)
    haz = transition.hazard(dyad_ratio, x.coef, section.hazard.window, since_change=since)
    return StructureRun(
        years=section.base_year + np.arange(section.horizon + 1),
        actors=x.actors,
        targets=x.targets,
        dominant=section.dominant,
        cinc=cinc,
        ratio=ratio,
        first_ahead=ind["first_ahead"],
        hazard=haz["hazard"],
        war_cumulative=haz["any_war"],
    )


def state(run: StructureRun) -> dict[str, np.ndarray]:
    """State variables at the horizon, one value per draw (names of ``state_names``)."""
    out: dict[str, np.ndarray] = {}
    for i, a in enumerate(run.actors):
        if a != REST:
            out[f"structure.share.{a}"] = run.cinc[:, -1, i]
    for j, t in enumerate(run.targets):
        out[f"structure.ratio.{t}_{run.dominant}"] = run.ratio[:, -1, j]
        out[f"structure.overtaken.{t}"] = run.first_ahead[:, j] >= 0
    out["structure.war_hazard"] = run.war_cumulative[:, -1]
    return out


def summary(run: StructureRun, quantiles: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> dict:
    """Share fans, overtaking probabilities by year, expected overtaking year, war risk."""
    q = np.asarray(quantiles)
    years = run.years
    ahead_by = np.stack(
        [(run.first_ahead[:, j, None] >= 0) & (run.first_ahead[:, j, None] <= np.arange(len(years)))
         for j in range(len(run.targets))],
        axis=1,
    )  # (n, K, T+1)
    over = {}
    for j, t in enumerate(run.targets):
        fa = run.first_ahead[:, j]
        hit = fa >= 0
        over[t] = {
            "ahead_at_base": float(np.mean(fa == 0)),
            "p_by_year": ahead_by[:, j].mean(axis=0).tolist(),
            "p_within_horizon": float(hit.mean()),
            "expected_year_if_overtaking": float(years[fa[hit]].mean()) if hit.any() else None,
            "median_ratio_at_horizon": float(np.median(run.ratio[:, -1, j])),
        }
    return {
        "years": years.tolist(),
        "quantiles": q.tolist(),
        "share": {a: np.quantile(run.cinc[:, :, i], q, axis=0).tolist() for i, a in enumerate(run.actors)},
        "overtaking": over,
        "war_probability_by_year": {
            "mean": run.war_cumulative.mean(axis=0).tolist(),
            "q05": np.quantile(run.war_cumulative, 0.05, axis=0).tolist(),
            "q95": np.quantile(run.war_cumulative, 0.95, axis=0).tolist(),
        },
    }

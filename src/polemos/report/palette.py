"""One colour per actor, escalation rung, outcome and verdict, for every figure of a report.

Colours follow the scenario's own order (its actor list, its ladder, its outcome list),
never the order in which series happen to be plotted: an actor keeps its colour in every
panel and every figure of a report, and across runs of the same scenario.

- Actors: Paul Tol's "muted" qualitative scheme (9 colours that stay apart under the
  common colour-vision deficiencies; Tol, *Colour Schemes*, SRON/EPS/TN/09-002, 2021),
  ordered so that the first actors of a scenario (usually the main ones) get the most
  distinct colours.
- Rungs and outcomes: Okabe and Ito's colour-universal-design set (Okabe & Ito, *Color
  Universal Design*, 2008). Rungs run from cool (the lowest rung) to black (the top one).
- Past the end of a scheme, colours repeat with a dashed, then a dotted line, so two
  series never share both colour and line style.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ACTOR_COLOURS = ("#332288", "#CC6677", "#117733", "#DDCC77", "#88CCEE", "#882255",
                 "#44AA99", "#999933", "#AA4499")
"""Tol's muted scheme: indigo, rose, green, sand, cyan, wine, teal, olive, purple."""
RUNG_COLOURS = ("#56B4E9", "#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#000000")
"""Okabe-Ito from cool to hot: sky blue, blue, bluish green, orange, vermillion,
reddish purple, black."""
OUTCOME_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7",
                   "#000000")
NONE_COLOUR = "#999999"
"""Grey: the 'no absorbing outcome' row, anything outside the scenario's lists."""
VERDICT_COLOURS = {"supported": "#009E73", "contradicted": "#D55E00",
                   "undecided": "#999999", "fixed": "#CC79A7"}
DASHES = ("-", "--", ":")


@dataclass(frozen=True)
class Style:
    """How one series is drawn: its colour and its line style."""

    colour: str
    dash: str = "-"

    def line(self) -> dict[str, str]:
        """Keyword arguments for ``Axes.plot``."""
        return {"color": self.colour, "linestyle": self.dash}


def _styles(ids: Iterable[str], colours: tuple[str, ...]) -> dict[str, Style]:
    out: dict[str, Style] = {}
    for i, key in enumerate(dict.fromkeys(ids)):
        out[key] = Style(colours[i % len(colours)], DASHES[(i // len(colours)) % len(DASHES)])
    return out


def _ladder_styles(ids: list[str]) -> dict[str, Style]:
    """The lowest rung gets the coolest colour and the top rung black, whatever the length."""
    n, m = len(ids), len(RUNG_COLOURS)
    if n > m:
        return _styles(ids, RUNG_COLOURS)
    picks = [round(i * (m - 1) / (n - 1)) if n > 1 else m - 1 for i in range(n)]
    return {rid: Style(RUNG_COLOURS[k]) for rid, k in zip(ids, picks, strict=True)}


def ladder_of(scenario: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The scenario's rungs; the default ladder when its escalation section gives none."""
    section = scenario.get("escalation")
    if not section:
        return []
    if section.get("ladder"):
        return list(section["ladder"])
    from polemos.models.escalation.section import DEFAULT_RUNGS

    return [r.model_dump() for r in DEFAULT_RUNGS]


def short_name(name: str) -> str:
    """``'EU institutions (France, Germany)'`` -> ``'EU institutions'``: for legends."""
    head = name.split(" (", 1)[0].strip()
    return head or name


@dataclass(frozen=True)
class Palette:
    """Styles and plain names of a scenario's actors, rungs and outcomes."""

    actors: dict[str, Style] = field(default_factory=dict)
    actor_names: dict[str, str] = field(default_factory=dict)
    rungs: dict[str, Style] = field(default_factory=dict)
    rung_names: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, Style] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """Plain names of theatres and issues, by id."""
    outcome_names: dict[str, str] = field(default_factory=dict)
    input_label: Callable[[str], str] = field(default=str, compare=False, repr=False)
    """An input's path in the scenario -> its name in words (the report's labeller)."""

    @classmethod
    def from_scenario(cls, scenario: Mapping[str, Any],
                      input_label: Callable[[str], str] = str) -> Palette:
        """From the scenario as stored with a run (plain data, in the file's order)."""
        actors = [a for a in scenario.get("actors") or [] if a.get("id")]
        ladder = sorted(((r.get("level", i), i, r) for i, r in enumerate(ladder_of(scenario))),
                        key=lambda t: (t[0], t[1]))
        rungs = [r for _, _, r in ladder if r.get("id")]
        outcomes = [o["id"] for o in scenario.get("outcomes") or [] if o.get("id")]
        names = {x["id"]: x.get("name") or x["id"]
                 for key in ("theatres", "issues") for x in scenario.get(key) or [] if x.get("id")}
        return cls(
            actors=_styles([a["id"] for a in actors], ACTOR_COLOURS),
            actor_names={a["id"]: short_name(a.get("name") or a["id"]) for a in actors},
            rungs=_ladder_styles([r["id"] for r in rungs]),
            rung_names={r["id"]: r.get("name") or r["id"] for r in rungs},
            outcomes={**_styles(outcomes, OUTCOME_COLOURS), "none": Style(NONE_COLOUR)},
            names=names,
            outcome_names={o["id"]: o.get("label") or o["id"]
                           for o in scenario.get("outcomes") or [] if o.get("id")},
            input_label=input_label,
        )

    @classmethod
    def from_summary(cls, s: Mapping[str, Any]) -> Palette:
        """Without the scenario: ids from the run's state names, sorted (still stable)."""
        traj = s.get("trajectories") or {}
        actors = sorted({n.split(".")[1] for n in traj
                         if n.split(".")[0] in ("resolve", "forces", "position", "power")
                         and n.count(".") >= 1})
        rungs = [n.rsplit(".", 1)[1] for n in traj if n.startswith("escalation.reached.")]
        rungs.sort(key=lambda r: traj[f"escalation.reached.{r}"]["mean"][-1], reverse=True)
        return cls.from_scenario({
            "actors": [{"id": a, "name": a} for a in actors],
            "escalation": {"ladder": [{"id": r} for r in rungs]},
            "outcomes": [{"id": o["id"]} for o in s.get("outcomes") or []],
        })

    def actor(self, actor_id: str) -> Style:
        return self.actors.get(actor_id, Style(NONE_COLOUR, "--"))

    def actor_name(self, actor_id: str) -> str:
        return self.actor_names.get(actor_id, actor_id)

    def rung(self, rung_id: str) -> Style:
        return self.rungs.get(rung_id, Style(NONE_COLOUR, "--"))

    def rung_name(self, rung_id: str) -> str:
        return self.rung_names.get(rung_id, rung_id.replace("_", " "))

    def outcome(self, outcome_id: str) -> Style:
        return self.outcomes.get(outcome_id, Style(NONE_COLOUR, "--"))

    def target_name(self, target: str) -> str:
        """A sensitivity target: an outcome's label, or ``claim ID``."""
        if target.startswith("claim:"):
            return f"claim {target.split(':', 1)[1]}"
        return self.outcome_names.get(target, target)

    def name(self, some_id: str) -> str:
        """A theatre's or issue's plain name."""
        return self.names.get(some_id, some_id.replace("_", " "))

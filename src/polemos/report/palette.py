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
  series never share both colour and line style; bars (where a dash does not show) get a
  hatch pattern instead, so two bars never share both colour and hatch (up to
  ``len(colours) * len(HATCHES)`` series).
- Verdicts: the same hues in figures and in the HTML tables; text uses a darker shade of
  the hue (:func:`text_colour`) where the figure's colour is too light to read on white.
"""

from __future__ import annotations

import colorsys
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
HATCHES = ("", "////", "....", "xxxx", "\\\\\\\\", "oo", "----", "||||", "++++")
"""Bar fills, one per round through a colour scheme: plain first, then hatched."""


@dataclass(frozen=True)
class Style:
    """How one series is drawn: its colour, its line style and (for bars) its hatch."""

    colour: str
    dash: str = "-"
    hatch: str = ""

    def line(self) -> dict[str, str]:
        """Keyword arguments for ``Axes.plot``."""
        return {"color": self.colour, "linestyle": self.dash}


def bar_styles(styles: Iterable[Style]) -> dict[str, Any]:
    """Keyword arguments for ``Axes.bar``/``barh``: colours and hatches (white strokes, so a
    hatch shows on every colour of the schemes)."""
    styles = list(styles)
    return {"color": [st.colour for st in styles],
            "hatch": [st.hatch or None for st in styles], "edgecolor": "white", "linewidth": 0}


def _styles(ids: Iterable[str], colours: tuple[str, ...]) -> dict[str, Style]:
    out: dict[str, Style] = {}
    for i, key in enumerate(dict.fromkeys(ids)):
        lap = i // len(colours)
        out[key] = Style(colours[i % len(colours)], DASHES[lap % len(DASHES)],
                         HATCHES[lap % len(HATCHES)])
    return out


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#RRGGBB`` colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str = "#FFFFFF") -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21; 4.5 is the minimum for text)."""
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour(colour: str, background: str = "#FFFFFF", ratio: float = 4.5) -> str:
    """The colour itself if text in it reads on ``background`` (WCAG contrast >= ``ratio``),
    else the lightest darker shade of the same hue and saturation that does."""
    h, lightness, sat = colorsys.rgb_to_hls(*(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    out = colour.upper()
    while contrast(out, background) < ratio and lightness > 0:
        lightness = max(0.0, lightness - 0.01)
        out = "#" + "".join(f"{round(255 * c):02X}" for c in colorsys.hls_to_rgb(h, lightness, sat))
    return out


VERDICT_TEXT_COLOURS = {v: text_colour(c) for v, c in VERDICT_COLOURS.items()}
"""The verdicts' colours for text on the white page (the figures' hues, darkened to 4.5:1)."""


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

"""The report's figures: one colour per actor and rung everywhere, legends outside the data,
labels in words, the resolve chart as one panel per actor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex

import polemos
from polemos.report import figures as F
from polemos.report.palette import ACTOR_COLOURS, RUNG_COLOURS, Palette, ladder_of, short_name

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "tests" / "engine" / "fixtures" / "full.yaml"
VENEZUELA = ROOT / "scenarios" / "venezuela-2025-10.yaml"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """Summary and stored scenario of a small run of the test fixture and of Venezuela."""
    out = {}
    for key, path in (("full", FULL), ("venezuela", VENEZUELA)):
        r = polemos.run(path, draws=200, seed=3, store=tmp_path_factory.mktemp(key))
        out[key] = (r.store.summary(r.run_id), r.store.config(r.run_id)["scenario"])
    return out


def _actor_colours(fig: Any, names: set[str]) -> dict[str, set[str]]:
    """Colour of each actor's line, found by legend label or by panel title."""
    seen: dict[str, set[str]] = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            label = line.get_label()
            if label not in names and ax.get_title() in names and len(ax.get_lines()) == 1:
                label = ax.get_title()
            if label in names:
                seen.setdefault(label, set()).add(to_hex(line.get_color()))
    for leg in fig.legends:
        for handle, text in zip(leg.legend_handles, leg.get_texts(), strict=True):
            if text.get_text() in names:
                seen.setdefault(text.get_text(), set()).add(to_hex(handle.get_color()))
    return seen


@pytest.mark.parametrize("key", ["full", "venezuela"])
def test_an_actor_has_one_colour_in_every_figure(runs, key) -> None:
    s, scn = runs[key]
    pal = Palette.from_scenario(scn)
    names = {short_name(a["name"]): a["id"] for a in scn["actors"]}
    colours: dict[str, set[str]] = {}
    figures = 0
    for make in (F.fan_forces, F.fan_resolve, F.fan_revenue, F.bargaining):
        fig = make(s, pal)
        if fig is None:
            continue
        figures += 1
        for name, cs in _actor_colours(fig, set(names)).items():
            colours.setdefault(name, set()).update(cs)
        plt.close(fig)
    assert figures >= 2 and len(colours) >= 3
    for name, cs in colours.items():
        assert cs == {pal.actor(names[name]).colour.lower()}, name
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # distinct


def test_colours_follow_the_scenario_not_the_plotting_order(runs) -> None:
    s, scn = runs["venezuela"]
    pal = Palette.from_scenario(scn)
    names = {short_name(a["name"]) for a in scn["actors"]}
    ids = [a["id"] for a in scn["actors"]]
    assert [pal.actor(a).colour for a in ids] == list(ACTOR_COLOURS[:len(ids)])
    shuffled = {**s, "trajectories": dict(reversed(list(s["trajectories"].items())))}
    fewer = {**s, "trajectories": {k: v for k, v in s["trajectories"].items()
                                   if k != f"resolve.{ids[0]}"}}
    a, b, c = (F.fan_resolve(x, pal) for x in (s, shuffled, fewer))
    ca, cb, cc = (_actor_colours(f, names) for f in (a, b, c))
    assert ca == cb and len(ca) >= 5
    assert all(cc[n] == ca[n] for n in cc) and len(cc) == len(ca) - 1
    assert Palette.from_scenario(scn) == pal  # same scenario, same colours
    for f in (a, b, c):
        plt.close(f)


def test_rungs_are_coloured_by_their_place_on_the_ladder(runs) -> None:
    s, scn = runs["full"]
    pal = Palette.from_scenario(scn)
    ladder = [r["id"] for r in sorted(ladder_of(scn), key=lambda r: r["level"])]
    fig = F.rung_probabilities(s, pal)
    (leg,) = fig.legends
    got = [(t.get_text(), to_hex(h.get_color())) for t, h in
           zip(leg.get_texts(), leg.legend_handles, strict=True)]
    assert [c for _, c in got] == [pal.rung(r).colour.lower() for r in ladder]
    assert got[0][1] == RUNG_COLOURS[0].lower() and got[-1][1] == "#000000"
    assert all(pal.rung_name(r) in t for (t, _), r in zip(got, ladder, strict=True))
    plt.close(fig)


def test_short_ladders_and_many_actors_keep_apart() -> None:
    pal = Palette.from_scenario({
        "actors": [{"id": f"A{i}", "name": f"Actor {i} (long note)"} for i in range(12)],
        "escalation": {"ladder": [{"id": "low", "level": 0}, {"id": "top", "level": 1}]}})
    assert pal.rung("low").colour == RUNG_COLOURS[0] and pal.rung("top").colour == "#000000"
    styles = [pal.actor(f"A{i}") for i in range(12)]
    assert len(set(styles)) == 12 and styles[9].dash == "--"
    assert pal.actor_name("A3") == "Actor 3"


def _legends(fig: Any) -> list[Any]:
    return list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]


@pytest.mark.parametrize("key", ["full", "venezuela"])
def test_legends_sit_outside_the_data_and_read_in_words(runs, key) -> None:
    s, scn = runs[key]
    pal = Palette.from_scenario(scn)
    variables = set(s["trajectories"])
    checked = 0
    for name, _title, make in F.FIGURES:
        fig = make(s, pal)
        if fig is None:
            continue
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for leg in _legends(fig):
            box = leg.get_window_extent(renderer)
            assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 + 1, name  # not cut off
            assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1 + 1, name
            for ax in fig.axes:
                assert not box.overlaps(ax.get_window_extent(renderer)), (name, ax.get_title())
            for text in leg.get_texts():
                label = text.get_text()
                assert label not in variables and not re.search(r"\b\w+\.[A-Za-z_]+\b", label), label
            checked += 1
        for ax in fig.axes:
            assert ax.get_title() not in variables, name
        plt.close(fig)
    assert checked >= 3


def test_resolve_is_one_panel_per_actor(runs) -> None:
    s, scn = runs["venezuela"]
    pal = Palette.from_scenario(scn)
    fig = F.fan_resolve(s, pal)
    with_resolve = [a for a in scn["actors"] if f"resolve.{a['id']}" in s["trajectories"]]
    assert [ax.get_title() for ax in fig.axes] == [short_name(a["name"]) for a in with_resolve]
    for ax in fig.axes:
        assert len(ax.get_lines()) == 1 and len(ax.collections) == 2  # median, 50% and 90%
        assert ax.get_ylim() == (0.0, 1.0)
    assert "0 to 1" in fig.get_supylabel()
    plt.close(fig)


def test_every_figure_says_what_its_bands_mean() -> None:
    for key, _title, _make in F.FIGURES:
        assert len(F.CAPTIONS[key]) > 40, key
    for key in ("forces", "territory", "revenue", "resolve"):
        assert "90% of draws lie in it" in F.CAPTIONS[key]
    assert "95% Monte Carlo interval" in F.CAPTIONS["outcomes"]
    assert "95% interval of the credence" in F.CAPTIONS["claims"]


def test_sensitivity_names_inputs_and_targets_in_words(runs) -> None:
    from polemos.report.html import _labeller

    s, scn = runs["venezuela"]
    pal = Palette.from_scenario(scn, input_label=_labeller(scn))
    fig = F.tornado(s, pal)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    params = {e["parameter"] for es in s["sensitivity_given_data"].values() for e in es}
    outcomes = {o["id"]: o["label"] for o in scn["outcomes"]}
    assert labels and all("\nfor: " in text for text in labels)
    assert not any(p in text for p in params for text in labels)
    assert all(text.split("\nfor: ")[1].replace("\n", " ") in outcomes.values() for text in labels)
    plt.close(fig)

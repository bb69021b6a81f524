"""The report's figures: one colour per actor and rung everywhere, legends outside the data,
labels in words, the resolve chart as one panel per actor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex

import polemos
from polemos.report import figures as F
from polemos.report.palette import (
    ACTOR_COLOURS,
    RUNG_COLOURS,
    VERDICT_COLOURS,
    VERDICT_TEXT_COLOURS,
    Palette,
    contrast,
    ladder_of,
    short_name,
    text_colour,
)

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "tests" / "engine" / "fixtures" / "full.yaml"
VENEZUELA = ROOT / "scenarios" / "venezuela-2025-10.yaml"
BUDAPEST = ROOT / "scenarios" / "ukraine-2025-10-budapest.yaml"  # 8 actors, 10 outcomes


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """Summary and stored scenario of a small run of the test fixture, Venezuela and
    Budapest (many actors, outcomes and issues: long legends, repeated colours)."""
    out = {}
    for key, path in (("full", FULL), ("venezuela", VENEZUELA), ("budapest", BUDAPEST)):
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
    weeks = len(s["dates"])
    s = {**s, "trajectories": {  # every rung reached by some draws, none by all: one line each
        **s["trajectories"], **{f"escalation.reached.{r}": {"mean": [
            0.5 ** i * w / weeks for w in range(weeks)]} for i, r in enumerate(ladder)}}}
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


def _drawn(run: tuple[dict, dict]) -> Iterator[tuple[str, Any, Any]]:
    """Each figure the run has (drawn, so extents are final) with its renderer; closed after."""
    s, scn = run
    pal = Palette.from_scenario(scn)
    for name, _title, make in F.FIGURES:
        fig = make(s, pal)
        if fig is None:
            continue
        fig.canvas.draw()
        yield name, fig, fig.canvas.get_renderer()
        plt.close(fig)


@pytest.mark.parametrize("key", ["full", "venezuela", "budapest"])
def test_legends_sit_outside_the_data_and_read_in_words(runs, key) -> None:
    variables = set(runs[key][0]["trajectories"])
    checked = 0
    for name, fig, renderer in _drawn(runs[key]):
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


def _outcome_summary(n: int) -> tuple[dict, Palette]:
    """A summary with ``n`` outcomes (more than one round of the outcome colours)."""
    ids = [f"o{i}" for i in range(n)]
    rows = [{"id": o, "label": f"Outcome {i}", "p": 0.9 / n, "low": 0.8 / n, "high": 1.0 / n}
            for i, o in enumerate(ids)]
    s = {"outcomes": rows, "none": {"id": "none", "label": "no absorbing outcome",
                                     "p": 0.1, "low": 0.08, "high": 0.12}}
    return s, Palette.from_scenario({"outcomes": [{"id": o} for o in ids]})


def _bars(ax: Any) -> list[tuple[str, str]]:
    return [(to_hex(b.get_facecolor()), b.get_hatch() or "") for b in ax.patches]


@pytest.mark.parametrize("n", [3, 8, 20])
def test_two_outcome_bars_never_look_the_same(n) -> None:
    s, pal = _outcome_summary(n)
    fig = F.outcome_bars(s, pal)
    bars = _bars(fig.axes[0])
    assert len(bars) == n + 1 and len(set(bars)) == len(bars), bars
    assert len({c for c, _ in bars}) == min(n, 7) + 1  # colours repeat past the 7th ...
    assert (n > 7) == any(h for _, h in bars)  # ... and only then do bars get a hatch
    plt.close(fig)


def test_real_outcome_bars_are_told_apart(runs) -> None:
    s, scn = runs["budapest"]
    fig = F.outcome_bars(s, Palette.from_scenario(scn))
    bars = _bars(fig.axes[0])
    assert len(bars) == len(s["outcomes"]) + 1 > 8 and len(set(bars)) == len(bars)
    values = [t.get_text() for t in fig.axes[0].texts]  # each bar says its share
    assert len(values) == len(bars) and all(v.endswith("%") for v in values)
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    recorded = [o["absorbing"] is False for o in s["outcomes"]] + [False]
    assert any(recorded) and not all(recorded)
    assert [lab.endswith("(recorded only)") for lab in labels] == recorded
    plt.close(fig)


def test_verdict_text_colours_are_the_figures_hues_made_readable() -> None:
    import colorsys

    def hls(c: str) -> tuple[float, float, float]:
        return colorsys.rgb_to_hls(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))

    assert set(VERDICT_TEXT_COLOURS) == set(VERDICT_COLOURS)
    for verdict, colour in VERDICT_COLOURS.items():
        text = VERDICT_TEXT_COLOURS[verdict]
        assert contrast(text) >= 4.5, verdict  # WCAG AA for text on white
        (h1, l1, s1), (h2, l2, s2) = hls(colour), hls(text)
        assert abs(h1 - h2) < 0.02 and abs(s1 - s2) < 0.05 and l2 <= l1, verdict
    assert text_colour("#332288") == "#332288"  # dark enough already: kept as it is
    assert contrast("#000000") == pytest.approx(21.0)


def _ladder_summary(means: list[list[float]]) -> tuple[dict, Palette]:
    ids = [f"r{i}" for i in range(len(means))]
    weeks = len(means[0])
    s = {"dates": [f"2026-01-{1 + i:02d}" for i in range(weeks)],
         "trajectories": {f"escalation.reached.{r}": {"mean": m}
                          for r, m in zip(ids, means, strict=True)}}
    pal = Palette.from_scenario({"escalation": {"ladder": [
        {"id": r, "level": i, "name": f"Rung {r}"} for i, r in enumerate(ids)]}})
    return s, pal


def test_rungs_reached_from_the_start_are_one_labelled_line() -> None:
    s, pal = _ladder_summary([[1.0] * 5, [1.0] * 5, [1.0] * 5, [0, 0.1, 0.2, 0.5, 1.0],
                              [0, 0, 0, 0.01, 0.02], [0.0] * 5, [0.0] * 5])
    fig = F.rung_probabilities(s, pal)
    ax = fig.axes[0]
    at_top = [ln for ln in ax.get_lines() if min(ln.get_ydata()) >= 1]
    at_zero = [ln for ln in ax.get_lines() if max(ln.get_ydata()) <= 0]
    assert len(at_top) == 1 and len(at_zero) == 1  # 0-2 together, 5-6 together
    assert len(ax.get_lines()) == 4  # and 3 and 4 a line each
    (leg,) = fig.legends
    labels = [t.get_text().replace("\n", " ") for t in leg.get_texts()]
    assert labels[0].startswith("0-2: reached in every draw from the start")
    assert all(f"Rung r{i}" in labels[0] for i in range(3))
    assert labels[1:3] == ["3: Rung r3", "4: Rung r4"]  # reached later: a line each
    assert labels[3] == "5-6: never reached in any draw (Rung r5; Rung r6)"
    assert to_hex(at_top[0].get_color()) == pal.rung("r2").colour.lower()
    low, high = ax.get_ylim()
    assert low < 0 and high > 1  # neither line hides under the frame
    plt.close(fig)
    s, pal = _ladder_summary([[1.0] * 5, [0.5] * 5])  # one rung: named on its own
    fig = F.rung_probabilities(s, pal)
    assert fig.legends[0].get_texts()[0].get_text().startswith(
        "0: Rung r0: reached in every draw from the start")
    plt.close(fig)


@pytest.mark.parametrize("key", ["full", "venezuela", "budapest"])
def test_no_text_is_cut_off_at_the_figure_edge(runs, key) -> None:
    """Labels, titles, tick labels, bar values and legends all lie inside the image."""
    from matplotlib.axis import Tick
    from matplotlib.text import Text

    checked = 0
    for name, fig, renderer in _drawn(runs[key]):
        box = fig.bbox
        tight = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)  # all drawn
        assert (box.x0 - 1 <= tight.x0 and tight.x1 <= box.x1 + 1 and box.y0 - 1 <= tight.y0
                and tight.y1 <= box.y1 + 1), (name, tight, box)
        ticks = {id(t) for tick in fig.findobj(Tick) for t in (tick.label1, tick.label2)}
        for text in fig.findobj(Text):  # each text by name (tick labels off the view excepted)
            if not text.get_visible() or not text.get_text().strip() or id(text) in ticks:
                continue
            ext = text.get_window_extent(renderer)
            assert (box.x0 - 1 <= ext.x0 and ext.x1 <= box.x1 + 1 and box.y0 - 1 <= ext.y0
                    and ext.y1 <= box.y1 + 1), (name, text.get_text()[:60])
            checked += 1
        for ax in fig.axes:  # a panel's title never spills over its neighbours
            width = ax.title.get_window_extent(renderer).width
            assert width <= ax.get_window_extent(renderer).width + 2, (name, ax.get_title())
    assert checked > 20


def test_an_outcome_judged_at_the_horizon_is_a_point_not_a_wall(runs) -> None:
    s, scn = runs["venezuela"]  # 'Maduro still in power at the horizon'
    fig = F.time_to_outcome(s, Palette.from_scenario(scn))
    ax = fig.axes[0]
    points = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 1]
    assert points and all(ln.get_marker() == "o" for ln in points)
    assert all("reached only in the last week" in ln.get_label() for ln in points)
    for ln in ax.get_lines():  # no line rises from zero in its last steps only
        y = list(ln.get_ydata())
        assert len(y) == 1 or max(y[:-2]) > 0 or max(y) == 0, ln.get_label()
    plt.close(fig)


def test_claims_chart_names_claims_in_words(runs) -> None:
    """Each bar is labelled with the claim's text, shortened to two lines, not its id."""
    s, _ = runs["budapest"]
    fig = F.claims_margins(s)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    rows = [c for c in s["claims"] if c.get("credence") is not None]
    assert len(labels) == len(rows)
    for label, c in zip(labels, rows, strict=True):
        assert label.count("\n") <= 1 and c["id"] not in label
        words = label.replace("\n", " ").removesuffix("...").split()
        assert " ".join(c["text"].split()).startswith(" ".join(words[:-1]))
    plt.close(fig)

"""The report's figures, each a function ``(summary, palette) -> matplotlib Figure | None``.

A figure returns ``None`` when the run has nothing to show for it (e.g. no escalation
section, so no rung probabilities). Every figure takes its colours and names from one
:class:`~polemos.report.palette.Palette` (an actor has one colour in every figure), puts
its legend outside the data area and says in :data:`CAPTIONS` what its bands mean.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from polemos.report.palette import VERDICT_COLOURS, Palette, Style, bar_styles  # noqa: E402

Summary = dict[str, Any]
Series = tuple[str, str, Style]
"""A trajectory's name in the summary, its label in words, its style."""
NEUTRAL = Style("#555555")
FONT = 8


def _dates(s: Summary) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in s["dates"]]


def _fig(h: float, w: float = 8.0, rows: int = 1, cols: int = 1, **kw: Any) -> tuple[Figure, Any]:
    fig, axes = plt.subplots(rows, cols, figsize=(w, h), dpi=110, layout="constrained",
                             squeeze=False, **kw)
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    return fig, axes


def _time_axis(ax: Any) -> None:
    loc = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def _grouped(v: float, _pos: Any = None) -> str:
    """Axis numbers with thousands separators, never ``1e6`` offsets."""
    return f"{v:,.0f}" if abs(v) >= 1000 or v == int(v) else f"{v:.3g}"


def _percent(v: float, _pos: Any = None) -> str:
    if v <= 0:
        return "0"
    return f"{100 * v:.0f}%" if v >= 0.01 else f"{100 * v:.1g}%"


def _share(p: float) -> str:
    """A probability as a readable percentage: ``0.231`` -> ``23%``, ``0.004`` -> ``0.4%``."""
    if p <= 0:
        return "0%"
    if p < 0.001:
        return "<0.1%"
    return f"{100 * p:.0f}%" if p >= 0.01 else f"{100 * p:.1f}%"


def _legend_right(ax: Any) -> None:
    """Legend beside the axes, outside the data area (constrained layout makes room)."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0,
              frameon=False, fontsize=FONT)


def _legend_below(fig: Figure, handles: list[Any], labels: list[str], ncol: int = 1) -> None:
    """Legend under the axes, in as many columns as fit the figure's width (at most ``ncol``)."""
    renderer = fig.canvas.get_renderer()
    for n in range(max(1, ncol), 0, -1):
        leg = fig.legend(handles, labels, loc="outside lower center", ncol=n, frameon=False,
                         fontsize=FONT)
        if n == 1 or leg.get_window_extent(renderer).width <= 0.98 * fig.bbox.width:
            return
        leg.remove()


def _wrap(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _band(ax: Any, d: list[dt.date], t: dict[str, list[float]], st: Style, label: str) -> None:
    """Median line, middle-50% band (dark) and 90% band (light) of one trajectory."""
    ax.fill_between(d, t["q05"], t["q95"], color=st.colour, alpha=0.15, lw=0)
    ax.fill_between(d, t["q25"], t["q75"], color=st.colour, alpha=0.35, lw=0)
    ax.plot(d, t["q50"], lw=1.6, label=label, **st.line())


def _has_bands(s: Summary, name: str) -> bool:
    t = s["trajectories"].get(name, {})
    return "q50" in t and max(map(abs, t["q95"] + t["q05"])) > 0


def _actor_series(s: Summary, pal: Palette, prefix: str, suffix: str = "") -> list[Series]:
    """``prefix.ACTOR.suffix`` trajectories in the scenario's actor order, labelled in words."""
    found = {}
    for name in s["trajectories"]:
        if name.startswith(prefix) and name.endswith(suffix):
            mid = name[len(prefix):len(name) - len(suffix)]
            if mid and "." not in mid and _has_bands(s, name):
                found[mid] = name
    order = [a for a in pal.actors if a in found] + sorted(set(found) - set(pal.actors))
    return [(found[a], pal.actor_name(a), pal.actor(a)) for a in order]


def _fan(s: Summary, series: list[Series], title: str, ylabel: str) -> Figure | None:
    """All series on one axes (two at most, so the bands stay apart), legend beside it."""
    if not series:
        return None
    fig, axes = _fig(3.4)
    ax, d = axes[0, 0], _dates(s)
    for name, label, st in series:
        _band(ax, d, s["trajectories"][name], st, label)
    ax.set_title(title if len(series) > 1 else f"{title}: {series[0][1]}", fontsize=10)
    ax.set_ylabel(ylabel, fontsize=FONT + 1)
    ax.yaxis.set_major_formatter(FuncFormatter(_grouped))
    _time_axis(ax)
    if len(series) > 1:
        _legend_right(ax)
    return fig


def _small_multiples(s: Summary, series: list[Series], title: str, ylabel: str,
                     sharey: bool = True, ylim: tuple[float, float] | None = None
                     ) -> Figure | None:
    """One panel per series (titled with its label): no legend, nothing tangled."""
    if not series:
        return None
    n = len(series)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = _fig(1.9 * rows + 0.8, rows=rows, cols=cols, sharex=True, sharey=sharey)
    d = _dates(s)
    flat = list(axes.flat)
    for ax, (name, label, st) in zip(flat, series, strict=False):
        _band(ax, d, s["trajectories"][name], st, label)
        ax.set_title(_wrap(label, int(104 / cols)), fontsize=FONT + 1)  # within its panel
        ax.yaxis.set_major_formatter(FuncFormatter(_grouped))
        ax.tick_params(labelsize=FONT - 1)
        _time_axis(ax)
        if ylim is not None:
            ax.set_ylim(*ylim)
    for i, ax in enumerate(flat[n:], start=n):
        ax.remove()
        if i - cols >= 0:
            flat[i - cols].xaxis.set_tick_params(labelbottom=True)
    fig.suptitle(title, fontsize=10)
    fig.supylabel(_wrap(ylabel, int(10 * (1.9 * rows + 0.8))), fontsize=FONT + 1)
    return fig


def outcome_bars(s: Summary, pal: Palette | None = None) -> Figure | None:
    pal = pal or Palette.from_summary(s)
    rows = s["outcomes"] + [s["none"]]
    if not rows:
        return None
    fig, axes = _fig(0.42 * len(rows) + 1.2)
    ax = axes[0, 0]
    p = np.array([r["p"] for r in rows])
    err = np.clip(np.array([[r["p"] - r["low"], r["high"] - r["p"]] for r in rows]).T, 0.0, None)
    y = np.arange(len(rows))[::-1]
    ax.barh(y, p, xerr=err, capsize=3, **bar_styles(pal.outcome(r["id"]) for r in rows))
    for yi, r in zip(y, rows, strict=True):  # the value past the whisker, or inside the bar
        inside = r["high"] > 0.9
        ax.text(r["low"] - 0.012 if inside else r["high"] + 0.012, yi, _share(r["p"]),
                va="center", ha="right" if inside else "left", fontsize=FONT - 1,
                color="white" if inside else "black")
    ax.set_yticks(y, [_wrap(r["label"] + (" (recorded only)" if r.get("absorbing") is False
                                          else ""), 60) for r in rows], fontsize=FONT)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(_percent))
    ax.set_xlabel("share of draws in which it happens by the horizon\n"
                  "(whiskers: 95% Monte Carlo interval)", fontsize=FONT + 1)
    ax.set_title("Outcome probabilities", fontsize=10)
    return fig


def time_to_outcome(s: Summary, pal: Palette | None = None) -> Figure | None:
    pal = pal or Palette.from_summary(s)
    rows = [o for o in s["outcomes"] if max(o["curve"]) > 0]
    if not rows:
        return None
    fig, axes = _fig(3.4 + 0.2 * len(rows))
    ax, d = axes[0, 0], _dates(s)
    for o in rows:
        st = pal.outcome(o["id"])
        if _only_at_the_end(o["curve"]):  # judged at the horizon: a point, not a wall
            ax.plot(d[-1:], o["curve"][-1:], ls="", marker="o", ms=6, color=st.colour,
                    label=_wrap(f"{o['label']} (reached only in the last week: a point)", 90))
            continue
        ax.plot(d, o["curve"], lw=1.6, label=_wrap(o["label"], 90), **st.line())
    ax.set_ylabel("share of draws that\nreached it by the date", fontsize=FONT + 1)
    ax.yaxis.set_major_formatter(FuncFormatter(_percent))
    ax.set_title("Time to outcome", fontsize=10)
    _time_axis(ax)
    _legend_below(fig, *ax.get_legend_handles_labels())
    return fig


def _only_at_the_end(curve: list[float]) -> bool:
    """Zero until the last week (an outcome judged at the horizon): drawn as a line it
    would be a vertical wall at the right edge that says nothing about timing."""
    return len(curve) > 3 and max(curve[:-2]) <= 0 < curve[-1]


def fan_forces(s: Summary, pal: Palette | None = None) -> Figure | None:
    series = _actor_series(s, pal or Palette.from_summary(s), "forces.")
    if len(series) > 2:
        return _small_multiples(s, series, "Forces on the line", "personnel")
    return _fan(s, series, "Forces on the line", "personnel")


def fan_territory(s: Summary, pal: Palette | None = None) -> Figure | None:
    pal = pal or Palette.from_summary(s)
    names = [n for n in s["trajectories"] if n.startswith("territory.") and _has_bands(s, n)]
    series = [(n, pal.name(n.split(".", 1)[1]), NEUTRAL) for n in names]
    if len(series) > 2:
        return _small_multiples(s, series, "Ground taken since the start", "km\u00b2")
    return _fan(s, series, "Ground taken since the start", "km\u00b2")


def fan_revenue(s: Summary, pal: Palette | None = None) -> Figure | None:
    series = _actor_series(s, pal or Palette.from_summary(s), "economy.", ".oil_gas_revenue")
    return _small_multiples(s, series, "Oil and gas budget revenue",
                            "bn per week, in the actor's own currency", sharey=False)


def fan_resolve(s: Summary, pal: Palette | None = None) -> Figure | None:
    series = _actor_series(s, pal or Palette.from_summary(s), "resolve.")
    return _small_multiples(s, series, "Resolve by actor", "resolve (index from 0 to 1)",
                            ylim=(0.0, 1.0))


def rung_probabilities(s: Summary, pal: Palette | None = None) -> Figure | None:
    """Share of draws that reached each rung, week by week. Rungs every draw has reached from
    the first week (lines on top of each other at 100%) share one line, named together; so
    do the rungs no draw ever reaches (lines on top of each other at 0)."""
    pal = pal or Palette.from_summary(s)
    found = [n.rsplit(".", 1)[1] for n in s["trajectories"] if n.startswith("escalation.reached.")]
    if not found:
        return None
    order = [r for r in pal.rungs if r in found] + sorted(set(found) - set(pal.rungs))
    mean = {r: s["trajectories"][f"escalation.reached.{r}"]["mean"] for r in order}
    start = [i for i, r in enumerate(order) if min(mean[r]) >= 1 - 1e-9]
    never = [i for i, r in enumerate(order) if max(mean[r]) <= 0 and i not in start]
    lines: list[tuple[int, str, str]] = []  # number for the order, rung drawn, label
    for group, what, pick in ((start, "reached in every draw from the start", -1),
                              (never, "never reached in any draw", 0)):
        if group:
            lines.append((group[0], order[group[pick]],
                          _group_label(group, [pal.rung_name(order[i]) for i in group], what)))
    lines += [(i, r, f"{i}: {pal.rung_name(r)}") for i, r in enumerate(order)
              if i not in start and i not in never]
    fig, axes = _fig(3.4 + 0.2 * len(lines))
    ax, d = axes[0, 0], _dates(s)
    for _i, rung, label in sorted(lines):
        ax.plot(d, mean[rung], lw=1.6, label=_wrap(label, 90), **pal.rung(rung).line())
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_ylim(-1.5e-4, 1.6)  # lines at 0 and at 100% stay off the frame
    ax.set_yticks([0, 1e-3, 1e-2, 1e-1, 1])
    ax.yaxis.set_major_formatter(FuncFormatter(_percent))
    ax.set_ylabel("share of draws that\nreached the rung by the date", fontsize=FONT + 1)
    ax.set_title("Escalation: how far up the ladder, week by week", fontsize=10)
    _time_axis(ax)
    _legend_below(fig, *ax.get_legend_handles_labels())
    return fig


def _group_label(numbers: list[int], names: list[str], what: str) -> str:
    """``[0, 1], [A, B], 'reached ...'`` -> ``'0-1: reached ... (A; B)'``; one rung:
    ``'0: A: reached ...'``."""
    if len(numbers) == 1:
        return f"{numbers[0]}: {names[0]}: {what}"
    run = numbers == list(range(numbers[0], numbers[-1] + 1))
    nums = f"{numbers[0]}-{numbers[-1]}" if run else ", ".join(map(str, numbers))
    return f"{nums}: {what} ({'; '.join(names)})"


def bargaining(s: Summary, pal: Palette | None = None) -> Figure | None:
    pal = pal or Palette.from_summary(s)
    issues = [n.split(".", 1)[1] for n in s["trajectories"] if n.startswith("forecast.")]
    if not issues:
        return None
    fig, axes = _fig(2.1 * len(issues) + 1.0, rows=len(issues), sharex=True)
    d = _dates(s)
    seen: dict[str, Any] = {}
    for ax, issue in zip(axes[:, 0], issues, strict=True):
        for name, label, st in _actor_series(s, pal, "position.", f".{issue}"):
            seen[name.split(".")[1]] = ax.plot(d, s["trajectories"][name]["mean"], lw=1.4,
                                               label=label, **st.line())[0]
        forecast = ax.plot(d, s["trajectories"][f"forecast.{issue}"]["mean"], color="k",
                           linestyle="--", lw=2.0)[0]
        ax.set_ylim(-2, 102)
        ax.set_title(pal.name(issue), fontsize=FONT + 1)
        ax.tick_params(labelsize=FONT - 1)
        _time_axis(ax)
    fig.supylabel("mean position on the issue's 0-100 scale", fontsize=FONT + 1)
    fig.suptitle("Bargaining: each actor's position, week by week", fontsize=10)
    order = [a for a in pal.actors if a in seen] + sorted(set(seen) - set(pal.actors))
    handles = [seen[a] for a in order] + [forecast]
    labels = [pal.actor_name(a) for a in order] + ["forecast (where the bargaining settles)"]
    _legend_below(fig, handles, labels, ncol=min(4, len(labels)))
    return fig


def _claim_label(c: dict) -> str:
    """A claim in words for an axis: its text shortened to two lines (the id when it has
    no text)."""
    import textwrap

    text = " ".join(str(c.get("text") or "").split())
    if not text:
        return str(c["id"])
    return "\n".join(textwrap.wrap(textwrap.shorten(text, 64, placeholder="..."), 34)[:2])


def claims_margins(s: Summary, pal: Palette | None = None) -> Figure | None:
    """Each claim's credence (share of plausible worlds where it holds) with its 95%
    interval, against its verdict thresholds; fixed claims drawn apart."""
    rows = [c for c in s["claims"]
            if (c.get("credence") if c.get("credence") is not None else c.get("holds_share"))
            is not None]
    if not rows:
        return None
    fig, axes = _fig(0.42 * len(rows) + 1.8)
    ax = axes[0, 0]
    y = np.arange(len(rows))[::-1]
    share = [c["credence"] if c.get("credence") is not None else c["holds_share"] for c in rows]
    ax.barh(y, [max(v, 0.01) for v in share],
            color=[VERDICT_COLOURS.get(c["verdict"], "k") for c in rows])
    for yi, c in zip(y, rows, strict=True):
        ax.plot([c["level"], 1 - c["level"]], [yi, yi], "k|", ms=10)
        if c.get("credence_low") is not None:
            ax.plot([c["credence_low"], c["credence_high"]], [yi, yi], color="k", lw=1)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(_percent))
    ax.set_yticks(y, [_claim_label(c) for c in rows], fontsize=FONT - 1)
    ax.set_xlabel("credence: share of plausible worlds in which the claim holds",
                  fontsize=FONT + 1)
    ax.set_title("Claims", fontsize=10)
    verdicts = [v for v in VERDICT_COLOURS if any(c["verdict"] == v for c in rows)]
    handles = [Patch(color=VERDICT_COLOURS[v]) for v in verdicts]
    labels = [v if v != "fixed" else "fixed by assumption" for v in verdicts]
    handles += [Line2D([], [], color="k", lw=1), Line2D([], [], color="k", marker="|",
                                                        ls="", ms=10)]
    labels += ["95% interval of the credence", "verdict thresholds c and 1 - c"]
    _legend_below(fig, handles, labels, ncol=3)
    return fig


def tornado(s: Summary, pal: Palette | None = None) -> Figure | None:
    """Global indices (SALib) when the run has them, else the given-data first order; each
    bar names the input and the outcome or claim in words, coloured as that outcome."""
    pal = pal or Palette.from_summary(s)
    sens = s.get("sensitivity") or {}
    rows: list[tuple[str, str, float, float]] = []  # target, input, main bar, whisker
    if sens:
        for target, entry in sens.items():
            for r in entry["indices"][:3]:
                main = r.get("ST", r.get("mu_star", 0.0))
                rows.append((target, r["parameter"], main, r.get("S1", np.nan)))
        xlabel = ("total-order Sobol index (bar) and first order (tick)"
                  if "ST" in str(sens) else "Morris mu*: mean absolute elementary effect")
    else:
        for oid, entries in (s.get("sensitivity_given_data") or {}).items():
            for e in entries[:3]:
                rows.append((oid, e["parameter"], e["s1"], np.nan))
        xlabel = "first-order index, estimated from the run's draws"
    rows = [r for r in rows if np.isfinite(r[2]) and r[2] > 0]
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: -r[2])[:18]
    fig, axes = _fig(0.48 * len(rows) + 1.2, 9)
    ax = axes[0, 0]
    y = np.arange(len(rows))[::-1]
    ax.barh(y, [r[2] for r in rows], **bar_styles(pal.outcome(r[0]) for r in rows))
    ax.plot([r[3] for r in rows], y, "k|", ms=12)
    ax.set_yticks(y, [f"{_wrap(pal.input_label(r[1]), 60)}\nfor: {_wrap(pal.target_name(r[0]), 60)}"
                      for r in rows], fontsize=FONT - 1)
    ax.set_xlabel(xlabel, fontsize=FONT + 1)
    ax.set_title("Sensitivity: inputs that move each outcome or claim most", fontsize=10)
    return fig


BANDS = ("Line: the median over the simulated draws. Dark band: the middle 50% of draws "
         "lie in it (25th to 75th percentile). Light band: 90% of draws lie in it (5th to "
         "95th percentile). The bands mix the uncertain inputs and the weekly chance of the "
         "simulation, over a sample of up to 1,000 draws.")

Maker = Callable[..., Figure | None]
FIGURES: list[tuple[str, str, Maker]] = [
    ("outcomes", "Outcome probabilities", outcome_bars),
    ("time_to_outcome", "Time to outcome", time_to_outcome),
    ("forces", "Forces", fan_forces),
    ("territory", "Territory", fan_territory),
    ("revenue", "Revenue", fan_revenue),
    ("resolve", "Resolve", fan_resolve),
    ("rungs", "Escalation rungs", rung_probabilities),
    ("bargaining", "Bargaining trajectories", bargaining),
    ("claims", "Claims", claims_margins),
    ("tornado", "Sensitivity", tornado),
]

CAPTIONS: dict[str, str] = {
    "outcomes": "Bar: the share of all draws in which the outcome happens by the horizon. "
                "Whiskers: its 95% Monte Carlo interval (Wilson), the error that comes from "
                "the finite number of draws only; it is not the spread across uncertain "
                "inputs (that is the 'across worlds' column of the table). 'Recorded only': "
                "an outcome that does not end the draw; the shares of the others and of 'no "
                "absorbing outcome by the horizon' add up to 100%.",
    "time_to_outcome": "Each line: the share of draws in which the outcome has happened by "
                       "that date (cumulative). An outcome reached only in the last week "
                       "(judged at the horizon) is a point at the end. No interval is drawn; "
                       "the table above gives the 95% interval of the end value.",
    "forces": "Personnel in the field, summed over theatres. " + BANDS,
    "territory": "Ground taken since the start of the run. " + BANDS,
    "revenue": "Weekly oil and gas revenue of each budget, in its own currency (one panel "
               "per actor, each with its own scale). " + BANDS,
    "resolve": "One panel per actor, all on the same 0-1 scale. " + BANDS,
    "rungs": "Each line: the share of all draws that have reached the rung (numbered from "
             "the bottom of the ladder) by that date; the scale is logarithmic above 0.1%. "
             "Rungs that every draw has reached from the start are drawn as one line at "
             "100%, and rungs that no draw reaches as one line at 0, each named together "
             "in the legend. No interval is drawn.",
    "bargaining": "Each line: an actor's position averaged over all draws, week by week; "
                  "dashed: the forecast settlement. Means only, no interval is drawn.",
    "claims": "Bar: the credence, the share of plausible worlds in which the claim holds. "
              "Black line: the 95% interval of the credence (bootstrap over the sampled "
              "worlds: how much it would move with another sample of worlds). Ticks: the "
              "verdict thresholds c and 1 - c of the claim's stated confidence.",
    "tornado": "Bar: the input's importance for the outcome or claim (the index named on "
               "the axis; Sobol and given-data indices are shares of the variation, from 0 "
               "to 1); tick: the first-order part when the total-order index is shown. "
               "Point estimates, no interval is drawn.",
}

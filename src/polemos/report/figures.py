"""The report's figures, each a function ``summary -> matplotlib Figure | None``.

A figure returns ``None`` when the run has nothing to show for it (e.g. no escalation
section, so no rung probabilities).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

Summary = dict[str, Any]


def _dates(s: Summary) -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in s["dates"]]


def _fig(h: float = 3.6, w: float = 8.0) -> tuple[Figure, Any]:
    fig, ax = plt.subplots(figsize=(w, h), dpi=110)
    ax.grid(alpha=0.3)
    return fig, ax


def outcome_bars(s: Summary) -> Figure | None:
    rows = s["outcomes"] + [s["none"]]
    if not rows:
        return None
    fig, ax = _fig(0.45 * len(rows) + 1.2)
    p = np.array([r["p"] for r in rows])
    err = np.clip(np.array([[r["p"] - r["low"], r["high"] - r["p"]] for r in rows]).T, 0.0, None)
    y = np.arange(len(rows))[::-1]
    ax.barh(y, p, xerr=err, color="#4C72B0", capsize=3)
    ax.set_yticks(y, [r["label"] for r in rows], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability by the horizon (95% Wilson interval)")
    ax.set_title("Outcome probabilities")
    fig.tight_layout()
    return fig


def time_to_outcome(s: Summary) -> Figure | None:
    if not s["outcomes"]:
        return None
    fig, ax = _fig()
    d = _dates(s)
    for o in s["outcomes"]:
        if max(o["curve"]) > 0:
            ax.plot(d, o["curve"], label=o["label"], lw=1.5)
    ax.set_ylabel("P(reached by date)")
    ax.set_title("Time to outcome")
    ax.legend(fontsize=7, loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _fan(s: Summary, names: list[str], title: str, ylabel: str) -> Figure | None:
    names = [n for n in names if "q50" in s["trajectories"].get(n, {})
             and max(map(abs, s["trajectories"][n]["q95"] + s["trajectories"][n]["q05"])) > 0]
    if not names:
        return None
    fig, ax = _fig()
    d = _dates(s)
    for i, name in enumerate(names[:6]):
        t = s["trajectories"][name]
        c = f"C{i}"
        ax.fill_between(d, t["q05"], t["q95"], color=c, alpha=0.15, lw=0)
        ax.fill_between(d, t["q25"], t["q75"], color=c, alpha=0.3, lw=0)
        ax.plot(d, t["q50"], color=c, lw=1.5, label=name)
    ax.set_title(title + " (median, 50% and 90% bands)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _names(s: Summary, prefix: str, suffix: str = "", depth: int | None = None) -> list[str]:
    out = []
    for n in s["trajectories"]:
        if n.startswith(prefix) and n.endswith(suffix):
            if depth is None or n.count(".") == depth:
                out.append(n)
    return out


def fan_forces(s: Summary) -> Figure | None:
    return _fan(s, _names(s, "forces.", depth=1), "Forces on the line", "personnel")


def fan_territory(s: Summary) -> Figure | None:
    return _fan(s, _names(s, "territory."), "Ground taken since the start", "km2")


def fan_revenue(s: Summary) -> Figure | None:
    return _fan(s, _names(s, "economy.", ".oil_gas_revenue"), "Oil and gas budget revenue",
                "bn per week (national currency)")


def fan_resolve(s: Summary) -> Figure | None:
    return _fan(s, _names(s, "resolve."), "Resolve", "index 0-1")


def rung_probabilities(s: Summary) -> Figure | None:
    names = _names(s, "escalation.reached.")
    if not names:
        return None
    fig, ax = _fig()
    d = _dates(s)
    names = sorted(names, key=lambda n: -s["trajectories"][n]["mean"][-1])  # ladder order
    for name in names:
        ax.plot(d, s["trajectories"][name]["mean"], label=name.rsplit(".", 1)[1], lw=1.4)
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("P(rung reached by date)")
    ax.set_title("Escalation: rung probabilities over time")
    ax.legend(fontsize=7)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def bargaining(s: Summary) -> Figure | None:
    issues = [n.split(".", 1)[1] for n in _names(s, "forecast.")]
    if not issues:
        return None
    fig, axes = plt.subplots(len(issues), 1, figsize=(8, 2.4 * len(issues)), dpi=110,
                             squeeze=False, sharex=True)
    d = _dates(s)
    for ax, issue in zip(axes[:, 0], issues, strict=True):
        ax.grid(alpha=0.3)
        for i, name in enumerate(_names(s, "position.", f".{issue}")):
            ax.plot(d, s["trajectories"][name]["mean"], color=f"C{i}", lw=1.2,
                    label=name.split(".")[1])
        ax.plot(d, s["trajectories"][f"forecast.{issue}"]["mean"], "k--", lw=1.5,
                label="forecast")
        ax.set_ylim(-2, 102)
        ax.set_ylabel(issue, fontsize=8)
        ax.legend(fontsize=6, ncol=4, loc="upper right")
    axes[0, 0].set_title("Bargaining trajectories (mean position per actor, 0-100)")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def claims_margins(s: Summary) -> Figure | None:
    """Each claim's credence (share of plausible worlds where it holds) with its 95%
    interval, against its verdict thresholds; fixed claims drawn apart."""
    rows = [c for c in s["claims"]
            if (c.get("credence") if c.get("credence") is not None else c.get("holds_share"))
            is not None]
    if not rows:
        return None
    fig, ax = _fig(0.36 * len(rows) + 1.4)
    y = np.arange(len(rows))[::-1]
    colour = {"supported": "#2ca02c", "contradicted": "#d62728", "undecided": "#7f7f7f",
              "fixed": "#c5b0d5"}
    share = [c["credence"] if c.get("credence") is not None else c["holds_share"] for c in rows]
    ax.barh(y, [max(v, 0.01) for v in share], color=[colour.get(c["verdict"], "k") for c in rows],
            hatch=None)
    for yi, c in zip(y, rows, strict=True):
        ax.plot([c["level"], 1 - c["level"]], [yi, yi], "k|", ms=10)
        if c.get("credence_low") is not None:
            ax.plot([c["credence_low"], c["credence_high"]], [yi, yi], color="k", lw=1)
    ax.set_xlim(0, 1)
    ax.set_yticks(y, [c["id"] for c in rows], fontsize=7)
    ax.set_xlabel("credence: share of plausible worlds in which the claim holds, 95% interval\n"
                  "(ticks: the verdict thresholds c and 1 - c)")
    ax.set_title("Claims: supported (green), contradicted (red), undecided (grey), "
                 "fixed by assumption (lilac)", fontsize=9)
    fig.tight_layout()
    return fig


def tornado(s: Summary) -> Figure | None:
    """Global indices (SALib) when the run has them, else the given-data first order."""
    sens = s.get("sensitivity") or {}
    rows: list[tuple[str, float, float]] = []  # label, main bar, whisker
    if sens:
        for target, entry in sens.items():
            for r in entry["indices"][:3]:
                main = r.get("ST", r.get("mu_star", 0.0))
                rows.append((f"{target}: {r['parameter']}", main, r.get("S1", np.nan)))
        xlabel = ("total-order index (bar) and first order (tick)"
                  if "ST" in str(sens) else "Morris mu* / sd of the target (mean |elementary effect|)")
    else:
        for oid, entries in (s.get("sensitivity_given_data") or {}).items():
            for e in entries[:3]:
                rows.append((f"{oid}: {e['parameter']}", e["s1"], np.nan))
        xlabel = "first-order index (given data)"
    rows = [r for r in rows if np.isfinite(r[1]) and r[1] > 0]
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: -r[1])[:18]
    fig, ax = _fig(0.36 * len(rows) + 1.2, 9)
    y = np.arange(len(rows))[::-1]
    ax.barh(y, [r[1] for r in rows], color="#DD8452")
    ax.plot([r[2] for r in rows], y, "k|", ms=12)
    ax.set_yticks(y, [r[0] for r in rows], fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_title("Sensitivity: inputs that move each outcome or claim most")
    fig.tight_layout()
    return fig


FIGURES: list[tuple[str, str, Callable[[Summary], Figure | None]]] = [
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

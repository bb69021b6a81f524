"""Scores of the register: Brier, log score, calibration, skill, CRPS.

For a binary question with forecast ``p`` and outcome ``o`` (1 yes, 0 no):

- Brier score ``(p - o)^2`` (Brier 1950), mean over questions; lower is better, 0.25
  for a coin;
- log score ``-ln(p_o)``, ``p_o`` the probability given to what happened, in nats; lower
  is better, ``ln 2 = 0.693`` for a coin. A Monte Carlo ``p`` of exactly 0 or 1 is
  clipped to ``[eps, 1 - eps]`` with ``eps = 0.5 / draws`` (half a draw: the resolution
  of the estimate), so one confident miss costs ``ln(2 draws)``, not infinity;
- skill against a baseline ``b`` on the questions both forecast: ``1 - S_ours / S_b``
  (Brier skill score; positive: better than the baseline). Baselines: a coin (0.5), the
  base rate of the question's reference class where it has one, and each reference
  forecaster entered in the register;
- calibration: forecasts binned by tenths; per bin the count, the mean forecast and the
  observed frequency (the reliability diagram plots one against the other).

For a numeric question, the continuous ranked probability score of the frozen quantiles
taken as an equally weighted ensemble (Gneiting & Raftery 2007, eq. 20;
``scoringrules.crps_ensemble``), in the question's unit; lower is better.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

BINS = 10


def forecasts(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``scenario/question`` -> the first frozen forecast of it (with its entry's facts).

    The first freeze is the one scored: later freezes of the same question are kept in
    the register but cannot replace it (no re-freezing after seeing answers)."""
    out: dict[str, dict[str, Any]] = {}
    for e in entries:
        if e.get("kind") != "freeze":
            continue
        for q in e.get("questions", []):
            key = f"{e['scenario_id']}/{q['id']}"
            if key in out:
                out[key]["later_freezes"] += 1
                continue
            out[key] = {**q, "key": key, "scenario_id": e["scenario_id"],
                        "frozen_at": e["frozen_at"], "as_of": e["as_of"],
                        "contaminated": bool(e.get("contaminated")), "entry": e.get("seq"),
                        "later_freezes": 0}
    return out


def _matches(ref: str, key: str) -> bool:
    return ref == key or ("/" not in ref and key.split("/", 1)[1] == ref)


def latest(entries: list[dict[str, Any]], kind: str, key: str) -> list[dict[str, Any]]:
    """Entries of ``kind`` about question ``key``, in register order."""
    return [e for e in entries if e.get("kind") == kind and _matches(str(e.get("question")), key)]


def _clip(p: float, draws: int) -> float:
    eps = 0.5 / max(int(draws or 1), 1)
    return min(max(p, eps), 1.0 - eps)


def log_loss(p: float, o: int, draws: int) -> float:
    p = _clip(p, draws)
    return -math.log(p if o else 1.0 - p)


def crps(value: float, quantiles: list[float]) -> float:
    import scoringrules as sr

    return float(sr.crps_ensemble(float(value), np.asarray(quantiles, dtype=float)))


def calibration(ps: np.ndarray, os: np.ndarray, bins: int = BINS) -> list[dict[str, Any]]:
    idx = np.minimum((ps * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        m = idx == b
        n = int(m.sum())
        rows.append({"bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "n": n,
                     "mean_forecast": float(ps[m].mean()) if n else None,
                     "observed": float(os[m].mean()) if n else None})
    return rows


def _baseline(name: str, ours: list[tuple[float, int, int]], theirs: list[float]
              ) -> dict[str, Any]:
    o = np.array([x[1] for x in ours], dtype=float)
    p_ours = np.array([x[0] for x in ours])
    p_base = np.array(theirs)
    b_ours = float(((p_ours - o) ** 2).mean())
    b_base = float(((p_base - o) ** 2).mean())
    l_ours = float(np.mean([log_loss(p, int(k), d) for p, k, d in ours]))
    l_base = float(np.mean([log_loss(p, int(k), 10**6) for p, k in zip(p_base, o, strict=True)]))
    return {"name": name, "n": len(ours), "brier": b_base, "log_score": l_base,
            "ours_brier": b_ours, "ours_log_score": l_ours,
            "brier_skill": (1.0 - b_ours / b_base) if b_base > 0 else None,
            "log_skill": (1.0 - l_ours / l_base) if l_base > 0 else None}


def score(entries: list[dict[str, Any]], scenario: str | None = None) -> dict[str, Any]:
    """The scores of every resolved, frozen question in the register ``entries`` (of one
    scenario id when ``scenario`` is given), overall and per scenario."""
    fc = {k: v for k, v in forecasts(entries).items()
          if scenario is None or v["scenario_id"] == scenario}
    result = _score(entries, fc)
    result["by_scenario"] = {
        sid: {k: part[k] for k in ("n_frozen", "n_resolved", "n_binary", "n_numeric", "brier",
                                   "log_score", "contaminated", "backtest")}
        for sid in sorted({q["scenario_id"] for q in fc.values()})
        for part in [_score(entries, {k: q for k, q in fc.items() if q["scenario_id"] == sid})]
    }
    return result


def _score(entries: list[dict[str, Any]], fc: dict[str, dict[str, Any]]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    binary: list[tuple[float, int, int]] = []
    base_rate: tuple[list, list] = ([], [])
    refs: dict[str, tuple[list, list]] = {}
    for key, q in fc.items():
        res = latest(entries, "resolution", key)
        if not res:
            continue
        r = res[-1]
        row = {"question": key, "text": q["text"], "kind": q["kind"], "resolves": q["resolves"],
               "frozen_at": q["frozen_at"], "backtest": bool(q.get("backtest")),
               "contaminated": q["contaminated"], "resolved_on": r["date"],
               "sources": [s.get("title") for s in r.get("sources", [])],
               "corrections": len(res) - 1, "later_freezes": q["later_freezes"]}
        if q["kind"] == "binary":
            if r.get("outcome") is None:
                continue
            o = int(bool(r["outcome"]))
            p = float(q["p"])
            entry = (p, o, int(q.get("draws") or 1))
            binary.append(entry)
            row.update(p=p, p_low=q.get("p_low"), p_high=q.get("p_high"), spread=q.get("spread"),
                       outcome="yes" if o else "no", brier=(p - o) ** 2,
                       log_score=log_loss(p, o, entry[2]))
            rc = q.get("reference_class")
            if rc:
                base_rate[0].append(entry)
                base_rate[1].append(float(rc["base_rate"]))
                row["base_rate"] = float(rc["base_rate"])
            for ref in latest(entries, "reference", key):
                refs.setdefault(ref["name"], ([], []))
                refs[ref["name"]][0].append(entry)
                refs[ref["name"]][1].append(float(ref["p"]))
                row.setdefault("references", {})[ref["name"]] = float(ref["p"])
        else:
            if r.get("value") is None or not q.get("quantiles"):
                continue
            qs = q["quantiles"]
            row.update(value=float(r["value"]), median=float(np.median(qs)), unit=q.get("unit"),
                       q05=float(np.quantile(qs, 0.05)), q95=float(np.quantile(qs, 0.95)),
                       crps=crps(float(r["value"]), qs))
        rows.append(row)
    return _assemble(rows, binary, base_rate, refs, len(fc))


def _assemble(rows: list[dict[str, Any]], binary: list[tuple[float, int, int]],
              base_rate: tuple[list, list], refs: dict[str, tuple[list, list]],
              n_frozen: int) -> dict[str, Any]:
    ps = np.array([b[0] for b in binary])
    os = np.array([b[1] for b in binary], dtype=float)
    baselines = {}
    if binary:
        baselines["coin"] = _baseline("coin (0.5)", binary, [0.5] * len(binary))
    if base_rate[0]:
        baselines["base_rate"] = _baseline("reference-class base rate", *base_rate)
    for name, (ours, theirs) in sorted(refs.items()):
        baselines[f"reference:{name}"] = _baseline(name, ours, theirs)
    crps_rows = [r["crps"] for r in rows if "crps" in r]
    return {
        "n_frozen": n_frozen, "n_resolved": len(rows), "n_binary": len(binary),
        "n_numeric": len(crps_rows),
        "brier": float(((ps - os) ** 2).mean()) if binary else None,
        "log_score": float(np.mean([log_loss(*b) for b in binary])) if binary else None,
        "base_rate_yes": float(os.mean()) if binary else None,
        "calibration": calibration(ps, os) if binary else [],
        "baselines": baselines,
        "backtest": any(r["backtest"] for r in rows),
        "contaminated": any(r["contaminated"] for r in rows),
        "orientation": "lower is better for brier, log_score (nats) and crps; "
                       "skill = 1 - ours / baseline, positive when better",
        "by_question": rows,
    }


def reliability_plot(result: dict[str, Any], path: str) -> str:
    """Write the reliability diagram (mean forecast vs observed frequency per bin)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect calibration")
    pts = [(r["mean_forecast"], r["observed"], r["n"]) for r in result["calibration"] if r["n"]]
    if pts:
        x, y, n = zip(*pts, strict=True)
        ax.scatter(x, y, s=[30 + 20 * k for k in n], zorder=3, label="forecast bins (size: count)")
        ax.plot(x, y, zorder=2)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed frequency")
    brier = result.get("brier")
    ax.set_title(f"Reliability: {result['n_binary']} resolved yes/no questions"
                 + (f", Brier {brier:.3f}" if brier is not None else ""))
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path

"""The Python API for notebooks: ``polemos.load``, ``polemos.run``, ``polemos.compare``.

::

    import polemos
    result = polemos.run("scenarios/venezuela-2025-10.yaml", draws=500, seed=1)
    result.outcomes          # one row per outcome: id, label, p, low, high, count, ...
    result.claims            # one row per claim: id, verdict, credence, reading, ...
    result.drivers           # one row per (claim, input): effect on the claim
    result.sensitivity       # one row per (target, input): sensitivity index
    result.draws()           # one row per draw: outcome label, weeks to each outcome, inputs
    result.trajectories()    # one row per (variable, week): mean and quantiles
    result.report("out/")    # the HTML report
    polemos.compare(result_a, result_b)  # paired differences of outcome probabilities

Every table is a labelled pandas DataFrame: ids for code, ``label`` columns in plain
words for people (built by :mod:`polemos.scenario.labels`). Results are read back from
the run store, so ``polemos.Result.open(run_id, store=...)`` reopens any stored run.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

__all__ = ["Result", "compare", "load", "run"]

DRAW_COLUMNS = {
    "draw": "draw index (0-based; with the seed it reproduces the draw)",
    "outcome": "label of the absorbing outcome the draw ended in; missing if none by the horizon",
    "outcome_id": "id of that outcome; missing if none",
    "weeks_to:<outcome id>": "weeks from the scenario's as_of date to the first week the "
                             "outcome held; missing if never by the horizon",
    "<state variable>[ at <date>]": "value of a state variable an outcome or claim reads, "
                                    "at the horizon or at the date named",
    "<input path>": "value drawn for an uncertain input (the path of the number in the scenario)",
}


def resolve_run(store: Any, prefix: str | None) -> str:
    """The run id ``prefix`` names in ``store`` (default: the latest run).

    Raises ``KeyError`` with a message a user can act on: no runs, no match, or an
    ambiguous prefix with its candidates listed.
    """
    rows = store.runs()
    if not rows:
        raise KeyError(f"no runs in {store.root}; start one with `polemos run FILE`")
    if not prefix:
        return rows[-1]["run_id"]
    ids = [r["run_id"] for r in rows]
    if prefix in ids:
        return prefix
    found = [i for i in ids if i.startswith(prefix)]
    if len(found) == 1:
        return found[0]
    if found:
        shown = "\n  ".join(found[-10:])
        more = f"\n  ... and {len(found) - 10} more" if len(found) > 10 else ""
        raise KeyError(f"{prefix!r} matches {len(found)} runs; give more of the id:\n  "
                       f"{shown}{more}")
    recent = "\n  ".join(ids[-5:])
    raise KeyError(f"no run {prefix!r} in {store.root}; recent runs:\n  {recent}")


def load(path: str | Path, overrides: dict[str, Any] | None = None) -> Any:
    """Read and validate a scenario file (errors are located: file, line, field)."""
    from polemos.scenario import load_scenario

    return load_scenario(path, overrides or None)


def _scenario(path_or_scenario: Any, overrides: dict[str, Any] | None) -> tuple[Any, str]:
    if isinstance(path_or_scenario, (str, Path)):
        return load(path_or_scenario, overrides), str(path_or_scenario)
    if overrides:
        from polemos.scenario.load import dump_scenario, loads_scenario

        name = f"<{path_or_scenario.meta.id}>"
        return loads_scenario(dump_scenario(path_or_scenario), name, overrides), ""
    return path_or_scenario, ""


def run_options(**kw: Any) -> Any:
    """``RunOptions`` from keywords; ``None`` values keep the defaults.

    Options this version of the engine does not know (``worlds``, ``paths`` before the
    worlds x paths design) raise a clear error instead of being ignored.
    """
    from polemos.engine import RunOptions

    known = {f.name for f in dataclasses.fields(RunOptions)}
    given = {k: v for k, v in kw.items() if v is not None}
    unknown = sorted(set(given) - known)
    if unknown:
        raise TypeError(f"this version of polemos has no run option {', '.join(unknown)}")
    return RunOptions(**given)


def run(path_or_scenario: Any, *, draws: int | None = None, worlds: int | None = None,
        paths: int | None = None, seed: int = 0, store: str | Path | None = None,
        overrides: dict[str, Any] | None = None, design: str = "plain",
        sensitivity: int = 0, progress: bool = False) -> Result:
    """Simulate a scenario (a file path or a loaded scenario) and return its :class:`Result`.

    ``draws`` Monte Carlo draws (default 2,000), or ``worlds`` sampled input sets times
    ``paths`` simulated histories each; ``seed`` makes the run reproducible bit for bit;
    ``store`` is the run store directory (default ``.polemos``, or ``$POLEMOS_STORE``);
    ``overrides`` maps dotted paths to values (``{"actors.RUS.influence": 90}``);
    ``sensitivity`` > 0 adds the SALib analysis with that base sample size.
    """
    from polemos.engine import run_scenario
    from polemos.store import Store

    scenario, path = _scenario(path_or_scenario, overrides)
    if draws is None and worlds is None:
        draws = 2000
    opts = run_options(draws=draws, worlds=worlds, paths=paths, seed=seed, design=design,
                       overrides={k: str(v) for k, v in (overrides or {}).items()},
                       progress=progress)
    st = Store(store)
    run_id, summary = run_scenario(scenario, opts, st, path=path, sensitivity=sensitivity)
    return Result(st, run_id, summary=summary, scenario=scenario)


def compare(a: Any, b: Any, **run_kwargs: Any) -> Any:
    """Outcome probabilities of B against A with paired 95% intervals (a DataFrame).

    ``a`` and ``b`` are :class:`Result` objects of one store, or scenarios (paths or
    loaded), which are then run with the same seed and ``run_kwargs`` so the draws pair.
    The claims' verdicts in both are in ``.attrs["claims"]``.
    """
    import pandas as pd

    from polemos.engine.compare import compare_runs

    if not isinstance(a, Result):
        a = run(a, **run_kwargs)
    if not isinstance(b, Result):
        b = run(b, **{"store": a.store.root, **run_kwargs})
    if Path(a.store.root).resolve() != Path(b.store.root).resolve():
        raise ValueError("compare needs both runs in one store: pass store= to both runs")
    out = compare_runs(a.store, a.run_id, b.run_id)
    df = pd.DataFrame(out["outcomes"])
    df.attrs.update({"a": a.run_id, "b": b.run_id, "paired": out["paired"],
                     "draws": out["draws"], "claims": pd.DataFrame(out["claims"])})
    return df


class Result:
    """A stored run, read as labelled tables."""

    def __init__(self, store: Any, run_id: str, *, summary: dict[str, Any] | None = None,
                 scenario: Any | None = None):
        self.store = store
        self.run_id = run_id
        self._summary = summary
        self._scenario = scenario

    @classmethod
    def open(cls, run_id: str | None = None, store: str | Path | None = None) -> Result:
        """Reopen a stored run by id or unique prefix (default: the latest)."""
        from polemos.store import Store

        st = Store(store)
        return cls(st, resolve_run(st, run_id))

    def __repr__(self) -> str:
        s = self.summary
        return (f"<polemos.Result {self.run_id}: {s['record']['title']}, {s['draws']:,} draws, "
                f"{len(s['outcomes'])} outcomes, {len(s['claims'])} claims>")

    # -- raw pieces -----------------------------------------------------------------
    @property
    def summary(self) -> dict[str, Any]:
        """The stored summary (nested dicts), as ``polemos run --json`` prints it."""
        if self._summary is None:
            self._summary = self.store.summary(self.run_id)
        return self._summary

    @property
    def scenario(self) -> Any:
        """The scenario as it was run (overrides applied)."""
        if self._scenario is None:
            from polemos.engine.runner import job_of_run, scenario_of

            self._scenario = scenario_of(job_of_run(self.store, self.run_id))
        return self._scenario

    @property
    def labeller(self) -> Any:
        from polemos.scenario.labels import Labeller

        if not hasattr(self, "_labeller"):
            self._labeller = Labeller(self.scenario)
        return self._labeller

    # -- tables ---------------------------------------------------------------------
    @property
    def outcomes(self) -> Any:
        """One row per outcome (and ``none``): id, label, p, low, high (95% interval), count.

        With worlds x paths, ``spread_p05``/``spread_p50``/``spread_p95`` give the spread of
        P(outcome | world) across worlds.
        """
        import pandas as pd

        rows = []
        for o in [*self.summary["outcomes"], self.summary["none"]]:
            row = {k: o.get(k) for k in ("id", "label", "p", "low", "high", "count", "absorbing")}
            for k, v in (o.get("spread") or {}).items():
                row[f"spread_{k}"] = v
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def claims(self) -> Any:
        """One row per claim: id, text, verdict, credence and interval, reading, margin, ..."""
        import pandas as pd

        keys = ("id", "text", "source", "expr", "confidence", "level", "verdict", "credence",
                "credence_low", "credence_high", "decidable", "fixed_reason", "conditions_text",
                "reading", "value", "margin", "holds_share", "coverage", "density", "error")
        rows = []
        for c in self.summary["claims"]:
            row = {k: c.get(k) for k in keys if k in c or k in ("id", "verdict")}
            mi = c.get("margin_interval") or [None, None]
            row["margin_low"], row["margin_high"] = mi[0], mi[1]
            rows.append(row)
        return pd.DataFrame(rows, columns=None if rows else ["id", "verdict"])

    @property
    def drivers(self) -> Any:
        """One row per (claim, input): the inputs that move each claim most, labelled."""
        import pandas as pd

        rows = []
        for c in self.summary["claims"]:
            for rank, d in enumerate(c.get("drivers") or [], start=1):
                rows.append({"claim": c["id"], "rank": rank, "parameter": d["parameter"],
                             "label": d.get("label") or self.labeller(d["parameter"]),
                             **{k: v for k, v in d.items() if k not in ("parameter", "label")}})
        return pd.DataFrame(rows, columns=None if rows else ["claim", "rank", "parameter",
                                                              "label", "effect"])

    @property
    def sensitivity(self) -> Any:
        """One row per (target, input, index): the sensitivity analyses of the run.

        ``method`` ``given-data`` is the first-order index estimated from the run's own
        worlds (always present: the share of the spread across worlds of an outcome's
        probability that one input explains, among the inputs a model reads);
        ``sobol``/``morris`` rows appear after ``sensitivity=N``.
        """
        import pandas as pd

        rows = []
        for target, items in (self.summary.get("sensitivity_given_data") or {}).items():
            for r in items:
                rows.append({"target": target, "parameter": r["parameter"],
                             "label": self.labeller(r["parameter"]), "method": "given-data",
                             "index": "S1", "value": r.get("s1")})
        for target, block in (self.summary.get("sensitivity") or {}).items():
            for r in (block or {}).get("indices", []):
                for key, value in r.items():
                    if key != "parameter" and isinstance(value, (int, float)):
                        rows.append({"target": target, "parameter": r["parameter"],
                                     "label": self.labeller(r["parameter"]),
                                     "method": self.summary.get("sensitivity_method", "salib"),
                                     "index": key, "value": value})
        return pd.DataFrame(rows, columns=["target", "parameter", "label", "method", "index",
                                           "value"])

    def draws(self) -> Any:
        """One row per draw (see :data:`DRAW_COLUMNS`; ``.attrs["columns"]`` describes each)."""
        import numpy as np
        import pandas as pd

        raw = self.store.read_draws(self.run_id)
        outs = self.summary["outcomes"]
        code = raw["outcome"].to_numpy()
        valid = (code >= 0) & (code < len(outs))
        ids = np.array([o["id"] for o in outs] + [None], dtype=object)
        labels = np.array([o["label"] for o in outs] + [None], dtype=object)
        pick = np.where(valid, code, len(outs))
        cols: dict[str, Any] = {"draw": raw["draw"].to_numpy(),
                                "outcome": pd.array(labels[pick], dtype="string"),
                                "outcome_id": pd.array(ids[pick], dtype="string")}
        described = {"draw": DRAW_COLUMNS["draw"], "outcome": DRAW_COLUMNS["outcome"],
                     "outcome_id": DRAW_COLUMNS["outcome_id"]}
        for name in raw.columns:
            if name in ("draw", "block", "outcome"):
                continue
            kind, _, rest = name.partition(":")
            values = raw[name]
            if kind == "t":
                new = f"weeks_to:{rest}"
                values = values.where(values >= 0).astype("float64")
                described[new] = f"weeks until '{self.labeller(rest)}' first held; missing if never"
            elif kind == "o":
                var, _, when = rest.partition("@")
                new = f"{var} at {when}" if when else var
                described[new] = self.labeller(rest)
            else:
                new = rest if kind == "p" else name
                described[new] = self.labeller(rest if kind == "p" else name)
            cols[new] = values.to_numpy() if hasattr(values, "to_numpy") else values
        df = pd.DataFrame(cols)
        df.attrs["columns"] = described
        return df

    def trajectories(self) -> Any:
        """A long table: one row per (variable, week) with date, mean and quantiles."""
        import pandas as pd

        dates = self.summary.get("dates") or []
        frames = []
        for var, stats in (self.summary.get("trajectories") or {}).items():
            n = len(stats.get("mean", []))
            frame = pd.DataFrame({"variable": var, "label": self.labeller(var),
                                  "week": range(n),
                                  "date": pd.to_datetime(dates[:n]) if len(dates) >= n else pd.NaT})
            for key, values in stats.items():
                frame[key] = pd.to_numeric(pd.Series(values, dtype="float64"))
            frames.append(frame)
        if not frames:
            return pd.DataFrame(columns=["variable", "label", "week", "date", "mean"])
        return pd.concat(frames, ignore_index=True)

    def report(self, path: str | Path | None = None) -> Path:
        """Write the HTML report (and its PNG figures) into directory ``path``; return the file."""
        from polemos.report import write_report

        return write_report(self.store, self.run_id, Path(path) if path is not None else None)

"""Readers for bargaining inputs: KTAB's CSV format, a plain CSV, and KTAB run logs.

* KTAB CSV (KAPSARC Toolkit for Behavioral Analysis, MIT licence): line 1 is
  ``name, description, n_actors, n_dims``; line 2 the header ``Actor, Description,
  Influence|Power, <dim> Position, <dim> Salience, ...``; then one row per actor.
  Positions and saliences are on 0-100 scales.
* Plain CSV: a header with ``actor, capability, position, salience`` (salience 0-100;
  optional ``issue`` column for several issues in one file; optional ``name``).
* KTAB log (``*_ref-*.txt``): the "History of actor positions over time" and
  "History of actors' winning probabilities" tables at the end of a run.

Everything is returned as :class:`BargainingInput` with saliences divided by 100, so
the arrays go straight into :mod:`polemos.models.bargaining` kernels.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


class BargainingFormatError(ValueError):
    """A bargaining input file does not follow the expected format (message says where)."""


@dataclass
class BargainingInput:
    """One issue (possibly multi-dimensional) ready for the bargaining kernels.

    ``capability``: ``(n_actors,)``; ``position`` and ``salience``: ``(n_actors, n_dims)``
    with saliences in [0, 1]; ``dims``: dimension names; ``scale``: the position range.
    """

    name: str
    actors: list[str]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    dims: list[str] = field(default_factory=lambda: ["position"])
    description: str = ""
    actor_names: list[str] = field(default_factory=list)
    scale: tuple[float, float] = (0.0, 100.0)

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    def dimension(self, k: int) -> BargainingInput:
        """The one-dimensional issue made of dimension ``k``."""
        return BargainingInput(
            name=f"{self.name}:{self.dims[k]}" if len(self.dims) > 1 else self.name,
            actors=list(self.actors),
            capability=self.capability.copy(),
            position=self.position[:, k : k + 1].copy(),
            salience=self.salience[:, k : k + 1].copy(),
            dims=[self.dims[k]],
            description=self.description,
            actor_names=list(self.actor_names),
            scale=self.scale,
        )


def _float(text: str, where: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise BargainingFormatError(f"{where}: expected a number, got {text.strip()!r}") from None


def _rows(text: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    # KTAB rows end with a trailing comma; drop empty trailing cells and blank lines
    out = []
    for row in rows:
        while row and row[-1] == "":
            row.pop()
        if row:
            out.append(row)
    return out


def is_ktab(text: str) -> bool:
    """True when ``text`` looks like a KTAB scenario CSV (counts on line 1)."""
    rows = _rows(text)
    if len(rows) < 2 or len(rows[0]) < 4:
        return False
    try:
        int(rows[0][2]), int(rows[0][3])
    except ValueError:
        return False
    return True


def parse_ktab_csv(text: str, source: str = "<ktab>") -> BargainingInput:
    """Parse KTAB's scenario CSV (see module docstring)."""
    rows = _rows(text)
    if len(rows) < 2:
        raise BargainingFormatError(f"{source}: a KTAB file needs a title line and a header")
    title = rows[0]
    if len(title) < 4:
        raise BargainingFormatError(f"{source}:1: expected 'name, description, n_actors, n_dims'")
    n_actors = int(_float(title[2], f"{source}:1 (number of actors)"))
    n_dims = int(_float(title[3], f"{source}:1 (number of dimensions)"))
    header = rows[1]
    if len(header) < 3 + 2 * n_dims:
        raise BargainingFormatError(
            f"{source}:2: header has {len(header)} columns, need 3 + 2 x {n_dims} dimensions"
        )
    dims = [re.sub(r"\s*position\s*$", "", header[3 + 2 * k], flags=re.I) or header[3 + 2 * k]
            for k in range(n_dims)]
    body = rows[2 : 2 + n_actors]
    if len(body) != n_actors:
        raise BargainingFormatError(f"{source}: line 1 announces {n_actors} actors, found {len(body)}")
    actors, names, cap, pos, sal = [], [], [], [], []
    for r, row in enumerate(body, start=3):
        if len(row) < 3 + 2 * n_dims:
            raise BargainingFormatError(f"{source}:{r}: expected {3 + 2 * n_dims} values, got {len(row)}")
        actors.append(row[0])
        names.append(row[1])
        cap.append(_float(row[2], f"{source}:{r} (influence)"))
        pos.append([_float(row[3 + 2 * k], f"{source}:{r} (position {k + 1})") for k in range(n_dims)])
        sal.append([_float(row[4 + 2 * k], f"{source}:{r} (salience {k + 1})") for k in range(n_dims)])
    sal_arr = np.asarray(sal) / 100.0
    if (sal_arr < 0).any() or (sal_arr > 1).any():
        raise BargainingFormatError(f"{source}: saliences must lie in 0-100")
    return BargainingInput(
        name=title[0],
        description=title[1],
        actors=actors,
        actor_names=names,
        capability=np.asarray(cap, dtype=float),
        position=np.asarray(pos, dtype=float),
        salience=sal_arr,
        dims=dims,
    )


def parse_plain_csv(text: str, source: str = "<csv>") -> dict[str, BargainingInput]:
    """Parse ``actor,capability,position,salience[,issue]`` rows; one input per issue."""
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower(): f for f in (reader.fieldnames or [])}
    missing = {"actor", "capability", "position", "salience"} - set(fields)
    if missing:
        raise BargainingFormatError(
            f"{source}: missing column(s) {sorted(missing)}; expected a header "
            "'actor,capability,position,salience' (optional 'issue')"
        )
    issues: dict[str, list[tuple[str, float, float, float]]] = {}
    for r, row in enumerate(reader, start=2):
        cell = {k: (row.get(f) or "").strip() for k, f in fields.items()}
        if not cell["actor"]:
            continue
        issues.setdefault(cell.get("issue") or "issue", []).append(
            (
                cell["actor"],
                _float(cell["capability"], f"{source}:{r} (capability)"),
                _float(cell["position"], f"{source}:{r} (position)"),
                _float(cell["salience"], f"{source}:{r} (salience)"),
            )
        )
    if not issues:
        raise BargainingFormatError(f"{source}: no actor rows")
    out = {}
    for issue, rows in issues.items():
        sal = np.array([[r[3]] for r in rows]) / 100.0
        if (sal < 0).any() or (sal > 1).any():
            raise BargainingFormatError(f"{source}: saliences must lie in 0-100 (issue {issue!r})")
        pos = np.array([[r[2]] for r in rows])
        out[issue] = BargainingInput(
            name=issue,
            actors=[r[0] for r in rows],
            actor_names=[r[0] for r in rows],
            capability=np.array([r[1] for r in rows]),
            position=pos,
            salience=sal,
            scale=(float(pos.min()), float(pos.max())),
        )
    return out


def read_bargaining_csv(path: str | os.PathLike[str]) -> dict[str, BargainingInput]:
    """Read a KTAB or plain CSV; returns ``{issue_id: BargainingInput}``."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if is_ktab(text):
        inp = parse_ktab_csv(text, str(path))
        return {inp.name: inp}
    return parse_plain_csv(text, str(path))


@dataclass
class KtabLog:
    """The final tables of a KTAB SMP run log."""

    positions: dict[str, np.ndarray]  # actor -> (n_states, n_dims)
    probabilities: dict[str, np.ndarray]  # actor -> (n_states,)
    dims: list[str]
    seed: int | None = None
    params: dict[str, str] = field(default_factory=dict)

    def final_positions(self, actors: list[str]) -> np.ndarray:
        return np.array([self.positions[a][-1] for a in actors])

    def final_probabilities(self, actors: list[str]) -> np.ndarray:
        return np.array([self.probabilities[a][-1] for a in actors])


def parse_ktab_log(text: str) -> KtabLog:
    """Parse KTAB's position and probability histories (and its parameters) from a log."""
    pos: dict[str, dict[str, list[float]]] = {}
    prob: dict[str, list[float]] = {}
    dims: list[str] = []
    params: dict[str, str] = {}
    seed = None
    section = None
    for line in text.splitlines():
        if line.startswith("History of actor positions"):
            section = "pos"
            continue
        if line.startswith("History of actors' winning probabilities"):
            section = "prob"
            continue
        m = re.match(r"Using PRNG seed:\s*(\d+)", line)
        if m:
            seed = int(m.group(1))
        m = re.match(r"(VictoryProbModel|VotingRule|PCEModel|StateTransitions|BigRRange|BigRAdjust|"
                     r"ThirdPartyCommit|InterVecBrgn|BargnModel):\s*(\S+)", line)
        if m:
            params[m.group(1)] = m.group(2)
        if section == "pos":
            m = re.match(r"^(.+?),\s*([^:]+):\s+(.*)$", line)
            if not m:
                section = None
                continue
            actor, dim, values = m.group(1).strip(), m.group(2).strip(), m.group(3)
            if dim not in dims:
                dims.append(dim)
            pos.setdefault(actor, {})[dim] = [float(v) for v in values.split()]
        elif section == "prob":
            m = re.match(r"^(.+?),\s*prob\s*:\s+(.*)$", line)
            if not m:
                section = None
                continue
            prob[m.group(1).strip()] = [float(v) for v in m.group(2).split()]
    if not pos or not prob:
        raise BargainingFormatError("KTAB log: position or probability history not found")
    positions = {a: np.array([d[k] for k in dims]).T for a, d in pos.items()}
    return KtabLog(
        positions=positions,
        probabilities={a: np.array(v) for a, v in prob.items()},
        dims=dims,
        seed=seed,
        params=params,
    )


def read_ktab_log(path: str | os.PathLike[str]) -> KtabLog:
    return parse_ktab_log(Path(path).read_text(encoding="utf-8", errors="replace"))

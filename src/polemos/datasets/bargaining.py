"""Readers for bargaining inputs: KTAB's CSV format, a plain CSV, and KTAB run logs.

* KTAB CSV (KAPSARC Toolkit for Behavioral Analysis, MIT licence): line 1 is
  ``name, description, n_actors, n_dims``; line 2 the header ``Actor, Description,
  Influence|Power, <dim> Position, <dim> Salience, ...``; then one row per actor.
  Positions and saliences are on 0-100 scales.
* Plain CSV: a header with ``actor, capability, position, salience`` (salience 0-100;
  optional ``issue`` column for several issues in one file; optional ``name``).
* decide format (``#A``/``#P``/``#M``/``#D`` rows, tab-separated, quoted fields): the
  exchange-model literature's data sets, see :func:`parse_decide`.
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
    notes: list[str] = field(default_factory=list)

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


# ----------------------------------------------------------------------------- decide format

DECIDE_KEYS = ("#A", "#P", "#D", "#M", "#O", "#/")
"""Row keys of the decide-exchange-model input format (see :func:`parse_decide`)."""


def _sniff_dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of ``text`` (tab, semicolon, comma or pipe), sniffed by the
    standard library from the first lines; the most frequent of those delimiters on the
    first line when sniffing fails."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t;,|")
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        delim = max("\t;,|", key=first.count)

        class _Dialect(csv.excel):
            delimiter = delim

        return _Dialect


def is_decide(text: str) -> bool:
    """True when the first non-blank row starts with a decide key (``#A``, ``#P``, ...)."""
    for line in text.splitlines():
        cell = line.strip().lstrip('"').strip()
        if cell:
            return any(cell.startswith(k) for k in DECIDE_KEYS)
    return False


def parse_decide(text: str, source: str = "<decide>") -> dict[str, BargainingInput]:
    """Parse the decide-exchange-model input format; one input per issue.

    The format of the exchange-model literature's data sets (Stokman & Van Oosten 1994;
    Thomson, Stokman, Achen & Koenig 2006, *The European Union Decides*) as read by the
    ``decide-exchange-model`` program (``decide/data/reader.py``, ``types.py``): one row
    per record, delimiter tab (or semicolon or comma, sniffed), fields optionally quoted;
    the first field is the row's key:

    * ``#A  actor_id  full name  [comment]``
    * ``#P  issue_id  description  [comment]``
    * ``#M  issue_id  position  meaning`` (optional: positions that define the scale)
    * ``#D  actor_id  issue_id  position  salience  power  [comment]``, salience and
      power in [0, 1] (power may differ by issue)
    * ``#/  comment`` and ``#O  description`` are ignored.

    The issue's scale is the range of its ``#M`` positions, else 0-100 (the program's
    default), widened to cover the actors' positions. Errors name the file, line and field.
    """
    text = "\n".join(text.splitlines())  # any line ending (\r, \r\n) as \n
    try:
        rows = list(csv.reader(io.StringIO(text), _sniff_dialect(text)))
    except csv.Error as exc:
        raise BargainingFormatError(f"{source}: not a delimited text file ({exc})") from None
    actors: dict[str, str] = {}
    issues: dict[str, str] = {}
    marks: dict[str, list[float]] = {}
    data: dict[str, list[tuple[str, float, float, float, int]]] = {}
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        key = cells[0]
        where = f"{source}:{line}"
        if key in ("#/", "#O"):
            continue
        if key not in DECIDE_KEYS:
            raise BargainingFormatError(
                f"{where}: row key {key!r} is not one of {', '.join(DECIDE_KEYS)} "
                "(decide format: #A actor, #P issue, #M scale mark, #D actor issue position "
                "salience power)")
        need = {"#A": 2, "#P": 2, "#M": 3, "#D": 6}[key]
        if len(cells) < need:
            fields = {"#A": "#A, actor id, name", "#P": "#P, issue id, description",
                      "#M": "#M, issue id, position, meaning",
                      "#D": "#D, actor id, issue id, position, salience, power"}[key]
            raise BargainingFormatError(
                f"{where}: a {key} row needs {need} fields ({fields}); got {len(cells)}")
        if key == "#A":
            actors[cells[1]] = cells[2] if len(cells) > 2 else cells[1]
        elif key == "#P":
            issues[cells[1]] = cells[2] if len(cells) > 2 else cells[1]
        elif key == "#M":
            marks.setdefault(cells[1], []).append(_float(cells[2], f"{where} (position)"))
        else:
            actor, issue = cells[1], cells[2]
            pos = _float(cells[3], f"{where} (position)")
            sal = _float(cells[4], f"{where} (salience)")
            power = _float(cells[5], f"{where} (power)")
            if not (0.0 <= sal <= 1.0 and 0.0 <= power <= 1.0):
                raise BargainingFormatError(
                    f"{where}: salience and power must lie in [0, 1] (decide format), "
                    f"got salience {sal:g}, power {power:g}")
            if (actor, issue) in seen:
                raise BargainingFormatError(f"{where}: a second #D row for actor {actor!r} "
                                            f"on issue {issue!r}; keep one")
            seen.add((actor, issue))
            data.setdefault(issue, []).append((actor, pos, sal, power, line))
    if not data:
        raise BargainingFormatError(f"{source}: no #D rows (actor, issue, position, salience, "
                                    "power): nothing to forecast")
    out = {}
    for issue, recs in data.items():
        for actor, *_, line in recs:
            if actor not in actors:
                raise BargainingFormatError(f"{source}:{line}: actor {actor!r} has no #A row; "
                                            "add '#A<TAB>id<TAB>name'")
        if issue not in issues:
            raise BargainingFormatError(f"{source}:{recs[0][-1]}: issue {issue!r} has no #P "
                                        "row; add '#P<TAB>id<TAB>description'")
        pos = np.array([[r[1]] for r in recs])
        lo, hi = (min(marks[issue]), max(marks[issue])) if issue in marks else (0.0, 100.0)
        lo, hi = min(lo, float(pos.min())), max(hi, float(pos.max()))
        if not hi > lo:
            hi = lo + 1.0
        out[issue] = BargainingInput(
            name=issue,
            description=issues[issue],
            actors=[r[0] for r in recs],
            actor_names=[actors[r[0]] for r in recs],
            capability=np.array([r[3] for r in recs]),
            position=pos,
            salience=np.array([[r[2]] for r in recs]),
            scale=(lo, hi),
        )
    return out


def read_bargaining_file(path: str | os.PathLike[str]) -> dict[str, BargainingInput]:
    """Read a decide-format file, a KTAB XML scenario, a KTAB CSV or a plain CSV (detected
    from the content)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if is_decide(text):
        return parse_decide(text, str(path))
    if text.lstrip().startswith("<"):
        inp = parse_ktab_xml(text, str(path))
        return {inp.name: inp}
    return read_bargaining_csv(path)


# ----------------------------------------------------------------------------- KTAB XML

KTAB_DEFAULTS = {
    "VictoryProbModel": "Linear", "PCEModel": "Conditional", "StateTransitions": "Deterministic",
    "VotingRule": "Prop", "BigRAdjust": "OneThird", "BigRRange": "Mid",
    "ThirdPartyCommit": "SemiCommit", "InterVecBrgn": "S2P2", "BargnModel": "InitOnlyInterp",
}
"""KTAB's SMP defaults (smp.h, kmodel.h), which ``polemos.models.bargaining.smp`` follows."""


def parse_ktab_xml(text: str, source: str = "<ktab xml>") -> BargainingInput:
    """Parse a KTAB SMP scenario in XML (the ``smpc``/``SMPQ`` format; KTAB
    ``examples/smp/doc/*.xml``, read by ``SMPModel::xmlRead``): ``Scenario`` with
    ``name``, ``desc``, ``Dimensions/dName``, and ``Actors/Actor`` each with ``name``,
    ``description``, ``capability``, ``Position/dCoord`` and ``Salience/dSal`` (0-100)
    per dimension. ``ModelParameters`` other than KTAB's defaults and ``IdealAdjustment``
    are not modelled here: they are returned as notes. Entity declarations are refused
    (no entity expansion on untrusted files)."""
    import xml.etree.ElementTree as ET

    if "<!ENTITY" in text or "<!DOCTYPE" in text:
        raise BargainingFormatError(f"{source}: DOCTYPE/ENTITY declarations are not accepted "
                                    "in a KTAB scenario")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise BargainingFormatError(f"{source}:{line}:{col}: not well-formed XML ({exc.msg})"
                                    ) from None
    if root.tag != "Scenario":
        raise BargainingFormatError(f"{source}: the root element is <{root.tag}>; a KTAB "
                                    "scenario starts with <Scenario>")
    dims = [(d.text or "").strip() for d in root.findall("Dimensions/dName")]
    if not dims:
        raise BargainingFormatError(f"{source}: no <Dimensions><dName> elements")
    actors = root.findall("Actors/Actor")
    if len(actors) < 2:
        raise BargainingFormatError(f"{source}: need at least 2 <Actor> elements under <Actors>")
    names, descs, cap, pos, sal = [], [], [], [], []
    for i, actor in enumerate(actors, start=1):
        name = (actor.findtext("name") or "").strip() or f"actor {i}"
        where = f"{source}: Actor {i} ({name})"
        coords = actor.findall("Position/dCoord")
        sals = actor.findall("Salience/dSal")
        if len(coords) != len(dims) or len(sals) != len(dims):
            raise BargainingFormatError(f"{where}: {len(coords)} dCoord and {len(sals)} dSal for "
                                        f"{len(dims)} dimensions; give one of each per dimension")
        names.append(name)
        descs.append((actor.findtext("description") or "").strip())
        cap.append(_float(actor.findtext("capability") or "", f"{where} capability"))
        pos.append([_float(c.text or "", f"{where} Position dCoord {k + 1}")
                    for k, c in enumerate(coords)])
        sal.append([_float(c.text or "", f"{where} Salience dSal {k + 1}")
                    for k, c in enumerate(sals)])
    sal_arr = np.asarray(sal) / 100.0
    if (sal_arr < 0).any() or (sal_arr > 1).any():
        raise BargainingFormatError(f"{source}: saliences must lie in 0-100")
    notes = []
    for elem in root.findall("ModelParameters/*"):
        value = (elem.text or "").strip()
        if KTAB_DEFAULTS.get(elem.tag, value) != value:
            notes.append(f"{source}: ModelParameters {elem.tag}={value} is not modelled; "
                         f"polemos runs KTAB's default {KTAB_DEFAULTS[elem.tag]}")
    if root.find("IdealAdjustment") is not None:
        notes.append(f"{source}: IdealAdjustment is not modelled (ideals stay at positions)")
    return BargainingInput(
        name=(root.findtext("name") or "").strip() or "scenario",
        description=(root.findtext("desc") or "").strip(),
        actors=names,
        actor_names=descs,
        capability=np.asarray(cap, dtype=float),
        position=np.asarray(pos, dtype=float),
        salience=sal_arr,
        dims=dims,
        notes=notes,
    )

"""Ex-ante discipline: sources published after the scenario's ``as_of``.

A scenario that describes the world on ``meta.as_of`` may only rest on what was
published by then. :func:`late_sources` lists every source dated after ``as_of`` with
the places that cite it (dotted paths of figures, events, claims, questions), so that
``polemos validate`` can warn and ``polemos forecast freeze`` can refuse (or record the
forecast as contaminated). A source without a date is not judged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LateSource:
    """A source published after ``as_of`` and the places citing it."""

    id: str
    date: dt.date
    as_of: dt.date
    title: str
    citing: tuple[str, ...] = field(default=())

    def message(self, limit: int = 6) -> str:
        days = (self.date - self.as_of).days
        where = ", ".join(self.citing[:limit]) or "nothing (declared but not cited)"
        more = f" and {len(self.citing) - limit} more" if len(self.citing) > limit else ""
        return (f"source {self.id!r} is dated {self.date}, {days} day(s) after as_of "
                f"{self.as_of}; cited by {where}{more}")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date.isoformat(), "title": self.title,
                "citing": list(self.citing)}


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _labelled(sc: Any, loc: tuple[Any, ...]) -> str:
    """A citing path with list indices replaced by the item's id where it has one."""
    node: Any = sc
    parts: list[Any] = []
    for part in loc:
        try:
            node = node[part] if isinstance(part, int) or isinstance(node, dict) else getattr(node, part)
        except (KeyError, IndexError, AttributeError, TypeError):
            parts.append(part)
            continue
        ident = getattr(node, "id", None) if isinstance(part, int) else None
        parts.append(ident if isinstance(ident, str) else part)
    return _dotted(tuple(parts))


def citations(sc: Any) -> dict[str, list[str]]:
    """Source id -> dotted paths of every place that cites it (figures, events, claims)."""
    from polemos.scenario.semantics import _walk_sources

    out: dict[str, list[str]] = {}
    for loc, ident in _walk_sources(sc, ()):
        owner = loc[:-2] if len(loc) >= 2 and loc[-2] == "sources" else loc
        if owner[-1:] == ("value",):  # a capability's quantity: name the capability
            owner = owner[:-1]
        out.setdefault(ident, []).append(_labelled(sc, owner))
    for i, claim in enumerate(sc.claims):
        out.setdefault(claim.source, []).append(_labelled(sc, ("claims", i)))
    for i, q in enumerate(getattr(sc, "questions", None) or []):
        if q.reference_class is not None:
            out.setdefault(q.reference_class.source, []).append(
                _labelled(sc, ("questions", i, "reference_class")))
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def late_sources(sc: Any) -> list[LateSource]:
    """Every source dated after ``meta.as_of``, with the places citing it."""
    as_of = sc.meta.as_of
    cited = citations(sc)
    return [LateSource(s.id, s.date, as_of, s.title, tuple(cited.get(s.id, ())))
            for s in sc.meta.sources if s.date is not None and s.date > as_of]


def located_warnings(path: str) -> list[Any]:
    """One located :class:`~polemos.scenario.errors.Problem` (a warning) per late source
    of the scenario at ``path`` (none when the file does not load: its errors are
    reported elsewhere)."""
    from polemos.scenario.errors import Problem, ScenarioError
    from polemos.scenario.load import loads_scenario
    from polemos.scenario.pydantic_errors import locate
    from polemos.scenario.yamlio import parse_yaml, read_text

    try:
        text = read_text(path)
        sc = loads_scenario(text, str(path))
        _, locs = parse_yaml(text, str(path))
    except (ScenarioError, OSError, ValueError):
        return []
    index = {s.id: i for i, s in enumerate(sc.meta.sources)}
    out = []
    for late in late_sources(sc):
        i = index[late.id]
        line, col = locate(locs, ("meta", "sources", i, "date"))
        out.append(Problem(str(path), line, col, f"meta.sources[{i}].date", late.message(),
                           "use what was published by as_of, or move as_of (forecast "
                           "freeze refuses it unless --contaminated)"))
    return out

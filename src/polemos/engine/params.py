"""The uncertain inputs of a scenario, found by walking its pydantic model.

Every :data:`~polemos.scenario.quantities.Quantity` that is a non-degenerate
distribution becomes one Monte Carlo parameter, named by its dotted path in the same
syntax as ``--set`` overrides (lists of objects with ids are addressed by id:
``actors.RUS.capabilities.personnel.value``). A block of draws is a ``(n, d)`` matrix of
unit samples ``u`` (plain, Latin hypercube or Sobol, :mod:`polemos.numerics.sampling`);
parameter values are ``ppf(q, u[:, j])``. Stages read them through :class:`Params`,
which resolves a quantity object (or a plain number) to its per-draw values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from polemos.scenario.quantities import _Dist, central, is_random, ppf


@dataclass(frozen=True)
class Parameter:
    """One uncertain input: its dotted path, its distribution and the sources it rests on."""

    path: str
    quantity: Any

    @property
    def dist(self) -> str:
        return str(getattr(self.quantity, "dist", "value"))

    def describe(self) -> dict[str, Any]:
        q = self.quantity
        data = q.model_dump(mode="json", exclude_none=True) if isinstance(q, _Dist) else {}
        return {"path": self.path, "central": central(q), **data}


def _join(prefix: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{prefix}[{part}]"
    return f"{prefix}.{part}" if prefix else str(part)


def walk_quantities(obj: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Yield ``(path, quantity, owner)`` for every distribution object under ``obj``.

    The owner is the pydantic object holding the quantity (a :class:`Measure`, a
    :class:`Stance`, ...) so callers can find the sources it cites.
    """
    if isinstance(obj, _Dist):
        yield prefix, obj, None
        return
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            for path, q, owner in walk_quantities(value, _join(prefix, name)):
                yield path, q, obj if owner is None else owner
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from walk_quantities(value, _join(prefix, str(key)))
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            ident = getattr(item, "id", None)
            yield from walk_quantities(item, _join(prefix, ident if isinstance(ident, str) else i))


class ParamSpace:
    """The ordered list of uncertain inputs of one scenario (the columns of ``u``)."""

    def __init__(self, parameters: list[Parameter]):
        self.parameters = parameters
        self._index = {id(p.quantity): j for j, p in enumerate(parameters)}

    @classmethod
    def from_scenario(cls, scenario: Any) -> ParamSpace:
        seen: set[int] = set()
        params = []
        for path, q, _owner in walk_quantities(scenario):
            if is_random(q) and id(q) not in seen:
                seen.add(id(q))
                params.append(Parameter(path, q))
        return cls(params)

    @property
    def names(self) -> list[str]:
        return [p.path for p in self.parameters]

    def __len__(self) -> int:
        return len(self.parameters)

    def column(self, q: Any) -> int | None:
        return self._index.get(id(q))

    def values(self, u: np.ndarray) -> np.ndarray:
        """Parameter values ``(n, d)`` for unit samples ``u``."""
        out = np.empty(u.shape, dtype=float)
        for j, p in enumerate(self.parameters):
            out[:, j] = ppf(p.quantity, u[:, j])
        return out


class Params:
    """Per-draw values of a scenario's inputs for one block of ``n`` draws."""

    def __init__(self, space: ParamSpace, u: np.ndarray):
        self.space = space
        self.u = u
        self.n = u.shape[0]
        self._cache: dict[int, np.ndarray] = {}

    def value(self, q: Any, default: float | None = None) -> np.ndarray:
        """``(n,)`` values of quantity ``q`` (a number, a distribution, a Measure or None)."""
        if q is None:
            if default is None:
                raise ValueError("no value and no default")
            return np.full(self.n, float(default))
        if hasattr(q, "unit") and hasattr(q, "value"):  # a Measure
            q = q.value
        j = self.space.column(q)
        if j is None:
            return np.full(self.n, central(q))
        if j not in self._cache:
            self._cache[j] = ppf(q, self.u[:, j])
        return self._cache[j]

    def measure(self, measures: dict[str, Any], key: str, default: float) -> np.ndarray:
        """Values of ``measures[key]`` (e.g. an actor's attribute) or ``default``."""
        m = measures.get(key)
        return self.value(m, default) if m is not None else np.full(self.n, float(default))


def fixed_inputs(obj: Any, prefix: str = "", sources: tuple[str, ...] = ()
                 ) -> Iterator[tuple[str, float, tuple[str, ...]]]:
    """Every plain number of the scenario (a fixed assumption) with the sources it rests on.

    Yields ``(path, value, source ids)``; the sources are those of the nearest enclosing
    object that cites any (a number's own measure, stance, side, section...).
    """
    if isinstance(obj, BaseModel):
        if isinstance(obj, _Dist):
            return
        own = tuple(getattr(obj, "sources", None) or ()) or sources
        for name in type(obj).model_fields:
            if name not in obj.model_fields_set:  # a default, not something the file states
                continue
            value = getattr(obj, name)
            path = _join(prefix, name)
            if isinstance(value, float):
                yield path, value, own
            elif isinstance(value, _Dist) and not is_random(value):  # type: ignore[arg-type]
                yield path, value.central(), tuple(value.sources) or own
            else:
                yield from fixed_inputs(value, path, own)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            path = _join(prefix, str(key))
            if isinstance(value, float):
                yield path, value, sources
            else:
                yield from fixed_inputs(value, path, sources)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            ident = getattr(item, "id", None)
            yield from fixed_inputs(item, _join(prefix, ident if isinstance(ident, str) else i),
                                    sources)

"""Feeding the design's parameter values into family builders that sample for themselves.

Family builders turn a section into kernel arrays by sampling each quantity as
``ppf(q, rng.random(n))``. To make them use the run's design instead (so that Latin
hypercube and Sobol designs, the recorded parameter columns and the sensitivity analysis
all refer to the values actually simulated), :func:`fed_copy` returns a copy of a
section in which every uncertain quantity is a :class:`Fed` quantity whose inverse CDF
returns this block's values for any ``n``-vector of uniforms. The model code is unchanged.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, PrivateAttr

from polemos.engine.params import Params, walk_quantities
from polemos.scenario.quantities import _Dist, central, is_random


class Fed(_Dist):
    """A quantity pinned to precomputed per-draw values (for one block)."""

    dist: Literal["fed"] = "fed"
    _values: np.ndarray = PrivateAttr()
    _central: float = PrivateAttr()

    @classmethod
    def of(cls, values: np.ndarray, original: Any) -> Fed:
        q = cls(sources=list(getattr(original, "sources", []) or []))
        q._values = np.asarray(values, dtype=float)
        q._central = central(original)
        return q

    def ppf(self, u: np.ndarray) -> np.ndarray:
        if np.shape(u) == self._values.shape:
            return self._values.copy()
        return np.full(np.shape(u), self._central)

    def central(self) -> float:
        return self._central


def _replace(obj: Any, values: dict[str, np.ndarray], originals: dict[str, Any],
             prefix: str) -> Any:
    from polemos.engine.params import _join

    if isinstance(obj, _Dist):
        return Fed.of(values[prefix], originals[prefix]) if prefix in values else obj
    if isinstance(obj, BaseModel):
        update = {}
        for name in type(obj).model_fields:
            old = getattr(obj, name)
            new = _replace(old, values, originals, _join(prefix, name))
            if new is not old:
                update[name] = new
        return obj.model_copy(update=update) if update else obj
    if isinstance(obj, dict):
        out = {k: _replace(v, values, originals, _join(prefix, str(k))) for k, v in obj.items()}
        return out if any(out[k] is not obj[k] for k in obj) else obj
    if isinstance(obj, list | tuple):
        items = []
        for i, item in enumerate(obj):
            ident = getattr(item, "id", None)
            items.append(_replace(item, values, originals,
                                  _join(prefix, ident if isinstance(ident, str) else i)))
        if all(a is b for a, b in zip(items, obj, strict=True)):
            return obj
        return type(obj)(items)
    return obj


def fed_copy(obj: Any, params: Params, prefix: str) -> Any:
    """``obj`` (found at dotted path ``prefix`` of the scenario) with every uncertain
    quantity replaced by its values in this block."""
    originals = {path: q for path, q, _ in walk_quantities(obj, prefix) if is_random(q)}
    values = {path: params.value(q) for path, q in originals.items()}
    return _replace(obj, values, originals, prefix)

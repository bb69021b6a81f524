"""One registry of models, consumed by the CLI, the engine and the conformance suite.

A model is described by a :class:`ModelSpec`: its kernel, a small reference problem and
the invariants of its outputs. Registering a model is all it takes to have the common
conformance suite (``tests/test_conformance.py``) check it: determinism under a seed,
outputs in bounds, no NaN, probabilities summing to one, a leading draw axis.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Outputs = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class ModelSpec:
    """What the engine and the conformance suite need to know of a model.

    Attributes
    ----------
    name:
        Dotted name, ``family.model`` (e.g. ``"bargaining.eum"``); the words users type.
    run:
        ``run(**inputs, rng=generator) -> dict[str, ndarray]``; every output has a
        leading draw axis of the same length as the inputs'.
    example:
        ``example(rng, n_draws) -> dict`` of inputs for a small reference problem.
    bounds:
        Output name -> inclusive ``(low, high)``; ``None`` for an open side.
    simplex:
        Output name -> axis along which values are probabilities summing to one.
    citation:
        The paper (and equation) the kernel implements.
    """

    name: str
    run: Callable[..., Outputs]
    example: Callable[[np.random.Generator, int], dict[str, Any]]
    citation: str
    bounds: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    simplex: Mapping[str, int] = field(default_factory=dict)
    summary: str = ""

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]


_MODELS: dict[str, ModelSpec] = {}


def register(spec: ModelSpec) -> ModelSpec:
    """Add ``spec`` to the registry (idempotent for the same object)."""
    existing = _MODELS.get(spec.name)
    if existing is not None and existing is not spec and existing.run is not spec.run:
        raise ValueError(f"model {spec.name!r} is registered twice")
    _MODELS[spec.name] = spec
    return spec


def discover() -> None:
    """Import every family subpackage of :mod:`polemos.models` so they register."""
    import polemos.models as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.ispkg:
            importlib.import_module(f"{pkg.__name__}.{info.name}")


def all_models() -> dict[str, ModelSpec]:
    """Every registered model, by name, in sorted order."""
    discover()
    return dict(sorted(_MODELS.items()))


def get(name: str) -> ModelSpec:
    models = all_models()
    try:
        return models[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, list(models), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"no model named {name!r}{hint}") from None

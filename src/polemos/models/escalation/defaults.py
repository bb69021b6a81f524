"""The ICB ladder and a small reference problem (illustrative numbers).

The default great-power proxy-war ladder, its severities and citations are scenario data:
:data:`polemos.models.escalation.section.DEFAULT_RUNGS` (re-exported as
``DEFAULT_LADDER``); a scenario overrides them with its own ``ladder``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from polemos.models.escalation.section import DEFAULT_RUNGS


@dataclass(frozen=True)
class Rung:
    id: str
    name: str
    severity: float
    nuclear: bool = False


DEFAULT_LADDER = DEFAULT_RUNGS
"""The default ladder: scenario data, defined with its citations in
:data:`polemos.models.escalation.section.DEFAULT_RUNGS` (re-exported here)."""

ICB_LADDER: tuple[Rung, ...] = (
    Rung("none", "No violence", 0.0),
    Rung("minor", "Minor clashes", 0.0),
    Rung("serious", "Serious clashes", 0.0),
    Rung("war", "Full-scale war", 0.0),
)
"""The ICB ``viol`` scale as a ladder (Brecher & Wilkenfeld, ICB codebook v14)."""


def _draws(rng: np.random.Generator, n: int, values, spread: float = 0.2) -> np.ndarray:
    base = np.asarray(values, float)
    return base[None, :] * rng.uniform(1 - spread, 1 + spread, size=(n, len(base)))


def example_inputs(rng: np.random.Generator, n_draws: int, weeks: int = 26) -> dict:
    """A four-actor proxy war on the default ladder (illustrative numbers, not sourced).

    Actors: 0 rival (side -1), 1 proxy, 2 patron A, 3 patron B (side +1). Moves: the
    proxy's drone and missile strikes, patron B's cruise missiles (finite stock), patron
    A's cruise missiles (withheld: disabled), the rival's intermediate-range missile
    strikes (finite stock and production), strikes on supply hubs, a tactical nuclear
    option and a ceasefire offer; the patrons' direct intervention.
    """
    n = n_draws
    moves = [  # actor, rung, deescalate, sustain, use, gain, cost, stock, production, on
        (1, 1, False, True, 1.0, 0.9, 0.2, np.inf, 0.0, True),
        (3, 1, False, True, 10.0, 0.8, 0.3, 120.0, 2.0, True),
        (2, 1, False, True, 10.0, 1.0, 0.4, 400.0, 5.0, False),
        (0, 1, False, True, 2.0, 0.9, 0.2, 10.0, 0.25, True),
        (0, 2, False, True, 2.0, 1.2, 0.6, 10.0, 0.25, True),
        (0, 5, False, False, 1.0, 4.0, 30.0, np.inf, 0.0, True),
        (0, 0, True, False, 1.0, 0.5, 2.5, np.inf, 0.0, True),
        (2, 3, False, False, 1.0, 2.0, 3.0, np.inf, 0.0, True),
    ]
    cols = list(zip(*moves, strict=True))
    return {
        "weeks": weeks,
        "battlefield": rng.uniform(-0.5, 0.5, size=n),
        "bargaining": rng.uniform(0.0, 0.5, size=n),
        "severity": np.array([float(r.severity) for r in DEFAULT_LADDER]),
        "move_actor": np.array(cols[0], int),
        "move_rung": np.array(cols[1], int),
        "move_deescalate": np.array(cols[2], bool),
        "move_sustain": np.array(cols[3], bool),
        "use_size": np.array(cols[4], float),
        "actor_side": np.array([-1, 1, 1, 1]),
        "gain": _draws(rng, n, cols[5]),
        "cost": _draws(rng, n, cols[6]),
        "stock0": np.broadcast_to(np.array(cols[7], float), (n, len(moves))).copy(),
        "production": np.broadcast_to(np.array(cols[8], float), (n, len(moves))).copy(),
        "enabled": np.broadcast_to(np.array(cols[9], bool), (n, len(moves))).copy(),
        "red_line": np.broadcast_to(np.array([1, 7, 2, 2]), (n, 4)).copy(),
        "credibility": _draws(rng, n, [1.0, 0.0, 0.5, 0.5]),
        "risk_weight": _draws(rng, n, [1.0, 0.5, 1.0, 1.0]),
        "rationality": _draws(rng, n, [2.0, 2.0, 2.0, 2.0]),
        "accident": np.broadcast_to(np.array([0.004, 0.004, 0.004, 0.003, 0.002, 0.001, 0.0]),
                                    (n, 7)).copy(),
        "misperception": rng.uniform(0.0, 0.1, size=n),
        "loss_weight": rng.uniform(0.5, 1.5, size=n),
        "talks_weight": rng.uniform(0.0, 1.0, size=n),
    }

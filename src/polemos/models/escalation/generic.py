"""Generic crises on the ICB violence ladder, with hazards set from a fitted ordinal model.

The bridge between the calibration (:mod:`polemos.models.escalation.calibration`) and the
ladder kernel (:mod:`polemos.models.escalation.ladder`). A crisis with weekly step hazards
``h_k`` (k = 1..3: none -> minor -> serious -> war) becomes two opposed actors, each with one
one-off escalation move per rung, plus an unintended-step hazard. A share ``alpha`` of each
hazard is unintended (``accident[k-1] = alpha h_k``); the rest is deliberate: each actor's
logit choice between holding and stepping up has probability ``p_k`` with
``1 - h_k = (1 - alpha h_k)(1 - p_k)^2``, i.e. the move's utility relative to holding is
``logit(p_k) / lambda`` (McKelvey & Palfrey 1995, eq. 4.1). The kernel's weekly step
probability is then exactly ``h_k``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logit

from polemos.models.escalation.defaults import ICB_LADDER


def generic_crisis_inputs(
    hazards: np.ndarray, alpha: float = 0.25, rationality: float = 1.0
) -> dict:
    """Ladder-kernel inputs (without ``weeks``) for crises with weekly hazards (n, 3)."""
    h = np.clip(np.asarray(hazards, float), 0.0, 1.0 - 1e-9)
    n, k = h.shape
    accident = np.zeros((n, k + 1))
    accident[:, :k] = alpha * h
    p = 1.0 - np.sqrt((1.0 - h) / (1.0 - alpha * h))
    util = logit(np.clip(p, 1e-12, 1 - 1e-12)) / rationality  # (n, 3)
    gain = np.concatenate([util, util], axis=1)  # moves: actor 0 rungs 1..3, actor 1 same
    n_moves = 2 * k
    return {
        "severity": np.zeros(len(ICB_LADDER)),
        "move_actor": np.repeat([0, 1], k),
        "move_rung": np.tile(np.arange(1, k + 1), 2),
        "move_deescalate": np.zeros(n_moves, bool),
        "move_sustain": np.zeros(n_moves, bool),
        "use_size": np.ones(n_moves),
        "actor_side": np.array([-1, 1]),
        "gain": gain,
        "cost": np.zeros((n, n_moves)),
        "stock0": np.full((n, n_moves), np.inf),
        "production": np.zeros((n, n_moves)),
        "enabled": np.ones((n, n_moves), bool),
        "red_line": np.full((n, 2), len(ICB_LADDER) + 10),
        "credibility": np.zeros((n, 2)),
        "risk_weight": np.zeros((n, 2)),
        "rationality": np.full((n, 2), float(rationality)),
        "accident": accident,
        "misperception": np.zeros(n),
        "loss_weight": np.zeros(n),
        "talks_weight": np.zeros(n),
    }


CRISIS_WEEKS = 12
"""Default escalation window: the median ICB crisis lasts 81 days (ICB1 ``brexit``), about
12 weeks. Actual durations are not used: they are known only after a crisis (violent
crises last longer), so hazards are set for a common window from outbreak."""


def level_at(max_rung: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """Highest rung (n,) reached by each draw's own duration ``weeks`` (n,)."""
    w = np.clip(np.asarray(weeks, int), 1, max_rung.shape[1])
    return max_rung[np.arange(len(w)), w - 1]

"""Structural power: capability trajectories, parity, overtaking and transition war hazard.

Models (registered in :mod:`polemos.models.registry`):

- ``structure.projection``: the six Correlates of War NMC components grown by stated
  per-draw growth rates; CINC as the mean component share (Singer, Bremer & Stuckey 1972).
- ``structure.overtaking``: challenger (or coalition) to dominant capability ratios, parity
  and the year of overtaking (Organski & Kugler 1980).
- ``structure.transition_hazard``: the annual hazard of war onset in a dyad as a logit in
  parity, overtaking and the capability ratio (Organski & Kugler 1980; Lemke 2002), with
  coefficients estimated by ``polemos fit transition``.
"""

from __future__ import annotations

from polemos.models.registry import ModelSpec, register
from polemos.models.structure import projection, transition

COMPONENTS: tuple[str, ...] = ("milex", "milper", "irst", "pec", "tpop", "upop")
"""The six NMC components in the order of the last axis of every level array."""

_SBS = (
    "Singer, Bremer & Stuckey (1972), 'Capability distribution, uncertainty, and major power "
    "war, 1820-1965', in Russett (ed.), Peace, War, and Numbers, pp. 19-48 (CINC)"
)
_OK = "Organski & Kugler (1980), The War Ledger, University of Chicago Press, ch. 1"

PROJECTION = register(
    ModelSpec(
        name="structure.projection",
        run=projection.run,
        example=projection.example,
        citation=_SBS + "; growth x(t+1) = x(t)(1+g)exp(s e - s^2/2)",
        bounds={"cinc": (0.0, 1.0), "final": (0.0, None)},
        simplex={"cinc": 2},
        summary="CINC trajectories from component levels and growth assumptions.",
    )
)

OVERTAKING = register(
    ModelSpec(
        name="structure.overtaking",
        run=transition.overtaking_run,
        example=transition.overtaking_example,
        citation=_OK + " (parity: weaker >= 80 % of stronger; overtaking); " + _SBS,
        bounds={"ratio": (0.0, None), "first_ahead": (-1, None)},
        summary="Capability ratios of challengers and coalitions to the dominant power.",
    )
)

TRANSITION_HAZARD = register(
    ModelSpec(
        name="structure.transition_hazard",
        run=transition.hazard_run,
        example=transition.hazard_example,
        citation=_OK + "; Lemke (2002), Regions of War and Peace, Cambridge UP "
        "(logit hazard in parity and overtaking)",
        bounds={"hazard": (0.0, 1.0), "cumulative": (0.0, 1.0), "any_war": (0.0, 1.0)},
        summary="Annual hazard of war onset in a dyad from parity and overtaking.",
    )
)

__all__ = ["COMPONENTS", "OVERTAKING", "PROJECTION", "TRANSITION_HAZARD", "projection", "transition"]

"""Escalation: an ordered ladder climbed by actors choosing moves by quantal response.

Models: ``escalation.ladder`` (:func:`polemos.models.escalation.ladder.run_ladder`).
Hazards are calibrated on ICB crises (:mod:`polemos.models.escalation.calibration`).

The engine's weekly interface::

    from polemos.models.escalation.build import ladder_inputs, state_values
    from polemos.models.escalation.ladder import initial_state, prepare, step

    params, layout = ladder_inputs(scenario.escalation, n_draws, rng_inputs)
    tables = prepare(params)                       # once per run
    state = initial_state(params, layout.start)
    for week in range(n_weeks):
        state = step(state, params, rng, battlefield=trend, bargaining=talks, tables=tables)
        values = state_values(state, layout)       # escalation.rung, nuclear_use, stocks...

``trend`` (n_draws,) in [-1, 1] is positive when the battlefield favours side ``a``;
``talks`` (n_draws,) in [0, 1] is the state of negotiations. An event that releases or
withholds a move: ``params = dataclasses.replace(params, enabled=new_mask)`` (``enabled``
is not in ``tables``, no re-``prepare`` needed); deliveries: replace ``state.stocks``.
"""

from __future__ import annotations

from polemos.models.escalation.defaults import DEFAULT_LADDER, ICB_LADDER, example_inputs
from polemos.models.escalation.ladder import (
    LadderParams,
    LadderState,
    initial_state,
    prepare,
    reach_by_week,
    run_ladder,
    simulate,
    step,
)
from polemos.models.registry import ModelSpec, register

LADDER_SPEC = register(
    ModelSpec(
        name="escalation.ladder",
        run=run_ladder,
        example=example_inputs,
        citation="Kahn (1965) On Escalation, ch. 3; McKelvey & Palfrey (1995) GEB 10:6-38, "
        "eq. 4.1 (logit quantal response); Schelling (1960) ch. 8 (unintended steps); "
        "hazards calibrated on ICB v14 (Brecher & Wilkenfeld)",
        bounds={
            "rung": (0, len(DEFAULT_LADDER) - 1),
            "max_rung": (0, len(DEFAULT_LADDER) - 1),
            "occupancy": (0.0, 1.0),
            "first_week": (-1, None),
            "first_actor": (-2, 3),
            "uses": (0, None),
        },
        simplex={"occupancy": 1},
        summary="Probability of reaching each rung of an escalation ladder by each week.",
    )
)

__all__ = [
    "DEFAULT_LADDER",
    "ICB_LADDER",
    "LADDER_SPEC",
    "LadderParams",
    "LadderState",
    "example_inputs",
    "initial_state",
    "prepare",
    "reach_by_week",
    "run_ladder",
    "simulate",
    "step",
]

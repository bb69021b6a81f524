"""Maritime blockade and interdiction as a theatre.

Models (registered in :mod:`polemos.models.registry`):

- ``blockade.theatre``: the weekly share of a target's seaborne trade interdicted under a
  quarantine or a kinetic blockade, escorts and convoys, shots at escorts, shipping losses,
  war-risk insurance and withheld traffic (:mod:`.theatre`).

The engine's blockade stage writes ``blockade.<theatre>.<name>`` and hands the share of
shipping getting through to the economy's trade matrix.
"""

from __future__ import annotations

from polemos.models.blockade import theatre
from polemos.models.registry import ModelSpec, register

THEATRE = register(ModelSpec(
    name="blockade.theatre", run=theatre.run, example=theatre.example,
    citation="Interdiction with escorts and a clash hazard (Operation Earnest Will, 1987-88, "
    "as the escort precedent); war-risk premiums and withheld traffic after the Black Sea "
    "(2022) and Red Sea (2024) crises (Lloyd's List; UNCTAD, Review of Maritime Transport "
    "2024); quarantine vs blockade as in CSIS, 'How China could quarantine Taiwan' (2024)",
    bounds={"interdicted": (0.0, 1.0), "escorted": (0.0, 1.0), "reach": (0.0, 1.0),
            "incident": (0.0, 1.0), "shots_at_escorts": (0.0, None), "ships_lost": (0.0, None),
            "insurance_premium": (0.0, None), "withheld": (0.0, 1.0), "active": (0.0, 1.0)},
    summary="Blockade theatre: interdiction, escorts, clashes, losses, insurance, reach.",
))

__all__ = ["THEATRE", "theatre"]

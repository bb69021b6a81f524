"""polemos: coupled Monte Carlo simulation of geopolitical conflict.

Layers point one way: ``numerics`` -> ``scenario`` (the language) -> ``models``
-> ``engine`` -> ``store`` -> ``cli`` / ``api`` / web. A model never touches files,
databases or the screen.
"""

__version__ = "0.1.0"

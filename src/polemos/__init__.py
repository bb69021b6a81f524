"""polemos: coupled Monte Carlo simulation of geopolitical conflict.

The Python API (see ``docs/python-api.md`` and ``docs/notebook.ipynb``)::

    import polemos
    scenario = polemos.load("scenarios/venezuela-2025-10.yaml")
    result = polemos.run(scenario, draws=500, seed=1)
    result.outcomes, result.claims, result.drivers, result.sensitivity
    result.draws(), result.trajectories(), result.report("report/")
    polemos.compare(result, polemos.run(scenario, draws=500, seed=1,
                                        overrides={"actors.USA.influence": 60}))

Importing ``polemos`` is cheap: the engine loads on first use.

Layers point one way: ``numerics`` -> ``scenario`` (the language) -> ``models``
-> ``engine`` -> ``store`` -> ``cli`` / ``api`` / web. A model never touches files,
databases or the screen.
"""

__version__ = "0.1.0"
__all__ = ["Result", "compare", "label", "load", "run"]


def __getattr__(name: str) -> object:  # lazy: the engine and pandas load on first use
    if name in {"Result", "compare", "load", "run"}:
        from polemos import results

        return getattr(results, name)
    if name == "label":
        from polemos.scenario.labels import label

        return label
    raise AttributeError(f"module 'polemos' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

"""The scenario language: one pydantic schema over YAML files, with located errors.

Public entry points::

    from polemos.scenario import load_scenario, validate_files, ScenarioError
"""

from polemos.scenario.errors import Problem, ScenarioError

__all__ = ["Problem", "ScenarioError", "load_scenario", "validate_files"]


def __getattr__(name: str):  # lazy: the schema imports every model family's section
    if name in {"load_scenario", "validate_files"}:
        from polemos.scenario import load

        return getattr(load, name)
    raise AttributeError(name)

"""Model families. Each model is a pure kernel over arrays with a leading draw axis.

Families live in subpackages (``bargaining``, ``attrition``, ``economy``,
``escalation``, ``structure``); each registers its models in
:mod:`polemos.models.registry` and, optionally, its scenario section in
:mod:`polemos.scenario.sections` (from a module named ``section``).
"""

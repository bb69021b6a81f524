"""Loaders for the public reference data the models are validated and fitted on.

The data are not shipped with polemos: loaders read them from a path, by default
``../shared/data`` beside the project root or ``$POLEMOS_DATA``.
"""

from polemos.datasets.paths import data_dir

__all__ = ["data_dir"]

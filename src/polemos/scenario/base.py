"""Base class of every schema model: unknown keys are errors, ids are checked words."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class StrictModel(BaseModel):
    """A scenario object: unknown keys are rejected (with a 'did you mean'); every number
    must be finite (NaN and infinity are rejected wherever a number is read)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, use_enum_values=False,
                              allow_inf_nan=False)


Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", min_length=1, max_length=64),
]
"""An identifier: a letter or underscore, then letters, digits or underscores."""

"""Base class of every schema model: unknown keys are errors, ids are checked words."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class StrictModel(BaseModel):
    """A scenario object: unknown keys are rejected (with a 'did you mean')."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False, use_enum_values=False)


Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", min_length=1, max_length=64),
]
"""An identifier: a letter or underscore, then letters, digits or underscores."""

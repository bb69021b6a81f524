"""Shared output helpers: consoles, JSON that understands numpy, located errors."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from rich.console import Console

console = Console()
console_err = Console(stderr=True, soft_wrap=True)


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, dates, enums and pydantic models to JSON types.

    Non-finite floats become ``null`` so the output is strict JSON.
    """
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return value if math.isfinite(value) else None
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "model_dump"):
        return to_jsonable(obj.model_dump(mode="json"))
    return obj


def emit_json(obj: Any) -> None:
    """Print ``obj`` as one JSON document on standard output."""
    print(json.dumps(to_jsonable(obj), indent=2, allow_nan=False))

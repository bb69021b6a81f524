"""Shared output helpers: consoles, JSON that understands numpy, located errors."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from rich.console import Console


class FittingConsole(Console):
    """A console whose tables never cut an id, number, date or path (see :func:`print_table`)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:  # noqa: A003 - rich's name
        from rich.table import Table

        if len(objects) == 1 and isinstance(objects[0], Table) and not kwargs:
            print_table(objects[0], self)
            return
        super().print(*objects, **kwargs)


console = FittingConsole()
console_err = FittingConsole(stderr=True, soft_wrap=True)


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


# -- tables that never cut an id, a number, a date or a path ----------------------------
def _plain(cell: Any) -> str:
    from rich.text import Text

    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return Text.from_markup(cell).plain
    return str(cell)


def _words(table: Any) -> list[list[str]]:
    """Per column: every whitespace-free token of its header and cells."""
    return [[w for cell in (col.header, *col._cells) for w in _plain(cell).split()]
            for col in table.columns]


def _fits(table: Any, width: int, words: list[list[str]]) -> bool:
    """Render at ``width`` and check that every token came out whole on one line."""
    import io

    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, legacy_windows=False).print(table)
    lines = buf.getvalue().splitlines()
    if any(len(line) > width for line in lines):
        return False
    text = "\n".join(lines)
    return all(w in text for ws in words for w in ws) and "…" not in text.replace(
        "…", "", sum(w.count("…") for ws in words for w in ws))


def _vertical(table: Any, out: Console) -> None:
    """One block per row, ``column: value`` a line: nothing is cut at any width."""
    headers = [_plain(c.header) for c in table.columns]
    if table.title:
        out.print(_plain(table.title), style="bold", soft_wrap=True, highlight=False)
    n_rows = max((len(c._cells) for c in table.columns), default=0)
    for i in range(n_rows):
        for j, col in enumerate(table.columns):
            value = _plain(col._cells[i]) if i < len(col._cells) else ""
            lines = value.splitlines() or [""]
            out.print(f"{'- ' if j == 0 else '  '}{headers[j]}: {lines[0]}", soft_wrap=True,
                      highlight=False, markup=False)
            for more in lines[1:]:
                out.print(f"    {more}", soft_wrap=True, highlight=False, markup=False)
    if table.caption:
        out.print(_plain(table.caption), style="dim", soft_wrap=True, highlight=False)


def print_table(table: Any, out: Console | None = None) -> None:
    """Print a rich table so that no id, number, date or path is cut.

    Columns wrap only between words (each column is at least as wide as its longest
    word); if the table still does not fit the console (80 columns when piped, or
    ``COLUMNS``), a borderless layout is tried, and then a vertical one (``column: value``
    lines per row), which fits any width.
    """
    from rich import box

    out = out or console
    width = out.width
    words = _words(table)
    if _fits(table, width, words):
        Console.print(out, table)
        return
    for compact in (False, True):
        if compact:
            table.box, table.show_edge, table.padding = box.SIMPLE_HEAD, False, (0, 1)
        n = len(table.columns)
        overhead = 3 * n + 1 if not compact else 3 * n - 1
        if _set_widths(table, words, width - overhead) and _fits(table, width, words):
            Console.print(out, table)
            return
    _vertical(table, out)


def _set_widths(table: Any, words: list[list[str]], room: int) -> bool:
    """Fixed column widths summing to ``room`` at most, never below a column's longest word."""
    lows = [max((len(w) for w in ws), default=1) for ws in words]
    highs = [max([len(line) for cell in (col.header, *col._cells)
                  for line in _plain(cell).splitlines()] or [1]) for col in table.columns]
    widths = [max(lo, hi) for lo, hi in zip(lows, highs, strict=True)]
    if sum(lows) > room:
        return False
    while sum(widths) > room:  # take one cell from the widest column that can still give
        j = max((i for i in range(len(widths)) if widths[i] > lows[i]), key=lambda i: widths[i])
        widths[j] -= 1
    for col, w in zip(table.columns, widths, strict=True):
        col.width = col.min_width = col.max_width = w
        col.overflow, col.no_wrap = "fold", False
    return True


# -- progress for commands that take more than a couple of seconds ----------------------
@contextmanager
def working(message: str) -> Iterator[None]:
    """Show that a slow step is under way: a spinner with the elapsed time when standard
    error is a terminal; nothing otherwise (pipes and captured output stay clean)."""
    if not console_err.is_terminal:
        yield
        return
    with console_err.status(f"{message} ...", spinner="dots"):
        yield

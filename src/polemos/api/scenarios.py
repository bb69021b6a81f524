"""The scenario directory as the API sees it: seed files by name, YAML text, the schema.

A scenario's *name* is its file name without ``.yaml`` (``ukraine-2025-10-budapest``).
Only files listed in the directory are ever opened, so a name cannot reach outside it.
Validated files are cached by path, size and modification time.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from polemos.api.errors import ApiError, not_found, problems_json
from polemos.scenario.errors import ScenarioError

MAX_YAML_BYTES = 1024 * 1024
"""Largest YAML text accepted in a request body (1 MiB)."""


class ScenarioDir:
    """The YAML files of one directory, validated on demand and cached."""

    def __init__(self, root: str | Path | None):
        self.root = Path(root) if root is not None else None  # None: no seed scenarios
        self._cache: dict[Path, tuple[tuple[int, int], Any]] = {}
        self._lock = threading.Lock()

    def files(self) -> dict[str, Path]:
        if self.root is None or not self.root.is_dir():
            return {}
        return {p.stem: p for p in sorted(self.root.glob("*.yaml")) if p.is_file()}

    def path(self, name: str) -> Path:
        files = self.files()
        stem = name[:-5] if name.endswith(".yaml") else name
        if stem not in files:
            raise not_found("scenario", name, files, "GET /api/scenarios lists them")
        return files[stem]

    def load(self, name: str) -> Any:
        """The validated scenario called ``name``; :class:`ScenarioError` if invalid."""
        return self._load(self.path(name))

    def text(self, name: str) -> str:
        from polemos.scenario.yamlio import read_text

        return read_text(self.path(name))

    def _load(self, path: Path) -> Any:
        from polemos.scenario.load import load_scenario

        st = path.stat()
        key = (st.st_size, st.st_mtime_ns)
        with self._lock:
            hit = self._cache.get(path)
        if hit is not None and hit[0] == key:
            if isinstance(hit[1], ScenarioError):
                raise hit[1]
            return hit[1]
        try:
            value: Any = load_scenario(path)
        except ScenarioError as exc:
            value = exc
        with self._lock:
            self._cache[path] = (key, value)
        if isinstance(value, ScenarioError):
            raise value
        return value

    def catalog(self) -> list[dict[str, Any]]:
        """One entry per file: id, title, as_of, horizon, or the file's located problems."""
        out = []
        for name, path in self.files().items():
            entry: dict[str, Any] = {"name": name, "file": path.name}
            try:
                sc = self._load(path)
            except ScenarioError as exc:
                entry.update(valid=False, problems=problems_json(exc.problems))
            else:
                m = sc.meta
                entry.update(valid=True, id=m.id, title=m.title, as_of=str(m.as_of),
                             horizon=str(m.horizon), description=(m.description or "").strip())
            out.append(entry)
        return out


def decode_body(raw: bytes) -> str:
    """Request bytes as YAML text (size already checked); 422 if not UTF-8."""
    from polemos.scenario.yamlio import decode

    try:
        return decode(raw, "<request>")
    except ScenarioError as exc:
        raise ApiError(422, "the request body is not UTF-8 text", "send the YAML as UTF-8",
                       problems_json(exc.problems)) from None


def check_size(n: int) -> None:
    if n > MAX_YAML_BYTES:
        raise ApiError(413, f"the YAML text is {n:,} bytes; the limit is {MAX_YAML_BYTES:,}",
                       "split the scenario or remove unused parts")


@lru_cache(maxsize=1)
def json_schema() -> dict[str, Any]:
    from polemos.scenario.schema import scenario_model

    doc = scenario_model().model_json_schema()
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    doc["title"] = "polemos scenario"
    return doc

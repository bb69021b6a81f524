"""An append-only, tamper-evident register of forecasts and resolutions (JSON lines).

Each line is one entry: ``{"seq": n, "prev": HASH, "hash": HASH, "kind": ..., ...}``
where ``hash = sha256(canonical JSON of the entry without "hash")`` and ``prev`` is the
``hash`` of the entry before (64 zeros for the first). Changing, removing, inserting or
reordering any entry breaks the chain at that entry, which :func:`verify` names. (A
writer who rewrites every later hash too defeats a chain on its own; the copy in git
and the copy in the store are the anchors against that.)
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64


class RegisterError(ValueError):
    """A register that cannot be read (not a located scenario problem)."""


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(canonical(body).encode()).hexdigest()


def read(path: Path) -> list[dict[str, Any]]:
    """Every entry of the register at ``path`` (an empty list when it does not exist)."""
    if not path.exists():
        return []
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RegisterError(f"{path}:{n}: not a JSON entry ({exc.msg}); the register "
                                "was edited by hand: restore it from git") from None
        if not isinstance(entry, dict):
            raise RegisterError(f"{path}:{n}: an entry must be a JSON object")
        entry["_line"] = n
        entries.append(entry)
    return entries


def append(path: Path, body: dict[str, Any]) -> dict[str, Any]:
    """Append ``body`` as a new entry chained to the last one; return the entry."""
    entries = read(path)
    last = entries[-1] if entries else None
    entry = {"seq": (int(last.get("seq", 0)) + 1) if last else 1,
             "prev": last.get("hash", GENESIS) if last else GENESIS, **body}
    entry["hash"] = entry_hash(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, sort_keys=True, separators=(",", ":"), allow_nan=False) + "\n"
    with open(path, "a", encoding="utf-8") as fh:  # append only: earlier lines untouched
        fh.write(line)
        fh.flush()
        if os.environ.get("POLEMOS_FSYNC"):
            os.fsync(fh.fileno())
    return entry


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the entry (1-based line, seq) and what is wrong."""

    line: int
    seq: Any
    what: str
    label: str

    def message(self, path: Path) -> str:
        return f"{path}:{self.line}: entry {self.seq} ({self.label}): {self.what}"


def label(entry: dict[str, Any]) -> str:
    kind = entry.get("kind", "?")
    if kind == "freeze":
        return f"freeze of {entry.get('scenario_id')} at {entry.get('frozen_at')}"
    if kind == "resolution":
        return f"resolution of {entry.get('question')}"
    if kind == "reference":
        return f"reference forecast of {entry.get('question')} by {entry.get('name')}"
    return str(kind)


def verify(path: Path) -> list[Break]:
    """Every break of the chain at ``path`` (empty: intact)."""
    breaks: list[Break] = []
    prev = GENESIS
    for i, raw in enumerate(read(path), start=1):
        line = raw.pop("_line")
        entry = raw
        what = []
        if entry.get("seq") != i:
            what.append(f"sequence number {entry.get('seq')!r} where {i} was expected "
                        "(an entry was removed, inserted or moved)")
        if entry.get("prev") != prev:
            what.append("does not chain to the entry before it (an earlier entry was "
                        "changed, removed or reordered)")
        if entry.get("hash") != entry_hash(entry):
            what.append("its content changed after it was written (hash mismatch)")
        if what:
            breaks.append(Break(line, entry.get("seq"), "; ".join(what), label(entry)))
        prev = entry.get("hash", "")
    return breaks


def entries(path: Path) -> list[dict[str, Any]]:
    """The entries without the reader's bookkeeping."""
    out = read(path)
    for e in out:
        e.pop("_line", None)
    return out


def verify_snapshots(path: Path) -> list[Break]:
    """Breaks for frozen-scenario snapshots (``scenarios/<id>-<hash12>.json`` beside the
    register) whose content no longer hashes to the freeze entry's ``content_hash``, or
    that an entry names but that are missing. A freeze without a snapshot is not a break."""
    out = []
    for raw in read(path):
        if raw.get("kind") != "freeze":
            continue
        sid, digest = raw.get("scenario_id"), str(raw.get("content_hash", ""))
        name = raw.get("snapshot") or f"scenarios/{sid}-{digest[:12]}.json"
        file = path.parent / str(name)
        if not file.exists():
            if raw.get("snapshot"):
                out.append(Break(raw["_line"], raw.get("seq"), f"its scenario snapshot {name} "
                                 "is missing (restore it from git)", label(raw)))
            continue
        if hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            out.append(Break(raw["_line"], raw.get("seq"), f"its scenario snapshot {name} "
                             "changed (hash differs from content_hash)", label(raw)))
    return out

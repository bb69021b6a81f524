"""Battle data for fitting attrition laws: CDB90, and a campaign's daily series.

CDB90 is the US Army Concepts Analysis Agency's database of 660 battles, 1600-1973
(public domain), in the tidy version by J. B. Arnold (``cdb90_*.csv``; columns documented
in ``cdb90_datapackage.json``). :func:`load_cdb90` returns one row per battle with the
attacker's and defender's total personnel strength (``str``, ``*_strength``), initial
strength (``intst``, ``*_initial``; missing for about a fifth of the rows, where ``str``
counts a force that was built up during the battle) and casualties (``cas``), the year (start of the battle), duration in days and the attacker's
advance (``kmda``, km). Battles flagged as duplicates (``parent`` not null) are dropped.

A campaign table has one row per day with columns ``day, red_strength, blue_strength,
red_casualties, blue_casualties`` (strength at the start of the day, casualties during it);
a battle list one row per battle with ``attacker_strength, defender_strength,
attacker_casualties, defender_casualties`` and optionally ``year`` and ``name``. Both are
read in CSV, TSV, semicolon, pipe or whitespace layout (delimiter sniffed, decimal commas
with semicolons), their columns named by a mapping (``--map field=COLUMN,...``) when
they have other names.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd

from polemos.datasets.paths import DataNotFound, data_file

CAMPAIGN_COLUMNS = ("day", "red_strength", "blue_strength", "red_casualties", "blue_casualties")


def load_cdb90(data: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One row per (non-duplicate) CDB90 battle; ``data`` overrides the data directory."""
    bel = pd.read_csv(data_file("battles/cdb90_belligerents.csv", data))
    battles = pd.read_csv(data_file("battles/cdb90_battles.csv", data))
    durations = pd.read_csv(data_file("battles/cdb90_durations.csv", data))
    cols = {"str": "strength", "intst": "initial", "cas": "casualties"}
    out = battles.set_index("isqno")[["name", "war", "kmda", "parent"]]
    for flag, side in ((1, "attacker"), (0, "defender")):
        rows = bel.loc[bel["attacker"] == flag, ["isqno", *cols]].set_index("isqno")
        out = out.join(rows.rename(columns={k: f"{side}_{v}" for k, v in cols.items()}))
    out = out.join(durations.set_index("isqno")[["datetime_min", "duration1"]])
    out["year"] = pd.to_numeric(out["datetime_min"].astype(str).str[:4], errors="coerce")
    out = out[out["parent"].isna()].drop(columns=["parent", "datetime_min"])
    return out.rename(columns={"duration1": "duration_days"}).reset_index()


BATTLE_FIELDS = ("attacker_strength", "defender_strength", "attacker_casualties",
                 "defender_casualties")
BATTLE_OPTIONAL = ("year", "name")
CAMPAIGN_OPTIONAL = ("day",)


def parse_map(text: str | None, fields: tuple[str, ...]) -> dict[str, str]:
    """``"field=COLUMN,field=COLUMN"`` -> ``{field: COLUMN}``; unknown fields are refused."""
    if not text:
        return {}
    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        field, eq, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not eq or not field or not column:
            raise ValueError(f"--map: {part.strip()!r} is not field=COLUMN (fields: "
                             f"{', '.join(fields)})")
        if field not in fields:
            raise ValueError(f"--map: unknown field {field!r}; fields: {', '.join(fields)}")
        out[field] = column
    return out


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A table with a header row, in CSV, TSV, semicolon, pipe or whitespace layout.

    The delimiter is sniffed by the standard library (``csv.Sniffer`` over ``, ; tab |``)
    from the first lines; a file with none of them is read as whitespace-separated. With
    semicolons, decimal commas (``1,5``) are read as numbers (the European spreadsheet
    export). Cells are returned as text; :func:`select_columns` converts them.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFound(f"file not found: {path}")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise ValueError(f"{path}: the file is empty")
    sample = "\n".join(lines[:30])
    try:
        sep = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        sep = None
    if sep is None or sep not in lines[0]:
        frame = pd.read_csv(io.StringIO(text), sep=r"\s+", dtype=str, engine="python")
        sep = "whitespace"
    else:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, skipinitialspace=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.attrs["delimiter"] = sep
    if sep == ";":
        body = frame.stack()
        if body.str.fullmatch(r"\s*-?\d+,\d+\s*").any():
            frame = frame.apply(lambda col: col.str.replace(",", ".", regex=False))
            frame.attrs["delimiter"] = sep
            frame.attrs["decimal"] = ","
    return frame


def select_columns(frame: pd.DataFrame, path, required: tuple[str, ...],
                   optional: tuple[str, ...], mapping: dict[str, str],
                   text_fields: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table's columns under our field names (numbers, except ``text_fields``).

    A field is read from the column named by ``mapping`` (``--map field=COLUMN``), else
    from a column of the field's own name (case-insensitive). Errors name the file, the
    row (line in the file) and the field, and say what to do.
    """
    lower = {c.lower(): c for c in frame.columns}
    cols = {}
    for field in (*required, *optional):
        column = mapping.get(field)
        if column is not None:
            if column not in frame.columns and column.lower() not in lower:
                raise ValueError(f"{path}: --map {field}={column}: no column {column!r}; "
                                 f"columns: {', '.join(frame.columns)}")
            cols[field] = column if column in frame.columns else lower[column.lower()]
        elif field.lower() in lower:
            cols[field] = lower[field.lower()]
    missing = [f for f in required if f not in cols]
    if missing:
        raise ValueError(
            f"{path}: missing column(s) {', '.join(missing)}; columns in the file: "
            f"{', '.join(frame.columns)}. Name them with --map "
            + ",".join(f"{f}=COLUMN" for f in missing))
    out = pd.DataFrame(index=frame.index)
    out.attrs.update(frame.attrs)
    for field, column in cols.items():
        raw = frame[column]
        if field in text_fields:
            out[field] = raw.astype(str).str.strip()
            continue
        num = pd.to_numeric(raw.astype(str).str.strip().str.replace("_", "", regex=False),
                            errors="coerce")
        bad = num.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
        if bad.any():
            row = int(frame.index[bad][0]) + 2  # header is line 1
            raise ValueError(f"{path}:{row}: field {field} (column {column!r}) is not a "
                             f"number: {str(raw[bad].iloc[0])!r}")
        out[field] = num
    return out


def load_campaign(path: str | os.PathLike[str], mapping: dict[str, str] | None = None
                  ) -> pd.DataFrame:
    """A campaign's daily series (:data:`CAMPAIGN_COLUMNS`) from a table in any layout
    :func:`read_table` sniffs, columns named by ``mapping`` (``--map``) or by the field
    names; without a ``day`` column the rows are taken in file order. Raises
    ``ValueError`` saying what is missing and where."""
    frame = read_table(path)
    required = CAMPAIGN_COLUMNS[1:]
    out = select_columns(frame, path, required, CAMPAIGN_OPTIONAL, mapping or {})
    if "day" not in out:
        out.insert(0, "day", np.arange(1, len(out) + 1, dtype=float))
    out = out[list(CAMPAIGN_COLUMNS)]
    bad = out.isna().any(axis=1)
    if bad.any():
        raise ValueError(f"{path}: empty values in row(s) "
                         f"{', '.join(str(i + 2) for i in out.index[bad][:5])}")
    return out.sort_values("day").reset_index(drop=True)


def load_battles(path: str | os.PathLike[str], mapping: dict[str, str] | None = None
                 ) -> pd.DataFrame:
    """A battle list, one row per battle: :data:`BATTLE_FIELDS` and optionally ``year``
    and ``name``, in any layout :func:`read_table` sniffs (``--map`` names the columns).
    Rows with an empty strength or casualty cell are kept as missing (the fit skips them)."""
    frame = read_table(path)
    out = select_columns(frame, path, BATTLE_FIELDS, BATTLE_OPTIONAL, mapping or {},
                         text_fields=("name",))
    if out.empty:
        raise ValueError(f"{path}: no rows")
    return out.reset_index(drop=True)

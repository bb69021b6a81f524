"""Russian personnel losses as claimed by Ukraine's General Staff (daily, cumulative).

Source: ``../shared/data/ukraine/russia_losses_personnel.json`` (P. Ivaniuk's compilation
of the General Staff's daily statements, MIT licence), 2022-02-25 onward. A one-sided
source: treat as an upper-biased series, good for the order of magnitude of attrition
rates, never as ground truth.
"""

from __future__ import annotations

import json
import os

import pandas as pd

from polemos.datasets.paths import data_file


def load_claimed_russian_losses(data: str | os.PathLike[str] | None = None) -> pd.Series:
    """Cumulative claimed Russian personnel losses, indexed by date."""
    with open(data_file("ukraine/russia_losses_personnel.json", data)) as fh:
        rows = json.load(fh)
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.set_index("date")["personnel"].astype(float).sort_index()


def weekly_rate(series: pd.Series, start: str, end: str) -> float:
    """Average claimed losses a week between two dates (inclusive, nearest observations)."""
    window = series.loc[start:end]
    if len(window) < 2:
        raise ValueError(f"fewer than two observations between {start} and {end}")
    days = (window.index[-1] - window.index[0]).days
    return float((window.iloc[-1] - window.iloc[0]) / (days / 7.0))

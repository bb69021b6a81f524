"""The wheel carries what an installed polemos needs outside the source tree: the seed
scenarios (``polemos serve`` lists them from any folder) and the web page."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_seed_scenarios_and_the_page(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path)], check=True,
                   capture_output=True, text=True)
    (wheel,) = tmp_path.glob("polemos-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = {p.name for p in (ROOT / "scenarios").glob("*.yaml")}
    assert seeds and {f"polemos/scenarios/{s}" for s in seeds} <= names
    assert {"polemos/web/index.html", "polemos/web/app.js"} <= names

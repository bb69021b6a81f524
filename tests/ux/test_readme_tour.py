"""The README's short tour, run as written in a temporary copy of the project.

Each ``$ polemos ...`` line of the tour is run by a shell (pipes included) with
``polemos`` on the PATH; the lines shown under a command must appear in its output:
plain lines as the start of an output line, table lines (``│ text │``) by their first
cell, lines ending in ``...`` by their beginning. A command whose shown output counts
problems must exit 2, every other command 0. ``polemos serve`` is started, fetched once
and stopped. The Python block is executed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from tests.ux.conftest import ROOT

README = ROOT / "README.md"


def tour_blocks() -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(command, expected lines) pairs and the Python blocks of the tour section."""
    text = README.read_text()
    return blocks(text=text[text.index("## A short tour"):text.index("## Documentation")])


def blocks(path: Path | None = None, text: str | None = None
           ) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(command, expected lines) pairs and the Python blocks of a Markdown text."""
    section = text if text is not None else path.read_text()
    commands: list[tuple[str, list[str]]] = []
    python: list[str] = []
    for lang, body in re.findall(r"```(\w*)\n(.*?)```", section, flags=re.S):
        if lang == "python":
            python.append(body)
            continue
        for line in body.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:].split("  #")[0].strip(), []))
            elif line.strip() and commands:
                commands[-1][1].append(line.rstrip())
    return commands, python


def _copy(tmp: Path, shared: Path) -> Path:
    proj = tmp / "proj"
    proj.mkdir()
    shutil.copytree(ROOT / "scenarios", proj / "scenarios")
    shutil.copytree(ROOT / "docs", proj / "docs")
    (tmp / "shared").mkdir()
    (tmp / "shared" / "data").symlink_to(shared)
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "polemos"
    exe.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT / 'src')!r})\n"
                   "from polemos.cli.app import main\nif __name__ == '__main__':\n    sys.exit(main())\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return proj


def _env(tmp: Path, shared: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("POLEMOS_STORE", "TERM")}
    env.update(PATH=f"{tmp / 'bin'}{os.pathsep}{env.get('PATH', '')}", COLUMNS="80",
               MPLBACKEND="Agg", POLEMOS_DATA=str(shared),
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    return env


def _matches(expected: str, lines: list[str]) -> bool:
    if expected.strip() == "...":
        return True
    if expected.startswith("│"):
        cell = expected.strip("│ ").split("│")[0].strip().rstrip("….").strip()
        return any(cell in line for line in lines)
    want = expected.strip()
    if want.endswith("..."):
        return any(line.strip().startswith(want[:-3]) for line in lines)
    return any(line.strip().startswith(want) for line in lines)


def _serve(command: str, proj: Path, env: dict[str, str]) -> None:
    port = 8000 + os.getpid() % 1000
    proc = subprocess.Popen(f"{command} --port {port}", shell=True, cwd=proj, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as r:
                    assert r.status == 200 and "polemos" in r.read().decode()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/scenarios") as r:
                    assert b"venezuela-2025-10" in r.read()
                return
            except OSError:
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.1)
        raise AssertionError("polemos serve did not answer")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


@pytest.mark.slow
def test_readme_tour_runs_as_written(tmp_path: Path, shared_data: Path) -> None:
    commands, python = tour_blocks()
    assert len(commands) >= 20 and python
    proj = _copy(tmp_path, shared_data)
    env = _env(tmp_path, shared_data)
    for command, expected in commands:
        if command.startswith("polemos serve"):
            _serve(command, proj, env)
            continue
        proc = subprocess.run(command, shell=True, cwd=proj, env=env, capture_output=True,
                              text=True, timeout=600)
        lines = (proc.stdout + "\n" + proc.stderr).splitlines()
        want = 2 if any(re.search(r"\d+ problem\(s\)", e) for e in expected) else 0
        assert proc.returncode == want, (command, proc.stdout[-2000:], proc.stderr[-2000:])
        for line in expected:
            assert _matches(line, lines), (command, line, proc.stdout[-3000:], proc.stderr)
        assert "Traceback" not in proc.stderr, (command, proc.stderr)
    old = Path.cwd()
    os.chdir(proj)
    try:
        for block in python:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(old)
    assert list(proj.glob("*.parquet")) and (proj / "taiwan-2027.yaml").exists()

"""``polemos validate FILE...``: check scenario files, reporting every problem at once."""

from __future__ import annotations

from pathlib import Path

import typer

from polemos.cli.output import console, console_err, emit_json


def validate(
    files: list[Path] = typer.Argument(..., help="Scenario YAML files (or directories)."),
    json_out: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Validate scenario files; exit 0 when all are valid, 2 otherwise."""
    from polemos.scenario.load import validate_files

    paths: list[Path] = []
    for f in files:
        paths.extend(sorted(f.glob("*.yaml")) if f.is_dir() else [f])
    results = validate_files(paths)
    bad = {k: v for k, v in results.items() if v}
    _warn_late_sources([p for p, v in results.items() if not v])
    if json_out:
        emit_json({
            path: [
                {"line": p.line, "column": p.column, "path": p.path, "message": p.message, "hint": p.hint}
                for p in problems
            ]
            for path, problems in results.items()
        })
    else:
        for path, problems in results.items():
            if problems:
                for p in problems:
                    console_err.print(p.format(), markup=False, highlight=False)
            else:
                console.print(f"[green]ok[/green] {path}")
        if bad:
            n = sum(len(v) for v in bad.values())
            console_err.print(f"{n} problem(s) in {len(bad)} of {len(results)} file(s)")
    raise typer.Exit(2 if bad else 0)


def _warn_late_sources(paths: list[str]) -> None:
    """Warnings (never errors) for sources published after a scenario's as_of."""
    from polemos.scenario.exante import located_warnings

    for path in paths:
        for line in located_warnings(path):
            console_err.print(line, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)

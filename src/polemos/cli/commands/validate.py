"""``polemos validate FILE...``: check scenario files, reporting every problem at once.

Errors (exit 2) make a file unusable; warnings (exit 0) name what a valid file states
but no model reads (see :mod:`polemos.engine.reads`), with file, line and path.
"""

from __future__ import annotations

from pathlib import Path

import typer

from polemos.cli.output import console, console_err, emit_json


def input_warnings(path: Path) -> list:
    """Located warnings for a valid scenario file: every stated input no model reads."""
    from polemos.engine.reads import read_report
    from polemos.scenario.errors import Problem
    from polemos.scenario.load import loads_scenario
    from polemos.scenario.pydantic_errors import locate
    from polemos.scenario.yamlio import parse_yaml, read_text

    text = read_text(path)
    _, locs = parse_yaml(text, str(path))
    scenario = loads_scenario(text, str(path))
    out = []
    for item in read_report(scenario).unread:
        line, col = locate(locs, item.loc)
        out.append(Problem(str(path), line, col, item.path, "no model reads this input",
                           f"remove it, or list '{item.path}' (or a pattern) under "
                           "meta.descriptive if it is context"))
    return out


def late_source_warnings(path: Path) -> list:
    """Located warnings for a valid scenario file: every source dated after its as_of,
    with the figures citing it (see :mod:`polemos.scenario.exante`)."""
    from polemos.scenario.exante import located_warnings

    return located_warnings(str(path))


def validate(
    files: list[Path] = typer.Argument(..., help="Scenario YAML files (or directories)."),
    json_out: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Validate scenario files; exit 0 when all are valid, 2 otherwise.

    Valid files are also checked for inputs that no model reads and for sources
    published after the scenario's as_of (warnings)."""
    from polemos.scenario.load import validate_files

    paths: list[Path] = []
    for f in files:
        paths.extend(sorted(f.glob("*.yaml")) if f.is_dir() else [f])
    results = validate_files(paths)
    warnings = {str(p): late_source_warnings(p) + input_warnings(p)
                for p in paths if not results[str(p)]}
    bad = {k: v for k, v in results.items() if v}
    for path, extra in _warnings([p for p in paths if not results.get(str(p))]).items():
        warnings[path] = [*warnings.get(path, []), *extra]
    if json_out:
        emit_json({
            path: [
                {"line": p.line, "column": p.column, "path": p.path, "message": p.message,
                 "hint": p.hint, "severity": severity}
                for severity, group in (("error", problems), ("warning", warnings.get(path, [])))
                for p in group
            ]
            for path, problems in results.items()
        })
    else:
        for path, problems in results.items():
            for p in problems:
                console_err.print(p.format(), markup=False, highlight=False)
            for p in warnings.get(path, []):
                console_err.print(p.format().replace(": ", ": warning: ", 1), markup=False,
                                  highlight=False)
            if not problems:
                n_warn = len(warnings.get(path, []))
                tail = f" ({n_warn} warning(s))" if n_warn else ""
                console.print(f"[green]ok[/green] {path}{tail}")
        if bad:
            n = sum(len(v) for v in bad.values())
            console_err.print(f"{n} problem(s) in {len(bad)} of {len(results)} file(s)")
    raise typer.Exit(2 if bad else 0)


def _warnings(paths: list[Path]) -> dict[str, list]:
    """Warnings (claims dated after the horizon, ...) of each valid file."""
    from polemos.scenario.advice import date_warnings
    from polemos.scenario.load import load_scenario

    return {str(p): date_warnings(load_scenario(p), str(p)) for p in paths}


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)

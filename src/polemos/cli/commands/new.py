"""``polemos new NAME``: write a commented scenario template that validates."""

from __future__ import annotations

from pathlib import Path

import typer

from polemos.cli.output import console, console_err


def new(
    name: str = typer.Argument(..., help="Scenario name, e.g. 'taiwan-2027'."),
    directory: Path = typer.Option(Path("."), "--dir", "-d", help="Where to write it."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Create NAME.yaml from a commented template."""
    from polemos.scenario.template import render

    text = render(name)
    slug = text.split("polemos validate ", 1)[1].split(".yaml", 1)[0]
    path = directory / f"{slug}.yaml"
    if path.exists() and not force:
        console_err.print(f"{path} exists; use --force to overwrite")
        raise typer.Exit(1)
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    console.print(f"wrote {path}; check it with: polemos validate {path}")


def register(app: typer.Typer) -> None:
    app.command("new")(new)

"""``polemos new NAME``: write a commented scenario template that validates."""

from __future__ import annotations

from pathlib import Path

import typer

from polemos.cli.output import console, console_err, emit_json


def new(
    name: str = typer.Argument(..., help="Scenario name, e.g. 'taiwan-2027'."),
    directory: Path = typer.Option(Path("."), "--dir", "-d", help="Where to write it."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    json_out: bool = typer.Option(False, "--json", help="Print the path written as JSON."),
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
    if json_out:
        emit_json({"path": str(path), "id": slug})
        return
    console.print(f"wrote {path}", highlight=False, soft_wrap=True)
    console.print(f"next: polemos validate {path}", highlight=False, soft_wrap=True)
    console.print(f"then: polemos run {path} --report", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("new")(new)

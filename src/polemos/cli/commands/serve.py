"""``polemos serve``: the HTTP API and the web page (uvicorn)."""

from __future__ import annotations

from pathlib import Path

import typer

from polemos.cli.output import console_err


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
    scenarios: Path = typer.Option(Path("scenarios"), "--scenarios",
                                   help="Directory of seed scenario YAML files."),
) -> None:
    """Serve the web page at / and the JSON API under /api (see docs/api.md)."""
    import uvicorn

    from polemos.api import create_app

    if not scenarios.is_dir():
        raise typer.BadParameter(f"{scenarios} is not a directory", param_hint="--scenarios")
    if host not in ("127.0.0.1", "localhost", "::1"):
        console_err.print(f"warning: listening on {host}; the API has no authentication",
                          markup=False)
    app = create_app(store, scenarios)
    console_err.print(f"polemos: http://{host}:{port}/  (store {app.state.store.root}, "
                      f"scenarios {scenarios})", markup=False, highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)

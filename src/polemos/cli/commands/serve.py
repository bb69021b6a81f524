"""``polemos serve``: the HTTP API and the web page (uvicorn)."""

from __future__ import annotations

from pathlib import Path

import typer

from polemos.cli.output import console_err


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    store: Path | None = typer.Option(None, "--store", help="Store directory (default .polemos)."),
    scenarios: Path | None = typer.Option(
        None, "--scenarios", help="Directory of scenario YAML files listed on the page "
        "(default: ./scenarios if there is one, else the seed scenarios shipped with polemos, "
        "else none: paste or upload your own)."),
    token: str | None = typer.Option(None, "--token", envvar="POLEMOS_TOKEN",
                                     help="Required on every /api request (Authorization: "
                                     "Bearer TOKEN); needed to listen beyond loopback."),
    allow_host: list[str] = typer.Option([], "--allow-host",
                                         help="Also answer this Host name (repeatable; "
                                         "local names always)."),
) -> None:
    """Serve the web page at / and the JSON API under /api (see docs/api.md)."""
    import uvicorn

    from polemos.api import create_app
    from polemos.api.guard import is_loopback

    if scenarios is None:
        scenarios = default_scenarios()
    elif not scenarios.is_dir():
        raise typer.BadParameter(f"{scenarios} is not a directory (give the folder that holds "
                                 "the scenario .yaml files, or leave --scenarios out)",
                                 param_hint="--scenarios")
    if scenarios is not None:
        scenarios = scenarios.resolve()  # the server may later run from another folder
    hosts = list(allow_host)
    if not is_loopback(host):
        if not token:
            raise typer.BadParameter(
                f"listening on {host} (beyond this machine) needs a token: pass --token "
                "SECRET or set POLEMOS_TOKEN", param_hint="--host")
        if host not in ("0.0.0.0", "::"):
            hosts.append(host)
    app = create_app(store, scenarios, allow_hosts=hosts, token=token or None)
    listed = scenarios if scenarios is not None else "none"
    console_err.print(f"polemos: http://{host}:{port}/  (store {app.state.store.root}, "
                      f"scenarios {listed})", markup=False, highlight=False)
    if scenarios is None:
        console_err.print("polemos: no seed scenarios found (no ./scenarios folder and none "
                          "installed with polemos); the page starts empty: paste or upload a "
                          "scenario, or restart with --scenarios DIR", markup=False,
                          highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info")


def default_scenarios() -> Path | None:
    """``./scenarios`` when it holds scenario files, else the seed scenarios installed with
    the package (``polemos/scenarios``) or beside its source tree, else None."""
    import polemos

    package = Path(polemos.__file__).resolve().parent
    for where in (Path("scenarios"), package / "scenarios", package.parents[1] / "scenarios"):
        if where.is_dir() and any(where.glob("*.yaml")):
            return where
    return None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)

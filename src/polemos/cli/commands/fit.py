"""``polemos fit ...``: estimate model parameters from data.

Families add their estimators as commands of :data:`fit_app`, e.g.::

    from polemos.cli.commands.fit import fit_app

    @fit_app.command("lanchester")
    def fit_lanchester(...): ...
"""

from __future__ import annotations

import typer

fit_app = typer.Typer(help="Fit model parameters to real data.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(fit_app, name="fit")

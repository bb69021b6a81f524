"""The ``polemos`` command.

Each module in :mod:`polemos.cli.commands` defines ``register(app)`` and is discovered
here, so a model family adds its commands without touching this file. Command groups
that several families share (``polemos fit ...``) are typer sub-apps defined once in
their own module (:mod:`polemos.cli.commands.fit`) that families add commands to.

No traceback ever reaches a user: scenario problems print as located messages (exit 2),
anything unexpected as a one-line internal error (exit 70).

Start-up is kept short (``polemos --help`` and ``--version`` well under 0.3 s): command
modules import only typer, rich and light parts of polemos at the top, and each command
imports NumPy, the engine, models, data sets, pandas, SciPy, DuckDB or matplotlib inside
its body, when it runs. ``tests/cli/test_startup.py`` checks that importing this module
loads none of the heavy ones.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from polemos.cli import commands
from polemos.cli.output import console_err
from polemos.scenario.errors import ScenarioError

app = typer.Typer(
    name="polemos",
    help="Simulate geopolitical conflict as one system: negotiation, war, economic "
    "coercion and escalation, with honest uncertainty.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from polemos import __version__

        typer.echo(f"polemos {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Options that apply before any command."""


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_load_commands()


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except ScenarioError as exc:
        for problem in exc.problems:
            console_err.print(problem.format(), markup=False, highlight=False)
        return 2
    except KeyboardInterrupt:
        console_err.print("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if getattr(exc, "exit_code", None) == 2:  # a fault the user can act on (StoreError)
            console_err.print(f"polemos: {exc}", markup=False, highlight=False)
            return 2
        if os.environ.get("POLEMOS_DEBUG"):
            raise
        console_err.print(
            f"polemos: internal error: {type(exc).__name__}: {exc}\n"
            "Set POLEMOS_DEBUG=1 to see the traceback, and please report it.",
            markup=False,
        )
        return 70
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

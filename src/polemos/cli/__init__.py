"""Command-line interface: ``polemos`` (typer). Commands live in :mod:`polemos.cli.commands`."""

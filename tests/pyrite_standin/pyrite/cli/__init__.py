"""STAND-IN for pyrite/cli/__init__.py: the Typer app `pyrite` and its plugin commands (L108-121
at bbf3b31): a command with registered_commands is a Typer app added as a group, anything else a
single command. Run as `python -m pyrite.cli ARGS` (the real one is the `pyrite` script)."""

import logging

import typer

app = typer.Typer(name="pyrite", no_args_is_help=True)


@app.command("version")
def version():
    """A command of Pyrite's own, so that plugin commands are not the only ones."""
    from .. import __version__
    typer.echo(__version__)


try:
    from ..plugins import get_registry

    for name, command in get_registry().get_all_cli_commands():
        if hasattr(command, "registered_commands"):
            app.add_typer(command, name=name)
        else:
            app.command(name)(command)
except Exception:
    logging.getLogger(__name__).warning("Plugin CLI loading failed", exc_info=True)

"""`python -m pyrite.cli`: the stand-in's `pyrite` script."""

from . import app

app()

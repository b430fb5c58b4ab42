"""`python -m kg.cli`: the `kg` command."""

from kg.cli import app

app(prog_name="kg")

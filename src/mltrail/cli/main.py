"""Entry point of the ``mltrail`` command."""

from __future__ import annotations

import click

from mltrail import __version__
from mltrail.cli.models import models
from mltrail.cli.server import server, ui


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mltrail")
def cli() -> None:
    """mltrail: track experiments, compare runs, register and serve models."""


cli.add_command(server)
cli.add_command(ui)
cli.add_command(models)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

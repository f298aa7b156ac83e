"""The ``assistant`` command. Each pipeline stage registers its commands from its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="assistant",
    help="Utlåtandeassistenten: ingest, search and draft tjänsteutlåtanden.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported for their side effect of adding commands to ``app``.
    from assistant.cli import draft, evaluate, ingest, search, users  # noqa: F401


def main() -> None:
    import os

    os.umask(0o077)  # what the CLI writes under the data dir is owner-only, as in the app (assistant.datadir)
    _register()
    app()

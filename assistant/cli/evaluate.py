"""CLI commands for this stage (filled in by its issue)."""

from assistant.cli import app  # noqa: F401

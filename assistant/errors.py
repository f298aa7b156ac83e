"""Errors a user sees. Each names the file (or input) and the reason, in plain words."""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""


class IngestError(AssistantError):
    """A file could not be ingested. ``str(err)`` is the one line shown to the user."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class IndexMismatchError(AssistantError):
    """The index was built with another embedding model than the one configured."""


class ConfigurationError(AssistantError):
    """A setting is missing or inconsistent (for example an LLM drafter with no LLM configured)."""


class BenchmarkError(AssistantError, ValueError):
    """A benchmark file that cannot be read: names the file, the line and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

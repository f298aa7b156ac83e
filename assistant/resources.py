"""Data shipped inside the package: the prompts, the registry data and the bundled documents.

The one copy lives in the repository's top-level ``prompts/`` and ``knowledge/`` folders, where it is
edited. ``assistant/_data/prompts`` and ``assistant/_data/knowledge`` are symlinks to them, and
``pyproject.toml`` declares their files package data, so a wheel (a non-editable ``pip install .``)
carries real copies. Either way the package finds its data with :mod:`importlib.resources`, never by
walking up from a source file. Each folder can be replaced by a setting: ``prompts_dir``,
``knowledge_dir`` (documents indexed on first start) and ``registry_dir`` (districts and glossary).

Prompts are read here and nowhere else (:func:`load_prompt`). This module imports no settings at
import time: :mod:`assistant.settings` takes its defaults from it.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ConfigurationError

if TYPE_CHECKING:
    from assistant.settings import Settings


def _package_data(name: str) -> Path:
    # A package installed as files (wheel or editable) is a folder: ``files`` gives a Path.
    return Path(str(files("assistant").joinpath("_data", name)))


BUNDLED_PROMPTS = _package_data("prompts")
"""The prompts shipped with the package (``prompts/`` in the repository)."""
BUNDLED_KNOWLEDGE = _package_data("knowledge")
"""The bundled knowledge (``knowledge/`` in the repository): ``documents/`` and ``registry/``."""
BUNDLED_REGISTRY = BUNDLED_KNOWLEDGE / "registry"
BUNDLED_RECORDS = BUNDLED_KNOWLEDGE / "documents" / "records.json"
"""Provenance of the bundled documents (which are real public records)."""
BUNDLED_LOCALNESS_MODEL = _package_data("localness_model.json.gz")
"""The learned second opinion on local sentences (``assistant.draft.learned_localness``), written by
``eval/train_localness.py`` from the tuning half of ``eval/archive``."""


def load_prompt(name: str, settings: Settings | None = None) -> str:
    """The prompt ``name`` (``"draft_system.md"``) from ``settings.prompts_dir``."""
    if Path(name).name != name:
        raise ValueError(f"a prompt is named by its file name, not a path: {name!r}")
    if settings is None:
        from assistant.settings import get_settings

        settings = get_settings()
    path = Path(settings.prompts_dir) / name
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: the prompt cannot be read ({exc}); see ASSISTANT_PROMPTS_DIR") from exc

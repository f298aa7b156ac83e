"""Shared fixtures. Everything is real: real files, real Chroma, real embedding model, real SQLite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.settings import REPO_ROOT, Settings  # noqa: E402

SEED_DIR = REPO_ROOT / "knowledge" / "documents"
SEED_IDS = {
    "000": "000_53c14e9e9230afdf",
    "001": "001_d439524d20ce7a6b",
    "002": "002_e2fac3d16bc15df6",
    "003": "003_0856129ab23e5b56",
    "004": "004_7c0e77e509e4bfeb",
}


def seed_path(short: str) -> Path:
    """Path of a bundled seed document by its number, e.g. ``seed_path("002")``."""
    return SEED_DIR / f"{SEED_IDS[short]}.txt"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh, empty data directory."""
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def seeded_assistant(tmp_path_factory: pytest.TempPathFactory):
    """One Assistant with all five seeds ingested and indexed (real model, embedded Chroma).

    Session-scoped because embedding is the slow part; tests must not modify it (use their own
    ``Assistant(Settings(data_dir=tmp_path))`` for that).
    """
    from assistant.services import Assistant

    data = tmp_path_factory.mktemp("seeded") / "data"
    assistant = Assistant(Settings(data_dir=data))
    report = assistant.ingest([SEED_DIR])
    assert report.ok, report.failed
    return assistant

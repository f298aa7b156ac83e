"""The vector index on a real Chroma server (``chroma run``), as a deployment with a shared server uses it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.helpers import SEED_DIR, SEED_IDS, free_port, http_ok, served

from assistant.services import Assistant
from assistant.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    url = f"http://127.0.0.1:{port}"
    args = [str(chroma), "run", "--path", str(tmp_path / "server"), "--port", str(port), "--host", "127.0.0.1"]
    with served(args, http_ok(f"{url}/api/v2/heartbeat"), tmp_path / "chroma.log", timeout=60):
        yield url


def test_ingest_and_search_through_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server)
    assistant = Assistant(settings)
    paths = [SEED_DIR / f"{SEED_IDS[s]}.txt" for s in ("000", "001", "003")]
    report = assistant.ingest(paths)
    assert report.ok, report.failed
    assert not (settings.index_dir / "chroma").exists(), "no embedded Chroma when a server is configured"
    collection = assistant.index.vector.collection
    assert collection.count() == sum(len(assistant.index.chunks_for(SEED_IDS[s])) for s in ("000", "001", "003"))
    assert collection.metadata["embedding_model"] == assistant.embeddings.model_id

    top = assistant.search("Hur utnyttjar socialtjänsten tiden som elever är placerade i RSU-grupp?", k=5)
    assert {p.doc_id for p in top[:3]} & {SEED_IDS["000"], SEED_IDS["001"]}
    assert all(p.vector_rank is not None for p in top[:3]), "vector hits come from the server"
    assert assistant.search("11 kap 2 §", k=1)[0].doc_id == SEED_IDS["000"]

    assistant.remove(SEED_IDS["001"])
    assert collection.get(where={"doc_id": SEED_IDS["001"]})["ids"] == []
    assert all(p.doc_id != SEED_IDS["001"] for p in assistant.search("RSU-grupper samverkan", k=20))

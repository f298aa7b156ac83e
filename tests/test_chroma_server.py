"""The vector index on a real Chroma server (``chroma run``), as a deployment with a shared server uses it."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.helpers import SEED_DIR, SEED_IDS, free_port

from assistant.services import Assistant
from assistant.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--port", str(port), "--host", "127.0.0.1"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma server did not start: {(tmp_path / 'chroma.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


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

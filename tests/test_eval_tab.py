"""The eval tab served for real: the run button is refused without the role, and works with it."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client, handle_file

from assistant.ui.eval_tab import DENIED, build_eval_tab

pytestmark = pytest.mark.slow


def _can_run(request: gr.Request) -> bool:
    # Stands in for the app's session check: the role travels in a (ASCII) header in this test.
    return request.headers.get("x-test-role") in ("utvarderare", "admin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(seeded_assistant):
    with gr.Blocks() as demo:
        build_eval_tab(seeded_assistant, can_run=_can_run)
    demo.queue().launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=_free_port(), quiet=True)
    try:
        yield demo.local_url
    finally:
        demo.close()


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    path = tmp_path / "tab.jsonl"
    case = {
        "id": "parkering",
        "inquiry": "Skrivelse om boendeparkering\n\nVarför har avgiften för boendeparkering höjts i stadsdelen?",
        "district": "Södermalm",
        "expect_refusal": True,
    }
    path.write_text(json.dumps(case, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_run_requires_the_role(served: str, bench: Path) -> None:
    client = Client(served, headers={"x-test-role": "handlaggare"}, verbose=False)
    with pytest.raises(Exception, match="utvärderare"):
        client.predict(None, handle_file(str(bench)), "precedent", False, False, api_name="/eval_run")
    assert "utvärderare" in DENIED


def test_run_shows_table_plots_and_report(served: str, bench: Path) -> None:
    client = Client(served, headers={"x-test-role": "utvarderare"}, verbose=False)
    status, table, loo, plots, files = client.predict(None, handle_file(str(bench)), "precedent", False, False, api_name="/eval_run")
    assert "Klar: 1 fall" in status
    rows = {r[0]: r[1] for r in table["data"]}
    assert rows["refusal_accuracy"] == "1.000"
    assert "data:image/png;base64," in plots
    hidden = {r[1] for r in loo["data"]}
    assert {"000_53c14e9e9230afdf", "001_d439524d20ce7a6b"} <= hidden  # seed 002 answered by two districts
    names = sorted(Path(f if isinstance(f, str) else f["path"]).name for f in files)
    assert names == ["report.html", "report.json"]

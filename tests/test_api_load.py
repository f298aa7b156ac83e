"""Ten concurrent ``/draft`` calls through ``gradio_client`` against the app launched in-process."""

from __future__ import annotations

import re
import time

import pytest

from tests.helpers import free_port, seed_path

pytestmark = pytest.mark.slow

DISTRICTS = ["Hässelby-Vällingby", "Skarpnäck", "Farsta", "Bromma", "Kungsholmen"]


@pytest.fixture(scope="module")
def api_url(seeded_assistant, tmp_path_factory):
    from assistant.review.auth import UserStore
    from assistant.review.db import ReviewStore
    from assistant.ui.app import build_app, launch

    tmp = tmp_path_factory.mktemp("api")
    app = seeded_assistant.settings.app.model_copy(update={"port": free_port()})
    settings = seeded_assistant.settings.model_copy(update={"app": app})
    demo = build_app(seeded_assistant, users=UserStore(tmp / "users.json"), review=ReviewStore(tmp / "review.sqlite3"))
    server, url = launch(demo, settings, block=False)
    yield url, demo
    server.should_exit = True


def test_ten_concurrent_draft_calls(api_url):
    from gradio_client import Client

    url, demo = api_url
    inquiry = seed_path("002").read_text(encoding="utf-8")
    client = Client(url, verbose=False)
    t0 = time.perf_counter()
    jobs = [client.submit(inquiry, DISTRICTS[i % len(DISTRICTS)], api_name="/draft") for i in range(10)]
    results = [job.result(timeout=600) for job in jobs]
    elapsed = time.perf_counter() - t0
    print(f"\n10 concurrent /draft calls: {elapsed:.1f} s")
    assert len(results) == 10
    for i, markdown in enumerate(results):
        district = DISTRICTS[i % len(DISTRICTS)]
        assert markdown.startswith("**Handläggare:**")
        assert f"**Till:** {district}" in markdown or f"**Till:** {district}s" in markdown
        assert "## Källor" in markdown and re.search(r"^\[1\] ", markdown, re.MULTILINE)
    # every call was logged as the local user
    from assistant.review.auth import LOCAL_USER

    assert [e.action for e in demo.ctx.review.audit_log(LOCAL_USER, limit=50)] == ["utkast via API"] * 10


def test_draft_api_refuses_empty_input(api_url):
    from gradio_client import Client

    url, _ = api_url
    with pytest.raises(Exception, match="tomt"):
        Client(url, verbose=False).predict("  ", "Skarpnäck", api_name="/draft")

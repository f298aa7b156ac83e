"""The app as a real subprocess (``python app.py``) on a free loopback port, and a real chromium.

The server gets its own data directory (first start: the bundled knowledge is indexed, as a user
would see it) and a users file with two handläggare, an avdelningschef, an admin and an utvärderare.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import free_port, served

from assistant.review.auth import UserStore
from assistant.settings import REPO_ROOT

USERS = {
    "anna": ("handläggare", "anna-lösen-1"),
    "ali": ("handläggare", "ali-lösen-4444"),
    "bo": ("avdelningschef", "bo-lösen-22"),
    "root": ("admin", "root-lösen-333"),
    "eva": ("utvärderare", "eva-lösen-55555"),
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class AppServer:
    def __init__(self, url: str, data_dir: Path, log: Path, env: dict[str, str]) -> None:
        self.url, self.data_dir, self.log, self.env = url, data_dir, log, env


@contextmanager
def run_app(root: Path, users: dict[str, tuple[str, str]], *, knowledge: bool = True, **env: str) -> Iterator[AppServer]:
    """``python app.py`` on a free loopback port with its own data dir under ``root`` and ``users``
    (name → (role, password)); ``knowledge=False`` starts it on an empty knowledge folder (seconds
    instead of the first indexing). ``env`` adds settings (e.g. ``ASSISTANT_SECURITY__…``)."""
    data = root / "data"
    store = UserStore(data / "users.json")
    for name, (role, password) in users.items():
        store.add(name, role, password)
    port = free_port()
    environment = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(data),
        "ASSISTANT_PORT": str(port),
        "ASSISTANT_HOST": "127.0.0.1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    if not knowledge:
        (root / "knowledge" / "documents").mkdir(parents=True)
        environment["ASSISTANT_KNOWLEDGE_DIR"] = str(root / "knowledge")
    log = root / "server.log"

    def ready() -> bool:
        text = log.read_text(encoding="utf-8", errors="replace")
        return "Kunskapsbanken klar" in text and "Running on local URL" in text

    with served([sys.executable, str(REPO_ROOT / "app.py")], ready, log, timeout=300, cwd=root, env=environment):
        yield AppServer(f"http://127.0.0.1:{port}", data, log, environment)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory):
    with run_app(tmp_path_factory.mktemp("app"), USERS) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def passwords() -> dict[str, str]:
    return {name: password for name, (_, password) in USERS.items()}


@pytest.fixture(scope="session")
def login(browser, app_server):
    """``login(name)``: a fresh browser context logged in through Gradio's login form."""
    return lambda name: _login(browser, app_server.url, name)


def _login(browser, url: str, name: str):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.locator("input[type='text'], input[name='username']").first.fill(name)
    page.locator("input[type='password']").first.fill(USERS[name][1])
    page.locator("button[type='submit'], button:has-text('Login'), button:has-text('Logga in')").first.click()
    page.wait_for_selector("#ua-chat", timeout=30000)
    page.wait_for_function("() => document.querySelector('#ua-user')?.innerText.includes('Inloggad')", timeout=30000)
    return context, page

"""The attacks of the trust issue, each against the running app (``python app.py``) with real sessions.

Five users (two handläggare, an avdelningschef, an admin, an utvärderare) on the shared server of
``conftest.py``; login throttling, session timeout and local mode each on a small server of their
own (no bundled knowledge, tight limits), so their lockouts cannot disturb the other tests.
"""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import USERS, run_app

from assistant.ingest.redact import luhn_ok
from assistant.review.auth import User, UserStore
from assistant.review.db import ReviewStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = User("root", "admin")
ANNA = User("anna", "handläggare")


def _store(data_dir: Path) -> ReviewStore:
    return ReviewStore(data_dir / "assistant.sqlite3")


def _session(url: str, name: str, password: str | None = None) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("/login", data={"username": name, "password": password or USERS[name][1]})
    assert response.status_code == 200, response.text
    return client


def _client(url: str, name: str):
    from gradio_client import Client

    return Client(url, auth=(name, USERS[name][1]), verbose=False)


def _returned_draft(app_server) -> int:
    """A draft of anna's, submitted and returned by bo through the API."""
    review = _store(app_server.data_dir)
    draft_id = review.create_draft(ANNA, "Annas svar om holkar", "# Svar\n\nFörsta stycket.\n", district="Farsta")
    review.submit(ANNA, draft_id)
    _client(app_server.url, "bo").predict(draft_id, "return", "Komplettera.", "", api_name="/review")
    return draft_id


# --- ownership and visibility ------------------------------------------------------------------
def test_another_handlaggare_cannot_edit_resubmit_or_comment_a_returned_draft(app_server):
    draft_id = _returned_draft(app_server)
    ali = _client(app_server.url, "ali")
    for action, comment, text in (
        ("save", "", "# Kapad text"),
        ("submit", "", ""),
        ("withdraw", "", ""),
        ("comment", "Min kommentar", ""),
        ("approve", "", ""),
    ):
        with pytest.raises(Exception, match="inte ditt|Behörighet saknas"):
            ali.predict(draft_id, action, comment, text, api_name="/review")
    review = _store(app_server.data_dir)
    assert [v.markdown for v in review.versions(ROOT, draft_id)] == ["# Svar\n\nFörsta stycket.\n"]
    assert review.get_draft(ROOT, draft_id).status == "återremitterad"
    assert [c.author for c in review.comments(ROOT, draft_id)] == ["bo"]
    refused = [e for e in review.audit_log(ROOT, target=f"utkast {draft_id}") if e.user == "ali"]
    assert len(refused) == 5 and all(e.action.startswith("nekad") for e in refused)
    # the owner still can
    anna = _client(app_server.url, "anna")
    assert "sparad" in anna.predict(draft_id, "save", "", "# Svar\n\nKompletterad.\n", api_name="/review")


def test_evaluator_and_other_handlaggare_see_no_drafts_in_the_app(app_server, login):
    draft_id = _returned_draft(app_server)
    for name in ("eva", "ali"):
        context, page = login(name)
        page.get_by_role("tab", name="Granskning").click()
        page.locator("#ua-review-pick input").click()
        assert page.get_by_role("option", name=f"{draft_id}: Annas svar om holkar (återremitterad)").count() == 0
        table = page.locator("#ua-review-table").inner_text()
        assert "Annas svar om holkar" not in table
        context.close()
    context, page = login("anna")
    page.get_by_role("tab", name="Granskning").click()
    page.locator("#ua-review-pick input").click()
    page.get_by_role("option", name=f"{draft_id}: Annas svar om holkar (återremitterad)").wait_for(timeout=20_000)
    context.close()


def test_word_files_are_served_only_to_who_may_see_them(app_server):
    from docx import Document

    path = app_server.data_dir / "exports" / "anna" / "samtal-99-svar.docx"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # as the app makes it (umask 077)
    path.parent.parent.chmod(0o700)
    doc = Document()
    doc.add_paragraph("Annas utkast")
    doc.save(str(path))
    path.chmod(0o600)  # written here by the test as the app would write it (see test_data_dir_files_are_owner_only)
    export_id = _store(app_server.data_dir).register_export(ANNA, path, path.name)

    anna, ali = _session(app_server.url, "anna"), _session(app_server.url, "ali")
    got = anna.get(f"/eksport/{export_id}")
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert ali.get(f"/eksport/{export_id}").status_code == 404
    assert httpx.get(f"{app_server.url}/eksport/{export_id}").status_code == 404  # not logged in
    # Gradio's static file route does not serve the data dir, whoever knows the path
    for client in (anna, ali):
        for route in (f"/gradio_api/file={path}", f"/gradio_api/file={app_server.data_dir / 'assistant.sqlite3'}"):
            assert client.get(route).status_code in (403, 404), route
    refusals = [e for e in _store(app_server.data_dir).audit_log(ROOT) if e.action == "nekad: hämta Word-fil"]
    assert {e.user for e in refusals} >= {"ali"}


def test_approval_with_open_placeholders_needs_confirmation_through_the_api(app_server):
    review = _store(app_server.data_dir)
    draft_id = review.create_draft(
        ANNA, "Svar med platshållare", "**Datum:** [DATUM]\n\n# Svar\n\nText.\n> ☐ Att bekräfta: Farstas uppgift.\n"
    )
    review.submit(ANNA, draft_id)
    bo = _client(app_server.url, "bo")
    message = bo.predict(draft_id, "approve", "", "", False, api_name="/review")
    assert "öppna punkter" in message and "[DATUM]" in message and "Att bekräfta" in message
    assert review.get_draft(ROOT, draft_id).status == "för granskning"
    assert "godkänt" in bo.predict(draft_id, "approve", "", "", True, api_name="/review")
    entry = review.audit_log(ROOT, target=f"utkast {draft_id}")[0]
    assert entry.action == "godkänna" and "[DATUM]" in entry.detail


def test_logout_ends_the_session(app_server):
    anna = _session(app_server.url, "anna")
    assert anna.get("/config").status_code == 200
    assert anna.get("/logout", follow_redirects=False).status_code == 302
    assert anna.get("/config").status_code == 401
    assert "Logga in" in anna.get("/").text


def test_login_page_is_swedish(app_server):
    page = httpx.get(app_server.url + "/").text
    assert '<html lang="sv">' in page and "Användarnamn" in page and "Lösenord" in page and "Logga in" in page


# --- personnummer --------------------------------------------------------------------------------
def _personnummer(yymmdd: str, serial: str) -> str:
    check = next(d for d in "0123456789" if luhn_ok(yymmdd + serial + d))
    return yymmdd + serial + check


def test_a_personnummer_pasted_uploaded_or_commented_is_found_nowhere(app_server, login, tmp_path):
    numbers = [_personnummer(d, s) for d, s in (("850709", "123"), ("920314", "456"), ("010203", "789"), ("770812", "321"), ("640229", "654"))]
    forms = [
        f"{numbers[0][:6]}-{numbers[0][6:]}",  # hyphen
        f"{numbers[1][:6]}\u2011{numbers[1][6:]}",  # non-breaking hyphen
        f"{numbers[2][:6]}\u2212{numbers[2][6:]}",  # minus sign
        f"19{numbers[3][:6]}\u00a0{numbers[3][6:]}",  # 12 digits, non-breaking space
        f"19{numbers[4]}",  # 12 digits, no separator
    ]
    inquiry = (
        "Skrivelse till Farsta stadsdelsnämnd om samverkan mellan skola och socialtjänst\n\n"
        f"Ett barn med personnummer {forms[0]} och ett syskon ({forms[1]}) har inte fått stöd. "
        f"Vårdnadshavaren {forms[2]} har klagat.\n\nVi frågar förvaltningen: Hur samverkar skola och socialtjänst?"
    )
    upload = tmp_path / "bilaga.txt"
    upload.write_text(f"Bilaga om eleven {forms[3]} och samverkan mellan skola och socialtjänst.", encoding="utf-8")

    context, page = login("anna")
    page.locator("#ua-upload input[type='file'], input[type='file']").first.set_input_files(str(upload))
    page.wait_for_function(
        "() => document.querySelector('#ua-message textarea').value.includes('Bilaga om eleven')", timeout=30_000
    )
    assert forms[3] not in page.locator("#ua-message textarea").input_value()
    page.locator("#ua-message textarea").fill(inquiry)
    page.locator("#ua-send").click()
    page.wait_for_function(
        "() => document.querySelector('#ua-chat').innerText.includes('NAMN, avdelningschef')", timeout=180_000
    )
    assert not any(f in page.locator("#ua-chat").inner_text() for f in forms)
    page.locator("#ua-download a").wait_for(timeout=30_000)
    page.locator("#ua-submit-review").click()
    page.wait_for_function(
        "() => document.querySelector('#ua-chat-status').innerText.includes('skickat på granskning')", timeout=20_000
    )
    context.close()
    draft_id = _store(app_server.data_dir).list_drafts(ROOT, owner="anna", status="för granskning")[0].id
    _client(app_server.url, "bo").predict(draft_id, "comment", f"Stryk {forms[4]} ur texten.", "", api_name="/review")

    digits = {n.encode() for n in numbers}
    written = {f.encode("utf-8") for f in forms}
    hits = []
    for path in app_server.data_dir.rglob("*"):
        if not path.is_file():
            continue
        blobs = [path.read_bytes()]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                blobs += [z.read(name) for name in z.namelist()]
        for blob in blobs:
            flat = blob.replace(b"\xe2\x80\x91", b"").replace(b"\xe2\x88\x92", b"").replace(b"\xc2\xa0", b"").replace(b"-", b"")
            hits += [(path, n) for n in digits | written if n in blob or n in flat]
    assert hits == []
    assert not list((app_server.data_dir / "tmp").rglob("bilaga.txt"))  # the raw upload is gone


def test_data_dir_files_are_owner_only(app_server):
    loose = [p for p in app_server.data_dir.rglob("*") if not p.is_symlink() and p.stat().st_mode & 0o077]
    assert loose == []


# --- login throttling, sessions, users file, local mode: small servers of their own -------------
@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    users = {"anna": USERS["anna"], "root": USERS["root"]}
    with run_app(
        tmp_path_factory.mktemp("guarded"),
        users,
        knowledge=False,
        ASSISTANT_SECURITY__MAX_FAILURES_PER_USER="5",
        ASSISTANT_SECURITY__MAX_FAILURES_PER_ADDRESS="12",
        ASSISTANT_SECURITY__SESSION_IDLE_MINUTES="0.05",
        ASSISTANT_SECURITY__FAILURE_DELAY_S="0.2",
    ) as server:
        yield server.url, server.data_dir, server.env


def test_idle_sessions_end(guarded):
    url, _, _ = guarded
    root = _session(url, "root")
    assert root.get("/config").status_code == 200
    time.sleep(1.0)
    assert root.get("/config").status_code == 200  # in use: still alive
    time.sleep(3.5)  # session_idle_minutes = 0.05 (3 s)
    assert root.get("/config").status_code == 401


def test_users_file_changes_apply_without_a_restart(guarded):
    url, data, _ = guarded
    store = UserStore(data / "users.json")
    store.add("nils", "handläggare", "nils-lösen-1")
    nils = _session(url, "nils", "nils-lösen-1")  # a new user logs in at once
    assert nils.get("/config").status_code == 200
    from gradio_client import Client

    client = Client(url, auth=("nils", "nils-lösen-1"), verbose=False)
    store.add("nils", "utvärderare", "nils-lösen-1")  # a role change applies to the running session
    with pytest.raises(Exception, match="Behörighet saknas"):
        client.predict("Skrivelse om snöröjning.", "Farsta", api_name="/draft")
    store.remove("nils")
    assert nils.get("/config").status_code == 401  # a removed user's session ends at once
    with pytest.raises(Exception, match="401"):
        client.predict("Skrivelse om snöröjning.", "Farsta", api_name="/draft")


def test_thirty_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(guarded):
    url, data, env = guarded
    codes = []
    t0 = time.perf_counter()
    for _ in range(30):
        codes.append(httpx.post(f"{url}/login", data={"username": "anna", "password": "fel-lösen"}).status_code)
    elapsed = time.perf_counter() - t0
    assert codes[:4] == [401] * 4 and set(codes[4:]) == {423}, codes
    assert elapsed > 4 * 0.2  # the failures were slowed down
    locked = httpx.post(f"{url}/login", data={"username": "anna", "password": USERS["anna"][1]})
    assert locked.status_code == 423 and "låst" in locked.json()["detail"]
    unlock = subprocess.run(
        [str(Path(sys.executable).with_name("assistant")), "users", "unlock", "anna"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert unlock.returncode == 0 and "unlocked" in unlock.stdout, unlock.stderr
    assert _session(url, "anna").get("/config").status_code == 200
    actions = [e.action for e in _store(data).audit_log(ROOT)]
    assert actions.count("inloggning misslyckades") == 5 and "konto låst" in actions and "låste upp konto" in actions
    assert actions.count("inloggning nekad") == 26


def test_an_address_with_many_failures_is_refused(guarded):
    url, _, _ = guarded
    codes = [
        httpx.post(f"{url}/login", data={"username": f"gissning{i}", "password": "x"}).status_code for i in range(14)
    ]
    assert 429 in codes and codes[-1] == 429
    refused = httpx.post(f"{url}/login", data={"username": "root", "password": USERS["root"][1]})
    assert refused.status_code == 429 and "adress" in refused.json()["detail"]


def test_adding_a_user_to_a_running_local_app_locks_nobody_out(tmp_path_factory):
    with run_app(tmp_path_factory.mktemp("local"), {}, knowledge=False) as server:
        from gradio_client import Client

        UserStore(server.data_dir / "users.json").add("anna", "handläggare", USERS["anna"][1])
        page = httpx.get(server.url + "/").text
        assert "Logga in med ditt användarnamn" not in page  # still the app, not a login form
        markdown = Client(server.url, verbose=False).predict("Skrivelse om snöröjning i parken.", "Farsta", api_name="/draft")
        assert markdown.startswith("**Handläggare:**")  # the local user still works until a restart

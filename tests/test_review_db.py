"""The SQLite review store: versions, status flow, roles enforced server-side, diff, audit, chats."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from assistant.review.auth import PermissionDenied, User
from assistant.review.db import MIGRATIONS, ReviewError, ReviewStore

ANNA = User("anna", "handläggare")
ALI = User("ali", "handläggare")
BO = User("bo", "avdelningschef")
CILLA = User("cilla", "avdelningschef", "Skarpnäck")
EVA = User("eva", "utvärderare")
ROOT = User("root", "admin")


@pytest.fixture
def store(tmp_path) -> ReviewStore:
    return ReviewStore(tmp_path / "data" / "assistant.sqlite3")


def test_schema_wal_and_migrations(tmp_path):
    path = tmp_path / "db.sqlite3"
    store = ReviewStore(path)
    assert store.schema_version == len(MIGRATIONS)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    with pytest.raises(Exception, match="schemaversion 99"):
        ReviewStore(path)


def test_full_review_flow_with_versions_comments_and_approval(store):
    did = store.create_draft(ANNA, "Svar på skrivelse", "# Svar\n\nFörsta stycket [1].\n", district="Skarpnäck")
    assert store.get_draft(ANNA, did).status == "utkast"
    store.submit(ANNA, did)
    assert store.get_draft(ANNA, did).status == "för granskning"
    # the handläggare cannot edit a draft under review
    with pytest.raises(ReviewError):
        store.add_version(ANNA, did, "ändrad")
    store.return_draft(BO, did, "Lägg till barnkonsekvensanalys.")
    assert store.get_draft(ANNA, did).status == "återremitterad"
    assert store.add_version(ANNA, did, "# Svar\n\nFörsta stycket [1].\n\n## Barnkonsekvensanalys\n\nText.\n") == 2
    store.submit(ANNA, did)
    store.comment(BO, did, "Bra nu.")
    store.approve(BO, did)  # no placeholders or flags open: no confirmation needed
    record = store.get_draft(ANNA, did)
    assert record.status == "godkänd" and record.approved_by == "bo" and record.approved_at
    assert record.version_count == 2
    comments = store.comments(ANNA, did)
    assert [(c.author, c.version, c.text) for c in comments] == [
        ("bo", 1, "Lägg till barnkonsekvensanalys."),
        ("bo", 2, "Bra nu."),
    ]
    diff = store.diff(BO, did, 1, 2)
    assert "+## Barnkonsekvensanalys" in diff and "--- version 1" in diff
    actions = [(e.user, e.action) for e in reversed(store.audit_log(ANNA, target=f"utkast {did}"))]
    assert actions == [
        ("anna", "skapade utkast"),
        ("anna", "skicka på granskning"),
        ("bo", "kommenterade"),
        ("bo", "återremittera"),
        ("anna", "sparade version"),
        ("anna", "skicka på granskning"),
        ("bo", "kommenterade"),
        ("bo", "godkänna"),
    ]
    # an approved draft is final
    with pytest.raises(ReviewError):
        store.add_version(ANNA, did, "efter godkännande")
    with pytest.raises(ReviewError):
        store.submit(ANNA, did)


def test_roles_are_enforced_in_the_store(store):
    did = store.create_draft(ANNA, "Utkast", "text")
    store.submit(ANNA, did)
    with pytest.raises(PermissionDenied):
        store.approve(ANNA, did)
    with pytest.raises(PermissionDenied):
        store.return_draft(ANNA, did, "själv")
    with pytest.raises(PermissionDenied):
        store.create_draft(EVA, "x", "y")
    assert store.get_draft(ANNA, did).status == "för granskning"
    assert not store.comments(ANNA, did)
    store.approve(ROOT, did)
    assert store.get_draft(ANNA, did).approved_by == "root"


def test_state_rules(store):
    did = store.create_draft(ANNA, "Utkast", "text")
    with pytest.raises(ReviewError, match="utkast"):
        store.approve(BO, did)
    with pytest.raises(PermissionDenied, match="finns inte eller är inte ditt"):
        store.submit(ANNA, 999)  # not told apart from another's draft
    with pytest.raises(ReviewError, match="finns inte"):
        store.submit(ROOT, 999)
    with pytest.raises(ReviewError):
        store.comment(BO, did, "   ")
    with pytest.raises(ReviewError):
        store.comment(BO, did, "x", version=5)
    assert [d.id for d in store.list_drafts(ANNA, status="utkast")] == [did]
    assert store.list_drafts(ANNA, status="godkänd") == []


def test_conversations_persist_and_belong_to_their_owner(tmp_path):
    path = tmp_path / "db.sqlite3"
    store = ReviewStore(path)
    state = {"messages": [{"role": "user", "content": "Hur svarade Skarpnäck?"}], "district": "Skarpnäck"}
    cid = store.save_conversation(ANNA, state, "Skrivelse om RSU")
    state["messages"].append({"role": "assistant", "content": "Så här [1]."})
    assert store.save_conversation(ANNA, state, "Skrivelse om RSU", cid) == cid
    reopened = ReviewStore(path)  # a restart
    assert [c.title for c in reopened.conversations(ANNA)] == ["Skrivelse om RSU"]
    assert reopened.conversation(ANNA, cid).state == state
    assert reopened.conversations(BO) == []
    with pytest.raises(PermissionDenied):
        reopened.conversation(BO, cid)
    with pytest.raises(PermissionDenied):
        reopened.save_conversation(BO, {}, "kapning", cid)


def test_concurrent_writers(store):
    errors: list[Exception] = []

    def work(i: int) -> None:
        try:
            did = store.create_draft(ANNA, f"Utkast {i}", f"text {i}")
            store.add_version(ANNA, did, f"text {i} v2")
            store.submit(ANNA, did)
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    drafts = store.list_drafts(ANNA, status="för granskning")
    assert len(drafts) == 8 and all(d.version_count == 2 for d in drafts)


def _refusals(store: ReviewStore) -> list[tuple[str, str]]:
    return [(e.user, e.action) for e in store.audit_log(ROOT) if e.action.startswith("nekad")]


def test_a_draft_is_its_owners(store):
    """Another handläggare can neither read, edit, resubmit, withdraw nor comment a returned draft;
    each refusal is audited."""
    did = store.create_draft(ANNA, "Annas utkast", "text", district="Skarpnäck")
    store.submit(ANNA, did)
    store.return_draft(BO, did, "Komplettera.")
    for attempt in (
        lambda: store.add_version(ALI, did, "kapad"),
        lambda: store.submit(ALI, did),
        lambda: store.withdraw(ALI, did),
        lambda: store.comment(ALI, did, "min kommentar"),
        lambda: store.get_draft(ALI, did),
        lambda: store.versions(ALI, did),
        lambda: store.comments(ALI, did),
        lambda: store.diff(ALI, did, 1, 1),
        lambda: store.audit_log(ALI, target=f"utkast {did}"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert store.list_drafts(ALI) == []
    assert [v.markdown for v in store.versions(ANNA, did)] == ["text"]
    assert store.get_draft(ANNA, did).status == "återremitterad"
    assert len([r for r in _refusals(store) if r[0] == "ali"]) == 9
    # the owner may; an admin may too
    assert store.add_version(ANNA, did, "kompletterad") == 2
    store.submit(ANNA, did)
    store.withdraw(ANNA, did)
    assert store.get_draft(ANNA, did).status == "utkast"
    assert store.add_version(ROOT, did, "admin rättar") == 3


def test_visibility_by_role_and_district(store):
    in_skarpnack = store.create_draft(ANNA, "Skarpnäck", "text", district="Skarpnäck")
    in_farsta = store.create_draft(ALI, "Farsta", "text", district="Farsta")
    assert [d.id for d in store.list_drafts(ANNA)] == [in_skarpnack]
    assert {d.id for d in store.list_drafts(BO)} == {in_skarpnack, in_farsta}  # no district: all
    assert [d.id for d in store.list_drafts(CILLA)] == [in_skarpnack]  # Skarpnäck's avdelningschef
    assert {d.id for d in store.list_drafts(ROOT)} == {in_skarpnack, in_farsta}
    assert store.list_drafts(EVA) == []
    for user in (CILLA, EVA):
        with pytest.raises(PermissionDenied):
            store.get_draft(user, in_farsta)
    store.submit(ALI, in_farsta)
    with pytest.raises(PermissionDenied):
        store.approve(CILLA, in_farsta)  # another district's draft
    # the whole audit log is the admin's
    for user in (ANNA, BO, EVA):
        with pytest.raises(PermissionDenied):
            store.audit_log(user)
    assert store.audit_log(ROOT)


def test_nobody_approves_their_own_draft(store):
    did = store.create_draft(BO, "Bos eget", "text")
    store.submit(BO, did)
    with pytest.raises(PermissionDenied):
        store.approve(BO, did)
    with pytest.raises(PermissionDenied):
        store.return_draft(BO, did)
    store.approve(User("dora", "avdelningschef"), did)
    assert store.get_draft(BO, did).status == "godkänd"


def test_approval_with_open_items_needs_a_named_confirmation(store):
    from assistant.review.db import NeedsConfirmation

    text = (
        "**Handläggare:** [HANDLÄGGARE]  \n**Datum:** [DATUM]\n\n# Svar\n\nStycke [1].\n"
        "> ☐ Att bekräfta: Uppgiften kommer från Farsta.\n"
    )
    did = store.create_draft(ANNA, "Svar", text)
    store.submit(ANNA, did)
    with pytest.raises(NeedsConfirmation) as err:
        store.approve(BO, did)
    assert err.value.items == ["[HANDLÄGGARE]", "[DATUM]", "☐ Att bekräfta: Uppgiften kommer från Farsta."]
    assert "[HANDLÄGGARE]" in str(err.value) and "Bekräfta" in str(err.value)
    assert store.get_draft(BO, did).status == "för granskning"
    store.approve(BO, did, confirm_open=True)
    entry = store.audit_log(BO, target=f"utkast {did}")[0]
    assert entry.action == "godkänna" and "[DATUM]" in entry.detail and "Att bekräfta" in entry.detail


def test_word_files_are_served_to_who_may_see_them(store, tmp_path):
    path = tmp_path / "utkast.docx"
    path.write_bytes(b"PK")
    did = store.create_draft(ANNA, "Svar", "text", district="Skarpnäck")
    own = store.register_export(ANNA, path, "svar.docx")
    of_draft = store.register_export(ANNA, path, "svar.docx", draft_id=did)
    assert len(own) >= 32 and own != of_draft
    assert store.export_file(ANNA, own) == (path, "svar.docx")
    assert store.export_file(BO, of_draft)[0] == path  # the reviewer may see the draft
    for user, export_id in ((ALI, own), (ALI, of_draft), (BO, own), (None, own), (ANNA, "gissat-id")):
        with pytest.raises(PermissionDenied):
            store.export_file(user, export_id)
    assert ("ali", "nekad: hämta Word-fil") in _refusals(store)


def test_failed_logins_lock_the_account_until_unlocked(store):
    from datetime import timedelta

    for _ in range(4):
        assert store.record_login_failure("anna", "127.0.0.1", 5, timedelta(minutes=15)) is None
    assert store.login_locked_until("anna") is None
    until = store.record_login_failure("anna", "127.0.0.1", 5, timedelta(minutes=15))
    assert until is not None and store.login_locked_until("anna") == until
    with pytest.raises(PermissionDenied):
        store.unlock(ANNA, "anna")
    assert store.unlock(ROOT, "anna") and store.login_locked_until("anna") is None
    actions = [e.action for e in store.audit_log(ROOT)]
    assert actions.count("inloggning misslyckades") == 5 and "konto låst" in actions and "låste upp konto" in actions
    store.record_login("anna", "127.0.0.1")
    assert "loggade in" in [e.action for e in store.audit_log(ROOT)]


def test_database_file_is_owner_only(tmp_path):
    import os
    import stat

    path = tmp_path / "db.sqlite3"
    ReviewStore(path)
    os.chmod(path, 0o644)  # as an earlier version left it
    ReviewStore(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

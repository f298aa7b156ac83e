"""The SQLite review store: versions, status flow, roles enforced server-side, diff, audit, chats."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from assistant.review.auth import PermissionDenied, User
from assistant.review.db import MIGRATIONS, ReviewError, ReviewStore

ANNA = User("anna", "handläggare")
BO = User("bo", "avdelningschef")
EVA = User("eva", "utvärderare")


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
    assert store.get_draft(did).status == "utkast"
    store.submit(ANNA, did)
    assert store.get_draft(did).status == "för granskning"
    # the handläggare cannot edit a draft under review
    with pytest.raises(ReviewError):
        store.add_version(ANNA, did, "ändrad")
    store.return_draft(BO, did, "Lägg till barnkonsekvensanalys.")
    assert store.get_draft(did).status == "återremitterad"
    assert store.add_version(ANNA, did, "# Svar\n\nFörsta stycket [1].\n\n## Barnkonsekvensanalys\n\nText.\n") == 2
    store.submit(ANNA, did)
    store.comment(BO, did, "Bra nu.")
    store.approve(BO, did)
    record = store.get_draft(did)
    assert record.status == "godkänd" and record.approved_by == "bo" and record.approved_at
    assert record.version_count == 2
    comments = store.comments(did)
    assert [(c.author, c.version, c.text) for c in comments] == [
        ("bo", 1, "Lägg till barnkonsekvensanalys."),
        ("bo", 2, "Bra nu."),
    ]
    diff = store.diff(did, 1, 2)
    assert "+## Barnkonsekvensanalys" in diff and "--- version 1" in diff
    actions = [(e.user, e.action) for e in reversed(store.audit_log(target=f"utkast {did}"))]
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
    assert store.get_draft(did).status == "för granskning"
    assert not store.comments(did)
    store.approve(User("root", "admin"), did)
    assert store.get_draft(did).approved_by == "root"


def test_state_rules(store):
    did = store.create_draft(ANNA, "Utkast", "text")
    with pytest.raises(ReviewError, match="utkast"):
        store.approve(BO, did)
    with pytest.raises(ReviewError, match="finns inte"):
        store.submit(ANNA, 999)
    with pytest.raises(ReviewError):
        store.comment(BO, did, "   ")
    with pytest.raises(ReviewError):
        store.comment(BO, did, "x", version=5)
    assert [d.id for d in store.list_drafts(status="utkast")] == [did]
    assert store.list_drafts(status="godkänd") == []


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
    drafts = store.list_drafts(status="för granskning")
    assert len(drafts) == 8 and all(d.version_count == 2 for d in drafts)

"""The review queue, saved conversations and the audit log, in one SQLite file.

A draft moves ``utkast → för granskning → återremitterad | godkänd``; a returned draft is edited
(a new version) and resubmitted, a submitted one can be withdrawn. Every version is kept, comments
belong to a version, and every state change is written to the audit log with who and when.

Who may do what is decided here, in the store, for reads as well as writes, so no client (a button,
the HTTP API, a script) can skip it (the matrix is in ``docs/security.md``; the rules, pure functions
of a user and a draft's row, are :mod:`assistant.review.permissions`):

- a draft's versions, submission and withdrawal are its owner's (and an admin's);
- comments come from the owner and from those who review the draft;
- approve and return are the avdelningschef's, for drafts of their district when they have one,
  never their own draft;
- a handläggare sees their own drafts, an avdelningschef all (or their district's), an admin all,
  an utvärderare none. The full audit log is the admin's; a draft's own entries go with the draft.

Every refusal is itself written to the audit log. Word files are registered here too, so the app
serves a file only to someone who may see it.

:class:`ReviewStore` is the one object every caller uses. The file itself (schema, migrations,
WAL, the connection that redacts every write) is :mod:`assistant.review.schema`; the tables beside
the review flow are objects the store composes: saved chats (:mod:`assistant.review.conversations`),
Word files (:mod:`assistant.review.exports`) and failed logins (:mod:`assistant.review.logins`),
each auditing through :mod:`assistant.review.audit`.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from assistant.review import audit
from assistant.review.audit import AuditEntry
from assistant.review.auth import PermissionDenied, User, require
from assistant.review.conversations import Conversation, Conversations
from assistant.review.errors import NeedsConfirmation, ReviewError
from assistant.review.exports import Exports
from assistant.review.logins import LoginFailures
from assistant.review.permissions import ANONYMOUS, DRAFTING_ROLES, REVIEW_ROLES, anyone, can_view, is_owner, may_review
from assistant.review.schema import MIGRATIONS, REDACTED_COLUMNS, REDACTION_MIGRATION  # noqa: F401 (re-exported)
from assistant.review.schema import connect, prepare, timestamp

Status = Literal["utkast", "för granskning", "återremitterad", "godkänd"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


def _pick(versions: list[Version], draft_id: int, number: int | None) -> Version:
    """Version ``number`` of a draft's versions; the latest when ``number`` is None."""
    if number is None:
        return versions[-1]
    for v in versions:
        if v.number == number:
            return v
    raise ReviewError(f"Utkast {draft_id} har ingen version {number}.")


def open_items(markdown: str) -> list[str]:
    """Placeholders still to fill (``[DATUM]``) and flags still in the text (``> ☐ Att bekräfta: …``),
    each once, in order: what an approver is shown before approving."""
    from assistant.draft.render import FLAG_LABELS

    items: list[str] = []
    labels = tuple(FLAG_LABELS.values())
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") and stripped.lstrip("> ").startswith(labels):
            items.append(stripped.lstrip("> ").strip())
        items.extend(_PLACEHOLDER.findall(line))
    return list(dict.fromkeys(items))


_PLACEHOLDER = re.compile(r"\[[A-ZÅÄÖ][A-ZÅÄÖ ,.\-]{2,}\]")


@dataclass
class DraftRecord:
    id: int
    title: str
    district: str | None
    inquiry_text: str
    owner: str
    status: str
    created_at: str
    updated_at: str
    approved_by: str | None
    approved_at: str | None
    conversation_id: int | None
    version_count: int = 0


@dataclass
class Version:
    draft_id: int
    number: int
    markdown: str
    draft_json: str | None
    author: str
    created_at: str


@dataclass
class Comment:
    id: int
    draft_id: int
    version: int
    author: str
    text: str
    created_at: str


class ReviewStore:
    """SQLite review store. Thread-safe: every call opens its own short connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        prepare(self.path)
        self._conversations = Conversations(self._connect)
        self._logins = LoginFailures(self._connect)
        self._exports = Exports(self._connect)

    # --- plumbing ------------------------------------------------------------------------------
    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect(self.path)

    @property
    def schema_version(self) -> int:
        with self._connect() as con:
            return con.execute("PRAGMA user_version").fetchone()[0]

    def log(self, user: User, action: str, target: str | None = None, detail: str | None = None) -> None:
        """Write an audit entry for an action outside the review flow (ingest, removal, export)."""
        with self._connect() as con:
            audit.record(con, user, action, target, detail)

    def log_account(self, name: str, action: str, detail: str | None = None) -> None:
        """Audit a login event of account ``name`` (who may not be a user at all)."""
        with self._connect() as con:
            audit.record(con, User(name or "(tomt namn)", "okänd"), action, f"konto {name}", detail)

    def _draft_row(self, con: sqlite3.Connection, draft_id: int) -> sqlite3.Row:
        row = con.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise ReviewError(f"Utkast {draft_id} finns inte.")
        return row

    # --- who may do what -----------------------------------------------------------------------
    def _deny(self, user: User | None, action: str, target: str | None, message: str) -> PermissionDenied:
        """Audit a refusal (in its own transaction, so it is kept) and return the error to raise."""
        with self._connect() as con:
            audit.record(con, user or ANONYMOUS, f"nekad: {action}", target, message)
        return PermissionDenied(message)

    def _require(self, user: User | None, roles: tuple[str, ...], action: str, target: str | None = None) -> User:
        try:
            return require(user, *roles)
        except PermissionDenied as err:
            raise self._deny(user, action, target, str(err)) from err

    def _checked_row(self, user: User | None, draft_id: int, action: str, allowed) -> sqlite3.Row:
        """The draft's row if ``allowed(user, row)``; otherwise an audited refusal. A draft the
        user may not see is refused the same way whether it exists or not."""
        row = self._row(draft_id)
        if user is None or row is None or not can_view(user, row):
            if row is None and user is not None and user.is_admin:
                raise ReviewError(f"Utkast {draft_id} finns inte.")
            raise self._deny(user, action, f"utkast {draft_id}", f"Utkast {draft_id} finns inte eller är inte ditt att se.")
        if not allowed(user, row):
            raise self._deny(
                user, action, f"utkast {draft_id}", f"Behörighet saknas: {user.name} får inte {action} utkast {draft_id}."
            )
        return row

    def _row(self, draft_id: int) -> sqlite3.Row | None:
        with self._connect() as con:
            return con.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()

    # --- drafts --------------------------------------------------------------------------------
    def create_draft(
        self,
        user: User,
        title: str,
        markdown: str,
        *,
        district: str | None = None,
        inquiry_text: str = "",
        draft_json: str | None = None,
        conversation_id: int | None = None,
    ) -> int:
        """Save a new draft (status utkast, version 1) owned by ``user`` and return its id."""
        self._require(user, DRAFTING_ROLES, "skapa utkast")
        now = timestamp()
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO drafts (title, district, inquiry_text, owner, created_at, updated_at, conversation_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title.strip() or "Utkast", district, inquiry_text, user.name, now, now, conversation_id),
            )
            draft_id = int(cur.lastrowid)
            con.execute(
                "INSERT INTO versions (draft_id, number, markdown, draft_json, author, created_at) VALUES (?, 1, ?, ?, ?, ?)",
                (draft_id, markdown, draft_json, user.name, now),
            )
            audit.record(con, user, "skapade utkast", f"utkast {draft_id}", title)
        return draft_id

    def add_version(self, user: User, draft_id: int, markdown: str, draft_json: str | None = None) -> int:
        """Save an edited text as the next version: the owner's (or an admin's), while the draft is
        utkast or återremitterad."""
        self._require(user, DRAFTING_ROLES, "spara version", f"utkast {draft_id}")
        self._checked_row(user, draft_id, "spara en version av", is_owner)
        with self._connect() as con:
            row = self._draft_row(con, draft_id)
            if row["status"] not in ("utkast", "återremitterad"):
                raise ReviewError(f"Utkast {draft_id} är {row['status']} och kan inte ändras.")
            number = con.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE draft_id = ?", (draft_id,)
            ).fetchone()[0]
            now = timestamp()
            con.execute(
                "INSERT INTO versions (draft_id, number, markdown, draft_json, author, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (draft_id, number, markdown, draft_json, user.name, now),
            )
            con.execute("UPDATE drafts SET updated_at = ? WHERE id = ?", (now, draft_id))
            audit.record(con, user, "sparade version", f"utkast {draft_id}", f"version {number}")
        return number

    def _transition(
        self, user: User, draft_id: int, allowed_from: tuple[str, ...], to: str, action: str, detail: str = ""
    ) -> None:
        with self._connect() as con:
            row = self._draft_row(con, draft_id)
            if row["status"] not in allowed_from:
                raise ReviewError(f"Utkast {draft_id} är {row['status']}; kan inte {action}.")
            now = timestamp()
            if to == "godkänd":
                con.execute(
                    "UPDATE drafts SET status = ?, updated_at = ?, approved_by = ?, approved_at = ? WHERE id = ?",
                    (to, now, user.name, now, draft_id),
                )
            else:
                con.execute("UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?", (to, now, draft_id))
            audit.record(con, user, action, f"utkast {draft_id}", f"{row['status']} → {to}{detail}")

    def submit(self, user: User, draft_id: int) -> None:
        """Send a draft (new or returned and edited) for review: its owner's (or an admin's) step."""
        self._require(user, DRAFTING_ROLES, "skicka på granskning", f"utkast {draft_id}")
        self._checked_row(user, draft_id, "skicka", is_owner)
        self._transition(user, draft_id, ("utkast", "återremitterad"), "för granskning", "skicka på granskning")

    def withdraw(self, user: User, draft_id: int) -> None:
        """Take a draft back from review to edit it further (its owner's, or an admin's, step)."""
        self._require(user, DRAFTING_ROLES, "dra tillbaka", f"utkast {draft_id}")
        self._checked_row(user, draft_id, "dra tillbaka", is_owner)
        self._transition(user, draft_id, ("för granskning",), "utkast", "dra tillbaka")

    def open_items(self, user: User, draft_id: int) -> list[str]:
        """What is still open in the latest version: placeholders to fill and flags not cleared."""
        return open_items(self.version(user, draft_id).markdown)

    def approve(self, user: User, draft_id: int, *, confirm_open: bool = False) -> None:
        """Approve a draft under review; records the approver's name and the time.

        A version with open placeholders or flags is approved only with ``confirm_open`` (the
        approver has been shown them): otherwise :class:`NeedsConfirmation` names them. What was
        approved open is written to the audit log.
        """
        self._require(user, REVIEW_ROLES, "godkänna", f"utkast {draft_id}")
        self._checked_row(user, draft_id, "godkänna", may_review)
        items = self.open_items(user, draft_id)
        if items and not confirm_open:
            raise NeedsConfirmation(items)
        detail = f"; godkänt med öppna punkter: {'; '.join(items)}" if items else ""
        self._transition(user, draft_id, ("för granskning",), "godkänd", "godkänna", detail)

    def return_draft(self, user: User, draft_id: int, comment: str = "") -> None:
        """Send a draft under review back to the handläggare, optionally with a comment."""
        self._require(user, REVIEW_ROLES, "återremittera", f"utkast {draft_id}")
        self._checked_row(user, draft_id, "återremittera", may_review)
        if comment.strip():
            self.comment(user, draft_id, comment)
        self._transition(user, draft_id, ("för granskning",), "återremitterad", "återremittera")

    def comment(self, user: User, draft_id: int, text: str, version: int | None = None) -> int:
        """Comment on a version (the latest by default): the owner and the draft's reviewers may."""
        self._require(user, DRAFTING_ROLES, "kommentera", f"utkast {draft_id}")
        self._checked_row(user, draft_id, "kommentera", lambda u, row: is_owner(u, row) or may_review(u, row))
        if not text.strip():
            raise ReviewError("Kommentaren är tom.")
        with self._connect() as con:
            latest = con.execute("SELECT MAX(number) FROM versions WHERE draft_id = ?", (draft_id,)).fetchone()[0]
            version = version or latest
            if not 1 <= version <= latest:
                raise ReviewError(f"Utkast {draft_id} har ingen version {version}.")
            cur = con.execute(
                "INSERT INTO comments (draft_id, version, author, text, created_at) VALUES (?, ?, ?, ?, ?)",
                (draft_id, version, user.name, text.strip(), timestamp()),
            )
            audit.record(con, user, "kommenterade", f"utkast {draft_id}", f"version {version}")
            return int(cur.lastrowid)

    # --- reading -------------------------------------------------------------------------------
    def get_draft(self, user: User, draft_id: int) -> DraftRecord:
        row = self._checked_row(user, draft_id, "läsa", anyone)
        with self._connect() as con:
            count = con.execute("SELECT COUNT(*) FROM versions WHERE draft_id = ?", (draft_id,)).fetchone()[0]
        return DraftRecord(**dict(row), version_count=count)

    def list_drafts(self, user: User, status: str | None = None, owner: str | None = None) -> list[DraftRecord]:
        """The drafts ``user`` may see, newest first (an utvärderare sees none)."""
        sql = (
            "SELECT d.*, (SELECT COUNT(*) FROM versions v WHERE v.draft_id = d.id) AS version_count"
            " FROM drafts d WHERE (? IS NULL OR status = ?) AND (? IS NULL OR owner = ?) ORDER BY updated_at DESC, id DESC"
        )
        with self._connect() as con:
            rows = con.execute(sql, (status, status, owner, owner)).fetchall()
        return [DraftRecord(**dict(r)) for r in rows if can_view(user, r)]

    def versions(self, user: User, draft_id: int) -> list[Version]:
        self._checked_row(user, draft_id, "läsa", anyone)
        with self._connect() as con:
            rows = con.execute("SELECT * FROM versions WHERE draft_id = ? ORDER BY number", (draft_id,))
            return [Version(**dict(r)) for r in rows]

    def version(self, user: User, draft_id: int, number: int | None = None) -> Version:
        """One version; the latest when ``number`` is None."""
        return _pick(self.versions(user, draft_id), draft_id, number)

    def comments(self, user: User, draft_id: int) -> list[Comment]:
        self._checked_row(user, draft_id, "läsa", anyone)
        with self._connect() as con:
            rows = con.execute("SELECT * FROM comments WHERE draft_id = ? ORDER BY id", (draft_id,))
            return [Comment(**dict(r)) for r in rows]

    def diff(self, user: User, draft_id: int, old: int, new: int) -> str:
        """Unified diff (difflib) between two versions' Markdown, line by line."""
        versions = self.versions(user, draft_id)  # one check and one read for both
        a, b = _pick(versions, draft_id, old), _pick(versions, draft_id, new)
        return "".join(
            difflib.unified_diff(
                a.markdown.splitlines(keepends=True),
                b.markdown.splitlines(keepends=True),
                fromfile=f"version {old}",
                tofile=f"version {new}",
            )
        )

    def audit_log(self, user: User, limit: int = 200, target: str | None = None) -> list[AuditEntry]:
        """The audit log: all of it for an admin; a draft's own entries (``target="utkast N"``) for
        whoever may see that draft; nothing else."""
        draft = re.fullmatch(r"utkast (\d+)", target or "")
        if draft:
            self._checked_row(user, int(draft.group(1)), "läsa händelselogg för", anyone)
        elif not (user and user.is_admin):
            raise self._deny(user, "läsa händelseloggen", target, "Hela händelseloggen visas bara för en administratör.")
        with self._connect() as con:
            return audit.entries(con, target, limit)

    # --- Word files (the table: review/exports.py; who may fetch one is decided here) ----------
    def register_export(self, user: User, path: Path, filename: str, draft_id: int | None = None) -> str:
        """Record a Word file written for ``user`` (of a review draft, or of their own chat) and
        return the unguessable id it is served under."""
        return self._exports.register(user, path, filename, draft_id)

    def export_file(self, user: User | None, export_id: str) -> tuple[Path, str]:
        """(path, file name) of a registered Word file, if ``user`` wrote it or may see its draft."""
        row = self._exports.get(export_id)
        allowed = row is not None and user is not None and (
            row["owner"] == user.name
            or user.is_admin
            or (row["draft_id"] is not None and self._may_see(user, row["draft_id"]))
        )
        if not allowed or not Path(row["path"]).is_file():
            raise self._deny(user, "hämta Word-fil", None, "Filen finns inte eller är inte din att hämta.")
        return Path(row["path"]), row["filename"]

    def _may_see(self, user: User, draft_id: int) -> bool:
        row = self._row(draft_id)
        return row is not None and can_view(user, row)

    # --- failed logins (the table: review/logins.py; the app counts, the CLI unlocks) ----------
    def login_locked_until(self, name: str) -> datetime | None:
        """When the account's lock ends, if it is locked now."""
        return self._logins.locked_until(name)

    def record_login_failure(self, name: str, address: str, max_failures: int, lockout: timedelta) -> datetime | None:
        """Count a wrong password for ``name``; lock the account once ``max_failures`` come in a
        row. Returns when the lock ends if this failure locked it. Both are audited."""
        return self._logins.record_failure(name, address, max_failures, lockout)

    def record_login(self, name: str, address: str) -> None:
        """A successful login: the failure count starts over."""
        self._logins.record_success(name, address)

    def unlock(self, admin: User, name: str) -> bool:
        """An admin ends an account's lock before its time. Returns whether it was locked."""
        self._require(admin, ("admin",), "låsa upp konto", f"konto {name}")
        return self._logins.clear(admin, name)

    # --- conversations (the table: review/conversations.py) ------------------------------------
    def save_conversation(self, user: User, state: dict[str, Any], title: str, conversation_id: int | None = None) -> int:
        """Create or update a saved chat. Only its owner may overwrite it."""
        return self._conversations.save(user, state, title, conversation_id)

    def conversations(self, user: User, search: str = "") -> list[Conversation]:
        """The user's saved chats, newest first (without their state, for listing); with ``search``,
        those whose title or content (the inquiry, the draft, the messages) holds every word of it,
        case folded as Swedish is (å, ä, ö included)."""
        return self._conversations.owned_by(user, search)

    def conversation(self, user: User, conversation_id: int) -> Conversation:
        """One saved chat, with its state: the owner's, or an admin's to open."""
        return self._conversations.get(user, conversation_id)

"""The review queue, saved conversations and the audit log, in one SQLite file.

A draft moves ``utkast → för granskning → återremitterad | godkänd``; a returned draft is edited
(a new version) and resubmitted. Every version is kept, comments belong to a version, and every
state change is written to the audit log with who and when. Role checks happen here, in the
functions that change state, so no client can skip them.

SQLite runs in WAL mode (the app's readers never block its writer) and the schema is migrated with
``PRAGMA user_version``: add a new script to :data:`MIGRATIONS`, never edit an old one.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from assistant.errors import AssistantError
from assistant.review.auth import PermissionDenied, User, require

Status = Literal["utkast", "för granskning", "återremitterad", "godkänd"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]

DRAFTING_ROLES = ("handläggare", "avdelningschef")
REVIEW_ROLES = ("avdelningschef",)

MIGRATIONS: list[str] = [
    # 1: drafts, versions, comments, audit log, conversations
    """
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        district TEXT,
        inquiry_text TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'utkast',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        approved_by TEXT,
        approved_at TEXT,
        conversation_id INTEGER
    );
    CREATE TABLE versions (
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        markdown TEXT NOT NULL,
        draft_json TEXT,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (draft_id, number)
    );
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT
    );
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        title TEXT NOT NULL,
        state_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX drafts_status ON drafts(status);
    CREATE INDEX conversations_owner ON conversations(owner, updated_at);
    """,
    # 2: personnummer are never stored: everything written is redacted (see _RedactingConnection),
    # and what earlier versions stored is redacted by the data pass that goes with this number.
    """
    CREATE TABLE redaction_passes (number INTEGER PRIMARY KEY, at TEXT NOT NULL)
    """,
]
REDACTION_MIGRATION = 2
REDACTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "drafts": ("title", "inquiry_text"),
    "versions": ("markdown", "draft_json"),
    "comments": ("text",),
    "audit": ("detail",),
    "conversations": ("title", "state_json"),
}
"""Every text column that may hold what a user pasted, typed or uploaded."""


class _RedactingConnection:
    """A sqlite3 connection whose writes are redacted: every string bound to an INSERT or UPDATE
    passes through :func:`assistant.ingest.redact.redacted`, whichever method wrote it. Enforced
    here, in the store, so no caller can forget it."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        if params and sql.lstrip()[:6].upper() in ("INSERT", "UPDATE"):
            from assistant.ingest.redact import redacted

            params = tuple(redacted(p) if isinstance(p, str) else p for p in params)
        return self._con.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


class ReviewError(AssistantError):
    """A review action that the draft's state does not allow (Swedish message for the UI)."""


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


@dataclass
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    target: str | None
    detail: str | None


@dataclass
class Conversation:
    id: int
    owner: str
    title: str
    state: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReviewStore:
    """SQLite review store. Thread-safe: every call opens its own short connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            self._migrate(con)
        # Old page images (from before a redaction pass) must not linger in the write-ahead log.
        raw = sqlite3.connect(self.path, timeout=30)
        try:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

    # --- plumbing ------------------------------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA secure_delete=ON")  # overwritten and deleted text is zeroed on disk, not left in free pages
        try:
            with con:  # one transaction: commit on success, roll back on error
                yield _RedactingConnection(con)  # type: ignore[misc]
        finally:
            con.close()

    @staticmethod
    def _migrate(con: sqlite3.Connection) -> None:
        current = con.execute("PRAGMA user_version").fetchone()[0]
        if current > len(MIGRATIONS):
            raise AssistantError(
                f"Databasen har schemaversion {current}, nyare än programmets {len(MIGRATIONS)}: uppgradera programmet."
            )
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            for statement in filter(str.strip, script.split(";")):
                con.execute(statement)
            if number == REDACTION_MIGRATION and current > 0:
                ReviewStore._redact_stored(con)
            con.execute(f"PRAGMA user_version = {number}")

    @staticmethod
    def _redact_stored(con: sqlite3.Connection) -> None:
        """Redact what a database from before store-level redaction holds (a one-time data pass)."""
        from assistant.ingest.redact import redacted

        for table, columns in REDACTED_COLUMNS.items():
            rows = con.execute(f"SELECT rowid, {', '.join(columns)} FROM {table}").fetchall()
            for row in rows:
                values = [row[c] for c in columns]
                clean = [redacted(v) if isinstance(v, str) else v for v in values]
                if clean != values:
                    con.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE rowid = ?", (*clean, row[0]))
        con.execute("INSERT INTO redaction_passes (number, at) VALUES (?, ?)", (REDACTION_MIGRATION, _now()))

    @property
    def schema_version(self) -> int:
        with self._connect() as con:
            return con.execute("PRAGMA user_version").fetchone()[0]

    @staticmethod
    def _audit(con: sqlite3.Connection, user: User, action: str, target: str | None, detail: str | None = None) -> None:
        con.execute(
            "INSERT INTO audit (at, user, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (_now(), user.name, action, target, detail),
        )

    def log(self, user: User, action: str, target: str | None = None, detail: str | None = None) -> None:
        """Write an audit entry for an action outside the review flow (ingest, removal, export)."""
        with self._connect() as con:
            self._audit(con, user, action, target, detail)

    def _draft_row(self, con: sqlite3.Connection, draft_id: int) -> sqlite3.Row:
        row = con.execute("SELECT * FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise ReviewError(f"Utkast {draft_id} finns inte.")
        return row

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
        """Save a new draft (status utkast, version 1) and return its id."""
        require(user, *DRAFTING_ROLES)
        now = _now()
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
            self._audit(con, user, "skapade utkast", f"utkast {draft_id}", title)
        return draft_id

    def add_version(self, user: User, draft_id: int, markdown: str, draft_json: str | None = None) -> int:
        """Save an edited text as the next version. Only while the draft is utkast or återremitterad."""
        require(user, *DRAFTING_ROLES)
        with self._connect() as con:
            row = self._draft_row(con, draft_id)
            if row["status"] not in ("utkast", "återremitterad"):
                raise ReviewError(f"Utkast {draft_id} är {row['status']} och kan inte ändras.")
            number = con.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM versions WHERE draft_id = ?", (draft_id,)
            ).fetchone()[0]
            now = _now()
            con.execute(
                "INSERT INTO versions (draft_id, number, markdown, draft_json, author, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (draft_id, number, markdown, draft_json, user.name, now),
            )
            con.execute("UPDATE drafts SET updated_at = ? WHERE id = ?", (now, draft_id))
            self._audit(con, user, "sparade version", f"utkast {draft_id}", f"version {number}")
        return number

    def _transition(self, user: User, draft_id: int, allowed_from: tuple[str, ...], to: str, action: str) -> None:
        with self._connect() as con:
            row = self._draft_row(con, draft_id)
            if row["status"] not in allowed_from:
                raise ReviewError(f"Utkast {draft_id} är {row['status']}; kan inte {action}.")
            now = _now()
            if to == "godkänd":
                con.execute(
                    "UPDATE drafts SET status = ?, updated_at = ?, approved_by = ?, approved_at = ? WHERE id = ?",
                    (to, now, user.name, now, draft_id),
                )
            else:
                con.execute("UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?", (to, now, draft_id))
            self._audit(con, user, action, f"utkast {draft_id}", f"{row['status']} → {to}")

    def submit(self, user: User, draft_id: int) -> None:
        """Send a draft (new or returned and edited) for review."""
        require(user, *DRAFTING_ROLES)
        self._transition(user, draft_id, ("utkast", "återremitterad"), "för granskning", "skicka på granskning")

    def approve(self, user: User, draft_id: int) -> None:
        """Approve a draft under review; records the approver's name and the time."""
        require(user, *REVIEW_ROLES)
        self._transition(user, draft_id, ("för granskning",), "godkänd", "godkänna")

    def return_draft(self, user: User, draft_id: int, comment: str = "") -> None:
        """Send a draft under review back to the handläggare, optionally with a comment."""
        require(user, *REVIEW_ROLES)
        if comment.strip():
            self.comment(user, draft_id, comment)
        self._transition(user, draft_id, ("för granskning",), "återremitterad", "återremittera")

    def comment(self, user: User, draft_id: int, text: str, version: int | None = None) -> int:
        """Comment on a version (the latest by default). Drafting and reviewing roles may comment."""
        require(user, *DRAFTING_ROLES)
        if not text.strip():
            raise ReviewError("Kommentaren är tom.")
        with self._connect() as con:
            self._draft_row(con, draft_id)
            latest = con.execute("SELECT MAX(number) FROM versions WHERE draft_id = ?", (draft_id,)).fetchone()[0]
            version = version or latest
            if not 1 <= version <= latest:
                raise ReviewError(f"Utkast {draft_id} har ingen version {version}.")
            cur = con.execute(
                "INSERT INTO comments (draft_id, version, author, text, created_at) VALUES (?, ?, ?, ?, ?)",
                (draft_id, version, user.name, text.strip(), _now()),
            )
            self._audit(con, user, "kommenterade", f"utkast {draft_id}", f"version {version}")
            return int(cur.lastrowid)

    # --- reading -------------------------------------------------------------------------------
    def get_draft(self, draft_id: int) -> DraftRecord:
        with self._connect() as con:
            row = self._draft_row(con, draft_id)
            count = con.execute("SELECT COUNT(*) FROM versions WHERE draft_id = ?", (draft_id,)).fetchone()[0]
            return DraftRecord(**dict(row), version_count=count)

    def list_drafts(self, status: str | None = None, owner: str | None = None) -> list[DraftRecord]:
        sql = (
            "SELECT d.*, (SELECT COUNT(*) FROM versions v WHERE v.draft_id = d.id) AS version_count"
            " FROM drafts d WHERE (? IS NULL OR status = ?) AND (? IS NULL OR owner = ?) ORDER BY updated_at DESC, id DESC"
        )
        with self._connect() as con:
            return [DraftRecord(**dict(r)) for r in con.execute(sql, (status, status, owner, owner))]

    def versions(self, draft_id: int) -> list[Version]:
        with self._connect() as con:
            rows = con.execute("SELECT * FROM versions WHERE draft_id = ? ORDER BY number", (draft_id,))
            return [Version(**dict(r)) for r in rows]

    def version(self, draft_id: int, number: int | None = None) -> Version:
        """One version; the latest when ``number`` is None."""
        versions = self.versions(draft_id)
        if not versions:
            raise ReviewError(f"Utkast {draft_id} finns inte.")
        if number is None:
            return versions[-1]
        for v in versions:
            if v.number == number:
                return v
        raise ReviewError(f"Utkast {draft_id} har ingen version {number}.")

    def comments(self, draft_id: int) -> list[Comment]:
        with self._connect() as con:
            rows = con.execute("SELECT * FROM comments WHERE draft_id = ? ORDER BY id", (draft_id,))
            return [Comment(**dict(r)) for r in rows]

    def diff(self, draft_id: int, old: int, new: int) -> str:
        """Unified diff (difflib) between two versions' Markdown, line by line."""
        a, b = self.version(draft_id, old), self.version(draft_id, new)
        return "".join(
            difflib.unified_diff(
                a.markdown.splitlines(keepends=True),
                b.markdown.splitlines(keepends=True),
                fromfile=f"version {old}",
                tofile=f"version {new}",
            )
        )

    def audit_log(self, limit: int = 200, target: str | None = None) -> list[AuditEntry]:
        with self._connect() as con:
            rows = con.execute(
                "SELECT * FROM audit WHERE (? IS NULL OR target = ?) ORDER BY id DESC LIMIT ?", (target, target, limit)
            )
            return [AuditEntry(**dict(r)) for r in rows]

    # --- conversations -------------------------------------------------------------------------
    def save_conversation(self, user: User, state: dict[str, Any], title: str, conversation_id: int | None = None) -> int:
        """Create or update a saved chat. Only its owner may overwrite it."""
        now = _now()
        payload = json.dumps(state, ensure_ascii=False)
        with self._connect() as con:
            if conversation_id is not None:
                row = con.execute("SELECT owner FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
                if row is not None:
                    if row["owner"] != user.name:
                        raise PermissionDenied(f"Samtal {conversation_id} tillhör {row['owner']}.")
                    con.execute(
                        "UPDATE conversations SET title = ?, state_json = ?, updated_at = ? WHERE id = ?",
                        (title, payload, now, conversation_id),
                    )
                    return conversation_id
            cur = con.execute(
                "INSERT INTO conversations (owner, title, state_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (user.name, title, payload, now, now),
            )
            return int(cur.lastrowid)

    def conversations(self, user: User) -> list[Conversation]:
        """The user's saved chats, newest first (without their state, for listing)."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT id, owner, title, created_at, updated_at FROM conversations WHERE owner = ?"
                " ORDER BY updated_at DESC, id DESC",
                (user.name,),
            )
            return [Conversation(**dict(r)) for r in rows]

    def conversation(self, user: User, conversation_id: int) -> Conversation:
        with self._connect() as con:
            row = con.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise ReviewError(f"Samtal {conversation_id} finns inte.")
        if row["owner"] != user.name and not user.is_admin:
            raise PermissionDenied(f"Samtal {conversation_id} tillhör {row['owner']}.")
        data = dict(row)
        state = json.loads(data.pop("state_json"))
        return Conversation(**data, state=state)
